#include "grievance/workflow.h"

#include <cmath>

namespace malchin::grievance {
namespace {

// Whole days from a parameter (0..max).
Result<int> Days(const params::ParameterSet& p, std::string_view name, Date on,
                 int max = 365) {
  MALCHIN_ASSIGN_OR_RETURN(double v, p.Value(name, on));
  if (!(v >= 0 && v <= max) || v != std::floor(v)) {
    return Status::FailedPrecondition(
        "parameter " + std::string(name) + " on " + on.ToString() + " is " +
        std::to_string(v) + "; expected whole days from 0 to " +
        std::to_string(max));
  }
  return static_cast<int>(v);
}

// The state table (see NextState's contract).
std::optional<CaseState> Move(CaseState from, Action action) {
  using S = CaseState;
  switch (action) {
    case Action::kAcknowledge:
      if (from == S::kReceived) return S::kAcknowledged;
      break;
    case Action::kStartReview:
      if (from == S::kAcknowledged) return S::kUnderReview;
      break;
    case Action::kResolve:
      if (from == S::kUnderReview) return S::kResolved;
      break;
    case Action::kRefer:
      if (from == S::kUnderReview) return S::kReferred;
      break;
    case Action::kReject:
      if (IsOpen(from)) return S::kRejected;
      break;
    case Action::kClose:
      if (IsDecided(from)) return S::kClosed;
      break;
    case Action::kReopen:
      if (IsDecided(from) || from == S::kClosed) return S::kUnderReview;
      break;
  }
  return std::nullopt;
}

}  // namespace

Result<CaseState> NextState(CaseState from, Action action) {
  if (auto to = Move(from, action)) return *to;
  std::string allowed;
  for (Action a : ActionsFrom(from)) {
    allowed += (allowed.empty() ? "" : ", ") + std::string(ActionName(a));
  }
  return Status::FailedPrecondition(
      "a case that is " + std::string(CaseStateName(from)) + " cannot " +
      std::string(ActionName(action)) +
      " (allowed: " + (allowed.empty() ? "nothing" : allowed) + ")");
}

std::vector<Action> ActionsFrom(CaseState state) {
  std::vector<Action> out;
  for (Action a :
       {Action::kAcknowledge, Action::kStartReview, Action::kResolve,
        Action::kRefer, Action::kReject, Action::kClose, Action::kReopen}) {
    if (Move(state, a)) out.push_back(a);
  }
  return out;
}

bool NeedsText(Action action) {
  return action == Action::kResolve || action == Action::kRefer ||
         action == Action::kReject || action == Action::kReopen;
}

Result<Deadlines> DeadlinesFor(const params::ParameterSet& p, Date received_on,
                               bool confidential) {
  const std::string prefix =
      confidential ? "grievance.confidential." : "grievance.";
  MALCHIN_ASSIGN_OR_RETURN(int ack,
                           Days(p, prefix + "acknowledge_days", received_on));
  MALCHIN_ASSIGN_OR_RETURN(int res,
                           Days(p, prefix + "resolve_days", received_on));
  return Deadlines{received_on.AddDays(ack), received_on.AddDays(res)};
}

Result<Date> EarliestReceivedOn(const params::ParameterSet& p, Date today) {
  MALCHIN_ASSIGN_OR_RETURN(int days,
                           Days(p, "grievance.backdate_days", today, 3660));
  return today.AddDays(-days);
}

Result<std::optional<Escalation>> EscalationDue(const Case& c, Date today,
                                                const params::ParameterSet& p) {
  using Out = std::optional<Escalation>;
  if (!IsOpen(c.state) || c.level == Level::kNational) return Out();
  bool ack_overdue =
      c.state == CaseState::kReceived && today > c.acknowledge_by;
  bool resolve_overdue = today > c.resolve_by;
  if (!ack_overdue && !resolve_overdue) return Out();
  if (c.escalated_on) {
    MALCHIN_ASSIGN_OR_RETURN(
        int wait, Days(p, "grievance.escalation_days", *c.escalated_on));
    if (today <= c.escalated_on->AddDays(wait)) return Out();
  }
  Escalation e;
  e.to = c.level == Level::kSoum ? Level::kAimag : Level::kNational;
  e.reason = resolve_overdue ? "resolve_overdue" : "acknowledge_overdue";
  return Out(e);
}

std::optional<bool> AcknowledgedInTime(const Case& c) {
  if (!c.acknowledged_on) return std::nullopt;
  return *c.acknowledged_on <= c.acknowledge_by;
}

std::optional<bool> DecidedInTime(const Case& c) {
  if (!c.decided_on) return std::nullopt;
  return *c.decided_on <= c.resolve_by;
}

}  // namespace malchin::grievance
