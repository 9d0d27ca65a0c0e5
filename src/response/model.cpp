#include "response/model.h"

#include <array>

namespace malchin::response {
namespace {

// The enum whose Name is `text` among `names` (indexed by the enum's
// value); InvalidArgument "<what> '<text>': expected <expected>" otherwise.
template <class E, size_t N>
Result<E> ByName(const std::array<std::string_view, N>& names,
                 std::string_view text, std::string_view what,
                 std::string_view expected) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return Status::InvalidArgument(std::string(what) + " '" + std::string(text) +
                                 "': expected " + std::string(expected));
}

constexpr std::array<std::string_view, 2> kPlanStatus = {"prepared",
                                                         "approved"};
constexpr std::array<std::string_view, 2> kPayrollStatus = {"generated",
                                                            "approved"};
constexpr std::array<std::string_view, 4> kPaymentStatus = {
    "pending", "paid", "failed", "returned"};
constexpr std::array<std::string_view, 4> kSeverity = {"low", "medium", "high",
                                                       "very_high"};
constexpr std::array<std::string_view, 2> kPlanKind = {"vertical",
                                                       "horizontal"};
constexpr std::array<std::string_view, 2> kUnit = {"person", "household"};
constexpr std::array<std::string_view, 2> kCapOrder = {"youngest_first",
                                                       "proportional"};

template <size_t N, class E>
std::string_view At(const std::array<std::string_view, N>& names, E e) {
  size_t i = static_cast<size_t>(e);
  return i < N ? names[i] : std::string_view("?");
}

}  // namespace

std::string_view Name(PlanStatus s) { return At(kPlanStatus, s); }
std::string_view Name(PayrollStatus s) { return At(kPayrollStatus, s); }
std::string_view Name(PaymentStatus s) { return At(kPaymentStatus, s); }
std::string_view Name(Severity s) { return At(kSeverity, s); }
std::string_view Name(PlanKind k) { return At(kPlanKind, k); }
std::string_view Name(Unit u) { return At(kUnit, u); }
std::string_view Name(CapOrder o) { return At(kCapOrder, o); }

Result<PlanStatus> ParsePlanStatus(std::string_view text) {
  return ByName<PlanStatus>(kPlanStatus, text, "plan status",
                            "prepared or approved");
}
Result<PayrollStatus> ParsePayrollStatus(std::string_view text) {
  return ByName<PayrollStatus>(kPayrollStatus, text, "payroll status",
                               "generated or approved");
}
Result<PaymentStatus> ParsePaymentStatus(std::string_view text) {
  return ByName<PaymentStatus>(kPaymentStatus, text, "payment status",
                               "pending, paid, failed or returned");
}
Result<Severity> ParseSeverity(std::string_view text) {
  return ByName<Severity>(kSeverity, text, "severity",
                          "very_high, high, medium or low");
}
Result<PlanKind> ParsePlanKind(std::string_view text) {
  return ByName<PlanKind>(kPlanKind, text, "kind", "vertical or horizontal");
}
Result<Unit> ParseUnit(std::string_view text) {
  return ByName<Unit>(kUnit, text, "unit", "person or household");
}
Result<CapOrder> ParseCapOrder(std::string_view text) {
  return ByName<CapOrder>(kCapOrder, text, "cap order",
                          "youngest_first or proportional");
}

bool ResultMayFollow(PaymentStatus now, PaymentStatus next) {
  if (now == PaymentStatus::kPending) return true;
  return now == PaymentStatus::kPaid && next == PaymentStatus::kReturned;
}

bool IsLive(PaymentStatus s) {
  return s == PaymentStatus::kPending || s == PaymentStatus::kPaid;
}

std::string PayrollId(std::string_view plan_code, int installment) {
  return std::string(plan_code) + "#" + std::to_string(installment);
}

}  // namespace malchin::response
