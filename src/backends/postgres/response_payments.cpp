// PostgreSQL rows of response::Repository: payrolls, payments,
// reconciliation and totals (response_rows.h).
#include "backends/postgres/copy.h"
#include "backends/postgres/response_rows.h"

namespace malchin::backends::postgres {
namespace {

using response::IssuedPayment;
using response::PaymentTotals;
using response::PayrollRecord;
using response::StatusCount;
using response::StoredPayment;

// References and results go to the server in chunks of this many.
constexpr size_t kChunk = 10000;

using response::FromStored;

std::string IntArray(const std::vector<int64_t>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  return out + "}";
}

std::string AllTexts(const std::vector<std::string>& items) {
  return PgTextArray(items, 0, items.size());
}

}  // namespace

Result<std::optional<PayrollRecord>> PgResponseRows::FindPayroll(
    std::string_view plan_code, int installment) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("payroll",
          "SELECT r.id, p.code, r.installment, i.due_on, r.status, "
          "r.generated_by, r.generated_at, coalesce(r.approved_by, ''), "
          "coalesce(r.approved_at, ''), r.lines, r.amount FROM "
          "response_payrolls r JOIN response_plans p ON p.id = r.plan_id "
          "JOIN response_installments i ON i.plan_id = r.plan_id AND i.number "
          "= r.installment WHERE p.code = $1 AND r.installment = $2",
          plan_code, installment));
  if (r.empty()) return std::optional<PayrollRecord>();
  const pqxx::row row = r[0];
  PayrollRecord p;
  p.id = PgInt(row[0]);
  p.plan_code = PgText(row[1]);
  p.installment = static_cast<int>(PgInt(row[2]));
  p.due_on = PgDate(row[3]);
  MALCHIN_ASSIGN_OR_RETURN(
      p.status, FromStored(response::ParsePayrollStatus(PgText(row[4]))));
  p.generated_by = PgText(row[5]);
  p.generated_at = PgText(row[6]);
  p.approved_by = PgText(row[7]);
  p.approved_at = PgText(row[8]);
  p.lines = PgInt(row[9]);
  p.amount = PgInt(row[10]);
  return std::optional<PayrollRecord>(std::move(p));
}

Result<int64_t> PgResponseRows::InsertPayroll(int64_t plan_id, int installment,
                                              std::string_view generated_by,
                                              std::string_view generated_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("payroll_ins",
          "INSERT INTO response_payrolls (plan_id, installment, status, "
          "generated_by, generated_at, lines, amount) VALUES ($1, $2, "
          "'generated', $3, $4, 0, 0) RETURNING id",
          plan_id, installment, generated_by, generated_at));
  return PgInt(r[0][0]);
}

Result<std::pair<int64_t, int64_t>> PgResponseRows::InsertPayrollLines(
    int64_t payroll_id, int64_t plan_id, int installment) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("lines_ins",
          "WITH lines AS (INSERT INTO response_payroll_lines (payroll_id, "
          "plan_id, entitlement_id, aimag_code, installment, amount) SELECT "
          "$1, plan_id, id, aimag_code, $3, amount FROM "
          "response_entitlements WHERE plan_id = $2 ORDER BY id RETURNING "
          "amount) UPDATE response_payrolls SET (lines, amount) = (SELECT "
          "count(*), coalesce(sum(amount), 0) FROM lines) WHERE id = $1 "
          "RETURNING lines, amount",
          payroll_id, plan_id, installment));
  if (r.empty()) return Status::Internal("payroll vanished");
  return std::pair<int64_t, int64_t>(PgInt(r[0][0]), PgInt(r[0][1]));
}

Status PgResponseRows::MarkPayrollApproved(int64_t payroll_id,
                                           std::string_view approved_by,
                                           std::string_view approved_at) {
  return Sql("payroll_approve",
             "UPDATE response_payrolls SET status = 'approved', approved_by = "
             "$2, approved_at = $3 WHERE id = $1",
             payroll_id, approved_by, approved_at)
      .status();
}

