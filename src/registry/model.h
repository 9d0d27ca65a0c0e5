// The register's domain model: households, their herds, and persons.
//
// Every person carries sex, birth date, disability and the household's soum,
// so every count can be disaggregated by sex x age band x disability x area.
// Households and persons are never deleted: they are deactivated with a
// reason and a date.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "registry/register_number.h"

namespace malchin::registry {

enum class Relation {
  kHead,
  kSpouse,
  kChild,
  kParent,
  kSibling,
  kGrandchild,
  kOther
};

std::string_view SexCode(Sex s);  // "F" | "M"
Result<Sex> ParseSex(std::string_view s);
std::string_view RelationName(Relation r);  // "head", "spouse", ...
Result<Relation> ParseRelation(std::string_view s);

enum class Species { kCamel, kHorse, kCattle, kSheep, kGoat };
inline constexpr int kSpeciesCount = 5;
std::string_view SpeciesName(Species s);  // "camel", ...

// Head of livestock by species, indexed by Species.
struct Herd {
  std::array<int32_t, kSpeciesCount> head{};
  int32_t& operator[](Species s) { return head[static_cast<int>(s)]; }
  int32_t operator[](Species s) const { return head[static_cast<int>(s)]; }
  int64_t total() const;
  bool operator==(const Herd&) const = default;
};

// Sheep-unit factors in force on a date (parameters sheep_units.<species>).
struct SheepUnitFactors {
  std::array<double, kSpeciesCount> factor{};
  static Result<SheepUnitFactors> On(const params::ParameterSet& p, Date on);
  double Of(const Herd& herd) const;
};

struct Deactivation {
  Date on;
  std::string reason;
  bool operator==(const Deactivation&) const = default;
};

struct Household {
  std::string id;                 // 1-32 of [A-Za-z0-9_-], stable.
  int32_t soum_code = 0;          // Soum of registration.
  std::string bag;                // Bag (sub-soum unit), free text.
  int32_t current_soum_code = 0;  // Where the household and herd are now.
  bool herder = false;
  Herd herd;
  std::string cooperative;  // Cooperative / pasture-user group, or empty.
  std::string phone;
  std::optional<double> lat, lon;
  std::optional<Deactivation> deactivated;
  bool operator==(const Household&) const = default;
};

struct Person {
  std::string register_no;  // Normalized (upper-case letters).
  std::string household_id;
  std::string family_name;  // Ургийн овог.
  std::string father_name;  // Эцэг/эхийн нэр.
  std::string given_name;   // Нэр.
  Sex sex = Sex::kFemale;
  Date birth_date;
  Relation relation = Relation::kOther;
  bool disability = false;
  bool herder = false;
  std::string phone;
  std::string bank_account;
  std::optional<Deactivation> deactivated;
  bool operator==(const Person&) const = default;
};

// Field-level validation problems, one per bad field.
struct FieldError {
  std::string field;
  std::string value;
  std::string expected;
};

// Checks a household's fields against the geography (soum codes must be
// soums or districts). Returns every problem, not only the first.
std::vector<FieldError> ValidateHousehold(const Household& h,
                                          const geo::Geography& geo);
// Checks a person's fields: names in Cyrillic, register number form and its
// agreement with birth date and sex, birth date not in the future relative
// to `today`, phone and bank account shapes.
std::vector<FieldError> ValidatePerson(const Person& p, Date today);

bool IsValidHouseholdId(std::string_view id);

}  // namespace malchin::registry
