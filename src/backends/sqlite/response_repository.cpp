// SQLite rows of response::Repository: programmes, events, plans, the
// frozen snapshot and overlaps (response_rows.h).
#include <algorithm>
#include <numeric>

#include "backends/sqlite/response_rows.h"

namespace malchin::backends::sqlite {
namespace {

using response::EventSoum;
using response::InstallmentRecord;
using response::PlanRecord;
using response::ProgrammeRecord;
using response::ShockEventRecord;
using response::SnapshotChoice;

using response::FromStored;

std::optional<std::string> OptDate(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

std::string SexOf(const registry::Population& pop, int32_t person) {
  return pop.sex[person] == static_cast<uint8_t>(registry::Sex::kMale) ? "M"
                                                                       : "F";
}

// The plan's row: SELECT kPlanColumns FROM kPlanFrom WHERE ...
constexpr std::string_view kPlanColumns =
    "SELECT p.id, p.code, e.code, g.code, p.kind, p.name, p.eligibility, "
    "p.amount, p.unit, p.cap_per_household, p.cap_order, p.cutoff_on, "
    "p.starts_on, p.ends_on, p.status, p.prepared_by, p.prepared_at, "
    "coalesce(p.approved_by, ''), coalesce(p.approved_at, ''), "
    "p.beneficiaries, p.households, p.amount_per_installment, p.overlaps, "
    "p.schedule_reason, p.overlap_choice, p.overlap_count, p.overlap_reason "
    "FROM response_plans p JOIN response_events e ON e.id = p.event_id LEFT "
    "JOIN response_programmes g ON g.id = p.programme_id ";

Result<PlanRecord> PlanOf(const Stmt& s) {
  PlanRecord p;
  p.id = s.Int(0);
  p.code = s.Text(1);
  p.event_code = s.Text(2);
  if (!s.IsNull(3)) p.programme_code = std::string(s.Text(3));
  MALCHIN_ASSIGN_OR_RETURN(p.kind,
                           FromStored(response::ParsePlanKind(s.Text(4))));
  p.name = s.Text(5);
  p.eligibility = s.Text(6);
  p.amount = s.Text(7);
  MALCHIN_ASSIGN_OR_RETURN(p.unit, FromStored(response::ParseUnit(s.Text(8))));
  if (!s.IsNull(9)) p.cap_per_household = s.Int(9);
  MALCHIN_ASSIGN_OR_RETURN(p.cap_order,
                           FromStored(response::ParseCapOrder(s.Text(10))));
  MALCHIN_ASSIGN_OR_RETURN(p.cutoff_on, StoredDate(s.Text(11), "cut-off"));
  MALCHIN_ASSIGN_OR_RETURN(p.starts_on, StoredDate(s.Text(12), "start"));
  MALCHIN_ASSIGN_OR_RETURN(p.ends_on, StoredDate(s.Text(13), "end"));
  MALCHIN_ASSIGN_OR_RETURN(p.status,
                           FromStored(response::ParsePlanStatus(s.Text(14))));
  p.prepared_by = s.Text(15);
  p.prepared_at = s.Text(16);
  p.approved_by = s.Text(17);
  p.approved_at = s.Text(18);
  p.beneficiaries = s.Int(19);
  p.households = s.Int(20);
  p.amount_per_installment = s.Int(21);
  p.overlaps = s.Int(22);
  p.schedule_reason = s.Text(23);
  if (!s.IsNull(24)) {
    MALCHIN_ASSIGN_OR_RETURN(
        p.overlap_choice, FromStored(response::ParseOverlapChoice(s.Text(24))));
  }
  p.overlap_count = s.Int(25);
  p.overlap_reason = s.Text(26);
  return p;
}

}  // namespace

Result<response::Entitlement> EntitlementOf(const Stmt& s, int first) {
  response::Entitlement e;
  e.id = s.Int(first);
  e.register_no = s.Text(first + 1);
  e.household_id = s.Text(first + 2);
  e.soum_code = static_cast<int32_t>(s.Int(first + 3));
  e.sex = s.Text(first + 4);
  MALCHIN_ASSIGN_OR_RETURN(e.birth_date,
                           StoredDate(s.Text(first + 5), "birth date"));
  e.disability = s.Int(first + 6) != 0;
  e.amount = s.Int(first + 7);
  e.payee_register_no = s.Text(first + 8);
  e.payee_name = s.Text(first + 9);
  e.account = s.Text(first + 10);
  e.age_band = s.Text(first + 11);
  e.payee_sex = s.Text(first + 12);
  e.head_sex = s.Text(first + 13);
  return e;
}

Result<Date> StoredDate(std::string_view text, std::string_view what) {
  auto d = Date::Parse(text);
  if (!d.ok()) return d.status().WithContext("stored " + std::string(what));
  return d;
}

LargerCache::LargerCache(Db* db) : db_(db) {
  auto s = db_->Prepare("PRAGMA cache_size");
  if (s.ok()) {
    auto row = s->Step();
    if (row.ok() && *row) old_ = s->Int(0);
    s->Reset();
  }
  if (old_ != 0) (void)db_->Exec("PRAGMA cache_size=-262144");  // 256 MiB.
}

LargerCache::~LargerCache() {
  if (old_ != 0) (void)db_->Exec("PRAGMA cache_size=" + std::to_string(old_));
}

Result<std::optional<ProgrammeRecord>> SqliteResponseRows::FindProgramme(
    std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                           Sql("programme",
                               "SELECT id, code, name, eligibility, amount, "
                               "unit FROM response_programmes WHERE code = "
                               "?1"));
  s->Bind(1, code);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<ProgrammeRecord>();
  ProgrammeRecord p;
  p.id = s->Int(0);
  p.code = s->Text(1);
  p.name = s->Text(2);
  p.eligibility = s->Text(3);
  p.amount = s->Text(4);
  auto unit = FromStored(response::ParseUnit(s->Text(5)));
  s->Reset();
  MALCHIN_ASSIGN_OR_RETURN(p.unit, unit);
  return std::optional<ProgrammeRecord>(std::move(p));
}

Result<int64_t> SqliteResponseRows::InsertProgramme(
    const ProgrammeRecord& p, std::string_view created_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("programme_ins",
                    "INSERT INTO response_programmes (code, name, "
                    "eligibility, amount, unit, created_at) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6)"));
  s->Bind(1, std::string_view(p.code))
      .Bind(2, std::string_view(p.name))
      .Bind(3, std::string_view(p.eligibility))
      .Bind(4, std::string_view(p.amount))
      .Bind(5, response::Name(p.unit))
      .Bind(6, created_at);
  MALCHIN_RETURN_IF_ERROR(s->Run().WithContext("programme " + p.code));
  return LastId();
}

