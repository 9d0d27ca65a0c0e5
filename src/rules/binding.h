// Binding and Interpreter (internal to rules/).
//
// A Binding is what a checked rule needs beyond its text: the Frame, the
// event's severity per soum, parameter values on the reference date and the
// extension columns. The Interpreter evaluates a checked tree for one
// person straight from the register, one node at a time, with explicit
// three-valued logic. It is the reference semantics: explain uses it, the
// fast evaluator (program.h) is tested against it, and the compiler uses it
// to fold constant subtrees.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "geo/geography.h"
#include "rules/ast.h"
#include "rules/event.h"
#include "rules/frame.h"
#include "rules/schema.h"

namespace malchin::rules {

// Soum codes are 5 digits; the severity table is indexed by code.
inline constexpr int32_t kSoumCodeLimit = 100000;

struct BoundColumn {
  const std::vector<double>* values = nullptr;  // NaN = missing.
  Scope scope = Scope::kPerson;
  ColumnKind kind = ColumnKind::kNumber;
  std::string description;
};

struct Binding {
  std::shared_ptr<const Frame> frame;
  std::string event_name;
  std::vector<uint8_t> severity;    // By soum code; size kSoumCodeLimit.
  std::vector<double> event_soums;  // Codes with severity > none, sorted.
  std::map<std::string, double, std::less<>> params;
  std::unordered_map<const Node*, BoundColumn> columns;  // kExtension nodes.
  const geo::Geography* geography = nullptr;

  Severity SeverityOf(int32_t soum) const {
    return soum >= 0 && soum < kSoumCodeLimit
               ? static_cast<Severity>(severity[soum])
               : Severity::kNone;
  }
};

// A value of the interpreter: unknown, or a known scalar (see ast.h for the
// encoding), or a list of values.
struct Value {
  bool known = false;
  double x = 0;
  std::vector<Value> items;  // Lists only (then `known` is true).

  static Value Unknown() { return {}; }
  static Value Of(double v) { return {true, v, {}}; }
  bool is_true() const { return known && x == 1; }
};

class Interpreter {
 public:
  explicit Interpreter(const Binding& b) : b_(b) {}

  // The value of `n` for person `p`. REQUIRES: p < persons(), or p < 0 and
  // n.constant (then no person is read).
  Value Eval(const Node& n, int32_t p) const;

  // Built-in field values, shared with explain.
  Value FieldValue(Field f, int32_t p) const;
  Value ColumnValue(const Node& n, int32_t p) const;
  // Members of p's household born on the reference date meeting `cond`.
  int64_t CountMembers(const Node& cond, int32_t p) const;

 private:
  const Binding& b_;
};

}  // namespace malchin::rules
