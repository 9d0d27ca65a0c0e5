// response::Repository: where shock-responsive cash transfers are stored
// (programmes, shock events, plans, frozen snapshots, payrolls, payments and
// reconciliation imports). DATA ACCESS ONLY: each method reads or writes
// rows and decides nothing; the rules (maker-checker, which state may
// follow which, idempotency, overlaps) and the transactions are the
// capability's own (response/transfers.h). Each engine implements it
// (src/backends/<engine>/response_repository.cpp) on a store::Session.
//
// Every write method REQUIRES an open Session::Write of its session (they
// are steps of the caller's transaction) and leaves the transaction to the
// caller: on an error the caller's Write rolls back.
//
// The database itself guarantees (a constraint in every engine's schema):
// one payroll per (plan, installment); one payroll line per (plan,
// beneficiary, installment); at most one live (pending or paid) payment per
// line; payment references never repeat; the preparer of a plan or payroll
// is not its approver; snapshots and lines are never changed or deleted. A
// write that would break one fails with AlreadyExists.
//
// Reads with an `area` see only beneficiaries (events: affected soums)
// registered in the session's caller area intersected with it.
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

#include "core/date.h"
#include "core/status.h"
#include "registry/repository.h"
#include "response/model.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::response {

using registry::Roster;
using store::AreaFilter;

// An approved plan's period, for overlap checks.
struct PlanPeriod {
  int64_t id = 0;
  std::string code;
  Date starts_on;
  Date ends_on;
  std::string event_code;
  std::optional<std::string> programme_code;
};

// What approval writes on a plan's row.
struct PlanApproval {
  std::string approved_by, approved_at;
  int64_t beneficiaries = 0;
  int64_t households = 0;
  int64_t amount_per_installment = 0;
  int64_t overlaps = 0;
  std::optional<OverlapChoice> overlap_choice;
  int64_t overlap_count = 0;
  std::string overlap_reason;
};

// A payroll line with no live payment, with what routing and its case
// need.
struct UnissuedLine {
  int64_t line_id = 0;
  int64_t entitlement_id = 0;
  int64_t amount = 0;
  std::string account;  // The snapshot's.
  std::string payee_register_no, payee_name;
  std::string register_no;
  int last_attempt = 0;  // 0 if never issued.
  std::optional<PaymentStatus> last_status;
  int64_t last_action_id = 0;  // Recorded on the last attempt.
};

// One payment attempt to write.
struct NewPayment {
  int64_t line_id = 0;
  int attempt = 1;
  std::string reference;
  std::string bank_code;
  int64_t amount = 0;
  std::string payee_register_no, payee_name, account;
  int64_t action_id = 0;  // 0: none (NULL).
};

// Beneficiaries and money of a snapshot in an area.
struct SnapshotTotals {
  int64_t beneficiaries = 0;
  int64_t households = 0;
  int64_t amount = 0;  // Per installment.
};

// A payroll line of a plan's beneficiary.
struct LineRef {
  int64_t id = 0;
  int64_t amount = 0;
};

// A payroll line whose beneficiary (or their household) is deactivated in
// the register now.
struct DeactivatedLine {
  int64_t line_id = 0;
  int64_t entitlement_id = 0;
  std::string register_no;
  std::string what;  // "person" | "household".
  std::string deactivated_on, reason;
};

// A payroll line with no live payment in an area, for the follow-up list:
// the snapshot's payee, the beneficiary's name and the contact from the
// register as it is now.
struct FollowUpRow {
  int64_t line_id = 0;
  int64_t entitlement_id = 0;
  int32_t soum_code = 0;
  std::string household_id;
  std::string register_no, name;
  std::string payee_register_no, payee_name, account;
  std::string payee_phone, household_phone;
  int64_t amount = 0;
  int attempts = 0;
  std::optional<PaymentStatus> last_status;
  std::string last_reason;
  int64_t last_action_id = 0;
};

// The plan, installment and beneficiary of one payment attempt.
struct PaymentAddress {
  std::string plan_code;
  int installment = 0;
  std::string register_no;
};

// The newest payment attempt for a beneficiary, as a herder asks by SMS.
struct LatestPayment {
  std::string plan_name;
  int installment = 0;
  int64_t amount = 0;  // MNT
  PaymentStatus status = PaymentStatus::kPending;
  int64_t id = 0;  // The attempt's; a later attempt has a higher one.
  // (PaymentsOf only.) The bank's reason for a failure or return; the
  // bank's code; when a bank result file reported it (ISO 8601 UTC, empty
  // while pending).
  std::string reason;
  std::string bank_code;
  std::string reported_at;
};

