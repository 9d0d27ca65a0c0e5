// Measuring grievance redress: counts, time to acknowledge and to decide,
// the share within the deadlines and the outcomes, by any of category,
// channel, area, sex and age band of the complainant (docs/grievance.md,
// "Measures"; these feed the indicators).
//
// Input is the cases as grievance::Repository::Facts gives them: a case the
// viewer may not see in detail comes masked (category "confidential", no
// channel, sex or age, no times) and is counted in its area's
// "confidential" row with its state only.
//
// Times are in calendar days: acknowledged_on - received_on and
// decided_on - received_on. "In time" compares with the deadlines fixed at
// intake. A case is `overdue` on `as_of` when it is open and past a
// deadline (workflow.h).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "grievance/repository.h"

namespace malchin::grievance {

enum class StatsDim { kCategory, kChannel, kSoum, kAimag, kSex, kAgeBand };
std::string_view StatsDimName(StatsDim d);  // category, channel, soum, ...
Result<StatsDim> ParseStatsDim(std::string_view s);
// "category,sex" -> {kCategory, kSex}; InvalidArgument (field "by") for an
// unknown or repeated name, or both soum and aimag.
Result<std::vector<StatsDim>> ParseStatsDims(std::string_view list);

struct StatsQuery {
  FactQuery facts;
  std::vector<StatsDim> by;
  std::optional<Date> as_of;  // For `overdue`; default the clock's today.
};

struct StatsRow {
  // The group (only the dimensions asked for are set; "" / 0 otherwise).
  std::string category;
  std::string channel;
  int32_t area_code = 0;  // Soum or aimag code.
  std::string sex;        // "F", "M" or "unknown".
  std::string age_band;   // registry::AgeBandName, or "unknown".
  int64_t cases = 0;
  int64_t open = 0;
  int64_t overdue = 0;
  int64_t acknowledged = 0;
  int64_t acknowledged_in_time = 0;
  int64_t decided = 0;
  int64_t decided_in_time = 0;
  int64_t resolved = 0, referred = 0, rejected = 0;
  int64_t closed = 0;
  int64_t escalated = 0;            // Now above the soum level.
  int64_t days_to_acknowledge = 0;  // Sums, for the means below.
  int64_t days_to_decide = 0;
  int64_t masked = 0;  // Cases counted without detail (confidential).

  double MeanDaysToAcknowledge() const;  // 0 when none acknowledged.
  double MeanDaysToDecide() const;
  double ShareAcknowledgedInTime() const;  // Of those acknowledged.
  double ShareDecidedInTime() const;       // Of those decided.
};

struct Stats {
  std::vector<StatsRow> rows;  // Sorted by the group's fields.
  StatsRow total;
  Date as_of;
};

// Groups `facts` by `by` (the masked ones by area only, when an area is
// asked for).
Stats Aggregate(const std::vector<CaseFact>& facts,
                const std::vector<StatsDim>& by, Date as_of);

}  // namespace malchin::grievance
