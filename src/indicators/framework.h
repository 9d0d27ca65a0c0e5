// The results framework as data: each indicator's code, names and
// definition in Mongolian and English, unit, computation (one of a fixed
// set implemented in C++ over the capabilities' own services, compute.h),
// disaggregations, baseline and targets. The programme's framework is
// embedded (data/framework.json); the ministry adds indicators from a file
// of the same format (`malchin indicator load FILE`), stored in the
// database (repository.h).
//
// Thread-safety: pure functions and immutable values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace malchin::indicators {

enum class Unit { kPersons, kHouseholds, kPercent, kMnt, kDays };
std::string_view UnitName(Unit u);  // persons|households|percent|MNT|days

// The fixed set of computations (compute.h says what each counts).
enum class Computation {
  kInsuranceCoverageSocial,
  kInsuranceCoverageHealth,
  kChildrenTopUp,
  kChildrenTopUpAmount,
  kDaysToFirstPayment,
  kFemaleHeadedReached,
  kYoungHerderReached,
  kGrievancesResolvedInTime,
  kPdmFullAmount,
  kResilienceImproved,
};
std::string_view ComputationName(
    Computation c);  // e.g. insurance_coverage_social
Result<Computation> ParseComputation(std::string_view name);

enum class Dimension { kSex, kAgeBand, kDisability, kAimag, kSoum, kHeadSex };
std::string_view DimensionName(Dimension d);  // sex|age_band|...|head_sex
// The dimensions a computation can split by, in canonical order.
std::vector<Dimension> SupportedDimensions(Computation c);

struct Text {
  std::string mn, en;
  bool operator==(const Text&) const = default;
};

struct Baseline {
  double value = 0;
  Date date;
  std::string source;
  // As the source gives them (e.g. 40,906 insured of whom 22,856 women,
  // of 288,700 herders); absent when it does not.
  std::optional<int64_t> numerator, numerator_women, denominator;
};

struct Target {
  Date date;
  double value = 0;
};

struct Indicator {
  std::string code;
  Text name, definition;
  Unit unit = Unit::kPersons;
  Computation computation = Computation::kInsuranceCoverageSocial;
  std::vector<Dimension> disaggregations;
  std::optional<Baseline> baseline;
  std::vector<Target> targets;
  // The indicator's own JSON object as it was read (canonical dump), kept
  // with every frozen value.
  std::string json;
};

struct Framework {
  std::vector<Indicator> indicators;
  const Indicator* Find(std::string_view code) const;
};

// Parses and validates a framework file. InvalidArgument on the first
// error, in Mongolian and English, naming `file`, the line, the indicator,
// the field, the value and what was expected. Codes are unique within the
// file; a disaggregation must be one the computation supports; the unit
// must be the computation's.
Result<Framework> ParseFramework(std::string_view file, std::string_view text);

// One indicator object's JSON (as stored), parsed and validated the same
// way (`where` names it in messages).
Result<Indicator> ParseIndicatorJson(std::string_view where,
                                     std::string_view json);

// The programme's framework shipped with the binary.
const Framework& EmbeddedFramework();

}  // namespace malchin::indicators
