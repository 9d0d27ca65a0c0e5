// The PostgreSQL engine's grievance::Repository, cases (schema: migration
// 7). Reads apply the caller's area (PgArea on the case's soum) and the
// Visibility the capability gives; the capability checks what comes back.
#include "backends/postgres/grievance_sql.h"

namespace malchin::backends::postgres {
namespace {

using grievance::Case;
using grievance::CaseFact;
using grievance::CaseHeader;
using grievance::CasePage;
using grievance::CaseQuery;
using grievance::Visibility;

constexpr const char* kCaseColumns =
    "c.id, c.reference, c.channel, c.category, c.confidential, c.state, "
    "c.level, c.soum_code, c.anonymous, c.complainant_register_no, "
    "c.complainant_name, c.complainant_phone, c.complainant_address, "
    "c.complainant_sex, c.complainant_birth_year, c.complainant_staff, "
    "c.contact, c.subject_kind, c.subject_ref, c.accused_officer, c.summary, "
    "c.external_id, c.received_at, c.received_on, c.recorded_by, "
    "c.assigned_to, c.acknowledge_by, c.resolve_by, c.acknowledged_on, "
    "c.decided_on, c.closed_on, c.escalated_on, c.outcome, c.tracking_hash, "
    "c.version";

// The Visibility of a read as $first (ordinary), $first+1 (confidential)
// and $first+2 (the excluded officer, "" for none).
std::string VisibleSql(int first) {
  std::string a = "$" + std::to_string(first) + "::boolean";
  std::string b = "$" + std::to_string(first + 1) + "::boolean";
  std::string o = "$" + std::to_string(first + 2) + "::text";
  return "((c.confidential AND " + b + ") OR (NOT c.confidential AND " + a +
         ")) AND (" + o + " = '' OR c.accused_officer <> " + o + ")";
}

void AddVisible(std::vector<PgValue>* p, const Visibility& v) {
  p->push_back(ToPg(v.ordinary));
  p->push_back(ToPg(v.confidential));
  p->push_back(ToPg(v.excluded_officer));
}

std::optional<registry::Sex> SexOf(const pqxx::field& f) {
  auto t = PgOptText(f);
  if (!t) return std::nullopt;
  return *t == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
}

Result<Case> ReadCase(const pqxx::row& r) {
  Case c;
  c.id = PgInt(r[0]);
  c.reference = PgText(r[1]);
  MALCHIN_ASSIGN_OR_RETURN(c.channel,
                           PgEnum(r[2], &grievance::ParseChannel, "channel"));
  c.category = PgText(r[3]);
  c.confidential = PgBool(r[4]);
  MALCHIN_ASSIGN_OR_RETURN(c.state,
                           PgEnum(r[5], &grievance::ParseCaseState, "state"));
  MALCHIN_ASSIGN_OR_RETURN(c.level,
                           PgEnum(r[6], &grievance::ParseLevel, "level"));
  c.soum_code = static_cast<int32_t>(PgInt(r[7]));
  grievance::Complainant& p = c.complainant;
  p.anonymous = PgBool(r[8]);
  p.register_no = PgText(r[9]);
  p.name = PgText(r[10]);
  p.phone = PgText(r[11]);
  p.address = PgText(r[12]);
  p.sex = SexOf(r[13]);
  p.birth_year = static_cast<int32_t>(PgInt(r[14]));
  p.staff = PgBool(r[15]);
  MALCHIN_ASSIGN_OR_RETURN(p.contact,
                           PgEnum(r[16], &grievance::ParseContact, "contact"));
  MALCHIN_ASSIGN_OR_RETURN(
      c.subject_kind,
      PgEnum(r[17], &grievance::ParseSubjectKind, "subject kind"));
  c.subject_ref = PgText(r[18]);
  c.accused_officer = PgText(r[19]);
  c.summary = PgText(r[20]);
  c.external_id = PgOptText(r[21]).value_or("");
  c.received_at = PgText(r[22]);
  c.received_on = PgDate(r[23]);
  c.recorded_by = PgText(r[24]);
  c.assigned_to = PgText(r[25]);
  c.acknowledge_by = PgDate(r[26]);
  c.resolve_by = PgDate(r[27]);
  c.acknowledged_on = PgOptDate(r[28]);
  c.decided_on = PgOptDate(r[29]);
  c.closed_on = PgOptDate(r[30]);
  c.escalated_on = PgOptDate(r[31]);
  c.outcome = PgText(r[32]);
  c.tracking_hash = PgText(r[33]);
  c.version = PgInt(r[34]);
  return c;
}

PgValue Named(std::optional<std::string_view> v) {
  return v ? PgValue(std::string(*v)) : std::nullopt;
}

// The filters of a case list: $1..$9 (see DoListCases).
constexpr const char* kListFilter =
    " AND ($1::text IS NULL OR c.state = $1)"
    " AND (NOT $2::boolean OR c.state IN ('received', 'acknowledged', "
    "'under_review'))"
    " AND ($3::text = '' OR c.category = $3)"
    " AND ($4::text IS NULL OR c.channel = $4)"
    " AND ($5::text IS NULL OR c.level = $5)"
    " AND ($6::text = '' OR c.assigned_to = $6)"
    " AND ($7::date IS NULL OR (c.state IN ('received', 'acknowledged', "
    "'under_review') AND ((c.state = 'received' AND c.acknowledge_by < $7) "
    "OR c.resolve_by < $7)))"
    " AND ($8::date IS NULL OR c.received_on >= $8)"
    " AND ($9::date IS NULL OR c.received_on <= $9)";

std::vector<PgValue> ListParams(const CaseQuery& q) {
  return {Named(q.state ? std::optional(grievance::CaseStateName(*q.state))
                        : std::nullopt),
          ToPg(q.open_only),
          ToPg(q.category),
          Named(q.channel ? std::optional(grievance::ChannelName(*q.channel))
                          : std::nullopt),
          Named(q.level ? std::optional(grievance::LevelName(*q.level))
                        : std::nullopt),
          ToPg(q.assigned_to),
          ToPg(q.overdue_on),
          ToPg(q.received_from),
          ToPg(q.received_to)};
}

}  // namespace

Result<int64_t> ReturnedId(const pqxx::result& r) {
  if (r.empty()) return Status::Internal("INSERT ... RETURNING gave no row");
  return PgInt(r[0][0]);
}

Result<bool> PgGrievanceRepository::ExternalIdTaken(
    grievance::Channel channel, std::string_view external_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.external",
                  "SELECT 1 FROM grievance_cases WHERE channel = $1 AND "
                  "external_id = $2",
                  grievance::ChannelName(channel), external_id));
  return !r.empty();
}

