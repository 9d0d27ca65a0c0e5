// response::Transfers: the steps of a shock response on one store::Session,
// with ALL their rules: maker-checker, which state may follow which,
// idempotency, area checks of an approval and overlap flagging. The
// repository (response/repository.h) only reads and writes rows.
//
// Each step that writes is one Session::Write:
//   session.Write([&] { session.Lock("plan:" + code); read; decide; write;
//                       session.Audit(...); })
// so it happens whole or not at all, with its audit-trail entry, and two
// app servers (or threads, or processes) running the same step at the same
// moment serialize on the lock: the second sees what the first did and
// returns it. The database's constraints (one payroll line per beneficiary
// and installment, one live payment per line, unique references, preparer
// != approver) stay the last line of defence.
//
// Every step is idempotent: repeating it with the same input changes
// nothing and returns what the first run did. Where a caller must know
// whether this call did the work (an API answering 201 or 200), `created`
// (if given) is set to true only for the call that wrote.
//
// `actor` is who acts (a user name), recorded as preparer, approver and in
// the audit trail. Reads see what the session's caller area allows.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "response/model.h"
#include "response/repository.h"
#include "store/session.h"

namespace malchin::response {

class Transfers {
 public:
  // REQUIRES: `session` outlives this object.
  explicit Transfers(store::Session& session);

  // --- Programmes ----------------------------------------------------------
  // Creates or returns the programme with this code. AlreadyExists if one
  // with the same code but other fields is there.
  Result<ProgrammeRecord> EnsureProgramme(const ProgrammeRecord& p,
                                          std::string_view actor);
  Result<std::optional<ProgrammeRecord>> FindProgramme(std::string_view code);

  // --- Shock events --------------------------------------------------------
  // Creates the event (soums included). An identical event with the same
  // code is returned as it is; AlreadyExists if it differs.
  Result<ShockEventRecord> CreateEvent(const ShockEventRecord& e,
                                       std::string_view actor,
                                       bool* created = nullptr);
  // Sets the severity of each soum given (adds or changes; other soums
  // stay). Returns how many were added or changed. NotFound if no event.
  Result<int64_t> SetEventSoums(std::string_view event_code,
                                const std::vector<EventSoum>& soums,
                                std::string_view actor);
  // The event with its soums in `area` only.
  Result<std::optional<ShockEventRecord>> FindEvent(std::string_view code,
                                                    const AreaFilter& area);

  // --- Plans ---------------------------------------------------------------
  // Creates a prepared plan (prepared_by = actor). Idempotent like
  // CreateEvent. NotFound if its event or programme is missing.
  Result<PlanRecord> CreatePlan(const PlanRecord& p, std::string_view actor,
                                bool* created = nullptr);
  Result<std::optional<PlanRecord>> FindPlan(std::string_view code);

  // Chooses a plan's beneficiaries from the register (the Roster).
  using Selector =
      std::function<Result<std::vector<SnapshotChoice>>(const Roster&)>;
  // Approves a prepared plan and freezes its snapshot, in one transaction:
  // loads the register (national), calls `select`, copies each chosen
  // person's identity, household, soum, sex, birth date, disability, payee
  // name and account (and, for the payment report, age band on the cut-off
  // and the sexes of payee and head) into the snapshot, flags those also in
  // an overlapping plan (same event or programme, periods overlapping) and
  // marks the plan approved.
  // Beneficiaries already in an approved plan of the same event and the
  // same programme (or both without one) are left out, unless `overlap`
  // accepts them (with its reason); the choice, their count and the reason
  // are recorded on the plan and in the audit entry.
  // - NotFound if there is no such plan.
  // - PermissionDenied if `actor` prepared the plan, or if `area` (with
  //   the caller's) is not national and a beneficiary is outside it.
  // - InvalidArgument if `overlap` accepts without a reason.
  // - Internal if `select` chose a person twice or out of range.
  // - Already approved: returns the plan unchanged, whoever asks.
  // Errors from `select` are returned; nothing is written then.
  Result<PlanRecord> ApprovePlan(std::string_view plan_code,
                                 std::string_view actor, const AreaFilter& area,
                                 const Selector& select,
                                 bool* created = nullptr,
                                 const OverlapDecision& overlap = {});
  // How many of `chosen` (persons of `roster`) are already in the snapshot
  // of each approved plan of the same event and programme as `plan`
  // (the plans approval leaves them out for), by plan code; plans with
  // none are not listed.
  Result<std::vector<std::pair<std::string, int64_t>>> AlreadyCovered(
      const PlanRecord& plan, const Roster& roster,
      const std::vector<SnapshotChoice>& chosen);
  // The snapshot row of `register_no` in the plan, if in `area`.
  Result<std::optional<Entitlement>> FindEntitlement(
      std::string_view plan_code, std::string_view register_no,
      const AreaFilter& area);
  // The snapshot's beneficiaries, households and amount in `area`.
  Result<SnapshotTotals> AreaTotals(std::string_view plan_code,
                                    const AreaFilter& area);

