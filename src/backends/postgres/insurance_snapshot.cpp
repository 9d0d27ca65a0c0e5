// The PostgreSQL engine's insurance snapshot and demo-history load. The
// snapshot reads the area's persons with their households in one join (the
// households come with their persons: no scan of the country's households),
// coverage spans in key order, and service credits and latest visits
// already reduced to one row per person by the server.
#include "backends/postgres/insurance_snapshot.h"

#include <charconv>
#include <climits>

#include "backends/postgres/copy.h"

namespace malchin::backends::postgres {
namespace {

using insurance::CoverageSpan;
using insurance::InsuranceScheme;
using insurance::InsuranceSnapshot;
using insurance::kInsuranceSchemeCount;
using insurance::SnapshotOptions;

// Fast readers for the snapshot's millions of fields (text protocol).
int64_t Int(const pqxx::field& f) {
  int64_t v = 0;
  const char* s = f.c_str();
  std::from_chars(s, s + f.size(), v);
  return v;
}
int32_t Int32(const pqxx::field& f) { return static_cast<int32_t>(Int(f)); }
bool Bool(const pqxx::field& f) { return f.c_str()[0] == 't'; }

// Indexes of the snapshot by the store's keys.
struct Index {
  std::vector<int32_t> household;  // By households.hh.
  std::vector<int32_t> person;     // By persons.pid.
  int32_t Person(int64_t pid) const {
    return pid >= 0 && pid < static_cast<int64_t>(person.size()) ? person[pid]
                                                                 : -1;
  }
};

void Put(std::vector<int32_t>& v, int64_t key, int32_t value) {
  if (key >= static_cast<int64_t>(v.size())) v.resize(key + 1, -1);
  v[key] = value;
}

// A statement over a table keyed by pid, restricted to the persons of the
// area ($1), or over the whole table for the whole country (no parameter:
// a plain scan). `tail` follows the condition.
Result<pqxx::result> OfPersons(PgSession& s, const std::string& name,
                               const std::string& select, const PgArea& a,
                               const std::string& tail) {
  if (a.key == "#n") return s.Prepared(name + a.key, select + " " + tail);
  return s.Prepared(name + a.key,
                    select +
                        " WHERE pid IN (SELECT p.pid FROM persons p JOIN "
                        "households h ON h.hh = p.hh WHERE " +
                        a.sql + ") " + tail,
                    a.value);
}

std::string PersonSql(const SnapshotOptions& o, const PgArea& a) {
  std::string sql =
      "SELECT p.pid, p.hh, h.soum_code, p.born, p.sex = 'M', p.disability, "
      "p.herder";
  if (o.names) {
    sql +=
        ", p.register_no, p.father_name || ' ' || p.given_name, p.phone, "
        "h.id, h.bag, h.phone, h.lat, h.lon";
  }
  sql +=
      " FROM persons p JOIN households h ON h.hh = p.hh WHERE "
      "p.deactivated_on IS NULL AND h.deactivated_on IS NULL AND ";
  // A literal condition, so that the partial index insurance_herders serves.
  if (o.herders_only) sql += "p.herder AND ";
  if (!o.bag.empty()) sql += "h.bag = $2 AND ";
  return sql + a.sql + " ORDER BY p.pid";
}

void AddHousehold(const pqxx::row& r, bool names, InsuranceSnapshot& snap) {
  snap.soum_code.push_back(Int32(r[2]));
  if (!names) return;
  snap.household_id.push_back(PgText(r[10]));
  snap.bag.push_back(PgText(r[11]));
  snap.household_phone.push_back(PgText(r[12]));
  snap.lat.push_back(PgOptReal(r[13]));
  snap.lon.push_back(PgOptReal(r[14]));
}

// Persons by pid (coverage rows, by pid too, then fill in order), each
// household once, numbered as first met.
Status ReadPersons(PgSession& s, const PgArea& a, const SnapshotOptions& o,
                   InsuranceSnapshot& snap, Index& index) {
  std::string name = std::string("ins.snap_p") + (o.names ? "n" : "") +
                     (o.herders_only ? "h" : "") + (o.bag.empty() ? "" : "b") +
                     a.key;
  std::string sql = PersonSql(o, a);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows, o.bag.empty() ? s.Prepared(name, sql, a.value)
                                       : s.Prepared(name, sql, a.value, o.bag));
  const size_t n = rows.size();
  snap.pid.reserve(n);
  snap.household.reserve(n);
  snap.birth_days.reserve(n);
  snap.sex.reserve(n);
  snap.disability.reserve(n);
  snap.herder.reserve(n);
  for (const pqxx::row& r : rows) {
    int64_t hh = Int(r[1]);
    if (hh >= static_cast<int64_t>(index.household.size()) ||
        index.household[hh] < 0) {
      Put(index.household, hh, static_cast<int32_t>(snap.households()));
      AddHousehold(r, o.names, snap);
    }
    int64_t pid = Int(r[0]);
    Put(index.person, pid, static_cast<int32_t>(snap.persons()));
    snap.pid.push_back(pid);
    snap.household.push_back(index.household[hh]);
    snap.birth_days.push_back(Int32(r[3]));
    snap.sex.push_back(Bool(r[4]));
    snap.disability.push_back(Bool(r[5]));
    snap.herder.push_back(Bool(r[6]));
    if (o.names) {
      snap.register_no.push_back(PgText(r[7]));
      snap.name.push_back(PgText(r[8]));
      snap.phone.push_back(PgText(r[9]));
    }
  }
  return Status::Ok();
}

// Both schemes in one pass in key order (pid, scheme, first_month); rows
// of persons outside the snapshot are skipped.
Status ReadCoverage(PgSession& s, const PgArea& a, InsuranceSnapshot& snap,
                    const Index& index) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      OfPersons(s, "ins.snap_coverage",
                "SELECT pid, scheme = 'social', first_month, last_month FROM "
                "insurance_coverage",
                a, "ORDER BY pid, scheme, first_month"));
  const size_t n = snap.persons();
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    snap.span_begin[sc].assign(n + 1, 0);
    snap.spans[sc].reserve(rows.size());
  }
  // Rows come by pid, and persons are numbered by pid: spans are appended
  // in person order, and span_begin[p + 1] counts them.
  for (const pqxx::row& r : rows) {
    int32_t p = index.Person(Int(r[0]));
    if (p < 0) continue;
    int sc = static_cast<int>(Bool(r[1]) ? InsuranceScheme::kSocial
                                         : InsuranceScheme::kHealth);
    snap.spans[sc].push_back({Int32(r[2]), Int32(r[3])});
    ++snap.span_begin[sc][p + 1];
  }
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    for (size_t i = 1; i <= n; ++i) {
      snap.span_begin[sc][i] += snap.span_begin[sc][i - 1];
    }
  }
  return Status::Ok();
}

