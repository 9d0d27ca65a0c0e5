// response::Repository: where shock-responsive cash transfers live
// (programmes, shock events, response plans, frozen snapshots, payrolls,
// payments and reconciliation). Each engine implements it
// (src/backends/<engine>/response_repository.cpp) on a store::Session.
//
// Guarantees:
// - Every method that writes runs in one transaction (BEGIN IMMEDIATE) with
//   its audit-trail entry: it happens whole or not at all, and two
//   processes running the same step at once serialize on the database.
// - Every step is idempotent: repeating it with the same input changes
//   nothing and returns what the first run did.
// - The database itself guarantees one payroll line per (plan, beneficiary,
//   installment), at most one live (pending or paid) payment per line, that
//   payment references never repeat, that the preparer of a plan or payroll
//   is not its approver, and that snapshots and lines are never changed or
//   deleted.
// - Reads take an AreaFilter and see only beneficiaries registered in it.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "registry/population.h"
#include "registry/repository.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::response {

using registry::Roster;
using store::AreaFilter;

struct ProgrammeRecord {
  int64_t id = 0;
  std::string code;         // e.g. "child_money".
  std::string name;         // "Child Money Programme".
  std::string eligibility;  // Rule text (src/rules language).
  std::string amount;       // Rule text, MNT per beneficiary per month.
  std::string unit;         // "person" | "household".
  bool operator==(const ProgrammeRecord&) const = default;
};

struct EventSoum {
  int32_t soum_code = 0;
  std::string severity;  // "low" | "medium" | "high" | "very_high".
  bool operator==(const EventSoum&) const = default;
};

struct ShockEventRecord {
  int64_t id = 0;
  std::string code;  // Chosen by the officer, unique, e.g. "zavkhan-2019".
  std::string type;  // dzud, drought, flood, snowstorm, epidemic, other.
  std::string name;
  std::string source;     // e.g. "NAMEM dzud risk map".
  std::string reference;  // e.g. "Emergency commission decision 12".
  Date declared_on;
  Date starts_on;
  std::optional<Date> ends_on;
  std::string created_by;
  std::vector<EventSoum> soums;  // By soum code.
};

struct InstallmentRecord {
  int number = 0;  // 1, 2, ...
  Date due_on;
  bool operator==(const InstallmentRecord&) const = default;
};

struct PlanRecord {
  int64_t id = 0;
  std::string code;  // Unique, e.g. "zavkhan-phase1".
  std::string event_code;
  std::optional<std::string> programme_code;  // Set for vertical plans.
  std::string kind;                           // "vertical" | "horizontal".
  std::string name;
  std::string eligibility;  // The plan's own rule text (for a vertical
                            // plan, added to the programme's caseload rule).
  std::string amount;       // Rule text: MNT per beneficiary per installment.
  std::string unit;         // "person" | "household".
  std::optional<int64_t> cap_per_household;
  std::string cap_order = "youngest_first";  // or "proportional".
  Date cutoff_on;  // Eligibility is judged on this date.
  Date starts_on;
  Date ends_on;  // The plan ends by itself after this date.
  std::vector<InstallmentRecord> installments;
  // Filled by the store.
  std::string status;  // "prepared" | "approved".
  std::string prepared_by, prepared_at;
  std::string approved_by, approved_at;
  int64_t beneficiaries = 0;  // In the snapshot (0 until approved).
  int64_t households = 0;
  int64_t amount_per_installment = 0;
  int64_t overlaps = 0;  // Beneficiaries also in an overlapping plan.
};

// One beneficiary chosen at approval. `person` and `payee` are person
// indexes in the Roster; the payee (whose name and account the payment
// uses) is the beneficiary or, for a child without an account, a caregiver.
struct SnapshotChoice {
  int32_t person = 0;
  int32_t payee = 0;
  int64_t amount = 0;  // MNT per installment, > 0.
};

struct PayrollRecord {
  int64_t id = 0;
  std::string plan_code;
  int installment = 0;
  Date due_on;
  std::string status;  // "generated" | "approved".
  std::string generated_by, generated_at;
  std::string approved_by, approved_at;
  int64_t lines = 0;
  int64_t amount = 0;
};

// What an export issued: per bank, the payments of one batch.
struct IssuedPayment {
  int64_t batch_id = 0;
  std::string bank_code;
  std::string reference;
  std::string payee_name;
  std::string payee_register_no;
  std::string beneficiary_register_no;
  std::string account;
  int64_t amount = 0;
};

struct IssueResult {
  int64_t batch_id = 0;  // 0 if nothing was issued.
  int64_t issued = 0;
  int64_t amount = 0;
  int64_t reissued = 0;  // Of `issued`, re-issues of failed/returned ones.
  // Lines that could not be routed to a bank (no or unknown account), with
  // the reason; they stay unissued.
  std::vector<std::pair<std::string, std::string>> unroutable;  // (rn, why)
};

// One row of a bank's result file, validated by the caller.
struct PaymentResult {
  size_t line = 0;  // In the file, for messages.
  std::string reference;
  std::string status;  // "paid" | "failed" | "returned".
  int64_t amount = 0;
  std::string reason;  // Required for failed/returned.
};

struct ReconcileCounts {
  int64_t rows = 0;
  int64_t changed = 0;
  int64_t unchanged = 0;
};

// Totals of payments for a payroll (or a plan) in one cell.
struct PaymentTotals {
  int32_t soum_code = 0;  // 0 for the total.
  std::string sex;        // "F" | "M" | "" for the total.
  int64_t lines = 0;      // Owed.
  int64_t lines_amount = 0;
  int64_t not_issued = 0;  // Lines with no live attempt (never sent, or
                           // failed/returned and not yet re-issued).
  int64_t issued = 0, issued_amount = 0;  // Attempts sent to a bank.
  int64_t paid = 0, paid_amount = 0;
  int64_t failed = 0, failed_amount = 0;
  int64_t returned = 0, returned_amount = 0;
  int64_t pending = 0, pending_amount = 0;
};

