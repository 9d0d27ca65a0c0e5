// rima::RoundRepository and the indicator resilience_improved on every
// engine: round scores are kept once per (household, round, model
// version), never changed; the current score follows the newest round; the
// indicator, on a small case, equals a count made here household by
// household.
#include <gtest/gtest.h>

#include <map>

#include "backends/testing/test_database.h"
#include "indicators/compute.h"
#include "indicators/framework.h"
#include "params/parameters.h"
#include "registry/repository.h"
#include "rima/repository.h"
#include "rima/rounds.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using rima::RimaScoreRecord;
using rima::SurveyRound;

struct Case {
  const char* id;
  int32_t soum;
  char head;  // 'F', 'M' or '?' (no head)
  double rci_a;
  int quintile_a;
  std::optional<double> rci_b;  // Absent: not scored in round B.
};

// R1 (2020-06-01) and R2 (2021-06-01), model v1.
const std::vector<Case> kCases = {
    {"H1", 18140, 'F', -1.0, 1, -0.5}, {"H2", 18140, 'F', -0.5, 2, -0.6},
    {"H3", 18140, 'F', 0.0, 3, 0.5},   {"H4", 18140, 'M', -1.2, 1, -1.0},
    {"H5", 18140, 'M', -0.3, 2, {}},   {"H6", 18140, '?', -0.9, 1, -0.9},
    {"H7", 20101, 'F', -0.4, 2, 0.1}};

class RimaRoundsTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::vector<registry::Household> hh;
    std::vector<registry::Person> persons;
    int n = 0;
    for (const Case& c : kCases) {
      registry::Household h;
      h.id = c.id;
      h.soum_code = h.current_soum_code = c.soum;
      h.herder = true;
      hh.push_back(h);
      if (c.head == '?') continue;
      registry::Person p;
      p.register_no = c.head == 'F' ? "ИЗ8512032" : "ИЗ8512031";
      p.register_no += std::to_string(n++);
      p.household_id = c.id;
      p.father_name = "Батбаяр";
      p.given_name = "Сүхээ";
      p.sex = c.head == 'F' ? registry::Sex::kFemale : registry::Sex::kMale;
      p.birth_date = Date::FromYmd(1985, 12, 3);
      p.relation = registry::Relation::kHead;
      persons.push_back(p);
    }
    auto w = Get<registry::Repository>().Upsert(hh, persons, {"test", "test"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }
  rima::RoundRepository& rounds() { return Get<rima::RoundRepository>(); }
  static RimaScoreRecord Score(const char* id, double rci, int quintile,
                               const char* version = "v1") {
    RimaScoreRecord r;
    r.household_id = id;
    r.model_version = version;
    r.rci = rci;
    r.score_0_100 = 50 + 10 * rci;
    r.quintile = quintile;
    r.source = "survey.csv";
    return r;
  }
  static std::vector<RimaScoreRecord> RoundA() {
    std::vector<RimaScoreRecord> out;
    for (const Case& c : kCases) {
      out.push_back(Score(c.id, c.rci_a, c.quintile_a));
    }
    return out;
  }
  static std::vector<RimaScoreRecord> RoundB() {
    std::vector<RimaScoreRecord> out;
    for (const Case& c : kCases) {
      if (c.rci_b) out.push_back(Score(c.id, *c.rci_b, *c.rci_b < 0 ? 2 : 4));
    }
    return out;
  }
  const SurveyRound r1_{"2020-R1", Date::FromYmd(2020, 6, 1)};
  const SurveyRound r2_{"2021-R1", Date::FromYmd(2021, 6, 1)};
};

