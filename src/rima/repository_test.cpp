// RIMA's rule for a score already stored (repository.h); the engines'
// side is the conformance suite (src/backends/conformance).
#include "rima/repository.h"

#include <gtest/gtest.h>

namespace malchin::rima {
namespace {

RimaScoreRecord Score(double rci) {
  RimaScoreRecord r;
  r.household_id = "A1";
  r.model_version = "v1";
  r.scored_on = Date::FromYmd(2026, 1, 10);
  r.rci = rci;
  r.score_0_100 = 50;
  r.quintile = 3;
  r.source = "a.csv";
  return r;
}

TEST(DecideScoreChange, InsertsUnchangedReplacesOrRefuses) {
  EXPECT_EQ(DecideScoreChange(std::nullopt, Score(0.5), false),
            ScoreChange::kInsert);
  RimaScoreRecord later = Score(0.5);
  later.scored_on = Date::FromYmd(2027, 1, 1);  // Date and source do not
  later.source = "b.csv";                       // make a score different.
  EXPECT_EQ(DecideScoreChange(Score(0.5), later, false),
            ScoreChange::kUnchanged);
  EXPECT_EQ(DecideScoreChange(Score(0.5), Score(0.6), false),
            ScoreChange::kRefuse);
  EXPECT_EQ(DecideScoreChange(Score(0.5), Score(0.6), true),
            ScoreChange::kReplace);
  RimaScoreRecord pillar = Score(0.5);
  pillar.ac = 0.1;
  EXPECT_EQ(DecideScoreChange(Score(0.5), pillar, false), ScoreChange::kRefuse);
}

}  // namespace
}  // namespace malchin::rima
