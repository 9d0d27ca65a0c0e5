#include "response/model.h"

#include <algorithm>
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
constexpr std::array<std::string_view, 2> kOverlapChoice = {"exclude",
                                                            "accept"};
constexpr std::array<std::string_view, 6> kCaseAction = {
    "hold", "cancel", "release", "reissue", "payee", "flag"};
constexpr std::array<std::string_view, 3> kActionStatus = {
    "requested", "confirmed", "rejected"};
constexpr std::array<std::string_view, 4> kCaseState = {"open", "held",
                                                        "cancelled", "flagged"};
constexpr std::array<std::string_view, 8> kFollowUpReason = {
    "no_account", "failed",   "returned",  "held",
    "flagged",    "awaiting", "cancelled", "to_reissue"};

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
std::string_view Name(OverlapChoice c) { return At(kOverlapChoice, c); }
std::string_view Name(CaseAction a) { return At(kCaseAction, a); }
std::string_view Name(ActionStatus s) { return At(kActionStatus, s); }
std::string_view Name(CaseState s) { return At(kCaseState, s); }
std::string_view Name(FollowUpReason r) { return At(kFollowUpReason, r); }

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

Result<OverlapChoice> ParseOverlapChoice(std::string_view text) {
  return ByName<OverlapChoice>(kOverlapChoice, text, "overlap",
                               "exclude or accept");
}
Result<CaseAction> ParseCaseAction(std::string_view text) {
  return ByName<CaseAction>(kCaseAction, text, "action",
                            "hold, cancel, release, reissue, payee or flag");
}
Result<ActionStatus> ParseActionStatus(std::string_view text) {
  return ByName<ActionStatus>(kActionStatus, text, "action status",
                              "requested, confirmed or rejected");
}

CaseView DeriveCase(const std::vector<PaymentAction>& actions, int installment,
                    int64_t last_attempt_action) {
  CaseView v;
  for (const PaymentAction& a : actions) {
    const bool mine = a.installment ? *a.installment == installment
                                    : a.kind == CaseAction::kPayee;
    if (!mine) continue;
    if (a.status == ActionStatus::kRequested) v.awaiting = true;
    if (a.status != ActionStatus::kConfirmed) continue;
    switch (a.kind) {
      case CaseAction::kFlag:
        if (v.state != CaseState::kCancelled) v.state = CaseState::kFlagged;
        break;
      case CaseAction::kHold:
        if (v.state != CaseState::kCancelled) v.state = CaseState::kHeld;
        break;
      case CaseAction::kCancel:
        v.state = CaseState::kCancelled;
        break;
      case CaseAction::kRelease:
        if (v.state != CaseState::kCancelled) v.state = CaseState::kOpen;
        break;
      case CaseAction::kPayee:
        v.payee = a;
        [[fallthrough]];
      case CaseAction::kReissue:
        if (a.id > last_attempt_action) v.reissue_decided = true;
        v.decision_id = std::max(v.decision_id, a.id);
        break;
    }
  }
  return v;
}

bool MayIssue(const CaseView& view, int last_attempt) {
  if (view.state != CaseState::kOpen || view.awaiting) return false;
  return last_attempt == 0 || view.reissue_decided;
}

std::optional<FollowUpReason> FollowUpOf(const CaseView& view, int last_attempt,
                                         std::optional<PaymentStatus> last,
                                         bool routable) {
  if (view.state == CaseState::kCancelled) return FollowUpReason::kCancelled;
  if (view.awaiting) return FollowUpReason::kAwaiting;
  if (view.state == CaseState::kHeld) return FollowUpReason::kHeld;
  if (view.state == CaseState::kFlagged) return FollowUpReason::kFlagged;
  if (last_attempt > 0) {
    if (view.reissue_decided) return FollowUpReason::kToReissue;
    return last == PaymentStatus::kReturned ? FollowUpReason::kReturned
                                            : FollowUpReason::kFailed;
  }
  if (!routable) return FollowUpReason::kNoAccount;
  return std::nullopt;
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