TEST_P(RimaRoundsTest, RoundScoresAreKeptOnceAndNeverChanged) {
  auto a = rounds().SaveRound({}, r1_, RoundA());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->inserted, 7);
  EXPECT_EQ(a->current.inserted, 7);
  auto again = rounds().SaveRound({}, r1_, RoundA());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 7);
  EXPECT_EQ(again->current.unchanged, 7);
  auto changed =
      rounds().SaveRound({}, r1_, {Score("H3", 0.0, 3), Score("H1", -0.7, 1)});
  EXPECT_EQ(changed.status().code(), StatusCode::kAlreadyExists);
  auto other_date = rounds().SaveRound(
      {}, {"2020-R1", Date::FromYmd(2020, 7, 1)}, {Score("H1", -1.0, 1)});
  EXPECT_EQ(other_date.status().code(), StatusCode::kAlreadyExists);
  auto outside = rounds().SaveRound(store::AreaFilter::FromCode(18140), r2_,
                                    {Score("H7", 0.1, 4)});
  ASSERT_TRUE(outside.ok());
  EXPECT_EQ(outside->not_found, std::vector<std::string>{"H7"});
  auto b = rounds().SaveRound({}, r2_, RoundB());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->inserted, 6);
  EXPECT_EQ(b->current.replaced, 6);
  // The current score follows the newest round; an older one leaves it.
  auto& current = Get<rima::ScoreRepository>();
  EXPECT_EQ((*current.LatestScore({}, "H1"))->rci, -0.5);
  EXPECT_EQ((*current.LatestScore({}, "H5"))->rci, -0.3);
  auto old = rounds().SaveRound({}, {"2019-R1", Date::FromYmd(2019, 6, 1)},
                                {Score("H1", -2.0, 1)});
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->current_newer, 1);
  EXPECT_EQ((*current.LatestScore({}, "H1"))->rci, -0.5);
  auto listed = rounds().Rounds({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].round, "2019-R1");
  EXPECT_EQ((*listed)[2], (rima::RoundSummary{"2021-R1", r2_.date, "v1", 6}));
  auto h1 = rounds().RoundScores({}, "2020-R1", "v1");
  ASSERT_TRUE(h1.ok());
  ASSERT_EQ(h1->size(), 7u);
  EXPECT_EQ((*h1)[0].head_sex, 'F');
  EXPECT_EQ((*h1)[5].head_sex, '?');
  EXPECT_EQ((*h1)[6].soum_code, 20101);
  EXPECT_TRUE(backends::testing::RawSqlRefused(
      database(), "UPDATE rima_round_scores SET rci = 0"));
  EXPECT_TRUE(backends::testing::RawSqlRefused(
      database(), "DELETE FROM rima_round_scores"));
}

TEST_P(RimaRoundsTest, ResilienceImprovedEqualsACountByHand) {
  ASSERT_TRUE(rounds().SaveRound({}, r1_, RoundA()).ok());
  ASSERT_TRUE(rounds().SaveRound({}, r2_, RoundB()).ok());
  // Another model version between them is not round A of v1.
  ASSERT_TRUE(rounds()
                  .SaveRound({}, {"2021-V2", Date::FromYmd(2021, 3, 1)},
                             {Score("H1", 5.0, 5, "v2")})
                  .ok());
  auto params = *params::ParameterSet::Embedded();
  const indicators::Indicator* ind =
      indicators::EmbeddedFramework().Find("RESILIENCE_IMPROVED");
  ASSERT_NE(ind, nullptr);
  auto v = indicators::Compute(session(), *params, *ind,
                               *indicators::Period::Parse("2021"), {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // The count: vulnerable (quintile <= 2) in round A, scored in B, higher.
  std::map<std::string, std::pair<int64_t, int64_t>> by;  // key -> n, d
  for (const Case& c : kCases) {
    if (c.quintile_a > 2 || !c.rci_b) continue;
    int64_t up = *c.rci_b > c.rci_a ? 1 : 0;
    for (std::string key :
         {std::string("total"),
          "head_sex=" +
              (c.head == '?' ? std::string("unknown") : std::string(1, c.head)),
          "aimag=" + std::to_string(c.soum / 100)}) {
      by[key].first += up;
      by[key].second += 1;
    }
  }
  EXPECT_EQ(by["total"], std::make_pair(int64_t{3}, int64_t{5}));
  for (const auto& [key, nd] : by) {
    std::vector<std::pair<std::string, std::string>> cell;
    if (key != "total") {
      size_t eq = key.find('=');
      cell = {{key.substr(0, eq), key.substr(eq + 1)}};
    }
    const indicators::Cell* c = v->Find(cell);
    ASSERT_NE(c, nullptr) << key;
    EXPECT_EQ(c->numerator, nd.first) << key;
    EXPECT_EQ(c->denominator, nd.second) << key;
  }
  EXPECT_EQ(v->cells[0].value, 60);
  // 2020: only one round on or before its end.
  auto early = indicators::Compute(session(), *params, *ind,
                                   *indicators::Period::Parse("2020"), {});
  EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Engines, RimaRoundsTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