Result<std::optional<ShockEventRecord>> SqliteResponseRows::FindEvent(
    std::string_view code, const AreaFilter& requested) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("event",
                    "SELECT id, code, type, name, source, reference, "
                    "declared_on, starts_on, ends_on, created_by "
                    "FROM response_events WHERE code = ?1"));
  s->Bind(1, code);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<ShockEventRecord>();
  ShockEventRecord e;
  e.id = s->Int(0);
  e.code = s->Text(1);
  e.type = s->Text(2);
  e.name = s->Text(3);
  e.source = s->Text(4);
  e.reference = s->Text(5);
  auto declared = StoredDate(s->Text(6), "date");
  auto starts = StoredDate(s->Text(7), "date");
  std::optional<Result<Date>> ends;
  if (!s->IsNull(8)) ends = StoredDate(s->Text(8), "date");
  e.created_by = s->Text(9);
  s->Reset();
  MALCHIN_ASSIGN_OR_RETURN(e.declared_on, declared);
  MALCHIN_ASSIGN_OR_RETURN(e.starts_on, starts);
  if (ends) {
    MALCHIN_ASSIGN_OR_RETURN(e.ends_on, *ends);
  }
  AreaClause a = session_.Area(requested, "soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * q, Sql("event_soums" + a.key,
                    "SELECT soum_code, severity FROM response_event_soums "
                    "WHERE event_id = ?1 AND " +
                        a.sql + " ORDER BY soum_code"));
  q->Bind(1, e.id);
  a.Bind(*q);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool more, q->Step());
    if (!more) break;
    auto severity = FromStored(response::ParseSeverity(q->Text(1)));
    if (!severity.ok()) {
      q->Reset();
      return severity.status();
    }
    e.soums.push_back({static_cast<int32_t>(q->Int(0)), *severity});
  }
  return std::optional<ShockEventRecord>(std::move(e));
}

