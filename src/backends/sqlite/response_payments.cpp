// SQLite rows of response::Repository: payrolls, payments, reconciliation
// and totals (response_rows.h).
#include "backends/sqlite/response_rows.h"

namespace malchin::backends::sqlite {
namespace {

using response::IssuedPayment;
using response::PaymentStatus;
using response::PaymentTotals;
using response::PayrollRecord;
using response::StatusCount;
using response::StoredPayment;

using response::FromStored;

Result<PayrollRecord> PayrollOf(const Stmt& s) {
  PayrollRecord r;
  r.id = s.Int(0);
  r.plan_code = s.Text(1);
  r.installment = static_cast<int>(s.Int(2));
  MALCHIN_ASSIGN_OR_RETURN(r.due_on, StoredDate(s.Text(3), "due date"));
  MALCHIN_ASSIGN_OR_RETURN(r.status,
                           FromStored(response::ParsePayrollStatus(s.Text(4))));
  r.generated_by = s.Text(5);
  r.generated_at = s.Text(6);
  r.approved_by = s.Text(7);
  r.approved_at = s.Text(8);
  r.lines = s.Int(9);
  r.amount = s.Int(10);
  return r;
}

Result<StoredPayment> PaymentOf(const Stmt& s) {
  StoredPayment p;
  p.reference = s.Text(0);
  p.id = s.Int(1);
  p.amount = s.Int(2);
  MALCHIN_ASSIGN_OR_RETURN(p.status,
                           FromStored(response::ParsePaymentStatus(s.Text(3))));
  p.reason = s.Text(4);
  return p;
}

}  // namespace

Status EachRow(Stmt* s, const std::function<Status(const Stmt&)>& row) {
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool more, s->Step());
    if (!more) return Status::Ok();
    Status st = row(*s);
    if (!st.ok()) {
      s->Reset();
      return st;
    }
  }
}

Result<std::optional<PayrollRecord>> SqliteResponseRows::FindPayroll(
    std::string_view plan_code, int installment) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("payroll",
          "SELECT r.id, p.code, r.installment, i.due_on, r.status, "
          "r.generated_by, r.generated_at, coalesce(r.approved_by, ''), "
          "coalesce(r.approved_at, ''), r.lines, r.amount FROM "
          "response_payrolls r JOIN response_plans p ON p.id = r.plan_id "
          "JOIN response_installments i ON i.plan_id = r.plan_id AND i.number "
          "= r.installment WHERE p.code = ?1 AND r.installment = ?2"));
  s->Bind(1, plan_code).Bind(2, installment);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<PayrollRecord>();
  Result<PayrollRecord> r = PayrollOf(*s);
  s->Reset();
  MALCHIN_RETURN_IF_ERROR(r.status());
  return std::optional<PayrollRecord>(std::move(*r));
}

Result<int64_t> SqliteResponseRows::InsertPayroll(
    int64_t plan_id, int installment, std::string_view generated_by,
    std::string_view generated_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("payroll_ins",
                    "INSERT INTO response_payrolls (plan_id, installment, "
                    "status, generated_by, generated_at, lines, amount) "
                    "VALUES (?1, ?2, 'generated', ?3, ?4, 0, 0)"));
  s->Bind(1, plan_id)
      .Bind(2, installment)
      .Bind(3, generated_by)
      .Bind(4, generated_at);
  MALCHIN_RETURN_IF_ERROR(s->Run());
  return LastId();
}

