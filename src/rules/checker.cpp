#include "rules/checker.h"

#include <algorithm>

#include "core/date.h"
#include "rules/catalog.h"

namespace malchin::rules {
namespace {

constexpr Type kBoolT{BaseType::kBool};
constexpr Type kNumberT{BaseType::kNumber};
constexpr Type kErrorT{BaseType::kError};

bool IsEnum(BaseType t) {
  return t == BaseType::kSex || t == BaseType::kRelation ||
         t == BaseType::kSeverity;
}
bool IsOrdered(BaseType t) {
  return t == BaseType::kNumber || t == BaseType::kDate ||
         t == BaseType::kSeverity;
}
bool IsScalar(BaseType t) {
  return t != BaseType::kList && t != BaseType::kText && t != BaseType::kAny &&
         t != BaseType::kError;
}

// "a number", "a date", "yes/no", "text", "a list of numbers".
std::string Article(Type t) {
  std::string name = TypeName(t);
  switch (t.base) {
    case BaseType::kBool:
      return "yes/no";
    case BaseType::kText:
      return "text";
    case BaseType::kError:
      return name;
    case BaseType::kList:
      return t.elem == BaseType::kAny ? "an empty list" : "a " + name;
    default:
      return "a " + name;
  }
}

class Checker {
 public:
  explicit Checker(const Schema& schema) : schema_(schema) {}

  std::vector<CheckError> Run(NodePtr& root, BaseType expected) {
    Visit(root);
    Type t = root->type;
    if (t.base != BaseType::kError && t.base != expected) {
      if (expected == BaseType::kBool) {
        Error(*root,
              "a condition must be yes/no, but this is " + Article(t) +
                  (t.base == BaseType::kNumber ? " (compare it, e.g. 'age < 6')"
                                               : ""));
      } else {
        Error(*root, "an amount must be a number, but this is " + Article(t));
      }
    }
    return std::move(errors_);
  }

 private:
  void Error(const Node& at, std::string message) {
    errors_.push_back({at.begin, std::move(message)});
  }
  void Error(size_t offset, std::string message) {
    errors_.push_back({offset, std::move(message)});
  }

  static void Set(Node& n, Type t, bool nullable, bool constant) {
    n.type = t;
    n.nullable = nullable;
    n.constant = constant;
  }

  static void MakeConst(Node& n, Type t, double v) {
    n.kind = NodeKind::kConst;
    n.number = v;
    n.text.clear();
    Set(n, t, false, true);
  }

  void Visit(NodePtr& np) {
    Node& n = *np;
    switch (n.kind) {
      case NodeKind::kNumber:
        return MakeConst(n, kNumberT, n.number);
      case NodeKind::kDate:
        return MakeConst(n, Type{BaseType::kDate}, n.number);
      case NodeKind::kText:
        return Set(n, Type{BaseType::kText}, false, true);
      case NodeKind::kList:
        return VisitList(n);
      case NodeKind::kName:
        return VisitName(n);
      case NodeKind::kCall:
        return VisitCall(np);
      case NodeKind::kNeg:
        return VisitNeg(n);
      case NodeKind::kNot:
        return VisitNot(n);
      case NodeKind::kAnd:
      case NodeKind::kOr:
        return VisitLogic(n);
      case NodeKind::kArith:
        return VisitArith(n);
      case NodeKind::kCompare:
        return VisitCompare(n);
      case NodeKind::kIn:
        return VisitIn(n);
      case NodeKind::kIf:
        return VisitIf(n);
      default:
        // Already checked (never happens: the parser makes none of these).
        return;
    }
  }

  // --- Names ---------------------------------------------------------------

  std::vector<std::string> NameCandidates() const {
    std::vector<std::string> c;
    for (const FieldInfo& f : Fields()) c.emplace_back(f.name);
    // One-letter names (the sexes F and M) would be everyone's nearest
    // guess for a short typo; they are never suggested.
    for (const ConstantInfo& k : Constants()) {
      if (k.name.size() > 1) c.emplace_back(k.name);
    }
    for (const ColumnSpec& s : schema_.columns()) c.push_back(s.name);
    return c;
  }

