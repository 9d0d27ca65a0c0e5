#include "poverty/scenario_file.h"

#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "poverty/internal/hash.h"

namespace malchin::poverty {
namespace {

using nlohmann::json;

// Errors name the file and the JSON path.
class Ctx {
 public:
  explicit Ctx(std::string_view file) : file_(file) {}
  Status Error(const std::string& path, const std::string& what) const {
    return Status::InvalidArgument(file_ + ": " + path + ": " + what, path);
  }
  Status CheckKeys(const json& j, const std::string& path,
                   std::initializer_list<std::string_view> allowed) const {
    if (!j.is_object()) return Error(path, "expected an object");
    for (const auto& [key, value] : j.items()) {
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || key == a;
      if (!ok) {
        std::string list;
        for (std::string_view a : allowed) {
          list += (list.empty() ? "" : ", ") + std::string(a);
        }
        return Error(path, "unknown key '" + key + "' (expected " + list + ")");
      }
    }
    return Status::Ok();
  }
  Result<std::string> String(const json& j, const std::string& path) const {
    if (!j.is_string()) return Error(path, "expected a string");
    return j.get<std::string>();
  }
  Result<double> Number(const json& j, const std::string& path) const {
    if (!j.is_number()) return Error(path, "expected a number");
    const double v = j.get<double>();
    if (!std::isfinite(v)) return Error(path, "expected a finite number");
    return v;
  }
  Result<int64_t> Integer(const json& j, const std::string& path, int64_t lo,
                          int64_t hi) const {
    if (!j.is_number_integer()) return Error(path, "expected a whole number");
    const int64_t v = j.get<int64_t>();
    if (v < lo || v > hi) {
      return Error(path, "value " + std::to_string(v) + " is not in [" +
                             std::to_string(lo) + ", " + std::to_string(hi) +
                             "]");
    }
    return v;
  }
  Result<Date> DateAt(const json& j, const std::string& path) const {
    MALCHIN_ASSIGN_OR_RETURN(std::string s, String(j, path));
    auto d = Date::Parse(s);
    if (!d.ok()) return Error(path, d.status().message());
    return *d;
  }

 private:
  std::string file_;
};

Result<json> ParseJson(const Ctx& ctx, std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return ctx.Error("(document)", "not valid JSON");
  }
  return j;
}

constexpr int64_t kMaxMnt = 1'000'000'000'000;

Result<BenefitRule> ParseRule(const Ctx& ctx, const json& j,
                              const std::string& path) {
  MALCHIN_RETURN_IF_ERROR(ctx.CheckKeys(
      j, path,
      {"programme", "unit", "min_age", "max_age", "areas", "household_flags",
       "amount", "cap_per_household", "months", "takeup"}));
  BenefitRule r;
  if (!j.contains("programme"))
    return ctx.Error(path, "'programme' is missing");
  MALCHIN_ASSIGN_OR_RETURN(r.programme,
                           ctx.String(j["programme"], path + ".programme"));
  if (j.contains("unit")) {
    MALCHIN_ASSIGN_OR_RETURN(std::string u,
                             ctx.String(j["unit"], path + ".unit"));
    if (u == "person") {
      r.unit = BenefitRule::Unit::kPerson;
    } else if (u == "household") {
      r.unit = BenefitRule::Unit::kHousehold;
    } else {
      return ctx.Error(path + ".unit",
                       "'" + u + "' (expected person or household)");
    }
  }
  if (j.contains("min_age")) {
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t v, ctx.Integer(j["min_age"], path + ".min_age", 0, 200));
    r.min_age = static_cast<int>(v);
  }
  if (j.contains("max_age")) {
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t v, ctx.Integer(j["max_age"], path + ".max_age", 0, 200));
    r.max_age = static_cast<int>(v);
  }
  if (j.contains("areas")) {
    if (!j["areas"].is_array()) {
      return ctx.Error(path + ".areas", "expected an array of area codes");
    }
    for (size_t i = 0; i < j["areas"].size(); ++i) {
      MALCHIN_ASSIGN_OR_RETURN(
          int64_t v,
          ctx.Integer(j["areas"][i], path + ".areas[" + std::to_string(i) + "]",
                      0, 2147483647));
      r.areas.push_back(static_cast<int32_t>(v));
    }
  }
  if (j.contains("household_flags")) {
    if (!j["household_flags"].is_array()) {
      return ctx.Error(path + ".household_flags",
                       "expected an array of column names");
    }
    for (size_t i = 0; i < j["household_flags"].size(); ++i) {
      MALCHIN_ASSIGN_OR_RETURN(
          std::string v,
          ctx.String(j["household_flags"][i],
                     path + ".household_flags[" + std::to_string(i) + "]"));
      r.household_flags.push_back(std::move(v));
    }
  }
  if (!j.contains("amount")) return ctx.Error(path, "'amount' is missing");
  const json& a = j["amount"];
  if (a.is_number()) {
    MALCHIN_ASSIGN_OR_RETURN(int64_t v,
                             ctx.Integer(a, path + ".amount", 0, kMaxMnt));
    r.amount = {{Date::FromYmd(1900, 1, 1), v}};
  } else if (a.is_array() && !a.empty()) {
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string p = path + ".amount[" + std::to_string(i) + "]";
      MALCHIN_RETURN_IF_ERROR(ctx.CheckKeys(a[i], p, {"from", "mnt"}));
      if (!a[i].contains("from") || !a[i].contains("mnt")) {
        return ctx.Error(p, "expected {\"from\": \"YYYY-MM-DD\", \"mnt\": N}");
      }
      DatedAmount d;
      MALCHIN_ASSIGN_OR_RETURN(d.from, ctx.DateAt(a[i]["from"], p + ".from"));
      MALCHIN_ASSIGN_OR_RETURN(
          d.mnt, ctx.Integer(a[i]["mnt"], p + ".mnt", 0, kMaxMnt));
      r.amount.push_back(d);
    }
  } else {
    return ctx.Error(path + ".amount",
                     "expected MNT per month or a non-empty list of "
                     "{\"from\", \"mnt\"}");
  }
  if (j.contains("cap_per_household")) {
    MALCHIN_ASSIGN_OR_RETURN(
        r.cap_per_household,
        ctx.Integer(j["cap_per_household"], path + ".cap_per_household", 0,
                    kMaxMnt));
  }
  if (j.contains("months")) {
    MALCHIN_ASSIGN_OR_RETURN(int64_t v,
                             ctx.Integer(j["months"], path + ".months", 1, 12));
    r.months = static_cast<int>(v);
  }
  if (j.contains("takeup")) {
    MALCHIN_ASSIGN_OR_RETURN(r.takeup,
                             ctx.Number(j["takeup"], path + ".takeup"));
    if (!(r.takeup >= 0 && r.takeup <= 1)) {
      return ctx.Error(path + ".takeup", "must be in [0, 1]");
    }
  }
  return r;
}

