// SQLite rows of response::Repository: payments as cases (actions,
// attempts, the register check after the snapshot and the follow-up rows)
// (response_rows.h; schema migrations/0017_payment_cases.sql).
#include "backends/sqlite/response_rows.h"

namespace malchin::backends::sqlite {
namespace {

using response::ActionStatus;
using response::FromStored;
using response::PaymentAction;
using response::PaymentAttempt;

// The plan, installment and beneficiary of a payment attempt.
constexpr std::string_view kPaymentAddress =
    "SELECT pl.code, l.installment, e.register_no FROM response_payments p "
    "JOIN response_payroll_lines l ON l.id = p.line_id JOIN "
    "response_entitlements e ON e.id = l.entitlement_id JOIN response_plans "
    "pl ON pl.id = l.plan_id WHERE p.reference = ?1";

// A beneficiary's newest payment attempt: from each plan, through the
// unique (plan, register number) and (plan, installment, entitlement), in
// that order (CROSS JOIN fixes it: otherwise the planner may walk every
// payment backwards for the ORDER BY).
constexpr std::string_view kLatestPayment =
    "SELECT pl.name, l.installment, p.amount, p.status, p.id FROM "
    "response_plans pl CROSS JOIN response_entitlements e CROSS JOIN "
    "response_installments i CROSS JOIN response_payroll_lines l CROSS JOIN "
    "response_payments p WHERE e.plan_id = pl.id AND e.register_no = ?1 AND "
    "i.plan_id = pl.id AND l.plan_id = pl.id AND l.installment = i.number "
    "AND l.entitlement_id = e.id AND p.line_id = l.id ORDER BY p.id DESC "
    "LIMIT 1";

// The columns of an action row, in ActionOf's order.
constexpr std::string_view kActionColumns =
    "SELECT a.id, a.entitlement_id, a.installment, a.kind, a.reason, "
    "a.effective_on, coalesce(a.payee_register_no, ''), "
    "coalesce(a.payee_name, ''), coalesce(a.account, ''), a.status, "
    "a.requested_by, a.requested_at, coalesce(a.decided_by, ''), "
    "coalesce(a.decided_at, ''), a.decision_note, a.plan_id, e.register_no, "
    "coalesce(a.barred_checker, '') FROM response_payment_actions a JOIN "
    "response_entitlements e ON e.id = "
    "a.entitlement_id ";

Result<PaymentAction> ActionOf(const Stmt& r) {
  PaymentAction a;
  a.id = r.Int(0);
  a.entitlement_id = r.Int(1);
  if (!r.IsNull(2)) a.installment = static_cast<int>(r.Int(2));
  MALCHIN_ASSIGN_OR_RETURN(a.kind,
                           FromStored(response::ParseCaseAction(r.Text(3))));
  a.reason = r.Text(4);
  MALCHIN_ASSIGN_OR_RETURN(a.effective_on, StoredDate(r.Text(5), "date"));
  a.payee_register_no = r.Text(6);
  a.payee_name = r.Text(7);
  a.account = r.Text(8);
  MALCHIN_ASSIGN_OR_RETURN(a.status,
                           FromStored(response::ParseActionStatus(r.Text(9))));
  a.requested_by = r.Text(10);
  a.requested_at = r.Text(11);
  a.decided_by = r.Text(12);
  a.decided_at = r.Text(13);
  a.decision_note = r.Text(14);
  a.register_no = r.Text(16);
  a.barred_checker = r.Text(17);
  return a;
}

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

Result<std::vector<PaymentAction>> SqliteResponseRows::Actions(
    int64_t plan_id, std::optional<int> installment,
    std::optional<int64_t> entitlement_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("actions", std::string(kActionColumns) +
                                   "WHERE a.plan_id = ?1 AND (?2 IS NULL OR "
                                   "a.installment = ?2 OR a.installment IS "
                                   "NULL) AND (?3 IS NULL OR a.entitlement_id "
                                   "= ?3) ORDER BY a.id"));
  s->Bind(1, plan_id);
  if (installment) s->Bind(2, *installment);
  if (entitlement_id) s->Bind(3, *entitlement_id);
  std::vector<PaymentAction> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    MALCHIN_ASSIGN_OR_RETURN(PaymentAction a, ActionOf(r));
    out.push_back(std::move(a));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<std::pair<int64_t, PaymentAction>>>
SqliteResponseRows::FindAction(int64_t action_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("action", std::string(kActionColumns) + "WHERE a.id = ?1"));
  s->Bind(1, action_id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<std::pair<int64_t, PaymentAction>>();
  const int64_t plan_id = s->Int(15);
  Result<PaymentAction> a = ActionOf(*s);
  s->Reset();
  MALCHIN_RETURN_IF_ERROR(a.status());
  return std::optional<std::pair<int64_t, PaymentAction>>(
      std::make_pair(plan_id, std::move(*a)));
}

Result<std::optional<response::PaymentAddress>>
SqliteResponseRows::FindPaymentByReference(std::string_view reference) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("payment_address", std::string(kPaymentAddress)));
  s->Bind(1, reference);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<response::PaymentAddress> out;
  if (row) {
    out = response::PaymentAddress{std::string(s->Text(0)),
                                   static_cast<int>(s->Int(1)),
                                   std::string(s->Text(2))};
  }
  s->Reset();
  return out;
}

