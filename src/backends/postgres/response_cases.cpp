// PostgreSQL rows of response::Repository: payments as cases (actions,
// attempts, the register check after the snapshot and the follow-up rows)
// (response_rows.h; schema migrations/0014_payment_cases.sql).
#include "backends/postgres/response_rows.h"

namespace malchin::backends::postgres {
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
    "pl ON pl.id = l.plan_id WHERE p.reference = $1";

// A beneficiary's newest payment attempt: from each plan, through the
// unique (plan, register number) and (plan, installment, entitlement); the
// order is on p.id + 0 so that no backward walk of every payment is chosen
// for the LIMIT.
constexpr std::string_view kLatestPayment =
    "SELECT pl.name, l.installment, p.amount, p.status, p.id FROM "
    "response_plans "
    "pl JOIN response_entitlements e ON e.plan_id = pl.id AND e.register_no "
    "= $1 JOIN response_installments i ON i.plan_id = pl.id JOIN "
    "response_payroll_lines l ON l.plan_id = pl.id AND l.installment = "
    "i.number AND l.entitlement_id = e.id JOIN response_payments p ON "
    "p.line_id = l.id ORDER BY p.id + 0 DESC LIMIT 1";

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

Result<PaymentAction> ActionOf(const pqxx::row& r) {
  PaymentAction a;
  a.id = PgInt(r[0]);
  a.entitlement_id = PgInt(r[1]);
  if (auto n = PgOptInt(r[2])) a.installment = static_cast<int>(*n);
  MALCHIN_ASSIGN_OR_RETURN(a.kind,
                           FromStored(response::ParseCaseAction(PgText(r[3]))));
  a.reason = PgText(r[4]);
  a.effective_on = PgDate(r[5]);
  a.payee_register_no = PgText(r[6]);
  a.payee_name = PgText(r[7]);
  a.account = PgText(r[8]);
  MALCHIN_ASSIGN_OR_RETURN(
      a.status, FromStored(response::ParseActionStatus(PgText(r[9]))));
  a.requested_by = PgText(r[10]);
  a.requested_at = PgText(r[11]);
  a.decided_by = PgText(r[12]);
  a.decided_at = PgText(r[13]);
  a.decision_note = PgText(r[14]);
  a.register_no = PgText(r[16]);
  a.barred_checker = PgText(r[17]);
  return a;
}

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

Result<std::vector<PaymentAction>> PgResponseRows::Actions(
    int64_t plan_id, std::optional<int> installment,
    std::optional<int64_t> entitlement_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("actions",
          std::string(kActionColumns) +
              "WHERE a.plan_id = $1 AND ($2::integer IS NULL OR "
              "a.installment = $2 OR a.installment IS NULL) AND ($3::bigint "
              "IS NULL OR a.entitlement_id = $3) ORDER BY a.id",
          plan_id, installment, entitlement_id));
  std::vector<PaymentAction> out;
  out.reserve(r.size());
  for (const pqxx::row& row : r) {
    MALCHIN_ASSIGN_OR_RETURN(PaymentAction a, ActionOf(row));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<std::pair<int64_t, PaymentAction>>>
PgResponseRows::FindAction(int64_t action_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("action", std::string(kActionColumns) + "WHERE a.id = $1",
          action_id));
  if (r.empty()) return std::optional<std::pair<int64_t, PaymentAction>>();
  MALCHIN_ASSIGN_OR_RETURN(PaymentAction a, ActionOf(r[0]));
  return std::optional<std::pair<int64_t, PaymentAction>>(
      std::make_pair(PgInt(r[0][15]), std::move(a)));
}

Result<std::optional<response::PaymentAddress>>
PgResponseRows::FindPaymentByReference(std::string_view reference) {
  MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                           Sql("payment_address", kPaymentAddress, reference));
  if (r.empty()) return std::optional<response::PaymentAddress>();
  return std::optional<response::PaymentAddress>(response::PaymentAddress{
      PgText(r[0][0]), static_cast<int>(PgInt(r[0][1])), PgText(r[0][2])});
}

Result<std::optional<response::LatestPayment>> PgResponseRows::LatestPaymentOf(
    std::string_view register_no) {
  MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                           Sql("latest_payment", kLatestPayment, register_no));
  if (r.empty()) return std::optional<response::LatestPayment>();
  MALCHIN_ASSIGN_OR_RETURN(auto status,
                           response::ParsePaymentStatus(PgText(r[0][3])));
  return std::optional<response::LatestPayment>(
      response::LatestPayment{PgText(r[0][0]),
                              static_cast<int>(PgInt(r[0][1])),
                              PgInt(r[0][2]),
                              status,
                              PgInt(r[0][4]),
                              {},
                              {},
                              {}});
}

Result<int64_t> PgResponseRows::InsertAction(int64_t plan_id,
                                             const PaymentAction& a) {
  const bool payee = a.kind == response::CaseAction::kPayee;
  auto when = [&](const std::string& v) {
    return payee ? std::optional<std::string>(v) : std::optional<std::string>();
  };
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("action_ins",
          "INSERT INTO response_payment_actions (plan_id, entitlement_id, "
          "installment, kind, reason, effective_on, payee_register_no, "
          "payee_name, account, status, requested_by, requested_at, "
          "decided_by, decided_at, decision_note, barred_checker) VALUES ($1, "
          "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
          "RETURNING id",
          plan_id, a.entitlement_id, a.installment, response::Name(a.kind),
          a.reason, a.effective_on, when(a.payee_register_no),
          when(a.payee_name), when(a.account), response::Name(a.status),
          a.requested_by, a.requested_at, NonEmpty(a.decided_by),
          NonEmpty(a.decided_at), a.decision_note, NonEmpty(a.barred_checker)));
  return PgInt(r[0][0]);
}

