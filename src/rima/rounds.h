// Survey rounds of RIMA scores: scoring a survey with `--round NAME`
// records each household's score for that round (name and date) and model
// version, append-only, once per (household, round, model version) (a
// constraint in both schemas, table rima_round_scores), so resilience can
// be compared between two rounds (the indicator resilience_improved).
//
// The household's current score (rima_scores, what rules and reports
// read, one per model version) follows the newest round: a round's score
// replaces it when the round's date is not before the stored score's date;
// an older round leaves it as it is.
//
// Each engine implements the data access
// (src/backends/<engine>/rima_rounds_repository.cpp); the rules are here
// (rounds.cpp). Area scoping: every method takes an AreaFilter,
// intersected with the caller's; households outside behave as absent.
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "rima/repository.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::rima {

struct SurveyRound {
  std::string name;  // e.g. "2020-R1"
  Date date;
};

// One household's score in one round, with what indicators group it by:
// its soum of registration and the sex of its active head ('F', 'M', '?').
struct RoundScore {
  std::string household_id;
  std::string round;
  Date round_date;
  std::string model_version;
  double rci = 0;
  double score_0_100 = 0;
  int quintile = 0;  // 1 (least resilient) .. 5, the model's cut points.
  std::string source;
  int32_t soum_code = 0;
  char head_sex = '?';
  bool operator==(const RoundScore&) const = default;
};

// A round as stored: its name, date, model version and households scored.
struct RoundSummary {
  std::string round;
  Date date;
  std::string model_version;
  int64_t households = 0;
  bool operator==(const RoundSummary&) const = default;
};

struct RoundSaveResult {
  int64_t inserted = 0;
  int64_t unchanged =
      0;  // Already recorded for the round with the same values.
  std::vector<std::string> not_found;
  RimaSaveResult current;     // What happened to the current scores.
  int64_t current_newer = 0;  // Current scores left: a newer round's.
};

class RoundRepository : public store::Repository {
 public:
  explicit RoundRepository(store::Session& session) : session_(session) {}

  // Records `scores` (their model_version; rci, score_0_100, quintile,
  // source) for `round` in one Write, then updates the current scores as
  // the header says (ScoreRepository::SaveScores, in the same
  // transaction). kInvalidArgument for an empty round name or a bad score;
  // kAlreadyExists when a household already has a DIFFERENT score for the
  // round and model version (round scores are never changed) or the round
  // name was recorded with another date; nothing is written on any error.
  Result<RoundSaveResult> SaveRound(const AreaFilter& area,
                                    const SurveyRound& round,
                                    const std::vector<RimaScoreRecord>& scores);

  // The rounds with scores in the area, by date, name, model version.
  virtual Result<std::vector<RoundSummary>> Rounds(const AreaFilter& area) = 0;
  // The scores of one round and model version in the area, by household.
  virtual Result<std::vector<RoundScore>> RoundScores(
      const AreaFilter& area, std::string_view round,
      std::string_view model_version) = 0;

 protected:
  store::Session& session() { return session_; }
  // --- The engine's data access for SaveRound (inside its Write) ---------
  // The household's score for the round and model version, or nullopt
  // (also when the household is not in the area).
  virtual Result<std::optional<RoundScore>> StoredRoundScore(
      const AreaFilter& area, std::string_view household_id,
      std::string_view round, std::string_view model_version) = 0;
  // A date the round name is recorded with (any model version), if any.
  virtual Result<std::optional<Date>> RoundDate(std::string_view round) = 0;
  // Inserts the score; false (nothing written) when the household is not
  // in the register in the area.
  virtual Result<bool> InsertRoundScore(const AreaFilter& area,
                                        const RoundScore& score,
                                        std::string_view recorded_at) = 0;

 private:
  store::Session& session_;
};

}  // namespace malchin::rima
