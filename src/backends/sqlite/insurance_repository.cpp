// The SQLite engine's insurance::Repository: data access only (migrations
// 0004, 0008, 0010); the ledger's rules are the capability's
// (src/insurance/ledger_rules.cpp). The snapshot is insurance_snapshot.cpp.
#include "backends/sqlite/insurance_snapshot.h"
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "insurance/repository.h"

namespace malchin::backends::sqlite {
namespace {

using namespace insurance;
using store::AreaFilter;

constexpr const char* kEntryColumns =
    "e.id, p.register_no, e.scheme, e.first_month, e.months, e.paid_on, "
    "e.amount, e.due, e.income_base, e.method, e.payer, e.remittance_id, "
    "e.reverses, e.in_kind_item, e.in_kind_quantity, e.in_kind_unit_price, "
    "e.in_kind_price_from, e.in_kind_price_source, e.note, e.recorded_at, "
    "e.actor, e.client_key";

constexpr const char* kVisitColumns =
    "v.id, p.register_no, v.visited_on, v.outcome, v.officer, v.note, "
    "v.client_key";

InsuredPerson ReadPerson(const Stmt& s) {
  InsuredPerson p;
  p.register_no = s.Text(0);
  p.household_id = s.Text(1);
  p.name = s.Text(2);
  p.soum_code = static_cast<int32_t>(s.Int(3));
  p.bag = s.Text(4);
  p.sex = s.Text(5) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
  p.birth_date = Date::FromDays(static_cast<int32_t>(s.Int(6)));
  p.disability = s.Int(7) != 0;
  p.herder = s.Int(8) != 0;
  p.phone = s.Text(9);
  if (!s.IsNull(10)) p.lat = s.Real(10);
  if (!s.IsNull(11)) p.lon = s.Real(11);
  p.cooperative = s.Text(12);
  return p;
}

Result<LedgerEntry> ReadEntry(const Stmt& s) {
  LedgerEntry e;
  e.id = s.Int(0);
  e.register_no = s.Text(1);
  MALCHIN_ASSIGN_OR_RETURN(e.scheme, ParseInsuranceScheme(s.Text(2)));
  e.first_month = static_cast<int32_t>(s.Int(3));
  e.months = static_cast<int32_t>(s.Int(4));
  MALCHIN_ASSIGN_OR_RETURN(e.paid_on, Date::Parse(s.Text(5)));
  e.amount = s.Int(6);
  e.due = s.Int(7);
  e.income_base = s.Int(8);
  MALCHIN_ASSIGN_OR_RETURN(e.method, ParsePaymentMethod(s.Text(9)));
  e.payer = s.Text(10);
  e.remittance_id = s.IsNull(11) ? 0 : s.Int(11);
  e.reverses = s.IsNull(12) ? 0 : s.Int(12);
  if (!s.IsNull(13)) {
    InKindValuation v;
    v.item = s.Text(13);
    v.quantity = s.Real(14);
    v.unit_price = s.Int(15);
    MALCHIN_ASSIGN_OR_RETURN(v.price_from, Date::Parse(s.Text(16)));
    v.price_source = s.Text(17);
    e.in_kind = std::move(v);
  }
  e.note = s.Text(18);
  e.recorded_at = s.Text(19);
  e.actor = s.Text(20);
  if (!s.IsNull(21)) e.client_key = s.Text(21);
  return e;
}

Result<Visit> ReadVisit(const Stmt& s) {
  Visit v;
  v.id = s.Int(0);
  v.register_no = s.Text(1);
  MALCHIN_ASSIGN_OR_RETURN(v.visited_on, Date::Parse(s.Text(2)));
  MALCHIN_ASSIGN_OR_RETURN(v.outcome, ParseVisitOutcome(s.Text(3)));
  v.officer = s.Text(4);
  v.note = s.Text(5);
  if (!s.IsNull(6)) v.client_key = s.Text(6);
  return v;
}

// Binds a text, or NULL when empty.
void BindOrNull(Stmt& s, int i, std::string_view v) {
  if (v.empty()) {
    s.BindNull(i);
  } else {
    s.Bind(i, v);
  }
}

void BindIdOrNull(Stmt& s, int i, int64_t id) {
  if (id) {
    s.Bind(i, id);
  } else {
    s.BindNull(i);
  }
}

class SqliteInsuranceRepository final : public insurance::Repository {
 public:
  explicit SqliteInsuranceRepository(SqliteSession& session)
      : insurance::Repository(session), session_(session) {}