Status PgResponseRows::ForEachUnissuedLine(
    int64_t plan_id, int installment,
    const std::function<Status(const response::UnissuedLine&)>& fn) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("unissued",
          "SELECT l.id, l.entitlement_id, l.amount, e.account, "
          "e.payee_register_no, e.payee_name, e.register_no, "
          "coalesce(y.attempt, 0), y.status, coalesce(y.action_id, 0) FROM "
          "response_payroll_lines l JOIN response_entitlements e ON e.id = "
          "l.entitlement_id LEFT JOIN LATERAL (SELECT attempt, status, "
          "action_id FROM response_payments z WHERE z.line_id = l.id ORDER "
          "BY attempt DESC LIMIT 1) y ON true WHERE l.plan_id = $1 AND "
          "l.installment = $2 AND NOT EXISTS (SELECT 1 FROM "
          "response_payments w WHERE w.line_id = l.id AND w.status IN "
          "('pending', 'paid')) ORDER BY l.id",
          plan_id, installment));
  response::UnissuedLine l;
  for (const pqxx::row& row : r) {
    l.line_id = PgInt(row[0]);
    l.entitlement_id = PgInt(row[1]);
    l.amount = PgInt(row[2]);
    l.account = PgText(row[3]);
    l.payee_register_no = PgText(row[4]);
    l.payee_name = PgText(row[5]);
    l.register_no = PgText(row[6]);
    l.last_attempt = static_cast<int>(PgInt(row[7]));
    l.last_status.reset();
    if (auto st = PgOptText(row[8])) {
      MALCHIN_ASSIGN_OR_RETURN(l.last_status,
                               FromStored(response::ParsePaymentStatus(*st)));
    }
    l.last_action_id = PgInt(row[9]);
    MALCHIN_RETURN_IF_ERROR(fn(l));
  }
  return Status::Ok();
}

Result<int64_t> PgResponseRows::InsertBatch(int64_t payroll_id, int number,
                                            std::string_view created_by,
                                            std::string_view created_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("batch_ins",
          "INSERT INTO response_payment_batches (payroll_id, number, "
          "created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
          payroll_id, number, created_by, created_at));
  return PgInt(r[0][0]);
}

Status PgResponseRows::InsertPayments(
    int64_t batch_id, const std::vector<response::NewPayment>& payments) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto copy,
      PgCopy::Start(s_, "response_payments",
                    {"line_id", "attempt", "reference", "batch_id", "bank_code",
                     "amount", "status", "payee_register_no", "payee_name",
                     "account", "action_id"}));
  for (const response::NewPayment& p : payments) {
    MALCHIN_RETURN_IF_ERROR(copy->Row(
        p.line_id, p.attempt, p.reference, batch_id, p.bank_code, p.amount,
        "pending", p.payee_register_no, p.payee_name, p.account,
        p.action_id ? std::optional<int64_t>(p.action_id)
                    : std::optional<int64_t>()));
  }
  return copy->Finish().status();
}

Result<std::optional<int>> PgResponseRows::LastBatch(int64_t payroll_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("last_batch",
          "SELECT max(number) FROM response_payment_batches WHERE payroll_id "
          "= $1",
          payroll_id));
  if (r.empty()) return std::optional<int>();
  auto n = PgOptInt(r[0][0]);
  if (!n) return std::optional<int>();
  return std::optional<int>(static_cast<int>(*n));
}

Status PgResponseRows::ForEachIssued(
    int64_t payroll_id, int number,
    const std::function<Status(const IssuedPayment&)>& fn) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("issued",
          "SELECT y.bank_code, y.reference, coalesce(y.payee_name, "
          "e.payee_name), coalesce(y.payee_register_no, e.payee_register_no), "
          "e.register_no, coalesce(y.account, e.account), y.amount FROM "
          "response_payment_batches b JOIN response_payments y ON y.batch_id "
          "= b.id JOIN response_payroll_lines l ON l.id = y.line_id JOIN "
          "response_entitlements e ON e.id = l.entitlement_id WHERE "
          "b.payroll_id = $1 AND b.number = $2 ORDER BY y.bank_code COLLATE "
          "\"C\", y.id",
          payroll_id, number));
  IssuedPayment p;
  p.batch = number;
  for (const pqxx::row& row : r) {
    p.bank_code = PgText(row[0]);
    p.reference = PgText(row[1]);
    p.payee_name = PgText(row[2]);
    p.payee_register_no = PgText(row[3]);
    p.beneficiary_register_no = PgText(row[4]);
    p.account = PgText(row[5]);
    p.amount = PgInt(row[6]);
    MALCHIN_RETURN_IF_ERROR(fn(p));
  }
  return Status::Ok();
}

Result<std::vector<StoredPayment>> PgResponseRows::PaymentsByReference(
    const std::vector<std::string>& references) {
  std::vector<StoredPayment> out;
  for (size_t from = 0; from < references.size(); from += kChunk) {
    const size_t to = std::min(references.size(), from + kChunk);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        Sql("payments_by_ref",
            "SELECT reference, id, amount, status, coalesce(reason, '') FROM "
            "response_payments WHERE reference = ANY($1::text[])",
            PgTextArray(references, from, to)));
    for (const pqxx::row& row : r) {
      StoredPayment p;
      p.reference = PgText(row[0]);
      p.id = PgInt(row[1]);
      p.amount = PgInt(row[2]);
      MALCHIN_ASSIGN_OR_RETURN(
          p.status, FromStored(response::ParsePaymentStatus(PgText(row[3]))));
      p.reason = PgText(row[4]);
      out.push_back(std::move(p));
    }
  }
  return out;
}