  std::vector<std::string> CallCandidates() const {
    std::vector<std::string> c = {
        std::string(kParamFunc), std::string(kDateFunc),
        std::string(kChildrenFunc), std::string(kCountFunc)};
    for (const FuncInfo& f : Funcs()) c.emplace_back(f.name);
    for (const ColumnSpec& s : schema_.columns()) {
      if (!s.key.empty()) c.push_back(s.name);
    }
    return c;
  }

  std::string KeyHint(std::string_view name) const {
    std::vector<std::string> keys = schema_.KeysOf(name);
    if (keys.empty()) return "";
    std::string out = " (known: ";
    for (size_t i = 0; i < keys.size() && i < 10; ++i) {
      out += (i ? ", " : "") + keys[i];
    }
    if (keys.size() > 10) out += ", ...";
    return out + ")";
  }

  void UseExtension(Node& n, int index) {
    const ColumnSpec& spec = schema_.columns()[index];
    n.kind = NodeKind::kExtension;
    n.text = spec.name;
    n.key = spec.key;
    n.id = index;
    n.kids.clear();
    n.arg_names.clear();
    Set(n, spec.kind == ColumnKind::kBool ? kBoolT : kNumberT, spec.nullable,
        false);
  }

  void VisitName(Node& n) {
    const std::string name = n.text;
    if (const ConstantInfo* c = FindConstant(name)) {
      return MakeConst(n, c->type, c->value);
    }
    if (const FieldInfo* f = FindField(name)) {
      n.kind = NodeKind::kField;
      n.id = static_cast<int>(f->field);
      // The event's soum list is the same for every person. A household
      // without a head has no head's sex or age.
      const bool missing = f->field == Field::kHouseholdHeadSex ||
                           f->field == Field::kHouseholdHeadAge;
      return Set(n, f->type, missing, f->field == Field::kEventSoums);
    }
    if (int i = schema_.Find(name, ""); i >= 0) return UseExtension(n, i);
    n.type = kErrorT;
    if (schema_.IsKeyed(name)) {
      std::vector<std::string> keys = schema_.KeysOf(name);
      return Error(n, "'" + name + "' needs a key, e.g. " + name + "(\"" +
                          keys.front() + "\")" + KeyHint(name));
    }
    if (FindFunc(name) || name == kParamFunc || name == kDateFunc) {
      return Error(
          n, "'" + name + "' is a function; call it as " + name + "(...)");
    }
    if (name == kChildrenFunc) {
      return Error(n,
                   "household.children needs an age limit, e.g. "
                   "household.children(under: 6)");
    }
    if (name == kCountFunc) {
      return Error(n,
                   "household.count needs a condition on members, e.g. "
                   "household.count(age >= 60)");
    }
    std::string msg = "unknown field '" + name + "'";
    std::string hint = Suggest(name, NameCandidates());
    if (!hint.empty()) msg += " — did you mean '" + hint + "'?";
    Error(n, msg);
  }

  // --- Calls ---------------------------------------------------------------

  bool ArgCount(const Node& n, std::string_view name, size_t min_args,
                size_t max_args) {
    size_t got = n.kids.size();
    if (got >= min_args && got <= max_args) return true;
    std::string want;
    if (min_args == max_args) {
      want = std::to_string(min_args) +
             (min_args == 1 ? " argument" : " arguments");
    } else if (max_args == SIZE_MAX) {
      want = "at least " + std::to_string(min_args) + " arguments";
    } else {
      want = std::to_string(min_args) + " to " + std::to_string(max_args) +
             " arguments";
    }
    Error(n, "'" + std::string(name) + "' takes " + want + ", got " +
                 std::to_string(got));
    return false;
  }

  bool NoNamedArgs(const Node& n) {
    for (size_t i = 0; i < n.arg_names.size(); ++i) {
      if (!n.arg_names[i].empty()) {
        Error(*n.kids[i], "'" + n.text + "' does not take named arguments");
        return false;
      }
    }
    return true;
  }

  // The text literal argument of param("..."), date("..."), enrolled("...").
  const std::string* TextArg(const Node& n, std::string_view example) {
    if (!ArgCount(n, n.text, 1, 1) || !NoNamedArgs(n)) return nullptr;
    const Node& a = *n.kids[0];
    if (a.kind != NodeKind::kText) {
      Error(a, "'" + n.text + "' needs a text literal in quotes, e.g. " +
                   n.text + "(\"" + std::string(example) + "\")");
      return nullptr;
    }
    return &a.text;
  }

