// The registry side of RIMA-II: households' resilience capacity scores,
// one per household and model version (a database constraint), so that
// the rule language and reports can use e.g. the latest RCI quintile.
// No SQL here; the SQLite implementation is sqlite_rima_store.cpp.
//
// Area scoping: every method takes the caller's AreaFilter; households
// outside it behave as if they did not exist.
// Thread-safety: like the Store it was made from (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "store/store.h"

namespace malchin::store {

struct RimaScoreRecord {
  std::string household_id;
  std::string model_version;
  Date scored_on;
  double rci = 0;
  double score_0_100 = 0;  // 0..100 on the model's reference scale.
  int quintile = 0;        // 1 (least resilient) .. 5.
  double rci_structural = 0;
  double abs = 0, ast = 0, ssn = 0, ac = 0;  // Pillar scores.
  std::string source;                        // E.g. the survey file.
  bool operator==(const RimaScoreRecord&) const = default;
};

struct RimaSaveResult {
  int64_t inserted = 0;
  int64_t replaced = 0;
  int64_t unchanged = 0;  // Same model version, same values.
  // Households not in the register (or outside the area): not stored.
  std::vector<std::string> not_found;
};

class RimaStore {
 public:
  virtual ~RimaStore() = default;

  // The repository over `store`'s SQLite connection; kUnavailable for a
  // back end without one. REQUIRES: `store` outlives the result.
  static Result<std::unique_ptr<RimaStore>> For(Store& store);

  // Saves the scores in one transaction. A household already scored with
  // the same model version is `unchanged` if every value is equal;
  // otherwise kAlreadyExists naming it and nothing is written, unless
  // `replace` (then `replaced`). Scores with a quintile outside 1..5 or a
  // score outside 0..100 are kInvalidArgument; nothing is written.
  virtual Result<RimaSaveResult> SaveScores(
      const AreaFilter& area, const std::vector<RimaScoreRecord>& scores,
      bool replace) = 0;

  // The household's most recent score (latest scored_on, then latest
  // saved); nullopt if none, or if the household is outside `area`.
  virtual Result<std::optional<RimaScoreRecord>> LatestScore(
      const AreaFilter& area, std::string_view household_id) = 0;

  // Every score of one model version in the area, by household id.
  virtual Result<std::vector<RimaScoreRecord>> ScoresForModel(
      const AreaFilter& area, std::string_view model_version) = 0;
};

}  // namespace malchin::store
