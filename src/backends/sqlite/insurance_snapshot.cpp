// The SQLite engine's insurance snapshot: the area's active persons with
// their households, coverage spans, service credits and latest visit, read
// in a few scans shaped for SQLite's indexes (docs/insurance.md#benchmarks).
#include "backends/sqlite/insurance_snapshot.h"

#include <climits>

namespace malchin::backends::sqlite {
namespace {

using insurance::CoverageSpan;
using insurance::InsuranceScheme;
using insurance::InsuranceSnapshot;
using insurance::kInsuranceSchemeCount;
using insurance::SnapshotOptions;

// Indexes of the snapshot by the store's keys (rowids are dense enough for
// a vector).
struct Index {
  std::vector<int32_t> household;  // By households.hh.
  std::vector<int32_t> person;     // By persons.pid.
  int32_t Person(int64_t pid) const {
    return pid < static_cast<int64_t>(person.size()) ? person[pid] : -1;
  }
};

void Put(std::vector<int32_t>& v, int64_t key, int32_t value) {
  if (key >= static_cast<int64_t>(v.size())) v.resize(key + 1, -1);
  v[key] = value;
}

// " WHERE pid IN (the persons of the area)" for a table keyed by pid, or ""
// for the whole country (a plain scan is faster then).
std::string PidsOf(const AreaClause& a) {
  if (a.key == "#n") return "";
  return " WHERE pid IN (SELECT p.pid FROM persons p JOIN households h ON "
         "h.hh = p.hh WHERE " +
         a.sql + ")";
}

// The area's active households (of the bag, if given). Without names only
// (hh, soum_code): the covering index households_soum is read instead of
// the table; an area's through that index (a soum, or an aimag's range).
Status ReadHouseholds(SqliteSession& session, const AreaClause& a,
                      const SnapshotOptions& o, InsuranceSnapshot& snap,
                      Index& index) {
  std::string sql =
      o.names ? "SELECT h.hh, h.soum_code, h.id, h.bag, h.phone, h.lat, h.lon "
                "FROM households h WHERE "
              : "SELECT h.hh, h.soum_code FROM households h WHERE ";
  if (!o.bag.empty()) sql += "h.bag = ?1 AND ";
  sql += "h.deactivated_on IS NULL AND " + a.sql;
  std::string name = std::string("ins.snap_hh") + (o.names ? "n" : "") +
                     (o.bag.empty() ? "" : "b") + a.key;
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s, session.Prepared(name, sql));
  if (!o.bag.empty()) s->Bind(1, std::string_view(o.bag));
  a.Bind(*s);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Put(index.household, s->Int(0), static_cast<int32_t>(snap.households()));
    snap.soum_code.push_back(static_cast<int32_t>(s->Int(1)));
    if (o.names) {
      snap.household_id.emplace_back(s->Text(2));
      snap.bag.emplace_back(s->Text(3));
      snap.household_phone.emplace_back(s->Text(4));
      snap.lat.push_back(s->IsNull(5) ? std::nullopt
                                      : std::optional<double>(s->Real(5)));
      snap.lon.push_back(s->IsNull(6) ? std::nullopt
                                      : std::optional<double>(s->Real(6)));
    }
  }
  return Status::Ok();
}

// Persons by pid, so that coverage rows (ordered by pid) merge-join. The
// whole register is read in one scan; an area through its households
// (index persons_household). The birth date is read as stored (days since
// 1970-01-01, column born).
Status ReadPersons(SqliteSession& session, const AreaClause& a,
                   const SnapshotOptions& o, InsuranceSnapshot& snap,
                   Index& index) {
  bool scoped = a.key != "#n";
  std::string sql =
      std::string(
          "SELECT p.pid, p.hh, p.born, p.sex = 'M', p.disability, p.herder") +
      (o.names ? ", p.register_no, p.father_name || ' ' || p.given_name, "
                 "p.phone"
               : "") +
      " FROM persons p ";
  sql += scoped ? "JOIN households h ON h.hh = p.hh WHERE " + a.sql + " AND "
                : std::string("WHERE ");
  // A literal condition, so that SQLite can use the partial index.
  sql += o.herders_only
             ? "p.herder = 1 AND p.deactivated_on IS NULL ORDER BY p.pid"
             : "p.deactivated_on IS NULL ORDER BY p.pid";
  std::string name = std::string("ins.snap_p") + (o.names ? "n" : "") +
                     (o.herders_only ? "h" : "") + a.key;
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s, session.Prepared(name, sql));
  a.Bind(*s);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    int64_t hh = s->Int(1);
    if (hh >= static_cast<int64_t>(index.household.size()) ||
        index.household[hh] < 0) {
      continue;
    }
    int64_t pid = s->Int(0);
    Put(index.person, pid, static_cast<int32_t>(snap.persons()));
    snap.pid.push_back(pid);
    snap.household.push_back(index.household[hh]);
    snap.birth_days.push_back(static_cast<int32_t>(s->Int(2)));
    snap.sex.push_back(s->Int(3) != 0);
    snap.disability.push_back(s->Int(4) != 0);
    snap.herder.push_back(s->Int(5) != 0);
    if (o.names) {
      snap.register_no.emplace_back(s->Text(6));
      snap.name.emplace_back(s->Text(7));
      snap.phone.emplace_back(s->Text(8));
    }
  }
  return Status::Ok();
}