  void VisitCall(NodePtr& np) {
    Node& n = *np;
    n.type = kErrorT;
    const std::string name = n.text;
    if (name == kParamFunc) {
      const std::string* p = TextArg(n, "child_money.monthly");
      if (!p) return;
      if (const params::ParameterSet* ps = schema_.parameters()) {
        std::vector<std::string> names = ps->Names();
        if (!std::binary_search(names.begin(), names.end(), *p)) {
          std::string msg = "unknown parameter '" + *p + "'";
          std::string hint = Suggest(*p, names);
          if (!hint.empty()) msg += " — did you mean '" + hint + "'?";
          return Error(*n.kids[0], msg);
        }
      }
      n.kind = NodeKind::kParam;
      n.text = *p;
      n.kids.clear();
      n.arg_names.clear();
      return Set(n, kNumberT, false, true);
    }
    if (name == kDateFunc) {
      const std::string* p = TextArg(n, "2019-12-15");
      if (!p) return;
      auto d = Date::Parse(*p);
      if (!d.ok()) return Error(*n.kids[0], d.status().message());
      n.kids.clear();
      n.arg_names.clear();
      return MakeConst(n, Type{BaseType::kDate}, d->days());
    }
    if (name == kChildrenFunc) return VisitChildren(n);
    if (name == kCountFunc) return VisitCount(n);
    if (schema_.IsKeyed(name)) {
      std::vector<std::string> keys = schema_.KeysOf(name);
      const std::string* key = TextArg(n, keys.front());
      if (!key) return;
      int i = schema_.Find(name, *key);
      if (i < 0) {
        std::string msg =
            "no values for " + name + "(\"" + *key + "\")" + KeyHint(name);
        std::string hint = Suggest(*key, keys);
        if (!hint.empty()) msg += " — did you mean \"" + hint + "\"?";
        return Error(*n.kids[0], msg);
      }
      return UseExtension(n, i);
    }
    if (const FuncInfo* f = FindFunc(name)) return VisitFunc(n, *f);
    if (FindField(name) || schema_.Find(name, "") >= 0) {
      return Error(n, "'" + name + "' is a field, not a function");
    }
    std::string msg = "unknown function '" + name + "'";
    std::string hint = Suggest(name, CallCandidates());
    if (!hint.empty()) msg += " — did you mean '" + hint + "'?";
    Error(n, msg);
  }

  void VisitFunc(Node& n, const FuncInfo& f) {
    size_t max = f.max_args < 0 ? SIZE_MAX : static_cast<size_t>(f.max_args);
    if (!ArgCount(n, f.name, f.min_args, max) || !NoNamedArgs(n)) return;
    bool nullable = false, constant = true, bad = false;
    for (NodePtr& a : n.kids) {
      Visit(a);
      if (a->type.base == BaseType::kError) bad = true;
      nullable = nullable || a->nullable;
      constant = constant && a->constant;
    }
    if (bad) return;
    n.kind = NodeKind::kFunc;
    n.id = static_cast<int>(f.func);
    n.arg_names.clear();
    switch (f.func) {
      case Func::kHas: {
        const Node& a = *n.kids[0];
        if (!IsScalar(a.type.base)) {
          return Error(a,
                       "has() needs a field or value, not " + Article(a.type));
        }
        return Set(n, kBoolT, false, a.constant);
      }
      case Func::kMin:
      case Func::kMax: {
        Type t = n.kids[0]->type;
        for (const NodePtr& a : n.kids) {
          if (!IsOrdered(a->type.base)) {
            return Error(*a, "'" + std::string(f.name) +
                                 "' needs numbers, dates or severities; "
                                 "this is " +
                                 Article(a->type));
          }
          if (a->type != t) {
            return Error(*a, "'" + std::string(f.name) +
                                 "' needs values of one type: " + Article(t) +
                                 " and " + Article(a->type));
          }
        }
        return Set(n, t, nullable, constant);
      }
      default: {
        const Node& a = *n.kids[0];
        if (a.type.base != BaseType::kNumber) {
          return Error(a, "'" + std::string(f.name) +
                              "' needs a number, but this is " +
                              Article(a.type));
        }
        return Set(n, kNumberT, nullable, constant);
      }
    }
  }

