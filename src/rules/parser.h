// Parser of the rule language (internal to rules/): text -> unchecked tree.
//
// Grammar (docs/rules.md has it with examples):
//   expr     := or
//   or       := and ('or' and)*
//   and      := not ('and' not)*
//   not      := 'not' not | compare
//   compare  := sum (CMP sum | 'in' sum | 'not' 'in' sum)?
//   sum      := product (('+' | '-') product)*
//   product  := unary (('*' | '/') unary)*
//   unary    := '-' unary | primary
//   primary  := NUMBER | DATE | TEXT | list | '(' expr ')' | name | call
//             | 'if' expr 'then' expr 'else' expr
//   list     := '[' (expr (',' expr)* ','?)? ']'
//   name     := IDENT ('.' IDENT)*
//   call     := name '(' (arg (',' arg)* ','?)? ')'
//   arg      := (IDENT ':')? expr
#pragma once

#include <string>
#include <string_view>

#include "rules/ast.h"

namespace malchin::rules {

struct ParseError {
  size_t offset = 0;
  std::string message;
};

// Parses `source` (at most kMaxSourceBytes) into a tree. On failure returns
// nullptr and fills `error` with the position of the first problem and what
// was expected there. Linear in the input; recursion is bounded by
// kMaxNesting and kMaxTreeDepth.
NodePtr Parse(std::string_view source, ParseError* error);

}  // namespace malchin::rules
