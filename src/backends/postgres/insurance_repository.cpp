// The PostgreSQL engine's insurance::Repository: data access only
// (migration 0004); the ledger's rules are the capability's
// (src/insurance/ledger_rules.cpp). The snapshot is insurance_snapshot.cpp.
// Inserts that a uniqueness may refuse (idempotency keys, one reversal per
// entry) are ON CONFLICT DO NOTHING, so the transaction goes on and the
// rules report it.
#include "backends/postgres/copy.h"
#include "backends/postgres/insurance_snapshot.h"
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "insurance/repository.h"

namespace malchin::backends::postgres {
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

Result<LedgerEntry> ReadEntry(const pqxx::row& r) {
  LedgerEntry e;
  e.id = PgInt(r[0]);
  e.register_no = PgText(r[1]);
  MALCHIN_ASSIGN_OR_RETURN(e.scheme, ParseInsuranceScheme(PgText(r[2])));
  e.first_month = static_cast<int32_t>(PgInt(r[3]));
  e.months = static_cast<int32_t>(PgInt(r[4]));
  e.paid_on = PgDate(r[5]);
  e.amount = PgInt(r[6]);
  e.due = PgInt(r[7]);
  e.income_base = PgInt(r[8]);
  MALCHIN_ASSIGN_OR_RETURN(e.method, ParsePaymentMethod(PgText(r[9])));
  e.payer = PgText(r[10]);
  e.remittance_id = PgInt(r[11]);
  e.reverses = PgInt(r[12]);
  if (!r[13].is_null()) {
    e.in_kind = InKindValuation{PgText(r[13]), PgReal(r[14]), PgInt(r[15]),
                                PgDate(r[16]), PgText(r[17])};
  }
  e.note = PgText(r[18]);
  e.recorded_at = PgText(r[19]);
  e.actor = PgText(r[20]);
  e.client_key = PgText(r[21]);
  return e;
}

Result<Visit> ReadVisit(const pqxx::row& r) {
  Visit v;
  v.id = PgInt(r[0]);
  v.register_no = PgText(r[1]);
  v.visited_on = PgDate(r[2]);
  MALCHIN_ASSIGN_OR_RETURN(v.outcome, ParseVisitOutcome(PgText(r[3])));
  v.officer = PgText(r[4]);
  v.note = PgText(r[5]);
  v.client_key = PgText(r[6]);
  return v;
}

Result<Remittance> ReadRemittance(const pqxx::row& r) {
  Remittance m;
  m.id = PgInt(r[0]);
  m.payer = PgText(r[1]);
  m.paid_on = PgDate(r[2]);
  m.amount = PgInt(r[3]);
  m.allocated = PgInt(r[4]);
  m.unallocated = PgInt(r[5]);
  MALCHIN_ASSIGN_OR_RETURN(m.method, ParsePaymentMethod(PgText(r[6])));
  m.note = PgText(r[7]);
  m.actor = PgText(r[8]);
  m.client_key = PgText(r[9]);
  return m;
}

// The id RETURNING gave, or nullopt when ON CONFLICT skipped the row.
std::optional<int64_t> Returned(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return PgInt(rows[0][0]);
}

// Empty text and zero ids are NULL in these columns.
std::optional<std::string> OrNull(const std::string& v) {
  if (v.empty()) return std::nullopt;
  return v;
}
std::optional<int64_t> IdOrNull(int64_t id) {
  if (!id) return std::nullopt;
  return id;
}

class PgInsuranceRepository final : public insurance::Repository {
 public:
  explicit PgInsuranceRepository(PgSession& s)
      : insurance::Repository(s), s_(s) {}

