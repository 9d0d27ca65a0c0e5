#include "pdm/expression.h"

#include <gtest/gtest.h>

#include <map>

namespace malchin::pdm {
namespace {

bool Eval(std::string_view expr, std::string_view self,
          std::map<std::string, std::string, std::less<>> answers = {},
          std::string_view today = "2025-03-10") {
  auto e = Expression::Parse(expr);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  if (!e.ok()) return false;
  Scope scope{self,
              [&](std::string_view name) -> std::string_view {
                auto it = answers.find(name);
                return it == answers.end() ? std::string_view()
                                           : std::string_view(it->second);
              },
              today};
  return e->Evaluate(scope);
}

TEST(Expression, Relevance) {
  EXPECT_TRUE(Eval("${received} = 'yes'", "", {{"received", "yes"}}));
  EXPECT_FALSE(Eval("${received} = 'yes'", "", {{"received", "no"}}));
  EXPECT_FALSE(Eval("${received} = 'yes'", "", {}));
  EXPECT_TRUE(Eval("${received} != \"yes\"", "", {}));
  EXPECT_TRUE(Eval("selected(${uses}, 'other')", "", {{"uses", "food other"}}));
  EXPECT_FALSE(Eval("selected(${uses}, 'oth')", "", {{"uses", "food other"}}));
  EXPECT_TRUE(Eval("${a} = 'x' or ${b} = 'y'", "", {{"b", "y"}}));
  EXPECT_FALSE(Eval("${a} = 'x' and ${b} = 'y'", "", {{"b", "y"}}));
  EXPECT_TRUE(Eval("${n} > 2", "", {{"n", "10"}}));  // numeric, not text
}

TEST(Expression, Constraints) {
  const char* range = ". >= 0 and . <= 5000000";
  EXPECT_TRUE(Eval(range, "0"));
  EXPECT_TRUE(Eval(range, "5000000"));
  EXPECT_FALSE(Eval(range, "5000001"));
  EXPECT_FALSE(Eval(range, "-1"));
  EXPECT_FALSE(Eval(range, ""));
  EXPECT_TRUE(Eval(". >= 1.5", "1.5"));
  const char* dates = ". >= date('2020-01-01') and . <= today()";
  EXPECT_TRUE(Eval(dates, "2025-03-10"));
  EXPECT_FALSE(Eval(dates, "2025-03-11"));
  EXPECT_FALSE(Eval(dates, "2019-12-31"));
  const char* exclusive = "not(selected(., 'none') and count-selected(.) > 1)";
  EXPECT_TRUE(Eval(exclusive, "none"));
  EXPECT_TRUE(Eval(exclusive, "late fees"));
  EXPECT_FALSE(Eval(exclusive, "none late"));
  EXPECT_TRUE(Eval("string-length(.) <= 3", "Өлзий") == false);
  EXPECT_TRUE(Eval("string-length(.) = 5", "Өлзий"));
  EXPECT_TRUE(Eval("(. = 'a')", "a"));
}

TEST(Expression, ReferencesAreListed) {
  auto e = Expression::Parse("${a} = 'x' and selected(${b}, 'y')");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->references(), (std::vector<std::string>{"a", "b"}));
}

TEST(Expression, OutsideTheSubsetNamesTheOffset) {
  for (std::string_view bad :
       {"", "${a} = ", "regex(., '[0-9]+')", "${a", "'open", ". >= 1 2",
        "not ${a}", "selected(${a} 'x')", "date(2020)", "(. = 1"}) {
    auto e = Expression::Parse(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_NE(e.status().message().find("offset"), std::string::npos)
        << e.status().message();
  }
  std::string deep(200, '(');
  EXPECT_FALSE(Expression::Parse(deep + "1" + std::string(200, ')')).ok());
}

}  // namespace
}  // namespace malchin::pdm
