// response::Catalog over SQLite (see response/catalog.h).
#include <map>

#include "backends/sqlite/session.h"
#include "response/catalog.h"

namespace malchin::backends::sqlite {
namespace {

using response::EventSummary;
using response::PlanSummary;
using store::AreaFilter;
using store::AuditEntry;
using store::ChangeContext;

// Event id -> number of its affected soums inside an area.
using SoumCounts = std::map<int64_t, int64_t>;

Result<Date> DateColumn(const Stmt& s, int col, const char* what) {
  auto d = Date::Parse(s.Text(col));
  if (!d.ok()) {
    return Status::DataLoss(std::string("stored ") + what + " '" +
                            std::string(s.Text(col)) +
                            "' is not a date: " + d.status().message());
  }
  return *d;
}

class SqliteResponseCatalog final : public response::Catalog {
 public:
  explicit SqliteResponseCatalog(SqliteSession& session)
      : session_(session), db_(&session.db()) {}

  Result<std::vector<EventSummary>> ListEvents(
      const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(SoumCounts soums, SoumsInArea(area));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare("SELECT e.id, e.code, e.type, e.name, e.declared_on, "
                     "e.starts_on, e.ends_on, e.created_by, "
                     "(SELECT count(*) FROM response_plans p "
                     "WHERE p.event_id = e.id) "
                     "FROM response_events e "
                     "ORDER BY e.declared_on DESC, e.code"));
    std::vector<EventSummary> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      auto in_area = soums.find(s.Int(0));
      if (!IsNational(area) && in_area == soums.end()) continue;
      EventSummary e;
      e.code = std::string(s.Text(1));
      e.type = std::string(s.Text(2));
      e.name = std::string(s.Text(3));
      MALCHIN_ASSIGN_OR_RETURN(e.declared_on,
                               DateColumn(s, 4, "event declared_on"));
      MALCHIN_ASSIGN_OR_RETURN(e.starts_on,
                               DateColumn(s, 5, "event starts_on"));
      if (!s.IsNull(6)) {
        MALCHIN_ASSIGN_OR_RETURN(e.ends_on, DateColumn(s, 6, "event ends_on"));
      }
      e.created_by = std::string(s.Text(7));
      e.soums = in_area == soums.end() ? 0 : in_area->second;
      e.plans = s.Int(8);
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<std::vector<PlanSummary>> ListPlans(
      std::string_view event_code, const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(SoumCounts soums, SoumsInArea(area));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare("SELECT p.event_id, p.code, e.code, p.name, p.kind, "
                     "p.status, p.prepared_by, coalesce(p.approved_by, ''), "
                     "p.beneficiaries, p.amount_per_installment, "
                     "(SELECT count(*) FROM response_installments i "
                     "WHERE i.plan_id = p.id) "
                     "FROM response_plans p "
                     "JOIN response_events e ON e.id = p.event_id "
                     "WHERE ?1 = '' OR e.code = ?1 ORDER BY p.code"));
    s.Bind(1, event_code);
    std::vector<PlanSummary> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      if (!IsNational(area) && !soums.count(s.Int(0))) continue;
      PlanSummary p;
      p.code = std::string(s.Text(1));
      p.event_code = std::string(s.Text(2));
      p.name = std::string(s.Text(3));
      auto kind = response::ParsePlanKind(s.Text(4));
      auto status = response::ParsePlanStatus(s.Text(5));
      if (!kind.ok() || !status.ok()) {
        s.Reset();
        return Status::DataLoss(
            "stored " +
            (kind.ok() ? status.status() : kind.status()).message());
      }
      p.kind = *kind;
      p.status = *status;
      p.prepared_by = std::string(s.Text(6));
      p.approved_by = std::string(s.Text(7));
      p.beneficiaries = s.Int(8);
      p.amount_per_installment = s.Int(9);
      p.installments = s.Int(10);
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  static bool IsNational(const AreaFilter& a) {
    return a.aimag_code == 0 && a.soum_code == 0;
  }

  Result<SoumCounts> SoumsInArea(const AreaFilter& area) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare("SELECT event_id, soum_code FROM response_event_soums"));
    SoumCounts out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      if (area.Matches(static_cast<int32_t>(s.Int(1)))) ++out[s.Int(0)];
    }
    return out;
  }

  SqliteSession& session_;
  Db* db_;
};

}  // namespace

void RegisterResponseCatalogRepositories(Factories* f) {
  f->Add<response::Catalog, SqliteResponseCatalog>();
}

}  // namespace malchin::backends::sqlite