Result<std::vector<CaseHeader>> PgGrievanceRepository::Headers(
    const std::vector<int64_t>& ids) {
  std::string list = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    list += (i ? "," : "") + std::to_string(ids[i]);
  }
  list += "}";
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.headers",
                  "SELECT id, soum_code, confidential, accused_officer FROM "
                  "grievance_cases WHERE id = ANY($1::bigint[])",
                  list));
  return PgRows<CaseHeader>(r, [](const pqxx::row& row) -> Result<CaseHeader> {
    return CaseHeader{PgInt(row[0]), static_cast<int32_t>(PgInt(row[1])),
                      PgBool(row[2]), PgText(row[3])};
  });
}

Result<Case> PgGrievanceRepository::InsertCase(const Case& in) {
  const grievance::Complainant& p = in.complainant;
  std::vector<PgValue> params = {
      ToPg(grievance::ChannelName(in.channel)),
      ToPg(in.category),
      ToPg(in.confidential),
      ToPg(grievance::CaseStateName(in.state)),
      ToPg(grievance::LevelName(in.level)),
      ToPg(in.soum_code),
      ToPg(p.anonymous),
      ToPg(p.register_no),
      ToPg(p.name),
      ToPg(p.phone),
      ToPg(p.address),
      p.sex ? ToPg(registry::SexCode(*p.sex)) : PgValue(),
      ToPg(p.birth_year),
      ToPg(p.staff),
      ToPg(grievance::ContactName(p.contact)),
      ToPg(grievance::SubjectKindName(in.subject_kind)),
      ToPg(in.subject_ref),
      ToPg(in.accused_officer),
      ToPg(in.summary),
      in.external_id.empty() ? PgValue() : ToPg(in.external_id),
      ToPg(in.received_at),
      ToPg(in.received_on),
      ToPg(in.recorded_by),
      ToPg(in.assigned_to),
      ToPg(in.acknowledge_by),
      ToPg(in.resolve_by),
      ToPg(in.tracking_hash)};
  // A repeat of a channel's id is expected: ON CONFLICT keeps the
  // transaction alive (a failed statement would abort it).
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Execute(
          "grv.insert",
          "INSERT INTO grievance_cases (channel, category, confidential, "
          "state, level, soum_code, anonymous, complainant_register_no, "
          "complainant_name, complainant_phone, complainant_address, "
          "complainant_sex, complainant_birth_year, complainant_staff, "
          "contact, subject_kind, subject_ref, accused_officer, summary, "
          "external_id, received_at, received_on, recorded_by, assigned_to, "
          "acknowledge_by, resolve_by, tracking_hash) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
          "$19, $20, $21, $22, $23, $24, $25, $26, $27) ON CONFLICT "
          "(channel, external_id) WHERE external_id IS NOT NULL DO NOTHING "
          "RETURNING id",
          params));
  if (r.empty()) {
    return Status::AlreadyExists("a complaint with " + in.external_id +
                                 " was received before");
  }
  Case out = in;
  out.id = PgInt(r[0][0]);
  out.reference = grievance::MakeReference(in.received_on.year(), out.id);
  out.version = 1;
  MALCHIN_RETURN_IF_ERROR(
      s_.Prepared("grv.reference",
                  "UPDATE grievance_cases SET reference = $2 WHERE id = $1",
                  out.id, out.reference)
          .status());
  return out;
}

