// The syntax tree of a rule expression (internal to rules/).
//
// The parser builds a tree of Nodes with names and calls unresolved; the
// checker (checker.h) resolves every name against the catalog (built-in
// fields, constants, functions) and the schema (extension columns), sets
// each node's type and nullability, and rewrites names and calls into
// kField / kConst / kExtension / kParam / kFunc / kHouseholdCount nodes. The
// evaluator, the reference interpreter and explain all walk the checked
// tree.
//
// Every node keeps its byte span in the source, so messages and explanations
// can quote exactly what the user wrote.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace malchin::rules {

// Limits that keep every stage linear and its recursion shallow, whatever
// the input. Documented in docs/rules.md.
inline constexpr size_t kMaxSourceBytes = 64 * 1024;
inline constexpr int kMaxNesting = 64;     // Parentheses, unary chains, ifs.
inline constexpr int kMaxTreeDepth = 256;  // Incl. long binary chains.
inline constexpr size_t kMaxListElements = 10000;

// Value types. Every value is carried as a double at run time: numbers as
// themselves, dates as days since 1970-01-01, enumerations as their code,
// yes/no as 0 or 1. Text exists only as literals, which the checker turns
// into dates or enumeration constants.
enum class BaseType : uint8_t {
  kError,  // Checker recovery: suppresses follow-on messages.
  kBool,
  kNumber,
  kText,
  kDate,
  kSeverity,
  kSex,
  kRelation,
  kList,
  kAny,  // Element type of the empty list.
};

struct Type {
  BaseType base = BaseType::kError;
  BaseType elem = BaseType::kAny;  // Only for kList.
  bool operator==(const Type&) const = default;
};

// "yes/no", "number", "text", "date", "severity", "sex", "relation",
// "list of numbers", ...
std::string TypeName(Type t);

enum class NodeKind : uint8_t {
  // Built by the parser.
  kNumber,   // number
  kText,     // text (decoded)
  kDate,     // number = days
  kList,     // kids = elements
  kName,     // text = dotted path, e.g. "household.size"
  kCall,     // text = callee path; kids = arguments; arg_names
  kNeg,      // -kids[0]
  kNot,      // not kids[0]
  kAnd,      // kids[0] and kids[1] and ... (n-ary)
  kOr,       // n-ary
  kArith,    // op = ArithOp
  kCompare,  // op = CompareOp
  kIn,       // kids[0] in kids[1]; op = 1 for 'not in'
  kIf,       // if kids[0] then kids[1] else kids[2]
  // Produced by the checker.
  kConst,           // number = encoded value, type = its type
  kField,           // id = Field
  kExtension,       // text = column name, key = key; id = schema index
  kParam,           // text = parameter name
  kFunc,            // id = Func; kids = arguments
  kHouseholdCount,  // kids[0] = person condition; op = 1 if written as
                    // household.children(under: N): kids[0] is then the
                    // synthesized "age < N"
};

enum class ArithOp : uint8_t { kAdd, kSub, kMul, kDiv };
enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
std::string_view ArithOpText(ArithOp op);      // "+", ...
std::string_view CompareOpText(CompareOp op);  // "==", ...

// Built-in fields (catalog.cpp has their names and descriptions).
enum class Field : uint8_t {
  kAge,
  kAgeMonths,
  kBirthDate,
  kSex,
  kRelation,
  kDisability,
  kHerder,
  kSoum,
  kCurrentSoum,
  kAimag,
  kCurrentAimag,
  kHouseholdSize,
  kHouseholdHerder,
  kHouseholdFemaleHead,
  kHouseholdHeadSex,
  kHouseholdHeadAge,
  kHouseholdSheepUnits,
  kHouseholdLivestock,
  kHouseholdCamels,
  kHouseholdHorses,
  kHouseholdCattle,
  kHouseholdSheep,
  kHouseholdGoats,
  kEventSeverity,
  kEventCurrentSeverity,
  kEventSoums,
};
inline constexpr int kFieldCount = static_cast<int>(Field::kEventSoums) + 1;

enum class Func : uint8_t { kHas, kMin, kMax, kRound, kFloor, kCeil, kAbs };

struct Node {
  NodeKind kind = NodeKind::kNumber;
  uint8_t op = 0;
  uint32_t begin = 0, end = 0;  // Byte span in the source.
  double number = 0;
  std::string text;
  std::string key;                     // kExtension: key, or "".
  std::vector<std::string> arg_names;  // kCall: per argument, "" if none.
  std::vector<std::unique_ptr<Node>> kids;
  // Set by the checker.
  Type type;
  bool nullable = false;  // May be unknown for some persons.
  bool constant = false;  // Same value for every person (fold at bind).
  int id = -1;            // Field / Func / schema column index.
  int depth = 1;          // Height of this subtree.

  Field field() const { return static_cast<Field>(id); }
  Func func() const { return static_cast<Func>(id); }
};

using NodePtr = std::unique_ptr<Node>;

// The source text of a node, e.g. "age < 6".
inline std::string_view SpanText(std::string_view source, const Node& n) {
  if (n.begin > source.size() || n.end > source.size() || n.end < n.begin) {
    return {};
  }
  return source.substr(n.begin, n.end - n.begin);
}

// A canonical, fully bracketed rendering of a tree (parser tests, round
// trips): "((age < 6) and (event.severity >= high))".
std::string Render(const Node& n);

}  // namespace malchin::rules