// A person's place in a plan's frozen snapshot (the herder's page).
struct PersonEntitlement {
  std::string plan_code;
  std::string plan_name;
  std::string event_code;
  bool approved = false;
  int64_t amount = 0;  // MNT per installment.
  int installments = 0;
  Date starts_on, ends_on;
};

// An event declared for a soum, with the soum's severity.
struct SoumEvent {
  std::string code, name;
  std::string type;  // dzud, drought, ...
  Date declared_on;
  Severity severity = Severity::kLow;
};

// A payment as stored, for reconciliation.
struct StoredPayment {
  int64_t id = 0;
  std::string reference;
  int64_t amount = 0;
  PaymentStatus status = PaymentStatus::kPending;
  std::string reason;  // Empty when none.
};

// A validated result to record on a payment still in status `from`.
struct ResultChange {
  int64_t payment_id = 0;
  PaymentStatus from = PaymentStatus::kPending;
  PaymentStatus to = PaymentStatus::kPaid;
  std::string reason;  // Empty: none (NULL).
};

// Payments of one status in one cell (soum, sex, age band, disability, sex
// of the payee and of the head; "" for a snapshot that predates them).
struct StatusCount {
  int32_t soum_code = 0;
  std::string sex;
  std::string age_band;
  int disability = 0;
  std::string payee_sex, head_sex;
  PaymentStatus status = PaymentStatus::kPending;
  int64_t count = 0;
  int64_t amount = 0;
};

// An installment of a plan, for reports by period (indicators).
struct DueInstallment {
  int64_t plan_id = 0;
  std::string plan_code;
  int installment = 0;
  Date due_on;
};

// A household with a payment the bank reported paid in a payroll, as the
// plan's snapshot and the register describe it (indicators).
struct PaidHousehold {
  std::string household_id;
  int32_t soum_code = 0;                // The entitlement's (snapshot).
  std::string head_sex;                 // The snapshot's, "" when it has none.
  bool herder = false;                  // The register's household now.
  std::optional<Date> head_birth_date;  // The register's active head.
};

// When an event's payments first reached an aimag: the earliest import of
// a bank result that reported one of them paid (indicators).
struct FirstPaid {
  std::string event_code;
  Date declared_on;
  int32_t aimag_code = 0;     // The entitlement's soum / 100.
  std::string first_paid_at;  // ISO 8601 UTC, the reconciliation's import.
};

// What one bank result file told a household: its payments of one plan
// that the import `import_id` changed to one status, summed (the
// household's notice, channel's payment.sent / payment.failed).
struct HouseholdResult {
  std::string household_id;
  std::string payee_register_no;  // The smallest, when payees differ.
  int64_t plan_id = 0;
  std::string plan_name;
  std::string bank_code;  // The smallest, when banks differ.
  PaymentStatus status = PaymentStatus::kPaid;
  int64_t payments = 0;
  int64_t amount = 0;
};

class Repository : public store::Repository {
 public:
  // --- Programmes ----------------------------------------------------------
  virtual Result<std::optional<ProgrammeRecord>> FindProgramme(
      std::string_view code) = 0;
  // Inserts it; returns its id.
  virtual Result<int64_t> InsertProgramme(const ProgrammeRecord& p,
                                          std::string_view created_at) = 0;

  // --- Shock events --------------------------------------------------------
  // The event with its soums in `area` only (by soum code).
  virtual Result<std::optional<ShockEventRecord>> FindEvent(
      std::string_view code, const AreaFilter& area) = 0;
  // Inserts the event row (e.created_by as given), not its soums; its id.
  virtual Result<int64_t> InsertEvent(const ShockEventRecord& e,
                                      std::string_view created_at) = 0;
  // Adds each soum or changes its severity; how many rows changed.
  virtual Result<int64_t> UpsertEventSoums(
      int64_t event_id, const std::vector<EventSoum>& soums) = 0;

  // --- Plans ---------------------------------------------------------------
  virtual Result<std::optional<PlanRecord>> FindPlan(std::string_view code) = 0;
  // The id of the event / programme with this code, if any.
  virtual Result<std::optional<int64_t>> EventId(std::string_view code) = 0;
  virtual Result<std::optional<int64_t>> ProgrammeId(std::string_view code) = 0;
  // Inserts a prepared plan (p.prepared_by, p.prepared_at as given) and its
  // installments; returns its id.
  virtual Result<int64_t> InsertPlan(const PlanRecord& p, int64_t event_id,
                                     std::optional<int64_t> programme_id) = 0;
  // Marks the plan approved with `a`, if it is still prepared; whether it
  // was.
  virtual Result<bool> MarkPlanApproved(int64_t plan_id,
                                        const PlanApproval& a) = 0;
  // Approved plans other than `plan` of its event or of its programme.
  virtual Result<std::vector<PlanPeriod>> ApprovedPlansSharing(
      const PlanRecord& plan) = 0;
  // Store ids (registry person rows) of the persons, by register number, in
  // the snapshot of any of `plan_ids`.
  virtual Result<std::vector<int64_t>> PersonIdsIn(
      const std::vector<int64_t>& plan_ids) = 0;

