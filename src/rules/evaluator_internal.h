// Access to a bound Evaluator's internals (internal to rules/): for the
// differential test, which compares the columnar Program with the reference
// Interpreter person by person, and for benchmarks.
#pragma once

#include <vector>

#include "rules/binding.h"
#include "rules/evaluator.h"

namespace malchin::rules {

struct EvaluatorInternals {
  // What the rule was bound to (frame, severities, parameters, columns).
  static const Binding& binding(const Evaluator& e);
  // The columnar Program's raw values for every person, by person index
  // (not yet born persons included): eligibility is 0, 1 or 0.5 (unknown),
  // the amount formula's value is NaN when unknown. Single-threaded.
  static void Evaluate(const Evaluator& e, std::vector<double>* eligibility,
                       std::vector<double>* amount);
};

}  // namespace malchin::rules