Result<int64_t> PgGrievanceRepository::UpdateCase(const Case& c) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.update",
                  "UPDATE grievance_cases SET category = $3, confidential = "
                  "$4, state = $5, level = $6, assigned_to = $7, "
                  "acknowledged_on = $8, decided_on = $9, closed_on = $10, "
                  "escalated_on = $11, outcome = $12, accused_officer = $13, "
                  "version = version + 1 WHERE id = $1 AND version = $2 "
                  "RETURNING version",
                  c.id, c.version, c.category, c.confidential,
                  grievance::CaseStateName(c.state),
                  grievance::LevelName(c.level), c.assigned_to,
                  c.acknowledged_on, c.decided_on, c.closed_on, c.escalated_on,
                  c.outcome, c.accused_officer));
  if (!r.empty()) return PgInt(r[0][0]);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result now,
      s_.Prepared("grv.version",
                  "SELECT version FROM grievance_cases WHERE id = $1", c.id));
  if (now.empty()) {
    return Status::NotFound("complaint " + std::to_string(c.id) +
                            " does not exist");
  }
  return Status::Conflict("complaint " + std::to_string(c.id) +
                          " is at version " + std::to_string(PgInt(now[0][0])) +
                          ", not " + std::to_string(c.version));
}

Result<std::optional<Case>> PgGrievanceRepository::DoFindCase(
    int64_t id, std::string_view reference, const Visibility& v) {
  PgArea area = s_.Area({}, "c.soum_code", 3);
  std::vector<PgValue> params = {ToPg(id), ToPg(reference), ToPg(area.value)};
  AddVisible(&params, v);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Execute("grv.find" + area.key,
                 std::string("SELECT ") + kCaseColumns +
                     " FROM grievance_cases c WHERE (c.id = $1 OR ($1 = 0 "
                     "AND c.reference = $2)) AND " +
                     area.sql + " AND " + VisibleSql(4),
                 params));
  if (r.empty()) return std::optional<Case>();
  MALCHIN_ASSIGN_OR_RETURN(Case c, ReadCase(r[0]));
  return std::optional<Case>(std::move(c));
}

