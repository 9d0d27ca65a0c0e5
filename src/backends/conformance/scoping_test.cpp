// Area scoping on every engine: a session whose caller has an area sees
// only households registered in it, and may not write outside it.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using registry::Household;
using registry::Person;
using registry::SearchQuery;

Household Hh(const char* id, int32_t soum) {
  Household h;
  h.id = id;
  h.soum_code = soum;
  h.current_soum_code = soum;
  return h;
}

Person P(const char* rn, const char* hh, const char* born) {
  Person p;
  p.register_no = rn;
  p.household_id = hh;
  p.father_name = "Бат";
  p.given_name = "Дорж";
  p.sex = registry::Sex::kFemale;
  p.birth_date = *Date::Parse(born);
  p.relation = registry::Relation::kHead;
  return p;
}

class ScopingTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    // Tosontsengel (18140) and Ikh-Uul (18125) in Zavkhan; one in UB.
    ASSERT_TRUE(national()
                    .Upsert({Hh("T1", 18140), Hh("I1", 18125), Hh("U1", 51101)},
                            {P("ИЗ85120320", "T1", "1985-12-03"),
                             P("ИЗ85120420", "I1", "1985-12-04"),
                             P("УБ85120520", "U1", "1985-12-05")},
                            {})
                    .ok());
    soum_session_ = Connect({0, 18140}, "tos");
    aimag_session_ = Connect({181, 0}, "zav");
    ASSERT_NE(soum_session_, nullptr);
    ASSERT_NE(aimag_session_, nullptr);
  }
  void TearDown() override {
    soum_session_.reset();
    aimag_session_.reset();
    EngineTest::TearDown();
  }
  registry::Repository& national() { return Get<registry::Repository>(); }
  registry::Repository& soum() {
    return soum_session_->Get<registry::Repository>();
  }
  registry::Repository& aimag() {
    return aimag_session_->Get<registry::Repository>();
  }
  static int64_t Persons(registry::Repository& r) {
    auto c = r.CountActive();
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? c->persons : -1;
  }

  std::unique_ptr<store::Session> soum_session_, aimag_session_;
};

TEST_P(ScopingTest, GetsOutsideTheAreaSeeNothing) {
  EXPECT_TRUE(soum().FindHousehold("T1")->has_value());
  EXPECT_FALSE(soum().FindHousehold("I1")->has_value());
  EXPECT_TRUE(soum().FindPerson("ИЗ85120320")->has_value());
  EXPECT_FALSE(soum().FindPerson("ИЗ85120420")->has_value());
  EXPECT_TRUE(soum().Members("I1")->empty());
  EXPECT_TRUE(aimag().FindHousehold("I1")->has_value());
  EXPECT_FALSE(aimag().FindHousehold("U1")->has_value());
}