Result<Policy> ParsePolicy(const Ctx& ctx, const json& j,
                           const std::string& path, const std::string& version,
                           Date date) {
  MALCHIN_RETURN_IF_ERROR(ctx.CheckKeys(j, path, {"name", "rules"}));
  Policy p;
  p.parameter_version = version;
  p.date = date;
  if (!j.contains("name")) return ctx.Error(path, "'name' is missing");
  MALCHIN_ASSIGN_OR_RETURN(p.name, ctx.String(j["name"], path + ".name"));
  if (j.contains("rules")) {
    if (!j["rules"].is_array()) {
      return ctx.Error(path + ".rules", "expected an array");
    }
    for (size_t i = 0; i < j["rules"].size(); ++i) {
      MALCHIN_ASSIGN_OR_RETURN(
          BenefitRule r, ParseRule(ctx, j["rules"][i],
                                   path + ".rules[" + std::to_string(i) + "]"));
      p.rules.push_back(std::move(r));
    }
  }
  return p;
}

Result<std::shared_ptr<const params::ParameterSet>> ApplyPatch(
    const Ctx& ctx, const json& patch, const std::string& path,
    std::shared_ptr<const params::ParameterSet> base) {
  if (!patch.is_object()) return ctx.Error(path, "expected an object");
  for (const auto& [name, values] : patch.items()) {
    const std::string p = path + "." + name;
    bool known = false;
    for (const std::string& n : base->Names()) known = known || n == name;
    if (!known) {
      return ctx.Error(p,
                       "no parameter of that name in set " + base->version());
    }
    if (!values.is_array() || values.empty()) {
      return ctx.Error(p, "expected a list of {\"from\", \"value\"}");
    }
    std::vector<params::DatedValue> dated;
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string q = p + "[" + std::to_string(i) + "]";
      MALCHIN_RETURN_IF_ERROR(
          ctx.CheckKeys(values[i], q, {"from", "value", "source"}));
      if (!values[i].contains("from") || !values[i].contains("value")) {
        return ctx.Error(q,
                         "expected {\"from\": \"YYYY-MM-DD\", \"value\": N}");
      }
      params::DatedValue d;
      MALCHIN_ASSIGN_OR_RETURN(d.from,
                               ctx.DateAt(values[i]["from"], q + ".from"));
      MALCHIN_ASSIGN_OR_RETURN(d.value,
                               ctx.Number(values[i]["value"], q + ".value"));
      d.source = "scenario";
      if (values[i].contains("source")) {
        MALCHIN_ASSIGN_OR_RETURN(
            d.source, ctx.String(values[i]["source"], q + ".source"));
      }
      dated.push_back(std::move(d));
    }
    base = base->Override(name, dated);
  }
  return base;
}

