#include "response/banks.h"

#include <gtest/gtest.h>

namespace malchin::response {
namespace {

TEST(BankTableTest, RoutesByTheFirstFourDigits) {
  auto t = BankTable::Embedded();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t->Route("00051234567890"), "0005");
  EXPECT_EQ(*t->Route("00151234567890"), "0015");
  EXPECT_EQ(t->Find("0005")->name_en, "Khan Bank");
  // Held back, never guessed.
  EXPECT_FALSE(t->Route("").ok());
  EXPECT_FALSE(t->Route("12a45678").ok());
  EXPECT_FALSE(t->Route("123").ok());
  auto unknown = t->Route("99991234567890");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("no bank has code 9999"),
            std::string::npos);
}

TEST(BankTableTest, ParseNamesTheBadLine) {
  auto t = BankTable::Parse("b.csv", "code,name_en,name_mn\n0005,A,Б\n5,B,В\n");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("b.csv:3: code '5'"), std::string::npos)
      << t.status().message();
  auto dup =
      BankTable::Parse("b.csv", "code,name_en,name_mn\n0005,A,Б\n0005,B,В\n");
  EXPECT_FALSE(dup.ok());
}

}  // namespace
}  // namespace malchin::response
