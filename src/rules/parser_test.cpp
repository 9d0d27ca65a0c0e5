// Parser: every construct's reading (through its canonical, bracketed form)
// and every syntax error's position and message.
#include "rules/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "rules/diagnostic.h"
#include "rules/lexer.h"

namespace malchin::rules {
namespace {

std::string P(std::string_view src) {
  ParseError err;
  NodePtr n = Parse(src, &err);
  if (!n) return "ERROR " + std::to_string(err.offset) + ": " + err.message;
  return Render(*n);
}

// "line:column: message" of the first error.
std::string E(std::string_view src) {
  ParseError err;
  NodePtr n = Parse(src, &err);
  if (n) return "parsed as " + Render(*n);
  Diagnostic d = MakeDiagnostic("rule", src, err.offset, err.message);
  return std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
         d.message;
}

TEST(ParserTest, Literals) {
  EXPECT_EQ(P("40000"), "40000");
  EXPECT_EQ(P("40_000"), "40000");
  EXPECT_EQ(P("7.5"), "7.5");
  EXPECT_EQ(P("-5"), "-5");
  EXPECT_EQ(P("2019-12-15"), "2019-12-15");
  EXPECT_EQ(P("\"F\""), "\"F\"");
  EXPECT_EQ(P("'Тэс'"), "\"Тэс\"");
  EXPECT_EQ(P(R"("a\"b\\c\n")"), R"("a\"b\\c\n")");
  EXPECT_EQ(P("[]"), "[]");
  EXPECT_EQ(P("[18110, 18125, 18140, 18149,]"), "[18110, 18125, 18140, 18149]");
}

TEST(ParserTest, NamesAndCalls) {
  EXPECT_EQ(P("age"), "age");
  EXPECT_EQ(P("household.sheep_units"), "household.sheep_units");
  EXPECT_EQ(P("household.children(under: 6)"), "household.children(under: 6)");
  EXPECT_EQ(P("enrolled(\"child_money\")"), "enrolled(\"child_money\")");
  EXPECT_EQ(P("min(a, b, 3)"), "min(a, b, 3)");
  EXPECT_EQ(P("f()"), "f()");
}

TEST(ParserTest, OperatorsAndPrecedence) {
  EXPECT_EQ(P("age < 6 and event.severity >= high"),
            "((age < 6) and (event.severity >= high))");
  EXPECT_EQ(P("a or b and c"), "(a or (b and c))");
  EXPECT_EQ(P("a and b and c or d"), "((a and b and c) or d)");
  EXPECT_EQ(P("not a == b"), "(not (a == b))");
  EXPECT_EQ(P("not not a"), "(not (not a))");
  EXPECT_EQ(P("1 + 2 * 3 - 4 / 5"), "((1 + (2 * 3)) - (4 / 5))");
  EXPECT_EQ(P("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(P("-age * 2"), "((-age) * 2)");
  EXPECT_EQ(P("a != b"), "(a != b)");
  EXPECT_EQ(P("a <= b"), "(a <= b)");
  EXPECT_EQ(P("a > b"), "(a > b)");
  EXPECT_EQ(P("soum in [1, 2]"), "(soum in [1, 2])");
  EXPECT_EQ(P("current_soum not in event.soums"),
            "(current_soum not in event.soums)");
  EXPECT_EQ(P("x in [1] and y"), "((x in [1]) and y)");
}

TEST(ParserTest, IfThenElse) {
  EXPECT_EQ(P("if age < 3 then 30000 else 20000"),
            "(if (age < 3) then 30000 else 20000)");
  // The else branch reaches as far right as it can.
  EXPECT_EQ(P("if a then 1 else 2 * 3"), "(if a then 1 else (2 * 3))");
  EXPECT_EQ(P("if a then 1 else if b then 2 else 3"),
            "(if a then 1 else (if b then 2 else 3))");
  EXPECT_EQ(P("10 + if a then 1 else 2"), "(10 + (if a then 1 else 2))");
}

TEST(ParserTest, CommentsAndLines) {
  EXPECT_EQ(P("age < 6   # young children\n  and herder  # only herders"),
            "((age < 6) and herder)");
}

TEST(ParserTest, ErrorsSayWhatWasExpectedWhere) {
  EXPECT_EQ(E("age < 6 and"), "1:12: expected an expression after 'and'");
  EXPECT_EQ(E("age < 6 and )"),
            "1:13: expected an expression after 'and', found ')'");
  EXPECT_EQ(E("age <"), "1:6: expected an expression after '<'");
  EXPECT_EQ(E(""), "1:1: the rule is empty");
  EXPECT_EQ(E("  # only a comment"), "1:1: the rule is empty");
  EXPECT_EQ(E("(age < 6"),
            "1:9: expected ')' to close the '(' at 1:1, found the end of the "
            "rule");
  EXPECT_EQ(E("age < 6)"), "1:8: unmatched ')'");
  EXPECT_EQ(E("age = 5"),
            "1:5: use '==' to compare ('=' alone is not an operator)");
  EXPECT_EQ(E("age < 6 && herder"), "1:9: use 'and' to combine conditions");
  EXPECT_EQ(E("age < 6 || herder"), "1:9: use 'or' to combine conditions");
  EXPECT_EQ(E("!herder"),
            "1:1: use 'not' for negation ('!' alone is not an operator)");
  EXPECT_EQ(E("0 < age < 6"),
            "1:9: comparisons cannot be chained; write 'a < b and b < c'");
  EXPECT_EQ(E("age < 6 herder"),
            "1:9: unexpected 'herder' after a complete expression; is an "
            "'and' or 'or' missing?");
  EXPECT_EQ(E("if age < 3 then 1"),
            "1:18: expected 'else' to complete the 'if' at 1:1 (an 'if' needs "
            "both branches), found the end of the rule");
  EXPECT_EQ(E("if age < 3 1 else 2"),
            "1:12: expected 'then' after the condition of the 'if' at 1:1, "
            "found '1'");
  EXPECT_EQ(E("age then 3"), "1:5: 'then' without 'if'");
  EXPECT_EQ(E("sex == \"F"), "1:8: text is not closed: add the closing \"");
  EXPECT_EQ(E("sex == \"F\nand"),
            "1:8: text is not closed before the end of the line");
  EXPECT_EQ(E("birth_date < 2019-02-30"),
            "1:14: invalid date 2019-02-30: day 30 does not exist in 2019-02");
  EXPECT_EQ(E("birth_date < 2019-1-5"),
            "1:14: dates are written YYYY-MM-DD, e.g. 2019-12-05");
  EXPECT_EQ(E("age @ 5"), "1:5: unexpected character '@'");
  EXPECT_EQ(E("age < 6 ж"), "1:9: unexpected character 'ж'");
  EXPECT_EQ(E("40000MNT"),
            "1:6: a number cannot be followed directly by a letter "
            "('40000M')");
  EXPECT_EQ(E("soum in [1, 2"),
            "1:14: expected ',' or ']' in the list started at 1:9, found the "
            "end of the rule");
  EXPECT_EQ(E("soum in [1 2]"),
            "1:12: expected ',' or ']' in the list started at 1:9, found '2'");
  EXPECT_EQ(E("min(1 2)"),
            "1:7: expected ',' or ')' in the arguments of 'min', found '2'");
  EXPECT_EQ(E("household."),
            "1:11: expected a field name after 'household.', found the end "
            "of the rule");
  EXPECT_EQ(E("household. size"),
            "1:10: write field names without spaces around '.'");
  EXPECT_EQ(E("household .size"),
            "1:11: write field names without spaces around '.'");
  EXPECT_EQ(E("not in [1]"), "1:5: 'not in' needs a value on its left");
  EXPECT_EQ(E("f(x: )"), "1:6: expected an expression after ':', found ')'");
}

TEST(ParserTest, PositionsCountCharactersAndLines) {
  // Column counts characters, not bytes, and lines restart the count.
  EXPECT_EQ(E("relation == \"тэргүүн\" and\n  age <"),
            "2:8: expected an expression after '<'");
  EXPECT_EQ(E("\"Тэс\" == soum @"), "1:15: unexpected character '@'");
  Diagnostic d = MakeDiagnostic("eligibility", "age < 6 and", 11,
                                "expected an expression after 'and'");
  EXPECT_EQ(d.ToString(),
            "eligibility:1:12: expected an expression after 'and'\n"
            "  age < 6 and\n"
            "             ^");
  Diagnostic cyr = MakeDiagnostic("r", "\"Тэс\" @", 9, "x");
  EXPECT_EQ(cyr.column, 7);
  EXPECT_EQ(cyr.excerpt, "  \"Тэс\" @\n        ^");
}

TEST(ParserTest, LimitsStopHostileInput) {
  EXPECT_NE(E(std::string(70000, ' ')).find("the rule is too long"),
            std::string::npos);
  std::string deep = std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_NE(E(deep).find("nested too deeply"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  EXPECT_NE(E(nots + "a").find("nested too deeply"), std::string::npos);
  std::string minus(5000, '-');
  EXPECT_NE(E(minus + "a").find("nested too deeply"), std::string::npos);
  std::string chain = "1";
  for (int i = 0; i < 300; ++i) chain += " + 1";
  EXPECT_NE(E(chain).find("too deeply nested"), std::string::npos);
  // Long 'and'/'or' chains are one node, so they are fine.
  std::string conj = "a";
  for (int i = 0; i < 3000; ++i) conj += " and a";
  EXPECT_EQ(P(conj).substr(0, 8), "(a and a");
  std::string list = "x in [";
  for (int i = 0; i < 10001; ++i) list += "1,";
  EXPECT_NE(E(list + "]").find("at most 10000 elements"), std::string::npos);
  EXPECT_NE(E(std::string("age < \xff")).find("not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(E(std::string("age <\0 5", 8)).find("unexpected character '\\x00'"),
            std::string::npos);
  EXPECT_NE(E(std::string(50, '9')).find("number too long"), std::string::npos);
}

TEST(LexerTest, KeywordsAndOperators) {
  std::vector<Token> toks;
  LexError err;
  ASSERT_TRUE(
      Lex("if a then b else c and or not in ( ) [ ] , : . + - * / "
          "== != < <= > >=",
          &toks, &err));
  std::vector<Tok> kinds;
  for (const Token& t : toks) kinds.push_back(t.kind);
  std::vector<Tok> want = {
      Tok::kIf,     Tok::kIdent,  Tok::kThen,     Tok::kIdent,    Tok::kElse,
      Tok::kIdent,  Tok::kAnd,    Tok::kOr,       Tok::kNot,      Tok::kIn,
      Tok::kLParen, Tok::kRParen, Tok::kLBracket, Tok::kRBracket, Tok::kComma,
      Tok::kColon,  Tok::kDot,    Tok::kPlus,     Tok::kMinus,    Tok::kStar,
      Tok::kSlash,  Tok::kEq,     Tok::kNe,       Tok::kLt,       Tok::kLe,
      Tok::kGt,     Tok::kGe,     Tok::kEnd};
  EXPECT_EQ(kinds, want);
}

}  // namespace
}  // namespace malchin::rules