  // Snapshot rows of a plan in `area`: (register_no, amount), by register
  // number. NotFound if no plan.
  Result<std::vector<std::pair<std::string, int64_t>>> Snapshot(
      std::string_view plan_code, const AreaFilter& area);
  // Register numbers flagged as also in an overlapping plan, with the
  // other plan's code.
  Result<std::vector<std::pair<std::string, std::string>>> Overlaps(
      std::string_view plan_code);

  // --- Payrolls ------------------------------------------------------------
  // Generates the payroll of one installment from the frozen snapshot (one
  // line per beneficiary, in one statement). NotFound for an unknown plan
  // or installment; FailedPrecondition unless the plan is approved.
  // Already generated: returns it unchanged.
  Result<PayrollRecord> GeneratePayroll(std::string_view plan_code,
                                        int installment, std::string_view actor,
                                        bool* created = nullptr);
  // PermissionDenied if `actor` generated it; already approved: unchanged.
  Result<PayrollRecord> ApprovePayroll(std::string_view plan_code,
                                       int installment, std::string_view actor,
                                       bool* created = nullptr);
  Result<std::optional<PayrollRecord>> FindPayroll(std::string_view plan_code,
                                                   int installment);

  // Routes an account number to a bank code, or says why it cannot.
  using Router = std::function<Result<std::string>(std::string_view account)>;
  // Issues a payment attempt, in one new batch numbered after the
  // payroll's last, for every line of an approved payroll with none live
  // that MayIssue allows: never sent, or failed/returned with a re-issue
  // (or payee change) decided since; never a held, cancelled or flagged
  // one, nor one with a request awaiting a second officer (kept_out counts
  // them). First flags the lines whose beneficiary was deactivated since
  // the snapshot (FlagDeactivated). Each attempt is sent to the payee in
  // force (a confirmed payee change, else the snapshot's). Returns the
  // batch; batch 0 if nothing was issued. FailedPrecondition unless the
  // payroll is approved.
  Result<IssueResult> IssuePayments(std::string_view plan_code, int installment,
                                    std::string_view actor,
                                    const Router& bank_of);
  // The payments of batch `batch` (its number within the payroll), by bank
  // code then reference. The last batch of the payroll if `batch` is 0
  // (nothing if there is none).
  Status ForEachIssued(std::string_view plan_code, int installment, int batch,
                       const std::function<Status(const IssuedPayment&)>& fn);

