// Tokens of the rule language (internal to rules/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::rules {

enum class Tok : uint8_t {
  kEnd,
  kNumber,  // number
  kDate,    // number = days since 1970-01-01
  kText,    // text = decoded contents
  kIdent,   // text
  kAnd,
  kOr,
  kNot,
  kIn,
  kIf,
  kThen,
  kElse,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kColon,
  kDot,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
};

struct Token {
  Tok kind = Tok::kEnd;
  uint32_t begin = 0, end = 0;  // Byte span.
  double number = 0;
  std::string text;
};

// How a token is quoted in messages: "'and'", "the number 12", "the end of
// the rule".
std::string Describe(const Token& t, std::string_view source);

struct LexError {
  size_t offset = 0;
  std::string message;
};

// Splits `source` into tokens, ending with a kEnd token at source.size().
// On failure returns false and fills `error`. Never reads past the source;
// linear in its length.
bool Lex(std::string_view source, std::vector<Token>* tokens, LexError* error);

}  // namespace malchin::rules
