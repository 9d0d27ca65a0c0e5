#include "pdm/expression.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace malchin::pdm {
namespace {

using Node = Expression::Node;
using Kind = Node::Kind;

constexpr int kMaxDepth = 64;

class Parser {
 public:
  Parser(std::string_view s, std::vector<Node>* nodes,
         std::vector<std::string>* refs)
      : s_(s), nodes_(nodes), refs_(refs) {}

  // The root node's index, or the error.
  Result<int> Run() {
    int root = Or(0);
    Skip();
    if (root >= 0 && pos_ != s_.size()) Fail("an operator or the end");
    if (!error_.ok()) return error_;
    return root;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() &&
           std::isspace(static_cast<unsigned char>(s_[pos_]))) {
      ++pos_;
    }
  }
  bool Peek(std::string_view tok) {
    Skip();
    return s_.substr(pos_, tok.size()) == tok;
  }
  // Punctuation, or a keyword that must not run on into a name.
  bool Eat(std::string_view tok) {
    if (!Peek(tok)) return false;
    const size_t end = pos_ + tok.size();
    if (std::isalpha(static_cast<unsigned char>(tok.back())) &&
        end < s_.size() &&
        (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_' ||
         s_[end] == '-')) {
      return false;
    }
    pos_ = end;
    return true;
  }
  int Fail(std::string_view expected) {
    if (error_.ok()) {
      error_ = Status::InvalidArgument("expression \"" + std::string(s_) +
                                       "\" at offset " + std::to_string(pos_) +
                                       ": expected " + std::string(expected));
    }
    return -1;
  }
  int Add(Kind kind, int a = -1, int b = -1, std::string op = {},
          std::string text = {}) {
    nodes_->push_back({kind, std::move(op), std::move(text), a, b});
    return static_cast<int>(nodes_->size()) - 1;
  }
  bool Expect(std::string_view tok) {
    if (Eat(tok)) return true;
    Fail("'" + std::string(tok) + "'");
    return false;
  }

  int Or(int depth) {
    if (depth > kMaxDepth) return Fail("less nesting");
    int left = And(depth);
    while (left >= 0 && Eat("or")) {
      int right = And(depth);
      left = right < 0 ? -1 : Add(Kind::kOr, left, right);
    }
    return left;
  }
  int And(int depth) {
    int left = Unary(depth);
    while (left >= 0 && Eat("and")) {
      int right = Unary(depth);
      left = right < 0 ? -1 : Add(Kind::kAnd, left, right);
    }
    return left;
  }
  int Unary(int depth) {
    if (Eat("not")) {
      if (!Expect("(")) return -1;
      int inner = Or(depth + 1);
      if (inner < 0 || !Expect(")")) return -1;
      return Add(Kind::kNot, inner);
    }
    if (Eat("(")) {
      int inner = Or(depth + 1);
      if (inner < 0 || !Expect(")")) return -1;
      return inner;
    }
    if (Eat("selected")) {
      if (!Expect("(")) return -1;
      int a = Value(depth);
      if (a < 0 || !Expect(",")) return -1;
      int b = Value(depth);
      if (b < 0 || !Expect(")")) return -1;
      return Add(Kind::kSelected, a, b);
    }
    int left = Value(depth);
    if (left < 0) return -1;
    for (std::string_view op : {"!=", "<=", ">=", "=", "<", ">"}) {
      if (Eat(op)) {
        int right = Value(depth);
        return right < 0 ? -1
                         : Add(Kind::kCompare, left, right, std::string(op));
      }
    }
    return left;
  }
  int Call(Kind kind, int depth) {
    if (!Expect("(")) return -1;
    int a = Value(depth + 1);
    if (a < 0 || !Expect(")")) return -1;
    return Add(kind, a);
  }
  int Quoted() {
    const char q = s_[pos_];
    const size_t end = s_.find(q, pos_ + 1);
    if (end == std::string_view::npos) return Fail("a closing quote");
    std::string text(s_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return Add(Kind::kLiteral, -1, -1, {}, std::move(text));
  }
  int Number() {
    size_t end = pos_;
    if (s_[end] == '-') ++end;
    while (
        end < s_.size() &&
        (std::isdigit(static_cast<unsigned char>(s_[end])) || s_[end] == '.')) {
      ++end;
    }
    std::string text(s_.substr(pos_, end - pos_));
    double v;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) {
      return Fail("a number");
    }
    pos_ = end;
    return Add(Kind::kLiteral, -1, -1, "number", std::move(text));
  }
  int Value(int depth) {
    if (depth > kMaxDepth) return Fail("less nesting");
    Skip();
    if (pos_ >= s_.size()) return Fail("a value");
    const char c = s_[pos_];
    const char next = pos_ + 1 < s_.size() ? s_[pos_ + 1] : '\0';
    if (Eat("${")) {
      const size_t end = s_.find('}', pos_);
      if (end == std::string_view::npos || end == pos_) {
        return Fail("a question name and '}'");
      }
      std::string name(s_.substr(pos_, end - pos_));
      pos_ = end + 1;
      refs_->push_back(name);
      return Add(Kind::kAnswer, -1, -1, {}, std::move(name));
    }
    if (c == '\'' || c == '"') return Quoted();
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        ((c == '-' || c == '.') &&
         std::isdigit(static_cast<unsigned char>(next)))) {
      return Number();
    }
    if (Eat(".")) return Add(Kind::kSelf);
    if (Eat("today")) {
      if (!Expect("(") || !Expect(")")) return -1;
      return Add(Kind::kToday);
    }
    if (Eat("date")) {
      if (!Expect("(")) return -1;
      Skip();
      if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) {
        return Fail("a quoted date 'YYYY-MM-DD'");
      }
      int lit = Quoted();
      if (lit < 0 || !Expect(")")) return -1;
      return lit;
    }
    if (Eat("count-selected")) return Call(Kind::kCountSelected, depth);
    if (Eat("string-length")) return Call(Kind::kStringLength, depth);
    return Fail(
        "a value (., ${name}, a quoted text, a number, today(), "
        "date(), count-selected(), string-length())");
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::vector<Node>* nodes_;
  std::vector<std::string>* refs_;
  Status error_;
};

