// The rules of survey rounds (rima/rounds.h) around the engine's data
// access.
#include "rima/rounds.h"

#include <map>
#include <set>

namespace malchin::rima {
namespace {

Status RoundDateDiffers(const SurveyRound& round, Date stored) {
  return Status::AlreadyExists(
      "RIMA-ийн '" + round.name + "' үе " + stored.ToString() +
      " огноотой бүртгэгдсэн / RIMA round '" + round.name + "' is recorded " +
      "with the date " + stored.ToString() + ", not " + round.date.ToString() +
      "; expected the same date or a new round name");
}

Status RoundScoreDiffers(const SurveyRound& round, const RoundScore& s) {
  return Status::AlreadyExists(
      "өрх " + s.household_id + "-д '" + round.name +
      "' үеийн өөр оноо бий / household " + s.household_id +
      " already has a different score for round " + round.name +
      " and model version " + s.model_version +
      "; round scores are never changed: nothing was saved");
}

}  // namespace

Result<RoundSaveResult> RoundRepository::SaveRound(
    const AreaFilter& area, const SurveyRound& round,
    const std::vector<RimaScoreRecord>& scores) {
  if (round.name.empty()) {
    return Status::InvalidArgument(
        "RIMA-ийн үеийн нэр хоосон / --round: empty; expected a round name "
        "such as 2020-R1",
        "round");
  }
  std::set<std::string> versions;
  for (const RimaScoreRecord& r : scores) {
    MALCHIN_RETURN_IF_ERROR(CheckScore(r));
    versions.insert(r.model_version);
  }
  RoundSaveResult out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    out = RoundSaveResult();
    for (const std::string& v : versions) {
      MALCHIN_RETURN_IF_ERROR(session_.Lock("rima.scores:" + v));
    }
    MALCHIN_ASSIGN_OR_RETURN(auto known, RoundDate(round.name));
    if (known && *known != round.date) return RoundDateDiffers(round, *known);
    auto& current = session_.Get<ScoreRepository>();
    std::map<std::string, std::map<std::string, Date>> current_on;
    for (const std::string& v : versions) {
      MALCHIN_ASSIGN_OR_RETURN(auto had, current.ScoresForModel(area, v));
      for (const auto& s : had) current_on[v][s.household_id] = s.scored_on;
    }
    const std::string now = session_.clock().NowIso();
    std::vector<RimaScoreRecord> newer;
    for (const RimaScoreRecord& r : scores) {
      RoundScore s{r.household_id, round.name,    round.date, r.model_version,
                   r.rci,          r.score_0_100, r.quintile, r.source};
      MALCHIN_ASSIGN_OR_RETURN(
          auto stored,
          StoredRoundScore(area, r.household_id, round.name, r.model_version));
      if (stored) {
        if (stored->rci != s.rci || stored->score_0_100 != s.score_0_100 ||
            stored->quintile != s.quintile) {
          return RoundScoreDiffers(round, s);
        }
        ++out.unchanged;
      } else {
        MALCHIN_ASSIGN_OR_RETURN(bool found, InsertRoundScore(area, s, now));
        if (!found) {
          out.not_found.push_back(r.household_id);
          continue;
        }
        ++out.inserted;
      }
      auto& on = current_on[r.model_version];
      auto it = on.find(r.household_id);
      if (it != on.end() && it->second > round.date) {
        ++out.current_newer;
        continue;
      }
      newer.push_back(r);
      newer.back().scored_on = round.date;
    }
    MALCHIN_ASSIGN_OR_RETURN(out.current,
                             current.SaveScores(area, newer, true));
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::rima
