// PostgreSQL implementation of response::Repository (schema:
// migrations/0003_response.sql): rows only, every rule is the capability's
// (response/transfers.h). Programmes, events, plans, snapshots and overlaps
// in response_repository.cpp; payrolls, payments, reconciliation and
// totals in response_payments.cpp. Statements are prepared once per
// connection by name (PgSession::Prepared); area scoping through
// PgSession::Area; the snapshot is written by COPY into a temporary table
// and one INSERT ... SELECT, payroll lines by one INSERT ... SELECT.
#pragma once

#include "backends/postgres/session.h"
#include "response/repository.h"

namespace malchin::backends::postgres {

using response::AreaFilter;

class PgResponseRows final : public response::Repository {
 public:
  explicit PgResponseRows(PgSession& session) : s_(session) {}

  Result<std::optional<response::ProgrammeRecord>> FindProgramme(
      std::string_view code) override;
  Result<int64_t> InsertProgramme(const response::ProgrammeRecord& p,
                                  std::string_view created_at) override;
  Result<std::optional<response::ShockEventRecord>> FindEvent(
      std::string_view code, const AreaFilter& area) override;
  Result<int64_t> InsertEvent(const response::ShockEventRecord& e,
                              std::string_view created_at) override;
  Result<int64_t> UpsertEventSoums(
      int64_t event_id, const std::vector<response::EventSoum>& soums) override;
  Result<std::optional<response::PlanRecord>> FindPlan(
      std::string_view code) override;
  Result<std::optional<int64_t>> EventId(std::string_view code) override;
  Result<std::optional<int64_t>> ProgrammeId(std::string_view code) override;
  Result<int64_t> InsertPlan(const response::PlanRecord& p, int64_t event_id,
                             std::optional<int64_t> programme_id) override;
  Result<bool> MarkPlanApproved(int64_t plan_id,
                                const response::PlanApproval& a) override;
  Result<std::vector<response::PlanPeriod>> ApprovedPlansSharing(
      const response::PlanRecord& plan) override;
  Result<std::vector<int64_t>> PersonIdsIn(
      const std::vector<int64_t>& plan_ids) override;
  Result<std::optional<response::Entitlement>> FindEntitlement(
      int64_t plan_id, std::string_view register_no,
      const AreaFilter& area) override;
  Result<response::SnapshotTotals> Totals(int64_t plan_id,
                                          const AreaFilter& area) override;
  Result<int64_t> InsertSnapshot(
      int64_t plan_id, const response::Roster& roster,
      const std::vector<response::SnapshotChoice>& chosen) override;
  Result<std::vector<std::pair<std::string, int64_t>>> Snapshot(
      int64_t plan_id, const AreaFilter& area) override;
  Status InsertOverlaps(int64_t plan_id, int64_t other_plan_id) override;
  Result<int64_t> CountOverlapPersons(int64_t plan_id) override;
  Result<std::vector<std::pair<std::string, std::string>>> Overlaps(
      int64_t plan_id) override;

  // response_payments.cpp
  Result<std::optional<response::PayrollRecord>> FindPayroll(
      std::string_view plan_code, int installment) override;
  Result<int64_t> InsertPayroll(int64_t plan_id, int installment,
                                std::string_view generated_by,
                                std::string_view generated_at) override;
  Result<std::pair<int64_t, int64_t>> InsertPayrollLines(
      int64_t payroll_id, int64_t plan_id, int installment) override;
  Status MarkPayrollApproved(int64_t payroll_id, std::string_view approved_by,
                             std::string_view approved_at) override;
  Status ForEachUnissuedLine(
      int64_t plan_id, int installment,
      const std::function<Status(const response::UnissuedLine&)>& fn) override;
  Result<int64_t> InsertBatch(int64_t payroll_id, int number,
                              std::string_view created_by,
                              std::string_view created_at) override;
  Status InsertPayments(
      int64_t batch_id,
      const std::vector<response::NewPayment>& payments) override;
  Result<std::optional<int>> LastBatch(int64_t payroll_id) override;
  Status ForEachIssued(
      int64_t payroll_id, int number,
      const std::function<Status(const response::IssuedPayment&)>& fn) override;

