#include "rules/ast.h"

#include "rules/catalog.h"

namespace malchin::rules {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Join(const Node& n, std::string_view sep, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < n.kids.size(); ++i) {
    if (i > from) out += sep;
    if (i < n.arg_names.size() && !n.arg_names[i].empty()) {
      out += n.arg_names[i] + ": ";
    }
    out += Render(*n.kids[i]);
  }
  return out;
}

}  // namespace

std::string Render(const Node& n) {
  switch (n.kind) {
    case NodeKind::kNumber:
      return ValueName(Type{BaseType::kNumber}, n.number);
    case NodeKind::kText:
      return Quote(n.text);
    case NodeKind::kDate:
      return ValueName(Type{BaseType::kDate}, n.number);
    case NodeKind::kList:
      return "[" + Join(n, ", ") + "]";
    case NodeKind::kName:
      return n.text;
    case NodeKind::kCall:
      return n.text + "(" + Join(n, ", ") + ")";
    case NodeKind::kNeg:
      return "(-" + Render(*n.kids[0]) + ")";
    case NodeKind::kNot:
      return "(not " + Render(*n.kids[0]) + ")";
    case NodeKind::kAnd:
      return "(" + Join(n, " and ") + ")";
    case NodeKind::kOr:
      return "(" + Join(n, " or ") + ")";
    case NodeKind::kArith:
      return "(" + Render(*n.kids[0]) + " " +
             std::string(ArithOpText(static_cast<ArithOp>(n.op))) + " " +
             Render(*n.kids[1]) + ")";
    case NodeKind::kCompare:
      return "(" + Render(*n.kids[0]) + " " +
             std::string(CompareOpText(static_cast<CompareOp>(n.op))) + " " +
             Render(*n.kids[1]) + ")";
    case NodeKind::kIn:
      return "(" + Render(*n.kids[0]) + (n.op ? " not in " : " in ") +
             Render(*n.kids[1]) + ")";
    case NodeKind::kIf:
      return "(if " + Render(*n.kids[0]) + " then " + Render(*n.kids[1]) +
             " else " + Render(*n.kids[2]) + ")";
    case NodeKind::kConst:
      if (n.type.base == BaseType::kBool)
        return n.number != 0 ? "true" : "false";
      if (n.type.base == BaseType::kSex)
        return n.number == 0 ? "female" : "male";
      return ValueName(n.type, n.number);
    case NodeKind::kField:
      return std::string(InfoOf(n.field()).name);
    case NodeKind::kExtension:
      return n.key.empty() ? n.text : n.text + "(" + Quote(n.key) + ")";
    case NodeKind::kParam:
      return "param(" + Quote(n.text) + ")";
    case NodeKind::kFunc:
      for (const FuncInfo& f : Funcs()) {
        if (f.func == n.func()) {
          return std::string(f.name) + "(" + Join(n, ", ") + ")";
        }
      }
      return "?";
    case NodeKind::kHouseholdCount:
      if (n.op == 1) {
        return "household.children(under: " + Render(*n.kids[0]->kids[1]) + ")";
      }
      return "household.count(" + Render(*n.kids[0]) + ")";
  }
  return "?";
}

}  // namespace malchin::rules
