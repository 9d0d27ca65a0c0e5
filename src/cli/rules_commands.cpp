// CLI commands of the rule language: rule check, rule preview, rule explain.
// The language is described in docs/rules.md.
#include <cctype>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "csv/csv.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "registry/population.h"
#include "registry/register_number.h"
#include "rules/evaluator.h"
#include "rules/frame.h"
#include "rules/rule.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t0)
      .count();
}

// --- Options shared by the three commands ------------------------------------

void RuleOptions(po::options_description& d) {
  d.add_options()("rule", po::value<std::string>(),
                  "eligibility condition, e.g. \"age <= 5 and "
                  "event.severity >= high\"")(
      "file", po::value<std::string>(),
      "read the eligibility condition from this file ('#' starts a comment)")(
      "amount", po::value<std::string>(),
      "amount in MNT per beneficiary: a number or a formula, e.g. \"if age "
      "< 3 then 30000 else 20000\"")(
      "unit", po::value<std::string>()->default_value("person"),
      "person | household (tested on the household's payee, who is paid)")(
      "cap", po::value<int64_t>(), "at most this many MNT per household")(
      "cap-order", po::value<std::string>()->default_value("youngest"),
      "how a cap is shared: youngest | proportional");
}

void ContextOptions(po::options_description& d) {
  DbOption(d);
  d.add_options()(
      "as-of", po::value<std::string>(),
      "cut-off date for ages and parameters (default: the register's date, "
      "else today)")("severity", po::value<std::string>(),
                     "CSV of the event's soums: columns soum (code or name), "
                     "severity (none, low, medium, high, very high), "
                     "optional aimag")(
      "lang", po::value<std::string>()->default_value("en"),
      "en | mn (names and explanations)");
}

Result<std::string> EligibilityText(const po::variables_map& vm) {
  if (vm.count("rule") == vm.count("file")) {
    return Status::InvalidArgument(
        "give exactly one of --rule TEXT or --file F");
  }
  if (vm.count("rule")) return vm["rule"].as<std::string>();
  return csv::ReadFile(vm["file"].as<std::string>());
}

std::string SourceName(const po::variables_map& vm) {
  return vm.count("file") ? vm["file"].as<std::string>() : "eligibility";
}

// The rule's settings; the amount is `default_amount` if --amount is absent.
Result<rules::RuleSpec> SpecFromOptions(const po::variables_map& vm,
                                        const std::string& default_amount) {
  rules::RuleSpec spec;
  MALCHIN_ASSIGN_OR_RETURN(spec.eligibility, EligibilityText(vm));
  spec.amount =
      vm.count("amount") ? vm["amount"].as<std::string>() : default_amount;
  const std::string unit = vm["unit"].as<std::string>();
  if (unit == "person") {
    spec.unit = rules::Unit::kPerson;
  } else if (unit == "household") {
    spec.unit = rules::Unit::kHousehold;
  } else {
    return Status::InvalidArgument("--unit '" + unit +
                                   "': expected person or household");
  }
  if (vm.count("cap")) spec.cap_per_household = vm["cap"].as<int64_t>();
  const std::string order = vm["cap-order"].as<std::string>();
  if (order == "youngest") {
    spec.cap_order = rules::CapOrder::kYoungestFirst;
  } else if (order == "proportional") {
    spec.cap_order = rules::CapOrder::kProportional;
  } else {
    return Status::InvalidArgument("--cap-order '" + order +
                                   "': expected youngest or proportional");
  }
  return spec;
}

// Prints every problem (with its caret excerpt) to stderr; the Status says
// how many there were (exit code 2).
Status ReportDiagnostics(const std::vector<rules::Diagnostic>& diags,
                         const Status& first, std::string_view eligibility_name,
                         Io& io) {
  for (rules::Diagnostic d : diags) {
    if (d.source_name == "eligibility") d.source_name = eligibility_name;
    std::string text = d.ToString();
    if (!text.empty() && text.back() != '\n') text += '\n';
    io.err << text;
  }
  if (diags.empty()) return first;
  return Status::InvalidArgument(
      std::to_string(diags.size()) +
      (diags.size() == 1 ? " problem" : " problems") + " in the rule");
}