Result<int64_t> SqliteResponseRows::InsertEvent(const ShockEventRecord& e,
                                                std::string_view created_at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("event_ins",
          "INSERT INTO response_events (code, type, name, source, reference, "
          "declared_on, starts_on, ends_on, created_by, created_at) VALUES "
          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  s->Bind(1, std::string_view(e.code))
      .Bind(2, std::string_view(e.type))
      .Bind(3, std::string_view(e.name))
      .Bind(4, std::string_view(e.source))
      .Bind(5, std::string_view(e.reference))
      .Bind(6, std::string_view(e.declared_on.ToString()))
      .Bind(7, std::string_view(e.starts_on.ToString()))
      .Bind(8, OptDate(e.ends_on))
      .Bind(9, std::string_view(e.created_by))
      .Bind(10, created_at);
  MALCHIN_RETURN_IF_ERROR(s->Run().WithContext("event " + e.code));
  return LastId();
}

Result<int64_t> SqliteResponseRows::UpsertEventSoums(
    int64_t event_id, const std::vector<EventSoum>& soums) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("event_soum_ups",
          "INSERT INTO response_event_soums (event_id, soum_code, severity) "
          "VALUES (?1, ?2, ?3) ON CONFLICT (event_id, soum_code) DO UPDATE "
          "SET severity = excluded.severity WHERE severity <> "
          "excluded.severity"));
  int64_t changed = 0;
  for (const EventSoum& e : soums) {
    s->Bind(1, event_id)
        .Bind(2, e.soum_code)
        .Bind(3, response::Name(e.severity));
    MALCHIN_RETURN_IF_ERROR(
        s->Run().WithContext("soum " + std::to_string(e.soum_code)));
    changed += db_->Changes();
  }
  return changed;
}

Result<std::optional<PlanRecord>> SqliteResponseRows::FindPlan(
    std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("plan", std::string(kPlanColumns) + "WHERE p.code = ?1"));
  s->Bind(1, code);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<PlanRecord>();
  Result<PlanRecord> p = PlanOf(*s);
  s->Reset();
  MALCHIN_RETURN_IF_ERROR(p.status());
  MALCHIN_ASSIGN_OR_RETURN(Stmt * q,
                           Sql("installments",
                               "SELECT number, due_on FROM "
                               "response_installments WHERE plan_id = "
                               "?1 ORDER BY number"));
  q->Bind(1, p->id);
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool more, q->Step());
    if (!more) break;
    InstallmentRecord i;
    i.number = static_cast<int>(q->Int(0));
    auto due = StoredDate(q->Text(1), "due date");
    if (!due.ok()) {
      q->Reset();
      return due.status();
    }
    i.due_on = *due;
    p->installments.push_back(i);
  }
  return std::optional<PlanRecord>(std::move(*p));
}

Result<std::optional<int64_t>> SqliteResponseRows::IdOf(const std::string& name,
                                                        std::string_view sql,
                                                        std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s, Sql(name, sql));
  s->Bind(1, code);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<int64_t>();
  int64_t id = s->Int(0);
  s->Reset();
  return std::optional<int64_t>(id);
}

Result<std::optional<int64_t>> SqliteResponseRows::EventId(
    std::string_view code) {
  return IdOf("event_id", "SELECT id FROM response_events WHERE code = ?1",
              code);
}

Result<std::optional<int64_t>> SqliteResponseRows::ProgrammeId(
    std::string_view code) {
  return IdOf("programme_id",
              "SELECT id FROM response_programmes WHERE code = ?1", code);
}

