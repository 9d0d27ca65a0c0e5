// PostgreSQL rows of response::Repository: programmes, events, plans, the
// frozen snapshot and overlaps (response_rows.h).
#include "backends/postgres/copy.h"
#include "backends/postgres/response_rows.h"

namespace malchin::backends::postgres {
namespace {

using response::EventSoum;
using response::InstallmentRecord;
using response::PlanRecord;
using response::ProgrammeRecord;
using response::ShockEventRecord;
using response::SnapshotChoice;

using response::FromStored;

Result<std::optional<int64_t>> FirstId(Result<pqxx::result> r) {
  MALCHIN_RETURN_IF_ERROR(r.status());
  if (r->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(PgInt((*r)[0][0]));
}

Result<int64_t> NewId(Result<pqxx::result> r) {
  MALCHIN_RETURN_IF_ERROR(r.status());
  if (r->empty()) return Status::Internal("an INSERT returned no id");
  return PgInt((*r)[0][0]);
}

constexpr std::string_view kPlanColumns =
    "SELECT p.id, p.code, e.code, g.code, p.kind, p.name, p.eligibility, "
    "p.amount, p.unit, p.cap_per_household, p.cap_order, p.cutoff_on, "
    "p.starts_on, p.ends_on, p.status, p.prepared_by, p.prepared_at, "
    "coalesce(p.approved_by, ''), coalesce(p.approved_at, ''), "
    "p.beneficiaries, p.households, p.amount_per_installment, p.\"overlaps\", "
    "p.schedule_reason, p.overlap_choice, p.overlap_count, p.overlap_reason "
    "FROM response_plans p JOIN response_events e ON e.id = p.event_id LEFT "
    "JOIN response_programmes g ON g.id = p.programme_id ";

Result<PlanRecord> PlanOf(const pqxx::row& r) {
  PlanRecord p;
  p.id = PgInt(r[0]);
  p.code = PgText(r[1]);
  p.event_code = PgText(r[2]);
  p.programme_code = PgOptText(r[3]);
  MALCHIN_ASSIGN_OR_RETURN(p.kind,
                           FromStored(response::ParsePlanKind(PgText(r[4]))));
  p.name = PgText(r[5]);
  p.eligibility = PgText(r[6]);
  p.amount = PgText(r[7]);
  MALCHIN_ASSIGN_OR_RETURN(p.unit,
                           FromStored(response::ParseUnit(PgText(r[8]))));
  p.cap_per_household = PgOptInt(r[9]);
  MALCHIN_ASSIGN_OR_RETURN(p.cap_order,
                           FromStored(response::ParseCapOrder(PgText(r[10]))));
  p.cutoff_on = PgDate(r[11]);
  p.starts_on = PgDate(r[12]);
  p.ends_on = PgDate(r[13]);
  MALCHIN_ASSIGN_OR_RETURN(
      p.status, FromStored(response::ParsePlanStatus(PgText(r[14]))));
  p.prepared_by = PgText(r[15]);
  p.prepared_at = PgText(r[16]);
  p.approved_by = PgText(r[17]);
  p.approved_at = PgText(r[18]);
  p.beneficiaries = PgInt(r[19]);
  p.households = PgInt(r[20]);
  p.amount_per_installment = PgInt(r[21]);
  p.overlaps = PgInt(r[22]);
  p.schedule_reason = PgText(r[23]);
  if (auto choice = PgOptText(r[24])) {
    MALCHIN_ASSIGN_OR_RETURN(p.overlap_choice,
                             FromStored(response::ParseOverlapChoice(*choice)));
  }
  p.overlap_count = PgInt(r[25]);
  p.overlap_reason = PgText(r[26]);
  return p;
}

std::optional<std::string> SexOf(const registry::Population& pop,
                                 int32_t person) {
  if (person < 0) return std::nullopt;
  return std::string(
      pop.sex[person] == static_cast<uint8_t>(registry::Sex::kMale) ? "M"
                                                                    : "F");
}

}  // namespace

response::Entitlement EntitlementOf(const pqxx::row& r, int first) {
  response::Entitlement e;
  e.id = PgInt(r[first]);
  e.register_no = PgText(r[first + 1]);
  e.household_id = PgText(r[first + 2]);
  e.soum_code = static_cast<int32_t>(PgInt(r[first + 3]));
  e.sex = PgText(r[first + 4]);
  e.birth_date = PgDate(r[first + 5]);
  e.disability = PgBool(r[first + 6]);
  e.amount = PgInt(r[first + 7]);
  e.payee_register_no = PgText(r[first + 8]);
  e.payee_name = PgText(r[first + 9]);
  e.account = PgText(r[first + 10]);
  e.age_band = PgText(r[first + 11]);
  e.payee_sex = PgText(r[first + 12]);
  e.head_sex = PgText(r[first + 13]);
  return e;
}

std::string PgTextArray(const std::vector<std::string>& items, size_t from,
                        size_t to) {
  std::string out = "{";
  for (size_t i = from; i < to; ++i) {
    if (i > from) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Result<std::optional<ProgrammeRecord>> PgResponseRows::FindProgramme(
    std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("programme",
          "SELECT id, code, name, eligibility, amount, unit FROM "
          "response_programmes WHERE code = $1",
          code));
  if (r.empty()) return std::optional<ProgrammeRecord>();
  ProgrammeRecord p;
  p.id = PgInt(r[0][0]);
  p.code = PgText(r[0][1]);
  p.name = PgText(r[0][2]);
  p.eligibility = PgText(r[0][3]);
  p.amount = PgText(r[0][4]);
  MALCHIN_ASSIGN_OR_RETURN(p.unit,
                           FromStored(response::ParseUnit(PgText(r[0][5]))));
  return std::optional<ProgrammeRecord>(std::move(p));
}

Result<int64_t> PgResponseRows::InsertProgramme(const ProgrammeRecord& p,
                                                std::string_view created_at) {
  return NewId(Sql("programme_ins",
                   "INSERT INTO response_programmes (code, name, eligibility, "
                   "amount, unit, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                   "RETURNING id",
                   p.code, p.name, p.eligibility, p.amount,
                   response::Name(p.unit), created_at));
}

Result<std::optional<ShockEventRecord>> PgResponseRows::FindEvent(
    std::string_view code, const AreaFilter& requested) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("event",
          "SELECT id, code, type, name, source, reference, declared_on, "
          "starts_on, ends_on, created_by FROM response_events WHERE code = "
          "$1",
          code));
  if (r.empty()) return std::optional<ShockEventRecord>();
  const pqxx::row row = r[0];
  ShockEventRecord e;
  e.id = PgInt(row[0]);
  e.code = PgText(row[1]);
  e.type = PgText(row[2]);
  e.name = PgText(row[3]);
  e.source = PgText(row[4]);
  e.reference = PgText(row[5]);
  e.declared_on = PgDate(row[6]);
  e.starts_on = PgDate(row[7]);
  e.ends_on = PgOptDate(row[8]);
  e.created_by = PgText(row[9]);
  PgArea a = s_.Area(requested, "soum_code", 2);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result soums,
      Sql("event_soums" + a.key,
          "SELECT soum_code, severity FROM response_event_soums WHERE "
          "event_id = $1 AND " +
              a.sql + " ORDER BY soum_code",
          e.id, a.value));
  for (const pqxx::row& s : soums) {
    MALCHIN_ASSIGN_OR_RETURN(auto severity,
                             FromStored(response::ParseSeverity(PgText(s[1]))));
    e.soums.push_back({static_cast<int32_t>(PgInt(s[0])), severity});
  }
  return std::optional<ShockEventRecord>(std::move(e));
}