Result<rules::Rule> CompileRule(const po::variables_map& vm,
                                const rules::RuleSpec& spec,
                                const rules::Schema& schema, Io& io) {
  std::vector<rules::Diagnostic> diags;
  auto rule = rules::Rule::Compile(spec, schema, &diags);
  if (!rule.ok()) {
    return ReportDiagnostics(diags, rule.status(), SourceName(vm), io);
  }
  return rule;
}

// Reads the event's severities: a header with `severity` and `soum` (or
// `soum_code`), optionally `aimag` to tell apart soums of the same name.
Result<rules::EventContext> ReadSeverities(const std::string& path,
                                           const geo::Geography& geo) {
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  rules::EventContext ev;
  ev.name = path;
  std::optional<csv::Header> header;
  int soum_col = -1, sev_col = -1, aimag_col = -1;
  MALCHIN_RETURN_IF_ERROR(
      csv::ReadRecords(path, data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header, csv::Header::Make(path, r, {"severity"},
                                        {"soum", "soum_code", "aimag"}));
          soum_col = header->Index("soum");
          if (soum_col < 0) soum_col = header->Index("soum_code");
          if (soum_col < 0) {
            return Status::InvalidArgument(
                path + ":1: expected a column 'soum' (or 'soum_code')");
          }
          sev_col = header->Index("severity");
          aimag_col = header->Index("aimag");
          return Status::Ok();
        }
        auto field = [&](int col) -> std::string {
          return col >= 0 && static_cast<size_t>(col) < r.fields.size()
                     ? r.fields[col]
                     : std::string();
        };
        const std::string at = path + ":" + std::to_string(r.line) + ": ";
        int32_t aimag = 0;
        if (!field(aimag_col).empty()) {
          auto a = geo.Resolve(field(aimag_col));
          if (!a.ok() || !(*a)->is_aimag_level()) {
            return Status::InvalidArgument(at + "aimag '" + field(aimag_col) +
                                           "' is not an aimag");
          }
          aimag = (*a)->code;
        }
        auto u = geo.Resolve(field(soum_col), aimag);
        if (!u.ok()) {
          return Status::InvalidArgument(at + "soum: " + u.status().message());
        }
        if ((*u)->is_aimag_level()) {
          return Status::InvalidArgument(at + "soum '" + field(soum_col) +
                                         "' is an aimag; list its soums");
        }
        auto sev = rules::ParseSeverity(field(sev_col));
        if (!sev.ok()) {
          return Status::InvalidArgument(at +
                                         "severity: " + sev.status().message());
        }
        if (!ev.severity_by_soum.emplace((*u)->code, *sev).second) {
          return Status::InvalidArgument(
              at + "soum " + std::to_string((*u)->code) + " is listed twice");
        }
        return Status::Ok();
      }));
  return ev;
}

// Everything a rule runs against except the register itself.
struct Context {
  std::shared_ptr<const geo::Geography> geo;
  std::shared_ptr<const params::ParameterSet> params;
  rules::Schema schema;
  std::optional<rules::EventContext> event;
  bool mn = false;
};

Result<Context> LoadContext(const po::variables_map& vm) {
  Context c;
  MALCHIN_ASSIGN_OR_RETURN(c.geo, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(c.params, params::ParameterSet::Embedded());
  c.schema.set_parameters(c.params);
  if (vm.count("severity")) {
    MALCHIN_ASSIGN_OR_RETURN(
        c.event, ReadSeverities(vm["severity"].as<std::string>(), *c.geo));
  }
  const std::string lang = vm["lang"].as<std::string>();
  if (lang != "en" && lang != "mn") {
    return Status::InvalidArgument("--lang '" + lang + "': expected en or mn");
  }
  c.mn = lang == "mn";
  return c;
}

Result<Date> AsOf(const po::variables_map& vm, store::Session& store) {
  if (vm.count("as-of")) {
    auto d = Date::Parse(vm["as-of"].as<std::string>());
    if (!d.ok()) return d.status().WithContext("--as-of");
    return d;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto meta, store.GetMeta("register.as_of"));
  if (meta) {
    auto d = Date::Parse(*meta);
    if (d.ok()) return d;
  }
  return Date::TodayUtc();
}

std::string AreaName(const geo::Geography& geo, int32_t code, bool mn) {
  if (code == 0) return mn ? "Улс" : "Mongolia";
  const geo::Unit* u = code < 1000 ? geo.FindAimag(code) : geo.FindSoum(code);
  if (!u) return std::to_string(code);
  return mn ? u->name_mn : u->name_en;
}

// "1,234,567".
std::string Thousands(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
    s.insert(static_cast<size_t>(i), ",");
  }
  return v < 0 ? "-" + s : s;
}

