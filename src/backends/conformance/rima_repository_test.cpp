#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "backends/testing/test_database.h"
#include "registry/repository.h"
#include "rima/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using rima::RimaQuintile;
using rima::RimaScoreRecord;
using store::AreaFilter;

class RimaRepositoryTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::vector<registry::Household> hh = {Hh("A1", 18140), Hh("A2", 18140),
                                           Hh("B1", 20101)};
    auto w = reg().Upsert(hh, {}, {"test", "test"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    rima_ = &Get<rima::ScoreRepository>();
  }
  registry::Repository& reg() { return Get<registry::Repository>(); }
  static registry::Household Hh(const char* id, int32_t soum) {
    registry::Household h;
    h.id = id;
    h.soum_code = soum;
    h.current_soum_code = soum;
    h.herder = true;
    return h;
  }
  static RimaScoreRecord Score(const char* id, const char* version,
                               const char* on, double rci, int quintile) {
    RimaScoreRecord r;
    r.household_id = id;
    r.model_version = version;
    r.scored_on = *Date::Parse(on);
    r.rci = rci;
    r.score_0_100 = 50 + 10 * rci;
    r.quintile = quintile;
    r.rci_structural = rci / 2;
    r.abs = 0.1;
    r.ast = 0.2;
    r.ssn = 0.3;
    r.ac = 0.4;
    r.source = "survey.csv";
    return r;
  }
  rima::ScoreRepository* rima_ = nullptr;
};

TEST_P(RimaRepositoryTest, SavesOnePerHouseholdAndModelVersion) {
  auto r = rima_->SaveScores({},
                             {Score("A1", "v1", "2026-01-10", -1.0, 1),
                              Score("A2", "v1", "2026-01-10", 1.0, 5),
                              Score("ZZ", "v1", "2026-01-10", 0.0, 3)},
                             false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->not_found, std::vector<std::string>{"ZZ"});
  // Same values again: unchanged. Different values: refused, nothing saved.
  r = rima_->SaveScores({}, {Score("A1", "v1", "2026-02-01", -1.0, 1)}, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unchanged, 1);
  auto bad = rima_->SaveScores({},
                               {Score("A2", "v1", "2026-02-01", 2.0, 5),
                                Score("A1", "v1", "2026-02-01", 0.5, 3)},
                               false);
  EXPECT_EQ(bad.status().code(), StatusCode::kAlreadyExists);
  auto latest = rima_->LatestScore({}, "A1");
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->rci, -1.0);
  // Explicit replacement.
  r = rima_->SaveScores({}, {Score("A1", "v1", "2026-02-01", 0.5, 3)}, true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->replaced, 1);
  latest = rima_->LatestScore({}, "A1");
  EXPECT_EQ((*latest)->quintile, 3);
  // A new model version adds a row; the latest is the most recent date.
  r = rima_->SaveScores({}, {Score("A1", "v2", "2027-01-10", 0.7, 4)}, false);
  ASSERT_TRUE(r.ok());
  latest = rima_->LatestScore({}, "A1");
  EXPECT_EQ((*latest)->model_version, "v2");
  auto v1 = rima_->ScoresForModel({}, "v1");
  ASSERT_TRUE(v1.ok());
  ASSERT_EQ(v1->size(), 2u);
  EXPECT_EQ((*v1)[0], Score("A1", "v1", "2026-02-01", 0.5, 3));
}

TEST_P(RimaRepositoryTest, AreaScoping) {
  AreaFilter zavkhan{181, 0};
  auto r = rima_->SaveScores(zavkhan,
                             {Score("A1", "v1", "2026-01-10", -1.0, 1),
                              Score("B1", "v1", "2026-01-10", 1.0, 5)},
                             false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->inserted, 1);
  EXPECT_EQ(r->not_found, std::vector<std::string>{"B1"});
  ASSERT_TRUE(
      rima_->SaveScores({}, {Score("B1", "v1", "2026-01-10", 1, 5)}, false)
          .ok());
  auto hidden = rima_->LatestScore(zavkhan, "B1");
  ASSERT_TRUE(hidden.ok());
  EXPECT_FALSE(hidden->has_value());
  auto all = rima_->ScoresForModel(zavkhan, "v1");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].household_id, "A1");
}

// The area each method is given is intersected with the caller's.
TEST_P(RimaRepositoryTest, TheCallersAreaLimitsEveryMethod) {
  ASSERT_TRUE(rima_
                  ->SaveScores({},
                               {Score("A1", "v1", "2026-01-10", -1.0, 1),
                                Score("B1", "v1", "2026-01-10", 1.0, 5)},
                               false)
                  .ok());
  auto zavkhan = Connect({181, 0}, "zav");
  ASSERT_NE(zavkhan, nullptr);
  auto& scoped = zavkhan->Get<rima::ScoreRepository>();
  EXPECT_FALSE(scoped.LatestScore({}, "B1")->has_value());
  EXPECT_EQ(scoped.ScoresForModel({}, "v1")->size(), 1u);
  EXPECT_EQ(scoped.LatestQuintiles({})->size(), 1u);
  EXPECT_EQ(scoped.ScoresWithProfile({}, "v1")->size(), 1u);
  auto saved =
      scoped.SaveScores({}, {Score("B1", "v2", "2026-02-01", 1.0, 5)}, false);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->not_found, std::vector<std::string>{"B1"});
}

