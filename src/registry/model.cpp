#include "registry/model.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace malchin::registry {

std::string_view SexCode(Sex s) { return s == Sex::kMale ? "M" : "F"; }

Result<Sex> ParseSex(std::string_view s) {
  if (s == "F" || s == "f") return Sex::kFemale;
  if (s == "M" || s == "m") return Sex::kMale;
  return Status::InvalidArgument("'" + std::string(s) + "' is not F or M",
                                 "sex");
}

namespace {
constexpr std::string_view kRelations[] = {
    "head", "spouse", "child", "parent", "sibling", "grandchild", "other"};
constexpr std::string_view kSpecies[] = {"camel", "horse", "cattle", "sheep",
                                         "goat"};

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::string_view RelationName(Relation r) {
  return kRelations[static_cast<int>(r)];
}

Result<Relation> ParseRelation(std::string_view s) {
  for (size_t i = 0; i < std::size(kRelations); ++i) {
    if (kRelations[i] == s) return static_cast<Relation>(i);
  }
  return Status::InvalidArgument(
      "'" + std::string(s) +
          "' is not one of head|spouse|child|parent|sibling|grandchild|other",
      "relation");
}

std::string_view SpeciesName(Species s) {
  return kSpecies[static_cast<int>(s)];
}

int64_t Herd::total() const {
  int64_t t = 0;
  for (int32_t h : head) t += h;
  return t;
}

Result<SheepUnitFactors> SheepUnitFactors::On(const params::ParameterSet& p,
                                              Date on) {
  SheepUnitFactors f;
  for (int i = 0; i < kSpeciesCount; ++i) {
    MALCHIN_ASSIGN_OR_RETURN(
        f.factor[i], p.Value("sheep_units." + std::string(kSpecies[i]), on));
  }
  return f;
}

double SheepUnitFactors::Of(const Herd& herd) const {
  double su = 0;
  for (int i = 0; i < kSpeciesCount; ++i) su += factor[i] * herd.head[i];
  return su;
}

bool IsValidHouseholdId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::vector<FieldError> ValidateHousehold(const Household& h,
                                          const geo::Geography& geo) {
  std::vector<FieldError> errs;
  if (!IsValidHouseholdId(h.id)) {
    errs.push_back(
        {"household_id", h.id, "1-32 characters of A-Z, a-z, 0-9, '_' or '-'"});
  }
  if (!geo.FindSoum(h.soum_code)) {
    errs.push_back({"soum_code", std::to_string(h.soum_code),
                    "the 5-digit NSO code of a soum or district"});
  }
  if (!geo.FindSoum(h.current_soum_code)) {
    errs.push_back({"current_soum_code", std::to_string(h.current_soum_code),
                    "the 5-digit NSO code of a soum or district"});
  }
  for (int i = 0; i < kSpeciesCount; ++i) {
    if (h.herd.head[i] < 0 || h.herd.head[i] > 100000) {
      errs.push_back({std::string(kSpecies[i]) + "s",
                      std::to_string(h.herd.head[i]),
                      "a head count from 0 to 100000"});
    }
  }
  if (h.lat.has_value() != h.lon.has_value()) {
    errs.push_back(
        {h.lat ? "lon" : "lat", "", "lat and lon together, or neither"});
  }
  if (h.lat && (*h.lat < 41.5 || *h.lat > 52.2)) {
    errs.push_back({"lat", std::to_string(*h.lat),
                    "a latitude inside Mongolia (41.5 to 52.2)"});
  }
  if (h.lon && (*h.lon < 87.7 || *h.lon > 120)) {
    errs.push_back({"lon", std::to_string(*h.lon),
                    "a longitude inside Mongolia (87.7 to 120)"});
  }
  if (!h.phone.empty() && (h.phone.size() != 8 || !AllDigits(h.phone))) {
    errs.push_back({"phone", h.phone, "8 digits, or empty"});
  }
  if (h.bag.size() > 64) errs.push_back({"bag", h.bag, "at most 64 bytes"});
  if (h.cooperative.size() > 128) {
    errs.push_back({"cooperative", h.cooperative, "at most 128 bytes"});
  }
  return errs;
}

std::vector<FieldError> ValidatePerson(const Person& p, Date today) {
  std::vector<FieldError> errs;
  if (!IsValidHouseholdId(p.household_id)) {
    errs.push_back({"household_id", p.household_id,
                    "1-32 characters of A-Z, a-z, 0-9, '_' or '-'"});
  }
  struct {
    const char* field;
    const std::string* value;
    bool required;
  } names[] = {{"family_name", &p.family_name, false},
               {"father_name", &p.father_name, true},
               {"given_name", &p.given_name, true}};
  for (auto& n : names) {
    if (n.value->empty() && !n.required) continue;
    if (!text::IsCyrillicName(*n.value) || n.value->size() > 100) {
      errs.push_back({n.field, *n.value,
                      std::string("a name in Cyrillic letters (spaces and "
                                  "hyphens allowed)") +
                          (n.required ? "" : ", or empty")});
    }
  }
  if (p.birth_date > today) {
    errs.push_back({"birth_date", p.birth_date.ToString(),
                    "a date not after today (" + today.ToString() + ")"});
  }
  Status rn = CheckRegisterNumber(p.register_no, p.birth_date, p.sex);
  if (!rn.ok()) {
    errs.push_back({"register_no", p.register_no, rn.message()});
  }
  if (!p.phone.empty() && (p.phone.size() != 8 || !AllDigits(p.phone))) {
    errs.push_back({"phone", p.phone, "8 digits, or empty"});
  }
  if (!p.bank_account.empty() &&
      (p.bank_account.size() < 6 || p.bank_account.size() > 34 ||
       !AllDigits(p.bank_account))) {
    errs.push_back({"bank_account", p.bank_account, "6-34 digits, or empty"});
  }
  return errs;
}

}  // namespace malchin::registry
