// Type checker of the rule language (internal to rules/).
#pragma once

#include <string>
#include <vector>

#include "rules/ast.h"
#include "rules/schema.h"

namespace malchin::rules {

struct CheckError {
  size_t offset = 0;
  std::string message;
};

// Resolves every name in `root` (fields, constants, functions, extension
// columns of `schema`), coerces text literals compared with dates or
// enumerations, sets each node's type, nullability and constness, and
// checks that the whole is of type `expected` (kBool for a condition,
// kNumber for an amount). Rewrites the tree in place. Returns every problem
// found, in source order of discovery; empty means the tree is ready to
// run. Recursion is bounded by the tree's depth (kMaxTreeDepth).
std::vector<CheckError> Check(NodePtr& root, BaseType expected,
                              const Schema& schema);

}  // namespace malchin::rules
