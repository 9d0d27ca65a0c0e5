// SQLite rows of response::Repository about one person or soum, for the
// herder's own page: every payment attempt, the plans that hold the person,
// the events declared for the soum (response_rows.h).
#include "backends/sqlite/response_rows.h"

namespace malchin::backends::sqlite {
namespace {

using response::FromStored;

// As kLatestPayment (response_cases.cpp), every attempt: from each plan,
// through the unique (plan, register number) and (plan, installment,
// entitlement).
constexpr std::string_view kPaymentsOf =
    "SELECT pl.name, l.installment, p.amount, p.status, p.id, "
    "coalesce(p.reason, ''), p.bank_code, coalesce(r.imported_at, '') FROM "
    "response_plans pl CROSS JOIN response_entitlements e CROSS JOIN "
    "response_installments i CROSS JOIN response_payroll_lines l CROSS JOIN "
    "response_payments p LEFT JOIN response_reconciliations r ON r.id = "
    "p.result_import_id WHERE e.plan_id = pl.id AND e.register_no = ?1 AND "
    "i.plan_id = pl.id AND l.plan_id = pl.id AND l.installment = i.number "
    "AND l.entitlement_id = e.id AND p.line_id = l.id ORDER BY p.id DESC "
    "LIMIT ?2";

constexpr std::string_view kEntitlementsOf =
    "SELECT pl.code, pl.name, ev.code, pl.status, e.amount, (SELECT "
    "count(*) FROM response_installments i WHERE i.plan_id = pl.id), "
    "pl.starts_on, pl.ends_on FROM response_plans pl CROSS JOIN "
    "response_entitlements "
    "e  JOIN response_events ev ON ev.id = pl.event_id WHERE "
    "e.plan_id = pl.id AND e.register_no = ?1 ORDER BY pl.id DESC";

constexpr std::string_view kEventsOfSoum =
    "SELECT ev.code, ev.name, ev.type, ev.declared_on, s.severity FROM "
    "response_events ev JOIN response_event_soums s ON s.event_id = ev.id "
    "AND s.soum_code = ?1 ORDER BY ev.declared_on DESC, ev.id DESC LIMIT ?2";

}  // namespace

Result<std::vector<response::LatestPayment>> SqliteResponseRows::PaymentsOf(
    std::string_view register_no, int limit) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                           Sql("payments_of", std::string(kPaymentsOf)));
  s->Bind(1, register_no).Bind(2, limit);
  std::vector<response::LatestPayment> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::LatestPayment p;
    p.plan_name = std::string(r.Text(0));
    p.installment = static_cast<int>(r.Int(1));
    p.amount = r.Int(2);
    MALCHIN_ASSIGN_OR_RETURN(
        p.status, FromStored(response::ParsePaymentStatus(r.Text(3))));
    p.id = r.Int(4);
    p.reason = std::string(r.Text(5));
    p.bank_code = std::string(r.Text(6));
    p.reported_at = std::string(r.Text(7));
    out.push_back(std::move(p));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<response::PersonEntitlement>>
SqliteResponseRows::EntitlementsOf(std::string_view register_no) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("entitlements_of", std::string(kEntitlementsOf)));
  s->Bind(1, register_no);
  std::vector<response::PersonEntitlement> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::PersonEntitlement e;
    e.plan_code = std::string(r.Text(0));
    e.plan_name = std::string(r.Text(1));
    e.event_code = std::string(r.Text(2));
    e.approved = r.Text(3) == "approved";
    e.amount = r.Int(4);
    e.installments = static_cast<int>(r.Int(5));
    MALCHIN_ASSIGN_OR_RETURN(e.starts_on, StoredDate(r.Text(6), "starts_on"));
    MALCHIN_ASSIGN_OR_RETURN(e.ends_on, StoredDate(r.Text(7), "ends_on"));
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<response::SoumEvent>> SqliteResponseRows::EventsOfSoum(
    int32_t soum_code, int limit) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                           Sql("events_of_soum", std::string(kEventsOfSoum)));
  s->Bind(1, soum_code).Bind(2, limit);
  std::vector<response::SoumEvent> out;
  MALCHIN_RETURN_IF_ERROR(EachRow(s, [&](const Stmt& r) -> Status {
    response::SoumEvent e;
    e.code = std::string(r.Text(0));
    e.name = std::string(r.Text(1));
    e.type = std::string(r.Text(2));
    MALCHIN_ASSIGN_OR_RETURN(e.declared_on,
                             StoredDate(r.Text(3), "declared_on"));
    MALCHIN_ASSIGN_OR_RETURN(e.severity,
                             FromStored(response::ParseSeverity(r.Text(4))));
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::backends::sqlite
