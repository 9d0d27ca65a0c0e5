// The registry side of RIMA-II: households' resilience capacity scores,
// one per household and model version (a database constraint), so that
// the rule language and reports can use e.g. the latest RCI quintile.
// Each engine implements rima::ScoreRepository's data access
// (src/backends/<engine>/rima_repository.cpp) on a store::Session; what a
// save does with a score already stored (unchanged, replaced or refused)
// is RIMA's own rule (repository.cpp), around the engine's methods.
//
// Area scoping: every method takes an AreaFilter, intersected with the
// session's caller area; households outside it behave as if they did not
// exist.
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "store/area.h"
#include "store/audit.h"
#include "store/session.h"

namespace malchin::rima {

using store::AreaFilter;

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

// A score with what reports group it by: the household's soum of
// registration and the sex of its active head ('F', 'M', or '?' when it has
// none).
struct RimaScoreProfile {
  RimaScoreRecord score;
  int32_t soum_code = 0;
  char head_sex = '?';
};

// A household's latest resilience quintile and the score it comes from.
struct RimaQuintile {
  std::string household_id;
  int quintile = 0;  // 1 (least resilient) .. 5.
  std::string model_version;
  Date scored_on;
  bool operator==(const RimaQuintile&) const = default;
};

// How many households of the area one model version has scored.
struct RimaModelScores {
  std::string model_version;
  int64_t households = 0;
  Date first_scored_on, last_scored_on;
};

// Ok, or kInvalidArgument naming the household when the quintile is not
// 1..5, the score not 0..100 or the model version empty.
Status CheckScore(const RimaScoreRecord& r);

// What saving a score does when the household already has one for the
// same model version (or none).
enum class ScoreChange {
  kInsert,     // No score yet for this model version.
  kUnchanged,  // The same values: nothing to write.
  kReplace,    // Different values, and the caller asked to replace them.
  kRefuse,     // Different values: refused (kAlreadyExists).
};
// The rule: values compare equal field by field (rci, score, quintile,
// structural RCI and the four pillars; not the date or the source).
ScoreChange DecideScoreChange(const std::optional<RimaScoreRecord>& stored,
                              const RimaScoreRecord& incoming, bool replace);

class ScoreRepository : public store::Repository {
 public:
  explicit ScoreRepository(store::Session& session) : session_(session) {}

  // Saves the scores in one transaction. A household already scored with
  // the same model version is `unchanged` if every value is equal;
  // otherwise kAlreadyExists naming it and nothing is written, unless
  // `replace` (then `replaced`). Scores with a quintile outside 1..5 or a
  // score outside 0..100 are kInvalidArgument; nothing is written.
  // Saves of the same model version by several app servers run one after
  // the other (a session lock per model version).
  Result<RimaSaveResult> SaveScores(const AreaFilter& area,
                                    const std::vector<RimaScoreRecord>& scores,
                                    bool replace);

  // The household's most recent score (latest scored_on, then latest
  // saved); nullopt if none, or if the household is outside `area`.
  virtual Result<std::optional<RimaScoreRecord>> LatestScore(
      const AreaFilter& area, std::string_view household_id) = 0;

  // Every household of the area with a score, by household id, with the
  // quintile of its most recent score (as LatestScore: latest scored_on,
  // then latest saved), whatever the model version. Households without a
  // score are absent. What the rule language's rci_quintile reads.
  virtual Result<std::vector<RimaQuintile>> LatestQuintiles(
      const AreaFilter& area) = 0;

  // Every score of one model version in the area, by household id.
  virtual Result<std::vector<RimaScoreRecord>> ScoresForModel(
      const AreaFilter& area, std::string_view model_version) = 0;

  // The model versions with scores in the area, the most recently scored
  // first (then by version).
  virtual Result<std::vector<RimaModelScores>> ModelVersions(
      const AreaFilter& area) = 0;

  // ScoresForModel with each household's soum and head's sex, for
  // aggregate reports (RCI by aimag or soum and sex of the head).
  virtual Result<std::vector<RimaScoreProfile>> ScoresWithProfile(
      const AreaFilter& area, std::string_view model_version) = 0;

 protected:
  store::Session& session() { return session_; }

  // --- The engine's data access for SaveScores (inside its Write) --------
  // The store's key of the household `household_id` registered in the area
  // (intersected with the caller's), or nullopt.
  virtual Result<std::optional<int64_t>> LocateHousehold(
      const AreaFilter& area, std::string_view household_id) = 0;
  // The score of household `hh` for `model_version` (household_id left
  // empty), or nullopt.
  virtual Result<std::optional<RimaScoreRecord>> StoredScore(
      int64_t hh, std::string_view model_version) = 0;
  // Inserts the score of household `hh`, or (`replace`) overwrites the one
  // stored for its model version.
  virtual Status WriteScore(int64_t hh, const RimaScoreRecord& score,
                            bool replace, std::string_view recorded_at) = 0;

 private:
  store::Session& session_;
};

}  // namespace malchin::rima
