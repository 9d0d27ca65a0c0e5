#include "rules/rule.h"

#include "rules/ast.h"
#include "rules/checker.h"
#include "rules/parser.h"

namespace malchin::rules {

Result<Expression> Expression::Compile(std::string_view source, Kind kind,
                                       const Schema& schema,
                                       std::string_view name,
                                       std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> found;
  ParseError parse_error;
  NodePtr root = Parse(source, &parse_error);
  if (!root) {
    found.push_back(
        MakeDiagnostic(name, source, parse_error.offset, parse_error.message));
  } else {
    for (CheckError& e :
         Check(root,
               kind == Kind::kCondition ? BaseType::kBool : BaseType::kNumber,
               schema)) {
      found.push_back(
          MakeDiagnostic(name, source, e.offset, std::move(e.message)));
    }
  }
  if (!found.empty()) {
    Status st =
        Status::InvalidArgument(found.front().ToString(), std::string(name));
    if (diagnostics) {
      diagnostics->insert(diagnostics->end(), found.begin(), found.end());
    }
    return st;
  }
  Expression e;
  e.kind_ = kind;
  e.source_ = std::make_shared<const std::string>(source);
  e.root_ = std::shared_ptr<const Node>(std::move(root));
  return e;
}

std::string Expression::Canonical() const { return Render(*root_); }

Result<Rule> Rule::Compile(const RuleSpec& spec, const Schema& schema,
                           std::vector<Diagnostic>* diagnostics) {
  std::vector<Diagnostic> found;
  auto elig =
      Expression::Compile(spec.eligibility, Expression::Kind::kCondition,
                          schema, "eligibility", &found);
  auto amount = Expression::Compile(spec.amount, Expression::Kind::kAmount,
                                    schema, "amount", &found);
  if (diagnostics) {
    diagnostics->insert(diagnostics->end(), found.begin(), found.end());
  }
  if (!elig.ok()) return elig.status();
  if (!amount.ok()) return amount.status();
  if (spec.cap_per_household && *spec.cap_per_household <= 0) {
    return Status::InvalidArgument(
        "cap_per_household must be a positive amount, got " +
            std::to_string(*spec.cap_per_household),
        "cap_per_household");
  }
  Rule r;
  r.spec_ = spec;
  r.eligibility_ = std::move(elig).value();
  r.amount_ = std::move(amount).value();
  return r;
}

}  // namespace malchin::rules
