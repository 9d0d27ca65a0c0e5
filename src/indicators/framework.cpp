#include "indicators/framework.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace malchin::embedded {
extern const std::string_view kIndicatorFrameworkJson;
}  // namespace malchin::embedded

namespace malchin::indicators {
namespace {

using nlohmann::json;

constexpr std::string_view kUnitNames[] = {"persons", "households", "percent",
                                           "MNT", "days"};
constexpr std::string_view kComputationNames[] = {
    "insurance_coverage_social", "insurance_coverage_health",
    "children_top_up",           "children_top_up_amount",
    "days_to_first_payment",     "female_headed_reached",
    "young_herder_reached",      "grievances_resolved_in_time",
    "pdm_full_amount",           "resilience_improved"};
constexpr std::string_view kDimensionNames[] = {
    "sex", "age_band", "disability", "aimag", "soum", "head_sex"};

// The unit each computation gives.
Unit UnitOf(Computation c) {
  switch (c) {
    case Computation::kInsuranceCoverageSocial:
    case Computation::kInsuranceCoverageHealth:
    case Computation::kGrievancesResolvedInTime:
    case Computation::kPdmFullAmount:
    case Computation::kResilienceImproved:
      return Unit::kPercent;
    case Computation::kChildrenTopUp:
      return Unit::kPersons;
    case Computation::kChildrenTopUpAmount:
      return Unit::kMnt;
    case Computation::kDaysToFirstPayment:
      return Unit::kDays;
    case Computation::kFemaleHeadedReached:
    case Computation::kYoungHerderReached:
      return Unit::kHouseholds;
  }
  return Unit::kPersons;
}

// 1-based line of byte `pos` in `text`.
int LineAt(std::string_view text, size_t pos) {
  pos = std::min(pos, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

// The position of the "code" key whose value is `code`, or npos.
size_t CodeAt(std::string_view text, const std::string& code) {
  if (code.empty()) return std::string_view::npos;
  const std::string quoted = "\"" + code + "\"";
  for (size_t at = text.find("\"code\""); at != std::string_view::npos;
       at = text.find("\"code\"", at + 1)) {
    size_t value = text.find('"', text.find(':', at + 6));
    if (value != std::string_view::npos &&
        text.substr(value, quoted.size()) == quoted) {
      return at;
    }
  }
  return std::string_view::npos;
}

// Where a problem is: the file, and the line of `field` in the indicator
// whose code is `code` (the indicator's first line when the field is
// absent, line 1 when the code is not found).
struct Where {
  std::string_view file, text;
  std::string code;
  std::string At(std::string_view field) const {
    size_t start = CodeAt(text, code);
    size_t pos = start;
    if (start != std::string_view::npos && !field.empty()) {
      size_t f = text.find("\"" + std::string(field) + "\"", start);
      size_t next = text.find("\"code\"", start + 1);
      if (f != std::string_view::npos && f < next) pos = f;
    }
    int line = pos == std::string_view::npos ? 1 : LineAt(text, pos);
    return std::string(file) + ":" + std::to_string(line);
  }
};

Status Bad(const Where& w, std::string_view field, std::string_view value,
           std::string_view expected_mn, std::string_view expected_en) {
  std::string at = w.At(field);
  std::string who = w.code.empty() ? "" : " (" + w.code + ")";
  return Status::InvalidArgument(
      at + who + ": талбар '" + std::string(field) + "' утга '" +
      std::string(value) + "': " + std::string(expected_mn) + " / " + at + who +
      ": field '" + std::string(field) + "' value '" + std::string(value) +
      "': expected " + std::string(expected_en));
}

std::string Shown(const json& j, std::string_view field) {
  auto it = j.find(std::string(field));
  return it == j.end() ? "(missing)" : it->dump();
}

Result<std::string> NeedString(const Where& w, const json& j,
                               std::string_view field) {
  auto it = j.find(std::string(field));
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
    return Bad(w, field, Shown(j, field), "хоосон биш текст байх ёстой",
               "a non-empty string");
  }
  return it->get<std::string>();
}

Result<Text> NeedText(const Where& w, const json& j, std::string_view field) {
  auto it = j.find(std::string(field));
  if (it == j.end() || !it->is_object()) {
    return Bad(w, field, Shown(j, field),
               "{\"mn\": ..., \"en\": ...} хэлбэртэй байх ёстой",
               "an object {\"mn\": ..., \"en\": ...}");
  }
  Text t;
  MALCHIN_ASSIGN_OR_RETURN(t.mn, NeedString(w, *it, "mn"));
  MALCHIN_ASSIGN_OR_RETURN(t.en, NeedString(w, *it, "en"));
  return t;
}

Result<Date> NeedDate(const Where& w, const json& j, std::string_view field) {
  MALCHIN_ASSIGN_OR_RETURN(std::string s, NeedString(w, j, field));
  auto d = Date::Parse(s);
  if (!d.ok()) {
    return Bad(w, field, s, "YYYY-MM-DD огноо байх ёстой", "a date YYYY-MM-DD");
  }
  return *d;
}

Result<double> NeedNumber(const Where& w, const json& j,
                          std::string_view field) {
  auto it = j.find(std::string(field));
  if (it == j.end() || !it->is_number()) {
    return Bad(w, field, Shown(j, field), "тоо байх ёстой", "a number");
  }
  return it->get<double>();
}

Result<std::optional<int64_t>> OptionalCount(const Where& w, const json& j,
                                             std::string_view field) {
  auto it = j.find(std::string(field));
  if (it == j.end()) return std::optional<int64_t>();
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return Bad(w, field, it->dump(), "сөрөг биш бүхэл тоо байх ёстой",
               "a whole number >= 0");
  }
  return std::optional<int64_t>(it->get<int64_t>());
}

Result<Baseline> ParseBaseline(const Where& w, const json& j) {
  Baseline b;
  MALCHIN_ASSIGN_OR_RETURN(b.value, NeedNumber(w, j, "value"));
  MALCHIN_ASSIGN_OR_RETURN(b.date, NeedDate(w, j, "date"));
  MALCHIN_ASSIGN_OR_RETURN(b.source, NeedString(w, j, "source"));
  MALCHIN_ASSIGN_OR_RETURN(b.numerator, OptionalCount(w, j, "numerator"));
  MALCHIN_ASSIGN_OR_RETURN(b.numerator_women,
                           OptionalCount(w, j, "numerator_women"));
  MALCHIN_ASSIGN_OR_RETURN(b.denominator, OptionalCount(w, j, "denominator"));
  return b;
}

Result<std::vector<Target>> ParseTargets(const Where& w, const json& j) {
  auto it = j.find("targets");
  if (it == j.end()) return std::vector<Target>();
  if (!it->is_array()) {
    return Bad(w, "targets", it->dump(), "[{\"date\", \"value\"}] жагсаалт",
               "an array of {\"date\", \"value\"}");
  }
  std::vector<Target> out;
  for (const json& t : *it) {
    if (!t.is_object()) {
      return Bad(w, "targets", t.dump(), "{\"date\", \"value\"} объект",
                 "an object {\"date\", \"value\"}");
    }
    Target target;
    MALCHIN_ASSIGN_OR_RETURN(target.date, NeedDate(w, t, "date"));
    MALCHIN_ASSIGN_OR_RETURN(target.value, NeedNumber(w, t, "value"));
    out.push_back(target);
  }
  return out;
}

Result<std::vector<Dimension>> ParseDimensions(const Where& w, const json& j,
                                               Computation c) {
  std::vector<Dimension> out;
  auto it = j.find("disaggregations");
  if (it == j.end()) return out;
  std::vector<Dimension> supported = SupportedDimensions(c);
  std::string allowed;
  for (Dimension d : supported) {
    allowed += (allowed.empty() ? "" : ", ") + std::string(DimensionName(d));
  }
  if (!it->is_array()) {
    return Bad(w, "disaggregations", it->dump(), "жагсаалт: " + allowed,
               "an array of: " + allowed);
  }
  for (const json& name : *it) {
    auto found = std::find_if(supported.begin(), supported.end(), [&](auto d) {
      return name.is_string() && DimensionName(d) == name.get<std::string>();
    });
    if (found == supported.end() ||
        std::find(out.begin(), out.end(), *found) != out.end()) {
      return Bad(
          w, "disaggregations", name.dump(),
          "давтагдаагүй, тооцоолол дэмждэг нэр: " + allowed,
          "a name, not repeated, that the computation supports: " + allowed);
    }
    out.push_back(*found);
  }
  return out;
}

Result<Indicator> ParseOne(Where w, const json& j) {
  if (!j.is_object()) {
    return Bad(w, "indicators", j.dump(), "объект байх ёстой", "an object");
  }
  Indicator ind;
  MALCHIN_ASSIGN_OR_RETURN(ind.code, NeedString(w, j, "code"));
  w.code = ind.code;
  MALCHIN_ASSIGN_OR_RETURN(ind.name, NeedText(w, j, "name"));
  MALCHIN_ASSIGN_OR_RETURN(ind.definition, NeedText(w, j, "definition"));
  MALCHIN_ASSIGN_OR_RETURN(std::string comp, NeedString(w, j, "computation"));
  auto c = ParseComputation(comp);
  if (!c.ok()) {
    std::string names;
    for (auto n : kComputationNames) names += " " + std::string(n);
    return Bad(w, "computation", comp, "дараах нэрийн нэг:" + names,
               "one of:" + names);
  }
  ind.computation = *c;
  MALCHIN_ASSIGN_OR_RETURN(std::string unit, NeedString(w, j, "unit"));
  ind.unit = UnitOf(ind.computation);
  if (unit != UnitName(ind.unit)) {
    return Bad(w, "unit", unit,
               "тооцооллын нэгж " + std::string(UnitName(ind.unit)),
               "the computation's unit " + std::string(UnitName(ind.unit)));
  }
  MALCHIN_ASSIGN_OR_RETURN(ind.disaggregations,
                           ParseDimensions(w, j, ind.computation));
  if (auto b = j.find("baseline"); b != j.end()) {
    MALCHIN_ASSIGN_OR_RETURN(ind.baseline, ParseBaseline(w, *b));
  }
  MALCHIN_ASSIGN_OR_RETURN(ind.targets, ParseTargets(w, j));
  ind.json = j.dump();
  return ind;
}

Result<json> ParseJson(std::string_view file, std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::string at = std::string(file) + ":" +
                     std::to_string(LineAt(text, e.byte ? e.byte - 1 : 0));
    return Status::InvalidArgument(at + ": JSON буруу (" + e.what() + ") / " +
                                   at + ": invalid JSON (" + e.what() + ")");
  }
}

}  // namespace