Result<int64_t> PgResponseRows::InsertEvent(const ShockEventRecord& e,
                                            std::string_view created_at) {
  return NewId(Sql("event_ins",
                   "INSERT INTO response_events (code, type, name, source, "
                   "reference, declared_on, starts_on, ends_on, created_by, "
                   "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                   "$10) RETURNING id",
                   e.code, e.type, e.name, e.source, e.reference, e.declared_on,
                   e.starts_on, e.ends_on, e.created_by, created_at));
}

Result<int64_t> PgResponseRows::UpsertEventSoums(
    int64_t event_id, const std::vector<EventSoum>& soums) {
  int64_t changed = 0;
  for (const EventSoum& e : soums) {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        Sql("event_soum_ups",
            "INSERT INTO response_event_soums (event_id, soum_code, "
            "severity) VALUES ($1, $2, $3) ON CONFLICT (event_id, soum_code) "
            "DO UPDATE SET severity = EXCLUDED.severity WHERE "
            "response_event_soums.severity <> EXCLUDED.severity",
            event_id, e.soum_code, response::Name(e.severity)));
    changed += r.affected_rows();
  }
  return changed;
}

Result<std::optional<PlanRecord>> PgResponseRows::FindPlan(
    std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("plan", std::string(kPlanColumns) + "WHERE p.code = $1", code));
  if (r.empty()) return std::optional<PlanRecord>();
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord p, PlanOf(r[0]));
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result installments,
      Sql("installments",
          "SELECT number, due_on FROM response_installments WHERE plan_id = "
          "$1 ORDER BY number",
          p.id));
  for (const pqxx::row& i : installments) {
    p.installments.push_back(
        InstallmentRecord{static_cast<int>(PgInt(i[0])), PgDate(i[1])});
  }
  return std::optional<PlanRecord>(std::move(p));
}

