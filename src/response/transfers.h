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
  // name and account into the snapshot, flags those also in an overlapping
  // plan (same event or programme, periods overlapping) and marks the plan
  // approved.
  // - NotFound if there is no such plan.
  // - PermissionDenied if `actor` prepared the plan, or if `area` (with
  //   the caller's) is not national and a beneficiary is outside it.
  // - Internal if `select` chose a person twice or out of range.
  // - Already approved: returns the plan unchanged, whoever asks.
  // Errors from `select` are returned; nothing is written then.
  Result<PlanRecord> ApprovePlan(std::string_view plan_code,
                                 std::string_view actor, const AreaFilter& area,
                                 const Selector& select,
                                 bool* created = nullptr);

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
  // Issues a payment attempt for every line of an approved payroll that has
  // none live (never issued, or the last attempt failed or was returned),
  // in one new batch. Returns the batch; batch_id 0 if there was nothing to
  // issue. FailedPrecondition unless the payroll is approved.
  Result<IssueResult> IssuePayments(std::string_view plan_code, int installment,
                                    std::string_view actor,
                                    const Router& bank_of);
  // The payments of a batch, by bank code then reference. The last batch of
  // the payroll if batch_id is 0 (nothing if there is none).
  Status ForEachIssued(std::string_view plan_code, int installment,
                       int64_t batch_id,
                       const std::function<Status(const IssuedPayment&)>& fn);

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

 private:
  Result<PlanRecord> RequirePlan(std::string_view code);
  Result<PayrollRecord> RequirePayroll(std::string_view plan_code,
                                       int installment);
  Status Audit(std::string_view actor, std::string action, std::string type,
               std::string_view id, std::string after);
  // Plan approval's parts (approval.cpp).
  Result<PlanApproval> FreezeSnapshot(const PlanRecord& plan,
                                      const AreaFilter& area,
                                      const Selector& select);
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
