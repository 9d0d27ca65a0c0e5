// response::Catalog over PostgreSQL (see response/catalog.h): an event is
// in an area when one of its affected soums is (a national caller sees
// every event), a plan when its event is.
#include "backends/postgres/session.h"
#include "response/catalog.h"

namespace malchin::backends::postgres {
namespace {

using response::EventSummary;
using response::PlanSummary;
using store::AreaFilter;

using response::FromStored;

class PgResponseCatalog final : public response::Catalog {
 public:
  explicit PgResponseCatalog(PgSession& s) : s_(s) {}

  Result<std::vector<EventSummary>> ListEvents(
      const AreaFilter& requested) override {
    const bool national = s_.Visible(requested).national();
    PgArea a = s_.Area(requested, "s.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("response.catalog_events" + a.key,
                    "SELECT e.code, e.type, e.name, e.declared_on, "
                    "e.starts_on, e.ends_on, e.created_by, (SELECT count(*) "
                    "FROM response_event_soums s WHERE s.event_id = e.id AND " +
                        a.sql +
                        "), (SELECT count(*) FROM response_plans p WHERE "
                        "p.event_id = e.id) FROM response_events e ORDER BY "
                        "e.declared_on DESC, e.code COLLATE \"C\"",
                    a.value));
    std::vector<EventSummary> out;
    for (const pqxx::row& row : r) {
      EventSummary e;
      e.soums = PgInt(row[7]);
      if (!national && e.soums == 0) continue;
      e.code = PgText(row[0]);
      e.type = PgText(row[1]);
      e.name = PgText(row[2]);
      e.declared_on = PgDate(row[3]);
      e.starts_on = PgDate(row[4]);
      e.ends_on = PgOptDate(row[5]);
      e.created_by = PgText(row[6]);
      e.plans = PgInt(row[8]);
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::vector<PlanSummary>> ListPlans(
      std::string_view event_code, const AreaFilter& requested) override {
    const bool national = s_.Visible(requested).national();
    PgArea a = s_.Area(requested, "s.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "response.catalog_plans" + a.key,
            "SELECT p.code, e.code, p.name, p.kind, p.status, p.prepared_by, "
            "coalesce(p.approved_by, ''), p.beneficiaries, "
            "p.amount_per_installment, (SELECT count(*) FROM "
            "response_installments i WHERE i.plan_id = p.id), (SELECT "
            "count(*) FROM response_event_soums s WHERE s.event_id = e.id "
            "AND " +
                a.sql +
                ") FROM response_plans p JOIN response_events e ON e.id = "
                "p.event_id WHERE $1 = '' OR e.code = $1 ORDER BY p.code "
                "COLLATE \"C\"",
            event_code, a.value));
    std::vector<PlanSummary> out;
    for (const pqxx::row& row : r) {
      if (!national && PgInt(row[10]) == 0) continue;
      PlanSummary p;
      p.code = PgText(row[0]);
      p.event_code = PgText(row[1]);
      p.name = PgText(row[2]);
      MALCHIN_ASSIGN_OR_RETURN(
          p.kind, FromStored(response::ParsePlanKind(PgText(row[3]))));
      MALCHIN_ASSIGN_OR_RETURN(
          p.status, FromStored(response::ParsePlanStatus(PgText(row[4]))));
      p.prepared_by = PgText(row[5]);
      p.approved_by = PgText(row[6]);
      p.beneficiaries = PgInt(row[7]);
      p.amount_per_installment = PgInt(row[8]);
      p.installments = PgInt(row[9]);
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterResponseCatalogRepositories(PgFactories* f) {
  f->Add<response::Catalog>(
      [](PgSession& s) { return std::make_unique<PgResponseCatalog>(s); });
}

}  // namespace malchin::backends::postgres