Result<bool> PgResponseRows::DecideAction(int64_t action_id,
                                          ActionStatus decision,
                                          std::string_view decided_by,
                                          std::string_view decided_at,
                                          std::string_view note) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("action_decide",
          "UPDATE response_payment_actions SET status = $2, decided_by = $3, "
          "decided_at = $4, decision_note = $5 WHERE id = $1 AND status = "
          "'requested'",
          action_id, response::Name(decision), decided_by, decided_at, note));
  return r.affected_rows() == 1;
}

Result<std::optional<response::LineRef>> PgResponseRows::FindLine(
    int64_t plan_id, int installment, int64_t entitlement_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("line",
          "SELECT id, amount FROM response_payroll_lines WHERE plan_id = $1 "
          "AND installment = $2 AND entitlement_id = $3",
          plan_id, installment, entitlement_id));
  if (r.empty()) return std::optional<response::LineRef>();
  return std::optional<response::LineRef>(
      response::LineRef{PgInt(r[0][0]), PgInt(r[0][1])});
}

Result<std::vector<PaymentAttempt>> PgResponseRows::Attempts(int64_t line_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
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
          "y.line_id = $1 ORDER BY y.attempt",
          line_id));
  std::vector<PaymentAttempt> out;
  for (const pqxx::row& row : r) {
    PaymentAttempt a;
    a.attempt = static_cast<int>(PgInt(row[0]));
    a.reference = PgText(row[1]);
    a.batch = static_cast<int>(PgInt(row[2]));
    a.issued_at = PgText(row[3]);
    a.issued_by = PgText(row[4]);
    a.bank_code = PgText(row[5]);
    a.amount = PgInt(row[6]);
    MALCHIN_ASSIGN_OR_RETURN(
        a.status, FromStored(response::ParsePaymentStatus(PgText(row[7]))));
    a.reason = PgText(row[8]);
    a.result_at = PgText(row[9]);
    a.payee_register_no = PgText(row[10]);
    a.payee_name = PgText(row[11]);
    a.account = PgText(row[12]);
    a.action_id = PgInt(row[13]);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<response::DeactivatedLine>> PgResponseRows::DeactivatedLines(
    int64_t plan_id, int installment) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("deactivated_lines",
          "SELECT l.id, l.entitlement_id, e.register_no, 'person', "
          "p.deactivated_on::text, coalesce(p.deactivation_reason, '') FROM "
          "persons p JOIN response_entitlements e ON e.plan_id = $1 AND "
          "e.register_no = p.register_no JOIN response_payroll_lines l ON "
          "l.plan_id = $1 AND l.installment = $2 AND l.entitlement_id = e.id "
          "WHERE p.deactivated_on IS NOT NULL UNION ALL SELECT l.id, "
          "l.entitlement_id, e.register_no, 'household', "
          "h.deactivated_on::text, coalesce(h.deactivation_reason, '') FROM "
          "households h JOIN persons p ON p.hh = h.hh JOIN "
          "response_entitlements e ON e.plan_id = $1 AND e.register_no = "
          "p.register_no JOIN response_payroll_lines l ON l.plan_id = $1 AND "
          "l.installment = $2 AND l.entitlement_id = e.id WHERE "
          "h.deactivated_on IS NOT NULL AND p.deactivated_on IS NULL ORDER "
          "BY 1",
          plan_id, installment));
  std::vector<response::DeactivatedLine> out;
  for (const pqxx::row& row : r) {
    out.push_back({PgInt(row[0]), PgInt(row[1]), PgText(row[2]), PgText(row[3]),
                   PgText(row[4]), PgText(row[5])});
  }
  return out;
}

Status PgResponseRows::ForEachFollowUpRow(
    int64_t plan_id, int installment, const AreaFilter& requested,
    const std::function<Status(const response::FollowUpRow&)>& fn) {
  PgArea a = s_.Area(requested, "e.soum_code", 3);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
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
          "e.household_id LEFT JOIN LATERAL (SELECT status, reason, "
          "action_id FROM response_payments x WHERE x.line_id = l.id ORDER "
          "BY attempt DESC LIMIT 1) y ON true WHERE l.plan_id = $1 AND "
          "l.installment = $2 AND " +
              a.sql +
              " AND NOT EXISTS (SELECT 1 FROM response_payments w WHERE "
              "w.line_id = l.id AND w.status IN ('pending', 'paid')) ORDER "
              "BY e.soum_code, l.id",
          plan_id, installment, a.value));
  response::FollowUpRow f;
  for (const pqxx::row& row : r) {
    f.line_id = PgInt(row[0]);
    f.entitlement_id = PgInt(row[1]);
    f.soum_code = static_cast<int32_t>(PgInt(row[2]));
    f.household_id = PgText(row[3]);
    f.register_no = PgText(row[4]);
    f.name = PgText(row[5]);
    f.payee_register_no = PgText(row[6]);
    f.payee_name = PgText(row[7]);
    f.account = PgText(row[8]);
    f.payee_phone = PgText(row[9]);
    f.household_phone = PgText(row[10]);
    f.amount = PgInt(row[11]);
    f.attempts = static_cast<int>(PgInt(row[12]));
    f.last_status.reset();
    if (auto st = PgOptText(row[13])) {
      MALCHIN_ASSIGN_OR_RETURN(f.last_status,
                               FromStored(response::ParsePaymentStatus(*st)));
    }
    f.last_reason = PgText(row[14]);
    f.last_action_id = PgInt(row[15]);
    MALCHIN_RETURN_IF_ERROR(fn(f));
  }
  return Status::Ok();
}

}  // namespace malchin::backends::postgres
