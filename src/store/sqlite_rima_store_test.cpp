#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/rima_store.h"
#include "store/store.h"

namespace malchin::store {
namespace {

class RimaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("malchin_rima_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = Store::OpenSqlite((dir_ / "r.db").string(), {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    std::vector<registry::Household> hh = {Hh("A1", 18140), Hh("A2", 18140),
                                           Hh("B1", 20101)};
    auto w = store_->Upsert(hh, {}, {"test", "test"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    auto r = RimaStore::For(*store_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    rima_ = std::move(*r);
  }
  void TearDown() override {
    rima_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
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
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<RimaStore> rima_;
};

TEST_F(RimaStoreTest, SavesOnePerHouseholdAndModelVersion) {
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

TEST_F(RimaStoreTest, AreaScoping) {
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

TEST_F(RimaStoreTest, RejectsOutOfRangeScores) {
  auto r =
      rima_->SaveScores({}, {Score("A1", "v1", "2026-01-10", 0, 6)}, false);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace malchin::store