Result<std::optional<response::LatestPayment>>
SqliteResponseRows::LatestPaymentOf(std::string_view register_no) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                           Sql("latest_payment", std::string(kLatestPayment)));
  s->Bind(1, register_no);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<response::LatestPayment> out;
  if (row) {
    auto status = response::ParsePaymentStatus(s->Text(3));
    if (!status.ok()) {
      s->Reset();
      return status.status();
    }
    out = response::LatestPayment{std::string(s->Text(0)),
                                  static_cast<int>(s->Int(1)),
                                  s->Int(2),
                                  *status,
                                  s->Int(4),
                                  {},
                                  {},
                                  {}};
  }
  s->Reset();
  return out;
}

Result<int64_t> SqliteResponseRows::InsertAction(int64_t plan_id,
                                                 const PaymentAction& a) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("action_ins",
          "INSERT INTO response_payment_actions (plan_id, entitlement_id, "
          "installment, kind, reason, effective_on, payee_register_no, "
          "payee_name, account, status, requested_by, requested_at, "
          "decided_by, decided_at, decision_note, barred_checker) VALUES (?1, "
          "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
          "?16)"));
  const bool payee = a.kind == response::CaseAction::kPayee;
  s->Bind(1, plan_id).Bind(2, a.entitlement_id);
  if (a.installment) s->Bind(3, *a.installment);
  s->Bind(4, response::Name(a.kind))
      .Bind(5, std::string_view(a.reason))
      .Bind(6, std::string_view(a.effective_on.ToString()))
      .Bind(7, payee ? std::optional<std::string>(a.payee_register_no)
                     : std::optional<std::string>())
      .Bind(8, payee ? std::optional<std::string>(a.payee_name)
                     : std::optional<std::string>())
      .Bind(9, payee ? std::optional<std::string>(a.account)
                     : std::optional<std::string>())
      .Bind(10, response::Name(a.status))
      .Bind(11, std::string_view(a.requested_by))
      .Bind(12, std::string_view(a.requested_at))
      .Bind(13, NonEmpty(a.decided_by))
      .Bind(14, NonEmpty(a.decided_at))
      .Bind(15, std::string_view(a.decision_note))
      .Bind(16, NonEmpty(a.barred_checker));
  MALCHIN_RETURN_IF_ERROR(s->Run());
  return LastId();
}

Result<bool> SqliteResponseRows::DecideAction(int64_t action_id,
                                              ActionStatus decision,
                                              std::string_view decided_by,
                                              std::string_view decided_at,
                                              std::string_view note) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("action_decide",
                    "UPDATE response_payment_actions SET status = ?2, "
                    "decided_by = ?3, decided_at = ?4, decision_note = ?5 "
                    "WHERE id = ?1 AND status = 'requested'"));
  s->Bind(1, action_id)
      .Bind(2, response::Name(decision))
      .Bind(3, decided_by)
      .Bind(4, decided_at)
      .Bind(5, note);
  MALCHIN_RETURN_IF_ERROR(s->Run());
  return db_->Changes() == 1;
}

Result<std::optional<response::LineRef>> SqliteResponseRows::FindLine(
    int64_t plan_id, int installment, int64_t entitlement_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("line",
                    "SELECT id, amount FROM response_payroll_lines WHERE "
                    "plan_id = ?1 AND installment = ?2 AND entitlement_id = "
                    "?3"));
  s->Bind(1, plan_id).Bind(2, installment).Bind(3, entitlement_id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<response::LineRef>();
  response::LineRef l{s->Int(0), s->Int(1)};
  s->Reset();
  return std::optional<response::LineRef>(l);
}

Result<std::vector<PaymentAttempt>> SqliteResponseRows::Attempts(
    int64_t line_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("attempts",
          "SELECT y.attempt, y.reference, b.number, b.created_at, "
          "b.created_by, y.bank_code, y.amount, y.status, coalesce(y.reason, "
          "''), coalesce(r.imported_at, ''), coalesce(y.payee_register_no, "
          "e.payee_register_no), coalesce(y.payee_name, e.payee_name), "
          "coalesce(y.account, e.account), coalesce(y.action_id, 0) FROM "
          "response_payments y JOIN response_payment_batches b ON b.id = "
          "y.batch_id JOIN response_payroll_lines l ON l.id = y.line_id JOIN "
          "response_entitlements e ON e.id = l.entitlement_id LEFT JOIN "
          "response_reconciliations r ON r.id = y.result_import_id WHERE "
          "y.line_id = ?1 ORDER BY y.attempt"));
  s->Bind(1, line_id);
  std::vector<PaymentAttempt> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    PaymentAttempt a;
    a.attempt = static_cast<int>(r.Int(0));
    a.reference = r.Text(1);
    a.batch = static_cast<int>(r.Int(2));
    a.issued_at = r.Text(3);
    a.issued_by = r.Text(4);
    a.bank_code = r.Text(5);
    a.amount = r.Int(6);
    MALCHIN_ASSIGN_OR_RETURN(
        a.status, FromStored(response::ParsePaymentStatus(r.Text(7))));
    a.reason = r.Text(8);
    a.result_at = r.Text(9);
    a.payee_register_no = r.Text(10);
    a.payee_name = r.Text(11);
    a.account = r.Text(12);
    a.action_id = r.Int(13);
    out.push_back(std::move(a));
    return Status::Ok();
  }));
  return out;
}