std::string_view UnitName(Unit u) { return kUnitNames[static_cast<int>(u)]; }

std::string_view ComputationName(Computation c) {
  return kComputationNames[static_cast<int>(c)];
}

Result<Computation> ParseComputation(std::string_view name) {
  for (size_t i = 0; i < std::size(kComputationNames); ++i) {
    if (kComputationNames[i] == name) return static_cast<Computation>(i);
  }
  return Status::InvalidArgument("computation '" + std::string(name) +
                                 "': unknown");
}

std::string_view DimensionName(Dimension d) {
  return kDimensionNames[static_cast<int>(d)];
}

std::vector<Dimension> SupportedDimensions(Computation c) {
  using D = Dimension;
  switch (c) {
    case Computation::kInsuranceCoverageSocial:
    case Computation::kInsuranceCoverageHealth:
      return {D::kSex, D::kAgeBand, D::kDisability, D::kAimag, D::kSoum};
    case Computation::kChildrenTopUp:
    case Computation::kChildrenTopUpAmount:
      return {D::kSex, D::kAgeBand, D::kDisability, D::kAimag, D::kSoum};
    case Computation::kFemaleHeadedReached:
    case Computation::kYoungHerderReached:
      return {D::kAimag, D::kSoum};
    case Computation::kDaysToFirstPayment:
      return {D::kAimag};
    case Computation::kGrievancesResolvedInTime:
      return {D::kSex, D::kAgeBand, D::kAimag, D::kSoum};
    case Computation::kPdmFullAmount:
      return {D::kHeadSex};
    case Computation::kResilienceImproved:
      return {D::kHeadSex, D::kAimag, D::kSoum};
  }
  return {};
}

