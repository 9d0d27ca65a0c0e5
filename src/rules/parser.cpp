#include "rules/parser.h"

#include <algorithm>
#include <vector>

#include "rules/lexer.h"

namespace malchin::rules {
namespace {

// "line:column" of a byte offset, for messages that refer back to an
// opening bracket or an 'if'.
std::string LineCol(std::string_view s, size_t offset) {
  int line = 1, col = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

bool IsCompareTok(Tok t) {
  return t == Tok::kEq || t == Tok::kNe || t == Tok::kLt || t == Tok::kLe ||
         t == Tok::kGt || t == Tok::kGe;
}

CompareOp CompareOpOf(Tok t) {
  switch (t) {
    case Tok::kEq:
      return CompareOp::kEq;
    case Tok::kNe:
      return CompareOp::kNe;
    case Tok::kLt:
      return CompareOp::kLt;
    case Tok::kLe:
      return CompareOp::kLe;
    case Tok::kGt:
      return CompareOp::kGt;
    default:
      return CompareOp::kGe;
  }
}

class Parser {
 public:
  Parser(std::string_view src, std::vector<Token> toks, ParseError* err)
      : src_(src), toks_(std::move(toks)), err_(err) {}

  NodePtr Run() {
    NodePtr e = Expr();
    if (!e) return nullptr;
    const Token& t = Peek();
    if (t.kind != Tok::kEnd) {
      switch (t.kind) {
        case Tok::kRParen:
          return Fail(t.begin, "unmatched ')'");
        case Tok::kRBracket:
          return Fail(t.begin, "unmatched ']'");
        case Tok::kThen:
        case Tok::kElse:
          return Fail(t.begin, Describe(t, src_) + " without 'if'");
        default:
          return Fail(t.begin, "unexpected " + Describe(t, src_) +
                                   " after a complete expression; is an "
                                   "'and' or 'or' missing?");
      }
    }
    return e;
  }

 private:
  const Token& Peek(size_t k = 0) const {
    return toks_[std::min(pos_ + k, toks_.size() - 1)];
  }
  const Token& Take() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool Match(Tok k) {
    if (Peek().kind != k) return false;
    Take();
    return true;
  }

  NodePtr Fail(size_t offset, std::string message) {
    if (!failed_) {
      failed_ = true;
      err_->offset = offset;
      err_->message = std::move(message);
    }
    return nullptr;
  }

  // "expected an expression after 'and'", at the current token.
  NodePtr ExpectedExpression(const Token& after) {
    const Token& t = Peek();
    std::string msg = "expected an expression";
    if (&after != &t) msg += " after " + Describe(after, src_);
    if (t.kind != Tok::kEnd) msg += ", found " + Describe(t, src_);
    return Fail(t.begin, msg);
  }

  NodePtr Make(NodeKind kind, uint32_t begin, uint32_t end) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->begin = begin;
    n->end = end;
    return n;
  }

  // Sets the node's depth from its children; fails past kMaxTreeDepth.
  NodePtr Finish(NodePtr n) {
    int d = 0;
    for (const NodePtr& k : n->kids) d = std::max(d, k->depth);
    n->depth = d + 1;
    if (n->depth > kMaxTreeDepth) {
      return Fail(n->begin, "the expression is too deeply nested (more than " +
                                std::to_string(kMaxTreeDepth) + " levels)");
    }
    return n;
  }

  // Guards every recursive entry, so that "((((...", "not not not ..." and
  // "- - - ..." cannot exhaust the stack.
  struct Nest {
    explicit Nest(Parser* p) : p(p) { ++p->nesting_; }
    ~Nest() { --p->nesting_; }
    bool too_deep() const { return p->nesting_ > kMaxNesting; }
    Parser* p;
  };
  NodePtr TooDeep() {
    return Fail(Peek().begin,
                "the expression is nested too deeply (more than " +
                    std::to_string(kMaxNesting) +
                    " levels of brackets, 'not', '-' or 'if')");
  }

  NodePtr Expr() {
    Nest nest(this);
    if (nest.too_deep()) return TooDeep();
    return Or();
  }

  NodePtr Chain(Tok tok, NodeKind kind, NodePtr (Parser::*next)()) {
    NodePtr left = (this->*next)();
    if (!left || Peek().kind != tok) return left;
    NodePtr n = Make(kind, left->begin, left->end);
    n->kids.push_back(std::move(left));
    while (Peek().kind == tok) {
      const Token& op = Take();
      if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
      NodePtr right = (this->*next)();
      if (!right) return nullptr;
      n->end = right->end;
      n->kids.push_back(std::move(right));
    }
    return Finish(std::move(n));
  }

  NodePtr Or() { return Chain(Tok::kOr, NodeKind::kOr, &Parser::And); }
  NodePtr And() { return Chain(Tok::kAnd, NodeKind::kAnd, &Parser::Not); }

  NodePtr Not() {
    if (Peek().kind != Tok::kNot) return Compare();
    Nest nest(this);
    if (nest.too_deep()) return TooDeep();
    const Token& op = Take();
    if (Peek().kind == Tok::kIn) {
      return Fail(Peek().begin, "'not in' needs a value on its left");
    }
    if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
    NodePtr operand = Not();
    if (!operand) return nullptr;
    NodePtr n = Make(NodeKind::kNot, op.begin, operand->end);
    n->kids.push_back(std::move(operand));
    return Finish(std::move(n));
  }

  NodePtr Compare() {
    NodePtr left = Sum();
    if (!left) return nullptr;
    const Token& t = Peek();
    NodePtr n;
    if (IsCompareTok(t.kind)) {
      const Token& op = Take();
      if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
      NodePtr right = Sum();
      if (!right) return nullptr;
      n = Make(NodeKind::kCompare, left->begin, right->end);
      n->op = static_cast<uint8_t>(CompareOpOf(op.kind));
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
    } else if (t.kind == Tok::kIn ||
               (t.kind == Tok::kNot && Peek(1).kind == Tok::kIn)) {
      bool negated = t.kind == Tok::kNot;
      if (negated) Take();
      const Token& op = Take();
      if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
      NodePtr right = Sum();
      if (!right) return nullptr;
      n = Make(NodeKind::kIn, left->begin, right->end);
      n->op = negated ? 1 : 0;
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
    } else {
      return left;
    }
    const Token& after = Peek();
    if (IsCompareTok(after.kind) || after.kind == Tok::kIn ||
        (after.kind == Tok::kNot && Peek(1).kind == Tok::kIn)) {
      return Fail(after.begin,
                  "comparisons cannot be chained; write 'a < b and b < c'");
    }
    return Finish(std::move(n));
  }

  NodePtr Sum() {
    NodePtr left = Product();
    while (left && (Peek().kind == Tok::kPlus || Peek().kind == Tok::kMinus)) {
      const Token& op = Take();
      if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
      NodePtr right = Product();
      if (!right) return nullptr;
      NodePtr n = Make(NodeKind::kArith, left->begin, right->end);
      n->op = static_cast<uint8_t>(op.kind == Tok::kPlus ? ArithOp::kAdd
                                                         : ArithOp::kSub);
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
      left = Finish(std::move(n));
    }
    return left;
  }

  NodePtr Product() {
    NodePtr left = Unary();
    while (left && (Peek().kind == Tok::kStar || Peek().kind == Tok::kSlash)) {
      const Token& op = Take();
      if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
      NodePtr right = Unary();
      if (!right) return nullptr;
      NodePtr n = Make(NodeKind::kArith, left->begin, right->end);
      n->op = static_cast<uint8_t>(op.kind == Tok::kStar ? ArithOp::kMul
                                                         : ArithOp::kDiv);
      n->kids.push_back(std::move(left));
      n->kids.push_back(std::move(right));
      left = Finish(std::move(n));
    }
    return left;
  }

  NodePtr Unary() {
    if (Peek().kind != Tok::kMinus) return Primary();
    Nest nest(this);
    if (nest.too_deep()) return TooDeep();
    const Token& op = Take();
    if (!StartsExpression(Peek().kind)) return ExpectedExpression(op);
    NodePtr operand = Unary();
    if (!operand) return nullptr;
    if (operand->kind == NodeKind::kNumber && operand->begin == op.end) {
      operand->number = -operand->number;  // "-5" is a literal.
      operand->begin = op.begin;
      return operand;
    }
    NodePtr n = Make(NodeKind::kNeg, op.begin, operand->end);
    n->kids.push_back(std::move(operand));
    return Finish(std::move(n));
  }

  static bool StartsExpression(Tok t) {
    switch (t) {
      case Tok::kNumber:
      case Tok::kDate:
      case Tok::kText:
      case Tok::kIdent:
      case Tok::kLParen:
      case Tok::kLBracket:
      case Tok::kMinus:
      case Tok::kNot:
      case Tok::kIf:
        return true;
      default:
        return false;
    }
  }

  NodePtr Primary() {
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kNumber:
      case Tok::kDate:
      case Tok::kText: {
        Take();
        NodePtr n = Make(t.kind == Tok::kNumber ? NodeKind::kNumber
                         : t.kind == Tok::kDate ? NodeKind::kDate
                                                : NodeKind::kText,
                         t.begin, t.end);
        n->number = t.number;
        n->text = t.text;
        return n;
      }
      case Tok::kLParen: {
        const Token& open = Take();
        if (!StartsExpression(Peek().kind)) return ExpectedExpression(open);
        NodePtr e = Expr();
        if (!e) return nullptr;
        if (!Match(Tok::kRParen)) {
          return Fail(Peek().begin, "expected ')' to close the '(' at " +
                                        LineCol(src_, open.begin) + ", found " +
                                        Describe(Peek(), src_));
        }
        return e;
      }
      case Tok::kLBracket:
        return List();
      case Tok::kIdent:
        return NameOrCall();
      case Tok::kIf:
        return If();
      default:
        if (pos_ == 0) {
          if (t.kind == Tok::kEnd) return Fail(0, "the rule is empty");
          return Fail(t.begin,
                      "expected an expression, found " + Describe(t, src_));
        }
        return ExpectedExpression(toks_[pos_ - 1]);
    }
  }

