// SQLite implementation of response::Repository (schema:
// migrations/0003_response.sql).
#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "backends/sqlite/session.h"
#include "response/repository.h"

namespace malchin::backends::sqlite {
namespace {

using registry::Roster;
using response::EventSoum;
using response::InstallmentRecord;
using response::IssuedPayment;
using response::IssueResult;
using response::PaymentResult;
using response::PaymentTotals;
using response::PayrollRecord;
using response::PlanRecord;
using response::ProgrammeRecord;
using response::ReconcileCounts;
using response::ShockEventRecord;
using response::SnapshotChoice;
using store::AreaFilter;
using store::AuditEntry;
using store::ChangeContext;

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

Result<Date> StoredDate(std::string_view text, std::string_view what) {
  auto d = Date::Parse(text);
  if (!d.ok()) {
    return d.status().WithContext("stored " + std::string(what));
  }
  return d;
}

// "(?a = 0 OR e.soum_code = ?a) AND (?b = 0 OR e.soum_code / 100 = ?b)".
std::string AreaSql(int soum_param, int aimag_param) {
  std::string s = "?" + std::to_string(soum_param);
  std::string a = "?" + std::to_string(aimag_param);
  return "(" + s + " = 0 OR e.soum_code = " + s + ") AND (" + a +
         " = 0 OR e.soum_code / 100 = " + a + ")";
}

// A larger page cache on the connection for one long step (a snapshot or a
// bank file of a million rows touches indexes far larger than SQLite's
// default 2 MB cache); the previous size is restored afterwards.
class LargerCache {
 public:
  explicit LargerCache(Db* db) : db_(db) {
    auto s = db_->Prepare("PRAGMA cache_size");
    if (s.ok()) {
      auto row = s->Step();
      if (row.ok() && *row) old_ = s->Int(0);
      s->Reset();
    }
    if (old_ != 0) (void)db_->Exec("PRAGMA cache_size=-262144");  // 256 MiB.
  }
  ~LargerCache() {
    if (old_ != 0) {
      (void)db_->Exec("PRAGMA cache_size=" + std::to_string(old_));
    }
  }
  LargerCache(const LargerCache&) = delete;
  LargerCache& operator=(const LargerCache&) = delete;

 private:
  Db* db_;
  int64_t old_ = 0;
};

class SqliteResponseStore final : public response::Repository {
 public:
  explicit SqliteResponseStore(SqliteSession& session)
      : session_(session), db_(&session.db()) {}

  Result<ProgrammeRecord> EnsureProgramme(const ProgrammeRecord& p,
                                          std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindProgramme(p.code));
    if (existing) {
      ProgrammeRecord want = p;
      want.id = existing->id;
      if (want == *existing) return *existing;
      return Status::AlreadyExists("programme " + Quoted(p.code) +
                                   " exists with other rules");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("INSERT INTO response_programmes (code, name, "
                             "eligibility, amount, unit, created_at) VALUES "
                             "(?1, ?2, ?3, ?4, ?5, ?6)"));
    s.Bind(1, std::string_view(p.code))
        .Bind(2, std::string_view(p.name))
        .Bind(3, std::string_view(p.eligibility))
        .Bind(4, std::string_view(p.amount))
        .Bind(5, std::string_view(p.unit))
        .Bind(6, std::string_view(session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(s.Run().WithContext("programme " + p.code));
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "programme.create", "programme", p.code,
              "{\"eligibility\":" + JsonString(p.eligibility) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    ProgrammeRecord out = p;
    out.id = sqlite3_last_insert_rowid(db_->raw());
    return out;
  }

  Result<std::optional<ProgrammeRecord>> FindProgramme(
      std::string_view code) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT id, code, name, eligibility, amount, unit "
                             "FROM response_programmes WHERE code = ?1"));
    s.Bind(1, code);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<ProgrammeRecord>();
    ProgrammeRecord p;
    p.id = s.Int(0);
    p.code = s.Text(1);
    p.name = s.Text(2);
    p.eligibility = s.Text(3);
    p.amount = s.Text(4);
    p.unit = s.Text(5);
    s.Reset();
    return std::optional<ProgrammeRecord>(std::move(p));
  }

