// CLI commands of the register: init, import, export, stats, show,
// deactivate.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/exports.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "exchange/exchange.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "registry/population.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

Result<Date> DateOption(const po::variables_map& vm, const char* name,
                        Date fallback) {
  if (!vm.count(name)) return fallback;
  auto d = Date::Parse(vm[name].as<std::string>());
  if (!d.ok()) return d.status().WithContext(std::string("--") + name);
  return d;
}

void AreaOptions(po::options_description& d) {
  d.add_options()("soum", po::value<std::string>(),
                  "only this soum or district (NSO code or name)")(
      "aimag", po::value<std::string>(),
      "only this aimag (NSO code or name, e.g. 181 or Zavkhan)");
}

Status Init(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(auto counts, store->Register().CountActive());
  io.out << "register " << store->database().url() << " ready (schema "
         << store->database().schema_version() << ", " << counts.households
         << " households, " << counts.persons << " persons)\n";
  return Status::Ok();
}

json ReportJson(const exchange::ImportReport& r) {
  json j;
  j["written"] = r.written;
  j["household_rows"] = r.household_rows;
  j["person_rows"] = r.person_rows;
  j["rejected_households"] = r.rejected_households;
  j["rejected_persons"] = r.rejected_persons;
  j["counts"] = {{"households_inserted", r.counts.households_inserted},
                 {"households_updated", r.counts.households_updated},
                 {"households_unchanged", r.counts.households_unchanged},
                 {"persons_inserted", r.counts.persons_inserted},
                 {"persons_updated", r.counts.persons_updated},
                 {"persons_unchanged", r.counts.persons_unchanged}};
  j["warnings"] = r.warnings;
  j["errors"] = json::array();
  for (const auto& e : r.errors) {
    j["errors"].push_back({{"file", e.file},
                           {"line", e.line},
                           {"column", e.column},
                           {"value", e.value},
                           {"expected", e.expected},
                           {"message", e.ToString()}});
  }
  j["duplicates"] = json::array();
  for (const auto& d : r.duplicates) {
    j["duplicates"].push_back({{"file", d.file},
                               {"line", d.line},
                               {"register_no", d.register_no},
                               {"other_register_no", d.other_register_no},
                               {"message", d.ToString()}});
  }
  return j;
}

