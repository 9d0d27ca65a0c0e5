#include "rima/spec.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "csv/csv.h"

namespace malchin::rima {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "malchin-rima-spec/1";
const char* const kPillars[] = {"ABS", "AST", "SSN", "AC"};

struct Ctx {
  std::string file;
  Status Err(const std::string& path, const std::string& msg) const {
    return Status::InvalidArgument(file + ": " + path + ": " + msg, path);
  }
};

Result<std::string> GetString(const Ctx& c, const json& j,
                              const std::string& path, const char* key,
                              bool required) {
  if (!j.contains(key)) {
    if (required) return c.Err(path + "." + key, "missing; expected a string");
    return std::string();
  }
  if (!j[key].is_string()) {
    return c.Err(path + "." + key,
                 "value " + j[key].dump() + "; expected a string");
  }
  return j[key].get<std::string>();
}

Result<FactorRule> ParseRule(const Ctx& c, const json& v,
                             const std::string& path) {
  FactorRule r;
  if (v.is_string() && v.get<std::string>() == "kaiser") return r;
  if (v.is_string() && v.get<std::string>() == "fao_minres_screen") {
    r.kind = FactorRule::Kind::kFaoMinresScreen;
    return r;
  }
  if (v.is_number_integer() && v.get<int64_t>() >= 1 &&
      v.get<int64_t>() <= 20) {
    r.kind = FactorRule::Kind::kFixed;
    r.factors = static_cast<int>(v.get<int64_t>());
    return r;
  }
  return c.Err(path, "value " + v.dump() +
                         "; expected \"kaiser\", \"fao_minres_screen\" or a "
                         "number of factors (1..20)");
}

Result<VariableSpec> ParseVariable(const Ctx& c, const json& j,
                                   const std::string& path) {
  if (!j.is_object()) return c.Err(path, "expected an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const std::set<std::string> kKeys = {
        "name", "column", "divide_by", "transform", "orientation", "label"};
    if (!kKeys.count(it.key())) {
      return c.Err(path + "." + it.key(),
                   "unknown key; expected one of name, column, divide_by, "
                   "transform, orientation, label");
    }
  }
  VariableSpec v;
  MALCHIN_ASSIGN_OR_RETURN(v.column, GetString(c, j, path, "column", true));
  MALCHIN_ASSIGN_OR_RETURN(v.name, GetString(c, j, path, "name", false));
  if (v.name.empty()) v.name = v.column;
  MALCHIN_ASSIGN_OR_RETURN(v.divide_by,
                           GetString(c, j, path, "divide_by", false));
  MALCHIN_ASSIGN_OR_RETURN(std::string t,
                           GetString(c, j, path, "transform", false));
  if (t.empty() || t == "identity") {
    v.transform = Transform::kIdentity;
  } else if (t == "log") {
    v.transform = Transform::kLog;
  } else if (t == "log1p") {
    v.transform = Transform::kLog1p;
  } else {
    return c.Err(path + ".transform",
                 "value \"" + t + "\"; expected identity, log or log1p");
  }
  if (j.contains("orientation")) {
    const json& o = j["orientation"];
    if (!o.is_number_integer() ||
        (o.get<int64_t>() != 1 && o.get<int64_t>() != -1)) {
      return c.Err(path + ".orientation",
                   "value " + o.dump() + "; expected 1 or -1");
    }
    v.orientation = static_cast<int>(o.get<int64_t>());
  }
  return v;
}

json VariableJson(const VariableSpec& v) {
  json j = {{"name", v.name}, {"column", v.column}};
  if (!v.divide_by.empty()) j["divide_by"] = v.divide_by;
  j["transform"] = std::string(TransformName(v.transform));
  j["orientation"] = v.orientation;
  return j;
}

}  // namespace

std::string_view FactorRuleName(FactorRule::Kind kind) {
  switch (kind) {
    case FactorRule::Kind::kKaiser:
      return "kaiser";
    case FactorRule::Kind::kFixed:
      return "fixed";
    case FactorRule::Kind::kFaoMinresScreen:
      return "fao_minres_screen";
  }
  return "kaiser";
}

