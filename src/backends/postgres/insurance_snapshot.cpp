// The PostgreSQL engine's insurance snapshot and demo-history load. The
// snapshot reads the area's persons with their households in one join (the
// households come with their persons; the whole country's herders from two
// covering indexes, migration 7, merge-joined), coverage spans and service
// credits, numbers as one array per column, and the latest visit of each
// person chosen by the server (docs/insurance.md#benchmarks).
#include "backends/postgres/insurance_snapshot.h"

#include <algorithm>
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

// Readers for the snapshot's fields (text protocol, never NULL here).
int64_t Int(const pqxx::field& f) {
  int64_t v = 0;
  const char* s = f.c_str();
  std::from_chars(s, s + f.size(), v);
  return v;
}

// The integers of an array's text form "{1,-2,3}" (NULL: none). Integer
// columns of many rows come as one array each: reading a field through
// libpqxx costs more than the server's work for it.
Status IntArray(const pqxx::field& f, std::vector<int64_t>* out) {
  out->clear();
  if (f.is_null()) return Status::Ok();
  const char* p = f.c_str();
  const char* end = p + f.size();
  if (p == end || *p != '{')
    return Status::Internal("not an array: " + std::string(p));
  ++p;
  while (p < end && *p != '}') {
    int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc()) {
      return Status::Internal("not an integer array: " +
                              std::string(f.c_str()).substr(0, 40));
    }
    out->push_back(v);
    p = next;
    if (p < end && *p == ',') ++p;
  }
  return Status::Ok();
}

// Several integer arrays of one row, which must have the same length.
Status IntArrays(const pqxx::row& r, std::vector<std::vector<int64_t>*> out) {
  for (size_t i = 0; i < out.size(); ++i) {
    MALCHIN_RETURN_IF_ERROR(IntArray(r[static_cast<int>(i)], out[i]));
    if (out[i]->size() != out[0]->size()) {
      return Status::Internal("snapshot arrays of different lengths");
    }
  }
  return Status::Ok();
}

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
// a plain scan).
Result<pqxx::result> OfPersons(PgSession& s, const std::string& name,
                               const std::string& select, const PgArea& a,
                               const std::string& tail = "") {
  if (a.key == "#n") return s.Prepared(name + a.key, select + " " + tail);
  return s.Prepared(name + a.key,
                    select +
                        " WHERE pid IN (SELECT p.pid FROM persons p JOIN "
                        "households h ON h.hh = p.hh WHERE " +
                        a.sql + ") " + tail,
                    a.value);
}

// What the snapshot reads about each person, in the server's order.
struct PersonColumns {
  std::vector<int64_t> pid, hh, soum, born, flags;
  // With names only.
  std::vector<std::string> register_no, name, phone;
  std::vector<std::string> household_id, bag, household_phone;
  std::vector<std::optional<double>> lat, lon;
};

// The active persons of the area (herders only, or all) with their active
// households. Herders only: every column from the covering indexes of
// migration 7 (herders by household, active households' soums),
// merge-joined by hh. The flags in one number: 1 male, 2 disability, 4
// herder. Without names, each column comes as one array.
std::string PersonSql(const SnapshotOptions& o, const PgArea& a) {
  const std::string flags =
      std::string("(p.sex = 'M')::integer + 2 * p.disability::integer + ") +
      (o.herders_only ? "4" : "4 * p.herder::integer");
  std::string sql =
      o.names ? "SELECT p.pid, p.hh, h.soum_code, p.born, " + flags +
                    ", p.register_no, p.father_name || ' ' || p.given_name, "
                    "p.phone, h.id, h.bag, h.phone, h.lat, h.lon"
              : "SELECT array_agg(p.pid), array_agg(p.hh), "
                "array_agg(h.soum_code), array_agg(p.born), array_agg(" +
                    flags + ")";
  sql +=
      " FROM persons p JOIN households h ON h.hh = p.hh WHERE "
      "p.deactivated_on IS NULL AND h.deactivated_on IS NULL AND ";
  // A literal condition, so that the partial indexes serve.
  if (o.herders_only) sql += "p.herder AND ";
  if (!o.bag.empty()) sql += "h.bag = $2 AND ";
  return sql + a.sql;
}

Status ReadPersonColumns(PgSession& s, const PgArea& a,
                         const SnapshotOptions& o, PersonColumns& c) {
  std::string name = std::string("ins.snap_p") + (o.names ? "n" : "") +
                     (o.herders_only ? "h" : "") + (o.bag.empty() ? "" : "b") +
                     a.key;
  std::string sql = PersonSql(o, a);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows, o.bag.empty() ? s.Prepared(name, sql, a.value)
                                       : s.Prepared(name, sql, a.value, o.bag));
  if (!o.names) {
    return IntArrays(rows[0], {&c.pid, &c.hh, &c.soum, &c.born, &c.flags});
  }
  for (const pqxx::row& r : rows) {
    c.pid.push_back(Int(r[0]));
    c.hh.push_back(Int(r[1]));
    c.soum.push_back(Int(r[2]));
    c.born.push_back(Int(r[3]));
    c.flags.push_back(Int(r[4]));
    c.register_no.push_back(PgText(r[5]));
    c.name.push_back(PgText(r[6]));
    c.phone.push_back(PgText(r[7]));
    c.household_id.push_back(PgText(r[8]));
    c.bag.push_back(PgText(r[9]));
    c.household_phone.push_back(PgText(r[10]));
    c.lat.push_back(PgOptReal(r[11]));
    c.lon.push_back(PgOptReal(r[12]));
  }
  return Status::Ok();
}

