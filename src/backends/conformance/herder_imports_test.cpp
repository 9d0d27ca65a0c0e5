// The herders' imports on every engine: a later import of the same soum and
// date (or item, aimag and date) replaces the earlier row; risk rows come
// latest first up to a date; imported prices replace the embedded ones from
// their date; a refused file or an import that would break the price table
// writes nothing.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "herder/imports.h"
#include "herder/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;

class HerderImportsTest : public EngineTest {
 protected:
  const geo::Geography& Geo() {
    static const auto geo = geo::Geography::Load().value();
    return *geo;
  }
  herder::Repository& repo() { return Get<herder::Repository>(); }
};

TEST_P(HerderImportsTest, ALaterRiskImportReplacesTheSameSoumAndDate) {
  ASSERT_TRUE(herder::ImportRisk(session(), "a.csv",
                                 "soum_code,date,level,source\n"
                                 "18140,2026-01-10,medium,A\n"
                                 "18140,2026-02-10,high,A\n"
                                 "18125,2026-02-10,low,A\n",
                                 Geo())
                  .ok());
  ASSERT_TRUE(herder::ImportRisk(session(), "b.csv",
                                 "soum_code,date,level,source\n"
                                 "18140,2026-02-10,very_high,B\n",
                                 Geo())
                  .ok());
  auto rows = repo().RiskOf(18140, "2026-12-31", 5);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].on, "2026-02-10");
  EXPECT_EQ((*rows)[0].level, "very_high");
  EXPECT_EQ((*rows)[0].source, "B");
  EXPECT_EQ((*rows)[1].level, "medium");
  auto before = repo().RiskOf(18140, "2026-01-31", 5);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ(repo().RiskOf(18140, "2026-12-31", 1)->size(), 1u);
}

TEST_P(HerderImportsTest, ARefusedFileWritesNothing) {
  auto bad = herder::ImportRisk(session(), "c.csv",
                                "soum_code,date,level,source\n"
                                "18140,2026-01-10,high,A\n"
                                "18140,2026-01-11,severe,A\n",
                                Geo());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(repo().RiskOf(18140, "2026-12-31", 5)->empty());
}

TEST_P(HerderImportsTest, ImportedPricesReplaceTheEmbeddedOnesFromTheirDate) {
  ASSERT_TRUE(herder::ImportPrices(session(), "p.csv",
                                   "item,unit,aimag,from,price,source\n"
                                   "sheep,head,181,2026-06-01,210000,survey\n")
                  .ok());
  ASSERT_TRUE(herder::ImportPrices(session(), "q.csv",
                                   "item,unit,aimag,from,price,source\n"
                                   "sheep,head,181,2026-06-01,220000,survey2\n")
                  .ok());
  EXPECT_EQ(repo().ImportedPrices()->size(), 1u);
  auto table = herder::EffectivePrices(session());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto june = (*table)->PriceOf("sheep", 181, *Date::Parse("2026-06-02"));
  ASSERT_TRUE(june.ok());
  EXPECT_EQ(june->unit_price, 220000);
  EXPECT_EQ(june->source, "survey2");
  auto may = (*table)->PriceOf("sheep", 181, *Date::Parse("2026-05-31"));
  ASSERT_TRUE(may.ok());
  EXPECT_NE(may->unit_price, 220000);
  // Sheep are counted by head in the embedded table: a kg row is refused
  // and nothing is written.
  auto unit = herder::ImportPrices(session(), "r.csv",
                                   "item,unit,aimag,from,price,source\n"
                                   "sheep,kg,0,2026-07-01,5000,x\n");
  EXPECT_EQ(unit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unit.status().message().find(" / "), std::string::npos);
  EXPECT_EQ(repo().ImportedPrices()->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, HerderImportsTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
