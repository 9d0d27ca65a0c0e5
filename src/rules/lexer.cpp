#include "rules/lexer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/date.h"
#include "core/text.h"

namespace malchin::rules {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

struct Keyword {
  std::string_view text;
  Tok kind;
};
constexpr Keyword kKeywords[] = {
    {"and", Tok::kAnd},   {"or", Tok::kOr}, {"not", Tok::kNot},
    {"in", Tok::kIn},     {"if", Tok::kIf}, {"then", Tok::kThen},
    {"else", Tok::kElse},
};

constexpr size_t kMaxNumberChars = 40;

class Lexer {
 public:
  Lexer(std::string_view src, std::vector<Token>* out, LexError* err)
      : s_(src), out_(out), err_(err) {}

  bool Run() {
    if (auto bad = text::FindInvalidUtf8(s_)) {
      return Fail(*bad, "the rule is not valid UTF-8 text (byte " +
                            std::to_string(*bad + 1) + ")");
    }
    while (true) {
      SkipSpaceAndComments();
      if (i_ >= s_.size()) break;
      if (!Next()) return false;
    }
    Token end;
    end.kind = Tok::kEnd;
    end.begin = end.end = static_cast<uint32_t>(s_.size());
    out_->push_back(std::move(end));
    return true;
  }

 private:
  bool Fail(size_t at, std::string msg) {
    err_->offset = at;
    err_->message = std::move(msg);
    return false;
  }

