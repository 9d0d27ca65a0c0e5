#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace malchin::store {
namespace {

using registry::Household;
using registry::Person;

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

class ScopedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("malchin_scoped_" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    store_ = std::move(Store::OpenSqlite(path_, {}).value());
    // Tosontsengel (18140) and Ikh-Uul (18125) in Zavkhan; one in UB.
    ASSERT_TRUE(
        store_
            ->Upsert({Hh("T1", 18140), Hh("I1", 18125), Hh("U1", 51101)},
                     {P("ИЗ85120320", "T1", "1985-12-03"),
                      P("ИЗ85120420", "I1", "1985-12-04"),
                      P("УБ85120520", "U1", "1985-12-05")},
                     {})
            .ok());
    soum_ = ScopeTo(*store_, {0, 18140});
    aimag_ = ScopeTo(*store_, {181, 0});
  }
  void TearDown() override {
    soum_.reset();
    aimag_.reset();
    store_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + "-wal");
    std::filesystem::remove(path_ + "-shm");
  }
  std::string path_;
  std::unique_ptr<Store> store_, soum_, aimag_;
};

TEST_F(ScopedStoreTest, GetsOutsideTheAreaSeeNothing) {
  EXPECT_TRUE(soum_->FindHousehold("T1")->has_value());
  EXPECT_FALSE(soum_->FindHousehold("I1")->has_value());
  EXPECT_TRUE(soum_->FindPerson("ИЗ85120320")->has_value());
  EXPECT_FALSE(soum_->FindPerson("ИЗ85120420")->has_value());
  EXPECT_TRUE(soum_->Members("I1")->empty());
  EXPECT_TRUE(aimag_->FindHousehold("I1")->has_value());
  EXPECT_FALSE(aimag_->FindHousehold("U1")->has_value());
}

TEST_F(ScopedStoreTest, CountsListsAndExportsExcludeOtherAreas) {
  EXPECT_EQ(soum_->Info()->persons, 1);
  EXPECT_EQ(aimag_->Info()->persons, 2);
  EXPECT_EQ(store_->Info()->persons, 3);
  EXPECT_EQ(soum_->CountActive({})->households, 1);
  EXPECT_EQ(soum_->CountActive({0, 18125})->households, 0);
  EXPECT_EQ(soum_->LoadPopulation({})->persons(), 1u);
  EXPECT_EQ(soum_->LoadPopulation({0, 18125})->persons(), 0u);
  EXPECT_EQ(aimag_->LoadPopulation({511, 0})->persons(), 0u);
  std::vector<std::string> seen;
  ASSERT_TRUE(aimag_
                  ->ForEachPerson({},
                                  [&](const Person& p) {
                                    seen.push_back(p.register_no);
                                    return Status::Ok();
                                  })
                  .ok());
  EXPECT_EQ(seen.size(), 2u);
  seen.clear();
  ASSERT_TRUE(soum_
                  ->ForEachHousehold({181, 0},
                                     [&](const Household& h) {
                                       seen.push_back(h.id);
                                       return Status::Ok();
                                     })
                  .ok());
  EXPECT_EQ(seen, std::vector<std::string>{"T1"});
}

TEST_F(ScopedStoreTest, WritesOutsideTheAreaAreRefusedWhole) {
  // A new household in another soum.
  auto r = soum_->Upsert({Hh("T2", 18140), Hh("X1", 18125)}, {}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(store_->FindHousehold("T2")->has_value());  // Nothing written.
  // Moving an own household out of the area.
  EXPECT_EQ(soum_->Upsert({Hh("T1", 18125)}, {}, {}).status().code(),
            StatusCode::kPermissionDenied);
  // Taking over another soum's household by re-declaring it.
  EXPECT_EQ(soum_->Upsert({Hh("I1", 18140)}, {}, {}).status().code(),
            StatusCode::kPermissionDenied);
  // Moving a person from another soum into an own household.
  Person moved = P("ИЗ85120420", "T1", "1985-12-04");
  EXPECT_EQ(soum_->Upsert({}, {moved}, {}).status().code(),
            StatusCode::kPermissionDenied);
  // Deactivating outside the area: not found.
  registry::Deactivation d{*Date::Parse("2020-01-01"), "test"};
  EXPECT_EQ(soum_->DeactivatePerson("ИЗ85120420", d).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(soum_->DeactivateHousehold("I1", d).code(), StatusCode::kNotFound);
  EXPECT_TRUE(soum_->DeactivatePerson("ИЗ85120320", d).ok());
  EXPECT_EQ(soum_->BeginBulkLoad().status().code(),
            StatusCode::kPermissionDenied);
  // Inside the area, writes work.
  EXPECT_TRUE(soum_->Upsert({Hh("T2", 18140)}, {}, {}).ok());
}

TEST_F(ScopedStoreTest, NationalScopeSeesEverything) {
  auto national = ScopeTo(*store_, {});
  EXPECT_EQ(national->Info()->persons, 3);
  EXPECT_TRUE(national->FindHousehold("U1")->has_value());
}

TEST_F(ScopedStoreTest, SearchVersionsAndVersionedWritesAreScoped) {
  auto soum = ScopeTo(*store_, {0, 18140});
  auto page = soum->SearchHouseholds({}, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "T1");
  EXPECT_EQ(page->total, 1);
  SearchQuery q;
  q.text = "ИЗ85120420";  // Lives in Ikh-Uul.
  EXPECT_EQ(soum->SearchPersons({}, q)->total, 0);
  EXPECT_EQ(soum->SearchHouseholds({}, q)->total, 0);
  EXPECT_EQ(soum->HouseholdVersion("I1").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(soum->HouseholdVersion("T1").ok());
  EXPECT_EQ(soum->UpdateHousehold(Hh("I1", 18125), {}, 1, {}).status().code(),
            StatusCode::kNotFound);
  // Moving a visible household out of the area is refused.
  EXPECT_EQ(soum->UpdateHousehold(Hh("T1", 18125), {}, 1, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(soum->CreateHousehold(Hh("N1", 18125), {}, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(soum->CreateHousehold(Hh("N2", 18140), {}, {}).ok());
  auto aimag = ScopeTo(*store_, {181, 0});
  EXPECT_EQ(aimag->SearchHouseholds({}, {})->total, 3);  // T1, I1, N2.
}

}  // namespace
}  // namespace malchin::store