  NodePtr List() {
    const Token& open = Take();
    NodePtr n = Make(NodeKind::kList, open.begin, open.end);
    while (Peek().kind != Tok::kRBracket) {
      if (n->kids.size() >= kMaxListElements) {
        return Fail(Peek().begin, "a list may have at most " +
                                      std::to_string(kMaxListElements) +
                                      " elements");
      }
      if (!StartsExpression(Peek().kind)) {
        if (n->kids.empty()) return ExpectedExpression(open);
        return Fail(Peek().begin,
                    "expected an element or ']' in the list "
                    "started at " +
                        LineCol(src_, open.begin) + ", found " +
                        Describe(Peek(), src_));
      }
      NodePtr e = Expr();
      if (!e) return nullptr;
      n->kids.push_back(std::move(e));
      if (Match(Tok::kComma)) continue;
      if (Peek().kind != Tok::kRBracket) {
        return Fail(Peek().begin,
                    "expected ',' or ']' in the list started at " +
                        LineCol(src_, open.begin) + ", found " +
                        Describe(Peek(), src_));
      }
    }
    n->end = Take().end;
    return Finish(std::move(n));
  }

  NodePtr NameOrCall() {
    const Token& first = Take();
    std::string path = first.text;
    uint32_t end = first.end;
    while (Peek().kind == Tok::kDot) {
      const Token& dot = Take();
      if (Peek().kind != Tok::kIdent) {
        return Fail(Peek().begin, "expected a field name after '" + path +
                                      ".', found " + Describe(Peek(), src_));
      }
      if (dot.begin != end || Peek().begin != dot.end) {
        return Fail(dot.begin, "write field names without spaces around '.'");
      }
      const Token& part = Take();
      path += "." + part.text;
      end = part.end;
    }
    if (Peek().kind != Tok::kLParen) {
      NodePtr n = Make(NodeKind::kName, first.begin, end);
      n->text = std::move(path);
      return n;
    }
    Nest nest(this);
    if (nest.too_deep()) return TooDeep();
    const Token& open = Take();
    NodePtr n = Make(NodeKind::kCall, first.begin, open.end);
    n->text = path;
    while (Peek().kind != Tok::kRParen) {
      if (n->kids.size() >= kMaxListElements) {
        return Fail(Peek().begin, "too many arguments");
      }
      std::string name;
      if (Peek().kind == Tok::kIdent && Peek(1).kind == Tok::kColon) {
        name = Take().text;
        const Token& colon = Take();
        if (!StartsExpression(Peek().kind)) return ExpectedExpression(colon);
      } else if (!StartsExpression(Peek().kind)) {
        if (n->kids.empty()) {
          return Fail(Peek().begin, "expected an argument or ')' after '" +
                                        path + "(', found " +
                                        Describe(Peek(), src_));
        }
        return ExpectedExpression(toks_[pos_ - 1]);
      }
      NodePtr e = Expr();
      if (!e) return nullptr;
      n->kids.push_back(std::move(e));
      n->arg_names.push_back(std::move(name));
      if (Match(Tok::kComma)) continue;
      if (Peek().kind != Tok::kRParen) {
        return Fail(Peek().begin, "expected ',' or ')' in the arguments of '" +
                                      path + "', found " +
                                      Describe(Peek(), src_));
      }
    }
    n->end = Take().end;
    return Finish(std::move(n));
  }