Result<int64_t> PgResponseRows::InsertReconciliation(
    std::string_view file_name, int64_t rows, int64_t changed,
    std::string_view imported_by, std::string_view imported_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("reconciliation_ins",
          "INSERT INTO response_reconciliations (file_name, rows, changed, "
          "imported_by, imported_at) VALUES ($1, $2, $3, $4, $5) RETURNING "
          "id",
          file_name, rows, changed, imported_by, imported_at));
  return PgInt(r[0][0]);
}

Result<int64_t> PgResponseRows::ApplyResults(
    int64_t import_id, const std::vector<response::ResultChange>& changes) {
  int64_t applied = 0;
  for (size_t from = 0; from < changes.size(); from += kChunk) {
    const size_t to = std::min(changes.size(), from + kChunk);
    std::vector<int64_t> ids;
    std::vector<std::string> was, now, reasons;
    for (size_t i = from; i < to; ++i) {
      ids.push_back(changes[i].payment_id);
      was.emplace_back(response::Name(changes[i].from));
      now.emplace_back(response::Name(changes[i].to));
      reasons.push_back(changes[i].reason);
    }
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        Sql("payment_results",
            "UPDATE response_payments y SET status = c.now, reason = "
            "NULLIF(c.reason, ''), result_import_id = $1 FROM "
            "unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS "
            "c(id, was, now, reason) WHERE y.id = c.id AND y.status = c.was",
            import_id, IntArray(ids), AllTexts(was), AllTexts(now),
            AllTexts(reasons)));
    applied += r.affected_rows();
  }
  return applied;
}

namespace {

// The report's cell of a snapshot row: soum, sex, age band, disability and
// the payee's and head's sex (columns 0-5 of both statements below).
constexpr std::string_view kCell =
    "e.soum_code, e.sex, coalesce(e.age_band, ''), e.disability, "
    "coalesce(e.payee_sex, ''), coalesce(e.head_sex, '')";

template <class T>
void CellOf(const pqxx::row& row, T& t) {
  t.soum_code = static_cast<int32_t>(PgInt(row[0]));
  t.sex = PgText(row[1]);
  t.age_band = PgText(row[2]);
  t.disability = PgBool(row[3]) ? 1 : 0;
  t.payee_sex = PgText(row[4]);
  t.head_sex = PgText(row[5]);
}

}  // namespace

Result<std::vector<PaymentTotals>> PgResponseRows::LineTotals(
    int64_t plan_id, int installment, const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "e.soum_code", 3);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("line_totals" + a.key,
          "SELECT " + std::string(kCell) +
              ", count(*), sum(l.amount), count(*) FILTER (WHERE NOT EXISTS "
              "(SELECT 1 FROM response_payments y WHERE y.line_id = l.id AND "
              "y.status IN ('pending', 'paid'))) FROM response_payroll_lines "
              "l JOIN response_entitlements e ON e.id = l.entitlement_id "
              "WHERE l.plan_id = $1 AND l.installment = $2 AND " +
              a.sql + " GROUP BY 1, 2, 3, 4, 5, 6",
          plan_id, installment, a.value));
  std::vector<PaymentTotals> out;
  for (const pqxx::row& row : r) {
    PaymentTotals t;
    CellOf(row, t);
    t.lines = PgInt(row[6]);
    t.lines_amount = PgInt(row[7]);
    t.not_issued = PgInt(row[8]);
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<StatusCount>> PgResponseRows::PaymentCounts(
    int64_t plan_id, int installment, const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "e.soum_code", 3);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("payment_counts" + a.key,
          "SELECT " + std::string(kCell) +
              ", y.status, count(*), sum(y.amount) FROM response_payments y "
              "JOIN response_payroll_lines l ON l.id = y.line_id JOIN "
              "response_entitlements e ON e.id = l.entitlement_id WHERE "
              "l.plan_id = $1 AND l.installment = $2 AND " +
              a.sql + " GROUP BY 1, 2, 3, 4, 5, 6, 7",
          plan_id, installment, a.value));
  std::vector<StatusCount> out;
  for (const pqxx::row& row : r) {
    StatusCount c;
    CellOf(row, c);
    MALCHIN_ASSIGN_OR_RETURN(
        c.status, FromStored(response::ParsePaymentStatus(PgText(row[6]))));
    c.count = PgInt(row[7]);
    c.amount = PgInt(row[8]);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<response::DueInstallment>> PgResponseRows::InstallmentsDue(
    Date from, Date to) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("installments_due",
          "SELECT p.id, p.code, i.number, i.due_on FROM response_installments "
          "i JOIN response_plans p ON p.id = i.plan_id WHERE i.due_on BETWEEN "
          "$1::date AND $2::date ORDER BY p.code, i.number",
          from.ToString(), to.ToString()));
  std::vector<response::DueInstallment> out;
  for (const pqxx::row& r : rows) {
    out.push_back({PgInt(r[0]), PgText(r[1]), static_cast<int>(PgInt(r[2])),
                   PgDate(r[3])});
  }
  return out;
}

