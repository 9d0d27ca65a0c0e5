// The previews' register cache: a frame is reused while the register is
// unchanged and never after it changed, whoever changed it.
#include "response/frame_cache.h"

#include <gtest/gtest.h>

#include "backends/testing/test_database.h"

namespace malchin::response {
namespace {

using registry::Relation;
using registry::Sex;

Date D(const char* s) { return *Date::Parse(s); }

class FrameCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = backends::testing::OpenTestStore();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    test_ = std::move(*t);
    store_ = &session().Get<registry::Repository>();
    factors_.factor.fill(1.0);
    ASSERT_TRUE(store_
                    ->Upsert({Hh("H1", 18149), Hh("H2", 18101)},
                             {P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                                Relation::kHead),
                              P("ИЗ15220111", "H1", "2015-02-01", Sex::kMale,
                                Relation::kChild),
                              P("ИЗ75010122", "H2", "1975-01-01", Sex::kFemale,
                                Relation::kHead)},
                             {"test", "t"})
                    .ok());
  }
  store::Session& session() { return *test_.session; }
  static registry::Household Hh(const char* id, int32_t soum) {
    registry::Household h;
    h.id = id;
    h.soum_code = soum;
    h.current_soum_code = soum;
    return h;
  }
  static registry::Person P(const char* rn, const char* hh, const char* born,
                            Sex sex, Relation rel) {
    registry::Person p;
    p.register_no = rn;
    p.household_id = hh;
    p.father_name = "Батбаяр";
    p.given_name = "Сүхээ";
    p.sex = sex;
    p.birth_date = D(born);
    p.relation = rel;
    return p;
  }
  std::shared_ptr<const rules::Frame> Get(FrameCache& cache,
                                          store::AreaFilter area = {},
                                          Date on = D("2020-04-01")) {
    auto f = cache.Get(session(), area, on, factors_);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? *f : nullptr;
  }

  backends::testing::TestStore test_;
  registry::Repository* store_ = nullptr;
  registry::SheepUnitFactors factors_;
};

TEST_F(FrameCacheTest, ReusesTheFrameWhileTheRegisterIsUnchanged) {
  FrameCache cache;
  auto a = Get(cache);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->persons(), 3u);
  auto b = Get(cache);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(cache.stats().hits, 1);
  EXPECT_EQ(cache.stats().loads, 1);
  // Another date: a new frame on the same loaded register.
  auto c = Get(cache, {}, D("2019-12-15"));
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(cache.stats().loads, 1);
  EXPECT_EQ(cache.stats().frames_built, 2);
  // Another area: loaded separately.
  auto tes = Get(cache, {0, 18149});
  EXPECT_EQ(tes->persons(), 2u);
  EXPECT_EQ(cache.stats().loads, 2);
  // Frames in use outlive the cache's entries.
  cache.Clear();
  EXPECT_EQ(a->population().persons(), 3u);
  EXPECT_EQ(a->Age(1), 5);
}

// Frames are kept by the caller's area: a soum officer's session never
// gets the national frame, nor the other way round.
TEST_F(FrameCacheTest, CallersInOtherAreasNeverShareAFrame) {
  FrameCache cache;
  auto national = Get(cache);
  ASSERT_TRUE(national);
  EXPECT_EQ(national->persons(), 3u);
  session().SetCaller({"tes", "soum_officer", {0, 18149}});
  auto tes = Get(cache);  // Asks for the whole country; sees Tes.
  ASSERT_TRUE(tes);
  EXPECT_EQ(tes->persons(), 2u);
  EXPECT_NE(tes.get(), national.get());
  EXPECT_EQ(Get(cache).get(), tes.get());  // Reused for the same area.
  session().SetCaller({});
  EXPECT_EQ(Get(cache).get(), national.get());
}

TEST_F(FrameCacheTest, NeverServesAChangedRegister) {
  FrameCache cache;
  ASSERT_EQ(Get(cache)->persons(), 3u);
  // A new person.
  ASSERT_TRUE(store_
                  ->Upsert({},
                           {P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale,
                              Relation::kChild)},
                           {"test", "t"})
                  .ok());
  EXPECT_EQ(Get(cache)->persons(), 4u);
  // A changed field (the new child's disability).
  registry::Person child =
      P("ИЗ19220322", "H1", "2019-02-03", Sex::kFemale, Relation::kChild);
  child.disability = true;
  ASSERT_TRUE(store_->Upsert({}, {child}, {"test", "t"}).ok());
  auto f = Get(cache);
  EXPECT_EQ(f->population().disability[3], 1);
  // A deactivation.
  ASSERT_TRUE(
      store_->DeactivatePerson("ИЗ15220111", {D("2020-01-05"), "moved"}).ok());
  EXPECT_EQ(Get(cache)->persons(), 3u);
  // A change by another connection (another process would be the same).
  {
    auto other = test_.database->Connect();
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    ASSERT_TRUE((*other)
                    ->Get<registry::Repository>()
                    .DeactivateHousehold("H2", {D("2020-02-01"), "moved"})
                    .ok());
  }
  EXPECT_EQ(Get(cache)->persons(), 2u);
  EXPECT_EQ(cache.stats().loads, 5);
  EXPECT_EQ(cache.stats().hits, 0);
  // Unchanged since: from memory.
  EXPECT_EQ(Get(cache)->persons(), 2u);
  EXPECT_EQ(cache.stats().hits, 1);
}

TEST_F(FrameCacheTest, ADatabaseWithoutItsVersionIsNeverCached) {
  // SQLite keeps the version with triggers; without one of them it cannot
  // tell.
  ASSERT_EQ(session().engine(), store::Engine::kSqlite);
  ASSERT_TRUE(
      backends::testing::ExecRawSql(
          *test_.database, "DROP TRIGGER register_version_persons_update")
          .ok());
  auto v = store_->ReadRegisterVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
  FrameCache cache;
  auto a = Get(cache);
  auto b = Get(cache);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(cache.stats().uncacheable, 2);
  EXPECT_EQ(cache.stats().hits, 0);
}

}  // namespace
}  // namespace malchin::response