Result<int64_t> SqliteResponseRows::InsertPlan(
    const PlanRecord& p, int64_t event_id,
    std::optional<int64_t> programme_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("plan_ins",
          "INSERT INTO response_plans (code, event_id, programme_id, kind, "
          "name, eligibility, amount, unit, cap_per_household, cap_order, "
          "cutoff_on, starts_on, ends_on, status, prepared_by, prepared_at, "
          "schedule_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
          "?11, ?12, ?13, ?14, ?15, ?16, ?17)"));
  s->Bind(1, std::string_view(p.code)).Bind(2, event_id);
  if (programme_id) s->Bind(3, *programme_id);
  s->Bind(4, response::Name(p.kind))
      .Bind(5, std::string_view(p.name))
      .Bind(6, std::string_view(p.eligibility))
      .Bind(7, std::string_view(p.amount))
      .Bind(8, response::Name(p.unit));
  if (p.cap_per_household) s->Bind(9, *p.cap_per_household);
  s->Bind(10, response::Name(p.cap_order))
      .Bind(11, std::string_view(p.cutoff_on.ToString()))
      .Bind(12, std::string_view(p.starts_on.ToString()))
      .Bind(13, std::string_view(p.ends_on.ToString()))
      .Bind(14, response::Name(p.status))
      .Bind(15, std::string_view(p.prepared_by))
      .Bind(16, std::string_view(p.prepared_at))
      .Bind(17, std::string_view(p.schedule_reason));
  MALCHIN_RETURN_IF_ERROR(s->Run().WithContext("plan " + p.code));
  const int64_t id = LastId();
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * ins, Sql("installment_ins",
                      "INSERT INTO response_installments (plan_id, number, "
                      "due_on) VALUES (?1, ?2, ?3)"));
  for (const InstallmentRecord& i : p.installments) {
    ins->Bind(1, id)
        .Bind(2, i.number)
        .Bind(3, std::string_view(i.due_on.ToString()));
    MALCHIN_RETURN_IF_ERROR(
        ins->Run().WithContext("installment " + std::to_string(i.number)));
  }
  return id;
}

Result<bool> SqliteResponseRows::MarkPlanApproved(
    int64_t plan_id, const response::PlanApproval& a) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("plan_approve",
          "UPDATE response_plans SET status = 'approved', approved_by = ?2, "
          "approved_at = ?3, beneficiaries = ?4, households = ?5, "
          "amount_per_installment = ?6, overlaps = ?7, overlap_choice = ?8, "
          "overlap_count = ?9, overlap_reason = ?10 WHERE id = ?1 AND "
          "status = 'prepared'"));
  s->Bind(1, plan_id)
      .Bind(2, std::string_view(a.approved_by))
      .Bind(3, std::string_view(a.approved_at))
      .Bind(4, a.beneficiaries)
      .Bind(5, a.households)
      .Bind(6, a.amount_per_installment)
      .Bind(7, a.overlaps)
      .Bind(8, a.overlap_choice ? std::optional<std::string>(std::string(
                                      response::Name(*a.overlap_choice)))
                                : std::optional<std::string>())
      .Bind(9, a.overlap_count)
      .Bind(10, std::string_view(a.overlap_reason));
  MALCHIN_RETURN_IF_ERROR(s->Run());
  return db_->Changes() == 1;
}

Result<std::vector<response::PlanPeriod>>
SqliteResponseRows::ApprovedPlansSharing(const PlanRecord& plan) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("plans_sharing",
          "SELECT o.id, o.code, o.starts_on, o.ends_on, e.code, g.code FROM "
          "response_plans o JOIN response_events e ON e.id = o.event_id LEFT "
          "JOIN response_programmes g ON g.id = o.programme_id, "
          "response_plans p WHERE p.id = ?1 AND o.id <> p.id AND o.status "
          "= 'approved' AND (o.event_id = p.event_id OR o.programme_id = "
          "p.programme_id) ORDER BY o.id"));
  s->Bind(1, plan.id);
  std::vector<response::PlanPeriod> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    response::PlanPeriod p{s->Int(0), std::string(s->Text(1)), {},
                           {},        std::string(s->Text(4)), std::nullopt};
    if (!s->IsNull(5)) p.programme_code = std::string(s->Text(5));
    auto starts = StoredDate(s->Text(2), "start");
    auto ends = StoredDate(s->Text(3), "end");
    if (!starts.ok() || !ends.ok()) {
      s->Reset();
      return starts.ok() ? ends.status() : starts.status();
    }
    p.starts_on = *starts;
    p.ends_on = *ends;
    out.push_back(std::move(p));
  }
  return out;
}

