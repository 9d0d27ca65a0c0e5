// indicators::Results: the results framework on one store::Session, with
// ALL its rules; the repository (repository.h) only reads and writes rows.
//
//  * Indicators: the embedded framework, then the indicators the ministry
//    loaded (the latest definition of each code).
//  * Load: a framework file (framework.h format), validated whole; a code
//    of the embedded framework is refused (kAlreadyExists); a code loaded
//    before gets a new definition. One Write, audited; nothing is stored
//    on any error.
//  * Compute: the live value (compute.h) for the period and the area
//    (intersected with the caller's).
//  * Freeze: computes and stores the value with the register version, the
//    parameters version and the definition's JSON, who and when, in one
//    Write under a lock on (indicator, period, area), audited.
//    kAlreadyExists if that value is frozen already (the database's UNIQUE
//    is the last line); the frozen value is never changed.
//  * Recompute: the frozen value (if any) AND the live value, with the
//    difference cell by cell.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indicators/compute.h"
#include "indicators/framework.h"
#include "indicators/repository.h"
#include "indicators/value.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::indicators {

// A cell whose frozen and live values differ (absent on one side: 0).
struct Difference {
  std::vector<std::pair<std::string, std::string>> by;
  double frozen = 0, live = 0;
  double delta() const { return live - frozen; }
};

struct Comparison {
  std::optional<FrozenValue> frozen;
  std::vector<Cell> frozen_cells;  // Empty when not frozen.
  IndicatorValue live;
  std::vector<Difference> differences;  // Empty when equal or not frozen.
};

// The cells that differ between `frozen` and `live`, in live's order then
// the frozen-only ones.
std::vector<Difference> Differ(const std::vector<Cell>& frozen,
                               const std::vector<Cell>& live);

class Results {
 public:
  // REQUIRES: `session` outlives this object.
  Results(store::Session& session,
          std::shared_ptr<const params::ParameterSet> params);

  Result<Framework> Indicators();
  // The codes loaded, in file order.
  Result<std::vector<std::string>> Load(std::string_view file,
                                        std::string_view text);
  // NotFound (bilingual) for an unknown code.
  Result<IndicatorValue> Compute(std::string_view code, const Period& period,
                                 const store::AreaFilter& area);
  Result<FrozenValue> Freeze(std::string_view code, const Period& period,
                             const store::AreaFilter& area);
  Result<Comparison> Recompute(std::string_view code, const Period& period,
                               const store::AreaFilter& area);
  // The frozen values the caller's area contains (all indicators when
  // `code` is empty).
  Result<std::vector<FrozenValue>> Frozen(std::string_view code);

 private:
  Result<Indicator> Find(std::string_view code);

  store::Session& session_;
  std::shared_ptr<const params::ParameterSet> params_;
};

}  // namespace malchin::indicators