// Deactivated persons, then persons of deactivated households, each read
// from its partial index (migration 17), to the plan's snapshot and lines.
Result<std::vector<response::DeactivatedLine>>
SqliteResponseRows::DeactivatedLines(int64_t plan_id, int installment) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("deactivated_lines",
          "SELECT l.id, l.entitlement_id, e.register_no, 'person', "
          "p.deactivated_on, coalesce(p.deactivation_reason, '') FROM persons "
          "p JOIN response_entitlements e ON e.plan_id = ?1 AND "
          "e.register_no = p.register_no JOIN response_payroll_lines l ON "
          "l.plan_id = ?1 AND l.installment = ?2 AND l.entitlement_id = e.id "
          "WHERE p.deactivated_on IS NOT NULL UNION ALL SELECT l.id, "
          "l.entitlement_id, e.register_no, 'household', h.deactivated_on, "
          "coalesce(h.deactivation_reason, '') FROM households h JOIN "
          "persons p ON p.hh = h.hh JOIN response_entitlements e ON "
          "e.plan_id = ?1 AND e.register_no = p.register_no JOIN "
          "response_payroll_lines l ON l.plan_id = ?1 AND l.installment = ?2 "
          "AND l.entitlement_id = e.id WHERE h.deactivated_on IS NOT NULL "
          "AND p.deactivated_on IS NULL ORDER BY 1"));
  s->Bind(1, plan_id).Bind(2, installment);
  std::vector<response::DeactivatedLine> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) {
    out.push_back({r.Int(0), r.Int(1), std::string(r.Text(2)),
                   std::string(r.Text(3)), std::string(r.Text(4)),
                   std::string(r.Text(5))});
    return Status::Ok();
  }));
  return out;
}

Status SqliteResponseRows::ForEachFollowUpRow(
    int64_t plan_id, int installment, const AreaFilter& requested,
    const std::function<Status(const response::FollowUpRow&)>& fn) {
  LargerCache cache(db_);
  AreaClause a = session_.Area(requested, "e.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("follow_up" + a.key,
          "SELECT l.id, l.entitlement_id, e.soum_code, e.household_id, "
          "e.register_no, coalesce(trim(p.father_name || ' ' || "
          "p.given_name), ''), e.payee_register_no, e.payee_name, e.account, "
          "coalesce(q.phone, ''), coalesce(h.phone, ''), l.amount, (SELECT "
          "count(*) FROM response_payments z WHERE z.line_id = l.id), "
          "y.status, coalesce(y.reason, ''), coalesce(y.action_id, 0) FROM "
          "response_payroll_lines l JOIN response_entitlements e ON e.id = "
          "l.entitlement_id LEFT JOIN persons p ON p.register_no = "
          "e.register_no LEFT JOIN persons q ON q.register_no = "
          "e.payee_register_no LEFT JOIN households h ON h.id = "
          "e.household_id LEFT JOIN response_payments y ON y.line_id = l.id "
          "AND y.attempt = (SELECT max(attempt) FROM response_payments x "
          "WHERE x.line_id = l.id) WHERE l.plan_id = ?1 AND l.installment = "
          "?2 AND " +
              a.sql +
              " AND NOT EXISTS (SELECT 1 FROM response_payments w WHERE "
              "w.line_id = l.id AND w.status IN ('pending', 'paid')) ORDER "
              "BY e.soum_code, l.id"));
  s->Bind(1, plan_id).Bind(2, installment);
  a.Bind(*s);
  response::FollowUpRow f;
  return EachRow(s, [&](const Stmt& r) -> Status {
    f.line_id = r.Int(0);
    f.entitlement_id = r.Int(1);
    f.soum_code = static_cast<int32_t>(r.Int(2));
    f.household_id = r.Text(3);
    f.register_no = r.Text(4);
    f.name = r.Text(5);
    f.payee_register_no = r.Text(6);
    f.payee_name = r.Text(7);
    f.account = r.Text(8);
    f.payee_phone = r.Text(9);
    f.household_phone = r.Text(10);
    f.amount = r.Int(11);
    f.attempts = static_cast<int>(r.Int(12));
    f.last_status.reset();
    if (!r.IsNull(13)) {
      MALCHIN_ASSIGN_OR_RETURN(
          f.last_status, FromStored(response::ParsePaymentStatus(r.Text(13))));
    }
    f.last_reason = r.Text(14);
    f.last_action_id = r.Int(15);
    return fn(f);
  });
}

}  // namespace malchin::backends::sqlite