  NodePtr If() {
    Nest nest(this);
    if (nest.too_deep()) return TooDeep();
    const Token& kw = Take();
    std::string where = "the 'if' at " + LineCol(src_, kw.begin);
    if (!StartsExpression(Peek().kind)) return ExpectedExpression(kw);
    NodePtr cond = Expr();
    if (!cond) return nullptr;
    if (Peek().kind != Tok::kThen) {
      return Fail(Peek().begin, "expected 'then' after the condition of " +
                                    where + ", found " +
                                    Describe(Peek(), src_));
    }
    const Token& then_kw = Take();
    if (!StartsExpression(Peek().kind)) return ExpectedExpression(then_kw);
    NodePtr a = Expr();
    if (!a) return nullptr;
    if (Peek().kind != Tok::kElse) {
      return Fail(Peek().begin, "expected 'else' to complete " + where +
                                    " (an 'if' needs both branches), found " +
                                    Describe(Peek(), src_));
    }
    const Token& else_kw = Take();
    if (!StartsExpression(Peek().kind)) return ExpectedExpression(else_kw);
    NodePtr b = Expr();
    if (!b) return nullptr;
    NodePtr n = Make(NodeKind::kIf, kw.begin, b->end);
    n->kids.push_back(std::move(cond));
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return Finish(std::move(n));
  }

  std::string_view src_;
  std::vector<Token> toks_;
  ParseError* err_;
  size_t pos_ = 0;
  int nesting_ = 0;
  bool failed_ = false;
};

}  // namespace

NodePtr Parse(std::string_view source, ParseError* error) {
  if (source.size() > kMaxSourceBytes) {
    error->offset = kMaxSourceBytes;
    error->message = "the rule is too long (" + std::to_string(source.size()) +
                     " bytes; the limit is " + std::to_string(kMaxSourceBytes) +
                     ")";
    return nullptr;
  }
  std::vector<Token> tokens;
  LexError lex_error;
  if (!Lex(source, &tokens, &lex_error)) {
    error->offset = lex_error.offset;
    error->message = std::move(lex_error.message);
    return nullptr;
  }
  return Parser(source, std::move(tokens), error).Run();
}

}  // namespace malchin::rules