Result<RegisterProgramme> ParseProgramme(const Ctx& ctx, const json& j,
                                         const std::string& path) {
  MALCHIN_RETURN_IF_ERROR(
      ctx.CheckKeys(j, path,
                    {"programme", "eligibility", "amount", "unit",
                     "cap_per_household", "cap_order", "months", "takeup"}));
  RegisterProgramme p;
  for (const char* k : {"programme", "eligibility", "amount"}) {
    if (!j.contains(k)) {
      return ctx.Error(path, "'" + std::string(k) + "' is missing");
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(p.programme,
                           ctx.String(j["programme"], path + ".programme"));
  MALCHIN_ASSIGN_OR_RETURN(p.rule.eligibility,
                           ctx.String(j["eligibility"], path + ".eligibility"));
  if (j["amount"].is_number_integer()) {
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t v, ctx.Integer(j["amount"], path + ".amount", 0, kMaxMnt));
    p.rule.amount = std::to_string(v);
  } else {
    MALCHIN_ASSIGN_OR_RETURN(p.rule.amount,
                             ctx.String(j["amount"], path + ".amount"));
  }
  if (j.contains("unit")) {
    MALCHIN_ASSIGN_OR_RETURN(std::string u,
                             ctx.String(j["unit"], path + ".unit"));
    if (u == "person") {
      p.rule.unit = rules::Unit::kPerson;
    } else if (u == "household") {
      p.rule.unit = rules::Unit::kHousehold;
    } else {
      return ctx.Error(path + ".unit",
                       "'" + u + "' (expected person or household)");
    }
  }
  if (j.contains("cap_per_household") && !j["cap_per_household"].is_null()) {
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t v, ctx.Integer(j["cap_per_household"],
                               path + ".cap_per_household", 1, kMaxMnt));
    p.rule.cap_per_household = v;
  }
  if (j.contains("cap_order")) {
    MALCHIN_ASSIGN_OR_RETURN(std::string o,
                             ctx.String(j["cap_order"], path + ".cap_order"));
    if (o == "youngest_first") {
      p.rule.cap_order = rules::CapOrder::kYoungestFirst;
    } else if (o == "proportional") {
      p.rule.cap_order = rules::CapOrder::kProportional;
    } else {
      return ctx.Error(path + ".cap_order",
                       "'" + o + "' (expected youngest_first or proportional)");
    }
  }
  if (j.contains("months")) {
    MALCHIN_ASSIGN_OR_RETURN(int64_t v,
                             ctx.Integer(j["months"], path + ".months", 1, 12));
    p.months = static_cast<int>(v);
  }
  if (j.contains("takeup")) {
    MALCHIN_ASSIGN_OR_RETURN(p.takeup,
                             ctx.Number(j["takeup"], path + ".takeup"));
    if (!(p.takeup >= 0 && p.takeup <= 1)) {
      return ctx.Error(path + ".takeup", "must be in [0, 1]");
    }
  }
  return p;
}

Result<RegisterPolicy> ParseRegisterPolicy(
    const Ctx& ctx, const json& j, const std::string& path,
    const std::shared_ptr<const params::ParameterSet>& parameters) {
  MALCHIN_RETURN_IF_ERROR(
      ctx.CheckKeys(j, path, {"name", "parameters", "programmes"}));
  RegisterPolicy p;
  if (!j.contains("name")) return ctx.Error(path, "'name' is missing");
  MALCHIN_ASSIGN_OR_RETURN(p.name, ctx.String(j["name"], path + ".name"));
  p.parameters = parameters;
  if (j.contains("parameters") && !j["parameters"].empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        p.parameters,
        ApplyPatch(ctx, j["parameters"], path + ".parameters", parameters));
    const uint64_t h = internal::HashString(j["parameters"].dump());
    p.parameter_version_suffix = "+patch-" + internal::Hex64(h);
  }
  if (j.contains("programmes")) {
    if (!j["programmes"].is_array()) {
      return ctx.Error(path + ".programmes", "expected an array");
    }
    for (size_t i = 0; i < j["programmes"].size(); ++i) {
      MALCHIN_ASSIGN_OR_RETURN(
          RegisterProgramme r,
          ParseProgramme(ctx, j["programmes"][i],
                         path + ".programmes[" + std::to_string(i) + "]"));
      p.programmes.push_back(std::move(r));
    }
  }
  return p;
}

}  // namespace