Status ReadCredits(PgSession& s, const PgArea& a, InsuranceSnapshot& snap,
                   const Index& index) {
  snap.credit_months.assign(snap.persons(), 0);
  snap.credit_herding_months.assign(snap.persons(), 0);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      OfPersons(s, "ins.snap_credits",
                "SELECT pid, sum(months), sum(herding_months) FROM "
                "insurance_service_credits",
                a, "GROUP BY pid"));
  for (const pqxx::row& r : rows) {
    int32_t p = index.Person(Int(r[0]));
    if (p < 0) continue;
    snap.credit_months[p] = Int32(r[1]);
    snap.credit_herding_months[p] = Int32(r[2]);
  }
  return Status::Ok();
}

// Each person's latest visit (by date, then id).
Status ReadVisits(PgSession& s, const PgArea& a, InsuranceSnapshot& snap,
                  const Index& index) {
  snap.last_visit_days.assign(snap.persons(), INT32_MIN);
  snap.last_visit_outcome.assign(snap.persons(), -1);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      OfPersons(s, "ins.snap_visits",
                "SELECT DISTINCT ON (pid) pid, visited_on - DATE "
                "'1970-01-01', outcome FROM insurance_visits",
                a, "ORDER BY pid, visited_on DESC, id DESC"));
  for (const pqxx::row& r : rows) {
    int32_t p = index.Person(Int(r[0]));
    if (p < 0) continue;
    MALCHIN_ASSIGN_OR_RETURN(insurance::VisitOutcome o,
                             insurance::ParseVisitOutcome(PgText(r[2])));
    snap.last_visit_days[p] = Int32(r[1]);
    snap.last_visit_outcome[p] = static_cast<int8_t>(o);
  }
  return Status::Ok();
}

}  // namespace

