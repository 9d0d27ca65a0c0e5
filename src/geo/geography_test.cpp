#include "geo/geography.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace malchin::geo {
namespace {

std::shared_ptr<const Geography> Geo() {
  auto g = Geography::Load();
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return *g;
}

TEST(GeographyTest, HasTheWholeCountry) {
  auto g = Geo();
  int aimags = 0, capital = 0, soums = 0, districts = 0;
  for (const Unit* u : g->aimags()) {
    (u->level == Level::kCapital ? capital : aimags)++;
  }
  for (const Unit* u : g->soums()) {
    (u->level == Level::kDistrict ? districts : soums)++;
  }
  EXPECT_EQ(aimags, 21);
  EXPECT_EQ(capital, 1);
  EXPECT_EQ(soums, 330);
  EXPECT_EQ(districts, 9);
  int64_t pop = 0, herders = 0;
  for (const Unit* u : g->soums()) {
    pop += u->population_2020;
    herders += u->herder_households_2020;
  }
  EXPECT_EQ(herders, 180563);
  EXPECT_GT(pop, 3'200'000);
}

TEST(GeographyTest, LooksUpByCodeInBothDirections) {
  auto g = Geo();
  const Unit* t = g->FindSoum(18140);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name_en, "Tosontsengel");
  EXPECT_EQ(t->name_mn, "Тосонцэнгэл");
  EXPECT_EQ(t->aimag_code, 181);
  EXPECT_EQ(AimagOfSoum(18140), 181);
  EXPECT_EQ(g->FindAimag(181)->name_en, "Zavkhan");
  EXPECT_EQ(g->FindSoum(181), nullptr);
  EXPECT_EQ(g->FindAimag(18140), nullptr);
  EXPECT_EQ(g->Find(99999), nullptr);
  EXPECT_EQ(g->SoumsOf(181).size(), 24u);
}

TEST(GeographyTest, LooksUpByNameInEitherScript) {
  auto g = Geo();
  for (const char* name :
       {"Tosontsengel", "Тосонцэнгэл", "TOSONTSENGEL", "тосонцэнгэл"}) {
    auto r = g->Resolve(name, 181);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    EXPECT_EQ((*r)->code, 18140) << name;
  }
  auto z = g->Resolve("Завхан");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ((*z)->code, 181);
  auto code = g->Resolve("18125");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ((*code)->name_en, "Ikh-Uul");
}

TEST(GeographyTest, AmbiguousAndUnknownNamesAreClearErrors) {
  auto g = Geo();
  // Tosontsengel is also a soum of Khuvsgul.
  auto amb = g->Resolve("Tosontsengel");
  ASSERT_FALSE(amb.ok());
  EXPECT_NE(amb.status().message().find("several"), std::string::npos);
  EXPECT_FALSE(g->Resolve("Atlantis").ok());
  EXPECT_FALSE(g->Resolve("12345").ok());
}

TEST(GeographyTest, ShippedCopyMatchesSharedData) {
  std::ifstream a(std::string(MALCHIN_SHARED_DIR) + "/data/mn_admin_units.csv");
  std::ifstream b(std::string(MALCHIN_SOURCE_DIR) + "/data/mn_admin_units.csv");
  ASSERT_TRUE(a && b);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_EQ(sa.str(), sb.str());
}

}  // namespace
}  // namespace malchin::geo
