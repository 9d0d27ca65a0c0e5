// Type checking: names, types, coercions and argument counts are settled
// before a rule runs, with messages that point at the problem.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "params/parameters.h"
#include "rules/rule.h"
#include "rules/schema.h"

namespace malchin::rules {
namespace {

Schema TestSchema() {
  Schema s;
  EXPECT_TRUE(
      s.Declare(ColumnSpec::Number("rci_quintile", "", Scope::kHousehold, true))
          .ok());
  EXPECT_TRUE(
      s.Declare(ColumnSpec::Number("pmt_score", "", Scope::kPerson, true))
          .ok());
  EXPECT_TRUE(s.Declare(ColumnSpec::YesNo("enrolled", "child_money")).ok());
  EXPECT_TRUE(s.Declare(ColumnSpec::YesNo("enrolled", "social_welfare")).ok());
  EXPECT_TRUE(s.Declare(ColumnSpec::YesNo("insured", "health")).ok());
  s.set_parameters(*params::ParameterSet::Embedded());
  return s;
}

// "" if `src` checks as a condition; else "column: message" of the first
// problem.
std::string Cond(std::string_view src,
                 Expression::Kind kind = Expression::Kind::kCondition) {
  std::vector<Diagnostic> d;
  auto e = Expression::Compile(src, kind, TestSchema(), "rule", &d);
  if (e.ok()) return "";
  return std::to_string(d.front().column) + ": " + d.front().message;
}
std::string Amount(std::string_view src) {
  return Cond(src, Expression::Kind::kAmount);
}

std::string Canon(std::string_view src,
                  Expression::Kind kind = Expression::Kind::kCondition) {
  auto e = Expression::Compile(src, kind, TestSchema());
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? e->Canonical() : "";
}

TEST(CheckerTest, AcceptsTheExamples) {
  for (const char* ok : {
           "age < 6 and event.severity >= high",
           "age <= 17",
           "age_months < 72",
           "soum in [18110, 18125, 18140, 18149]",
           "aimag == 181 and soum != 18101",
           "current_soum in event.soums",
           "household.herder and household.sheep_units < 200",
           "household.female_head",
           "household.size >= 5",
           "household.children(under: 6) >= 2",
           "household.children(6) >= 2",
           "household.count(age >= 60 and disability) >= 1",
           "sex == \"F\"",
           "sex == female",
           "\"M\" == sex",
           "disability",
           "relation == head",
           "relation in [head, \"spouse\"]",
           "herder",
           "enrolled(\"child_money\")",
           "insured(\"health\")",
           "has(rci_quintile) and rci_quintile == 1",
           "pmt_score < 7.5",
           "event.severity in [high, \"very high\"]",
           "event.current_severity > medium",
           "birth_date >= 2014-12-15",
           "birth_date >= date(\"2014-12-15\")",
           "birth_date >= \"2014-12-15\"",
           "not (sex == male) or disability == true",
           "if age < 3 then disability else herder",
           "max(age, 3) < min(10, household.size)",
           "max(birth_date, 2010-01-01) > 2012-01-01",
           "true",
       }) {
    EXPECT_EQ(Cond(ok), "") << ok;
  }
  for (const char* ok : {
           "40000",
           "if age < 3 then 30000 else 20000",
           "param(\"child_money.monthly\") * 0.8",
           "round(household.sheep_units * 100.5) / 2",
           "floor(pmt_score) + ceil(1.5) + abs(-3)",
           "-household.size * 10000",
       }) {
    EXPECT_EQ(Amount(ok), "") << ok;
  }
}

TEST(CheckerTest, ResolvesNamesAndCoercesText) {
  EXPECT_EQ(Canon("sex == \"F\""), "(sex == female)");
  EXPECT_EQ(Canon("relation in [head, \"spouse\"]"),
            "(relation in [head, spouse])");
  EXPECT_EQ(Canon("event.severity >= \"very high\""),
            "(event.severity >= very_high)");
  EXPECT_EQ(Canon("birth_date >= \"2014-12-15\""),
            "(birth_date >= 2014-12-15)");
  EXPECT_EQ(Canon("household.children(under: 6) >= 2"),
            "(household.children(under: 6) >= 2)");
  EXPECT_EQ(Canon("enrolled('child_money') and true"),
            "(enrolled(\"child_money\") and true)");
  EXPECT_EQ(
      Canon("param(\"child_money.monthly\") * 0.8", Expression::Kind::kAmount),
      "(param(\"child_money.monthly\") * 0.8)");
}

TEST(CheckerTest, UnknownNamesGetSuggestions) {
  EXPECT_EQ(Cond("agee < 5"), "1: unknown field 'agee' — did you mean 'age'?");
  EXPECT_EQ(Cond("aeg < 5"), "1: unknown field 'aeg' — did you mean 'age'?");
  EXPECT_EQ(Cond("household.sise > 3"),
            "1: unknown field 'household.sise' — did you mean "
            "'household.size'?");
  EXPECT_EQ(Cond("rci_quintle == 1"),
            "1: unknown field 'rci_quintle' — did you mean 'rci_quintile'?");
  EXPECT_EQ(Cond("x == 1"), "1: unknown field 'x'");
  EXPECT_EQ(Cond("flor(age) > 1"),
            "1: unknown function 'flor' — did you mean 'floor'?");
  EXPECT_EQ(Cond("param(\"child_money.montly\") > 1"),
            "7: unknown parameter 'child_money.montly' — did you mean "
            "'child_money.monthly'?");
  EXPECT_EQ(Cond("enrolled(\"child_mony\")"),
            "10: no values for enrolled(\"child_mony\") (known: child_money, "
            "social_welfare) — did you mean \"child_money\"?");
  EXPECT_EQ(Cond("enrolled"),
            "1: 'enrolled' needs a key, e.g. enrolled(\"child_money\") "
            "(known: child_money, social_welfare)");
  EXPECT_EQ(Cond("min < 3"), "1: 'min' is a function; call it as min(...)");
  EXPECT_EQ(Cond("age(1) < 3"), "1: 'age' is a field, not a function");
  EXPECT_EQ(Cond("household.children > 1"),
            "1: household.children needs an age limit, e.g. "
            "household.children(under: 6)");
}

TEST(CheckerTest, TypeErrors) {
  EXPECT_EQ(Cond("age"),
            "1: a condition must be yes/no, but this is a number (compare "
            "it, e.g. 'age < 6')");
  EXPECT_EQ(Amount("age < 3"),
            "1: an amount must be a number, but this is yes/no");
  EXPECT_EQ(Cond("age < \"5\""), "7: cannot compare a number with text");
  EXPECT_EQ(Cond("birth_date < 5"), "1: cannot compare a date with a number");
  EXPECT_EQ(Cond("sex == \"X\""),
            "8: \"X\" is not a sex; expected \"F\" or \"M\" (or female, "
            "male)");
  EXPECT_EQ(Cond("event.severity >= \"huge\""),
            "19: \"huge\" is not a severity; expected none, low, medium, high "
            "or very_high");
  EXPECT_EQ(Cond("sex < female"),
            "4: sex values have no order; use == or != (or 'in')");
  EXPECT_EQ(Cond("\"a\" == \"a\""),
            "1: two texts cannot be compared; text is only compared with sex, "
            "relation, severity or a date");
  EXPECT_EQ(Cond("age < 6 and 5"),
            "13: 'and' combines yes/no conditions, but this is a number "
            "(compare it, e.g. 'age < 6')");
  EXPECT_EQ(Cond("not age"),
            "5: 'not' needs a yes/no condition, but this is a number");
  EXPECT_EQ(Cond("age + disability > 1"),
            "7: '+' needs numbers on both sides, but this is yes/no");
  EXPECT_EQ(Cond("-sex == male"), "2: '-' needs a number, but this is a sex");
  EXPECT_EQ(Cond("soum in 18110"),
            "9: the right side of 'in' must be a list, e.g. soum in [18110, "
            "18125]; this is a number");
  EXPECT_EQ(Cond("soum in [\"Tes\"]"),
            "10: this list holds text but is searched for a number");
  EXPECT_EQ(Cond("soum in [1, female]"),
            "13: a list holds values of one type, but this is a sex after a "
            "number");
  EXPECT_EQ(Cond("[1, 2] == soum"),
            "1: a list can only appear on the right of 'in' (use 'in' instead "
            "of '==')");
  EXPECT_EQ(Cond("event.soums"),
            "1: a condition must be yes/no, but this is a list of numbers");
  EXPECT_EQ(Cond("sex in event.soums"),
            "8: this is a list of numbers but is searched for a sex");
  EXPECT_EQ(Amount("if age < 3 then 1 else female"),
            "24: both branches of 'if' must have one type: 'then' gives a "
            "number, 'else' gives a sex");
  EXPECT_EQ(Amount("if age then 1 else 2"),
            "4: the condition of 'if' must be yes/no, but this is a number");
  EXPECT_EQ(Amount("1 / 0"), "5: division by zero");
  EXPECT_EQ(Cond("birth_date >= \"2019-13-01\""),
            "15: '2019-13-01' is not a real date: month 13 is not 1..12");
  EXPECT_EQ(Cond("has(event.soums)"),
            "5: has() needs a field or value, not a list of numbers");
}

TEST(CheckerTest, ArgumentErrors) {
  EXPECT_EQ(Amount("min(1)"), "1: 'min' takes at least 2 arguments, got 1");
  EXPECT_EQ(Amount("round(1, 2)"), "1: 'round' takes 1 argument, got 2");
  EXPECT_EQ(Amount("round(x: 1)"), "10: 'round' does not take named arguments");
  EXPECT_EQ(Amount("min(1, female)"),
            "8: 'min' needs numbers, dates or severities; this is a sex");
  EXPECT_EQ(Amount("max(1, 2019-01-01)"),
            "8: 'max' needs values of one type: a number and a date");
  EXPECT_EQ(Amount("param(child)"),
            "7: 'param' needs a text literal in quotes, e.g. "
            "param(\"child_money.monthly\")");
  EXPECT_EQ(Amount("param()"), "1: 'param' takes 1 argument, got 0");
  EXPECT_EQ(Cond("birth_date < date(\"2019-1-1\")"),
            "19: '2019-1-1' is not a date of the form YYYY-MM-DD");
  EXPECT_EQ(Cond("household.children(over: 6) > 1"),
            "26: household.children takes 'under:', e.g. "
            "household.children(under: 6)");
  EXPECT_EQ(Cond("household.children(under: age) > 1"),
            "27: the age limit of household.children must be a constant "
            "number, e.g. household.children(under: 6)");
  EXPECT_EQ(Cond("household.count(age) > 1"),
            "17: household.count needs a yes/no condition on members, but "
            "this is a number");
  EXPECT_EQ(Cond("household.count(household.count(herder) > 1) > 1"),
            "17: household.count cannot be nested");
  EXPECT_EQ(Cond("household.count(household.children(under: 3) > 1) > 1"),
            "17: household.children cannot be used inside household.count");
}

TEST(CheckerTest, ReportsEveryProblemWithPositions) {
  std::vector<Diagnostic> d;
  auto e = Expression::Compile("agee < 5 and\n  sexx == female",
                               Expression::Kind::kCondition, TestSchema(),
                               "eligibility", &d);
  ASSERT_FALSE(e.ok());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].ToString(),
            "eligibility:1:1: unknown field 'agee' — did you mean 'age'?\n"
            "  agee < 5 and\n"
            "  ^");
  EXPECT_EQ(d[1].line, 2);
  EXPECT_EQ(d[1].column, 3);
  EXPECT_EQ(e.status().message(), d[0].ToString());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
}

