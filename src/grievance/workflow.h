// The rules of a case's life that need no storage: which moves are allowed
// from which state, the deadlines, and when a case escalates. Pure, so the
// whole state machine and every deadline are tested without a database or
// a clock (the service passes `today` from the session's clock).
//
// Deadlines (dated parameters, data/parameters.json; calendar days):
//   grievance.acknowledge_days  N: acknowledge by received_on + N
//   grievance.resolve_days      M: decide by received_on + M
//   grievance.confidential.acknowledge_days / .resolve_days: the same for
//     confidential cases (a survivor is answered sooner)
//   grievance.escalation_days   E: a level that received an escalated case
//     has E days before it escalates again
//   grievance.backdate_days     B: a paper form may be dated at most B days
//     before the day it is recorded (taken as in force on that day)
// each taken as in force on the day the case was received (escalation_days
// on the day of the last escalation).
//
// Escalation: an open case (received, acknowledged, under review) is
// overdue on `today` when it is not acknowledged and today > acknowledge_by,
// or not decided and today > resolve_by. An overdue case below the national
// level moves up one level (soum -> aimag -> national), unless it escalated
// less than E days ago. Running it twice on one day changes nothing more.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "grievance/model.h"
#include "params/parameters.h"

namespace malchin::grievance {

// The state `action` moves a case in `from` to. FailedPrecondition naming
// the state and the action when the move is not allowed:
//   acknowledge   received -> acknowledged
//   start_review  acknowledged -> under_review
//   resolve       under_review -> resolved
//   refer         under_review -> referred
//   reject        received | acknowledged | under_review -> rejected
//   close         resolved | referred | rejected -> closed
//   reopen        resolved | referred | rejected | closed -> under_review
Result<CaseState> NextState(CaseState from, Action action);
// The actions NextState allows from `state`, in the enum's order.
std::vector<Action> ActionsFrom(CaseState state);
// Whether `action` needs a text (the reason, resolution or referral note):
// resolve, refer, reject and reopen do.
bool NeedsText(Action action);

struct Deadlines {
  Date acknowledge_by;
  Date resolve_by;
};
// The deadlines of a case received on `received_on`. FailedPrecondition if
// a parameter is not in force on that date.
Result<Deadlines> DeadlinesFor(const params::ParameterSet& p, Date received_on,
                               bool confidential);

// The earliest date a complaint recorded on `today` may give as the day it
// was received (a paper form's date): today - grievance.backdate_days.
// FailedPrecondition if the parameter is not in force today or is not whole
// days from 0 to 3660.
Result<Date> EarliestReceivedOn(const params::ParameterSet& p, Date today);

struct Escalation {
  Level to = Level::kAimag;
  std::string reason;  // "acknowledge_overdue" or "resolve_overdue".
};
// Whether `c` escalates on `today` (see above), and to which level.
Result<std::optional<Escalation>> EscalationDue(const Case& c, Date today,
                                                const params::ParameterSet& p);

// Whether a case was acknowledged / decided within its deadline (nullopt
// while it has not been).
std::optional<bool> AcknowledgedInTime(const Case& c);
std::optional<bool> DecidedInTime(const Case& c);

}  // namespace malchin::grievance
