// The part of XLSForm's expression language (XPath 1.0 as ODK extends it)
// that Malchin evaluates when it checks submissions: relevance and
// constraints written the usual way.
//
//   expr    := and ("or" and)*
//   and     := unary ("and" unary)*
//   unary   := "not" "(" expr ")" | "(" expr ")" | "selected" "(" value ","
//              value ")" | value (("=" | "!=" | "<" | "<=" | ">" | ">=")
//              value)?
//   value   := "." | "${name}" | 'text' | "text" | number | "today()" |
//              "date(" text ")" | "count-selected(" value ")" |
//              "string-length(" value ")"
//
// e.g. "${received} = 'yes'", "selected(${uses}, 'other')",
// ". >= 0 and . <= 5000000", ". <= today()",
// "not(selected(., 'none') and count-selected(.) > 1)".
//
// Semantics: a comparison is numeric when both sides are numbers, otherwise
// it compares the texts (dates as YYYY-MM-DD compare correctly as text); an
// empty side makes <, <=, >, >= false (XPath's NaN). A bare value is true
// when it is a non-empty text or a non-zero number. Anything outside the
// subset fails to parse: callers then do not check that expression (the
// form is still valid XLSForm; KoBo checked it on the phone).
//
// Thread-safety: an Expression is immutable after Parse; share freely.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::pdm {

// What an expression is evaluated against.
struct Scope {
  std::string_view self;  // the value of "." (the answer being checked)
  // The answer to question `name` ("" when unanswered or not relevant).
  std::function<std::string_view(std::string_view name)> answer;
  std::string_view today;  // "YYYY-MM-DD": the date of the submission
};

class Expression {
 public:
  // InvalidArgument naming the byte offset and what was expected there if
  // `text` is outside the subset. An empty text is an error too.
  static Result<Expression> Parse(std::string_view text);

  bool Evaluate(const Scope& scope) const;
  // The question names referred to as ${name}, in order of appearance.
  const std::vector<std::string>& references() const { return references_; }
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::string text_;
  std::vector<Node> nodes_;
  int root_ = -1;
  std::vector<std::string> references_;
};

struct Expression::Node {
  enum class Kind : uint8_t {
    kOr,
    kAnd,
    kNot,
    kCompare,
    kSelected,
    kSelf,
    kAnswer,
    kLiteral,
    kToday,
    kCountSelected,
    kStringLength,
  };
  Kind kind;
  std::string op;    // kCompare: "=", "!=", "<", ...; kLiteral: "number"
                     // for a number written in the expression
  std::string text;  // kAnswer: the name; kLiteral: the value
  int a = -1, b = -1;
};

}  // namespace malchin::pdm