  // --- Snapshot ------------------------------------------------------------
  // Writes one snapshot row per choice of `plan_id`: identity, household,
  // soum, sex, birth date and disability from the roster's person, payee
  // register number, name and account from the payee's row (by the
  // roster's person ids), the choice's age band (its name; none: NULL) and
  // the sexes of the payee and of the head (none: NULL). Returns how many
  // rows were written (fewer if a chosen person's row is gone). REQUIRES:
  // each person chosen once, every index within the roster.
  virtual Result<int64_t> InsertSnapshot(
      int64_t plan_id, const Roster& roster,
      const std::vector<SnapshotChoice>& chosen) = 0;
  // (register_no, amount) of the snapshot rows in `area`, by register_no.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> Snapshot(
      int64_t plan_id, const AreaFilter& area) = 0;
  // The snapshot row of `register_no` in the plan, if it is in `area`.
  virtual Result<std::optional<Entitlement>> FindEntitlement(
      int64_t plan_id, std::string_view register_no,
      const AreaFilter& area) = 0;
  // Totals of the snapshot rows in `area`.
  virtual Result<SnapshotTotals> Totals(int64_t plan_id,
                                        const AreaFilter& area) = 0;
  // Records the persons in the snapshots of both plans as overlaps of
  // `plan_id` with `other_plan_id`.
  virtual Status InsertOverlaps(int64_t plan_id, int64_t other_plan_id) = 0;
  // Distinct persons of `plan_id` recorded as overlaps.
  virtual Result<int64_t> CountOverlapPersons(int64_t plan_id) = 0;
  // (register_no, other plan's code), by register_no then code.
  virtual Result<std::vector<std::pair<std::string, std::string>>> Overlaps(
      int64_t plan_id) = 0;

  // --- Payrolls ------------------------------------------------------------
  virtual Result<std::optional<PayrollRecord>> FindPayroll(
      std::string_view plan_code, int installment) = 0;
  // Inserts a generated payroll row (0 lines); its id.
  virtual Result<int64_t> InsertPayroll(int64_t plan_id, int installment,
                                        std::string_view generated_by,
                                        std::string_view generated_at) = 0;
  // One line per snapshot row of the plan, in one statement, and the
  // payroll row's totals set from them. Returns (lines, amount).
  virtual Result<std::pair<int64_t, int64_t>> InsertPayrollLines(
      int64_t payroll_id, int64_t plan_id, int installment) = 0;
  virtual Status MarkPayrollApproved(int64_t payroll_id,
                                     std::string_view approved_by,
                                     std::string_view approved_at) = 0;

  // --- Payments ------------------------------------------------------------
  // The lines of the payroll with no live payment, by line id, with their
  // last attempt.
  virtual Status ForEachUnissuedLine(
      int64_t plan_id, int installment,
      const std::function<Status(const UnissuedLine&)>& fn) = 0;
  // A new batch of the payroll with this number; its id.
  virtual Result<int64_t> InsertBatch(int64_t payroll_id, int number,
                                      std::string_view created_by,
                                      std::string_view created_at) = 0;
  virtual Status InsertPayments(int64_t batch_id,
                                const std::vector<NewPayment>& payments) = 0;
  // The number of the payroll's newest batch, if any.
  virtual Result<std::optional<int>> LastBatch(int64_t payroll_id) = 0;
  // The payments of batch `number` of the payroll, by bank code then id
  // (payee and account as sent).
  virtual Status ForEachIssued(
      int64_t payroll_id, int number,
      const std::function<Status(const IssuedPayment&)>& fn) = 0;

  // --- Payments as cases ---------------------------------------------------
  // The plan's actions on `installment` (nullopt: every installment) and
  // its payee changes, of one beneficiary if `entitlement_id` is given, in
  // id order.
  virtual Result<std::vector<PaymentAction>> Actions(
      int64_t plan_id, std::optional<int> installment,
      std::optional<int64_t> entitlement_id) = 0;
  // The action and its plan's id.
  virtual Result<std::optional<std::pair<int64_t, PaymentAction>>> FindAction(
      int64_t action_id) = 0;
  // Where the payment attempt with this reference belongs; nullopt if no
  // attempt has it.
  virtual Result<std::optional<PaymentAddress>> FindPaymentByReference(
      std::string_view reference) = 0;
  // The newest attempt (highest id) of any plan's payments to the
  // beneficiary `register_no`; nullopt if none. Not area-scoped: the caller
  // decides who may learn it. Index-driven: plans, then each plan's
  // entitlement and installments.
  virtual Result<std::optional<LatestPayment>> LatestPaymentOf(
      std::string_view register_no) = 0;
  // The same, every attempt, newest first, at most `limit`, with the
  // reason, bank and report time.
  virtual Result<std::vector<LatestPayment>> PaymentsOf(
      std::string_view register_no, int limit) = 0;
  // The plans whose snapshot holds `register_no`, newest plan first. Not
  // area-scoped (as above).
  virtual Result<std::vector<PersonEntitlement>> EntitlementsOf(
      std::string_view register_no) = 0;
  // The events declared for `soum_code`, newest declaration first, at most
  // `limit`. Not area-scoped.
  virtual Result<std::vector<SoumEvent>> EventsOfSoum(int32_t soum_code,
                                                      int limit) = 0;
  // Inserts `a` (status and decision as given); its id. AlreadyExists if
  // the payment (or, for a payee change, the beneficiary) already has a
  // request awaiting a decision.
  virtual Result<int64_t> InsertAction(int64_t plan_id,
                                       const PaymentAction& a) = 0;
  // Records the decision on a requested action if it is still requested;
  // whether it was.
  virtual Result<bool> DecideAction(int64_t action_id, ActionStatus decision,
                                    std::string_view decided_by,
                                    std::string_view decided_at,
                                    std::string_view note) = 0;
  // The payroll line of a beneficiary's installment, if generated.
  virtual Result<std::optional<LineRef>> FindLine(int64_t plan_id,
                                                  int installment,
                                                  int64_t entitlement_id) = 0;
  // The attempts of a line, by attempt.
  virtual Result<std::vector<PaymentAttempt>> Attempts(int64_t line_id) = 0;
  // Lines of the payroll whose beneficiary or household is deactivated in
  // the register now, by line id.
  virtual Result<std::vector<DeactivatedLine>> DeactivatedLines(
      int64_t plan_id, int installment) = 0;
  // The payroll's lines with no live payment in `area`, by soum then line.
  virtual Status ForEachFollowUpRow(
      int64_t plan_id, int installment, const AreaFilter& area,
      const std::function<Status(const FollowUpRow&)>& fn) = 0;

  // --- Reconciliation ------------------------------------------------------
  // The stored payments with these references (any order; those found).
  // REQUIRES: `references` sorted ascending, without repeats.
  virtual Result<std::vector<StoredPayment>> PaymentsByReference(
      const std::vector<std::string>& references) = 0;
  // Records an imported result file; its id.
  virtual Result<int64_t> InsertReconciliation(
      std::string_view file_name, int64_t rows, int64_t changed,
      std::string_view imported_by, std::string_view imported_at) = 0;
  // Records each change on its payment if the payment is still in status
  // `from`; how many payments changed.
  virtual Result<int64_t> ApplyResults(
      int64_t import_id, const std::vector<ResultChange>& changes) = 0;
  // The payments import `import_id` set to their current status, by
  // household, plan and status (ordered so), for the households' notices.
  virtual Result<std::vector<HouseholdResult>> ResultsByHousehold(
      int64_t import_id) = 0;

  // --- Totals --------------------------------------------------------------
  // Per cell (soum, sex, age band, disability, payee's and head's sex; ""
  // where the snapshot has none) in `area`: lines, lines_amount and
  // not_issued of the payroll (other fields 0).
  virtual Result<std::vector<PaymentTotals>> LineTotals(
      int64_t plan_id, int installment, const AreaFilter& area) = 0;
  // Per cell and status in `area`: the payroll's payment attempts.
  virtual Result<std::vector<StatusCount>> PaymentCounts(
      int64_t plan_id, int installment, const AreaFilter& area) = 0;
  // Every installment of every plan due in [from, to], by plan code then
  // number.
  virtual Result<std::vector<DueInstallment>> InstallmentsDue(Date from,
                                                              Date to) = 0;
  // The households in `area` (the entitlement's soum) with at least one
  // payment of the payroll the bank reported paid, by household id.
  virtual Result<std::vector<PaidHousehold>> PaidHouseholds(
      int64_t plan_id, int installment, const AreaFilter& area) = 0;
  // Per event and aimag of `area` (entitlements' soums), the first import
  // that reported one of its payments paid (still paid now), by event code
  // then aimag.
  virtual Result<std::vector<FirstPaid>> FirstPaidByAimag(
      const AreaFilter& area) = 0;
};

}  // namespace malchin::response
