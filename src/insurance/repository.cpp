// The insurance model's names and the snapshot's coverage lookup.
#include "insurance/repository.h"

namespace malchin::insurance {

std::string_view InsuranceSchemeName(InsuranceScheme s) {
  return s == InsuranceScheme::kSocial ? "social" : "health";
}

Result<InsuranceScheme> ParseInsuranceScheme(std::string_view s) {
  if (s == "social") return InsuranceScheme::kSocial;
  if (s == "health") return InsuranceScheme::kHealth;
  return Status::InvalidArgument(
      "scheme '" + std::string(s) + "': expected social or health", "scheme");
}

namespace {
constexpr std::string_view kMethodNames[] = {"cash",
                                             "bank",
                                             "cooperative",
                                             "in_kind",
                                             "raw_material_subsidy",
                                             "government_subsidy"};
constexpr std::string_view kOutcomeNames[] = {"enrolled", "refused",
                                              "not_found"};
}  // namespace

std::string_view PaymentMethodName(PaymentMethod m) {
  return kMethodNames[static_cast<int>(m)];
}

Result<PaymentMethod> ParsePaymentMethod(std::string_view s) {
  for (int i = 0; i < 6; ++i) {
    if (kMethodNames[i] == s) return static_cast<PaymentMethod>(i);
  }
  return Status::InvalidArgument(
      "payment method '" + std::string(s) +
          "': expected cash, bank, cooperative, in_kind, "
          "raw_material_subsidy or government_subsidy",
      "method");
}

std::string_view VisitOutcomeName(VisitOutcome o) {
  return kOutcomeNames[static_cast<int>(o)];
}

Result<VisitOutcome> ParseVisitOutcome(std::string_view s) {
  for (int i = 0; i < 3; ++i) {
    if (kOutcomeNames[i] == s) return static_cast<VisitOutcome>(i);
  }
  return Status::InvalidArgument("visit outcome '" + std::string(s) +
                                     "': expected enrolled, refused or "
                                     "not_found",
                                 "outcome");
}

bool InsuranceSnapshot::Covered(size_t p, InsuranceScheme scheme,
                                int32_t month) const {
  int s = static_cast<int>(scheme);
  for (uint32_t i = span_begin[s][p]; i < span_begin[s][p + 1]; ++i) {
    const CoverageSpan& c = spans[s][i];
    if (c.first_month <= month && month <= c.last_month) return true;
    if (c.first_month > month) break;  // Spans are sorted.
  }
  return false;
}

}  // namespace malchin::insurance