  void VisitChildren(Node& n) {
    if (in_count_) {
      return Error(n,
                   "household.children cannot be used inside "
                   "household.count");
    }
    if (!ArgCount(n, "household.children", 1, 1)) return;
    if (!n.arg_names[0].empty() && n.arg_names[0] != "under") {
      return Error(*n.kids[0],
                   "household.children takes 'under:', e.g. "
                   "household.children(under: 6)");
    }
    NodePtr limit = std::move(n.kids[0]);
    Visit(limit);
    if (limit->type.base == BaseType::kError) return;
    if (limit->type.base != BaseType::kNumber || !limit->constant) {
      return Error(*limit,
                   "the age limit of household.children must be a "
                   "constant number, e.g. household.children(under: "
                   "6)");
    }
    // household.children(under: N) counts members with age < N.
    auto age = std::make_unique<Node>();
    age->kind = NodeKind::kField;
    age->id = static_cast<int>(Field::kAge);
    age->begin = n.begin;
    age->end = n.end;
    Set(*age, kNumberT, false, false);
    auto cmp = std::make_unique<Node>();
    cmp->kind = NodeKind::kCompare;
    cmp->op = static_cast<uint8_t>(CompareOp::kLt);
    cmp->begin = n.begin;
    cmp->end = n.end;
    Set(*cmp, kBoolT, limit->nullable, false);
    cmp->depth = limit->depth + 1;
    cmp->kids.push_back(std::move(age));
    cmp->kids.push_back(std::move(limit));
    n.kids.clear();
    n.arg_names.clear();
    n.kids.push_back(std::move(cmp));
    n.kind = NodeKind::kHouseholdCount;
    n.op = 1;
    n.depth = n.kids[0]->depth + 1;
    Set(n, kNumberT, false, false);
  }

  void VisitCount(Node& n) {
    if (in_count_) return Error(n, "household.count cannot be nested");
    if (!ArgCount(n, "household.count", 1, 1) || !NoNamedArgs(n)) return;
    in_count_ = true;
    Visit(n.kids[0]);
    in_count_ = false;
    const Node& c = *n.kids[0];
    if (c.type.base == BaseType::kError) return;
    if (c.type.base != BaseType::kBool) {
      return Error(c,
                   "household.count needs a yes/no condition on members, "
                   "but this is " +
                       Article(c.type));
    }
    n.kind = NodeKind::kHouseholdCount;
    n.op = 0;
    n.arg_names.clear();
    Set(n, kNumberT, false, false);
  }

  // --- Operators -----------------------------------------------------------

  // Reports text used where a value is needed; true if `n` is fine.
  bool NotText(const Node& n, std::string_view where) {
    if (n.type.base == BaseType::kText) {
      Error(n, "text cannot be used " + std::string(where) +
                   "; text is only compared with sex, relation, severity or "
                   "a date");
      return false;
    }
    if (n.type.base == BaseType::kList) {
      Error(n, "a list can only appear on the right of 'in'");
      return false;
    }
    return n.type.base != BaseType::kError;
  }

  void VisitNeg(Node& n) {
    n.type = kErrorT;
    Visit(n.kids[0]);
    const Node& a = *n.kids[0];
    if (!NotText(a, "with '-'")) return;
    if (a.type.base != BaseType::kNumber) {
      return Error(a, "'-' needs a number, but this is " + Article(a.type));
    }
    Set(n, kNumberT, a.nullable, a.constant);
  }

  void VisitNot(Node& n) {
    n.type = kErrorT;
    Visit(n.kids[0]);
    const Node& a = *n.kids[0];
    if (!NotText(a, "with 'not'")) return;
    if (a.type.base != BaseType::kBool) {
      return Error(
          a, "'not' needs a yes/no condition, but this is " + Article(a.type));
    }
    Set(n, kBoolT, a.nullable, a.constant);
  }

