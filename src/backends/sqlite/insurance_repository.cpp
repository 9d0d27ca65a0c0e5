// SQLite implementation of insurance::Repository (migration 0004).
#include <algorithm>
#include <climits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "backends/sqlite/session.h"
#include "insurance/repository.h"

namespace malchin::backends::sqlite {
namespace {

using namespace insurance;
using store::AreaFilter;
using store::AuditEntry;
using store::ChangeContext;

// The households of the area, as SQL over alias h; binds ?1 soum, ?2 aimag.
constexpr const char* kArea =
    "(?1 = 0 OR h.soum_code = ?1) AND (?2 = 0 OR h.soum_code / 100 = ?2)";

void BindArea(Stmt& s, const AreaFilter& a) {
  s.Bind(1, a.soum_code).Bind(2, a.aimag_code);
}

// The same households in a form SQLite answers from the index
// households_soum (an area's households without scanning the country's),
// for the snapshot's scans; binds ?1 soum, ?2 aimag like kArea.
std::string AreaScan(const AreaFilter& a) {
  std::string sql = "1";
  if (a.soum_code) sql += " AND h.soum_code = ?1";
  if (a.aimag_code)
    sql += " AND h.soum_code BETWEEN ?2 * 100 AND ?2 * 100 + 99";
  return sql;
}

void BindAreaScan(Stmt& s, const AreaFilter& a) {
  if (a.soum_code) s.Bind(1, a.soum_code);
  if (a.aimag_code) s.Bind(2, a.aimag_code);
}

// " WHERE pid IN (the persons of the area)" for a table keyed by pid, or ""
// for the whole country (a plain scan is faster then); binds like AreaScan.
std::string PidsOfArea(const AreaFilter& a) {
  if (!a.soum_code && !a.aimag_code) return "";
  return " WHERE pid IN (SELECT p.pid FROM persons p JOIN households h ON "
         "h.hh = p.hh WHERE " +
         AreaScan(a) + ")";
}

std::string EntryJson(const LedgerEntry& e) {
  nlohmann::ordered_json j = {{"id", e.id},
                              {"register_no", e.register_no},
                              {"scheme", InsuranceSchemeName(e.scheme)},
                              {"first_month", e.first_month},
                              {"months", e.months},
                              {"paid_on", e.paid_on.ToString()},
                              {"amount", e.amount},
                              {"due", e.due},
                              {"income_base", e.income_base},
                              {"method", PaymentMethodName(e.method)},
                              {"payer", e.payer},
                              {"remittance_id", e.remittance_id},
                              {"reverses", e.reverses},
                              {"note", e.note}};
  if (e.in_kind) {
    j["in_kind"] = {{"item", e.in_kind->item},
                    {"quantity", e.in_kind->quantity},
                    {"unit_price", e.in_kind->unit_price},
                    {"price_from", e.in_kind->price_from.ToString()},
                    {"price_source", e.in_kind->price_source}};
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class SqliteInsuranceStore final : public insurance::Repository {
 public:
  explicit SqliteInsuranceStore(SqliteSession& session)
      : session_(session), db_(&session.db()) {}

  Result<std::optional<InsuredPerson>> FindPerson(
      const AreaFilter& requested, std::string_view register_no) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            std::string("SELECT p.register_no, h.id, p.father_name || ' ' || "
                        "p.given_name, h.soum_code, h.bag, p.sex, "
                        "p.birth_date, p.disability, p.herder, "
                        "CASE WHEN p.phone <> '' THEN p.phone ELSE h.phone "
                        "END, h.lat, h.lon, h.cooperative FROM persons p "
                        "JOIN households h ON h.hh = p.hh WHERE "
                        "p.register_no = ?3 AND p.deactivated_on IS NULL "
                        "AND h.deactivated_on IS NULL AND ") +
            kArea));
    BindArea(s, area);
    s.Bind(3, register_no);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<InsuredPerson>();
    InsuredPerson p;
    p.register_no = s.Text(0);
    p.household_id = s.Text(1);
    p.name = s.Text(2);
    p.soum_code = static_cast<int32_t>(s.Int(3));
    p.bag = s.Text(4);
    p.sex = s.Text(5) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
    auto d = Date::Parse(s.Text(6));
    if (!d.ok()) return d.status().WithContext("stored birth date");
    p.birth_date = *d;
    p.disability = s.Int(7) != 0;
    p.herder = s.Int(8) != 0;
    p.phone = s.Text(9);
    if (!s.IsNull(10)) p.lat = s.Real(10);
    if (!s.IsNull(11)) p.lon = s.Real(11);
    p.cooperative = s.Text(12);
    s.Reset();
    return std::optional<InsuredPerson>(std::move(p));
  }