TEST_P(ScopingTest, CountsListsAndExportsExcludeOtherAreas) {
  EXPECT_EQ(Persons(soum()), 1);
  EXPECT_EQ(Persons(aimag()), 2);
  EXPECT_EQ(Persons(national()), 3);
  EXPECT_EQ(soum().CountActive({})->households, 1);
  EXPECT_EQ(soum().CountActive({0, 18125})->households, 0);
  EXPECT_EQ(soum().LoadPopulation({})->persons(), 1u);
  EXPECT_EQ(soum().LoadPopulation({0, 18125})->persons(), 0u);
  EXPECT_EQ(aimag().LoadPopulation({511, 0})->persons(), 0u);
  EXPECT_EQ(soum().LoadRoster({})->person_row.size(), 1u);
  std::vector<std::string> seen;
  ASSERT_TRUE(aimag()
                  .ForEachPerson({},
                                 [&](const Person& p) {
                                   seen.push_back(p.register_no);
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(seen.size(), 2u);
  seen.clear();
  ASSERT_TRUE(soum()
                  .ForEachHousehold({181, 0},
                                    [&](const Household& h) {
                                      seen.push_back(h.id);
                                      return Status::Ok();
                                    })
                  .ok());
  EXPECT_EQ(seen, std::vector<std::string>{"T1"});
}

TEST_P(ScopingTest, WritesOutsideTheAreaAreRefusedWhole) {
  // A new household in another soum.
  auto r = soum().Upsert({Hh("T2", 18140), Hh("X1", 18125)}, {}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  // The refusal never says where the record is registered.
  EXPECT_NE(r.status().message().find("outside your area"), std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(r.status().message().find("18125"), std::string::npos)
      << r.status().ToString();
  EXPECT_FALSE(national().FindHousehold("T2")->has_value());  // Nothing.
  // Moving an own household out of the area.
  EXPECT_EQ(soum().Upsert({Hh("T1", 18125)}, {}, {}).status().code(),
            StatusCode::kPermissionDenied);
  // Taking over another soum's household by re-declaring it.
  auto taken = soum().Upsert({Hh("I1", 18140)}, {}, {});
  EXPECT_EQ(taken.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(taken.status().message().find("18125"), std::string::npos)
      << taken.status().ToString();
  // Moving a person from another soum into an own household.
  Person moved = P("ИЗ85120420", "T1", "1985-12-04");
  EXPECT_EQ(soum().Upsert({}, {moved}, {}).status().code(),
            StatusCode::kPermissionDenied);
  // Deactivating outside the area: not found.
  registry::Deactivation d{*Date::Parse("2020-01-01"), "test"};
  EXPECT_EQ(soum().DeactivatePerson("ИЗ85120420", d).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(soum().DeactivateHousehold("I1", d).code(), StatusCode::kNotFound);
  EXPECT_TRUE(soum().DeactivatePerson("ИЗ85120320", d).ok());
  EXPECT_EQ(soum().BeginBulkLoad().status().code(),
            StatusCode::kPermissionDenied);
  // Inside the area, writes work.
  EXPECT_TRUE(soum().Upsert({Hh("T2", 18140)}, {}, {}).ok());
  // The national session still sees everything it wrote.
  EXPECT_EQ(Persons(national()), 2);
}

TEST_P(ScopingTest, NationalScopeSeesEverything) {
  auto all = Connect({}, "nat");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(Persons(all->Get<registry::Repository>()), 3);
  EXPECT_TRUE(
      all->Get<registry::Repository>().FindHousehold("U1")->has_value());
  // A SystemScope widens a soum session to the country for its lifetime.
  {
    store::SystemScope wide(*soum_session_);
    EXPECT_EQ(Persons(soum()), 3);
  }
  EXPECT_EQ(Persons(soum()), 1);
}

TEST_P(ScopingTest, NarrowScopeOnlyNarrows) {
  {
    auto tos = store::NarrowScope::Make(*aimag_session_, {0, 18140});
    ASSERT_TRUE(tos.ok()) << tos.status().ToString();
    EXPECT_EQ(Persons(aimag()), 1);
    EXPECT_FALSE(aimag().FindHousehold("I1")->has_value());
  }
  EXPECT_EQ(Persons(aimag()), 2);
  // An area outside the caller's is refused, not widened to.
  EXPECT_EQ(
      store::NarrowScope::Make(*soum_session_, {0, 18125}).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(Persons(soum()), 1);
}

TEST_P(ScopingTest, SearchVersionsAndVersionedWritesAreScoped) {
  auto page = soum().SearchHouseholds({}, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "T1");
  EXPECT_EQ(page->total, 1);
  SearchQuery q;
  q.text = "ИЗ85120420";  // Lives in Ikh-Uul.
  EXPECT_EQ(soum().SearchPersons({}, q)->total, 0);
  EXPECT_EQ(soum().SearchHouseholds({}, q)->total, 0);
  EXPECT_EQ(soum().HouseholdVersion("I1").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(soum().HouseholdVersion("T1").ok());
  EXPECT_EQ(soum().UpdateHousehold(Hh("I1", 18125), {}, 1, {}).status().code(),
            StatusCode::kNotFound);
  // Moving a visible household out of the area is refused.
  EXPECT_EQ(soum().UpdateHousehold(Hh("T1", 18125), {}, 1, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(soum().CreateHousehold(Hh("N1", 18125), {}, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(soum().CreateHousehold(Hh("N2", 18140), {}, {}).ok());
  EXPECT_EQ(aimag().SearchHouseholds({}, {})->total, 3);  // T1, I1, N2.
}

INSTANTIATE_TEST_SUITE_P(Engines, ScopingTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
