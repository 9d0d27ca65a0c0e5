// Schema and Extensions: fields that other modules add to the rule language.
//
// The built-in fields (age, sex, soum, household.size, event.severity, ...)
// come from the register. Other modules supply more, as named columns of
// numbers or yes/no values, one value per person or per household:
//
//   Schema schema;                       // What rules may mention.
//   schema.Declare(ColumnSpec::Number("rci_quintile", "",
//                                     Scope::kHousehold, /*nullable=*/true));
//   schema.Declare(ColumnSpec::YesNo("enrolled", "child_money"));
//   // Rules may now say: has(rci_quintile) and rci_quintile == 1
//   //                    enrolled("child_money")
//
//   Extensions ext;                      // The values, for one Population.
//   ext.Add(spec, values_per_household, present_per_household);
//
// A column with a key is written name("key") in rules; one without, name.
// A nullable column may lack a value for some rows: comparisons with a
// missing value are unknown (docs/rules.md, "Missing values"), and has(x)
// tells whether the value is there.
//
// Thread-safety: both are immutable once filled; share freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "params/parameters.h"

namespace malchin::rules {

enum class Scope : uint8_t { kPerson, kHousehold };
enum class ColumnKind : uint8_t { kNumber, kBool };

struct ColumnSpec {
  // A lower-case identifier path: "pmt_score", "rima.rci_quintile".
  // It may not start with "household." or "event.", nor clash with a
  // built-in field, constant, keyword or function name.
  std::string name;
  // "" for a plain column; otherwise the column is written name("key"),
  // e.g. enrolled("child_money"). Keys: letters, digits, '_', '-', '.'.
  std::string key;
  Scope scope = Scope::kPerson;
  ColumnKind kind = ColumnKind::kNumber;
  bool nullable = false;
  // For explanations: "RIMA resilience quintile". Defaults to the name.
  std::string description;

  static ColumnSpec Number(std::string name, std::string key = {},
                           Scope scope = Scope::kPerson, bool nullable = false);
  static ColumnSpec YesNo(std::string name, std::string key = {},
                          Scope scope = Scope::kPerson, bool nullable = false);
};

class Schema {
 public:
  // Adds a column. InvalidArgument, naming the problem, if the name or key
  // is malformed, clashes with the language's own names, or was already
  // declared; the schema is then unchanged.
  Status Declare(ColumnSpec spec);

  // When set, param("name") is checked against these parameter names at
  // compile time (unknown names are errors with a suggestion). Without it,
  // names are checked when the rule is bound to a context.
  void set_parameters(std::shared_ptr<const params::ParameterSet> p) {
    parameters_ = std::move(p);
  }
  const params::ParameterSet* parameters() const { return parameters_.get(); }

  const std::vector<ColumnSpec>& columns() const { return columns_; }
  // Index into columns() of (name, key), or -1.
  int Find(std::string_view name, std::string_view key) const;
  // True if `name` is declared with keys (written name("key")).
  bool IsKeyed(std::string_view name) const;
  // The keys declared for `name`, sorted.
  std::vector<std::string> KeysOf(std::string_view name) const;

 private:
  std::vector<ColumnSpec> columns_;
  std::shared_ptr<const params::ParameterSet> parameters_;
};

class Extensions {
 public:
  // Declares `spec` (as Schema::Declare) and supplies its values, one per
  // person or per household (by scope) of the Population the rules will
  // run on, in the Population's index order. `present` is empty (every
  // value present) or of the same size (0 = missing). Bool columns take 0
  // or 1. InvalidArgument if a value is not finite, a bool is not 0/1, a
  // non-nullable column has a missing value, or the sizes differ; nothing
  // is added then. The row count is checked against the Population when
  // rules are bound (Evaluator::Bind).
  Status Add(ColumnSpec spec, std::vector<double> values,
             std::vector<uint8_t> present = {});

  const Schema& schema() const { return schema_; }
  void set_parameters(std::shared_ptr<const params::ParameterSet> p) {
    schema_.set_parameters(std::move(p));
  }
  // Values of column `index` (as in schema().columns()); missing values
  // are NaN. REQUIRES: index < schema().columns().size().
  const std::vector<double>& values(int index) const { return values_[index]; }

 private:
  Schema schema_;
  std::vector<std::vector<double>> values_;
};

}  // namespace malchin::rules