// Persons by pid (as on every engine), each household once, numbered as
// first met.
Status ReadPersons(PgSession& s, const PgArea& a, const SnapshotOptions& o,
                   InsuranceSnapshot& snap, Index& index) {
  PersonColumns c;
  MALCHIN_RETURN_IF_ERROR(ReadPersonColumns(s, a, o, c));
  std::vector<std::pair<int64_t, uint32_t>> by_pid(c.pid.size());
  for (uint32_t i = 0; i < c.pid.size(); ++i) by_pid[i] = {c.pid[i], i};
  std::sort(by_pid.begin(), by_pid.end());
  for (const auto& [pid, i] : by_pid) {
    const int64_t hh = c.hh[i];
    if (hh >= static_cast<int64_t>(index.household.size()) ||
        index.household[hh] < 0) {
      Put(index.household, hh, static_cast<int32_t>(snap.households()));
      snap.soum_code.push_back(static_cast<int32_t>(c.soum[i]));
      if (o.names) {
        snap.household_id.push_back(std::move(c.household_id[i]));
        snap.bag.push_back(std::move(c.bag[i]));
        snap.household_phone.push_back(std::move(c.household_phone[i]));
        snap.lat.push_back(c.lat[i]);
        snap.lon.push_back(c.lon[i]);
      }
    }
    Put(index.person, pid, static_cast<int32_t>(snap.persons()));
    snap.pid.push_back(pid);
    snap.household.push_back(index.household[hh]);
    snap.birth_days.push_back(static_cast<int32_t>(c.born[i]));
    snap.sex.push_back(c.flags[i] & 1);
    snap.disability.push_back((c.flags[i] & 2) != 0);
    snap.herder.push_back((c.flags[i] & 4) != 0);
    if (o.names) {
      snap.register_no.push_back(std::move(c.register_no[i]));
      snap.name.push_back(std::move(c.name[i]));
      snap.phone.push_back(std::move(c.phone[i]));
    }
  }
  return Status::Ok();
}

// Both schemes' spans in CSR form by person, each person's by first month;
// spans of persons outside the snapshot are skipped.
Status ReadCoverage(PgSession& s, const PgArea& a, InsuranceSnapshot& snap,
                    const Index& index) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result rows,
      OfPersons(s, "ins.snap_coverage",
                "SELECT array_agg(pid), array_agg((scheme = "
                "'social')::integer), array_agg(first_month), "
                "array_agg(last_month) FROM insurance_coverage",
                a));
  std::vector<int64_t> pid, social, first, last;
  MALCHIN_RETURN_IF_ERROR(IntArrays(rows[0], {&pid, &social, &first, &last}));
  const size_t n = snap.persons();
  std::vector<int32_t> person(pid.size());
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    snap.span_begin[sc].assign(n + 1, 0);
  }
  for (size_t k = 0; k < pid.size(); ++k) {
    person[k] = index.Person(pid[k]);
    if (person[k] >= 0) ++snap.span_begin[social[k] ? 0 : 1][person[k] + 1];
  }
  static_assert(static_cast<int>(InsuranceScheme::kSocial) == 0);
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    std::vector<uint32_t>& begin = snap.span_begin[sc];
    for (size_t i = 1; i <= n; ++i) begin[i] += begin[i - 1];
    snap.spans[sc].resize(begin[n]);
  }
  std::vector<uint32_t> next[kInsuranceSchemeCount];
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    next[sc].assign(snap.span_begin[sc].begin(), snap.span_begin[sc].end() - 1);
  }
  for (size_t k = 0; k < pid.size(); ++k) {
    if (person[k] < 0) continue;
    const int sc = social[k] ? 0 : 1;
    snap.spans[sc][next[sc][person[k]]++] = {static_cast<int32_t>(first[k]),
                                             static_cast<int32_t>(last[k])};
  }
  for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
    for (size_t p = 0; p < n; ++p) {
      auto from = snap.spans[sc].begin() + snap.span_begin[sc][p];
      auto to = snap.spans[sc].begin() + snap.span_begin[sc][p + 1];
      auto earlier = [](const CoverageSpan& x, const CoverageSpan& y) {
        return x.first_month < y.first_month;
      };
      if (!std::is_sorted(from, to, earlier)) std::sort(from, to, earlier);
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
                "SELECT array_agg(pid), array_agg(months), "
                "array_agg(herding_months) FROM insurance_service_credits",
                a));
  std::vector<int64_t> pid, months, herding;
  MALCHIN_RETURN_IF_ERROR(IntArrays(rows[0], {&pid, &months, &herding}));
  for (size_t k = 0; k < pid.size(); ++k) {
    int32_t p = index.Person(pid[k]);
    if (p < 0) continue;
    snap.credit_months[p] += static_cast<int32_t>(months[k]);
    snap.credit_herding_months[p] += static_cast<int32_t>(herding[k]);
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
    snap.last_visit_days[p] = static_cast<int32_t>(Int(r[1]));
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