  void SkipSpaceAndComments() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i_;
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        break;
      }
    }
  }

  void Emit(Tok kind, size_t begin, size_t end, double number = 0,
            std::string text = {}) {
    Token t;
    t.kind = kind;
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.number = number;
    t.text = std::move(text);
    out_->push_back(std::move(t));
  }

  char At(size_t k) const { return k < s_.size() ? s_[k] : '\0'; }

  bool Next() {
    size_t b = i_;
    char c = s_[i_];
    if (IsDigit(c)) return Number();
    if (IsIdentStart(c)) {
      while (IsIdentChar(At(i_))) ++i_;
      std::string_view word = s_.substr(b, i_ - b);
      for (const Keyword& k : kKeywords) {
        if (k.text == word) {
          Emit(k.kind, b, i_);
          return true;
        }
      }
      Emit(Tok::kIdent, b, i_, 0, std::string(word));
      return true;
    }
    if (c == '"' || c == '\'') return Text();
    auto one = [&](Tok k) {
      ++i_;
      Emit(k, b, i_);
      return true;
    };
    auto two = [&](Tok k) {
      i_ += 2;
      Emit(k, b, i_);
      return true;
    };
    switch (c) {
      case '(':
        return one(Tok::kLParen);
      case ')':
        return one(Tok::kRParen);
      case '[':
        return one(Tok::kLBracket);
      case ']':
        return one(Tok::kRBracket);
      case ',':
        return one(Tok::kComma);
      case ':':
        return one(Tok::kColon);
      case '.':
        return one(Tok::kDot);
      case '+':
        return one(Tok::kPlus);
      case '-':
        return one(Tok::kMinus);
      case '*':
        return one(Tok::kStar);
      case '/':
        return one(Tok::kSlash);
      case '<':
        return At(i_ + 1) == '=' ? two(Tok::kLe) : one(Tok::kLt);
      case '>':
        return At(i_ + 1) == '=' ? two(Tok::kGe) : one(Tok::kGt);
      case '=':
        if (At(i_ + 1) == '=') return two(Tok::kEq);
        return Fail(b, "use '==' to compare ('=' alone is not an operator)");
      case '!':
        if (At(i_ + 1) == '=') return two(Tok::kNe);
        return Fail(b, "use 'not' for negation ('!' alone is not an operator)");
      case '&':
        return Fail(b, "use 'and' to combine conditions");
      case '|':
        return Fail(b, "use 'or' to combine conditions");
      default:
        break;
    }
    // One whole UTF-8 character, for the message.
    size_t n = 1;
    while (i_ + n < s_.size() &&
           (static_cast<unsigned char>(s_[i_ + n]) & 0xC0) == 0x80) {
      ++n;
    }
    std::string ch(s_.substr(i_, n));
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      ch = buf;
    }
    return Fail(b, "unexpected character '" + ch + "'");
  }

  // Digits, optionally "_" between digits, optionally ".digits"; or a date
  // YYYY-MM-DD.
  bool Number() {
    size_t b = i_;
    // Date: exactly four digits, '-', one or two digits, '-', one or two.
    {
      size_t k = i_;
      while (IsDigit(At(k))) ++k;
      if (k - b == 4 && At(k) == '-' && IsDigit(At(k + 1))) {
        size_t m = k + 1;
        while (IsDigit(At(m))) ++m;
        if (m - (k + 1) <= 2 && At(m) == '-' && IsDigit(At(m + 1))) {
          size_t d = m + 1;
          while (IsDigit(At(d))) ++d;
          if (d - (m + 1) <= 2 && !IsIdentChar(At(d))) {
            std::string_view text = s_.substr(b, d - b);
            if (text.size() != 10) {
              return Fail(b, "dates are written YYYY-MM-DD, e.g. 2019-12-05");
            }
            auto num = [&](size_t from, size_t len) {
              int v = 0;
              for (size_t k = from; k < from + len; ++k) {
                v = v * 10 + (text[k] - '0');
              }
              return v;
            };
            auto date = Date::Make(num(0, 4), num(5, 2), num(8, 2));
            if (!date.ok()) {
              return Fail(b, "invalid date " + std::string(text) + ": " +
                                 date.status().message());
            }
            i_ = d;
            Emit(Tok::kDate, b, i_, date->days());
            return true;
          }
        }
      }
    }
    std::string digits;
    while (true) {
      if (IsDigit(At(i_))) {
        digits += s_[i_++];
      } else if (At(i_) == '_' && IsDigit(At(i_ + 1)) && !digits.empty()) {
        ++i_;
      } else {
        break;
      }
    }
    if (At(i_) == '.' && IsDigit(At(i_ + 1))) {
      digits += s_[i_++];
      while (IsDigit(At(i_))) digits += s_[i_++];
    }
    if (IsIdentChar(At(i_))) {
      return Fail(i_, "a number cannot be followed directly by a letter ('" +
                          std::string(s_.substr(b, i_ - b + 1)) + "')");
    }
    if (digits.size() > kMaxNumberChars) {
      return Fail(b, "number too long (more than " +
                         std::to_string(kMaxNumberChars) + " digits)");
    }
    double v = 0;
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (r.ec != std::errc() || !std::isfinite(v)) {
      return Fail(b, "invalid number '" + digits + "'");
    }
    Emit(Tok::kNumber, b, i_, v);
    return true;
  }

  bool Text() {
    size_t b = i_;
    char quote = s_[i_++];
    std::string value;
    while (true) {
      if (i_ >= s_.size()) {
        return Fail(
            b, "text is not closed: add the closing " + std::string(1, quote));
      }
      char c = s_[i_];
      if (c == quote) {
        ++i_;
        break;
      }
      if (c == '\n') {
        return Fail(b, "text is not closed before the end of the line");
      }
      if (c == '\\') {
        char e = At(i_ + 1);
        if (e == '\\' || e == '"' || e == '\'') {
          value += e;
        } else if (e == 'n') {
          value += '\n';
        } else if (e == 't') {
          value += '\t';
        } else {
          return Fail(i_,
                      "unknown escape in text; use \\\\, \\\", \\', \\n "
                      "or \\t");
        }
        i_ += 2;
        continue;
      }
      value += c;
      ++i_;
    }
    Emit(Tok::kText, b, i_, 0, std::move(value));
    return true;
  }

  std::string_view s_;
  std::vector<Token>* out_;
  LexError* err_;
  size_t i_ = 0;
};

}  // namespace

std::string Describe(const Token& t, std::string_view source) {
  if (t.kind == Tok::kEnd) return "the end of the rule";
  std::string_view text =
      t.end <= source.size() ? source.substr(t.begin, t.end - t.begin) : "";
  if (text.size() > 40) {
    size_t cut = 37;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    return "'" + std::string(text.substr(0, cut)) + "...'";
  }
  return "'" + std::string(text) + "'";
}

bool Lex(std::string_view source, std::vector<Token>* tokens, LexError* error) {
  tokens->clear();
  return Lexer(source, tokens, error).Run();
}

}  // namespace malchin::rules