Result<CasePage> PgGrievanceRepository::DoListCases(const CaseQuery& q,
                                                    const Visibility& v) {
  PgArea area = s_.Area(q.area, "c.soum_code", 10);
  const std::string where = std::string(" FROM grievance_cases c WHERE ") +
                            area.sql + kListFilter + " AND " + VisibleSql(11);
  std::vector<PgValue> params = ListParams(q);
  params.push_back(ToPg(area.value));
  AddVisible(&params, v);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result count,
      s_.Execute("grv.count" + area.key, "SELECT count(*)" + where, params));
  CasePage page;
  page.total = count.empty() ? 0 : PgInt(count[0][0]);
  params.push_back(ToPg(q.after_id));
  params.push_back(ToPg(q.page_size));
  params.push_back(ToPg(q.after_id > 0
                            ? int64_t{0}
                            : static_cast<int64_t>(q.page - 1) * q.page_size));
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Execute("grv.list" + area.key,
                 std::string("SELECT ") + kCaseColumns + where +
                     " AND c.id > $14 ORDER BY CASE WHEN $14 > 0 THEN c.id "
                     "END ASC, c.id DESC LIMIT $15 OFFSET $16",
                 params));
  MALCHIN_ASSIGN_OR_RETURN(page.items, PgRows<Case>(r, ReadCase));
  return page;
}

Result<std::vector<CaseFact>> PgGrievanceRepository::DoFacts(
    const grievance::FactQuery& q) {
  PgArea area = s_.Area(q.area, "c.soum_code", 3);
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared(
          "grv.facts" + area.key,
          "SELECT c.id, c.soum_code, c.confidential, c.accused_officer, "
          "c.category, c.channel, c.state, c.level, c.complainant_sex, "
          "c.complainant_birth_year, c.received_on, c.acknowledge_by, "
          "c.resolve_by, c.acknowledged_on, c.decided_on, c.closed_on FROM "
          "grievance_cases c WHERE ($1::date IS NULL OR c.received_on >= $1) "
          "AND ($2::date IS NULL OR c.received_on <= $2) AND " +
              area.sql + " ORDER BY c.id",
          q.from, q.to, area.value));
  return PgRows<CaseFact>(r, [](const pqxx::row& row) -> Result<CaseFact> {
    CaseFact f;
    f.header = {PgInt(row[0]), static_cast<int32_t>(PgInt(row[1])),
                PgBool(row[2]), PgText(row[3])};
    f.category = PgText(row[4]);
    MALCHIN_ASSIGN_OR_RETURN(
        f.channel, PgEnum(row[5], &grievance::ParseChannel, "channel"));
    MALCHIN_ASSIGN_OR_RETURN(
        f.state, PgEnum(row[6], &grievance::ParseCaseState, "state"));
    MALCHIN_ASSIGN_OR_RETURN(f.level,
                             PgEnum(row[7], &grievance::ParseLevel, "level"));
    f.sex = SexOf(row[8]);
    f.birth_year = static_cast<int32_t>(PgInt(row[9]));
    f.received_on = PgDate(row[10]);
    f.acknowledge_by = PgDate(row[11]);
    f.resolve_by = PgDate(row[12]);
    f.acknowledged_on = PgOptDate(row[13]);
    f.decided_on = PgOptDate(row[14]);
    f.closed_on = PgOptDate(row[15]);
    return f;
  });
}

void RegisterGrievanceRepositories(PgFactories* f) {
  f->Add<grievance::Repository>(
      [](PgSession& s) { return std::make_unique<PgGrievanceRepository>(s); });
}

}  // namespace malchin::backends::postgres