  Result<ShockEventRecord> CreateEvent(const ShockEventRecord& e,
                                       std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindEvent(e.code, AreaFilter{}));
    if (existing) {
      if (SameEvent(*existing, e)) return *existing;
      return Status::AlreadyExists("event " + Quoted(e.code) +
                                   " exists with other details (see malchin "
                                   "event show --event " +
                                   e.code + ")");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare("INSERT INTO response_events (code, type, name, source, "
                     "reference, declared_on, starts_on, ends_on, created_by, "
                     "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                     "?10)"));
    s.Bind(1, std::string_view(e.code))
        .Bind(2, std::string_view(e.type))
        .Bind(3, std::string_view(e.name))
        .Bind(4, std::string_view(e.source))
        .Bind(5, std::string_view(e.reference))
        .Bind(6, std::string_view(e.declared_on.ToString()))
        .Bind(7, std::string_view(e.starts_on.ToString()))
        .Bind(8, e.ends_on ? std::optional<std::string>(e.ends_on->ToString())
                           : std::nullopt)
        .Bind(9, actor)
        .Bind(10, std::string_view(session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(s.Run().WithContext("event " + e.code));
    int64_t id = sqlite3_last_insert_rowid(db_->raw());
    MALCHIN_RETURN_IF_ERROR(UpsertSoums(id, e.soums).status());
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "event.create", "event", e.code,
              "{\"type\":" + JsonString(e.type) +
                  ",\"soums\":" + std::to_string(e.soums.size()) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    ShockEventRecord out = e;
    out.id = id;
    out.created_by = actor;
    std::sort(out.soums.begin(), out.soums.end(),
              [](const EventSoum& a, const EventSoum& b) {
                return a.soum_code < b.soum_code;
              });
    return out;
  }

  Result<int64_t> SetEventSoums(std::string_view event_code,
                                const std::vector<EventSoum>& soums,
                                std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(int64_t id, IdOf("response_events", event_code,
                                              "event", "malchin event create"));
    MALCHIN_ASSIGN_OR_RETURN(int64_t changed, UpsertSoums(id, soums));
    if (changed == 0) return changed;  // Nothing to record; rolls back.
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "event.soums", "event", event_code,
              "{\"rows\":" + std::to_string(soums.size()) +
                  ",\"changed\":" + std::to_string(changed) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return changed;
  }

  Result<std::optional<ShockEventRecord>> FindEvent(
      std::string_view code, const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT id, code, type, name, source, reference, "
                             "declared_on, starts_on, ends_on, created_by FROM "
                             "response_events WHERE code = ?1"));
    s.Bind(1, code);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<ShockEventRecord>();
    ShockEventRecord e;
    e.id = s.Int(0);
    e.code = s.Text(1);
    e.type = s.Text(2);
    e.name = s.Text(3);
    e.source = s.Text(4);
    e.reference = s.Text(5);
    MALCHIN_ASSIGN_OR_RETURN(e.declared_on, StoredDate(s.Text(6), "date"));
    MALCHIN_ASSIGN_OR_RETURN(e.starts_on, StoredDate(s.Text(7), "date"));
    if (!s.IsNull(8)) {
      MALCHIN_ASSIGN_OR_RETURN(e.ends_on, StoredDate(s.Text(8), "date"));
    }
    e.created_by = s.Text(9);
    s.Reset();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt q, db_->Prepare("SELECT soum_code, severity FROM "
                             "response_event_soums WHERE event_id = ?1 ORDER "
                             "BY soum_code"));
    q.Bind(1, e.id);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, q.Step());
      if (!more) break;
      int32_t soum = static_cast<int32_t>(q.Int(0));
      if (!area.Matches(soum)) continue;
      e.soums.push_back({soum, std::string(q.Text(1))});
    }
    return std::optional<ShockEventRecord>(std::move(e));
  }

  Result<PlanRecord> CreatePlan(const PlanRecord& p,
                                std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindPlan(p.code));
    if (existing) {
      if (SamePlan(*existing, p)) return *existing;
      return Status::AlreadyExists("plan " + Quoted(p.code) +
                                   " exists with other details (see malchin "
                                   "plan show --plan " +
                                   p.code + ")");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t event_id,
        IdOf("response_events", p.event_code, "event", "malchin event create"));
    std::optional<int64_t> programme_id;
    if (p.programme_code) {
      MALCHIN_ASSIGN_OR_RETURN(programme_id,
                               IdOf("response_programmes", *p.programme_code,
                                    "programme", "the programme list"));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            "INSERT INTO response_plans (code, event_id, programme_id, kind, "
            "name, eligibility, amount, unit, cap_per_household, cap_order, "
            "cutoff_on, starts_on, ends_on, status, prepared_by, prepared_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
            "'prepared', ?14, ?15)"));
    s.Bind(1, std::string_view(p.code)).Bind(2, event_id);
    if (programme_id) {
      s.Bind(3, *programme_id);
    } else {
      s.BindNull(3);
    }
    s.Bind(4, std::string_view(p.kind))
        .Bind(5, std::string_view(p.name))
        .Bind(6, std::string_view(p.eligibility))
        .Bind(7, std::string_view(p.amount))
        .Bind(8, std::string_view(p.unit));
    if (p.cap_per_household) {
      s.Bind(9, *p.cap_per_household);
    } else {
      s.BindNull(9);
    }
    std::string now = session_.clock().NowIso();
    s.Bind(10, std::string_view(p.cap_order))
        .Bind(11, std::string_view(p.cutoff_on.ToString()))
        .Bind(12, std::string_view(p.starts_on.ToString()))
        .Bind(13, std::string_view(p.ends_on.ToString()))
        .Bind(14, actor)
        .Bind(15, std::string_view(now));
    MALCHIN_RETURN_IF_ERROR(s.Run().WithContext("plan " + p.code));
    int64_t id = sqlite3_last_insert_rowid(db_->raw());
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt ins, db_->Prepare("INSERT INTO response_installments (plan_id, "
                               "number, due_on) VALUES (?1, ?2, ?3)"));
    for (const InstallmentRecord& i : p.installments) {
      ins.Bind(1, id)
          .Bind(2, i.number)
          .Bind(3, std::string_view(i.due_on.ToString()));
      MALCHIN_RETURN_IF_ERROR(
          ins.Run().WithContext("installment " + std::to_string(i.number)));
    }
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "plan.create", "plan", p.code,
              "{\"event\":" + JsonString(p.event_code) +
                  ",\"eligibility\":" + JsonString(p.eligibility) +
                  ",\"amount\":" + JsonString(p.amount) + ",\"installments\":" +
                  std::to_string(p.installments.size()) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    MALCHIN_ASSIGN_OR_RETURN(auto out, FindPlan(p.code));
    if (!out) return Status::Internal("plan " + p.code + " vanished");
    return *out;
  }

  Result<std::optional<PlanRecord>> FindPlan(std::string_view code) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            "SELECT p.id, p.code, e.code, g.code, p.kind, p.name, "
            "p.eligibility, p.amount, p.unit, p.cap_per_household, "
            "p.cap_order, p.cutoff_on, p.starts_on, p.ends_on, p.status, "
            "p.prepared_by, p.prepared_at, p.approved_by, p.approved_at, "
            "p.beneficiaries, p.households, p.amount_per_installment, "
            "p.overlaps FROM response_plans p JOIN response_events e ON e.id "
            "= p.event_id LEFT JOIN response_programmes g ON g.id = "
            "p.programme_id WHERE p.code = ?1"));
    s.Bind(1, code);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<PlanRecord>();
    PlanRecord p;
    p.id = s.Int(0);
    p.code = s.Text(1);
    p.event_code = s.Text(2);
    if (!s.IsNull(3)) p.programme_code = std::string(s.Text(3));
    p.kind = s.Text(4);
    p.name = s.Text(5);
    p.eligibility = s.Text(6);
    p.amount = s.Text(7);
    p.unit = s.Text(8);
    if (!s.IsNull(9)) p.cap_per_household = s.Int(9);
    p.cap_order = s.Text(10);
    MALCHIN_ASSIGN_OR_RETURN(p.cutoff_on, StoredDate(s.Text(11), "cut-off"));
    MALCHIN_ASSIGN_OR_RETURN(p.starts_on, StoredDate(s.Text(12), "start"));
    MALCHIN_ASSIGN_OR_RETURN(p.ends_on, StoredDate(s.Text(13), "end"));
    p.status = s.Text(14);
    p.prepared_by = s.Text(15);
    p.prepared_at = s.Text(16);
    p.approved_by = s.Text(17);
    p.approved_at = s.Text(18);
    p.beneficiaries = s.Int(19);
    p.households = s.Int(20);
    p.amount_per_installment = s.Int(21);
    p.overlaps = s.Int(22);
    s.Reset();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt q, db_->Prepare("SELECT number, due_on FROM response_installments "
                             "WHERE plan_id = ?1 ORDER BY number"));
    q.Bind(1, p.id);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, q.Step());
      if (!more) break;
      InstallmentRecord i;
      i.number = static_cast<int>(q.Int(0));
      MALCHIN_ASSIGN_OR_RETURN(i.due_on, StoredDate(q.Text(1), "due date"));
      p.installments.push_back(i);
    }
    return std::optional<PlanRecord>(std::move(p));
  }

  Result<PlanRecord> ApprovePlan(
      std::string_view plan_code, std::string_view actor,
      const AreaFilter& requested,
      const std::function<Result<std::vector<SnapshotChoice>>(const Roster&)>&
          select) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    if (plan.status == "approved") return plan;
    if (plan.prepared_by == actor) {
      return Status::PermissionDenied(
          "plan " + plan.code + " was prepared by " + std::string(actor) +
          "; another officer must approve it (maker-checker)");
    }
    LargerCache cache(db_);
    // The whole register: beneficiaries outside the approver's area are
    // refused below, not silently left out.
    store::SystemScope national(session_);
    MALCHIN_ASSIGN_OR_RETURN(
        Roster roster, session_.Get<registry::Repository>().LoadRoster({}));
    MALCHIN_ASSIGN_OR_RETURN(std::vector<SnapshotChoice> chosen,
                             select(roster));
    const registry::Population& pop = roster.population;
    const int32_t n = static_cast<int32_t>(pop.persons());
    std::unordered_set<int32_t> households;
    int64_t total = 0;
    for (const SnapshotChoice& c : chosen) {
      if (c.person < 0 || c.person >= n || c.payee < 0 || c.payee >= n ||
          c.amount <= 0) {
        return Status::Internal("plan " + plan.code +
                                ": a chosen beneficiary is out of range");
      }
      int32_t h = pop.household[c.person];
      if (!area.Matches(pop.soum_code[h])) {
        return Status::PermissionDenied(
            "plan " + plan.code + " pays beneficiaries in soum " +
            std::to_string(pop.soum_code[h]) +
            ", outside your area; a national officer must approve it");
      }
      households.insert(h);
      total += c.amount;
    }
    MALCHIN_RETURN_IF_ERROR(WriteSnapshot(plan, roster, chosen));
    MALCHIN_ASSIGN_OR_RETURN(int64_t overlaps, FlagOverlaps(plan));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt upd,
        db_->Prepare("UPDATE response_plans SET status = 'approved', "
                     "approved_by = ?2, approved_at = ?3, beneficiaries = ?4, "
                     "households = ?5, amount_per_installment = ?6, overlaps "
                     "= ?7 WHERE id = ?1 AND status = 'prepared'"));
    upd.Bind(1, plan.id)
        .Bind(2, actor)
        .Bind(3, std::string_view(session_.clock().NowIso()))
        .Bind(4, static_cast<int64_t>(chosen.size()))
        .Bind(5, static_cast<int64_t>(households.size()))
        .Bind(6, total)
        .Bind(7, overlaps);
    MALCHIN_RETURN_IF_ERROR(upd.Run());
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "plan.approve", "plan", plan.code,
              "{\"beneficiaries\":" + std::to_string(chosen.size()) +
                  ",\"households\":" + std::to_string(households.size()) +
                  ",\"amount_per_installment\":" + std::to_string(total) +
                  ",\"overlaps\":" + std::to_string(overlaps) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return RequirePlan(plan_code);
  }

  Result<std::vector<std::pair<std::string, int64_t>>> Snapshot(
      std::string_view plan_code, const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT e.register_no, e.amount FROM "
                             "response_entitlements e WHERE e.plan_id = ?1 "
                             "AND " +
                             AreaSql(2, 3) + " ORDER BY e.register_no"));
    s.Bind(1, plan.id).Bind(2, area.soum_code).Bind(3, area.aimag_code);
    std::vector<std::pair<std::string, int64_t>> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.emplace_back(std::string(s.Text(0)), s.Int(1));
    }
    return out;
  }

  Result<std::vector<std::pair<std::string, std::string>>> Overlaps(
      std::string_view plan_code) override {
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT o.register_no, p.code FROM "
                             "response_overlaps o JOIN response_plans p ON "
                             "p.id = o.other_plan_id WHERE o.plan_id = ?1 "
                             "ORDER BY o.register_no, p.code"));
    s.Bind(1, plan.id);
    std::vector<std::pair<std::string, std::string>> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.emplace_back(std::string(s.Text(0)), std::string(s.Text(1)));
    }
    return out;
  }

  Result<PayrollRecord> GeneratePayroll(std::string_view plan_code,
                                        int installment,
                                        std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    LargerCache cache(db_);
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    MALCHIN_ASSIGN_OR_RETURN(auto existing,
                             FindPayroll(plan_code, installment));
    if (existing) return *existing;
    if (plan.status != "approved") {
      return Status::FailedPrecondition(
          "plan " + plan.code + " is " + plan.status +
          ", not approved: approve the plan before generating its payrolls");
    }
    bool known = std::any_of(
        plan.installments.begin(), plan.installments.end(),
        [&](const InstallmentRecord& i) { return i.number == installment; });
    if (!known) {
      return Status::NotFound("plan " + plan.code + " has no installment " +
                              std::to_string(installment) + " (it has " +
                              std::to_string(plan.installments.size()) + ")");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt ins,
        db_->Prepare("INSERT INTO response_payrolls (plan_id, installment, "
                     "status, generated_by, generated_at, lines, amount) "
                     "VALUES (?1, ?2, 'generated', ?3, ?4, 0, 0)"));
    ins.Bind(1, plan.id)
        .Bind(2, installment)
        .Bind(3, actor)
        .Bind(4, std::string_view(session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(ins.Run());
    int64_t payroll_id = sqlite3_last_insert_rowid(db_->raw());
    // A plan's snapshot rows were written by one transaction, so their ids
    // form one range: read it in id order (no sort), checking the plan.
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt range, db_->Prepare("SELECT min(id), max(id) FROM "
                                 "response_entitlements WHERE plan_id = ?1"));
    range.Bind(1, plan.id);
    MALCHIN_ASSIGN_OR_RETURN(bool has_range, range.Step());
    int64_t first = has_range ? range.Int(0) : 0;
    int64_t last = has_range ? range.Int(1) : -1;
    range.Reset();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt lines,
        db_->Prepare("INSERT INTO response_payroll_lines (payroll_id, plan_id, "
                     "entitlement_id, installment, amount) SELECT ?1, "
                     "plan_id, id, ?3, amount FROM response_entitlements "
                     "WHERE id BETWEEN ?4 AND ?5 AND +plan_id = ?2 ORDER BY "
                     "id"));
    lines.Bind(1, payroll_id)
        .Bind(2, plan.id)
        .Bind(3, installment)
        .Bind(4, first)
        .Bind(5, last);
    MALCHIN_RETURN_IF_ERROR(lines.Run().WithContext("payroll of " + plan.code));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt upd, db_->Prepare("UPDATE response_payrolls SET (lines, amount) "
                               "= (SELECT count(*), coalesce(sum(amount), 0) "
                               "FROM response_payroll_lines WHERE plan_id = "
                               "?2 AND installment = ?3) WHERE id = ?1"));
    upd.Bind(1, payroll_id).Bind(2, plan.id).Bind(3, installment);
    MALCHIN_RETURN_IF_ERROR(upd.Run());
    MALCHIN_ASSIGN_OR_RETURN(auto out, FindPayroll(plan_code, installment));
    if (!out) return Status::Internal("payroll vanished");
    MALCHIN_RETURN_IF_ERROR(Audit(
        actor, "payroll.generate", "payroll", PayrollId(plan_code, installment),
        "{\"lines\":" + std::to_string(out->lines) +
            ",\"amount\":" + std::to_string(out->amount) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return *out;
  }

  Result<PayrollRecord> ApprovePayroll(std::string_view plan_code,
                                       int installment,
                                       std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(PayrollRecord p,
                             RequirePayroll(plan_code, installment));
    if (p.status == "approved") return p;
    if (p.generated_by == actor) {
      return Status::PermissionDenied(
          "payroll " + PayrollId(plan_code, installment) +
          " was generated by " + std::string(actor) +
          "; another officer must approve it (maker-checker)");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt upd,
        db_->Prepare("UPDATE response_payrolls SET status = 'approved', "
                     "approved_by = ?2, approved_at = ?3 WHERE id = ?1"));
    upd.Bind(1, p.id).Bind(2, actor).Bind(
        3, std::string_view(session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(upd.Run());
    MALCHIN_RETURN_IF_ERROR(Audit(
        actor, "payroll.approve", "payroll", PayrollId(plan_code, installment),
        "{\"lines\":" + std::to_string(p.lines) +
            ",\"amount\":" + std::to_string(p.amount) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return RequirePayroll(plan_code, installment);
  }

  Result<std::optional<PayrollRecord>> FindPayroll(std::string_view plan_code,
                                                   int installment) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            "SELECT r.id, p.code, r.installment, i.due_on, r.status, "
            "r.generated_by, r.generated_at, r.approved_by, r.approved_at, "
            "r.lines, r.amount FROM response_payrolls r JOIN response_plans p "
            "ON p.id = r.plan_id JOIN response_installments i ON i.plan_id = "
            "r.plan_id AND i.number = r.installment WHERE p.code = ?1 AND "
            "r.installment = ?2"));
    s.Bind(1, plan_code).Bind(2, installment);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<PayrollRecord>();
    PayrollRecord r;
    r.id = s.Int(0);
    r.plan_code = s.Text(1);
    r.installment = static_cast<int>(s.Int(2));
    MALCHIN_ASSIGN_OR_RETURN(r.due_on, StoredDate(s.Text(3), "due date"));
    r.status = s.Text(4);
    r.generated_by = s.Text(5);
    r.generated_at = s.Text(6);
    r.approved_by = s.Text(7);
    r.approved_at = s.Text(8);
    r.lines = s.Int(9);
    r.amount = s.Int(10);
    s.Reset();
    return std::optional<PayrollRecord>(std::move(r));
  }

  Result<IssueResult> IssuePayments(
      std::string_view plan_code, int installment, std::string_view actor,
      const std::function<Result<std::string>(std::string_view account)>&
          bank_of) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    LargerCache cache(db_);
    MALCHIN_ASSIGN_OR_RETURN(PayrollRecord payroll,
                             RequirePayroll(plan_code, installment));
    if (payroll.status != "approved") {
      return Status::FailedPrecondition(
          "payroll " + PayrollId(plan_code, installment) +
          " is generated, not approved: another officer must approve it "
          "before payment files are written");
    }
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    // Lines with no live attempt, routed to banks first (no writes while
    // the read runs).
    struct ToIssue {
      int64_t line_id;
      int64_t amount;
      int attempt;
      int bank;
    };
    std::vector<ToIssue> todo;
    std::vector<std::string> banks;
    std::unordered_map<std::string, int> bank_index;
    IssueResult result;
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s,
          db_->Prepare(
              "SELECT l.id, l.amount, e.account, e.register_no, (SELECT "
              "max(attempt) FROM response_payments y WHERE y.line_id = l.id) "
              "FROM response_payroll_lines l JOIN response_entitlements e ON "
              "e.id = l.entitlement_id WHERE l.plan_id = ?1 AND l.installment "
              "= ?2 AND NOT EXISTS "
              "(SELECT 1 FROM response_payments y WHERE y.line_id = l.id AND "
              "y.status IN ('pending', 'paid'))"));
      s.Bind(1, plan.id).Bind(2, installment);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        Result<std::string> bank = bank_of(s.Text(2));
        if (!bank.ok()) {
          result.unroutable.emplace_back(std::string(s.Text(3)),
                                         bank.status().message());
          continue;
        }
        auto [it, inserted] =
            bank_index.emplace(*bank, static_cast<int>(banks.size()));
        if (inserted) banks.push_back(*bank);
        todo.push_back({s.Int(0), s.Int(1),
                        static_cast<int>(s.IsNull(4) ? 1 : s.Int(4) + 1),
                        it->second});
      }
    }
    if (todo.empty()) return result;  // Rolls back: nothing was written.
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt batch,
        db_->Prepare("INSERT INTO response_payment_batches (payroll_id, "
                     "created_by, created_at) VALUES (?1, ?2, ?3)"));
    batch.Bind(1, payroll.id)
        .Bind(2, actor)
        .Bind(3, std::string_view(session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(batch.Run());
    result.batch_id = sqlite3_last_insert_rowid(db_->raw());
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt ins,
        db_->Prepare("INSERT INTO response_payments (line_id, attempt, "
                     "reference, batch_id, bank_code, amount, status) VALUES "
                     "(?1, ?2, ?3, ?4, ?5, ?6, 'pending')"));
    std::string prefix = "MLC-" + std::to_string(plan.id) + "-" +
                         std::to_string(installment) + "-";
    std::string ref;
    for (const ToIssue& t : todo) {
      ref = prefix;
      ref += std::to_string(t.line_id);
      ref += '-';
      ref += std::to_string(t.attempt);
      ins.Bind(1, t.line_id)
          .Bind(2, t.attempt)
          .Bind(3, std::string_view(ref))
          .Bind(4, result.batch_id)
          .Bind(5, std::string_view(banks[t.bank]))
          .Bind(6, t.amount);
      MALCHIN_RETURN_IF_ERROR(ins.Run().WithContext("payment " + ref));
      result.issued++;
      result.amount += t.amount;
      if (t.attempt > 1) result.reissued++;
    }
    MALCHIN_RETURN_IF_ERROR(Audit(
        actor, "payroll.issue", "payroll", PayrollId(plan_code, installment),
        "{\"batch\":" + std::to_string(result.batch_id) +
            ",\"payments\":" + std::to_string(result.issued) +
            ",\"amount\":" + std::to_string(result.amount) +
            ",\"reissued\":" + std::to_string(result.reissued) +
            ",\"unroutable\":" + std::to_string(result.unroutable.size()) +
            "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return result;
  }

  Status ForEachIssued(
      std::string_view plan_code, int installment, int64_t batch_id,
      const std::function<Status(const IssuedPayment&)>& fn) override {
    MALCHIN_ASSIGN_OR_RETURN(PayrollRecord payroll,
                             RequirePayroll(plan_code, installment));
    if (batch_id == 0) {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s, db_->Prepare("SELECT max(id) FROM response_payment_batches "
                               "WHERE payroll_id = ?1"));
      s.Bind(1, payroll.id);
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (row && !s.IsNull(0)) batch_id = s.Int(0);
      s.Reset();
      if (batch_id == 0) return Status::Ok();
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            "SELECT y.bank_code, y.reference, e.payee_name, "
            "e.payee_register_no, e.register_no, e.account, y.amount FROM "
            "response_payments y JOIN response_payroll_lines l ON l.id = "
            "y.line_id JOIN response_entitlements e ON e.id = "
            "l.entitlement_id JOIN response_payment_batches b ON b.id = "
            "y.batch_id WHERE y.batch_id = ?1 AND b.payroll_id = ?2 ORDER BY "
            "y.bank_code, y.id"));
    s.Bind(1, batch_id).Bind(2, payroll.id);
    IssuedPayment p;
    p.batch_id = batch_id;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      p.bank_code = s.Text(0);
      p.reference = s.Text(1);
      p.payee_name = s.Text(2);
      p.payee_register_no = s.Text(3);
      p.beneficiary_register_no = s.Text(4);
      p.account = s.Text(5);
      p.amount = s.Int(6);
      Status st = fn(p);
      if (!st.ok()) {
        s.Reset();
        return st;
      }
    }
    return Status::Ok();
  }

  Result<ReconcileCounts> ApplyResults(std::string_view file_name,
                                       const std::vector<PaymentResult>& rows,
                                       std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    LargerCache cache(db_);
    struct Change {
      int64_t id;
      const PaymentResult* row;
    };
    std::vector<Change> changes;
    // The problems of the lowest 50 lines (a max-heap by line), reported in
    // line order.
    std::priority_queue<std::pair<size_t, std::string>> problems;
    int64_t problem_count = 0;
    auto problem = [&](const PaymentResult& r, const std::string& what) {
      ++problem_count;
      if (problems.size() == 50 && problems.top().first <= r.line) return;
      problems.emplace(r.line, std::string(file_name) + ":" +
                                   std::to_string(r.line) + ": " + what);
      if (problems.size() > 50) problems.pop();
    };
    ReconcileCounts counts;
    counts.rows = static_cast<int64_t>(rows.size());
    if (rows.empty()) return counts;
    // Rows in reference order; a repeated reference is next to its first
    // occurrence (the lowest line first).
    std::vector<uint32_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&rows](uint32_t a, uint32_t b) {
      int c = rows[a].reference.compare(rows[b].reference);
      return c != 0 ? c < 0 : rows[a].line < rows[b].line;
    });
    // The payments are read in the same order: one pass over the reference
    // index between the file's first and last reference when that range
    // holds not many more payments than the file has rows (a bank's file
    // of a payroll), else one lookup per row (a few rows of a large
    // register).
    const std::string& lo = rows[order.front()].reference;
    const std::string& hi = rows[order.back()].reference;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt span, db_->Prepare("SELECT count(*) FROM response_payments "
                                "WHERE reference BETWEEN ?1 AND ?2"));
    span.Bind(1, std::string_view(lo)).Bind(2, std::string_view(hi));
    MALCHIN_ASSIGN_OR_RETURN(bool spanned, span.Step());
    const int64_t in_range = spanned ? span.Int(0) : 0;
    span.Reset();
    const bool scan = in_range <= 4 * static_cast<int64_t>(rows.size()) + 1000;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt find,
        db_->Prepare(scan ? "SELECT reference, id, amount, status, "
                            "coalesce(reason, '') FROM response_payments "
                            "WHERE reference BETWEEN ?1 AND ?2 ORDER BY "
                            "reference"
                          : "SELECT reference, id, amount, status, "
                            "coalesce(reason, '') FROM response_payments "
                            "WHERE reference = ?1"));
    if (scan) find.Bind(1, std::string_view(lo)).Bind(2, std::string_view(hi));
    bool scan_row = false;  // The scan is on a row (not yet past the end).
    bool scan_started = false;
    struct Issued {
      int64_t id = 0, amount = 0;
      std::string status, reason;
    } issued;
    // Finds the payment with `reference` (references come in ascending
    // order); false if none.
    auto lookup = [&](const std::string& reference) -> Result<bool> {
      if (scan) {
        if (!scan_started) {
          MALCHIN_ASSIGN_OR_RETURN(scan_row, find.Step());
          scan_started = true;
        }
        while (scan_row && find.Text(0) < std::string_view(reference)) {
          MALCHIN_ASSIGN_OR_RETURN(scan_row, find.Step());
        }
        if (!scan_row || find.Text(0) != std::string_view(reference)) {
          return false;
        }
      } else {
        find.Bind(1, std::string_view(reference));
        MALCHIN_ASSIGN_OR_RETURN(bool found, find.Step());
        if (!found) return false;
      }
      issued.id = find.Int(1);
      issued.amount = find.Int(2);
      issued.status = find.Text(3);
      issued.reason = find.Text(4);
      if (!scan) find.Reset();
      return true;
    };
    changes.reserve(rows.size());
    const PaymentResult* previous = nullptr;
    for (uint32_t k : order) {
      const PaymentResult& r = rows[k];
      if (previous && previous->reference == r.reference) {
        problem(r, "reference " + r.reference + " repeats line " +
                       std::to_string(previous->line));
        continue;
      }
      previous = &r;
      MALCHIN_ASSIGN_OR_RETURN(bool found, lookup(r.reference));
      if (!found) {
        problem(r, "reference " + r.reference +
                       " was never issued by this register (expected a "
                       "reference from one of its payment files)");
        continue;
      }
      if (issued.amount != r.amount) {
        problem(r, "amount " + std::to_string(r.amount) + " for " +
                       r.reference + " differs from the " +
                       std::to_string(issued.amount) + " MNT issued");
        continue;
      }
      if (issued.status == r.status && issued.reason == r.reason) {
        counts.unchanged++;
        continue;
      }
      bool allowed = issued.status == "pending" ||
                     (issued.status == "paid" && r.status == "returned");
      if (!allowed) {
        problem(r, "payment " + r.reference + " is already " + issued.status +
                       "; it cannot become " + r.status +
                       " (only pending results change, and paid may become "
                       "returned)");
        continue;
      }
      changes.push_back({issued.id, &r});
    }
    if (scan) find.Reset();
    if (problem_count > 0) {
      std::vector<std::string> listed;
      while (!problems.empty()) {
        listed.push_back(std::move(problems.top().second));
        problems.pop();
      }
      std::string msg = std::to_string(problem_count) +
                        " problem(s) in the bank file, nothing was changed:";
      for (auto it = listed.rbegin(); it != listed.rend(); ++it) {
        msg += "\n  " + *it;
      }
      if (problem_count > 50) msg += "\n  ...";
      return Status::InvalidArgument(msg);
    }
    // Updates in row order of the payments table.
    std::sort(changes.begin(), changes.end(),
              [](const Change& a, const Change& b) { return a.id < b.id; });
    counts.changed = static_cast<int64_t>(changes.size());
    if (changes.empty()) return counts;  // Re-import: nothing to write.
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt imp,
        db_->Prepare("INSERT INTO response_reconciliations (file_name, rows, "
                     "changed, imported_by, imported_at) VALUES (?1, ?2, ?3, "
                     "?4, ?5)"));
    imp.Bind(1, file_name)
        .Bind(2, counts.rows)
        .Bind(3, counts.changed)
        .Bind(4, actor)
        .Bind(5, std::string_view(session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(imp.Run());
    int64_t import_id = sqlite3_last_insert_rowid(db_->raw());
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt upd, db_->Prepare("UPDATE response_payments SET status = ?2, "
                               "reason = ?3, result_import_id = ?4 WHERE id "
                               "= ?1"));
    for (const Change& c : changes) {
      upd.Bind(1, c.id)
          .Bind(2, std::string_view(c.row->status))
          .Bind(3, c.row->reason.empty()
                       ? std::optional<std::string>()
                       : std::optional<std::string>(c.row->reason))
          .Bind(4, import_id);
      MALCHIN_RETURN_IF_ERROR(upd.Run().WithContext(
          std::string(file_name) + ":" + std::to_string(c.row->line)));
    }
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "payments.reconcile", "reconciliation",
              std::to_string(import_id),
              "{\"file\":" + JsonString(file_name) +
                  ",\"rows\":" + std::to_string(counts.rows) +
                  ",\"changed\":" + std::to_string(counts.changed) + "}"));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return counts;
  }

  Result<std::vector<PaymentTotals>> PaymentReport(
      std::string_view plan_code, int installment,
      const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_RETURN_IF_ERROR(RequirePayroll(plan_code, installment).status());
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    const int64_t plan_id = plan.id;
    std::map<std::pair<int32_t, std::string>, PaymentTotals> cells;
    // The cell of a row whose first two columns are soum code and sex.
    auto cell = [&cells](const Stmt& s) -> PaymentTotals& {
      std::pair<int32_t, std::string> key(static_cast<int32_t>(s.Int(0)),
                                          std::string(s.Text(1)));
      PaymentTotals& t = cells[key];
      t.soum_code = key.first;
      t.sex = key.second;
      return t;
    };
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s,
          db_->Prepare(
              "SELECT e.soum_code, e.sex, count(*), sum(l.amount), "
              "sum(NOT EXISTS (SELECT 1 FROM response_payments y WHERE "
              "y.line_id = l.id AND y.status IN ('pending', 'paid'))) FROM "
              "response_payroll_lines l JOIN response_entitlements e ON e.id "
              "= l.entitlement_id WHERE l.plan_id = ?1 AND l.installment = ?4 "
              "AND " +
              AreaSql(2, 3) + " GROUP BY e.soum_code, e.sex"));
      s.Bind(1, plan_id)
          .Bind(2, area.soum_code)
          .Bind(3, area.aimag_code)
          .Bind(4, installment);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        PaymentTotals& t = cell(s);
        t.lines = s.Int(2);
        t.lines_amount = s.Int(3);
        t.not_issued = s.Int(4);
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare("SELECT e.soum_code, e.sex, y.status, count(*), "
                     "sum(y.amount) FROM response_payments y JOIN "
                     "response_payroll_lines l ON l.id = y.line_id JOIN "
                     "response_entitlements e ON e.id = l.entitlement_id "
                     "WHERE l.plan_id = ?1 AND l.installment = ?4 AND " +
                     AreaSql(2, 3) + " GROUP BY e.soum_code, e.sex, y.status"));
    s.Bind(1, plan_id)
        .Bind(2, area.soum_code)
        .Bind(3, area.aimag_code)
        .Bind(4, installment);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      PaymentTotals& t = cell(s);
      std::string_view status = s.Text(2);
      int64_t n = s.Int(3), amount = s.Int(4);
      t.issued += n;
      t.issued_amount += amount;
      if (status == "paid") {
        t.paid += n;
        t.paid_amount += amount;
      } else if (status == "failed") {
        t.failed += n;
        t.failed_amount += amount;
      } else if (status == "returned") {
        t.returned += n;
        t.returned_amount += amount;
      } else {
        t.pending += n;
        t.pending_amount += amount;
      }
    }
    std::vector<PaymentTotals> out;
    PaymentTotals total;
    for (auto& [key, t] : cells) {
      total.lines += t.lines;
      total.lines_amount += t.lines_amount;
      total.not_issued += t.not_issued;
      total.issued += t.issued;
      total.issued_amount += t.issued_amount;
      total.paid += t.paid;
      total.paid_amount += t.paid_amount;
      total.failed += t.failed;
      total.failed_amount += t.failed_amount;
      total.returned += t.returned;
      total.returned_amount += t.returned_amount;
      total.pending += t.pending;
      total.pending_amount += t.pending_amount;
      out.push_back(std::move(t));
    }
    out.push_back(total);
    return out;
  }

 private:
  static std::string PayrollId(std::string_view plan, int installment) {
    return std::string(plan) + "#" + std::to_string(installment);
  }

  static std::string JsonString(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += c;
      }
    }
    return out + "\"";
  }

  Status Audit(std::string_view actor, std::string action, std::string type,
               std::string_view id, std::string after) {
    AuditEntry e;
    e.actor = actor;
    e.action = std::move(action);
    e.entity_type = std::move(type);
    e.entity_id = id;
    e.after_json = std::move(after);
    return session_.Audit(e).status();
  }

  static bool SameEvent(const ShockEventRecord& a, const ShockEventRecord& b) {
    if (a.type != b.type || a.name != b.name || a.source != b.source ||
        a.reference != b.reference || a.declared_on != b.declared_on ||
        a.starts_on != b.starts_on || a.ends_on != b.ends_on) {
      return false;
    }
    std::vector<EventSoum> x = a.soums, y = b.soums;
    auto by_code = [](const EventSoum& p, const EventSoum& q) {
      return p.soum_code < q.soum_code;
    };
    std::sort(x.begin(), x.end(), by_code);
    std::sort(y.begin(), y.end(), by_code);
    return x == y;
  }

  static bool SamePlan(const PlanRecord& a, const PlanRecord& b) {
    return a.event_code == b.event_code &&
           a.programme_code == b.programme_code && a.kind == b.kind &&
           a.name == b.name && a.eligibility == b.eligibility &&
           a.amount == b.amount && a.unit == b.unit &&
           a.cap_per_household == b.cap_per_household &&
           a.cap_order == b.cap_order && a.cutoff_on == b.cutoff_on &&
           a.starts_on == b.starts_on && a.ends_on == b.ends_on &&
           a.installments == b.installments;
  }

  Result<int64_t> IdOf(const char* table, std::string_view code,
                       const char* what, const char* hint) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT id FROM ") + table +
                             " WHERE code = ?1"));
    s.Bind(1, code);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      return Status::NotFound(std::string("no ") + what + " " + Quoted(code) +
                              " (see " + hint + ")");
    }
    int64_t id = s.Int(0);
    s.Reset();
    return id;
  }

  Result<PlanRecord> RequirePlan(std::string_view code) {
    MALCHIN_ASSIGN_OR_RETURN(auto p, FindPlan(code));
    if (!p) {
      return Status::NotFound("no plan " + Quoted(code) +
                              " (create it with malchin plan create)");
    }
    return std::move(*p);
  }

  Result<PayrollRecord> RequirePayroll(std::string_view plan_code,
                                       int installment) {
    MALCHIN_ASSIGN_OR_RETURN(auto p, FindPayroll(plan_code, installment));
    if (!p) {
      MALCHIN_RETURN_IF_ERROR(RequirePlan(plan_code).status());
      return Status::NotFound("no payroll for installment " +
                              std::to_string(installment) + " of plan " +
                              std::string(plan_code) +
                              " (generate it with malchin payroll generate)");
    }
    return std::move(*p);
  }

  // Adds or changes soum severities; returns how many rows changed.
  Result<int64_t> UpsertSoums(int64_t event_id,
                              const std::vector<EventSoum>& soums) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("INSERT INTO response_event_soums (event_id, "
                             "soum_code, severity) VALUES (?1, ?2, ?3) ON "
                             "CONFLICT (event_id, soum_code) DO UPDATE SET "
                             "severity = excluded.severity WHERE severity <> "
                             "excluded.severity"));
    int64_t changed = 0;
    for (const EventSoum& e : soums) {
      s.Bind(1, event_id)
          .Bind(2, e.soum_code)
          .Bind(3, std::string_view(e.severity));
      MALCHIN_RETURN_IF_ERROR(
          s.Run().WithContext("soum " + std::to_string(e.soum_code)));
      changed += db_->Changes();
    }
    return changed;
  }

  // Writes the snapshot of `plan` (inside the caller's transaction): the
  // choices go into a temporary table with what the roster knows (household,
  // soum, sex, birth date, disability), then one INSERT ... SELECT copies
  // identity, payee name and account from the persons table by person id.
  // The UNIQUE (plan_id, register_no) constraint still guards every row.
  Status WriteSnapshot(const PlanRecord& plan, const Roster& roster,
                       const std::vector<SnapshotChoice>& chosen) {
    const registry::Population& pop = roster.population;
    MALCHIN_RETURN_IF_ERROR(db_->Exec(
        "CREATE TEMP TABLE IF NOT EXISTS response_choice (pid INTEGER "
        "PRIMARY KEY, payee INTEGER NOT NULL, amount INTEGER NOT NULL, "
        "household_id TEXT NOT NULL, soum_code INTEGER NOT NULL, sex TEXT "
        "NOT NULL, birth_date TEXT NOT NULL, disability INTEGER NOT NULL)"));
    MALCHIN_RETURN_IF_ERROR(db_->Exec("DELETE FROM temp.response_choice"));
    // In person id order: the temporary table is appended to, and the
    // persons rows are then read in order.
    std::vector<uint32_t> order(chosen.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return roster.person_row[chosen[a].person] <
             roster.person_row[chosen[b].person];
    });
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt ins,
          db_->Prepare("INSERT INTO temp.response_choice (pid, payee, amount, "
                       "household_id, soum_code, sex, birth_date, disability) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
      for (uint32_t k : order) {
        const SnapshotChoice& c = chosen[k];
        int32_t h = pop.household[c.person];
        ins.Bind(1, roster.person_row[c.person])
            .Bind(2, roster.person_row[c.payee])
            .Bind(3, c.amount)
            .Bind(4, std::string_view(pop.household_id[h]))
            .Bind(5, pop.soum_code[h])
            .Bind(6, std::string_view(
                         pop.sex[c.person] ==
                                 static_cast<uint8_t>(registry::Sex::kMale)
                             ? "M"
                             : "F"))
            .Bind(7, std::string_view(
                         Date::FromDays(pop.birth_days[c.person]).ToString()))
            .Bind(8, static_cast<int64_t>(pop.disability[c.person] != 0));
        Status st = ins.Run();
        if (!st.ok()) {
          return st.code() == StatusCode::kAlreadyExists
                     ? Status::Internal("snapshot of " + plan.code +
                                        ": a person was chosen twice")
                     : st.WithContext("snapshot of " + plan.code);
        }
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt copy,
        db_->Prepare(
            "INSERT INTO response_entitlements (plan_id, register_no, "
            "household_id, soum_code, sex, birth_date, disability, amount, "
            "payee_register_no, payee_name, account) SELECT ?1, "
            "p.register_no, c.household_id, c.soum_code, c.sex, "
            "c.birth_date, c.disability, c.amount, q.register_no, "
            "trim(q.father_name || ' ' || q.given_name), q.bank_account FROM "
            "temp.response_choice c JOIN persons p ON p.pid = c.pid JOIN "
            "persons q ON q.pid = c.payee ORDER BY c.pid"));
    copy.Bind(1, plan.id);
    MALCHIN_RETURN_IF_ERROR(copy.Run().WithContext("snapshot of " + plan.code));
    const int64_t written = db_->Changes();
    MALCHIN_RETURN_IF_ERROR(db_->Exec("DELETE FROM temp.response_choice"));
    if (written != static_cast<int64_t>(chosen.size())) {
      return Status::Internal("snapshot of " + plan.code + ": " +
                              std::to_string(chosen.size() - written) +
                              " chosen person(s) vanished");
    }
    return Status::Ok();
  }

  // Flags snapshot persons of `plan` also in an approved plan of the same
  // event or programme whose period overlaps. Returns how many persons.
  Result<int64_t> FlagOverlaps(const PlanRecord& plan) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt others,
        db_->Prepare(
            "SELECT o.id FROM response_plans o, response_plans p WHERE p.id "
            "= ?1 AND o.id <> p.id AND o.status = 'approved' AND (o.event_id "
            "= p.event_id OR o.programme_id = p.programme_id) AND "
            "o.starts_on <= p.ends_on AND p.starts_on <= o.ends_on"));
    others.Bind(1, plan.id);
    std::vector<int64_t> ids;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, others.Step());
      if (!row) break;
      ids.push_back(others.Int(0));
    }
    if (ids.empty()) return int64_t{0};
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt ins,
        db_->Prepare("INSERT OR IGNORE INTO response_overlaps (plan_id, "
                     "other_plan_id, register_no) SELECT ?1, ?2, "
                     "e.register_no FROM response_entitlements e WHERE "
                     "e.plan_id = ?1 AND EXISTS (SELECT 1 FROM "
                     "response_entitlements o WHERE o.plan_id = ?2 AND "
                     "o.register_no = e.register_no)"));
    for (int64_t other : ids) {
      ins.Bind(1, plan.id).Bind(2, other);
      MALCHIN_RETURN_IF_ERROR(ins.Run());
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt count, db_->Prepare("SELECT count(DISTINCT register_no) FROM "
                                 "response_overlaps WHERE plan_id = ?1"));
    count.Bind(1, plan.id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, count.Step());
    int64_t n = row ? count.Int(0) : 0;
    count.Reset();
    return n;
  }

  SqliteSession& session_;
  Db* db_;
};

}  // namespace

void RegisterResponseRepositories(Factories* f) {
  f->Add<response::Repository, SqliteResponseStore>();
}

}  // namespace malchin::backends::sqlite