  Result<std::optional<InsuredPerson>> FindPerson(
      const AreaFilter& area, std::string_view register_no) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared(
            "ins.person" + a.key,
            "SELECT p.register_no, h.id, p.father_name || ' ' || "
            "p.given_name, h.soum_code, h.bag, p.sex, p.born, p.disability, "
            "p.herder, CASE WHEN p.phone <> '' THEN p.phone ELSE h.phone "
            "END, h.lat, h.lon, h.cooperative FROM persons p JOIN households "
            "h ON h.hh = p.hh WHERE p.register_no = $1 AND p.deactivated_on "
            "IS NULL AND h.deactivated_on IS NULL AND " +
                a.sql,
            register_no, a.value));
    return ReadFirst<InsuredPerson>(
        rows, [](const pqxx::row& r) -> Result<InsuredPerson> {
          InsuredPerson p;
          p.register_no = PgText(r[0]);
          p.household_id = PgText(r[1]);
          p.name = PgText(r[2]);
          p.soum_code = static_cast<int32_t>(PgInt(r[3]));
          p.bag = PgText(r[4]);
          p.sex = PgText(r[5]) == "M" ? registry::Sex::kMale
                                      : registry::Sex::kFemale;
          p.birth_date = Date::FromDays(static_cast<int32_t>(PgInt(r[6])));
          p.disability = PgBool(r[7]);
          p.herder = PgBool(r[8]);
          p.phone = PgText(r[9]);
          p.lat = PgOptReal(r[10]);
          p.lon = PgOptReal(r[11]);
          p.cooperative = PgText(r[12]);
          return p;
        });
  }

  Result<std::vector<LedgerEntry>> Entries(
      const AreaFilter& area, std::string_view register_no) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared(EntryQuery("ins.entries", a),
                    EntrySql("p.register_no = $1", a), register_no, a.value));
    return ReadAll<LedgerEntry>(rows, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntry(const AreaFilter& area,
                                               int64_t id) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows, s_.Prepared(EntryQuery("ins.entry", a),
                                       EntrySql("e.id = $1", a), id, a.value));
    return ReadFirst<LedgerEntry>(rows, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      const AreaFilter& area, std::string_view actor,
      std::string_view client_key) override {
    PgArea a = s_.Area(area, "h.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared(EntryQuery("ins.entry_key", a),
                    EntrySql("e.actor = $1 AND e.client_key = $2", a), actor,
                    client_key, a.value));
    return ReadFirst<LedgerEntry>(rows, ReadEntry);
  }

  Result<std::optional<Remittance>> FindRemittanceByClientKey(
      std::string_view actor, std::string_view client_key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.remittance_key",
                    "SELECT id, payer, paid_on, amount, allocated, "
                    "unallocated, method, note, actor, client_key FROM "
                    "insurance_remittances WHERE actor = $1 AND client_key "
                    "= $2",
                    actor, client_key));
    return ReadFirst<Remittance>(rows, ReadRemittance);
  }

  Result<std::vector<LedgerEntry>> RemittanceEntries(
      const AreaFilter& area, int64_t remittance_id) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows, s_.Prepared(EntryQuery("ins.remittance_entries", a),
                                       EntrySql("e.remittance_id = $1", a),
                                       remittance_id, a.value));
    return ReadAll<LedgerEntry>(rows, ReadEntry);
  }

  Result<std::vector<CoverageSpan>> Coverage(const AreaFilter& area,
                                             std::string_view register_no,
                                             InsuranceScheme scheme) override {
    PgArea a = s_.Area(area, "h.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.coverage" + a.key,
                    "SELECT c.first_month, c.last_month FROM "
                    "insurance_coverage c JOIN persons p ON p.pid = c.pid "
                    "JOIN households h ON h.hh = p.hh WHERE p.register_no = "
                    "$1 AND c.scheme = $2 AND " +
                        a.sql + " ORDER BY c.first_month",
                    register_no, InsuranceSchemeName(scheme), a.value));
    return ReadAll<CoverageSpan>(rows, [](const pqxx::row& r) {
      return Result<CoverageSpan>(
          CoverageSpan{static_cast<int32_t>(PgInt(r[0])),
                       static_cast<int32_t>(PgInt(r[1]))});
    });
  }

  Result<std::vector<ServiceCredit>> ServiceCredits(
      const AreaFilter& area, std::string_view register_no) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.credits" + a.key,
                    "SELECT p.register_no, c.months, c.herding_months, "
                    "c.until_month, c.average_income, c.source FROM "
                    "insurance_service_credits c JOIN persons p ON p.pid = "
                    "c.pid JOIN households h ON h.hh = p.hh WHERE "
                    "p.register_no = $1 AND " +
                        a.sql + " ORDER BY c.id",
                    register_no, a.value));
    return ReadAll<ServiceCredit>(rows, [](const pqxx::row& r) {
      return Result<ServiceCredit>(ServiceCredit{
          PgText(r[0]), static_cast<int32_t>(PgInt(r[1])),
          static_cast<int32_t>(PgInt(r[2])), static_cast<int32_t>(PgInt(r[3])),
          PgInt(r[4]), PgText(r[5])});
    });
  }

  Result<std::vector<Visit>> Visits(const AreaFilter& area,
                                    std::string_view register_no) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.visits" + a.key, VisitSql("p.register_no = $1", a),
                    register_no, a.value));
    return ReadAll<Visit>(rows, ReadVisit);
  }

  Result<std::optional<Visit>> FindVisitByClientKey(
      const AreaFilter& area, std::string_view officer,
      std::string_view client_key) override {
    PgArea a = s_.Area(area, "h.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.visit_key" + a.key,
                    VisitSql("v.officer = $1 AND v.client_key = $2", a),
                    officer, client_key, a.value));
    return ReadFirst<Visit>(rows, ReadVisit);
  }

  Result<InsuranceSnapshot> LoadSnapshot(
      const AreaFilter& area, const SnapshotOptions& options) override {
    return LoadInsuranceSnapshot(s_, area, options);
  }

  Result<int64_t> CountEntries(const AreaFilter& area) override {
    PgArea a = s_.Area(area, "h.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.count_entries" + a.key,
                    "SELECT count(*) FROM insurance_entries e JOIN persons p "
                    "ON p.pid = e.pid JOIN households h ON h.hh = p.hh "
                    "WHERE " +
                        a.sql,
                    a.value));
    return PgInt(rows[0][0]);
  }

 protected:
  Result<std::optional<PersonKey>> LocatePerson(
      std::string_view register_no) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.locate_person",
                    "SELECT p.pid, h.soum_code, p.deactivated_on IS NULL AND "
                    "h.deactivated_on IS NULL FROM persons p JOIN households "
                    "h ON h.hh = p.hh WHERE p.register_no = $1",
                    register_no));
    if (rows.empty()) return std::optional<PersonKey>();
    return std::optional<PersonKey>(
        PersonKey{PgInt(rows[0][0]), static_cast<int32_t>(PgInt(rows[0][1])),
                  PgBool(rows[0][2])});
  }

  Result<std::optional<int64_t>> ReversalOf(int64_t entry_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.reversal_of",
                    "SELECT id FROM insurance_entries WHERE reverses = $1",
                    entry_id));
    return Returned(rows);
  }

  Result<std::optional<int64_t>> InsertRemittance(
      const Remittance& r, std::string_view recorded_at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.insert_remittance",
                    "INSERT INTO insurance_remittances (payer, paid_on, "
                    "amount, allocated, unallocated, method, note, "
                    "recorded_at, actor, client_key) VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING "
                    "RETURNING id",
                    r.payer, r.paid_on, r.amount, r.allocated, r.unallocated,
                    PaymentMethodName(r.method), r.note, recorded_at, r.actor,
                    OrNull(r.client_key)));
    return Returned(rows);
  }

  Result<std::optional<int64_t>> InsertEntry(int64_t pid,
                                             const LedgerEntry& e) override {
    std::optional<InKindValuation> k = e.in_kind;
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared(
            "ins.insert_entry",
            "INSERT INTO insurance_entries (pid, aimag_code, scheme, "
            "first_month, months, paid_on, amount, due, income_base, method, "
            "payer, remittance_id, reverses, in_kind_item, in_kind_quantity, "
            "in_kind_unit_price, in_kind_price_from, in_kind_price_source, "
            "note, recorded_at, actor, client_key) VALUES ($1, (SELECT "
            "aimag_code FROM persons WHERE pid = $1), $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, "
            "$21) ON CONFLICT DO NOTHING RETURNING id",
            pid, InsuranceSchemeName(e.scheme), e.first_month, e.months,
            e.paid_on, e.amount, e.due, e.income_base,
            PaymentMethodName(e.method), e.payer, IdOrNull(e.remittance_id),
            IdOrNull(e.reverses), k ? ToPg(k->item) : std::nullopt,
            k ? ToPg(k->quantity) : std::nullopt,
            k ? ToPg(k->unit_price) : std::nullopt,
            k ? ToPg(k->price_from) : std::nullopt,
            k ? ToPg(k->price_source) : std::nullopt, e.note, e.recorded_at,
            e.actor, OrNull(e.client_key)));
    return Returned(rows);
  }

  Status ReplaceCoverage(int64_t pid, InsuranceScheme scheme,
                         const std::vector<CoverageSpan>& spans) override {
    const std::string_view sc = InsuranceSchemeName(scheme);
    MALCHIN_RETURN_IF_ERROR(
        s_.Prepared("ins.delete_coverage",
                    "DELETE FROM insurance_coverage WHERE pid = $1 AND "
                    "scheme = $2",
                    pid, sc)
            .status());
    for (const CoverageSpan& span : spans) {
      MALCHIN_RETURN_IF_ERROR(
          s_.Prepared("ins.insert_coverage",
                      "INSERT INTO insurance_coverage (pid, scheme, "
                      "first_month, last_month) VALUES ($1, $2, $3, $4)",
                      pid, sc, span.first_month, span.last_month)
              .status());
    }
    return Status::Ok();
  }

  Result<int64_t> InsertServiceCredit(int64_t pid, const ServiceCredit& c,
                                      std::string_view recorded_at,
                                      std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.insert_credit",
                    "INSERT INTO insurance_service_credits (pid, months, "
                    "herding_months, until_month, average_income, source, "
                    "recorded_at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                    "$8) RETURNING id",
                    pid, c.months, c.herding_months, c.until_month,
                    c.average_income, c.source, recorded_at, actor));
    return PgInt(rows[0][0]);
  }

  Result<std::optional<int64_t>> InsertVisit(
      int64_t pid, const Visit& v, std::string_view recorded_at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.insert_visit",
                    "INSERT INTO insurance_visits (pid, visited_on, outcome, "
                    "officer, note, recorded_at, client_key) VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
                    pid, v.visited_on, VisitOutcomeName(v.outcome), v.officer,
                    v.note, recorded_at, OrNull(v.client_key)));
    return Returned(rows);
  }

  Result<bool> LedgerIsEmpty() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("ins.ledger_used",
                    "SELECT EXISTS (SELECT 1 FROM insurance_entries) OR "
                    "EXISTS (SELECT 1 FROM insurance_service_credits)"));
    return !PgBool(rows[0][0]);
  }

  Status InsertSeedRows(const InsuranceSnapshot& snap, const SeedRows& rows,
                        std::string_view recorded_at,
                        std::string_view actor) override {
    return CopyInsuranceSeed(s_, snap, rows, recorded_at, actor);
  }

 private:
  static std::string EntryQuery(const char* name, const PgArea& a) {
    return name + a.key;
  }
  // The entries (visits) of persons in the area matching `where`; by id
  // (visits: by date then id).
  static std::string EntrySql(const char* where, const PgArea& a) {
    return std::string("SELECT ") + kEntryColumns +
           " FROM insurance_entries e JOIN persons p ON p.pid = e.pid JOIN "
           "households h ON h.hh = p.hh WHERE " +
           where + " AND " + a.sql + " ORDER BY e.id";
  }
  static std::string VisitSql(const char* where, const PgArea& a) {
    return std::string("SELECT ") + kVisitColumns +
           " FROM insurance_visits v JOIN persons p ON p.pid = v.pid JOIN "
           "households h ON h.hh = p.hh WHERE " +
           where + " AND " + a.sql + " ORDER BY v.visited_on, v.id";
  }

  PgSession& s_;
};

}  // namespace

void RegisterInsuranceRepositories(PgFactories* f) {
  f->Add<insurance::Repository>(
      [](PgSession& s) { return std::make_unique<PgInsuranceRepository>(s); });
}

}  // namespace malchin::backends::postgres
