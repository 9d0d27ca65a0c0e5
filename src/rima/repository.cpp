// RIMA's rules for saving scores, around the engine's data access
// (rima/repository.h).
#include "rima/repository.h"

#include <set>

namespace malchin::rima {
namespace {

bool SameValues(const RimaScoreRecord& a, const RimaScoreRecord& b) {
  return a.rci == b.rci && a.score_0_100 == b.score_0_100 &&
         a.quintile == b.quintile && a.rci_structural == b.rci_structural &&
         a.abs == b.abs && a.ast == b.ast && a.ssn == b.ssn && a.ac == b.ac;
}

}  // namespace

Status CheckScore(const RimaScoreRecord& r) {
  if (r.quintile < 1 || r.quintile > 5 || !(r.score_0_100 >= 0) ||
      !(r.score_0_100 <= 100) || r.model_version.empty()) {
    return Status::InvalidArgument(
        "RIMA score of household " + r.household_id + ": quintile " +
        std::to_string(r.quintile) + ", score " +
        std::to_string(r.score_0_100) + ", model version '" + r.model_version +
        "'; expected a quintile 1..5, a score 0..100 and a version");
  }
  return Status::Ok();
}

ScoreChange DecideScoreChange(const std::optional<RimaScoreRecord>& stored,
                              const RimaScoreRecord& incoming, bool replace) {
  if (!stored) return ScoreChange::kInsert;
  if (SameValues(*stored, incoming)) return ScoreChange::kUnchanged;
  return replace ? ScoreChange::kReplace : ScoreChange::kRefuse;
}

Result<RimaSaveResult> ScoreRepository::SaveScores(
    const AreaFilter& area, const std::vector<RimaScoreRecord>& scores,
    bool replace) {
  std::set<std::string> versions;
  for (const RimaScoreRecord& r : scores) {
    MALCHIN_RETURN_IF_ERROR(CheckScore(r));
    versions.insert(r.model_version);
  }
  RimaSaveResult out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    out = RimaSaveResult();
    for (const std::string& v : versions) {  // In order: no lock cycles.
      MALCHIN_RETURN_IF_ERROR(session_.Lock("rima.scores:" + v));
    }
    const std::string now = session_.clock().NowIso();
    for (const RimaScoreRecord& r : scores) {
      MALCHIN_ASSIGN_OR_RETURN(auto hh, LocateHousehold(area, r.household_id));
      if (!hh) {
        out.not_found.push_back(r.household_id);
        continue;
      }
      MALCHIN_ASSIGN_OR_RETURN(auto stored, StoredScore(*hh, r.model_version));
      switch (DecideScoreChange(stored, r, replace)) {
        case ScoreChange::kUnchanged:
          ++out.unchanged;
          continue;
        case ScoreChange::kRefuse:
          return Status::AlreadyExists(
              "household " + r.household_id +
              " already has a different score for model version " +
              r.model_version +
              "; nothing was saved (replace it explicitly, or score with a "
              "new model version)");
        case ScoreChange::kReplace:
          MALCHIN_RETURN_IF_ERROR(WriteScore(*hh, r, true, now));
          ++out.replaced;
          continue;
        case ScoreChange::kInsert:
          MALCHIN_RETURN_IF_ERROR(WriteScore(*hh, r, false, now));
          ++out.inserted;
          continue;
      }
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::rima