  void VisitLogic(Node& n) {
    const char* op = n.kind == NodeKind::kAnd ? "'and'" : "'or'";
    bool ok = true, nullable = false, constant = true;
    for (NodePtr& k : n.kids) {
      Visit(k);
      if (!NotText(*k, std::string("with ") + op)) {
        ok = false;
        continue;
      }
      if (k->type.base != BaseType::kBool) {
        Error(*k, std::string(op) +
                      " combines yes/no conditions, but this is " +
                      Article(k->type) +
                      (k->type.base == BaseType::kNumber
                           ? " (compare it, e.g. 'age < 6')"
                           : ""));
        ok = false;
      }
      nullable = nullable || k->nullable;
      constant = constant && k->constant;
    }
    if (ok) {
      Set(n, kBoolT, nullable, constant);
    } else {
      n.type = kErrorT;
    }
  }

  void VisitArith(Node& n) {
    n.type = kErrorT;
    Visit(n.kids[0]);
    Visit(n.kids[1]);
    std::string op(ArithOpText(static_cast<ArithOp>(n.op)));
    bool ok = true;
    for (const NodePtr& k : n.kids) {
      if (!NotText(*k, "in arithmetic")) {
        ok = false;
      } else if (k->type.base != BaseType::kNumber) {
        Error(*k, "'" + op + "' needs numbers on both sides, but this is " +
                      Article(k->type));
        ok = false;
      }
    }
    if (!ok) return;
    const Node& r = *n.kids[1];
    bool nullable = n.kids[0]->nullable || r.nullable;
    if (static_cast<ArithOp>(n.op) == ArithOp::kDiv) {
      if (r.kind == NodeKind::kConst && r.number == 0) {
        return Error(r, "division by zero");
      }
      // A divisor that may be 0 makes the result unknown for that person.
      if (r.kind != NodeKind::kConst) nullable = true;
    }
    Set(n, kNumberT, nullable, n.kids[0]->constant && r.constant);
  }

  // Turns a text literal into a constant of type `want` (an enumeration or
  // a date); reports why not. True if `n` needs no coercion or was coerced.
  bool Coerce(Node& n, BaseType want) {
    if (n.type.base != BaseType::kText) return true;
    if (IsEnum(want)) {
      std::optional<double> v = ParseEnumText(want, n.text);
      if (!v) {
        Error(n, "\"" + n.text + "\" is not a " + TypeName(Type{want}) +
                     "; expected " + EnumChoices(want));
        return false;
      }
      MakeConst(n, Type{want}, *v);
      return true;
    }
    if (want == BaseType::kDate) {
      auto d = Date::Parse(n.text);
      if (!d.ok()) {
        Error(n, d.status().message());
        return false;
      }
      MakeConst(n, Type{BaseType::kDate}, d->days());
      return true;
    }
    return true;
  }

  void VisitCompare(Node& n) {
    n.type = kErrorT;
    Visit(n.kids[0]);
    Visit(n.kids[1]);
    Node& a = *n.kids[0];
    Node& b = *n.kids[1];
    if (a.type.base == BaseType::kError || b.type.base == BaseType::kError) {
      return;
    }
    if (!Coerce(a, b.type.base) || !Coerce(b, a.type.base)) return;
    std::string op(CompareOpText(static_cast<CompareOp>(n.op)));
    if (a.type.base == BaseType::kText && b.type.base == BaseType::kText) {
      return Error(a,
                   "two texts cannot be compared; text is only compared "
                   "with sex, relation, severity or a date");
    }
    for (const Node* k : {&a, &b}) {
      if (k->type.base == BaseType::kList) {
        return Error(*k, "a list can only appear on the right of 'in'" +
                             std::string(op == "==" ? " (use 'in' instead "
                                                      "of '==')"
                                                    : ""));
      }
    }
    if (a.type != b.type) {
      const Node& at = b.type.base == BaseType::kText ? b : a;
      return Error(
          at, "cannot compare " + Article(a.type) + " with " + Article(b.type));
    }
    CompareOp cop = static_cast<CompareOp>(n.op);
    if (cop != CompareOp::kEq && cop != CompareOp::kNe &&
        !IsOrdered(a.type.base)) {
      return Error(n.kids[0]->end, TypeName(a.type) +
                                       " values have no order; use == or != "
                                       "(or 'in')");
    }
    Set(n, kBoolT, a.nullable || b.nullable, a.constant && b.constant);
  }