Result<std::optional<int64_t>> PgResponseRows::EventId(std::string_view code) {
  return FirstId(
      Sql("event_id", "SELECT id FROM response_events WHERE code = $1", code));
}

Result<std::optional<int64_t>> PgResponseRows::ProgrammeId(
    std::string_view code) {
  return FirstId(Sql("programme_id",
                     "SELECT id FROM response_programmes WHERE code = $1",
                     code));
}

Result<int64_t> PgResponseRows::InsertPlan(
    const PlanRecord& p, int64_t event_id,
    std::optional<int64_t> programme_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      int64_t id,
      NewId(Sql("plan_ins",
                "INSERT INTO response_plans (code, event_id, programme_id, "
                "kind, name, eligibility, amount, unit, cap_per_household, "
                "cap_order, cutoff_on, starts_on, ends_on, status, "
                "prepared_by, prepared_at, schedule_reason) VALUES ($1, $2, "
                "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                "$16, $17) RETURNING id",
                p.code, event_id, programme_id, response::Name(p.kind), p.name,
                p.eligibility, p.amount, response::Name(p.unit),
                p.cap_per_household, response::Name(p.cap_order), p.cutoff_on,
                p.starts_on, p.ends_on, response::Name(p.status), p.prepared_by,
                p.prepared_at, p.schedule_reason)));
  for (const InstallmentRecord& i : p.installments) {
    MALCHIN_RETURN_IF_ERROR(
        Sql("installment_ins",
            "INSERT INTO response_installments (plan_id, number, due_on) "
            "VALUES ($1, $2, $3)",
            id, i.number, i.due_on)
            .status());
  }
  return id;
}

Result<bool> PgResponseRows::MarkPlanApproved(int64_t plan_id,
                                              const response::PlanApproval& a) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("plan_approve",
          "UPDATE response_plans SET status = 'approved', approved_by = $2, "
          "approved_at = $3, beneficiaries = $4, households = $5, "
          "amount_per_installment = $6, \"overlaps\" = $7, overlap_choice = "
          "$8, overlap_count = $9, overlap_reason = $10 WHERE id = $1 AND "
          "status = 'prepared'",
          plan_id, a.approved_by, a.approved_at, a.beneficiaries, a.households,
          a.amount_per_installment, a.overlaps,
          a.overlap_choice ? std::optional<std::string>(
                                 std::string(response::Name(*a.overlap_choice)))
                           : std::optional<std::string>(),
          a.overlap_count, a.overlap_reason));
  return r.affected_rows() == 1;
}

