// The official poverty line, taken from the dated parameters
// (data/parameters.json) instead of being typed in by hand:
//
//   poverty.line.per_capita        MNT per person per month (NSO; in force
//                                  from 2016-01-01: 146,100, from
//                                  2020-01-01: 184,747)
//   poverty.line.adult_equivalent  MNT per adult equivalent per month (NSO /
//                                  World Bank 2022 methodology: 418,090)
//
// Only national lines are published in the reference data: there are no
// regional lines to apply, and the 2018 line was not found. The 2022 line
// belongs to a new methodology with NSO's own equivalence scale, which
// Malchin does not implement, so only the per-capita line is ever applied
// automatically: for another scale the caller must give a line.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"
#include "poverty/survey.h"

namespace malchin::poverty {

struct OfficialLine {
  double mnt = 0;                 // z, MNT per person per month.
  std::string parameter;          // "poverty.line.per_capita".
  Date in_force_from;             // The value's "from" date.
  Date on;                        // The date asked for.
  std::string source;             // As recorded in the parameters.
  std::string parameter_version;  // The parameter set's version.
};

// The official line in force on `on` for welfare measured with `scale`.
// FailedPrecondition if no line is in force on that date (before
// 2016-01-01), or if `scale` is not per capita (no official line exists for
// Malchin's other scales: the message says to give a line explicitly).
Result<OfficialLine> OfficialPovertyLine(const params::ParameterSet& parameters,
                                         Date on, EquivalenceScale scale);

}  // namespace malchin::poverty