Result<std::vector<response::PaidHousehold>> PgResponseRows::PaidHouseholds(
    int64_t plan_id, int installment, const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "e.soum_code", 3);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("paid_households" + a.key,
          "SELECT e.household_id, min(e.soum_code), max(coalesce(e.head_sex, "
          "'')), coalesce(h.herder, false), (SELECT p.birth_date FROM "
          "persons p WHERE p.hh = h.hh AND "
          "p.relation = 'head' AND p.deactivated_on IS NULL ORDER BY p.pid "
          "LIMIT 1) FROM response_payments y JOIN response_payroll_lines l ON "
          "l.id = y.line_id JOIN response_entitlements e ON e.id = "
          "l.entitlement_id LEFT JOIN households h ON h.id = e.household_id "
          "WHERE l.plan_id = $1 AND l.installment = $2 AND y.status = 'paid' "
          "AND " +
              a.sql +
              " GROUP BY e.household_id, h.hh, h.herder ORDER BY "
              "e.household_id",
          plan_id, installment, a.value));
  std::vector<response::PaidHousehold> out;
  for (const pqxx::row& r : rows) {
    response::PaidHousehold h;
    h.household_id = PgText(r[0]);
    h.soum_code = static_cast<int32_t>(PgInt(r[1]));
    h.head_sex = PgText(r[2]);
    h.herder = r[3].as<bool>();
    h.head_birth_date = PgOptDate(r[4]);
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<response::FirstPaid>> PgResponseRows::FirstPaidByAimag(
    const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "e.soum_code", 1);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("first_paid" + a.key,
          "SELECT ev.code, ev.declared_on, e.soum_code / 100, "
          "min(r.imported_at) FROM response_payments y JOIN "
          "response_reconciliations r ON r.id = y.result_import_id JOIN "
          "response_payroll_lines l ON l.id = y.line_id JOIN "
          "response_entitlements e ON e.id = l.entitlement_id JOIN "
          "response_plans p ON p.id = l.plan_id JOIN response_events ev ON "
          "ev.id = p.event_id WHERE y.status = 'paid' AND " +
              a.sql +
              " GROUP BY ev.code, ev.declared_on, e.soum_code / 100 ORDER BY "
              "1, 3",
          a.value));
  std::vector<response::FirstPaid> out;
  for (const pqxx::row& r : rows) {
    out.push_back({PgText(r[0]), PgDate(r[1]),
                   static_cast<int32_t>(PgInt(r[2])), PgText(r[3])});
  }
  return out;
}

Result<std::vector<response::HouseholdResult>>
PgResponseRows::ResultsByHousehold(int64_t import_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("results_by_household",
          "SELECT e.household_id, min(e.payee_register_no), l.plan_id, "
          "min(p.name), min(y.bank_code), y.status, count(*), sum(y.amount) "
          "FROM response_payments y JOIN response_payroll_lines l ON l.id = "
          "y.line_id JOIN response_entitlements e ON e.id = l.entitlement_id "
          "JOIN response_plans p ON p.id = l.plan_id WHERE y.result_import_id "
          "= $1 GROUP BY e.household_id, l.plan_id, y.status ORDER BY 1, 3, 6",
          import_id));
  std::vector<response::HouseholdResult> out;
  for (const pqxx::row& r : rows) {
    response::HouseholdResult h;
    h.household_id = PgText(r[0]);
    h.payee_register_no = PgText(r[1]);
    h.plan_id = PgInt(r[2]);
    h.plan_name = PgText(r[3]);
    h.bank_code = PgText(r[4]);
    MALCHIN_ASSIGN_OR_RETURN(
        h.status, FromStored(response::ParsePaymentStatus(PgText(r[5]))));
    h.payments = PgInt(r[6]);
    h.amount = PgInt(r[7]);
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace malchin::backends::postgres