TEST(CheckerTest, RuleCompilesBothPartsAndChecksTheCap) {
  RuleSpec spec;
  spec.eligibility = "age <";
  spec.amount = "agee";
  std::vector<Diagnostic> d;
  EXPECT_FALSE(Rule::Compile(spec, TestSchema(), &d).ok());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].source_name, "eligibility");
  EXPECT_EQ(d[1].source_name, "amount");
  spec.eligibility = "age < 6";
  spec.amount = "40000";
  spec.cap_per_household = 0;
  auto r = Rule::Compile(spec, TestSchema());
  EXPECT_EQ(r.status().field(), "cap_per_household");
  spec.cap_per_household = 120000;
  EXPECT_TRUE(Rule::Compile(spec, TestSchema()).ok());
  spec.amount = "";
  EXPECT_EQ(Rule::Compile(spec, TestSchema()).status().message(),
            "amount:1:1: the rule is empty\n  \n  ^");
}

TEST(SchemaTest, DeclareRefusesClashesAndBadNames) {
  Schema s;
  EXPECT_TRUE(s.Declare(ColumnSpec::Number("rima.rci")).ok());
  EXPECT_EQ(s.Declare(ColumnSpec::Number("rima.rci")).code(),
            StatusCode::kAlreadyExists);
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("age")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("high")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("min")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("param")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("and")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("household.score")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("Score")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("a..b")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("enrolled", "a b")).ok());
  EXPECT_TRUE(s.Declare(ColumnSpec::Number("enrolled", "child_money")).ok());
  EXPECT_FALSE(s.Declare(ColumnSpec::Number("enrolled")).ok());
  EXPECT_EQ(s.columns().back().description, "enrolled(\"child_money\")");
}

TEST(SchemaTest, ExtensionsValidateValues) {
  Extensions e;
  EXPECT_FALSE(e.Add(ColumnSpec::Number("x"), {1, std::nan("")}).ok());
  EXPECT_FALSE(e.Add(ColumnSpec::YesNo("x"), {0, 2}).ok());
  EXPECT_FALSE(
      e.Add(ColumnSpec::Number("x"), {1, 2}, {1, 0}).ok());  // Not nullable.
  EXPECT_FALSE(e.Add(ColumnSpec::Number("x"), {1, 2}, {1}).ok());
  EXPECT_TRUE(e.schema().columns().empty());
  ASSERT_TRUE(
      e.Add(ColumnSpec::Number("x", "", Scope::kPerson, true), {1, 2}, {1, 0})
          .ok());
  EXPECT_EQ(e.values(0)[0], 1);
  EXPECT_TRUE(std::isnan(e.values(0)[1]));
}

}  // namespace
}  // namespace malchin::rules