  void VisitIn(Node& n) {
    n.type = kErrorT;
    Visit(n.kids[0]);
    Visit(n.kids[1]);
    Node& a = *n.kids[0];
    Node& list = *n.kids[1];
    if (a.type.base == BaseType::kError || list.type.base == BaseType::kError) {
      return;
    }
    if (list.type.base != BaseType::kList) {
      return Error(list,
                   "the right side of 'in' must be a list, e.g. soum "
                   "in [18110, 18125]; this is " +
                       Article(list.type));
    }
    if (a.type.base == BaseType::kList) {
      return Error(a, "a list cannot be on the left of 'in'");
    }
    if (a.type.base == BaseType::kText) {
      return Error(a,
                   "text cannot be on the left of 'in'; text is only "
                   "compared with sex, relation, severity or a date");
    }
    bool nullable = a.nullable;
    if (list.kind == NodeKind::kList) {
      for (NodePtr& e : list.kids) {
        if (!Coerce(*e, a.type.base)) return;
        if (e->type != a.type) {
          return Error(*e, "this list holds " + Article(e->type) +
                               " but is searched for " + Article(a.type));
        }
        nullable = nullable || e->nullable;
      }
      list.type = Type{BaseType::kList, a.type.base};
    } else if (list.type.elem != a.type.base) {
      return Error(list, "this is " + Article(list.type) +
                             " but is searched for " + Article(a.type));
    }
    Set(n, kBoolT, nullable, a.constant && list.constant);
  }

  void VisitList(Node& n) {
    n.type = kErrorT;
    bool ok = true, nullable = false, constant = true;
    BaseType elem = BaseType::kAny;
    for (NodePtr& e : n.kids) {
      Visit(e);
      BaseType t = e->type.base;
      if (t == BaseType::kError) {
        ok = false;
        continue;
      }
      if (t == BaseType::kList) {
        Error(*e, "lists cannot contain lists");
        ok = false;
        continue;
      }
      if (elem == BaseType::kAny) {
        elem = t;
      } else if (t != elem && t != BaseType::kText && elem != BaseType::kText) {
        Error(*e, "a list holds values of one type, but this is " +
                      Article(e->type) + " after " + Article(Type{elem}));
        ok = false;
      }
      // Text mixed with another type is settled by coercion in 'in'.
      if (elem == BaseType::kText && t != BaseType::kText) elem = t;
      nullable = nullable || e->nullable;
      constant = constant && e->constant;
    }
    if (ok) Set(n, Type{BaseType::kList, elem}, nullable, constant);
  }

  void VisitIf(Node& n) {
    n.type = kErrorT;
    for (NodePtr& k : n.kids) Visit(k);
    Node& c = *n.kids[0];
    Node& a = *n.kids[1];
    Node& b = *n.kids[2];
    bool ok = true;
    if (NotText(c, "as a condition") && c.type.base != BaseType::kBool) {
      Error(c, "the condition of 'if' must be yes/no, but this is " +
                   Article(c.type));
      ok = false;
    }
    if (c.type.base != BaseType::kBool) ok = false;
    if (a.type.base == BaseType::kError || b.type.base == BaseType::kError) {
      return;
    }
    if (!Coerce(a, b.type.base) || !Coerce(b, a.type.base)) return;
    if (!NotText(a, "as the result of 'if'") ||
        !NotText(b, "as the result of 'if'")) {
      return;
    }
    if (a.type != b.type) {
      return Error(b,
                   "both branches of 'if' must have one type: 'then' "
                   "gives " +
                       Article(a.type) + ", 'else' gives " + Article(b.type));
    }
    if (!ok) return;
    Set(n, a.type, c.nullable || a.nullable || b.nullable,
        c.constant && a.constant && b.constant);
  }

  const Schema& schema_;
  std::vector<CheckError> errors_;
  bool in_count_ = false;
};

}  // namespace

std::vector<CheckError> Check(NodePtr& root, BaseType expected,
                              const Schema& schema) {
  return Checker(schema).Run(root, expected);
}

}  // namespace malchin::rules