// Two app servers saving the same new score at the same moment: one
// inserts it, the other finds it unchanged (never a constraint error).
TEST_P(RimaRepositoryTest, TwoSessionsSavingTheSameScore) {
  auto first = Connect({}, "a");
  auto second = Connect({}, "b");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  for (int round = 0; round < 6; ++round) {
    std::string version = "race-" + std::to_string(round);
    RimaScoreRecord score = Score("A1", version.c_str(), "2026-01-10", -1.0, 1);
    std::atomic<int> ready{0};
    Result<rima::RimaSaveResult> saved[2] = {Status::Internal("not run"),
                                             Status::Internal("not run")};
    auto run = [&](store::Session* s, int i) {
      auto& repo = s->Get<rima::ScoreRepository>();
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      saved[i] = repo.SaveScores({}, {score}, false);
    };
    std::thread a(run, first.get(), 0), b(run, second.get(), 1);
    a.join();
    b.join();
    ASSERT_TRUE(saved[0].ok()) << saved[0].status().ToString();
    ASSERT_TRUE(saved[1].ok()) << saved[1].status().ToString();
    EXPECT_EQ(saved[0]->inserted + saved[1]->inserted, 1);
    EXPECT_EQ(saved[0]->unchanged + saved[1]->unchanged, 1);
  }
  EXPECT_EQ(rima_->ModelVersions({})->size(), 6u);
}

TEST_P(RimaRepositoryTest, RejectsOutOfRangeScores) {
  auto r =
      rima_->SaveScores({}, {Score("A1", "v1", "2026-01-10", 0, 6)}, false);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(RimaRepositoryTest, ModelVersionsAndScoresWithProfile) {
  auto head = [](const char* rn, const char* hh, registry::Sex sex,
                 const char* born) {
    registry::Person p;
    p.register_no = rn;
    p.household_id = hh;
    p.father_name = "Бат";
    p.given_name = "Сараа";
    p.sex = sex;
    p.birth_date = *Date::Parse(born);
    p.relation = registry::Relation::kHead;
    return p;
  };
  ASSERT_TRUE(
      reg()
          .Upsert(
              {},
              {head("ИЗ85120320", "A1", registry::Sex::kFemale, "1985-12-03"),
               head("ИЗ85120411", "A2", registry::Sex::kMale, "1985-12-04")},
              {"test", "test"})
          .ok());
  ASSERT_TRUE(rima_
                  ->SaveScores({},
                               {Score("A1", "v1", "2026-01-10", -1.0, 1),
                                Score("A2", "v1", "2026-01-11", 0.5, 4),
                                Score("B1", "v1", "2026-01-12", 1.0, 5),
                                Score("A1", "v2", "2026-03-01", 0.2, 3)},
                               false)
                  .ok());
  auto all = rima_->ModelVersions({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].model_version, "v2");  // Most recently scored first.
  EXPECT_EQ((*all)[0].households, 1);
  EXPECT_EQ((*all)[1].model_version, "v1");
  EXPECT_EQ((*all)[1].households, 3);
  EXPECT_EQ((*all)[1].first_scored_on, *Date::Parse("2026-01-10"));
  EXPECT_EQ((*all)[1].last_scored_on, *Date::Parse("2026-01-12"));
  auto soum = rima_->ModelVersions({0, 18140});
  ASSERT_TRUE(soum.ok());
  ASSERT_EQ(soum->size(), 2u);
  EXPECT_EQ((*soum)[1].households, 2);  // B1 is in another aimag.

  auto p = rima_->ScoresWithProfile({}, "v1");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->size(), 3u);
  EXPECT_EQ((*p)[0].score.household_id, "A1");
  EXPECT_EQ((*p)[0].soum_code, 18140);
  EXPECT_EQ((*p)[0].head_sex, 'F');
  EXPECT_EQ((*p)[1].head_sex, 'M');
  EXPECT_EQ((*p)[2].soum_code, 20101);
  EXPECT_EQ((*p)[2].head_sex, '?');  // No head registered.
  auto zavkhan = rima_->ScoresWithProfile({181, 0}, "v1");
  ASSERT_TRUE(zavkhan.ok());
  EXPECT_EQ(zavkhan->size(), 2u);
}

TEST_P(RimaRepositoryTest, LatestQuintilesTakesEachHouseholdsLatestScore) {
  auto r = rima_->SaveScores({},
                             {Score("A1", "v1", "2026-01-10", -1.0, 1),
                              Score("B1", "v1", "2026-01-10", 1.0, 5)},
                             false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // A1 scored again later by a new model: that quintile wins. A2 has no
  // score and is absent.
  r = rima_->SaveScores({}, {Score("A1", "v2", "2026-03-01", 0.2, 3)}, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto q = rima_->LatestQuintiles({});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ((*q)[0], (RimaQuintile{"A1", 3, "v2", *Date::Parse("2026-03-01")}));
  EXPECT_EQ((*q)[1], (RimaQuintile{"B1", 5, "v1", *Date::Parse("2026-01-10")}));
  // Same date: the latest saved wins, as in LatestScore.
  r = rima_->SaveScores({}, {Score("A1", "v3", "2026-03-01", -0.9, 1)}, false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  q = rima_->LatestQuintiles({});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)[0].quintile, 1);
  EXPECT_EQ((*q)[0].model_version, "v3");
  EXPECT_EQ((*q)[0].quintile, (*rima_->LatestScore({}, "A1"))->quintile);
  // Area scoping: B1 is in another aimag.
  auto zavkhan = rima_->LatestQuintiles({181, 0});
  ASSERT_TRUE(zavkhan.ok());
  ASSERT_EQ(zavkhan->size(), 1u);
  EXPECT_EQ((*zavkhan)[0].household_id, "A1");
}

INSTANTIATE_TEST_SUITE_P(Engines, RimaRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