// A plan's snapshot rows were written by one statement, so their ids form
// one range: read it in id order (no sort), checking the plan.
Result<std::pair<int64_t, int64_t>> SqliteResponseRows::InsertPayrollLines(
    int64_t payroll_id, int64_t plan_id, int installment) {
  LargerCache cache(db_);
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * range, Sql("snapshot_range",
                        "SELECT min(id), max(id) FROM response_entitlements "
                        "WHERE plan_id = ?1"));
  range->Bind(1, plan_id);
  MALCHIN_ASSIGN_OR_RETURN(bool has_range, range->Step());
  const int64_t first = has_range ? range->Int(0) : 0;
  const int64_t last = has_range ? range->Int(1) : -1;
  range->Reset();
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * lines,
      Sql("lines_ins",
          "INSERT INTO response_payroll_lines (payroll_id, plan_id, "
          "entitlement_id, installment, amount) SELECT ?1, plan_id, id, ?3, "
          "amount FROM response_entitlements WHERE id BETWEEN ?4 AND ?5 AND "
          "+plan_id = ?2 ORDER BY id"));
  lines->Bind(1, payroll_id)
      .Bind(2, plan_id)
      .Bind(3, installment)
      .Bind(4, first)
      .Bind(5, last);
  MALCHIN_RETURN_IF_ERROR(lines->Run());
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * upd,
      Sql("payroll_totals",
          "UPDATE response_payrolls SET (lines, amount) = (SELECT count(*), "
          "coalesce(sum(amount), 0) FROM response_payroll_lines WHERE "
          "plan_id = ?2 AND installment = ?3) WHERE id = ?1 RETURNING lines, "
          "amount"));
  upd->Bind(1, payroll_id).Bind(2, plan_id).Bind(3, installment);
  MALCHIN_ASSIGN_OR_RETURN(bool row, upd->Step());
  std::pair<int64_t, int64_t> totals{row ? upd->Int(0) : 0,
                                     row ? upd->Int(1) : 0};
  if (row) MALCHIN_RETURN_IF_ERROR(upd->Run());  // Finishes the statement.
  return totals;
}

Status SqliteResponseRows::MarkPayrollApproved(int64_t payroll_id,
                                               std::string_view approved_by,
                                               std::string_view approved_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("payroll_approve",
                    "UPDATE response_payrolls SET status = 'approved', "
                    "approved_by = ?2, approved_at = ?3 WHERE id = ?1"));
  s->Bind(1, payroll_id).Bind(2, approved_by).Bind(3, approved_at);
  return s->Run();
}

Status SqliteResponseRows::ForEachUnissuedLine(
    int64_t plan_id, int installment,
    const std::function<Status(const response::UnissuedLine&)>& fn) {
  LargerCache cache(db_);
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("unissued",
          "SELECT l.id, l.entitlement_id, l.amount, e.account, "
          "e.payee_register_no, e.payee_name, e.register_no, "
          "coalesce(y.attempt, 0), y.status, coalesce(y.action_id, 0) FROM "
          "response_payroll_lines l JOIN response_entitlements e ON e.id = "
          "l.entitlement_id LEFT JOIN response_payments y ON y.line_id = l.id "
          "AND y.attempt = (SELECT max(attempt) FROM response_payments z "
          "WHERE z.line_id = l.id) WHERE l.plan_id = ?1 AND l.installment = "
          "?2 AND NOT EXISTS (SELECT 1 FROM response_payments w WHERE "
          "w.line_id = l.id AND w.status IN ('pending', 'paid')) ORDER BY "
          "l.id"));
  s->Bind(1, plan_id).Bind(2, installment);
  response::UnissuedLine l;
  return EachRow(s, [&](const Stmt& r) -> Status {
    l.line_id = r.Int(0);
    l.entitlement_id = r.Int(1);
    l.amount = r.Int(2);
    l.account = r.Text(3);
    l.payee_register_no = r.Text(4);
    l.payee_name = r.Text(5);
    l.register_no = r.Text(6);
    l.last_attempt = static_cast<int>(r.Int(7));
    l.last_status.reset();
    if (!r.IsNull(8)) {
      MALCHIN_ASSIGN_OR_RETURN(
          l.last_status, FromStored(response::ParsePaymentStatus(r.Text(8))));
    }
    l.last_action_id = r.Int(9);
    return fn(l);
  });
}

Result<int64_t> SqliteResponseRows::InsertBatch(int64_t payroll_id, int number,
                                                std::string_view created_by,
                                                std::string_view created_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("batch_ins",
                    "INSERT INTO response_payment_batches (payroll_id, "
                    "number, created_by, created_at) VALUES (?1, ?2, ?3, ?4)"));
  s->Bind(1, payroll_id)
      .Bind(2, number)
      .Bind(3, created_by)
      .Bind(4, created_at);
  MALCHIN_RETURN_IF_ERROR(s->Run());
  return LastId();
}

