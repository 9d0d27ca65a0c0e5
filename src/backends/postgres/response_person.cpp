// PostgreSQL rows of response::Repository about one person or soum, for
// the herder's own page: every payment attempt, the plans that hold the
// person, the events declared for the soum (response_rows.h).
#include "backends/postgres/response_rows.h"

namespace malchin::backends::postgres {
namespace {

using response::FromStored;

// As kLatestPayment (response_cases.cpp), every attempt.
constexpr std::string_view kPaymentsOf =
    "SELECT pl.name, l.installment, p.amount, p.status, p.id, "
    "coalesce(p.reason, ''), p.bank_code, coalesce(r.imported_at, '') FROM "
    "response_plans pl JOIN response_entitlements e ON e.plan_id = pl.id AND "
    "e.register_no = $1 JOIN response_installments i ON i.plan_id = pl.id "
    "JOIN response_payroll_lines l ON l.plan_id = pl.id AND l.installment = "
    "i.number AND l.entitlement_id = e.id JOIN response_payments p ON "
    "p.line_id = l.id LEFT JOIN response_reconciliations r ON r.id = "
    "p.result_import_id ORDER BY p.id + 0 DESC LIMIT $2";

constexpr std::string_view kEntitlementsOf =
    "SELECT pl.code, pl.name, ev.code, pl.status, e.amount, (SELECT "
    "count(*) FROM response_installments i WHERE i.plan_id = pl.id), "
    "pl.starts_on, pl.ends_on FROM response_plans pl JOIN "
    "response_entitlements "
    "e ON e.plan_id = pl.id JOIN response_events ev ON ev.id = pl.event_id "
    "WHERE "
    "e.register_no = $1 ORDER BY pl.id DESC";

constexpr std::string_view kEventsOfSoum =
    "SELECT ev.code, ev.name, ev.type, ev.declared_on, s.severity FROM "
    "response_events ev JOIN response_event_soums s ON s.event_id = ev.id "
    "AND s.soum_code = $1 ORDER BY ev.declared_on DESC, ev.id DESC LIMIT $2";

}  // namespace

Result<std::vector<response::LatestPayment>> PgResponseRows::PaymentsOf(
    std::string_view register_no, int limit) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("payments_of", kPaymentsOf, std::string(register_no), limit));
  std::vector<response::LatestPayment> out;
  for (const pqxx::row& r : rows) {
    response::LatestPayment p;
    p.plan_name = PgText(r[0]);
    p.installment = static_cast<int>(PgInt(r[1]));
    p.amount = PgInt(r[2]);
    MALCHIN_ASSIGN_OR_RETURN(
        p.status, FromStored(response::ParsePaymentStatus(PgText(r[3]))));
    p.id = PgInt(r[4]);
    p.reason = PgText(r[5]);
    p.bank_code = PgText(r[6]);
    p.reported_at = PgText(r[7]);
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<response::PersonEntitlement>> PgResponseRows::EntitlementsOf(
    std::string_view register_no) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("entitlements_of", kEntitlementsOf, std::string(register_no)));
  std::vector<response::PersonEntitlement> out;
  for (const pqxx::row& r : rows) {
    response::PersonEntitlement e;
    e.plan_code = PgText(r[0]);
    e.plan_name = PgText(r[1]);
    e.event_code = PgText(r[2]);
    e.approved = PgText(r[3]) == "approved";
    e.amount = PgInt(r[4]);
    e.installments = static_cast<int>(PgInt(r[5]));
    e.starts_on = PgDate(r[6]);
    e.ends_on = PgDate(r[7]);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<response::SoumEvent>> PgResponseRows::EventsOfSoum(
    int32_t soum_code, int limit) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Sql("events_of_soum", kEventsOfSoum, soum_code, limit));
  std::vector<response::SoumEvent> out;
  for (const pqxx::row& r : rows) {
    response::SoumEvent e;
    e.code = PgText(r[0]);
    e.name = PgText(r[1]);
    e.type = PgText(r[2]);
    e.declared_on = PgDate(r[3]);
    MALCHIN_ASSIGN_OR_RETURN(e.severity,
                             FromStored(response::ParseSeverity(PgText(r[4]))));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace malchin::backends::postgres
