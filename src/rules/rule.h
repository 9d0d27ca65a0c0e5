// Rules: eligibility conditions and amount formulas, parsed and checked.
//
// A Rule is compiled from text once, before anything runs: the text is
// parsed (errors point at line:column with what was expected) and type
// checked (unknown fields, number-versus-text comparisons, wrong argument
// counts, a condition that is not yes/no, ...). A compiled Rule cannot fail
// for reasons of its own text; binding it to a register (evaluator.h) only
// checks that the data it mentions is there.
//
//   RuleSpec spec;
//   spec.eligibility = "age < 6 and event.severity >= high";
//   spec.amount = "if age < 3 then 30000 else 20000";
//   spec.cap_per_household = 120000;
//   std::vector<Diagnostic> problems;
//   Result<Rule> rule = Rule::Compile(spec, schema, &problems);
//   if (!rule.ok()) { /* problems[i].ToString() for each */ }
//
// The language is described in docs/rules.md.
//
// Thread-safety: Expression and Rule are immutable; share freely (copies
// share the compiled tree).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "rules/diagnostic.h"
#include "rules/schema.h"

namespace malchin::rules {

struct Node;  // ast.h (internal).

// One checked expression: a condition (yes/no) or an amount (number).
class Expression {
 public:
  enum class Kind { kCondition, kAmount };

  // Parses and type-checks `source` against the built-in fields and the
  // extension columns of `schema`. On failure returns InvalidArgument whose
  // message is the first problem formatted as Diagnostic::ToString(); if
  // `diagnostics` is given, every problem found is appended to it (parsing
  // stops at the first syntax error; type checking reports all it finds).
  // `name` labels positions in messages ("eligibility:1:13: ...").
  static Result<Expression> Compile(
      std::string_view source, Kind kind, const Schema& schema,
      std::string_view name = "rule",
      std::vector<Diagnostic>* diagnostics = nullptr);

  Kind kind() const { return kind_; }
  const std::string& source() const { return *source_; }
  // A canonical, fully bracketed form, e.g. "((age < 6) and
  // (event.severity >= high))": shows how the text was understood.
  std::string Canonical() const;
  // Internal: the checked tree (rules/ast.h).
  const Node& root() const { return *root_; }

 private:
  Expression() = default;
  Kind kind_ = Kind::kCondition;
  std::shared_ptr<const std::string> source_;
  std::shared_ptr<const Node> root_;
};

// Who a rule is about.
enum class Unit : uint8_t {
  // Each person is tested; each eligible person is a beneficiary.
  kPerson,
  // Each household is tested once, on its payee: the lowest-index member
  // whose relation is head, else its lowest-index member. Person fields in
  // the rule refer to the payee.
  kHousehold,
};

// How a per-household cap is shared when the members' amounts exceed it.
enum class CapOrder : uint8_t {
  // Youngest first (later birth date first; ties by person index): each
  // gets their full amount while the cap lasts, then the remainder, then 0.
  kYoungestFirst,
  // Each gets floor(amount * cap / total); the tögrögs left over go one
  // each to the largest remainders (ties: youngest first).
  kProportional,
};

struct RuleSpec {
  std::string eligibility;  // A condition, e.g. "age <= 17".
  std::string amount;       // MNT per beneficiary, e.g. "40000".
  Unit unit = Unit::kPerson;
  // Total MNT one household may receive under this rule; nullopt = none.
  std::optional<int64_t> cap_per_household;
  CapOrder cap_order = CapOrder::kYoungestFirst;
};

class Rule {
 public:
  // Compiles both expressions (names "eligibility" and "amount" in
  // messages) and checks the settings (a cap must be positive). Errors as
  // Expression::Compile; `diagnostics` collects the problems of both.
  static Result<Rule> Compile(const RuleSpec& spec, const Schema& schema,
                              std::vector<Diagnostic>* diagnostics = nullptr);

  const RuleSpec& spec() const { return spec_; }
  const Expression& eligibility() const { return *eligibility_; }
  const Expression& amount() const { return *amount_; }

 private:
  Rule() = default;
  RuleSpec spec_;
  std::optional<Expression> eligibility_, amount_;
};

}  // namespace malchin::rules
