#include "registry/search_text.h"

#include <gtest/gtest.h>

namespace malchin::registry {
namespace {

TEST(SearchTextTest, RegisterNumbersAreNormalized) {
  auto t = ParseSearchText("из85120420", false);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->register_no, "ИЗ85120420");
  EXPECT_TRUE(t->given_key.empty());
  EXPECT_FALSE(t->household_id);
}

TEST(SearchTextTest, OneWordIsTheGivenNameMoreWordsStartWithTheFathers) {
  auto one = ParseSearchText("Khongor", true);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->given_key, "hungur");
  EXPECT_EQ(one->father_key, "");
  auto two = ParseSearchText("Батбаяр Сүх", true);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->father_key, "batbaiar");
  EXPECT_EQ(two->given_key, "suh");
  auto initial = ParseSearchText("B. Sukh", true);
  ASSERT_TRUE(initial.ok());
  EXPECT_EQ(initial->father_key, "b");
  EXPECT_EQ(initial->given_key, "suh");
}

TEST(SearchTextTest, HouseholdIdsOnlyForHouseholds) {
  auto both = ParseSearchText("A1", false);
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->household_id);
  EXPECT_EQ(both->given_key, "a");
  auto id = ParseSearchText("18140-000001", false);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(id->household_id);
  EXPECT_TRUE(id->given_key.empty());
  auto person = ParseSearchText("18140-000001", true);
  EXPECT_EQ(person.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(person.status().field(), "q");
  EXPECT_EQ(ParseSearchText("!!", false).status().field(), "q");
}

}  // namespace
}  // namespace malchin::registry