// The choices go into a temporary table with what the roster knows
// (household, soum, sex, birth date, disability), in person id order: the
// table is appended to, and the persons rows are then read in order.
Status SqliteResponseRows::FillChoices(
    const response::Roster& roster, const std::vector<SnapshotChoice>& chosen) {
  const registry::Population& pop = roster.population;
  MALCHIN_RETURN_IF_ERROR(db_->Exec(
      "CREATE TEMP TABLE IF NOT EXISTS response_choice (pid INTEGER PRIMARY "
      "KEY, payee INTEGER NOT NULL, amount INTEGER NOT NULL, household_id "
      "TEXT NOT NULL, soum_code INTEGER NOT NULL, sex TEXT NOT NULL, "
      "birth_date TEXT NOT NULL, disability INTEGER NOT NULL, age_band TEXT, "
      "payee_sex TEXT, head_sex TEXT)"));
  MALCHIN_RETURN_IF_ERROR(db_->Exec("DELETE FROM temp.response_choice"));
  std::vector<uint32_t> order(chosen.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return roster.person_row[chosen[a].person] <
           roster.person_row[chosen[b].person];
  });
  // Not kept: the temporary table is created on first use.
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt ins,
      db_->Prepare("INSERT INTO temp.response_choice (pid, payee, amount, "
                   "household_id, soum_code, sex, birth_date, disability, "
                   "age_band, payee_sex, head_sex) VALUES (?1, ?2, ?3, ?4, "
                   "?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  for (uint32_t k : order) {
    const SnapshotChoice& c = chosen[k];
    const int32_t h = pop.household[c.person];
    const bool male =
        pop.sex[c.person] == static_cast<uint8_t>(registry::Sex::kMale);
    ins.Bind(9, c.age_band >= 0 ? std::optional<std::string>(std::string(
                                      registry::AgeBandName(c.age_band)))
                                : std::optional<std::string>())
        .Bind(10, std::optional<std::string>(SexOf(pop, c.payee)))
        .Bind(11, c.head >= 0 ? std::optional<std::string>(SexOf(pop, c.head))
                              : std::optional<std::string>());
    ins.Bind(1, roster.person_row[c.person])
        .Bind(2, roster.person_row[c.payee])
        .Bind(3, c.amount)
        .Bind(4, std::string_view(pop.household_id[h]))
        .Bind(5, pop.soum_code[h])
        .Bind(6, std::string_view(male ? "M" : "F"))
        .Bind(7, std::string_view(
                     Date::FromDays(pop.birth_days[c.person]).ToString()))
        .Bind(8, static_cast<int64_t>(pop.disability[c.person] != 0));
    MALCHIN_RETURN_IF_ERROR(ins.Run());
  }
  return Status::Ok();
}

// One INSERT ... SELECT then copies identity, payee name and account from
// the persons table by person id. UNIQUE (plan_id, register_no) still
// guards every row.
Result<int64_t> SqliteResponseRows::InsertSnapshot(
    int64_t plan_id, const response::Roster& roster,
    const std::vector<SnapshotChoice>& chosen) {
  LargerCache cache(db_);
  MALCHIN_RETURN_IF_ERROR(FillChoices(roster, chosen));
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * copy,
      Sql("snapshot_ins",
          "INSERT INTO response_entitlements (plan_id, register_no, "
          "household_id, soum_code, sex, birth_date, disability, amount, "
          "payee_register_no, payee_name, account, age_band, payee_sex, "
          "head_sex) SELECT ?1, p.register_no, c.household_id, c.soum_code, "
          "c.sex, c.birth_date, c.disability, c.amount, q.register_no, "
          "trim(q.father_name || ' ' || q.given_name), q.bank_account, "
          "c.age_band, c.payee_sex, c.head_sex FROM temp.response_choice c "
          "JOIN "
          "persons p ON p.pid = c.pid JOIN persons q ON q.pid = c.payee ORDER "
          "BY c.pid"));
  copy->Bind(1, plan_id);
  MALCHIN_RETURN_IF_ERROR(copy->Run());
  const int64_t written = db_->Changes();
  MALCHIN_RETURN_IF_ERROR(db_->Exec("DELETE FROM temp.response_choice"));
  return written;
}