Result<std::vector<response::PlanPeriod>> PgResponseRows::ApprovedPlansSharing(
    const PlanRecord& plan) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("plans_sharing",
          "SELECT o.id, o.code, o.starts_on, o.ends_on, e.code, g.code FROM "
          "response_plans o JOIN response_events e ON e.id = o.event_id LEFT "
          "JOIN response_programmes g ON g.id = o.programme_id, "
          "response_plans p WHERE p.id = $1 AND o.id <> p.id AND o.status "
          "= 'approved' AND (o.event_id = p.event_id OR o.programme_id = "
          "p.programme_id) ORDER BY o.id",
          plan.id));
  std::vector<response::PlanPeriod> out;
  for (const pqxx::row& row : r) {
    out.push_back({PgInt(row[0]), PgText(row[1]), PgDate(row[2]),
                   PgDate(row[3]), PgText(row[4]), PgOptText(row[5])});
  }
  return out;
}

// The choices go by COPY into a temporary table (emptied at commit) with
// what the roster knows: household, soum, sex, birth date, disability.
Status PgResponseRows::CopyChoices(const response::Roster& roster,
                                   const std::vector<SnapshotChoice>& chosen) {
  MALCHIN_RETURN_IF_ERROR(
      s_.ExecuteOnce(
            "CREATE TEMP TABLE IF NOT EXISTS response_choice (pid BIGINT "
            "PRIMARY KEY, payee BIGINT NOT NULL, amount BIGINT NOT NULL, "
            "household_id TEXT NOT NULL, soum_code INTEGER NOT NULL, sex "
            "TEXT NOT NULL, birth_date DATE NOT NULL, disability BOOLEAN NOT "
            "NULL, age_band TEXT, payee_sex TEXT, head_sex TEXT) ON COMMIT "
            "DELETE ROWS; TRUNCATE response_choice")
          .status());
  const registry::Population& pop = roster.population;
  MALCHIN_ASSIGN_OR_RETURN(
      auto copy, PgCopy::Start(s_, "response_choice",
                               {"pid", "payee", "amount", "household_id",
                                "soum_code", "sex", "birth_date", "disability",
                                "age_band", "payee_sex", "head_sex"}));
  for (const SnapshotChoice& c : chosen) {
    const int32_t h = pop.household[c.person];
    const bool male =
        pop.sex[c.person] == static_cast<uint8_t>(registry::Sex::kMale);
    MALCHIN_RETURN_IF_ERROR(copy->Row(
        roster.person_row[c.person], roster.person_row[c.payee], c.amount,
        pop.household_id[h], pop.soum_code[h], male ? "M" : "F",
        Date::FromDays(pop.birth_days[c.person]), pop.disability[c.person] != 0,
        c.age_band >= 0 ? std::optional<std::string>(
                              std::string(registry::AgeBandName(c.age_band)))
                        : std::optional<std::string>(),
        SexOf(pop, c.payee), SexOf(pop, c.head)));
  }
  MALCHIN_RETURN_IF_ERROR(copy->Finish().status());
  // Temporary tables are never analysed by autovacuum: without row counts
  // the planner hashes the whole persons table for the join below.
  return s_.ExecuteOnce("ANALYZE response_choice").status();
}

// One INSERT ... SELECT copies identity, payee name and account from the
// persons table by person id. UNIQUE (plan_id, register_no) guards every
// row.
Result<int64_t> PgResponseRows::InsertSnapshot(
    int64_t plan_id, const response::Roster& roster,
    const std::vector<SnapshotChoice>& chosen) {
  MALCHIN_RETURN_IF_ERROR(CopyChoices(roster, chosen));
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("snapshot_ins",
          "INSERT INTO response_entitlements (plan_id, register_no, "
          "household_id, soum_code, sex, birth_date, disability, amount, "
          "payee_register_no, payee_name, account, age_band, payee_sex, "
          "head_sex) SELECT $1, p.register_no, c.household_id, c.soum_code, "
          "c.sex, c.birth_date, c.disability, c.amount, q.register_no, "
          "trim(q.father_name || ' ' || q.given_name), q.bank_account, "
          "c.age_band, c.payee_sex, c.head_sex FROM response_choice c JOIN "
          "persons p ON p.pid = c.pid JOIN persons q ON q.pid = c.payee ORDER "
          "BY c.pid",
          plan_id));
  return static_cast<int64_t>(r.affected_rows());
}

