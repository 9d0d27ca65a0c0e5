// Coverage rates of herders (or any population in a snapshot) by area x
// sex x age band x disability, month by month, against the targets
// (parameters insurance.target.*), and the list of persons behind any
// figure.
//
// Thread-safety: pure functions over an immutable snapshot.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "insurance/repository.h"
#include "params/parameters.h"
#include "registry/population.h"

namespace malchin::insurance {

struct CoverageQuery {
  std::vector<int32_t> months;  // Reference months; age is on the 1st.
  registry::AreaLevel level = registry::AreaLevel::kSoum;
  bool by_sex = true;
  bool by_age_band = true;
  bool by_disability = false;
  // Only persons aged 18 up to the normal pension age for their sex (the
  // working age); false: everyone in the snapshot.
  bool working_age = true;
};

// One figure: a cell (area, sex, age band, disability; -1 = all) in a month.
struct CoverageCell {
  int32_t month = 0;
  int32_t area = 0;  // 0 nation, aimag or soum code.
  int8_t sex = -1;   // registry::Sex, or -1 for both.
  int8_t age_band = -1;
  int8_t disability = -1;
  int64_t persons = 0;
  int64_t insured[insurance::kInsuranceSchemeCount] = {0, 0};
  double rate(insurance::InsuranceScheme s) const {
    return persons ? static_cast<double>(insured[static_cast<int>(s)]) /
                         static_cast<double>(persons)
                   : 0.0;
  }
};

struct CoverageTable {
  std::vector<CoverageCell> cells;  // By month, area, sex, band, disability.
  // Targets in force in each month (same order as query.months).
  std::vector<double> target[insurance::kInsuranceSchemeCount];
};

// Cells with no person are left out. FailedPrecondition if a parameter is
// missing for a month.
Result<CoverageTable> ComputeCoverage(const params::ParameterSet& p,
                                      const insurance::InsuranceSnapshot& snap,
                                      const CoverageQuery& query);

// The persons (snapshot indexes) behind one figure: those counted in the
// cell, insured by `scheme` or not.
Result<std::vector<uint32_t>> PersonsInCell(
    const params::ParameterSet& p, const insurance::InsuranceSnapshot& snap,
    const CoverageQuery& query, const CoverageCell& cell,
    insurance::InsuranceScheme scheme, bool insured);

}  // namespace malchin::insurance
