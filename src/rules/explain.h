// Explanations of one person's eligibility and amount (internal to rules/).
#pragma once

#include <cstdint>

#include "rules/binding.h"
#include "rules/evaluator.h"
#include "rules/rule.h"

namespace malchin::rules {

// Evaluates `rule` for person `p` with the reference Interpreter and writes
// the trace. REQUIRES: p < b.frame->persons().
Explanation ExplainPerson(const Rule& rule, const Binding& b, int32_t p,
                          Language language);

}  // namespace malchin::rules