struct Val {
  bool is_bool = false;
  bool boolean = false;
  bool literal_number = false;  // a number written in the expression
  std::string text;
};

bool AsNumber(const Val& v, double* out) {
  if (v.is_bool || v.text.empty()) return false;
  const char* b = v.text.data();
  const char* e = b + v.text.size();
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e;
}

bool Truth(const Val& v) {
  if (v.is_bool) return v.boolean;
  double d;
  if (v.literal_number && AsNumber(v, &d)) return d != 0;
  return !v.text.empty();
}

Val Bool(bool b) { return {true, b, false, {}}; }

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool Compare(const Val& a, const Val& b, const std::string& op) {
  double x, y;
  if (AsNumber(a, &x) && AsNumber(b, &y)) {
    if (op == "=") return x == y;
    if (op == "!=") return x != y;
    if (op == "<") return x < y;
    if (op == "<=") return x <= y;
    if (op == ">") return x > y;
    return x >= y;
  }
  if (a.is_bool || b.is_bool) {
    const bool eq = Truth(a) == Truth(b);
    return op == "=" ? eq : op == "!=" ? !eq : false;
  }
  if (op == "=") return a.text == b.text;
  if (op == "!=") return a.text != b.text;
  if (a.text.empty() || b.text.empty()) return false;
  const int c = a.text.compare(b.text);
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;
}

Val Eval(const std::vector<Node>& nodes, int i, const Scope& scope) {
  const Node& n = nodes[i];
  switch (n.kind) {
    case Kind::kOr:
      return Bool(Truth(Eval(nodes, n.a, scope)) ||
                  Truth(Eval(nodes, n.b, scope)));
    case Kind::kAnd:
      return Bool(Truth(Eval(nodes, n.a, scope)) &&
                  Truth(Eval(nodes, n.b, scope)));
    case Kind::kNot:
      return Bool(!Truth(Eval(nodes, n.a, scope)));
    case Kind::kCompare:
      return Bool(
          Compare(Eval(nodes, n.a, scope), Eval(nodes, n.b, scope), n.op));
    case Kind::kSelected: {
      const Val list = Eval(nodes, n.a, scope);
      const Val item = Eval(nodes, n.b, scope);
      for (std::string_view t : Tokens(list.text)) {
        if (t == item.text) return Bool(true);
      }
      return Bool(false);
    }
    case Kind::kSelf:
      return {false, false, false, std::string(scope.self)};
    case Kind::kAnswer:
      return {false, false, false,
              scope.answer ? std::string(scope.answer(n.text)) : std::string()};
    case Kind::kLiteral:
      return {false, false, n.op == "number", n.text};
    case Kind::kToday:
      return {false, false, false, std::string(scope.today)};
    case Kind::kCountSelected:
      return {false, false, true,
              std::to_string(Tokens(Eval(nodes, n.a, scope).text).size())};
    case Kind::kStringLength: {
      size_t chars = 0;
      for (unsigned char c : Eval(nodes, n.a, scope).text) {
        if ((c & 0xC0) != 0x80) ++chars;
      }
      return {false, false, true, std::to_string(chars)};
    }
  }
  return {};
}

}  // namespace

Result<Expression> Expression::Parse(std::string_view text) {
  Expression e;
  e.text_ = std::string(text);
  Parser p(e.text_, &e.nodes_, &e.references_);
  MALCHIN_ASSIGN_OR_RETURN(e.root_, p.Run());
  return e;
}

bool Expression::Evaluate(const Scope& scope) const {
  return Truth(Eval(nodes_, root_, scope));
}

}  // namespace malchin::pdm
