// `malchin indicator list | compute | freeze | load | export`: the results
// framework (docs/indicators.md). Every command works in the area of
// --soum/--aimag (the whole country without them); compute shows the frozen
// value beside the live one when the period is frozen; export sends the
// frozen value of a frozen period (the figure reported), else the live one.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "csv/csv.h"
#include "indicators/dhis2_push.h"
#include "indicators/export.h"
#include "indicators/report.h"
#include "indicators/results.h"
#include "net/client.h"
#include "params/parameters.h"

namespace malchin::cli {
namespace {

using indicators::Period;
using nlohmann::json;

std::string Str(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : "";
}

struct Opened {
  std::unique_ptr<CliDb> db;
  std::unique_ptr<indicators::Results> results;
  store::AreaFilter area;
};

Result<Opened> Open(const po::variables_map& vm) {
  Opened o;
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(o.area, AreaOption(vm, *geo));
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(o.db, OpenStore(vm, false));
  if (vm.count("user")) MALCHIN_RETURN_IF_ERROR(ActAs(*o.db, Str(vm, "user")));
  o.results = std::make_unique<indicators::Results>(o.db->session(), params);
  return o;
}

std::string By(const indicators::Cell& c) {
  std::string s;
  for (const auto& [d, v] : c.by) s += (s.empty() ? "" : " ") + d + "=" + v;
  return s.empty() ? "total" : s;
}

json CellJson(const indicators::Cell& c) {
  json by = json::object();
  for (const auto& [d, v] : c.by) by[d] = v;
  return {{"by", by},
          {"numerator", c.numerator},
          {"denominator", c.denominator},
          {"value", c.value}};
}

Status List(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Framework f, o.results->Indicators());
  json all = json::array();
  for (const indicators::Indicator& i : f.indicators) {
    if (vm.count("json")) {
      all.push_back(json::parse(i.json));
      continue;
    }
    io.out << i.code << "  [" << indicators::UnitName(i.unit) << ", "
           << indicators::ComputationName(i.computation) << "]  " << i.name.mn
           << " / " << i.name.en;
    if (i.baseline) {
      io.out << "  baseline " << indicators::FormatValue(i.baseline->value)
             << " (" << i.baseline->date.ToString() << ")";
    }
    for (const auto& t : i.targets) {
      io.out << "  target " << indicators::FormatValue(t.value) << " ("
             << t.date.ToString() << ")";
    }
    io.out << "\n";
  }
  if (vm.count("json")) io.out << all.dump(2) << "\n";
  return Status::Ok();
}

Status Compute(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(Period p, Period::Parse(Str(vm, "period")));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Comparison c,
                           o.results->Recompute(Str(vm, "code"), p, o.area));
  if (vm.count("json")) {
    json j = {{"indicator", c.live.code},
              {"period", p.Name()},
              {"area", c.live.area},
              {"reference_date", c.live.reference.ToString()},
              {"unit", indicators::UnitName(c.live.unit)},
              {"live", json::array()},
              {"frozen", nullptr},
              {"differences", json::array()}};
    for (const auto& cell : c.live.cells) j["live"].push_back(CellJson(cell));
    if (c.frozen) {
      j["frozen"] = {{"frozen_by", c.frozen->frozen_by},
                     {"frozen_at", c.frozen->frozen_at},
                     {"register_version", c.frozen->register_version},
                     {"parameters_version", c.frozen->parameters_version},
                     {"cells", json::array()}};
      for (const auto& cell : c.frozen_cells) {
        j["frozen"]["cells"].push_back(CellJson(cell));
      }
    }
    for (const auto& d : c.differences) {
      indicators::Cell k{d.by, 0, 0, 0};
      j["differences"].push_back(
          {{"by", CellJson(k)["by"]}, {"frozen", d.frozen}, {"live", d.live}});
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << c.live.code << " " << p.Name() << " area " << c.live.area
         << " (reference date " << c.live.reference.ToString() << ", "
         << indicators::UnitName(c.live.unit) << ")\n";
  for (const auto& cell : c.live.cells) {
    io.out << "  " << By(cell) << ": " << indicators::FormatValue(cell.value)
           << " (" << cell.numerator << "/" << cell.denominator << ")\n";
  }
  if (c.frozen) {
    io.out << "frozen by " << c.frozen->frozen_by << " at "
           << c.frozen->frozen_at
           << "; differences (frozen -> live): " << c.differences.size()
           << "\n";
    for (const auto& d : c.differences) {
      indicators::Cell k{d.by, 0, 0, 0};
      io.out << "  " << By(k) << ": " << indicators::FormatValue(d.frozen)
             << " -> " << indicators::FormatValue(d.live) << "\n";
    }
  }
  return Status::Ok();
}

Status Freeze(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(Period p, Period::Parse(Str(vm, "period")));
  MALCHIN_ASSIGN_OR_RETURN(indicators::FrozenValue v,
                           o.results->Freeze(Str(vm, "code"), p, o.area));
  io.out << "frozen " << v.indicator << " " << v.period << " area " << v.area
         << " (id " << v.id << ", register version " << v.register_version
         << ", parameters " << v.parameters_version << ")\n";
  return Status::Ok();
}

Status Load(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  std::string path = Str(vm, "file");
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(auto codes, o.results->Load(path, text));
  for (const auto& c : codes) io.out << "loaded " << c << "\n";
  return Status::Ok();
}

// The periods of --period (repeatable; "2019..2021" is a range).
Result<std::vector<Period>> Periods(const po::variables_map& vm) {
  std::vector<Period> out;
  for (const std::string& text : vm["period"].as<std::vector<std::string>>()) {
    size_t dots = text.find("..");
    if (dots == std::string::npos) {
      MALCHIN_ASSIGN_OR_RETURN(Period p, Period::Parse(text));
      out.push_back(p);
      continue;
    }
    MALCHIN_ASSIGN_OR_RETURN(Period a, Period::Parse(text.substr(0, dots)));
    MALCHIN_ASSIGN_OR_RETURN(Period b, Period::Parse(text.substr(dots + 2)));
    MALCHIN_ASSIGN_OR_RETURN(auto range, indicators::PeriodRange(a, b));
    out.insert(out.end(), range.begin(), range.end());
  }
  return out;
}

std::vector<std::string> Codes(const po::variables_map& vm) {
  return vm.count("code") ? vm["code"].as<std::vector<std::string>>()
                          : std::vector<std::string>{};
}

// The values to export: the frozen one where a period is frozen.
Result<std::vector<indicators::IndicatorValue>> ValuesToExport(
    const po::variables_map& vm, Opened& o, const std::vector<Period>& ps,
    Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(
      indicators::FrameworkReport r,
      indicators::BuildReport(*o.results, Codes(vm), ps, o.area));
  std::vector<indicators::IndicatorValue> values;
  for (auto& row : r.rows) {
    for (size_t k = 0; k < ps.size(); ++k) {
      if (row.values[k]) {
        values.push_back(std::move(row.values[k]->value));
      } else if (vm.count("code")) {
        return Status::FailedPrecondition(row.missing[k]);
      } else {
        io.err << "skipped: " << row.missing[k] << "\n";
      }
    }
  }
  return values;
}

// Exporting every indicator to DHIS2 leaves out (saying so) those the
// mapping has no data element for; one asked for by --code is an error.
std::vector<indicators::IndicatorValue> Mapped(
    const po::variables_map& vm, const indicators::Dhis2Mapping& mapping,
    std::vector<indicators::IndicatorValue> values, Io& io) {
  if (vm.count("code")) return values;
  std::vector<indicators::IndicatorValue> out;
  for (auto& v : values) {
    if (mapping.data_elements.count(v.code)) {
      out.push_back(std::move(v));
    } else {
      io.err << "skipped: " << v.code
             << " has no data element in the DHIS2 mapping\n";
    }
  }
  return out;
}

Result<indicators::Dhis2Mapping> Mapping(const po::variables_map& vm) {
  indicators::Dhis2Mapping mapping = indicators::EmbeddedDhis2Mapping();
  if (vm.count("mapping")) {
    MALCHIN_ASSIGN_OR_RETURN(std::string text,
                             csv::ReadFile(Str(vm, "mapping")));
    MALCHIN_ASSIGN_OR_RETURN(
        mapping, indicators::ParseDhis2Mapping(Str(vm, "mapping"), text));
  }
  return mapping;
}

Result<std::string> Render(const po::variables_map& vm, Opened& o,
                           const std::vector<Period>& ps, Io& io) {
  std::string format = Str(vm, "format");
  if (format == "xlsx") {
    if (!vm.count("out")) {
      return Status::InvalidArgument(
          "--format xlsx-д --out FILE хэрэгтэй / --format xlsx: expected "
          "--out FILE",
          "out");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        indicators::FrameworkReport r,
        indicators::BuildReport(*o.results, Codes(vm), ps, o.area));
    return indicators::FrameworkXlsx(r);
  }
  if (format != "csv" && format != "dhis2-json" && format != "adx") {
    return Status::InvalidArgument(
        "--format '" + format + "': dhis2-json, adx, csv эсвэл xlsx / " +
            "--format '" + format + "': expected dhis2-json, adx, csv or xlsx",
        "format");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto v, ValuesToExport(vm, o, ps, io));
  if (format == "csv") return indicators::ExportCsv(v);
  MALCHIN_ASSIGN_OR_RETURN(indicators::Dhis2Mapping mapping, Mapping(vm));
  v = Mapped(vm, mapping, std::move(v), io);
  if (format == "dhis2-json") {
    return indicators::ExportDataValueSets(mapping, v);
  }
  return indicators::ExportAdx(mapping, v, o.db->session().clock().NowIso());
}

Status Export(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Period> ps, Periods(vm));
  MALCHIN_ASSIGN_OR_RETURN(std::string out, Render(vm, o, ps, io));
  if (!vm.count("out")) {
    io.out << out;
    return Status::Ok();
  }
  std::string path = Str(vm, "out"), tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << out;
    if (!f.good()) return Status::Unavailable("cannot write " + tmp);
  }
  std::rename(tmp.c_str(), path.c_str());
  io.err << "wrote " << path << "\n";
  return Status::Ok();
}