Status SqliteResponseRows::InsertPayments(
    int64_t batch_id, const std::vector<response::NewPayment>& payments) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("payment_ins",
          "INSERT INTO response_payments (line_id, attempt, reference, "
          "batch_id, bank_code, amount, status, payee_register_no, "
          "payee_name, account, action_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
          "'pending', ?7, ?8, ?9, ?10)"));
  for (const response::NewPayment& p : payments) {
    s->Bind(1, p.line_id)
        .Bind(2, p.attempt)
        .Bind(3, std::string_view(p.reference))
        .Bind(4, batch_id)
        .Bind(5, std::string_view(p.bank_code))
        .Bind(6, p.amount)
        .Bind(7, std::string_view(p.payee_register_no))
        .Bind(8, std::string_view(p.payee_name))
        .Bind(9, std::string_view(p.account));
    if (p.action_id) s->Bind(10, p.action_id);
    MALCHIN_RETURN_IF_ERROR(s->Run().WithContext("payment " + p.reference));
  }
  return Status::Ok();
}

Result<std::optional<int>> SqliteResponseRows::LastBatch(int64_t payroll_id) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                           Sql("last_batch",
                               "SELECT max(number) FROM "
                               "response_payment_batches WHERE payroll_id "
                               "= ?1"));
  s->Bind(1, payroll_id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<int> number;
  if (row && !s->IsNull(0)) number = static_cast<int>(s->Int(0));
  s->Reset();
  return number;
}

Status SqliteResponseRows::ForEachIssued(
    int64_t payroll_id, int number,
    const std::function<Status(const IssuedPayment&)>& fn) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("issued",
          "SELECT y.bank_code, y.reference, coalesce(y.payee_name, "
          "e.payee_name), coalesce(y.payee_register_no, e.payee_register_no), "
          "e.register_no, coalesce(y.account, e.account), y.amount FROM "
          "response_payment_batches b JOIN response_payments y ON y.batch_id "
          "= b.id JOIN response_payroll_lines l ON l.id = y.line_id JOIN "
          "response_entitlements e ON e.id = l.entitlement_id WHERE "
          "b.payroll_id = ?1 AND b.number = ?2 ORDER BY y.bank_code, y.id"));
  s->Bind(1, payroll_id).Bind(2, number);
  IssuedPayment p;
  p.batch = number;
  return EachRow(s, [&](const Stmt& r) {
    p.bank_code = r.Text(0);
    p.reference = r.Text(1);
    p.payee_name = r.Text(2);
    p.payee_register_no = r.Text(3);
    p.beneficiary_register_no = r.Text(4);
    p.account = r.Text(5);
    p.amount = r.Int(6);
    return fn(p);
  });
}

// One pass over the reference index between the first and last reference
// when that range holds not many more payments than asked for (a bank's
// file of a payroll), else one lookup per reference (a few rows of a large
// register).
Result<std::vector<StoredPayment>> SqliteResponseRows::PaymentsByReference(
    const std::vector<std::string>& references) {
  std::vector<StoredPayment> out;
  if (references.empty()) return out;
  LargerCache cache(db_);
  MALCHIN_ASSIGN_OR_RETURN(Stmt * span,
                           Sql("payments_span",
                               "SELECT count(*) FROM response_payments WHERE "
                               "reference BETWEEN ?1 AND ?2"));
  span->Bind(1, std::string_view(references.front()))
      .Bind(2, std::string_view(references.back()));
  MALCHIN_ASSIGN_OR_RETURN(bool spanned, span->Step());
  const int64_t in_range = spanned ? span->Int(0) : 0;
  span->Reset();
  const auto n = static_cast<int64_t>(references.size());
  auto keep = [&](const Stmt& r) -> Status {
    MALCHIN_ASSIGN_OR_RETURN(StoredPayment p, PaymentOf(r));
    out.push_back(std::move(p));
    return Status::Ok();
  };
  constexpr std::string_view kColumns =
      "SELECT reference, id, amount, status, coalesce(reason, '') FROM "
      "response_payments WHERE ";
  if (in_range <= 4 * n + 1000) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * scan, Sql("payments_scan", std::string(kColumns) +
                                              "reference BETWEEN ?1 AND ?2 "
                                              "ORDER BY reference"));
    scan->Bind(1, std::string_view(references.front()))
        .Bind(2, std::string_view(references.back()));
    MALCHIN_RETURN_IF_ERROR(EachRow(scan, keep));
    return out;
  }
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * find,
      Sql("payment_by_ref", std::string(kColumns) + "reference = ?1"));
  for (const std::string& ref : references) {
    find->Bind(1, std::string_view(ref));
    MALCHIN_RETURN_IF_ERROR(EachRow(find, keep));
  }
  return out;
}