Result<std::vector<std::pair<std::string, int64_t>>>
SqliteResponseRows::Snapshot(int64_t plan_id, const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("snapshot" + a.key,
                    "SELECT register_no, amount FROM response_entitlements "
                    "WHERE plan_id = ?1 AND " +
                        a.sql + " ORDER BY register_no"));
  s->Bind(1, plan_id);
  a.Bind(*s);
  std::vector<std::pair<std::string, int64_t>> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.emplace_back(std::string(s->Text(0)), s->Int(1));
  }
  return out;
}

Result<std::vector<int64_t>> SqliteResponseRows::PersonIdsIn(
    const std::vector<int64_t>& plan_ids) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("person_ids_in",
                    "SELECT p.pid FROM response_entitlements e JOIN persons p "
                    "ON p.register_no = e.register_no WHERE e.plan_id = ?1"));
  std::vector<int64_t> out;
  for (int64_t plan : plan_ids) {
    s->Bind(1, plan);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(s->Int(0));
    }
  }
  return out;
}

Result<std::optional<response::Entitlement>>
SqliteResponseRows::FindEntitlement(int64_t plan_id,
                                    std::string_view register_no,
                                    const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("entitlement" + a.key,
                    std::string(kEntitlementColumns) +
                        "FROM response_entitlements WHERE plan_id = ?1 AND "
                        "register_no = ?2 AND " +
                        a.sql));
  s->Bind(1, plan_id).Bind(2, register_no);
  a.Bind(*s);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<response::Entitlement>();
  Result<response::Entitlement> e = EntitlementOf(*s, 0);
  s->Reset();
  MALCHIN_RETURN_IF_ERROR(e.status());
  return std::optional<response::Entitlement>(std::move(*e));
}

Result<response::SnapshotTotals> SqliteResponseRows::Totals(
    int64_t plan_id, const AreaFilter& requested) {
  AreaClause a = session_.Area(requested, "soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("snapshot_totals" + a.key,
                    "SELECT count(*), count(DISTINCT household_id), "
                    "coalesce(sum(amount), 0) FROM response_entitlements "
                    "WHERE plan_id = ?1 AND " +
                        a.sql));
  s->Bind(1, plan_id);
  a.Bind(*s);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  response::SnapshotTotals t;
  if (row) t = {s->Int(0), s->Int(1), s->Int(2)};
  s->Reset();
  return t;
}

Status SqliteResponseRows::InsertOverlaps(int64_t plan_id,
                                          int64_t other_plan_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      Sql("overlaps_ins",
          "INSERT OR IGNORE INTO response_overlaps (plan_id, other_plan_id, "
          "register_no) SELECT ?1, ?2, e.register_no FROM "
          "response_entitlements e WHERE e.plan_id = ?1 AND EXISTS (SELECT 1 "
          "FROM response_entitlements o WHERE o.plan_id = ?2 AND "
          "o.register_no = e.register_no)"));
  s->Bind(1, plan_id).Bind(2, other_plan_id);
  return s->Run();
}

Result<int64_t> SqliteResponseRows::CountOverlapPersons(int64_t plan_id) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                           Sql("overlaps_count",
                               "SELECT count(DISTINCT register_no) FROM "
                               "response_overlaps WHERE plan_id = ?1"));
  s->Bind(1, plan_id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  int64_t n = row ? s->Int(0) : 0;
  s->Reset();
  return n;
}

Result<std::vector<std::pair<std::string, std::string>>>
SqliteResponseRows::Overlaps(int64_t plan_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Sql("overlaps",
                    "SELECT o.register_no, p.code FROM response_overlaps o "
                    "JOIN response_plans p ON p.id = o.other_plan_id WHERE "
                    "o.plan_id = ?1 ORDER BY o.register_no, p.code"));
  s->Bind(1, plan_id);
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.emplace_back(std::string(s->Text(0)), std::string(s->Text(1)));
  }
  return out;
}

void RegisterResponseRepositories(Factories* f) {
  f->Add<response::Repository, SqliteResponseRows>();
}

}  // namespace malchin::backends::sqlite
