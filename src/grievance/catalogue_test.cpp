#include "grievance/catalogue.h"

#include <gtest/gtest.h>

#include <set>

namespace malchin::grievance {
namespace {

std::shared_ptr<const geo::Geography> Geo() { return *geo::Geography::Load(); }

TEST(CatalogueTest, TheShippedCatalogueParses) {
  auto cats = ShippedCategories();
  ASSERT_TRUE(cats.ok()) << cats.status().ToString();
  // The categories, three of them sensitive.
  for (const char* code :
       {"not_included", "payment_problem", "data_correction", "insurance",
        "staff_conduct", "information_request", "feedback", "gbv_disclosure",
        "workplace_harassment", "child_protection", "other"}) {
    const Category* c = FindCategory(*cats, code);
    ASSERT_NE(c, nullptr) << code;
    EXPECT_FALSE(c->name_mn.empty());
    EXPECT_EQ(c->source, "shipped");
  }
  int sensitive = 0;
  for (const Category& c : *cats) sensitive += c.sensitive;
  EXPECT_EQ(sensitive, 3);
  auto dir = ShippedDirectory(*Geo());
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_GE(dir->size(), 5u);
}

TEST(CatalogueTest, ErrorsNameTheSourceLineCodeAndField) {
  const std::string bad =
      "{\"categories\": {\n"
      "  \"ok_one\": {\"name\": {\"mn\": \"А\", \"en\": \"A\"}},\n"
      "  \"Bad Code\": {\"name\": {\"mn\": \"Б\", \"en\": \"B\"}}\n"
      "}}";
  auto r = ParseCategories(bad, "ministry.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ministry.json line 3: Bad Code"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().field(), "code");
  auto no_en = ParseCategories(
      "{\"categories\": {\"x1\": {\"name\": {\"mn\": \"А\"}}}}", "f.json");
  ASSERT_FALSE(no_en.ok());
  EXPECT_EQ(no_en.status().field(), "name");
  auto dir = ParseDirectory(
      "{\"services\": {\"s1\": {\"kind\": \"spa\", \"name\": {\"mn\": \"А\", "
      "\"en\": \"A\"}, \"confidence\": \"high\"}}}",
      "d.json", *Geo());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().field(), "kind");
  auto area = ParseDirectory(
      "{\"services\": {\"s1\": {\"kind\": \"police\", \"area_code\": 99999, "
      "\"name\": {\"mn\": \"А\", \"en\": \"A\"}, \"confidence\": \"high\"}}}",
      "d.json", *Geo());
  EXPECT_EQ(area.status().field(), "area_code");
  EXPECT_FALSE(ParseCategories("not json", "x").ok());
}

TEST(CatalogueTest, StoredEntriesWinAndServicesFollowTheArea) {
  auto shipped = *ShippedCategories();
  Category off = *FindCategory(shipped, "feedback");
  off.active = false;
  off.source = "ministry";
  Category added{"drought_relief", "Ган", "Drought relief", "", "", false, true,
                 "ministry"};
  auto merged = MergeCategories(shipped, {off, added});
  EXPECT_FALSE(FindCategory(merged, "feedback")->active);
  EXPECT_NE(FindCategory(merged, "drought_relief"), nullptr);
  EXPECT_EQ(merged.size(), shipped.size() + 1);

  auto dir = *ShippedDirectory(*Geo());
  auto tos = ServicesFor(dir, 18140);  // Tosontsengel, Zavkhan.
  bool zavkhan = false, arkhangai = false;
  for (const auto& s : tos) {
    zavkhan = zavkhan || s.code == "ossc_zavkhan";
    arkhangai = arkhangai || s.code == "ossc_arkhangai";
  }
  EXPECT_TRUE(zavkhan);
  EXPECT_FALSE(arkhangai);
  ASSERT_FALSE(tos.empty());
  EXPECT_EQ(tos.front().area_code, 0);  // National services first.
}

TEST(CatalogueTest, EverySoumHasAOneStopCentreAndPoliceOfItsAimag) {
  auto dir = *ShippedDirectory(*Geo());
  for (const geo::Unit* aimag : Geo()->aimags()) {
    for (const geo::Unit* soum : Geo()->SoumsOf(aimag->code)) {
      std::set<std::string> kinds;
      for (const auto& s : ServicesFor(dir, soum->code)) {
        if (s.area_code != 0) kinds.insert(s.kind);
      }
      EXPECT_TRUE(kinds.count("one_stop_centre")) << soum->code;
      EXPECT_TRUE(kinds.count("police") || aimag->code == 511) << soum->code;
    }
  }
}

}  // namespace
}  // namespace malchin::grievance