Result<int64_t> SqliteResponseRows::InsertReconciliation(
    std::string_view file_name, int64_t rows, int64_t changed,
    std::string_view imported_by, std::string_view imported_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("reconciliation_ins",
                    "INSERT INTO response_reconciliations (file_name, rows, "
                    "changed, imported_by, imported_at) VALUES (?1, ?2, ?3, "
                    "?4, ?5)"));
  s->Bind(1, file_name)
      .Bind(2, rows)
      .Bind(3, changed)
      .Bind(4, imported_by)
      .Bind(5, imported_at);
  MALCHIN_RETURN_IF_ERROR(s->Run());
  return LastId();
}

Result<int64_t> SqliteResponseRows::ApplyResults(
    int64_t import_id, const std::vector<response::ResultChange>& changes) {
  LargerCache cache(db_);
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("payment_result",
                    "UPDATE response_payments SET status = ?2, reason = ?3, "
                    "result_import_id = ?4 WHERE id = ?1 AND status = ?5"));
  int64_t applied = 0;
  for (const response::ResultChange& c : changes) {
    s->Bind(1, c.payment_id)
        .Bind(2, response::Name(c.to))
        .Bind(3, c.reason.empty() ? std::optional<std::string>()
                                  : std::optional<std::string>(c.reason))
        .Bind(4, import_id)
        .Bind(5, response::Name(c.from));
    MALCHIN_RETURN_IF_ERROR(s->Run());
    applied += db_->Changes();
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
void CellOf(const Stmt& r, T& t) {
  t.soum_code = static_cast<int32_t>(r.Int(0));
  t.sex = r.Text(1);
  t.age_band = r.Text(2);
  t.disability = static_cast<int>(r.Int(3));
  t.payee_sex = r.Text(4);
  t.head_sex = r.Text(5);
}

}  // namespace

Result<std::vector<PaymentTotals>> SqliteResponseRows::LineTotals(
    int64_t plan_id, int installment, const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "e.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("line_totals" + a.key,
          "SELECT " + std::string(kCell) +
              ", count(*), sum(l.amount), sum(NOT EXISTS (SELECT 1 FROM "
              "response_payments y WHERE y.line_id = l.id AND y.status IN "
              "('pending', 'paid'))) FROM response_payroll_lines l JOIN "
              "response_entitlements e ON e.id = l.entitlement_id WHERE "
              "l.plan_id = ?1 AND l.installment = ?2 AND " +
              a.sql + " GROUP BY 1, 2, 3, 4, 5, 6"));
  s->Bind(1, plan_id).Bind(2, installment);
  a.Bind(*s);
  std::vector<PaymentTotals> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) {
    PaymentTotals t;
    CellOf(r, t);
    t.lines = r.Int(6);
    t.lines_amount = r.Int(7);
    t.not_issued = r.Int(8);
    out.push_back(std::move(t));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<StatusCount>> SqliteResponseRows::PaymentCounts(
    int64_t plan_id, int installment, const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "e.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("payment_counts" + a.key,
          "SELECT " + std::string(kCell) +
              ", y.status, count(*), sum(y.amount) FROM response_payments y "
              "JOIN response_payroll_lines l ON l.id = y.line_id JOIN "
              "response_entitlements e ON e.id = l.entitlement_id WHERE "
              "l.plan_id = ?1 AND l.installment = ?2 AND " +
              a.sql + " GROUP BY 1, 2, 3, 4, 5, 6, 7"));
  s->Bind(1, plan_id).Bind(2, installment);
  a.Bind(*s);
  std::vector<StatusCount> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    StatusCount c;
    CellOf(r, c);
    MALCHIN_ASSIGN_OR_RETURN(
        c.status, FromStored(response::ParsePaymentStatus(r.Text(6))));
    c.count = r.Int(7);
    c.amount = r.Int(8);
    out.push_back(std::move(c));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<response::DueInstallment>>