  Result<std::optional<InsuredPerson>> FindPerson(
      const AreaFilter& area, std::string_view register_no) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "ins.person" + a.key,
            "SELECT p.register_no, h.id, p.father_name || ' ' || "
            "p.given_name, h.soum_code, h.bag, p.sex, p.born, p.disability, "
            "p.herder, CASE WHEN p.phone <> '' THEN p.phone ELSE h.phone "
            "END, h.lat, h.lon, h.cooperative FROM persons p JOIN households "
            "h ON h.hh = p.hh WHERE p.register_no = ?1 AND p.deactivated_on "
            "IS NULL AND h.deactivated_on IS NULL AND " +
                a.sql));
    s->Bind(1, register_no);
    a.Bind(*s);
    return ReadFirst<InsuredPerson>(*s, ReadPerson);
  }

  Result<std::vector<LedgerEntry>> Entries(
      const AreaFilter& area, std::string_view register_no) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, EntryQuery("ins.entries", "p.register_no = ?1", a));
    s->Bind(1, register_no);
    a.Bind(*s);
    return ReadAll<LedgerEntry>(*s, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntry(const AreaFilter& area,
                                               int64_t id) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s, EntryQuery("ins.entry", "e.id = ?1", a));
    s->Bind(1, id);
    a.Bind(*s);
    return ReadFirst<LedgerEntry>(*s, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      const AreaFilter& area, std::string_view actor,
      std::string_view client_key) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        EntryQuery("ins.entry_key", "e.actor = ?1 AND e.client_key = ?2", a));
    s->Bind(1, actor).Bind(2, client_key);
    a.Bind(*s);
    return ReadFirst<LedgerEntry>(*s, ReadEntry);
  }

  Result<std::optional<Remittance>> FindRemittanceByClientKey(
      std::string_view actor, std::string_view client_key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins.remittance_key",
                          "SELECT id, payer, paid_on, amount, allocated, "
                          "unallocated, method, note, actor, client_key "
                          "FROM insurance_remittances WHERE actor = ?1 AND "
                          "client_key = ?2"));
    s->Bind(1, actor).Bind(2, client_key);
    auto read = [](const Stmt& q) -> Result<Remittance> {
      Remittance r;
      r.id = q.Int(0);
      r.payer = q.Text(1);
      MALCHIN_ASSIGN_OR_RETURN(r.paid_on, Date::Parse(q.Text(2)));
      r.amount = q.Int(3);
      r.allocated = q.Int(4);
      r.unallocated = q.Int(5);
      MALCHIN_ASSIGN_OR_RETURN(r.method, ParsePaymentMethod(q.Text(6)));
      r.note = q.Text(7);
      r.actor = q.Text(8);
      r.client_key = q.Text(9);
      return r;
    };
    return ReadFirst<Remittance>(*s, read);
  }

  Result<std::vector<LedgerEntry>> RemittanceEntries(
      const AreaFilter& area, int64_t remittance_id) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s, EntryQuery("ins.remittance_entries",
                                                  "e.remittance_id = ?1", a));
    s->Bind(1, remittance_id);
    a.Bind(*s);
    return ReadAll<LedgerEntry>(*s, ReadEntry);
  }

  Result<std::vector<CoverageSpan>> Coverage(const AreaFilter& area,
                                             std::string_view register_no,
                                             InsuranceScheme scheme) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "ins.coverage" + a.key,
            "SELECT c.first_month, c.last_month FROM insurance_coverage c "
            "JOIN persons p ON p.pid = c.pid JOIN households h ON h.hh = "
            "p.hh WHERE p.register_no = ?1 AND c.scheme = ?2 AND " +
                a.sql + " ORDER BY c.first_month"));
    s->Bind(1, register_no).Bind(2, InsuranceSchemeName(scheme));
    a.Bind(*s);
    return ReadAll<CoverageSpan>(*s, [](const Stmt& q) -> Result<CoverageSpan> {
      return CoverageSpan{static_cast<int32_t>(q.Int(0)),
                          static_cast<int32_t>(q.Int(1))};
    });
  }

  Result<std::vector<ServiceCredit>> ServiceCredits(
      const AreaFilter& area, std::string_view register_no) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "ins.credits" + a.key,
            "SELECT p.register_no, c.months, c.herding_months, "
            "c.until_month, c.average_income, c.source FROM "
            "insurance_service_credits c JOIN persons p ON p.pid = c.pid "
            "JOIN households h ON h.hh = p.hh WHERE p.register_no = ?1 AND " +
                a.sql + " ORDER BY c.id"));
    s->Bind(1, register_no);
    a.Bind(*s);
    return ReadAll<ServiceCredit>(
        *s, [](const Stmt& q) -> Result<ServiceCredit> {
          ServiceCredit c;
          c.register_no = q.Text(0);
          c.months = static_cast<int32_t>(q.Int(1));
          c.herding_months = static_cast<int32_t>(q.Int(2));
          c.until_month = static_cast<int32_t>(q.Int(3));
          c.average_income = q.Int(4);
          c.source = q.Text(5);
          return c;
        });
  }

  Result<std::vector<Visit>> Visits(const AreaFilter& area,
                                    std::string_view register_no) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                             VisitQuery("ins.visits", "p.register_no = ?1", a));
    s->Bind(1, register_no);
    a.Bind(*s);
    return ReadAll<Visit>(*s, ReadVisit);
  }

  Result<std::optional<Visit>> FindVisitByClientKey(
      const AreaFilter& area, std::string_view officer,
      std::string_view client_key) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        VisitQuery("ins.visit_key", "v.officer = ?1 AND v.client_key = ?2", a));
    s->Bind(1, officer).Bind(2, client_key);
    a.Bind(*s);
    return ReadFirst<Visit>(*s, ReadVisit);
  }

  Result<InsuranceSnapshot> LoadSnapshot(
      const AreaFilter& area, const SnapshotOptions& options) override {
    return LoadInsuranceSnapshot(session_, area, options);
  }

  Result<int64_t> CountEntries(const AreaFilter& area) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins.count_entries" + a.key,
                          "SELECT count(*) FROM insurance_entries e JOIN "
                          "persons p ON p.pid = e.pid JOIN households h ON "
                          "h.hh = p.hh WHERE " +
                              a.sql));
    a.Bind(*s);
    return Scalar(*s);
  }

 protected:
  Result<std::optional<PersonKey>> LocatePerson(
      std::string_view register_no) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins.locate_person",
                          "SELECT p.pid, h.soum_code, p.deactivated_on IS "
                          "NULL AND h.deactivated_on IS NULL FROM persons p "
                          "JOIN households h ON h.hh = p.hh WHERE "
                          "p.register_no = ?1"));
    s->Bind(1, register_no);
    return ReadFirst<PersonKey>(*s, [](const Stmt& q) {
      return PersonKey{q.Int(0), static_cast<int32_t>(q.Int(1)), q.Int(2) != 0};
    });
  }

  Result<std::optional<int64_t>> ReversalOf(int64_t entry_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins.reversal_of",
                          "SELECT id FROM insurance_entries WHERE reverses = "
                          "?1"));
    s->Bind(1, entry_id);
    return ReadFirst<int64_t>(*s, [](const Stmt& q) { return q.Int(0); });
  }

  Result<std::optional<int64_t>> InsertRemittance(
      const Remittance& r, std::string_view recorded_at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "ins.insert_remittance",
            "INSERT INTO insurance_remittances (payer, paid_on, amount, "
            "allocated, unallocated, method, note, recorded_at, actor, "
            "client_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON "
            "CONFLICT DO NOTHING"));
    s->Bind(1, std::string_view(r.payer))
        .Bind(2, std::string_view(r.paid_on.ToString()))
        .Bind(3, r.amount)
        .Bind(4, r.allocated)
        .Bind(5, r.unallocated)
        .Bind(6, PaymentMethodName(r.method))
        .Bind(7, std::string_view(r.note))
        .Bind(8, recorded_at)
        .Bind(9, std::string_view(r.actor));
    BindOrNull(*s, 10, r.client_key);
    return Inserted(*s);
  }

  Result<std::optional<int64_t>> InsertEntry(int64_t pid,
                                             const LedgerEntry& e) override {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s, EntryInsert());
    BindEntry(*s, pid, e);
    return Inserted(*s);
  }

  Status ReplaceCoverage(int64_t pid, InsuranceScheme scheme,
                         const std::vector<CoverageSpan>& spans) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * del, session_.Prepared("ins.delete_coverage",
                                      "DELETE FROM insurance_coverage WHERE "
                                      "pid = ?1 AND scheme = ?2"));
    del->Bind(1, pid).Bind(2, InsuranceSchemeName(scheme));
    MALCHIN_RETURN_IF_ERROR(del->Run());
    return InsertSpans(pid, scheme, spans);
  }

  Result<int64_t> InsertServiceCredit(int64_t pid, const ServiceCredit& c,
                                      std::string_view recorded_at,
                                      std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s, CreditInsert());
    BindCredit(*s, pid, c, recorded_at, actor);
    MALCHIN_RETURN_IF_ERROR(s->Run());
    return sqlite3_last_insert_rowid(session_.db().raw());
  }

  Result<std::optional<int64_t>> InsertVisit(
      int64_t pid, const Visit& v, std::string_view recorded_at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins.insert_visit",
                          "INSERT INTO insurance_visits (pid, visited_on, "
                          "outcome, officer, note, recorded_at, client_key) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO "
                          "NOTHING"));
    s->Bind(1, pid)
        .Bind(2, std::string_view(v.visited_on.ToString()))
        .Bind(3, VisitOutcomeName(v.outcome))
        .Bind(4, std::string_view(v.officer))
        .Bind(5, std::string_view(v.note))
        .Bind(6, recorded_at);
    BindOrNull(*s, 7, v.client_key);
    return Inserted(*s);
  }

  Result<bool> LedgerIsEmpty() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("ins.ledger_used",
                                    "SELECT EXISTS (SELECT 1 FROM "
                                    "insurance_entries) OR EXISTS (SELECT 1 "
                                    "FROM insurance_service_credits)"));
    MALCHIN_ASSIGN_OR_RETURN(int64_t used, Scalar(*s));
    return used == 0;
  }

  Status InsertSeedRows(const InsuranceSnapshot& snap, const SeedRows& rows,
                        std::string_view recorded_at,
                        std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * ins, EntryInsert());
    for (size_t i = 0; i < rows.entries.size(); ++i) {
      LedgerEntry e = rows.entries[i];
      e.recorded_at = recorded_at;
      e.actor = actor;
      BindEntry(*ins, snap.pid[rows.entry_person[i]], e);
      MALCHIN_RETURN_IF_ERROR(ins->Run());
    }
    for (size_t i = 0; i < rows.coverage.size(); ++i) {
      MALCHIN_RETURN_IF_ERROR(InsertSpans(snap.pid[rows.coverage_person[i]],
                                          rows.coverage[i].scheme,
                                          rows.coverage[i].spans));
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt * cred, CreditInsert());
    for (size_t i = 0; i < rows.credits.size(); ++i) {
      BindCredit(*cred, snap.pid[rows.credit_person[i]], rows.credits[i],
                 recorded_at, actor);
      MALCHIN_RETURN_IF_ERROR(cred->Run());
    }
    return Status::Ok();
  }

 private:
  // The entries (or visits) of persons in the area matching `where`, which
  // uses ?1 and ?2 only; by id (visits: by date then id).
  Result<Stmt*> EntryQuery(const std::string& name, const char* where,
                           const AreaClause& a) {
    return session_.Prepared(
        name + a.key, std::string("SELECT ") + kEntryColumns +
                          " FROM insurance_entries e JOIN persons p ON p.pid "
                          "= e.pid JOIN households h ON h.hh = p.hh WHERE " +
                          where + " AND " + a.sql + " ORDER BY e.id");
  }
  Result<Stmt*> VisitQuery(const std::string& name, const char* where,
                           const AreaClause& a) {
    return session_.Prepared(
        name + a.key, std::string("SELECT ") + kVisitColumns +
                          " FROM insurance_visits v JOIN persons p ON p.pid = "
                          "v.pid JOIN households h ON h.hh = p.hh WHERE " +
                          where + " AND " + a.sql +
                          " ORDER BY v.visited_on, v.id");
  }

  // The first column of the one row of `s`.
  static Result<int64_t> Scalar(Stmt& s) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    int64_t n = row ? s.Int(0) : 0;
    if (row) s.Reset();
    return n;
  }

  // Runs an INSERT ... ON CONFLICT DO NOTHING: the new row id, or nullopt
  // when a uniqueness constraint skipped it.
  Result<std::optional<int64_t>> Inserted(Stmt& s) {
    MALCHIN_RETURN_IF_ERROR(s.Run());
    if (session_.db().Changes() == 0) return std::optional<int64_t>();
    return std::optional<int64_t>(
        sqlite3_last_insert_rowid(session_.db().raw()));
  }

  Result<Stmt*> EntryInsert() {
    return session_.Prepared(
        "ins.insert_entry",
        "INSERT INTO insurance_entries (pid, scheme, first_month, months, "
        "paid_on, amount, due, income_base, method, payer, remittance_id, "
        "reverses, in_kind_item, in_kind_quantity, in_kind_unit_price, "
        "in_kind_price_from, in_kind_price_source, note, recorded_at, actor, "
        "client_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) ON CONFLICT DO "
        "NOTHING");
  }

  static void BindEntry(Stmt& s, int64_t pid, const LedgerEntry& e) {
    s.Bind(1, pid)
        .Bind(2, InsuranceSchemeName(e.scheme))
        .Bind(3, e.first_month)
        .Bind(4, e.months)
        .Bind(5, std::string_view(e.paid_on.ToString()))
        .Bind(6, e.amount)
        .Bind(7, e.due)
        .Bind(8, e.income_base)
        .Bind(9, PaymentMethodName(e.method))
        .Bind(10, std::string_view(e.payer));
    BindIdOrNull(s, 11, e.remittance_id);
    BindIdOrNull(s, 12, e.reverses);
    if (e.in_kind) {
      s.Bind(13, std::string_view(e.in_kind->item))
          .Bind(14, e.in_kind->quantity)
          .Bind(15, e.in_kind->unit_price)
          .Bind(16, std::string_view(e.in_kind->price_from.ToString()))
          .Bind(17, std::string_view(e.in_kind->price_source));
    } else {
      for (int i = 13; i <= 17; ++i) s.BindNull(i);
    }
    s.Bind(18, std::string_view(e.note))
        .Bind(19, std::string_view(e.recorded_at))
        .Bind(20, std::string_view(e.actor));
    BindOrNull(s, 21, e.client_key);
  }

  Status InsertSpans(int64_t pid, InsuranceScheme scheme,
                     const std::vector<CoverageSpan>& spans) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("ins.insert_coverage",
                                    "INSERT INTO insurance_coverage (pid, "
                                    "scheme, first_month, last_month) VALUES "
                                    "(?1, ?2, ?3, ?4)"));
    for (const auto& span : spans) {
      s->Bind(1, pid)
          .Bind(2, InsuranceSchemeName(scheme))
          .Bind(3, span.first_month)
          .Bind(4, span.last_month);
      MALCHIN_RETURN_IF_ERROR(s->Run());
    }
    return Status::Ok();
  }

  Result<Stmt*> CreditInsert() {
    return session_.Prepared(
        "ins.insert_credit",
        "INSERT INTO insurance_service_credits (pid, months, herding_months, "
        "until_month, average_income, source, recorded_at, actor) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  }

  static void BindCredit(Stmt& s, int64_t pid, const ServiceCredit& c,
                         std::string_view recorded_at, std::string_view actor) {
    s.Bind(1, pid)
        .Bind(2, c.months)
        .Bind(3, c.herding_months)
        .Bind(4, c.until_month)
        .Bind(5, c.average_income)
        .Bind(6, std::string_view(c.source))
        .Bind(7, recorded_at)
        .Bind(8, actor);
  }

  SqliteSession& session_;
};

}  // namespace

void RegisterInsuranceRepositories(Factories* f) {
  f->Add<insurance::Repository, SqliteInsuranceRepository>();
}

}  // namespace malchin::backends::sqlite