Status Import(const po::variables_map& vm, Io& io) {
  exchange::ImportOptions opt;
  opt.actor = CliActor();
  opt.keep_valid = vm.count("keep-valid") > 0;
  if (vm.count("rejects")) opt.rejects_dir = vm["rejects"].as<std::string>();
  if (opt.keep_valid && opt.rejects_dir.empty()) {
    return Status::InvalidArgument("--keep-valid needs --rejects DIR");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  std::string hh_path = vm["households"].as<std::string>();
  std::string p_path = vm["persons"].as<std::string>();
  // Streamed from disk: ImportRegister reads the files in pieces.
  for (const std::string& f : {hh_path, p_path}) {
    if (!std::ifstream(f)) return Status::NotFound("cannot open " + f);
  }
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(
      exchange::ImportReport r,
      exchange::ImportRegister(store->Register(), *geo, {hh_path, "", hh_path},
                               {p_path, "", p_path}, opt));
  if (vm.count("json")) {
    io.out << ReportJson(r).dump(2) << "\n";
  } else {
    for (const auto& w : r.warnings) io.err << "warning: " << w << "\n";
    for (const auto& e : r.errors) io.err << "error: " << e.ToString() << "\n";
    for (const auto& d : r.duplicates)
      io.err << "review: " << d.ToString() << "\n";
    io.out << "households: " << r.household_rows << " rows, "
           << r.counts.households_inserted << " new, "
           << r.counts.households_updated << " updated, "
           << r.counts.households_unchanged << " unchanged, "
           << r.rejected_households << " rejected\n"
           << "persons:    " << r.person_rows << " rows, "
           << r.counts.persons_inserted << " new, " << r.counts.persons_updated
           << " updated, " << r.counts.persons_unchanged << " unchanged, "
           << r.rejected_persons << " rejected\n";
    if (!r.duplicates.empty()) {
      io.out << r.duplicates.size()
             << " possible duplicate(s) listed for review (never merged)\n";
    }
    if (opt.keep_valid && !r.errors.empty()) {
      io.out << "rejected rows and errors written to " << opt.rejects_dir
             << "\n";
    }
  }
  if (!r.written) {
    return Status::InvalidArgument(
        "nothing was written: " + std::to_string(r.errors.size()) +
        " error(s) in " +
        std::to_string(r.rejected_households + r.rejected_persons) + " row(s)" +
        (r.rejected_households + r.rejected_persons
             ? "; fix them, or use --keep-valid --rejects DIR to import the "
               "valid rows"
             : ""));
  }
  return Status::Ok();
}

Status Export(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, AreaOption(vm, *geo));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  std::string dir = vm["out"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(
      auto c, exchange::ExportRegister(store->Register(), area, dir));
  // One audit entry for the files (who, which, how many persons, area), as
  // the API's exports (issue #14).
  MALCHIN_RETURN_IF_ERROR(api::RecordBulkRead(
      store->session(), "register.export",
      dir + "/households.csv," + dir + "/persons.csv", c.persons, area));
  io.out << "wrote " << c.households << " households to " << dir
         << "/households.csv and " << c.persons << " persons to " << dir
         << "/persons.csv\n";
  return Status::Ok();
}

std::string AreaName(const geo::Geography& geo, int32_t code, bool mn) {
  if (code == 0) return mn ? "Улс" : "Mongolia";
  const geo::Unit* u = geo.Find(code);
  if (!u) return std::to_string(code);
  return mn ? u->name_mn : u->name_en;
}

Status Stats(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  std::string by = vm["by"].as<std::string>();
  registry::AreaLevel level;
  if (by == "nation") {
    level = registry::AreaLevel::kNation;
  } else if (by == "aimag") {
    level = registry::AreaLevel::kAimag;
  } else if (by == "soum") {
    level = registry::AreaLevel::kSoum;
  } else {
    return Status::InvalidArgument("--by '" + by +
                                   "': expected nation, aimag or soum");
  }
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, AreaOption(vm, *geo));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  Date as_of = Date::TodayUtc();
  MALCHIN_ASSIGN_OR_RETURN(auto meta,
                           store->session().GetMeta("register.as_of"));
  if (meta) {
    auto d = Date::Parse(*meta);
    if (d.ok()) as_of = *d;
  }
  MALCHIN_ASSIGN_OR_RETURN(as_of, DateOption(vm, "as-of", as_of));
  MALCHIN_ASSIGN_OR_RETURN(auto factors,
                           registry::SheepUnitFactors::On(*params, as_of));
  MALCHIN_ASSIGN_OR_RETURN(registry::Population pop,
                           store->Register().LoadPopulation(area));
  auto stats = registry::ComputeStats(pop, as_of, level, factors);
  bool mn = vm["lang"].as<std::string>() == "mn";
  if (vm.count("json")) {
    json j;
    j["as_of"] = as_of.ToString();
    j["by"] = by;
    j["age_bands"] = json::array();
    for (int b = 0; b < registry::kAgeBandCount; ++b) {
      j["age_bands"].push_back(registry::AgeBandName(b));
    }
    j["areas"] = json::array();
    for (const auto& s : stats) {
      json a = {{"code", s.code},
                {"name_en", AreaName(*geo, s.code, false)},
                {"name_mn", AreaName(*geo, s.code, true)},
                {"households", s.households},
                {"herder_households", s.herder_households},
                {"female_headed_households", s.female_headed_households},
                {"persons", s.persons},
                {"herders", s.herders},
                {"children_0_17", s.children},
                {"with_disability", s.with_disability},
                {"sheep_units", std::llround(s.sheep_units)}};
      json cells = json::array();
      for (int x = 0; x < 2; ++x) {
        for (int b = 0; b < registry::kAgeBandCount; ++b) {
          cells.push_back({{"sex", x == 0 ? "F" : "M"},
                           {"age_band", registry::AgeBandName(b)},
                           {"persons", s.cells[x][b].persons},
                           {"with_disability", s.cells[x][b].with_disability}});
        }
      }
      a["by_sex_age"] = std::move(cells);
      if (&s == &stats.back() && level != registry::AreaLevel::kNation) {
        j["total"] = std::move(a);
      } else {
        j["areas"].push_back(std::move(a));
      }
    }
    if (level == registry::AreaLevel::kNation) {
      j["total"] = j["areas"].empty() ? json() : j["areas"][0];
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  // Human table.
  char line[256];
  io.out << (mn ? "Бүртгэл " : "Register on ") << as_of.ToString() << "\n";
  std::snprintf(line, sizeof line,
                "%-7s %-20s %10s %9s %10s %9s %10s %8s %8s %12s\n", "code",
                mn ? "нэр" : "area", mn ? "өрх" : "households",
                mn ? "малчин өрх" : "herder hh", mn ? "хүн" : "persons",
                mn ? "малчин" : "herders", mn ? "хүүхэд" : "children",
                mn ? "ХБИ" : "disabled", mn ? "эм.тэрг" : "fem.head",
                mn ? "хонин толгой" : "sheep units");
  io.out << line;
  for (const auto& s : stats) {
    std::string name = AreaName(*geo, s.code, mn);
    if (&s == &stats.back() && level != registry::AreaLevel::kNation) {
      name = mn ? "Нийт" : "Total";
    }
    std::snprintf(line, sizeof line,
                  "%-7s %-20s %10lld %9lld %10lld %9lld %10lld %8lld %8lld "
                  "%12lld\n",
                  s.code ? std::to_string(s.code).c_str() : "-",
                  name.substr(0, 40).c_str(), (long long)s.households,
                  (long long)s.herder_households, (long long)s.persons,
                  (long long)s.herders, (long long)s.children,
                  (long long)s.with_disability,
                  (long long)s.female_headed_households,
                  (long long)std::llround(s.sheep_units));
    io.out << line;
  }
  const auto& t = stats.back();
  io.out << "\n"
         << (mn ? "Нас, хүйсээр (нийт)" : "By sex and age (total)") << "\n";
  std::snprintf(line, sizeof line, "%-8s %12s %12s %12s %12s\n",
                mn ? "нас" : "age", mn ? "эмэгтэй" : "female",
                mn ? "эрэгтэй" : "male", mn ? "эм. ХБИ" : "female disab.",
                mn ? "эр. ХБИ" : "male disab.");
  io.out << line;
  for (int b = 0; b < registry::kAgeBandCount; ++b) {
    std::snprintf(line, sizeof line, "%-8s %12lld %12lld %12lld %12lld\n",
                  std::string(registry::AgeBandName(b)).c_str(),
                  (long long)t.cells[0][b].persons,
                  (long long)t.cells[1][b].persons,
                  (long long)t.cells[0][b].with_disability,
                  (long long)t.cells[1][b].with_disability);
    io.out << line;
  }
  return Status::Ok();
}

json PersonToJson(const registry::Person& p) {
  json j = {{"register_no", p.register_no},
            {"household_id", p.household_id},
            {"family_name", p.family_name},
            {"father_name", p.father_name},
            {"given_name", p.given_name},
            {"sex", std::string(registry::SexCode(p.sex))},
            {"birth_date", p.birth_date.ToString()},
            {"relation", std::string(registry::RelationName(p.relation))},
            {"disability", p.disability},
            {"herder", p.herder},
            {"phone", p.phone},
            {"bank_account", p.bank_account},
            {"active", !p.deactivated}};
  if (p.deactivated) {
    j["deactivated_on"] = p.deactivated->on.ToString();
    j["deactivation_reason"] = p.deactivated->reason;
  }
  return j;
}

Status Show(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  std::string household_id;
  if (vm.count("person")) {
    std::string rn =
        registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
    MALCHIN_ASSIGN_OR_RETURN(auto p, store->Register().FindPerson(rn));
    if (!p) return Status::NotFound("no person with register number " + rn);
    household_id = p->household_id;
  } else if (vm.count("household")) {
    household_id = vm["household"].as<std::string>();
  } else {
    return Status::InvalidArgument(
        "give --person REGISTER_NO or --household ID");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto h,
                           store->Register().FindHousehold(household_id));
  if (!h) return Status::NotFound("no household " + household_id);
  MALCHIN_ASSIGN_OR_RETURN(auto members,
                           store->Register().Members(household_id));
  json j = {
      {"household_id", h->id}, {"soum_code", h->soum_code},
      {"bag", h->bag},         {"current_soum_code", h->current_soum_code},
      {"herder", h->herder},   {"cooperative", h->cooperative},
      {"phone", h->phone},     {"active", !h->deactivated}};
  for (int s = 0; s < registry::kSpeciesCount; ++s) {
    j["herd"]
     [std::string(registry::SpeciesName(static_cast<registry::Species>(s)))] =
         h->herd.head[s];
  }
  if (h->lat) j["lat"] = *h->lat;
  if (h->lon) j["lon"] = *h->lon;
  j["members"] = json::array();
  for (const auto& m : members) j["members"].push_back(PersonToJson(m));
  io.out << j.dump(2) << "\n";
  return Status::Ok();
}

Status Deactivate(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateOption(vm, "date", Date::TodayUtc()));
  registry::Deactivation d{on, vm["reason"].as<std::string>()};
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  if (vm.count("person") == vm.count("household")) {
    return Status::InvalidArgument(
        "give exactly one of --person or --household");
  }
  if (vm.count("person")) {
    std::string rn =
        registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
    MALCHIN_RETURN_IF_ERROR(store->Register().DeactivatePerson(
        rn, d, {CliActor(), "cli deactivate"}));
    io.out << "person " << rn << " deactivated on " << on.ToString() << "\n";
  } else {
    std::string id = vm["household"].as<std::string>();
    MALCHIN_RETURN_IF_ERROR(store->Register().DeactivateHousehold(
        id, d, {CliActor(), "cli deactivate"}));
    io.out << "household " << id << " deactivated on " << on.ToString() << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddRegistryCommands(std::vector<Command>* c) {
  c->push_back({"init", "create an empty register (or upgrade an old one)",
                DbOption, Init, ""});
  c->push_back(
      {"import", "import households.csv and persons.csv into the register",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("households", po::value<std::string>()->required(),
                         "households CSV file")(
             "persons", po::value<std::string>()->required(),
             "persons CSV file")("keep-valid",
                                 "write the valid rows even if some are bad")(
             "rejects", po::value<std::string>(),
             "folder for rejected rows and errors.csv (with --keep-valid)")(
             "json", "print the report as JSON");
       },
       Import,
       "\nBy default nothing is written if any row is bad; every bad row is "
       "reported\n(file, line, column, value, expected). Re-importing the "
       "same files changes\nnothing. Possible duplicate persons are listed "
       "for review, never merged.\n"});
  c->push_back({"export", "write the register (or an area) as CSV files",
                [](po::options_description& d) {
                  DbOption(d);
                  d.add_options()("out", po::value<std::string>()->required(),
                                  "output folder");
                  AreaOptions(d);
                },
                Export, ""});
  c->push_back(
      {"stats",
       "households, persons, herders, sheep units and children by area x sex "
       "x age",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("by", po::value<std::string>()->default_value("aimag"),
                         "nation | aimag | soum")(
             "as-of", po::value<std::string>(),
             "reference date for ages (default: the register's date, else "
             "today)")("json", "print JSON instead of a table")(
             "lang", po::value<std::string>()->default_value("en"),
             "en | mn (names and labels)");
         AreaOptions(d);
       },
       Stats, ""});
  c->push_back({"show", "a household with its members, as JSON",
                [](po::options_description& d) {
                  DbOption(d);
                  d.add_options()("person", po::value<std::string>(),
                                  "register number of a member")(
                      "household", po::value<std::string>(), "household id");
                },
                Show, ""});
  c->push_back(
      {"deactivate", "mark a person or household inactive (never deleted)",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("person", po::value<std::string>(), "register number")(
             "household", po::value<std::string>(), "household id")(
             "reason", po::value<std::string>()->required(),
             "why (e.g. died, moved abroad, duplicate)")(
             "date", po::value<std::string>(),
             "effective date YYYY-MM-DD (default today)");
       },
       Deactivate, ""});
}

}  // namespace malchin::cli