// --- push to DHIS2 -----------------------------------------------------------

// From --credentials FILE, else the environment; never from argv.
Result<indicators::Dhis2Credentials> Credentials(const po::variables_map& vm) {
  if (vm.count("credentials")) {
    std::string path = Str(vm, "credentials");
    MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
    return indicators::ParseCredentials(path, text);
  }
  return indicators::CredentialsFromEnv(
      [](const char* name) { return std::getenv(name); });
}

indicators::Dhis2Post PostTo(const indicators::Dhis2Server& server) {
  return [server](const std::string& target, const std::string& body,
                  const std::vector<std::pair<std::string, std::string>>& h)
             -> Result<indicators::Dhis2Answer> {
    net::Client client(server.host, server.port, std::chrono::seconds(60));
    MALCHIN_ASSIGN_OR_RETURN(http::Response r,
                             client.Send("POST", target, body, h));
    return indicators::Dhis2Answer{r.status, r.body};
  };
}

void PrintSummary(const indicators::PushOutcome& o, Io& io) {
  const indicators::PushRecord& r = o.record;
  io.out << (r.dry_run ? "dry run" : "push") << " " << r.id << " to "
         << r.server << " (" << r.period << "): HTTP " << r.http_status << ", "
         << r.import_status << "\n";
  if (!o.summary) return;
  const indicators::ImportSummary& s = *o.summary;
  io.out << "  imported " << s.imported << ", updated " << s.updated
         << ", ignored " << s.ignored << ", deleted " << s.deleted << "\n";
  for (const auto& c : s.conflicts) {
    io.out << "  conflict: " << c.object << ": " << c.value << "\n";
  }
}