  // --- Payments as cases (cases.cpp) ----------------------------------------
  // An officer's request about one payment (installment > 0) or, for a
  // payee change, about a beneficiary's every payment of the plan. The
  // effective date defaults to today.
  struct CaseRequest {
    std::string plan_code;
    int installment = 0;  // 0 for a payee change.
    std::string register_no;
    CaseAction kind = CaseAction::kHold;
    std::string reason;
    std::optional<Date> effective_on;
    // A payee change: the new payee and account (the caller checks them).
    std::string payee_register_no, payee_name, account;
    // An officer who may not decide the request (DecideAction refuses
    // them): the one a complaint asking for it is about.
    std::string barred_checker;
  };
  // Records the request under the plan's lock, with its audit entry.
  // hold, cancel, release and payee wait for a second officer
  // (DecideAction); reissue is recorded confirmed. NotFound if the plan,
  // installment or beneficiary (in `area`) is unknown; FailedPrecondition
  // if the plan is not approved, a request already awaits a decision, or
  // the action does not fit the payment's case (hold or cancel of a
  // payment sent to the bank and not failed or returned, or of a cancelled
  // one; release of one neither held nor flagged; reissue of one not
  // failed or returned, or held/flagged/cancelled; a payee change to the
  // payee and account in force); InvalidArgument without a reason, or for
  // kFlag (only the register check flags).
  Result<PaymentAction> RequestAction(const CaseRequest& request,
                                      std::string_view actor,
                                      const AreaFilter& area);
  // Confirms or rejects a requested action of the plan. PermissionDenied if
  // `actor` requested it (maker-checker) or is its barred checker, or its
  // beneficiary is outside `area`; FailedPrecondition if it was decided
  // already; NotFound if no such action of the plan.
  Result<PaymentAction> DecideAction(std::string_view plan_code,
                                     int64_t action_id, bool confirm,
                                     std::string_view note,
                                     std::string_view actor,
                                     const AreaFilter& area);
  // The plan, installment and beneficiary of the payment attempt with this
  // reference (as printed in the bank's file); NotFound if none, or if the
  // beneficiary is outside `area`.
  Result<PaymentAddress> FindPayment(std::string_view reference,
                                     const AreaFilter& area);
  // The action with this id; NotFound if none, or if its beneficiary is
  // outside `area`.
  Result<PaymentAction> FindAction(int64_t action_id, const AreaFilter& area);
  // Every action on the plan's payments, in id order.
  Result<std::vector<PaymentAction>> Actions(std::string_view plan_code);
  // One payment with its attempts, actions and state. NotFound if the
  // beneficiary is not in the plan's snapshot in `area`.
  Result<PaymentCase> Case(std::string_view plan_code, int installment,
                           std::string_view register_no,
                           const AreaFilter& area);
  // The payments of a payroll in `area` a soum officer must follow up
  // (FollowUpOf), by soum: never sent for want of a usable account
  // (`bank_of` fails), failed or returned, held, flagged, awaiting a
  // second officer, cancelled, or failed/returned and decided to be sent
  // again.
  Result<std::vector<FollowUpItem>> FollowUp(std::string_view plan_code,
                                             int installment,
                                             const AreaFilter& area,
                                             const Router& bank_of);
  // Flags (a confirmed kFlag action by "register") each payment of the
  // payroll whose beneficiary, or their household, is deactivated in the
  // register now and was never flagged; returns how many. Run by payroll
  // generation and by each issue; REQUIRES: inside their Write.
  Result<int64_t> FlagDeactivated(const PlanRecord& plan, int installment,
                                  std::string_view actor);

  // --- Reconciliation ------------------------------------------------------
  // Applies a bank's result file in one transaction. Every row is checked
  // first; on any problem nothing is written and InvalidArgument lists them
  // (file, line, what is wrong): a reference never issued, an amount that
  // differs from the one issued, a change that is not allowed
  // (ResultMayFollow). A row that repeats the stored result is unchanged,
  // so re-importing a file (even at the same moment elsewhere) changes
  // nothing.
  Result<ReconcileCounts> ApplyResults(std::string_view file_name,
                                       const std::vector<PaymentResult>& rows,
                                       std::string_view actor);
  // Totals of a payroll by soum and sex (then the total, last), for
  // beneficiaries registered in `area`. issued = paid + failed + returned +
  // pending in every cell.
  Result<std::vector<PaymentTotals>> PaymentReport(std::string_view plan_code,
                                                   int installment,
                                                   const AreaFilter& area);
  // The same totals disaggregated like the preview (PaymentBreakdown).
  Result<PaymentBreakdown> Breakdown(std::string_view plan_code,
                                     int installment, const AreaFilter& area);

 private:
  Result<PlanRecord> RequirePlan(std::string_view code);
  Result<PayrollRecord> RequirePayroll(std::string_view plan_code,
                                       int installment);
  Status Audit(std::string_view actor, std::string action, std::string type,
               std::string_view id, std::string after);
  // Plan approval's parts (approval.cpp).
  Result<PlanApproval> FreezeSnapshot(const PlanRecord& plan,
                                      const AreaFilter& area,
                                      const Selector& select,
                                      const OverlapDecision& overlap);
  // Ids of the approved plans of the same event and programme as `plan`.
  Result<std::vector<PlanPeriod>> SamePurposePlans(const PlanRecord& plan);
  // A case request's checks against the payment's state (cases.cpp).
  Status CheckRequest(const CaseRequest& r, const PlanRecord& plan,
                      const Entitlement& e);
  Result<int64_t> FlagOverlaps(const PlanRecord& plan);
  // Reconciliation's check of every row (reconcile.cpp).
  Result<std::vector<ResultChange>> CheckResults(
      std::string_view file_name, const std::vector<PaymentResult>& rows,
      ReconcileCounts* counts);

  store::Session& session_;
  Repository& rows_;
};

// JSON string literal of `s` (for audit entries).
std::string JsonString(std::string_view s);

}  // namespace malchin::response