// Both schemes in one pass in primary-key order (no sort); rows of persons
// outside the snapshot are skipped.
Status ReadCoverage(SqliteSession& session, const AreaClause& a,
                    InsuranceSnapshot& snap, const Index& index) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      session.Prepared("ins.snap_coverage" + a.key,
                       "SELECT pid, scheme = 'social', first_month, "
                       "last_month FROM insurance_coverage" +
                           PidsOf(a) + " ORDER BY pid, scheme, first_month"));
  a.Bind(*s);
  const size_t n = snap.persons();
  std::vector<uint32_t> count[kInsuranceSchemeCount];
  std::vector<std::pair<int32_t, CoverageSpan>> rows[kInsuranceSchemeCount];
  for (auto& c : count) c.assign(n + 1, 0);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    int32_t p = index.Person(s->Int(0));
    if (p < 0) continue;
    int sc = static_cast<int>(s->Int(1) != 0 ? InsuranceScheme::kSocial
                                             : InsuranceScheme::kHealth);
    rows[sc].push_back(
        {p,
         {static_cast<int32_t>(s->Int(2)), static_cast<int32_t>(s->Int(3))}});
    ++count[sc][p + 1];
  }
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    for (size_t i = 1; i <= n; ++i) count[sc][i] += count[sc][i - 1];
    snap.spans[sc].resize(rows[sc].size());
    std::vector<uint32_t> next(count[sc].begin(), count[sc].end() - 1);
    for (const auto& [p, span] : rows[sc]) snap.spans[sc][next[p]++] = span;
    snap.span_begin[sc] = std::move(count[sc]);
  }
  return Status::Ok();
}

Status ReadCredits(SqliteSession& session, const AreaClause& a,
                   InsuranceSnapshot& snap, const Index& index) {
  snap.credit_months.assign(snap.persons(), 0);
  snap.credit_herding_months.assign(snap.persons(), 0);
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, session.Prepared("ins.snap_credits" + a.key,
                                 "SELECT pid, months, herding_months FROM "
                                 "insurance_service_credits" +
                                     PidsOf(a)));
  a.Bind(*s);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    int32_t p = index.Person(s->Int(0));
    if (p < 0) continue;
    snap.credit_months[p] += static_cast<int32_t>(s->Int(1));
    snap.credit_herding_months[p] += static_cast<int32_t>(s->Int(2));
  }
  return Status::Ok();
}

Status ReadVisits(SqliteSession& session, const AreaClause& a,
                  InsuranceSnapshot& snap, const Index& index) {
  snap.last_visit_days.assign(snap.persons(), INT32_MIN);
  snap.last_visit_outcome.assign(snap.persons(), -1);
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, session.Prepared("ins.snap_visits" + a.key,
                                 "SELECT pid, visited_on, outcome FROM "
                                 "insurance_visits" +
                                     PidsOf(a) + " ORDER BY visited_on, id"));
  a.Bind(*s);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    int32_t p = index.Person(s->Int(0));
    if (p < 0) continue;
    MALCHIN_ASSIGN_OR_RETURN(Date d, Date::Parse(s->Text(1)));
    MALCHIN_ASSIGN_OR_RETURN(insurance::VisitOutcome o,
                             insurance::ParseVisitOutcome(s->Text(2)));
    snap.last_visit_days[p] = d.days();
    snap.last_visit_outcome[p] = static_cast<int8_t>(o);
  }
  return Status::Ok();
}

}  // namespace

Result<InsuranceSnapshot> LoadInsuranceSnapshot(
    SqliteSession& session, const store::AreaFilter& area,
    const SnapshotOptions& options) {
  AreaClause a = session.Area(area);
  InsuranceSnapshot snap;
  // One consistent view of the register and the ledger.
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    snap = InsuranceSnapshot();
    Index index;
    MALCHIN_RETURN_IF_ERROR(ReadHouseholds(session, a, options, snap, index));
    MALCHIN_RETURN_IF_ERROR(ReadPersons(session, a, options, snap, index));
    MALCHIN_RETURN_IF_ERROR(ReadCoverage(session, a, snap, index));
    MALCHIN_RETURN_IF_ERROR(ReadCredits(session, a, snap, index));
    return ReadVisits(session, a, snap, index);
  }));
  return snap;
}

}  // namespace malchin::backends::sqlite