Result<std::vector<std::pair<std::string, int64_t>>> PgResponseRows::Snapshot(
    int64_t plan_id, const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "soum_code", 2);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("snapshot" + a.key,
          "SELECT register_no, amount FROM response_entitlements WHERE "
          "plan_id = $1 AND " +
              a.sql + " ORDER BY register_no COLLATE \"C\"",
          plan_id, a.value));
  std::vector<std::pair<std::string, int64_t>> out;
  out.reserve(r.size());
  for (const pqxx::row& row : r) {
    out.emplace_back(PgText(row[0]), PgInt(row[1]));
  }
  return out;
}

Result<std::vector<int64_t>> PgResponseRows::PersonIdsIn(
    const std::vector<int64_t>& plan_ids) {
  std::vector<int64_t> out;
  for (int64_t plan : plan_ids) {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        Sql("person_ids_in",
            "SELECT p.pid FROM response_entitlements e JOIN persons p ON "
            "p.register_no = e.register_no WHERE e.plan_id = $1",
            plan));
    for (const pqxx::row& row : r) out.push_back(PgInt(row[0]));
  }
  return out;
}

Result<std::optional<response::Entitlement>> PgResponseRows::FindEntitlement(
    int64_t plan_id, std::string_view register_no,
    const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "soum_code", 3);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("entitlement" + a.key,
          std::string(kEntitlementColumns) +
              "FROM response_entitlements WHERE plan_id = $1 AND register_no "
              "= $2 AND " +
              a.sql,
          plan_id, register_no, a.value));
  if (r.empty()) return std::optional<response::Entitlement>();
  return std::optional<response::Entitlement>(EntitlementOf(r[0], 0));
}

Result<response::SnapshotTotals> PgResponseRows::Totals(
    int64_t plan_id, const AreaFilter& requested) {
  PgArea a = s_.Area(requested, "soum_code", 2);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("snapshot_totals" + a.key,
          "SELECT count(*), count(DISTINCT household_id), coalesce(sum("
          "amount), 0) FROM response_entitlements WHERE plan_id = $1 AND " +
              a.sql,
          plan_id, a.value));
  response::SnapshotTotals t;
  if (!r.empty()) t = {PgInt(r[0][0]), PgInt(r[0][1]), PgInt(r[0][2])};
  return t;
}

Status PgResponseRows::InsertOverlaps(int64_t plan_id, int64_t other_plan_id) {
  return Sql("overlaps_ins",
             "INSERT INTO response_overlaps (plan_id, other_plan_id, "
             "register_no) SELECT $1, $2, e.register_no FROM "
             "response_entitlements e WHERE e.plan_id = $1 AND EXISTS "
             "(SELECT 1 FROM response_entitlements o WHERE o.plan_id = $2 AND "
             "o.register_no = e.register_no) ON CONFLICT DO NOTHING",
             plan_id, other_plan_id)
      .status();
}

Result<int64_t> PgResponseRows::CountOverlapPersons(int64_t plan_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("overlaps_count",
          "SELECT count(DISTINCT register_no) FROM response_overlaps WHERE "
          "plan_id = $1",
          plan_id));
  return r.empty() ? 0 : PgInt(r[0][0]);
}

Result<std::vector<std::pair<std::string, std::string>>>
PgResponseRows::Overlaps(int64_t plan_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Sql("overlaps",
          "SELECT o.register_no, p.code FROM response_overlaps o JOIN "
          "response_plans p ON p.id = o.other_plan_id WHERE o.plan_id = $1 "
          "ORDER BY o.register_no COLLATE \"C\", p.code COLLATE \"C\"",
          plan_id));
  std::vector<std::pair<std::string, std::string>> out;
  for (const pqxx::row& row : r)
    out.emplace_back(PgText(row[0]), PgText(row[1]));
  return out;
}

void RegisterResponseRepositories(PgFactories* f) {
  f->Add<response::Repository>(
      [](PgSession& s) { return std::make_unique<PgResponseRows>(s); });
}

}  // namespace malchin::backends::postgres