Status Push(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(indicators::Dhis2Server server,
                           indicators::ParseServerUrl(Str(vm, "server")));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Dhis2Credentials credentials,
                           Credentials(vm));
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Period> ps, Periods(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto values, ValuesToExport(vm, o, ps, io));
  MALCHIN_ASSIGN_OR_RETURN(indicators::Dhis2Mapping mapping, Mapping(vm));
  values = Mapped(vm, mapping, std::move(values), io);
  MALCHIN_ASSIGN_OR_RETURN(std::string payload,
                           indicators::ExportDataValueSets(mapping, values));
  std::string period;
  for (const Period& p : ps) period += (period.empty() ? "" : ",") + p.Name();
  indicators::Dhis2Pusher pusher(o.db->session(), PostTo(server));
  MALCHIN_ASSIGN_OR_RETURN(
      indicators::PushOutcome out,
      pusher.Push(server, credentials, period, payload, vm.count("dry-run")));
  PrintSummary(out, io);
  if (out.summary->status == "ERROR" || !out.summary->conflicts.empty()) {
    return Status::FailedPrecondition(
        "DHIS2 " + std::to_string(out.summary->conflicts.size()) +
        " зөрчил мэдээлэв (дээр) / DHIS2 reported " +
        std::to_string(out.summary->conflicts.size()) +
        " conflict(s), listed above; status " + out.summary->status);
  }
  return Status::Ok();
}