Result<InsuranceSnapshot> LoadInsuranceSnapshot(
    PgSession& session, const store::AreaFilter& area,
    const SnapshotOptions& options) {
  PgArea a = session.Area(area, "h.soum_code", 1);
  InsuranceSnapshot snap;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    snap = InsuranceSnapshot();
    Index index;
    MALCHIN_RETURN_IF_ERROR(ReadPersons(session, a, options, snap, index));
    MALCHIN_RETURN_IF_ERROR(ReadCoverage(session, a, snap, index));
    MALCHIN_RETURN_IF_ERROR(ReadCredits(session, a, snap, index));
    return ReadVisits(session, a, snap, index);
  }));
  return snap;
}

Status CopyInsuranceSeed(PgSession& session, const InsuranceSnapshot& snap,
                         const insurance::Repository::SeedRows& rows,
                         std::string_view recorded_at, std::string_view actor) {
  auto aimag = [&](int32_t p) {
    return snap.soum_code[snap.household[p]] / 100;
  };
  {
    MALCHIN_ASSIGN_OR_RETURN(
        auto copy,
        PgCopy::Start(
            session, "insurance_entries",
            {"pid", "aimag_code", "scheme", "first_month", "months", "paid_on",
             "amount", "due", "income_base", "method", "payer", "in_kind_item",
             "in_kind_quantity", "in_kind_unit_price", "in_kind_price_from",
             "in_kind_price_source", "note", "recorded_at", "actor"}));
    for (size_t i = 0; i < rows.entries.size(); ++i) {
      const insurance::LedgerEntry& e = rows.entries[i];
      const int32_t p = rows.entry_person[i];
      const auto& k = e.in_kind;
      MALCHIN_RETURN_IF_ERROR(copy->Row(
          snap.pid[p], aimag(p), insurance::InsuranceSchemeName(e.scheme),
          e.first_month, e.months, e.paid_on, e.amount, e.due, e.income_base,
          insurance::PaymentMethodName(e.method), e.payer,
          k ? ToPg(k->item) : std::nullopt,
          k ? ToPg(k->quantity) : std::nullopt,
          k ? ToPg(k->unit_price) : std::nullopt,
          k ? ToPg(k->price_from) : std::nullopt,
          k ? ToPg(k->price_source) : std::nullopt, e.note, recorded_at,
          actor));
    }
    MALCHIN_RETURN_IF_ERROR(copy->Finish().status());
  }
  {
    MALCHIN_ASSIGN_OR_RETURN(
        auto copy,
        PgCopy::Start(session, "insurance_coverage",
                      {"pid", "scheme", "first_month", "last_month"}));
    for (size_t i = 0; i < rows.coverage.size(); ++i) {
      const insurance::CoverageUpdate& c = rows.coverage[i];
      for (const CoverageSpan& span : c.spans) {
        MALCHIN_RETURN_IF_ERROR(
            copy->Row(snap.pid[rows.coverage_person[i]],
                      insurance::InsuranceSchemeName(c.scheme),
                      span.first_month, span.last_month));
      }
    }
    MALCHIN_RETURN_IF_ERROR(copy->Finish().status());
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto copy,
      PgCopy::Start(session, "insurance_service_credits",
                    {"pid", "months", "herding_months", "until_month",
                     "average_income", "source", "recorded_at", "actor"}));
  for (size_t i = 0; i < rows.credits.size(); ++i) {
    const insurance::ServiceCredit& c = rows.credits[i];
    MALCHIN_RETURN_IF_ERROR(copy->Row(
        snap.pid[rows.credit_person[i]], c.months, c.herding_months,
        c.until_month, c.average_income, c.source, recorded_at, actor));
  }
  return copy->Finish().status();
}

}  // namespace malchin::backends::postgres