const Indicator* Framework::Find(std::string_view code) const {
  for (const Indicator& i : indicators) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

static Result<Framework> FrameworkFrom(std::string_view file,
                                       std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(json root, ParseJson(file, text));
  Where top{file, text, ""};
  auto list = root.is_object() ? root.find("indicators") : root.end();
  if (!root.is_object() || list == root.end() || !list->is_array()) {
    return Bad(top, "indicators",
               Shown(root.is_object() ? root : json(), "indicators"),
               "индикаторын жагсаалт байх ёстой", "an array of indicators");
  }
  Framework f;
  std::set<std::string> codes;
  for (const json& j : *list) {
    MALCHIN_ASSIGN_OR_RETURN(Indicator ind, ParseOne(top, j));
    if (!codes.insert(ind.code).second) {
      return Bad(Where{file, text, ""}, "code", ind.code,
                 "файлд нэг удаа гарах код", "a code used once in the file");
    }
    f.indicators.push_back(std::move(ind));
  }
  return f;
}

Result<Framework> ParseFramework(std::string_view file, std::string_view text) {
  try {
    return FrameworkFrom(file, text);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string(file) + ": " + e.what());
  }
}

static Result<Indicator> IndicatorFrom(std::string_view where,
                                       std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(json j, ParseJson(where, text));
  return ParseOne(Where{where, text, ""}, j);
}

Result<Indicator> ParseIndicatorJson(std::string_view where,
                                     std::string_view text) {
  try {
    return IndicatorFrom(where, text);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string(where) + ": " + e.what());
  }
}

const Framework& EmbeddedFramework() {
  static const Framework* f = [] {
    auto parsed =
        ParseFramework("framework.json", embedded::kIndicatorFrameworkJson);
    return new Framework(parsed.ok() ? std::move(*parsed) : Framework{});
  }();
  return *f;
}

}  // namespace malchin::indicators
