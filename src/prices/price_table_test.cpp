#include "prices/price_table.h"

#include <gtest/gtest.h>

namespace malchin::prices {
namespace {

constexpr std::string_view kTable =
    "item,unit,aimag,from,price,source\n"
    "sheep,head,0,2019-01-01,150000,national 2019\n"
    "sheep,head,0,2024-01-01,180000,national 2024\n"
    "sheep,head,181,2024-06-01,170000,Zavkhan market survey\n"
    "cashmere,kg,0,2024-01-01,120000,national\n";

std::shared_ptr<const PriceTable> Table() {
  auto t = PriceTable::Parse("t.csv", kTable);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : nullptr;
}

TEST(PriceTableTest, NationalPriceInForceOnTheDate) {
  auto t = Table();
  auto p = t->PriceOf("sheep", 0, *Date::Parse("2023-12-31"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->unit_price, 150000);
  EXPECT_EQ(p->from.ToString(), "2019-01-01");
  p = t->PriceOf("sheep", 0, *Date::Parse("2024-01-01"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->unit_price, 180000);
  EXPECT_EQ(p->source, "national 2024");
}

TEST(PriceTableTest, AnAimagsOwnPriceReplacesTheNationalOneFromItsDate) {
  auto t = Table();
  auto before = t->PriceOf("sheep", 181, *Date::Parse("2024-05-31"));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->unit_price, 180000);
  EXPECT_EQ(before->aimag_code, 0);
  auto after = t->PriceOf("sheep", 181, *Date::Parse("2024-06-01"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->unit_price, 170000);
  EXPECT_EQ(after->aimag_code, 181);
  // Another aimag keeps the national price.
  EXPECT_EQ(t->PriceOf("sheep", 182, *Date::Parse("2025-01-01"))->unit_price,
            180000);
}

TEST(PriceTableTest, ValuesHeadAndKilograms) {
  auto t = Table();
  auto v = t->Value("sheep", 3, 181, *Date::Parse("2025-01-01"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->amount, 510000);
  auto kg = t->Value("cashmere", 1.25, 181, *Date::Parse("2025-01-01"));
  ASSERT_TRUE(kg.ok());
  EXPECT_EQ(kg->amount, 150000);
  // Half a tögrög rounds away from zero.
  auto t2 = PriceTable::Parse("t.csv",
                              "item,unit,aimag,from,price,source\n"
                              "wool,kg,0,2020-01-01,3,x\n");
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ((*t2)->Value("wool", 0.5, 0, *Date::Parse("2020-01-01"))->amount,
            2);
}

TEST(PriceTableTest, RefusesWhatCannotBeValued) {
  auto t = Table();
  auto half_sheep = t->Value("sheep", 1.5, 0, *Date::Parse("2025-01-01"));
  EXPECT_EQ(half_sheep.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(half_sheep.status().field(), "quantity");
  EXPECT_EQ(t->Value("sheep", 0, 0, *Date::Parse("2025-01-01")).status().code(),
            StatusCode::kInvalidArgument);
  auto unknown = t->PriceOf("yak", 0, *Date::Parse("2025-01-01"));
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("cashmere, sheep"),
            std::string::npos)
      << unknown.status().message();
  EXPECT_EQ(
      t->PriceOf("cashmere", 0, *Date::Parse("2023-01-01")).status().code(),
      StatusCode::kFailedPrecondition);
}

TEST(PriceTableTest, BadFilesNameTheLineAndColumn) {
  struct Case {
    std::string row, column;
  } cases[] = {
      {"sheep,pcs,0,2020-01-01,1,x", "unit"},
      {"sheep,head,18,2020-01-01,1,x", "aimag"},
      {"sheep,head,0,2020-13-01,1,x", "from"},
      {"sheep,head,0,2020-01-01,-5,x", "price"},
      {"sheep,head,0,2020-01-01,1.5,x", "price"},
      {"Sheep,head,0,2020-01-01,1,x", "item"},
      {"sheep,head,0,2020-01-01,1,", "source"},
      {"sheep,kg,0,2021-01-01,1,x", "unit"},
      {"sheep,head,0,2020-01-01,2,x", "from"},
  };
  for (const Case& c : cases) {
    std::string csv = std::string("item,unit,aimag,from,price,source\n") +
                      "sheep,head,0,2020-01-01,1,x\n" + c.row + "\n";
    auto t = PriceTable::Parse("p.csv", csv);
    ASSERT_FALSE(t.ok()) << c.row;
    EXPECT_EQ(t.status().field(), c.column) << t.status().ToString();
    EXPECT_NE(t.status().message().find("p.csv:3"), std::string::npos)
        << t.status().ToString();
  }
  EXPECT_FALSE(PriceTable::Parse("p.csv", "item,unit\n").ok());
}

TEST(PriceTableTest, TheShippedTableMatchesTheInsuranceValuation) {
  auto t = PriceTable::Embedded();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)->Items().size(), 8u);
  EXPECT_EQ((*t)->PriceOf("sheep", 181, *Date::Parse("2025-01-01"))->unit_price,
            180000);
  EXPECT_EQ(
      (*t)->PriceOf("cashmere", 0, *Date::Parse("2020-06-01"))->unit_price,
      100000);
}

}  // namespace
}  // namespace malchin::prices