Result<SurveyScenario> ParseSurveyScenario(std::string_view file_name,
                                           std::string_view text) {
  const Ctx ctx(file_name);
  MALCHIN_ASSIGN_OR_RETURN(json j, ParseJson(ctx, text));
  MALCHIN_RETURN_IF_ERROR(ctx.CheckKeys(
      j, "(document)", {"parameter_version", "date", "baseline", "reforms"}));
  for (const char* k : {"parameter_version", "date", "baseline", "reforms"}) {
    if (!j.contains(k)) {
      return ctx.Error("(document)", "'" + std::string(k) + "' is missing");
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(
      std::string version,
      ctx.String(j["parameter_version"], "parameter_version"));
  MALCHIN_ASSIGN_OR_RETURN(Date date, ctx.DateAt(j["date"], "date"));
  SurveyScenario s;
  MALCHIN_ASSIGN_OR_RETURN(
      s.baseline, ParsePolicy(ctx, j["baseline"], "baseline", version, date));
  if (!j["reforms"].is_array() || j["reforms"].empty()) {
    return ctx.Error("reforms", "expected a non-empty array");
  }
  for (size_t i = 0; i < j["reforms"].size(); ++i) {
    MALCHIN_ASSIGN_OR_RETURN(
        Policy p,
        ParsePolicy(ctx, j["reforms"][i], "reforms[" + std::to_string(i) + "]",
                    version, date));
    s.reforms.push_back(std::move(p));
  }
  return s;
}

Result<RegisterScenario> ParseRegisterScenario(
    std::string_view file_name, std::string_view text,
    const std::shared_ptr<const params::ParameterSet>& parameters) {
  const Ctx ctx(file_name);
  if (parameters == nullptr) {
    return Status::InvalidArgument("no parameter set to patch");
  }
  MALCHIN_ASSIGN_OR_RETURN(json j, ParseJson(ctx, text));
  MALCHIN_RETURN_IF_ERROR(
      ctx.CheckKeys(j, "(document)", {"date", "event", "baseline", "reforms"}));
  for (const char* k : {"date", "baseline", "reforms"}) {
    if (!j.contains(k)) {
      return ctx.Error("(document)", "'" + std::string(k) + "' is missing");
    }
  }
  RegisterScenario s;
  MALCHIN_ASSIGN_OR_RETURN(s.date, ctx.DateAt(j["date"], "date"));
  if (j.contains("event")) {
    const json& e = j["event"];
    MALCHIN_RETURN_IF_ERROR(
        ctx.CheckKeys(e, "event", {"name", "severity_by_soum"}));
    s.has_event = true;
    if (e.contains("name")) {
      MALCHIN_ASSIGN_OR_RETURN(s.event.name,
                               ctx.String(e["name"], "event.name"));
    }
    if (e.contains("severity_by_soum")) {
      if (!e["severity_by_soum"].is_object()) {
        return ctx.Error("event.severity_by_soum",
                         "expected {\"<soum code>\": \"<severity>\"}");
      }
      for (const auto& [code, sev] : e["severity_by_soum"].items()) {
        const std::string p = "event.severity_by_soum." + code;
        int32_t c = 0;
        try {
          size_t used = 0;
          c = std::stoi(code, &used);
          if (used != code.size()) throw std::invalid_argument(code);
        } catch (const std::exception&) {
          return ctx.Error(p, "the key must be a soum code");
        }
        MALCHIN_ASSIGN_OR_RETURN(std::string name, ctx.String(sev, p));
        auto level = rules::ParseSeverity(name);
        if (!level.ok()) return ctx.Error(p, level.status().message());
        s.event.severity_by_soum[c] = *level;
      }
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(
      s.baseline,
      ParseRegisterPolicy(ctx, j["baseline"], "baseline", parameters));
  if (!j["reforms"].is_array() || j["reforms"].empty()) {
    return ctx.Error("reforms", "expected a non-empty array");
  }
  for (size_t i = 0; i < j["reforms"].size(); ++i) {
    MALCHIN_ASSIGN_OR_RETURN(
        RegisterPolicy p,
        ParseRegisterPolicy(ctx, j["reforms"][i],
                            "reforms[" + std::to_string(i) + "]", parameters));
    s.reforms.push_back(std::move(p));
  }
  return s;
}

}  // namespace malchin::poverty