std::string_view TransformName(Transform t) {
  switch (t) {
    case Transform::kIdentity:
      return "identity";
    case Transform::kLog:
      return "log";
    case Transform::kLog1p:
      return "log1p";
  }
  return "identity";
}

bool DomainOk(Transform t, double raw) {
  if (!std::isfinite(raw)) return false;
  switch (t) {
    case Transform::kIdentity:
      return true;
    case Transform::kLog:
      return raw > 0;
    case Transform::kLog1p:
      return raw > -1;
  }
  return false;
}

double ApplyTransform(const VariableSpec& v, double raw) {
  double x = raw;
  switch (v.transform) {
    case Transform::kIdentity:
      break;
    case Transform::kLog:
      x = std::log(raw);
      break;
    case Transform::kLog1p:
      x = std::log1p(raw);
      break;
  }
  return v.orientation * x;
}

std::vector<std::string> ModelSpec::ModelColumns() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& c) {
    if (!c.empty() && std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
  };
  add(id_column);
  for (const PillarSpec& p : pillars) {
    for (const VariableSpec& v : p.variables) {
      add(v.column);
      add(v.divide_by);
    }
  }
  for (const VariableSpec& v : food_security) {
    add(v.column);
    add(v.divide_by);
  }
  return out;
}

Result<ModelSpec> ParseSpec(std::string_view file_name, std::string_view text) {
  Ctx c{std::string(file_name)};
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(c.file + ": not valid JSON (byte " +
                                   std::to_string(e.byte) + "): " + e.what());
  }
  if (!j.is_object()) return c.Err("$", "expected a JSON object");
  MALCHIN_ASSIGN_OR_RETURN(std::string format,
                           GetString(c, j, "$", "format", true));
  if (format != kFormat) {
    return c.Err("$.format", "value \"" + format + "\"; expected \"" +
                                 std::string(kFormat) + "\"");
  }
  ModelSpec spec;
  MALCHIN_ASSIGN_OR_RETURN(spec.id_column,
                           GetString(c, j, "$", "id_column", true));
  if (j.contains("profiles")) {
    if (!j["profiles"].is_array()) {
      return c.Err("$.profiles", "expected an array of column names");
    }
    for (size_t i = 0; i < j["profiles"].size(); ++i) {
      if (!j["profiles"][i].is_string()) {
        return c.Err("$.profiles[" + std::to_string(i) + "]",
                     "expected a column name");
      }
      spec.profiles.push_back(j["profiles"][i].get<std::string>());
    }
  }
  FactorRule default_rule;
  if (j.contains("factor_rule")) {
    MALCHIN_ASSIGN_OR_RETURN(default_rule,
                             ParseRule(c, j["factor_rule"], "$.factor_rule"));
  }
  if (!j.contains("pillars") || !j["pillars"].is_array()) {
    return c.Err("$.pillars",
                 "expected an array of the 4 pillars ABS, AST, "
                 "SSN, AC");
  }
  std::set<std::string> names;
  std::vector<PillarSpec> pillars;
  for (size_t i = 0; i < j["pillars"].size(); ++i) {
    const json& pj = j["pillars"][i];
    std::string path = "$.pillars[" + std::to_string(i) + "]";
    if (!pj.is_object()) return c.Err(path, "expected an object");
    PillarSpec p;
    MALCHIN_ASSIGN_OR_RETURN(p.name, GetString(c, pj, path, "name", true));
    if (std::find(std::begin(kPillars), std::end(kPillars), p.name) ==
        std::end(kPillars)) {
      return c.Err(path + ".name",
                   "value \"" + p.name + "\"; expected ABS, AST, SSN or AC");
    }
    for (const PillarSpec& q : pillars) {
      if (q.name == p.name) {
        return c.Err(path + ".name", "pillar " + p.name + " appears twice");
      }
    }
    p.rule = default_rule;
    if (pj.contains("factors")) {
      MALCHIN_ASSIGN_OR_RETURN(p.rule,
                               ParseRule(c, pj["factors"], path + ".factors"));
    }
    if (!pj.contains("variables") || !pj["variables"].is_array()) {
      return c.Err(path + ".variables", "expected an array of variables");
    }
    for (size_t k = 0; k < pj["variables"].size(); ++k) {
      std::string vpath = path + ".variables[" + std::to_string(k) + "]";
      MALCHIN_ASSIGN_OR_RETURN(VariableSpec v,
                               ParseVariable(c, pj["variables"][k], vpath));
      if (!names.insert(v.name).second) {
        return c.Err(vpath + ".name",
                     "variable \"" + v.name +
                         "\" is used twice; expected each variable in one "
                         "pillar only");
      }
      p.variables.push_back(std::move(v));
    }
    if (p.variables.size() < 3) {
      return c.Err(path, "pillar " + p.name + " has " +
                             std::to_string(p.variables.size()) +
                             " variables; expected at least 3");
    }
    if (p.rule.kind == FactorRule::Kind::kFixed &&
        p.rule.factors >= static_cast<int>(p.variables.size())) {
      return c.Err(path + ".factors",
                   std::to_string(p.rule.factors) + " factors for " +
                       std::to_string(p.variables.size()) +
                       " variables; expected fewer factors than variables");
    }
    pillars.push_back(std::move(p));
  }
  for (const char* want : kPillars) {
    auto it = std::find_if(pillars.begin(), pillars.end(),
                           [&](const PillarSpec& p) { return p.name == want; });
    if (it == pillars.end()) {
      return c.Err("$.pillars", std::string("pillar ") + want +
                                    " is missing; expected ABS, AST, SSN "
                                    "and AC");
    }
    spec.pillars.push_back(*it);
  }
  if (!j.contains("food_security") || !j["food_security"].is_array()) {
    return c.Err("$.food_security",
                 "expected an array of 2 or 3 food-security indicators");
  }
  for (size_t k = 0; k < j["food_security"].size(); ++k) {
    std::string path = "$.food_security[" + std::to_string(k) + "]";
    MALCHIN_ASSIGN_OR_RETURN(VariableSpec v,
                             ParseVariable(c, j["food_security"][k], path));
    if (!names.insert(v.name).second) {
      return c.Err(path + ".name", "name \"" + v.name +
                                       "\" is used twice; expected unique "
                                       "names");
    }
    spec.food_security.push_back(std::move(v));
  }
  if (spec.food_security.size() < 2 || spec.food_security.size() > 3) {
    return c.Err("$.food_security",
                 std::to_string(spec.food_security.size()) +
                     " food-security indicators; expected 2 or 3");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const std::set<std::string> kKeys = {
        "format",  "id_column",     "profiles",   "factor_rule",
        "pillars", "food_security", "description"};
    if (!kKeys.count(it.key())) {
      return c.Err("$." + it.key(),
                   "unknown key; expected format, id_column, profiles, "
                   "factor_rule, pillars, food_security, description");
    }
  }
  return spec;
}

Result<ModelSpec> LoadSpec(const std::string& path) {
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  return ParseSpec(path, text);
}

std::string SpecJson(const ModelSpec& spec) {
  json j;
  j["format"] = std::string(kFormat);
  j["id_column"] = spec.id_column;
  j["profiles"] = spec.profiles;
  j["pillars"] = json::array();
  for (const PillarSpec& p : spec.pillars) {
    json pj = {{"name", p.name}};
    if (p.rule.kind == FactorRule::Kind::kFixed) {
      pj["factors"] = p.rule.factors;
    } else {
      pj["factors"] = std::string(FactorRuleName(p.rule.kind));
    }
    pj["variables"] = json::array();
    for (const VariableSpec& v : p.variables) {
      pj["variables"].push_back(VariableJson(v));
    }
    j["pillars"].push_back(pj);
  }
  j["food_security"] = json::array();
  for (const VariableSpec& v : spec.food_security) {
    j["food_security"].push_back(VariableJson(v));
  }
  return j.dump(2);
}

}  // namespace malchin::rima