class Repository : public store::Repository {
 public:
  // --- Programmes ----------------------------------------------------------
  // Creates or returns the programme with this code. AlreadyExists if one
  // with the same code but other fields is there.
  virtual Result<ProgrammeRecord> EnsureProgramme(const ProgrammeRecord& p,
                                                  std::string_view actor) = 0;
  virtual Result<std::optional<ProgrammeRecord>> FindProgramme(
      std::string_view code) = 0;

  // --- Shock events --------------------------------------------------------
  // Creates the event (soums included). Idempotent: an identical event with
  // the same code is returned as it is; AlreadyExists if it differs.
  virtual Result<ShockEventRecord> CreateEvent(const ShockEventRecord& e,
                                               std::string_view actor) = 0;
  // Sets the severity of each soum given (adds or changes; other soums
  // stay). Returns how many were added or changed. NotFound if no event.
  virtual Result<int64_t> SetEventSoums(std::string_view event_code,
                                        const std::vector<EventSoum>& soums,
                                        std::string_view actor) = 0;
  // The event with its soums in `area` only.
  virtual Result<std::optional<ShockEventRecord>> FindEvent(
      std::string_view code, const AreaFilter& area) = 0;

  // --- Plans ---------------------------------------------------------------
  // Creates a prepared plan (prepared_by = actor). Idempotent like
  // CreateEvent. NotFound if its event or programme is missing.
  virtual Result<PlanRecord> CreatePlan(const PlanRecord& p,
                                        std::string_view actor) = 0;
  virtual Result<std::optional<PlanRecord>> FindPlan(std::string_view code) = 0;

  // Approves a prepared plan and freezes its snapshot, in one transaction:
  // loads the register (national; the Roster), calls `select` to choose
  // the beneficiaries, copies each one's identity, household, soum, sex,
  // birth date, disability, payee name and account into the snapshot, flags
  // those also in an overlapping plan (same event or programme, periods
  // overlapping) and marks the plan approved.
  // - PermissionDenied if `actor` prepared the plan, or if `area` is not
  //   national and a beneficiary is registered outside it.
  // - Already approved: returns the plan unchanged (idempotent), whoever
  //   asks. Errors from `select` are returned; nothing is written then.
  virtual Result<PlanRecord> ApprovePlan(
      std::string_view plan_code, std::string_view actor,
      const AreaFilter& area,
      const std::function<Result<std::vector<SnapshotChoice>>(const Roster&)>&
          select) = 0;

  // Snapshot rows of a plan in `area`, by register number: (register_no,
  // amount). For tests and `plan show --list`.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> Snapshot(
      std::string_view plan_code, const AreaFilter& area) = 0;
  // Register numbers flagged as also in an overlapping plan, with the
  // other plan's code.
  virtual Result<std::vector<std::pair<std::string, std::string>>> Overlaps(
      std::string_view plan_code) = 0;

  // --- Payrolls ------------------------------------------------------------
  // Generates the payroll of one installment from the frozen snapshot (one
  // line per beneficiary, in one statement and one transaction).
  // FailedPrecondition unless the plan is approved; NotFound for an unknown
  // installment. Already generated: returns it unchanged.
  virtual Result<PayrollRecord> GeneratePayroll(std::string_view plan_code,
                                                int installment,
                                                std::string_view actor) = 0;
  // PermissionDenied if `actor` generated it; approved already: unchanged.
  virtual Result<PayrollRecord> ApprovePayroll(std::string_view plan_code,
                                               int installment,
                                               std::string_view actor) = 0;
  virtual Result<std::optional<PayrollRecord>> FindPayroll(
      std::string_view plan_code, int installment) = 0;

  // Issues a payment attempt for every line of an approved payroll that has
  // none live (never issued, or the last attempt failed or was returned),
  // in one new batch; `bank_of` routes an account number to a bank code
  // (or an error saying why it cannot). Returns the batch; batch_id 0 if
  // there was nothing to issue. FailedPrecondition unless approved.
  virtual Result<IssueResult> IssuePayments(
      std::string_view plan_code, int installment, std::string_view actor,
      const std::function<Result<std::string>(std::string_view account)>&
          bank_of) = 0;
  // The payments of a batch, by bank code then reference. The last batch of
  // the payroll if batch_id is 0 (empty if there is none).
  virtual Status ForEachIssued(
      std::string_view plan_code, int installment, int64_t batch_id,
      const std::function<Status(const IssuedPayment&)>& fn) = 0;

  // --- Reconciliation ------------------------------------------------------
  // Applies a bank's result file in one transaction. Every row is checked
  // first; on any problem nothing is written and InvalidArgument lists them
  // (file, line, what is wrong): a reference never issued, an amount that
  // differs from the one issued, a change that is not allowed (paid may
  // become returned; a final result never changes otherwise). A row that
  // repeats the stored result is unchanged, so re-importing a file changes
  // nothing.
  virtual Result<ReconcileCounts> ApplyResults(
      std::string_view file_name, const std::vector<PaymentResult>& rows,
      std::string_view actor) = 0;
  // Totals of a payroll by soum and sex (then the total, last), for
  // beneficiaries registered in `area`. issued = paid + failed + returned +
  // pending in every cell.
  virtual Result<std::vector<PaymentTotals>> PaymentReport(
      std::string_view plan_code, int installment, const AreaFilter& area) = 0;
};

}  // namespace malchin::response