SqliteResponseRows::InstallmentsDue(Date from, Date to) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("installments_due",
                    "SELECT p.id, p.code, i.number, i.due_on FROM "
                    "response_installments i JOIN response_plans p ON p.id = "
                    "i.plan_id WHERE i.due_on BETWEEN ?1 AND ?2 ORDER BY "
                    "p.code, i.number"));
  s->Bind(1, std::string_view(from.ToString()))
      .Bind(2, std::string_view(to.ToString()));
  std::vector<response::DueInstallment> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::DueInstallment d;
    d.plan_id = r.Int(0);
    d.plan_code = std::string(r.Text(1));
    d.installment = static_cast<int>(r.Int(2));
    MALCHIN_ASSIGN_OR_RETURN(d.due_on, StoredDate(r.Text(3), "due date"));
    out.push_back(std::move(d));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<response::PaidHousehold>> SqliteResponseRows::PaidHouseholds(
    int64_t plan_id, int installment, const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "e.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("paid_households" + a.key,
          "SELECT e.household_id, min(e.soum_code), max(coalesce(e.head_sex, "
          "'')), coalesce(h.herder, 0), (SELECT p.birth_date FROM persons p "
          "WHERE p.hh = h.hh AND p.relation = 'head' AND p.deactivated_on IS "
          "NULL ORDER BY p.pid LIMIT 1) FROM response_payments y JOIN "
          "response_payroll_lines l ON l.id = y.line_id JOIN "
          "response_entitlements e ON e.id = l.entitlement_id LEFT JOIN "
          "households h ON h.id = e.household_id WHERE l.plan_id = ?1 AND "
          "l.installment = ?2 AND y.status = 'paid' AND " +
              a.sql +
              " GROUP BY e.household_id, h.hh, h.herder ORDER BY "
              "e.household_id"));
  s->Bind(1, plan_id).Bind(2, installment);
  a.Bind(*s);
  std::vector<response::PaidHousehold> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::PaidHousehold h;
    h.household_id = std::string(r.Text(0));
    h.soum_code = static_cast<int32_t>(r.Int(1));
    h.head_sex = std::string(r.Text(2));
    h.herder = r.Int(3) != 0;
    if (!r.IsNull(4)) {
      MALCHIN_ASSIGN_OR_RETURN(h.head_birth_date,
                               StoredDate(r.Text(4), "birth date"));
    }
    out.push_back(std::move(h));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<response::FirstPaid>> SqliteResponseRows::FirstPaidByAimag(
    const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "e.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
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
              "1, 3"));
  a.Bind(*s);
  std::vector<response::FirstPaid> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::FirstPaid f;
    f.event_code = std::string(r.Text(0));
    MALCHIN_ASSIGN_OR_RETURN(f.declared_on,
                             StoredDate(r.Text(1), "declaration date"));
    f.aimag_code = static_cast<int32_t>(r.Int(2));
    f.first_paid_at = std::string(r.Text(3));
    out.push_back(std::move(f));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<response::HouseholdResult>>
SqliteResponseRows::ResultsByHousehold(int64_t import_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("results_by_household",
          "SELECT e.household_id, min(e.payee_register_no), l.plan_id, "
          "min(p.name), min(y.bank_code), y.status, count(*), sum(y.amount) "
          "FROM response_payments y JOIN response_payroll_lines l ON l.id = "
          "y.line_id JOIN response_entitlements e ON e.id = l.entitlement_id "
          "JOIN response_plans p ON p.id = l.plan_id WHERE y.result_import_id "
          "= ?1 GROUP BY e.household_id, l.plan_id, y.status ORDER BY 1, 3, "
          "6"));
  s->Bind(1, import_id);
  std::vector<response::HouseholdResult> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::HouseholdResult h;
    h.household_id = std::string(r.Text(0));
    h.payee_register_no = std::string(r.Text(1));
    h.plan_id = r.Int(2);
    h.plan_name = std::string(r.Text(3));
    h.bank_code = std::string(r.Text(4));
    MALCHIN_ASSIGN_OR_RETURN(
        h.status, FromStored(response::ParsePaymentStatus(r.Text(5))));
    h.payments = r.Int(6);
    h.amount = r.Int(7);
    out.push_back(std::move(h));
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::backends::sqlite