  Result<std::vector<LedgerEntry>> Entries(
      const AreaFilter& requested, std::string_view register_no) override {
    const AreaFilter area = session_.Visible(requested);
    return ReadEntries(area, "p.register_no = ?3", register_no, 0);
  }

  Result<std::optional<LedgerEntry>> FindEntry(const AreaFilter& requested,
                                               int64_t id) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(auto v, ReadEntries(area, "e.id = ?4", {}, id));
    if (v.empty()) return std::optional<LedgerEntry>();
    return std::optional<LedgerEntry>(std::move(v[0]));
  }

  Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      const AreaFilter& requested, std::string_view actor,
      std::string_view client_key) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        auto v, ReadEntries(area, "e.actor = ?5 AND e.client_key = ?6", {}, 0,
                            actor, client_key));
    if (v.empty()) return std::optional<LedgerEntry>();
    return std::optional<LedgerEntry>(std::move(v[0]));
  }

  Result<std::optional<Remittance>> FindRemittanceByClientKey(
      std::string_view actor, std::string_view client_key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT id, payer, paid_on, amount, allocated, "
                             "unallocated, method, note, actor, client_key "
                             "FROM insurance_remittances WHERE actor = ? AND "
                             "client_key = ?"));
    s.Bind(1, actor).Bind(2, client_key);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<Remittance>();
    Remittance r;
    r.id = s.Int(0);
    r.payer = s.Text(1);
    MALCHIN_ASSIGN_OR_RETURN(r.paid_on, Date::Parse(s.Text(2)));
    r.amount = s.Int(3);
    r.allocated = s.Int(4);
    r.unallocated = s.Int(5);
    MALCHIN_ASSIGN_OR_RETURN(r.method, ParsePaymentMethod(s.Text(6)));
    r.note = s.Text(7);
    r.actor = s.Text(8);
    r.client_key = s.Text(9);
    s.Reset();
    return std::optional<Remittance>(std::move(r));
  }

  Result<std::vector<LedgerEntry>> RemittanceEntries(
      const AreaFilter& requested, int64_t remittance_id) override {
    const AreaFilter area = session_.Visible(requested);
    return ReadEntries(area, "e.remittance_id = ?4", {}, remittance_id);
  }

  Result<std::vector<CoverageSpan>> Coverage(const AreaFilter& requested,
                                             std::string_view register_no,
                                             InsuranceScheme scheme) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(std::string("SELECT c.first_month, c.last_month FROM "
                                 "insurance_coverage c JOIN persons p ON "
                                 "p.pid = c.pid JOIN households h ON h.hh = "
                                 "p.hh WHERE p.register_no = ?3 AND "
                                 "c.scheme = ?4 AND ") +
                     kArea + " ORDER BY c.first_month"));
    BindArea(s, area);
    s.Bind(3, register_no).Bind(4, InsuranceSchemeName(scheme));
    std::vector<CoverageSpan> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(
          {static_cast<int32_t>(s.Int(0)), static_cast<int32_t>(s.Int(1))});
    }
    return out;
  }

  Result<std::vector<int64_t>> Append(
      const AreaFilter& requested, const std::optional<Remittance>& remittance,
      const std::vector<LedgerEntry>& entries,
      const std::vector<CoverageUpdate>& coverage,
      const ChangeContext& context) override {
    const AreaFilter area = session_.Visible(requested);
    std::string actor = context.actor.empty() ? "system" : context.actor;
    std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    std::unordered_map<std::string, int64_t> pids;
    for (const auto& e : entries) {
      MALCHIN_RETURN_IF_ERROR(ResolveForWrite(area, e.register_no, &pids));
    }
    for (const auto& c : coverage) {
      MALCHIN_RETURN_IF_ERROR(ResolveForWrite(area, c.register_no, &pids));
    }
    int64_t remittance_id = 0;
    if (remittance) {
      const Remittance& r = *remittance;
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s, db_->Prepare("INSERT INTO insurance_remittances (payer, "
                               "paid_on, amount, allocated, unallocated, "
                               "method, note, recorded_at, actor, "
                               "client_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?)"));
      s.Bind(1, std::string_view(r.payer))
          .Bind(2, std::string_view(r.paid_on.ToString()))
          .Bind(3, r.amount)
          .Bind(4, r.allocated)
          .Bind(5, r.unallocated)
          .Bind(6, PaymentMethodName(r.method))
          .Bind(7, std::string_view(r.note))
          .Bind(8, std::string_view(now))
          .Bind(9, std::string_view(actor));
      if (r.client_key.empty()) {
        s.BindNull(10);
      } else {
        s.Bind(10, std::string_view(r.client_key));
      }
      Status st = s.Run();
      if (!st.ok()) {
        if (!r.client_key.empty() &&
            st.message().find("UNIQUE") != std::string::npos) {
          return Status::AlreadyExists("idempotency key '" + r.client_key +
                                       "' was already used by " + actor +
                                       " for another remittance");
        }
        return st.WithContext("remittance from " + r.payer);
      }
      remittance_id = sqlite3_last_insert_rowid(db_->raw());
      nlohmann::ordered_json j = {{"id", remittance_id},
                                  {"payer", r.payer},
                                  {"paid_on", r.paid_on.ToString()},
                                  {"amount", r.amount},
                                  {"allocated", r.allocated},
                                  {"unallocated", r.unallocated},
                                  {"method", PaymentMethodName(r.method)},
                                  {"note", r.note}};
      AuditEntry a;
      a.actor = actor;
      a.action = "insurance.remittance";
      a.entity_type = "insurance_remittance";
      a.entity_id = std::to_string(remittance_id);
      a.after_json = j.dump();
      a.at = now;
      MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt ins, PrepareEntryInsert());
    std::vector<int64_t> ids;
    for (LedgerEntry e : entries) {
      if (remittance) e.remittance_id = remittance_id;
      e.recorded_at = now;
      e.actor = actor;
      MALCHIN_RETURN_IF_ERROR(InsertEntry(ins, pids.at(e.register_no), e));
      e.id = sqlite3_last_insert_rowid(db_->raw());
      ids.push_back(e.id);
      AuditEntry a;
      a.actor = actor;
      a.action = e.reverses ? "insurance.reverse" : "insurance.pay";
      a.entity_type = "insurance_entry";
      a.entity_id = std::to_string(e.id);
      a.register_no = e.register_no;
      a.after_json = EntryJson(e);
      a.at = now;
      MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt del, db_->Prepare("DELETE FROM insurance_coverage WHERE pid = ? "
                               "AND scheme = ?"));
    MALCHIN_ASSIGN_OR_RETURN(Stmt cov, PrepareCoverageInsert());
    for (const auto& c : coverage) {
      int64_t pid = pids.at(c.register_no);
      del.Bind(1, pid).Bind(2, InsuranceSchemeName(c.scheme));
      MALCHIN_RETURN_IF_ERROR(del.Run());
      for (const auto& span : c.spans) {
        cov.Bind(1, pid)
            .Bind(2, InsuranceSchemeName(c.scheme))
            .Bind(3, span.first_month)
            .Bind(4, span.last_month);
        MALCHIN_RETURN_IF_ERROR(cov.Run());
      }
    }
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return ids;
  }

  Result<std::vector<ServiceCredit>> ServiceCredits(
      const AreaFilter& requested, std::string_view register_no) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(std::string("SELECT c.months, c.herding_months, "
                                 "c.until_month, c.average_income, c.source "
                                 "FROM insurance_service_credits c JOIN "
                                 "persons p ON p.pid = c.pid JOIN households "
                                 "h ON h.hh = p.hh WHERE p.register_no = ?3 "
                                 "AND ") +
                     kArea + " ORDER BY c.id"));
    BindArea(s, area);
    s.Bind(3, register_no);
    std::vector<ServiceCredit> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      ServiceCredit c;
      c.register_no = std::string(register_no);
      c.months = static_cast<int32_t>(s.Int(0));
      c.herding_months = static_cast<int32_t>(s.Int(1));
      c.until_month = static_cast<int32_t>(s.Int(2));
      c.average_income = s.Int(3);
      c.source = s.Text(4);
      out.push_back(std::move(c));
    }
    return out;
  }

  Status AddServiceCredit(const AreaFilter& requested, const ServiceCredit& c,
                          const ChangeContext& context) override {
    const AreaFilter area = session_.Visible(requested);
    std::string actor = context.actor.empty() ? "system" : context.actor;
    std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    std::unordered_map<std::string, int64_t> pids;
    MALCHIN_RETURN_IF_ERROR(ResolveForWrite(area, c.register_no, &pids));
    MALCHIN_ASSIGN_OR_RETURN(Stmt s, PrepareCreditInsert());
    MALCHIN_RETURN_IF_ERROR(
        InsertCredit(s, pids.at(c.register_no), c, now, actor));
    int64_t id = sqlite3_last_insert_rowid(db_->raw());
    AuditEntry a;
    a.actor = actor;
    a.action = "insurance.service_credit";
    a.entity_type = "insurance_service_credit";
    a.entity_id = std::to_string(id);
    a.register_no = c.register_no;
    a.after_json = nlohmann::json({{"months", c.months},
                                   {"herding_months", c.herding_months},
                                   {"until_month", c.until_month},
                                   {"average_income", c.average_income},
                                   {"source", c.source}})
                       .dump();
    a.at = now;
    MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
    return tx->Commit();
  }

  Result<int64_t> AddVisit(const AreaFilter& requested, const Visit& v,
                           const ChangeContext& context) override {
    const AreaFilter area = session_.Visible(requested);
    std::string actor = context.actor.empty() ? "system" : context.actor;
    std::string officer = v.officer.empty() ? actor : v.officer;
    std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    std::unordered_map<std::string, int64_t> pids;
    MALCHIN_RETURN_IF_ERROR(ResolveForWrite(area, v.register_no, &pids));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("INSERT INTO insurance_visits (pid, visited_on, "
                             "outcome, officer, note, recorded_at, "
                             "client_key) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    s.Bind(1, pids.at(v.register_no))
        .Bind(2, std::string_view(v.visited_on.ToString()))
        .Bind(3, VisitOutcomeName(v.outcome))
        .Bind(4, std::string_view(officer))
        .Bind(5, std::string_view(v.note))
        .Bind(6, std::string_view(now));
    if (v.client_key.empty()) {
      s.BindNull(7);
    } else {
      s.Bind(7, std::string_view(v.client_key));
    }
    Status st = s.Run();
    if (!st.ok()) {
      if (!v.client_key.empty() &&
          st.message().find("UNIQUE") != std::string::npos) {
        return Status::AlreadyExists("idempotency key '" + v.client_key +
                                     "' was already used by " + officer +
                                     " for another visit");
      }
      return st.WithContext("visit to " + v.register_no);
    }
    int64_t id = sqlite3_last_insert_rowid(db_->raw());
    AuditEntry a;
    a.actor = actor;
    a.action = "insurance.visit";
    a.entity_type = "insurance_visit";
    a.entity_id = std::to_string(id);
    a.register_no = v.register_no;
    a.after_json =
        nlohmann::json({{"visited_on", v.visited_on.ToString()},
                        {"outcome", VisitOutcomeName(v.outcome)},
                        {"officer", officer},
                        {"note", v.note}})
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    a.at = now;
    MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return id;
  }

  Result<std::vector<Visit>> Visits(const AreaFilter& requested,
                                    std::string_view register_no) override {
    const AreaFilter area = session_.Visible(requested);
    return ReadVisits(area, "p.register_no = ?3", register_no);
  }

  Result<std::optional<Visit>> FindVisitByClientKey(
      const AreaFilter& requested, std::string_view officer,
      std::string_view client_key) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        auto v, ReadVisits(area, "v.officer = ?3 AND v.client_key = ?4",
                           officer, client_key));
    if (v.empty()) return std::optional<Visit>();
    return std::optional<Visit>(std::move(v[0]));
  }

  Result<InsuranceSnapshot> LoadSnapshot(
      const AreaFilter& requested, const SnapshotOptions& options) override {
    const AreaFilter area = session_.Visible(requested);
    InsuranceSnapshot snap;
    std::vector<int32_t> hh_index;  // By household rowid.
    {
      // Without names, only (hh, soum_code): the covering index
      // households_soum is read instead of the table.
      std::string sql =
          options.names
              ? "SELECT h.hh, h.soum_code, h.id, h.bag, h.phone, h.lat, h.lon "
                "FROM households h WHERE "
              : "SELECT h.hh, h.soum_code FROM households h WHERE ";
      sql += "h.deactivated_on IS NULL AND " + AreaScan(area);
      if (!options.bag.empty()) sql += " AND h.bag = ?3";
      MALCHIN_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
      BindAreaScan(s, area);
      if (!options.bag.empty()) s.Bind(3, std::string_view(options.bag));
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        int64_t rowid = s.Int(0);
        if (rowid >= static_cast<int64_t>(hh_index.size())) {
          hh_index.resize(rowid + 1, -1);
        }
        hh_index[rowid] = static_cast<int32_t>(snap.soum_code.size());
        snap.soum_code.push_back(static_cast<int32_t>(s.Int(1)));
        if (options.names) {
          snap.household_id.emplace_back(s.Text(2));
          snap.bag.emplace_back(s.Text(3));
          snap.household_phone.emplace_back(s.Text(4));
          snap.lat.push_back(s.IsNull(5) ? std::nullopt
                                         : std::optional<double>(s.Real(5)));
          snap.lon.push_back(s.IsNull(6) ? std::nullopt
                                         : std::optional<double>(s.Real(6)));
        }
      }
    }
    // Persons by pid, so that coverage rows (ordered by pid) merge-join.
    std::vector<int32_t> person_index;  // By pid.
    {
      // The whole register is read in one scan; an area through its
      // households (index persons_household). The birth date is read as
      // stored (days since 1970-01-01, column born).
      bool scoped = area.soum_code || area.aimag_code;
      std::string sql =
          std::string(
              "SELECT p.pid, p.hh, p.born, p.sex = 'M', "
              "p.disability, p.herder") +
          (options.names ? ", p.register_no, p.father_name || ' ' || "
                           "p.given_name, p.phone"
                         : "") +
          " FROM persons p ";
      sql += scoped ? "JOIN households h ON h.hh = p.hh WHERE " +
                          AreaScan(area) + " AND "
                    : std::string("WHERE ");
      // A literal condition, so that SQLite can use the partial index.
      sql += options.herders_only
                 ? "p.herder = 1 AND p.deactivated_on IS NULL ORDER BY p.pid"
                 : "p.deactivated_on IS NULL ORDER BY p.pid";
      MALCHIN_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
      if (scoped) BindAreaScan(s, area);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        int64_t hh = s.Int(1);
        if (hh >= static_cast<int64_t>(hh_index.size()) || hh_index[hh] < 0) {
          continue;
        }
        int64_t pid = s.Int(0);
        if (pid >= static_cast<int64_t>(person_index.size())) {
          person_index.resize(pid + 1, -1);
        }
        person_index[pid] = static_cast<int32_t>(snap.persons());
        snap.pid.push_back(pid);
        snap.household.push_back(hh_index[hh]);
        snap.birth_days.push_back(static_cast<int32_t>(s.Int(2)));
        snap.sex.push_back(s.Int(3) != 0);
        snap.disability.push_back(s.Int(4) != 0);
        snap.herder.push_back(s.Int(5) != 0);
        if (options.names) {
          snap.register_no.emplace_back(s.Text(6));
          snap.name.emplace_back(s.Text(7));
          snap.phone.emplace_back(s.Text(8));
        }
      }
    }
    size_t n = snap.persons();
    auto index_of = [&](int64_t pid) -> int32_t {
      return pid < static_cast<int64_t>(person_index.size()) ? person_index[pid]
                                                             : -1;
    };
    {
      // Both schemes in one pass in primary-key order (no sort); rows of
      // persons outside the snapshot are skipped.
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s, db_->Prepare("SELECT pid, scheme = 'social', first_month, "
                               "last_month FROM insurance_coverage" +
                               PidsOfArea(area) +
                               " ORDER BY pid, scheme, first_month"));
      BindAreaScan(s, area);
      std::vector<uint32_t> count[kInsuranceSchemeCount];
      std::vector<std::pair<int32_t, CoverageSpan>> rows[kInsuranceSchemeCount];
      for (auto& c : count) c.assign(n + 1, 0);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        int32_t p = index_of(s.Int(0));
        if (p < 0) continue;
        int sc = static_cast<int>(s.Int(1) != 0 ? InsuranceScheme::kSocial
                                                : InsuranceScheme::kHealth);
        rows[sc].push_back(
            {p,
             {static_cast<int32_t>(s.Int(2)), static_cast<int32_t>(s.Int(3))}});
        ++count[sc][p + 1];
      }
      for (int sc = 0; sc < kInsuranceSchemeCount; ++sc) {
        for (size_t i = 1; i <= n; ++i) count[sc][i] += count[sc][i - 1];
        snap.spans[sc].resize(rows[sc].size());
        std::vector<uint32_t> next(count[sc].begin(), count[sc].end() - 1);
        for (const auto& [p, span] : rows[sc]) {
          snap.spans[sc][next[p]++] = span;
        }
        snap.span_begin[sc] = std::move(count[sc]);
      }
    }
    snap.credit_months.assign(n, 0);
    snap.credit_herding_months.assign(n, 0);
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s, db_->Prepare("SELECT pid, months, herding_months FROM "
                               "insurance_service_credits" +
                               PidsOfArea(area)));
      BindAreaScan(s, area);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        int32_t p = index_of(s.Int(0));
        if (p < 0) continue;
        snap.credit_months[p] += static_cast<int32_t>(s.Int(1));
        snap.credit_herding_months[p] += static_cast<int32_t>(s.Int(2));
      }
    }
    snap.last_visit_days.assign(n, INT32_MIN);
    snap.last_visit_outcome.assign(n, -1);
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s, db_->Prepare("SELECT pid, visited_on, outcome FROM "
                               "insurance_visits" +
                               PidsOfArea(area) + " ORDER BY visited_on, id"));
      BindAreaScan(s, area);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        int32_t p = index_of(s.Int(0));
        if (p < 0) continue;
        MALCHIN_ASSIGN_OR_RETURN(Date d, Date::Parse(s.Text(1)));
        MALCHIN_ASSIGN_OR_RETURN(VisitOutcome o, ParseVisitOutcome(s.Text(2)));
        snap.last_visit_days[p] = d.days();
        snap.last_visit_outcome[p] = static_cast<int8_t>(o);
      }
    }
    return snap;
  }

  Result<int64_t> CountEntries(const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT count(*) FROM "
                                         "insurance_entries e JOIN persons p "
                                         "ON p.pid = e.pid JOIN households h "
                                         "ON h.hh = p.hh WHERE ") +
                             kArea));
    BindArea(s, area);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    int64_t n = row ? s.Int(0) : 0;
    if (row) s.Reset();
    return n;
  }

  Status Seed(const InsuranceSnapshot& snap, const SeedRows& rows,
              const ChangeContext& context) override {
    std::string actor = context.actor.empty() ? "system" : context.actor;
    std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s, db_->Prepare("SELECT EXISTS (SELECT 1 FROM "
                               "insurance_entries) OR EXISTS (SELECT 1 FROM "
                               "insurance_service_credits)"));
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      bool any = row && s.Int(0) != 0;
      if (row) s.Reset();
      if (any) {
        return Status::FailedPrecondition(
            "the insurance ledger is not empty; demo histories are only "
            "written into an empty ledger");
      }
    }
    auto check = [&](int32_t p) -> Status {
      if (p < 0 || static_cast<size_t>(p) >= snap.persons()) {
        return Status::InvalidArgument("seed row refers to person index " +
                                       std::to_string(p) +
                                       " outside the snapshot");
      }
      return Status::Ok();
    };
    MALCHIN_ASSIGN_OR_RETURN(Stmt ins, PrepareEntryInsert());
    for (size_t i = 0; i < rows.entries.size(); ++i) {
      MALCHIN_RETURN_IF_ERROR(check(rows.entry_person[i]));
      LedgerEntry e = rows.entries[i];
      e.recorded_at = now;
      e.actor = actor;
      MALCHIN_RETURN_IF_ERROR(
          InsertEntry(ins, snap.pid[rows.entry_person[i]], e));
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt cov, PrepareCoverageInsert());
    for (size_t i = 0; i < rows.coverage.size(); ++i) {
      MALCHIN_RETURN_IF_ERROR(check(rows.coverage_person[i]));
      const CoverageUpdate& c = rows.coverage[i];
      for (const auto& span : c.spans) {
        cov.Bind(1, snap.pid[rows.coverage_person[i]])
            .Bind(2, InsuranceSchemeName(c.scheme))
            .Bind(3, span.first_month)
            .Bind(4, span.last_month);
        MALCHIN_RETURN_IF_ERROR(cov.Run());
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt cred, PrepareCreditInsert());
    for (size_t i = 0; i < rows.credits.size(); ++i) {
      MALCHIN_RETURN_IF_ERROR(check(rows.credit_person[i]));
      MALCHIN_RETURN_IF_ERROR(InsertCredit(
          cred, snap.pid[rows.credit_person[i]], rows.credits[i], now, actor));
    }
    AuditEntry a;
    a.actor = actor;
    a.action = "insurance.seed_demo";
    a.entity_type = "insurance_ledger";
    a.entity_id = "demo";
    a.after_json = nlohmann::json({{"entries", rows.entries.size()},
                                   {"coverage_updates", rows.coverage.size()},
                                   {"service_credits", rows.credits.size()},
                                   {"source", context.source}})
                       .dump();
    a.at = now;
    MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
    return tx->Commit();
  }

 private:
  // Looks up an active person for a write; records its pid in `pids`.
  Status ResolveForWrite(const AreaFilter& area, const std::string& rn,
                         std::unordered_map<std::string, int64_t>* pids) {
    if (pids->count(rn)) return Status::Ok();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT p.pid, h.soum_code, p.deactivated_on IS "
                             "NULL AND h.deactivated_on IS NULL FROM persons "
                             "p JOIN households h ON h.hh = p.hh WHERE "
                             "p.register_no = ?"));
    s.Bind(1, std::string_view(rn));
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::NotFound("no person with register number " + rn);
    int64_t pid = s.Int(0);
    int32_t soum = static_cast<int32_t>(s.Int(1));
    bool active = s.Int(2) != 0;
    s.Reset();
    if (!area.Matches(soum)) {
      return Status::PermissionDenied(
          "person " + rn + " is registered in soum " + std::to_string(soum) +
          ", outside the area you may change");
    }
    if (!active) {
      return Status::NotFound("person " + rn +
                              " is deactivated; insurance entries are only "
                              "recorded for active persons");
    }
    (*pids)[rn] = pid;
    return Status::Ok();
  }

  Result<Stmt> PrepareEntryInsert() {
    return db_->Prepare(
        "INSERT INTO insurance_entries (pid, scheme, first_month, months, "
        "paid_on, amount, due, income_base, method, payer, remittance_id, "
        "reverses, in_kind_item, in_kind_quantity, in_kind_unit_price, "
        "in_kind_price_from, in_kind_price_source, note, recorded_at, actor, "
        "client_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?)");
  }

  Status InsertEntry(Stmt& s, int64_t pid, const LedgerEntry& e) {
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
    if (e.remittance_id) {
      s.Bind(11, e.remittance_id);
    } else {
      s.BindNull(11);
    }
    if (e.reverses) {
      s.Bind(12, e.reverses);
    } else {
      s.BindNull(12);
    }
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
    if (e.client_key.empty()) {
      s.BindNull(21);
    } else {
      s.Bind(21, std::string_view(e.client_key));
    }
    Status st = s.Run();
    if (!st.ok()) {
      bool unique = st.message().find("UNIQUE") != std::string::npos;
      if (unique && st.message().find("client_key") != std::string::npos) {
        return Status::AlreadyExists("idempotency key '" + e.client_key +
                                     "' was already used by " + e.actor +
                                     " for another payment");
      }
      if (e.reverses && unique) {
        return Status::AlreadyExists("entry " + std::to_string(e.reverses) +
                                     " has already been reversed");
      }
      return st.WithContext("insurance entry for " + e.register_no);
    }
    return Status::Ok();
  }

  Result<Stmt> PrepareCoverageInsert() {
    return db_->Prepare(
        "INSERT INTO insurance_coverage (pid, scheme, first_month, "
        "last_month) VALUES (?, ?, ?, ?)");
  }

  Result<Stmt> PrepareCreditInsert() {
    return db_->Prepare(
        "INSERT INTO insurance_service_credits (pid, months, herding_months, "
        "until_month, average_income, source, recorded_at, actor) VALUES (?, "
        "?, ?, ?, ?, ?, ?, ?)");
  }

  Status InsertCredit(Stmt& s, int64_t pid, const ServiceCredit& c,
                      const std::string& now, const std::string& actor) {
    s.Bind(1, pid)
        .Bind(2, c.months)
        .Bind(3, c.herding_months)
        .Bind(4, c.until_month)
        .Bind(5, c.average_income)
        .Bind(6, std::string_view(c.source))
        .Bind(7, std::string_view(now))
        .Bind(8, std::string_view(actor));
    Status st = s.Run();
    if (!st.ok()) return st.WithContext("service credit for " + c.register_no);
    return Status::Ok();
  }

  // Visits about persons of the area matching `where` (binds ?3 and, if
  // given, ?4), by date then id.
  Result<std::vector<Visit>> ReadVisits(const AreaFilter& area,
                                        const char* where, std::string_view a,
                                        std::string_view b = {}) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(std::string("SELECT v.id, p.register_no, v.visited_on, "
                                 "v.outcome, v.officer, v.note, v.client_key "
                                 "FROM insurance_visits v JOIN persons p ON "
                                 "p.pid = v.pid JOIN households h ON h.hh = "
                                 "p.hh WHERE ") +
                     where + " AND " + kArea + " ORDER BY v.visited_on, v.id"));
    BindArea(s, area);
    s.Bind(3, a);
    if (!b.empty()) s.Bind(4, b);
    std::vector<Visit> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      Visit v;
      v.id = s.Int(0);
      v.register_no = s.Text(1);
      MALCHIN_ASSIGN_OR_RETURN(v.visited_on, Date::Parse(s.Text(2)));
      MALCHIN_ASSIGN_OR_RETURN(v.outcome, ParseVisitOutcome(s.Text(3)));
      v.officer = s.Text(4);
      v.note = s.Text(5);
      if (!s.IsNull(6)) v.client_key = s.Text(6);
      out.push_back(std::move(v));
    }
    return out;
  }

  Result<std::vector<LedgerEntry>> ReadEntries(const AreaFilter& area,
                                               const char* where,
                                               std::string_view rn, int64_t id,
                                               std::string_view actor = {},
                                               std::string_view key = {}) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            std::string(
                "SELECT e.id, p.register_no, e.scheme, e.first_month, "
                "e.months, e.paid_on, e.amount, e.due, e.income_base, "
                "e.method, e.payer, e.remittance_id, e.reverses, "
                "e.in_kind_item, e.in_kind_quantity, e.in_kind_unit_price, "
                "e.in_kind_price_from, e.in_kind_price_source, e.note, "
                "e.recorded_at, e.actor, e.client_key FROM insurance_entries "
                "e JOIN "
                "persons p ON p.pid = e.pid JOIN households h ON h.hh = p.hh "
                "WHERE ") +
            where + " AND " + kArea + " ORDER BY e.id"));
    BindArea(s, area);
    if (!key.empty()) {
      s.Bind(5, actor).Bind(6, key);
    } else if (id) {
      s.Bind(4, id);
    } else {
      s.Bind(3, std::string_view(rn));
    }
    std::vector<LedgerEntry> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
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
      out.push_back(std::move(e));
    }
    return out;
  }

  SqliteSession& session_;
  Db* db_;
};

}  // namespace

void RegisterInsuranceRepositories(Factories* f) {
  f->Add<insurance::Repository, SqliteInsuranceStore>();
}

}  // namespace malchin::backends::sqlite