Status Pushes(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  indicators::Dhis2Pusher pusher(o.db->session(), nullptr);
  MALCHIN_ASSIGN_OR_RETURN(auto all, pusher.Pushes());
  json list = json::array();
  for (const indicators::PushRecord& r : all) {
    if (vm.count("json")) {
      list.push_back(
          {{"id", r.id},
           {"pushed_by", r.pushed_by},
           {"pushed_at", r.pushed_at},
           {"server", r.server},
           {"period", r.period},
           {"dry_run", r.dry_run},
           {"http_status", r.http_status},
           {"import_status", r.import_status},
           {"payload_sha256", r.payload_sha256},
           {"summary", json::parse(r.summary_json, nullptr, false)}});
      continue;
    }
    io.out << r.id << "  " << r.pushed_at << "  " << r.pushed_by << "  "
           << (r.dry_run ? "dry run" : "push") << "  " << r.server << "  "
           << r.period << "  HTTP " << r.http_status << "  " << r.import_status
           << "  " << r.summary_json << "\n";
  }
  if (vm.count("json")) io.out << list.dump(2) << "\n";
  return Status::Ok();
}

void Common(po::options_description& d) {
  DbOption(d);
  d.add_options()("soum", po::value<std::string>(),
                  "only this soum (NSO code or name)")(
      "aimag", po::value<std::string>(), "only this aimag (NSO code or name)")(
      "user", po::value<std::string>(),
      "acting account of this register (its area applies)");
}

void CodePeriod(po::options_description& d) {
  Common(d);
  d.add_options()("code", po::value<std::string>()->required(),
                  "the indicator's code (see `malchin indicator list`)")(
      "period", po::value<std::string>()->required(),
      "2020 (year), 2020Q1 (quarter) or 2020-01 (month); the reference date "
      "is its last day")("json", "JSON output");
}

}  // namespace

void AddIndicatorCommands(std::vector<Command>* c) {
  c->push_back({"indicator list",
                "the results framework: shipped and loaded indicators",
                [](po::options_description& d) {
                  Common(d);
                  d.add_options()("json", "JSON output");
                },
                List, ""});
  c->push_back({"indicator compute",
                "an indicator's value for a period and area, with its "
                "disaggregations (and the frozen value and difference)",
                CodePeriod, Compute, ""});
  c->push_back({"indicator freeze",
                "freeze an indicator's value for a period and area", CodePeriod,
                Freeze, ""});
  c->push_back({"indicator load", "add indicators from a framework file",
                [](po::options_description& d) {
                  Common(d);
                  d.add_options()("file", po::value<std::string>()->required(),
                                  "a file in the format of framework.json");
                },
                Load, ""});
  c->push_back(
      {"indicator export",
       "export values as DHIS2 dataValueSets JSON, ADX XML, CSV, or the "
       "results framework as XLSX",
       [](po::options_description& d) {
         Common(d);
         d.add_options()("format", po::value<std::string>()->required(),
                         "dhis2-json | adx | csv | xlsx")(
             "period", po::value<std::vector<std::string>>()->required(),
             "2020, 2020Q1 or 2020-01 (repeatable), or a range 2019..2021")(
             "code", po::value<std::vector<std::string>>(),
             "an indicator (repeatable); default: every indicator that can "
             "be computed")("mapping", po::value<std::string>(),
                            "a DHIS2 mapping file (default: the shipped one, "
                            "placeholder UIDs)")(
             "out", po::value<std::string>(), "write to this file");
       },
       Export, ""});
  c->push_back(
      {"indicator push",
       "send values to a DHIS2 server (POST /api/dataValueSets; a dry run of "
       "the same payload first), keeping its import summary",
       [](po::options_description& d) {
         Common(d);
         d.add_options()("server", po::value<std::string>()->required(),
                         "the DHIS2 server, http://127.0.0.1:PORT[/path] (a "
                         "local TLS forwarder for a remote https server)")(
             "period", po::value<std::vector<std::string>>()->required(),
             "2020, 2020Q1 or 2020-01 (repeatable), or a range 2019..2021")(
             "code", po::value<std::vector<std::string>>(),
             "an indicator (repeatable); default: every mapped indicator")(
             "mapping", po::value<std::string>(), "a DHIS2 mapping file")(
             "dry-run", "ask DHIS2 to check the import without saving it")(
             "credentials", po::value<std::string>(),
             "a file with username:password or a token (default: "
             "DHIS2_TOKEN or DHIS2_USERNAME/DHIS2_PASSWORD)");
       },
       Push, ""});
  c->push_back({"indicator pushes",
                "the pushes and dry runs to DHIS2 with their import summaries",
                [](po::options_description& d) {
                  Common(d);
                  d.add_options()("json", "JSON output");
                },
                Pushes, ""});
}

}  // namespace malchin::cli