// --- rule check
// ----------------------------------------------------------------

Status Check(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  rules::Schema schema;
  schema.set_parameters(params);
  MALCHIN_ASSIGN_OR_RETURN(std::string text, EligibilityText(vm));
  std::vector<rules::Diagnostic> diags;
  auto elig =
      rules::Expression::Compile(text, rules::Expression::Kind::kCondition,
                                 schema, SourceName(vm), &diags);
  std::optional<Result<rules::Expression>> amount;
  if (vm.count("amount")) {
    amount = rules::Expression::Compile(vm["amount"].as<std::string>(),
                                        rules::Expression::Kind::kAmount,
                                        schema, "amount", &diags);
  }
  if (!diags.empty())
    return ReportDiagnostics(diags, Status(), SourceName(vm), io);
  if (vm.count("json")) {
    json j = {{"ok", true}, {"eligibility", elig->Canonical()}};
    if (amount) j["amount"] = (*amount)->Canonical();
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "eligibility: ok\n  read as: " << elig->Canonical() << "\n";
  if (amount) {
    io.out << "amount: ok\n  read as: " << (*amount)->Canonical() << "\n";
  }
  return Status::Ok();
}

// --- rule preview
// --------------------------------------------------------------

json CellJson(const rules::PreviewCell& c, bool by_soum) {
  json j;
  if (by_soum) j["soum_code"] = c.soum_code;
  j["aimag_code"] = c.aimag_code;
  j["sex"] = c.sex == registry::Sex::kFemale ? "F" : "M";
  j["age_band"] = std::string(registry::AgeBandName(c.age_band));
  j["disability"] = c.disability;
  j["beneficiaries"] = c.beneficiaries;
  j["amount"] = c.amount;
  return j;
}

json AreaJson(const rules::AreaTotal& t, const geo::Geography& geo) {
  return {{"code", t.code},
          {"name_en", AreaName(geo, t.code, false)},
          {"name_mn", AreaName(geo, t.code, true)},
          {"beneficiaries", t.beneficiaries},
          {"households", t.households},
          {"members", t.members},
          {"amount", t.amount}};
}

Status Preview(const po::variables_map& vm, Io& io) {
  const std::string by = vm["by"].as<std::string>();
  if (by != "aimag" && by != "soum") {
    return Status::InvalidArgument("--by '" + by + "': expected aimag or soum");
  }
  const bool counts_only = !vm.count("amount");
  MALCHIN_ASSIGN_OR_RETURN(rules::RuleSpec spec, SpecFromOptions(vm, "1"));
  MALCHIN_ASSIGN_OR_RETURN(Context ctx, LoadContext(vm));
  MALCHIN_ASSIGN_OR_RETURN(rules::Rule rule,
                           CompileRule(vm, spec, ctx.schema, io));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(Date as_of, AsOf(vm, store->session()));
  MALCHIN_ASSIGN_OR_RETURN(auto factors,
                           registry::SheepUnitFactors::On(*ctx.params, as_of));

  auto t0 = std::chrono::steady_clock::now();
  MALCHIN_ASSIGN_OR_RETURN(
      registry::Population pop,
      store->Register().LoadPopulation(store::AreaFilter{}));
  const double load_ms = MsSince(t0);
  t0 = std::chrono::steady_clock::now();
  MALCHIN_ASSIGN_OR_RETURN(auto frame,
                           rules::Frame::Build(pop, as_of, factors));
  const double frame_ms = MsSince(t0);
  rules::Bindings b;
  b.event = ctx.event ? &*ctx.event : nullptr;
  b.parameters = ctx.params;
  b.geography = ctx.geo.get();
  t0 = std::chrono::steady_clock::now();
  MALCHIN_ASSIGN_OR_RETURN(rules::Evaluator ev,
                           rules::Evaluator::Bind(rule, frame, b));
  rules::Preview p = ev.ComputePreview();
  const double preview_ms = MsSince(t0);

  const bool by_soum = by == "soum";
  const std::vector<rules::AreaTotal>& areas = by_soum ? p.by_soum : p.by_aimag;
  const std::vector<rules::PreviewCell>& cells =
      by_soum ? p.cells : p.aimag_cells;
  if (vm.count("json")) {
    json j;
    j["as_of"] = as_of.ToString();
    j["rule"] = {
        {"eligibility", rule.eligibility().Canonical()},
        {"amount", counts_only ? json() : json(spec.amount)},
        {"unit", vm["unit"].as<std::string>()},
        {"cap_per_household",
         spec.cap_per_household ? json(*spec.cap_per_household) : json()}};
    j["event_soums"] = ctx.event ? ctx.event->severity_by_soum.size() : 0;
    j["persons"] = pop.persons();
    j["households"] = pop.households();
    j["by"] = by;
    j["national"] = AreaJson(p.national, *ctx.geo);
    j["areas"] = json::array();
    for (const auto& a : areas) j["areas"].push_back(AreaJson(a, *ctx.geo));
    j["cells"] = json::array();
    for (const auto& c : cells) j["cells"].push_back(CellJson(c, by_soum));
    j["not_paid"] = {{"unknown_eligibility", p.unknown_eligibility},
                     {"unknown_amount", p.unknown_amount},
                     {"zero_amount", p.zero_amount}};
    j["capped_households"] = p.capped_households;
    j["amount_before_cap"] = p.amount_before_cap;
    j["timing_ms"] = {
        {"load", load_ms}, {"frame", frame_ms}, {"preview", preview_ms}};
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }

  const bool mn = ctx.mn;
  io.out << (mn ? "Нөхцөл: " : "Rule: ") << rule.eligibility().Canonical()
         << "\n";
  if (!counts_only) {
    io.out << (mn ? "Дүн: " : "Amount: ") << rule.amount().Canonical()
           << (spec.unit == rules::Unit::kHousehold
                   ? (mn ? " (өрхөд)" : " per household")
                   : (mn ? " (хүнд)" : " per person"))
           << (spec.cap_per_household
                   ? std::string(mn ? ", өрхийн дээд хэмжээ " : ", cap ") +
                         Thousands(*spec.cap_per_household)
                   : std::string())
           << "\n";
  }
  io.out << (mn ? "Тооцох огноо " : "Cut-off date ") << as_of.ToString() << "; "
         << (ctx.event ? std::to_string(ctx.event->severity_by_soum.size()) +
                             (mn ? " сум гамшигт өртсөн" : " event soums")
                       : std::string(mn ? "гамшиг заагаагүй" : "no event"))
         << "\n";
  char line[256];
  std::snprintf(line, sizeof line,
                "%s: %s %s, %s %s; %s %.0f ms, frame %.0f ms, "
                "preview %.1f ms\n",
                mn ? "Бүртгэл" : "Register", Thousands(pop.persons()).c_str(),
                mn ? "хүн" : "persons", Thousands(pop.households()).c_str(),
                mn ? "өрх" : "households", mn ? "ачаалсан" : "loaded in",
                load_ms, frame_ms, preview_ms);
  io.out << line << "\n";
  std::snprintf(line, sizeof line, "%-7s %-22s %14s %12s %18s\n", "code",
                mn ? "нэр" : "area", mn ? "хамрагдагч" : "beneficiaries",
                mn ? "өрх" : "households",
                counts_only ? "" : (mn ? "дүн ₮" : "amount MNT"));
  io.out << line;
  auto row = [&](const rules::AreaTotal& t, const std::string& name) {
    std::snprintf(line, sizeof line, "%-7s %-22s %14s %12s %18s\n",
                  t.code ? std::to_string(t.code).c_str() : "-",
                  name.substr(0, 40).c_str(),
                  Thousands(t.beneficiaries).c_str(),
                  Thousands(t.households).c_str(),
                  counts_only ? "" : Thousands(t.amount).c_str());
    io.out << line;
  };
  for (const auto& a : areas) row(a, AreaName(*ctx.geo, a.code, mn));
  row(p.national, mn ? "Нийт" : "Total");

  io.out << "\n"
         << (mn ? "Хүйс, нас, хөгжлийн бэрхшээлээр (нийт)"
                : "By sex, age band and disability (total)")
         << "\n";
  std::snprintf(line, sizeof line, "%-8s %12s %12s %12s %12s\n",
                mn ? "нас" : "age", mn ? "эмэгтэй" : "female",
                mn ? "эм. ХБИ" : "fem. disab.", mn ? "эрэгтэй" : "male",
                mn ? "эр. ХБИ" : "male disab.");
  io.out << line;
  for (int band = 0; band < registry::kAgeBandCount; ++band) {
    const auto& n = p.beneficiaries_by_sex_band_disability;
    if (n[0][band][0] + n[0][band][1] + n[1][band][0] + n[1][band][1] == 0) {
      continue;
    }
    std::snprintf(
        line, sizeof line, "%-8s %12s %12s %12s %12s\n",
        std::string(registry::AgeBandName(band)).c_str(),
        Thousands(n[0][band][0]).c_str(), Thousands(n[0][band][1]).c_str(),
        Thousands(n[1][band][0]).c_str(), Thousands(n[1][band][1]).c_str());
    io.out << line;
  }
  if (p.unknown_eligibility + p.unknown_amount + p.zero_amount > 0) {
    io.out << "\n"
           << (mn ? "Олгохгүй: " : "Not paid: ") << p.unknown_eligibility
           << (mn ? " нөхцөл тодорхойгүй, " : " with an unknown condition, ")
           << p.unknown_amount
           << (mn ? " дүн тодорхойгүй, " : " with an unknown amount, ")
           << p.zero_amount << (mn ? " дүн 0" : " with 0 MNT") << "\n";
  }
  if (p.capped_households > 0) {
    io.out << (mn ? "Дээд хэмжээнд хүрсэн өрх: " : "Households capped: ")
           << Thousands(p.capped_households)
           << (mn ? " (хязгаарлахаас өмнө " : " (before the cap ")
           << Thousands(p.amount_before_cap) << (mn ? " ₮)" : " MNT)") << "\n";
  }
  return Status::Ok();
}

// --- rule explain
// --------------------------------------------------------------

Status Explain(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(rules::RuleSpec spec, SpecFromOptions(vm, "1"));
  MALCHIN_ASSIGN_OR_RETURN(Context ctx, LoadContext(vm));
  MALCHIN_ASSIGN_OR_RETURN(rules::Rule rule,
                           CompileRule(vm, spec, ctx.schema, io));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(Date as_of, AsOf(vm, store->session()));
  MALCHIN_ASSIGN_OR_RETURN(auto factors,
                           registry::SheepUnitFactors::On(*ctx.params, as_of));

  // Rules never look beyond a person's household (and the event), so the
  // household alone gives the same answer as the whole register.
  const std::string rn =
      registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
  MALCHIN_ASSIGN_OR_RETURN(auto person, store->Register().FindPerson(rn));
  if (!person) return Status::NotFound("no person with register number " + rn);
  if (person->deactivated) {
    return Status::FailedPrecondition("person " + rn + " was deactivated on " +
                                      person->deactivated->on.ToString() +
                                      " (" + person->deactivated->reason +
                                      "); rules only see active persons");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto household, store->Register().FindHousehold(person->household_id));
  if (!household) {
    return Status::NotFound("no household " + person->household_id);
  }
  if (household->deactivated) {
    return Status::FailedPrecondition(
        "household " + household->id + " of person " + rn +
        " was deactivated; rules only see active households");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto members,
                           store->Register().Members(household->id));
  registry::Population pop;
  pop.AddHousehold(*household);
  int32_t index = -1;
  for (const registry::Person& m : members) {
    if (m.deactivated) continue;
    if (m.register_no == rn) index = static_cast<int32_t>(pop.persons());
    pop.AddPerson(m, 0);
  }
  if (index < 0) {
    return Status::Internal("person " + rn + " is not among the members of " +
                            household->id);
  }
  MALCHIN_ASSIGN_OR_RETURN(auto frame,
                           rules::Frame::Build(pop, as_of, factors));
  rules::Bindings b;
  b.event = ctx.event ? &*ctx.event : nullptr;
  b.parameters = ctx.params;
  b.geography = ctx.geo.get();
  b.threads = 1;
  MALCHIN_ASSIGN_OR_RETURN(rules::Evaluator ev,
                           rules::Evaluator::Bind(rule, frame, b));
  MALCHIN_ASSIGN_OR_RETURN(
      rules::Explanation why,
      ev.Explain(index, ctx.mn ? rules::Language::kMongolian
                               : rules::Language::kEnglish));
  // Persons are numbered within this one-household register ("#2"); name
  // them by register number instead.
  std::vector<std::string> labels;
  for (const registry::Person& m : members) {
    if (!m.deactivated) labels.push_back(m.register_no);
  }
  std::string text;
  for (size_t i = 0; i < why.text.size(); ++i) {
    size_t j = i + 1;
    while (j < why.text.size() &&
           std::isdigit(static_cast<unsigned char>(why.text[j])))
      ++j;
    if (why.text[i] == '#' && j > i + 1 && j - i < 6) {
      size_t k = std::stoul(why.text.substr(i + 1, j - i - 1));
      if (k < labels.size()) {
        text += labels[k];
        i = j - 1;
        continue;
      }
    }
    text += why.text[i];
  }
  if (vm.count("json")) {
    json j = {{"register_no", rn},
              {"household_id", household->id},
              {"as_of", as_of.ToString()},
              {"beneficiary", why.beneficiary},
              {"amount", why.amount ? json(*why.amount) : json()},
              {"explanation", text}};
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  if (!vm.count("amount")) {
    io.out << (ctx.mn ? "(--amount өгөөгүй: зөвхөн нөхцөлийг шалгав; дүнг 1 ₮ "
                        "гэж тооцов)\n"
                      : "(no --amount: eligibility only; 1 MNT stands in for "
                        "the amount)\n");
  }
  io.out << text;
  return Status::Ok();
}

}  // namespace

void AddRulesCommands(std::vector<Command>* c) {
  c->push_back(
      {"rule check", "parse and type-check an eligibility rule (and amount)",
       [](po::options_description& d) {
         d.add_options()("rule", po::value<std::string>(),
                         "eligibility condition")(
             "file", po::value<std::string>(),
             "read the condition from this file")(
             "amount", po::value<std::string>(), "amount formula to check")(
             "json", "print JSON");
       },
       Check,
       "\nErrors name the line and column, point at the position with a "
       "caret and say\nwhat was expected; the exit code is then 2. The "
       "language: docs/rules.md.\n"});
  c->push_back(
      {"rule preview",
       "beneficiaries and cost of a rule over the whole register, by area x "
       "sex x age x disability",
       [](po::options_description& d) {
         RuleOptions(d);
         ContextOptions(d);
         d.add_options()("by", po::value<std::string>()->default_value("aimag"),
                         "aimag | soum")("json", "print JSON");
       },
       Preview,
       "\nExample (Zavkhan dzud pilot, phase 1):\n"
       "  malchin rule preview --db var/malchin.db --as-of 2019-12-15 \\\n"
       "    --severity zavkhan.csv --rule 'age <= 5 and event.severity >= "
       "high' \\\n    --amount 40000 --by soum\n"
       "Without --amount only beneficiaries are counted.\n"});
  c->push_back(
      {"rule explain",
       "why a person is or is not eligible, and how the amount was computed",
       [](po::options_description& d) {
         RuleOptions(d);
         ContextOptions(d);
         d.add_options()("person", po::value<std::string>()->required(),
                         "register number")("json", "print JSON");
       },
       Explain, ""});
}

}  // namespace malchin::cli