  // response_cases.cpp
  Result<std::vector<response::PaymentAction>> Actions(
      int64_t plan_id, std::optional<int> installment,
      std::optional<int64_t> entitlement_id) override;
  Result<std::optional<response::PaymentAddress>> FindPaymentByReference(
      std::string_view reference) override;
  Result<std::vector<response::LatestPayment>> PaymentsOf(
      std::string_view register_no, int limit) override;
  Result<std::vector<response::PersonEntitlement>> EntitlementsOf(
      std::string_view register_no) override;
  Result<std::vector<response::SoumEvent>> EventsOfSoum(int32_t soum_code,
                                                        int limit) override;
  Result<std::optional<response::LatestPayment>> LatestPaymentOf(
      std::string_view register_no) override;
  Result<std::optional<std::pair<int64_t, response::PaymentAction>>> FindAction(
      int64_t action_id) override;
  Result<int64_t> InsertAction(int64_t plan_id,
                               const response::PaymentAction& a) override;
  Result<bool> DecideAction(int64_t action_id, response::ActionStatus decision,
                            std::string_view decided_by,
                            std::string_view decided_at,
                            std::string_view note) override;
  Result<std::optional<response::LineRef>> FindLine(
      int64_t plan_id, int installment, int64_t entitlement_id) override;
  Result<std::vector<response::PaymentAttempt>> Attempts(
      int64_t line_id) override;
  Result<std::vector<response::DeactivatedLine>> DeactivatedLines(
      int64_t plan_id, int installment) override;
  Status ForEachFollowUpRow(
      int64_t plan_id, int installment, const AreaFilter& area,
      const std::function<Status(const response::FollowUpRow&)>& fn) override;
  Result<std::vector<response::StoredPayment>> PaymentsByReference(
      const std::vector<std::string>& references) override;
  Result<int64_t> InsertReconciliation(std::string_view file_name, int64_t rows,
                                       int64_t changed,
                                       std::string_view imported_by,
                                       std::string_view imported_at) override;
  Result<int64_t> ApplyResults(
      int64_t import_id,
      const std::vector<response::ResultChange>& changes) override;
  Result<std::vector<response::PaymentTotals>> LineTotals(
      int64_t plan_id, int installment, const AreaFilter& area) override;
  Result<std::vector<response::StatusCount>> PaymentCounts(
      int64_t plan_id, int installment, const AreaFilter& area) override;
  Result<std::vector<response::DueInstallment>> InstallmentsDue(
      Date from, Date to) override;
  Result<std::vector<response::PaidHousehold>> PaidHouseholds(
      int64_t plan_id, int installment, const AreaFilter& area) override;
  Result<std::vector<response::HouseholdResult>> ResultsByHousehold(
      int64_t import_id) override;
  Result<std::vector<response::FirstPaid>> FirstPaidByAimag(
      const AreaFilter& area) override;

 private:
  template <class... Args>
  Result<pqxx::result> Sql(const std::string& name, std::string_view sql,
                           const Args&... args) {
    return s_.Prepared("response." + name, sql, args...);
  }
  Status CopyChoices(const response::Roster& roster,
                     const std::vector<response::SnapshotChoice>& chosen);

  PgSession& s_;
};

// The columns of a snapshot row, in EntitlementOf's order (after SELECT).
inline constexpr std::string_view kEntitlementColumns =
    "SELECT id, register_no, household_id, soum_code, sex, birth_date, "
    "disability, amount, payee_register_no, payee_name, account, "
    "coalesce(age_band, ''), coalesce(payee_sex, ''), coalesce(head_sex, "
    "'') ";
// The snapshot row read from column `first` on.
response::Entitlement EntitlementOf(const pqxx::row& r, int first);

// A PostgreSQL array literal of texts ({"a","b"}), for `= ANY($n::text[])`.
std::string PgTextArray(const std::vector<std::string>& items, size_t from,
                        size_t to);

}  // namespace malchin::backends::postgres
