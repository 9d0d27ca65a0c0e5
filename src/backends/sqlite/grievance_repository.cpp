// The SQLite engine's grievance::Repository, cases (schema: migration 13).
// Reads apply the caller's area (AreaClause on the case's soum) and the
// Visibility the capability gives; the capability checks what comes back.
#include "backends/sqlite/grievance_sql.h"

namespace malchin::backends::sqlite {
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

// The Visibility of a read: ?V1 ordinary, ?V2 confidential, ?V3 excluded
// officer ("" for none), numbered from `first`.
std::string VisibleSql(int first) {
  std::string a = "?" + std::to_string(first);
  std::string b = "?" + std::to_string(first + 1);
  std::string o = "?" + std::to_string(first + 2);
  return "((c.confidential = 1 AND " + b + " = 1) OR (c.confidential = 0 AND " +
         a + " = 1)) AND (" + o + " = '' OR c.accused_officer <> " + o + ")";
}

void BindVisible(Stmt& s, int first, const Visibility& v) {
  s.Bind(first, static_cast<int64_t>(v.ordinary))
      .Bind(first + 1, static_cast<int64_t>(v.confidential))
      .Bind(first + 2, std::string_view(v.excluded_officer));
}

Result<Case> ReadCase(const Stmt& s) {
  Case c;
  c.id = s.Int(0);
  c.reference = s.Text(1);
  MALCHIN_ASSIGN_OR_RETURN(c.channel,
                           EnumAt(s, 2, &grievance::ParseChannel, "channel"));
  c.category = s.Text(3);
  c.confidential = s.Int(4) != 0;
  MALCHIN_ASSIGN_OR_RETURN(c.state,
                           EnumAt(s, 5, &grievance::ParseCaseState, "state"));
  MALCHIN_ASSIGN_OR_RETURN(c.level,
                           EnumAt(s, 6, &grievance::ParseLevel, "level"));
  c.soum_code = static_cast<int32_t>(s.Int(7));
  grievance::Complainant& p = c.complainant;
  p.anonymous = s.Int(8) != 0;
  p.register_no = s.Text(9);
  p.name = s.Text(10);
  p.phone = s.Text(11);
  p.address = s.Text(12);
  if (!s.IsNull(13)) {
    p.sex = s.Text(13) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
  }
  p.birth_year = static_cast<int32_t>(s.Int(14));
  p.staff = s.Int(15) != 0;
  MALCHIN_ASSIGN_OR_RETURN(p.contact,
                           EnumAt(s, 16, &grievance::ParseContact, "contact"));
  MALCHIN_ASSIGN_OR_RETURN(
      c.subject_kind,
      EnumAt(s, 17, &grievance::ParseSubjectKind, "subject kind"));
  c.subject_ref = s.Text(18);
  c.accused_officer = s.Text(19);
  c.summary = s.Text(20);
  c.external_id = s.IsNull(21) ? "" : std::string(s.Text(21));
  c.received_at = s.Text(22);
  c.received_on = DateAt(s, 23);
  c.recorded_by = s.Text(24);
  c.assigned_to = s.Text(25);
  c.acknowledge_by = DateAt(s, 26);
  c.resolve_by = DateAt(s, 27);
  c.acknowledged_on = OptDateAt(s, 28);
  c.decided_on = OptDateAt(s, 29);
  c.closed_on = OptDateAt(s, 30);
  c.escalated_on = OptDateAt(s, 31);
  c.outcome = s.Text(32);
  c.tracking_hash = s.Text(33);
  c.version = s.Int(34);
  return c;
}

// The filters of a case list: ?1..?9 (see DoListCases).
constexpr const char* kListFilter =
    " AND (?1 IS NULL OR c.state = ?1)"
    " AND (?2 = 0 OR c.state IN ('received', 'acknowledged', "
    "'under_review'))"
    " AND (?3 = '' OR c.category = ?3)"
    " AND (?4 IS NULL OR c.channel = ?4)"
    " AND (?5 IS NULL OR c.level = ?5)"
    " AND (?6 = '' OR c.assigned_to = ?6)"
    " AND (?7 IS NULL OR (c.state IN ('received', 'acknowledged', "
    "'under_review') AND ((c.state = 'received' AND c.acknowledge_by < ?7) "
    "OR c.resolve_by < ?7)))"
    " AND (?8 IS NULL OR c.received_on >= ?8)"
    " AND (?9 IS NULL OR c.received_on <= ?9)";

void BindListFilter(Stmt& s, const CaseQuery& q) {
  auto opt_text = [&](int i, std::optional<std::string_view> v) {
    if (v) {
      s.Bind(i, *v);
    } else {
      s.BindNull(i);
    }
  };
  opt_text(1, q.state ? std::optional(grievance::CaseStateName(*q.state))
                      : std::nullopt);
  s.Bind(2, static_cast<int64_t>(q.open_only))
      .Bind(3, std::string_view(q.category));
  opt_text(4, q.channel ? std::optional(grievance::ChannelName(*q.channel))
                        : std::nullopt);
  opt_text(5, q.level ? std::optional(grievance::LevelName(*q.level))
                      : std::nullopt);
  s.Bind(6, std::string_view(q.assigned_to));
  BindOptDate(s, 7, q.overdue_on);
  BindOptDate(s, 8, q.received_from);
  BindOptDate(s, 9, q.received_to);
}

}  // namespace

std::optional<Date> OptDateAt(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  auto d = Date::Parse(s.Text(col));
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}

Date DateAt(const Stmt& s, int col) {
  return OptDateAt(s, col).value_or(Date());
}

void BindOptDate(Stmt& s, int i, const std::optional<Date>& d) {
  if (d) {
    s.Bind(i, std::string_view(d->ToString()));
  } else {
    s.BindNull(i);
  }
}

Result<int64_t> InsertReturningId(Stmt* s) {
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Internal("INSERT ... RETURNING gave no row");
  int64_t id = s->Int(0);
  s->Reset();
  return id;
}

Result<bool> SqliteGrievanceRepository::ExternalIdTaken(
    grievance::Channel channel, std::string_view external_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.external",
                            "SELECT 1 FROM grievance_cases WHERE channel = "
                            "?1 AND external_id = ?2"));
  s->Bind(1, grievance::ChannelName(channel)).Bind(2, external_id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (row) s->Reset();
  return row;
}

Result<std::vector<CaseHeader>> SqliteGrievanceRepository::Headers(
    const std::vector<int64_t>& ids) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.header",
                            "SELECT id, soum_code, confidential, "
                            "accused_officer FROM grievance_cases WHERE id = "
                            "?1"));
  std::vector<CaseHeader> out;
  for (int64_t id : ids) {
    s->Bind(1, id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) continue;
    out.push_back({s->Int(0), static_cast<int32_t>(s->Int(1)), s->Int(2) != 0,
                   std::string(s->Text(3))});
    s->Reset();
  }
  return out;
}

Result<std::vector<grievance::Category>>
SqliteGrievanceRepository::StoredCategories() {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.categories",
                            "SELECT code, name_mn, name_en, description_mn, "
                            "description_en, sensitive, active, source FROM "
                            "grievance_categories ORDER BY code"));
  return AllRows<grievance::Category>(
      s, [](const Stmt& r) -> Result<grievance::Category> {
        return grievance::Category{
            std::string(r.Text(0)), std::string(r.Text(1)),
            std::string(r.Text(2)), std::string(r.Text(3)),
            std::string(r.Text(4)), r.Int(5) != 0,
            r.Int(6) != 0,          std::string(r.Text(7))};
      });
}

Result<std::vector<grievance::ReferralService>>
SqliteGrievanceRepository::StoredServices() {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.services",
                  "SELECT code, kind, area_code, name_mn, name_en, phone, "
                  "hours, address_mn, address_en, note_mn, note_en, source, "
                  "confidence, verified, active FROM grievance_services "
                  "ORDER BY code"));
  return AllRows<grievance::ReferralService>(
      s, [](const Stmt& r) -> Result<grievance::ReferralService> {
        grievance::ReferralService v;
        v.code = r.Text(0);
        v.kind = r.Text(1);
        v.area_code = static_cast<int32_t>(r.Int(2));
        v.name_mn = r.Text(3);
        v.name_en = r.Text(4);
        v.phone = r.Text(5);
        v.hours = r.Text(6);
        v.address_mn = r.Text(7);
        v.address_en = r.Text(8);
        v.note_mn = r.Text(9);
        v.note_en = r.Text(10);
        v.source = r.Text(11);
        v.confidence = r.Text(12);
        v.verified = r.Int(13) != 0;
        v.active = r.Int(14) != 0;
        return v;
      });
}

Result<Case> SqliteGrievanceRepository::InsertCase(const Case& in) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared(
          "grv.insert",
          "INSERT INTO grievance_cases (channel, category, confidential, "
          "state, level, soum_code, anonymous, complainant_register_no, "
          "complainant_name, complainant_phone, complainant_address, "
          "complainant_sex, complainant_birth_year, complainant_staff, "
          "contact, subject_kind, subject_ref, accused_officer, summary, "
          "external_id, received_at, received_on, recorded_by, assigned_to, "
          "acknowledge_by, resolve_by, tracking_hash) VALUES (?1, ?2, ?3, "
          "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
          "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27) ON CONFLICT "
          "(channel, external_id) WHERE external_id IS NOT NULL DO NOTHING "
          "RETURNING id"));
  const grievance::Complainant& p = in.complainant;
  s->Bind(1, grievance::ChannelName(in.channel))
      .Bind(2, std::string_view(in.category))
      .Bind(3, static_cast<int64_t>(in.confidential))
      .Bind(4, grievance::CaseStateName(in.state))
      .Bind(5, grievance::LevelName(in.level))
      .Bind(6, in.soum_code)
      .Bind(7, static_cast<int64_t>(p.anonymous))
      .Bind(8, std::string_view(p.register_no))
      .Bind(9, std::string_view(p.name))
      .Bind(10, std::string_view(p.phone))
      .Bind(11, std::string_view(p.address));
  if (p.sex) {
    s->Bind(12, registry::SexCode(*p.sex));
  } else {
    s->BindNull(12);
  }
  s->Bind(13, p.birth_year)
      .Bind(14, static_cast<int64_t>(p.staff))
      .Bind(15, grievance::ContactName(p.contact))
      .Bind(16, grievance::SubjectKindName(in.subject_kind))
      .Bind(17, std::string_view(in.subject_ref))
      .Bind(18, std::string_view(in.accused_officer))
      .Bind(19, std::string_view(in.summary));
  if (in.external_id.empty()) {
    s->BindNull(20);
  } else {
    s->Bind(20, std::string_view(in.external_id));
  }
  s->Bind(21, std::string_view(in.received_at))
      .Bind(22, std::string_view(in.received_on.ToString()))
      .Bind(23, std::string_view(in.recorded_by))
      .Bind(24, std::string_view(in.assigned_to))
      .Bind(25, std::string_view(in.acknowledge_by.ToString()))
      .Bind(26, std::string_view(in.resolve_by.ToString()))
      .Bind(27, std::string_view(in.tracking_hash));
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    return Status::AlreadyExists("a complaint with " + in.external_id +
                                 " was received before");
  }
  Case out = in;
  out.id = s->Int(0);
  s->Reset();
  out.reference = grievance::MakeReference(in.received_on.year(), out.id);
  out.version = 1;
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * ref, s_.Prepared("grv.reference",
                              "UPDATE grievance_cases SET reference = ?2 "
                              "WHERE id = ?1"));
  MALCHIN_RETURN_IF_ERROR(
      ref->Bind(1, out.id).Bind(2, std::string_view(out.reference)).Run());
  return out;
}

Result<int64_t> SqliteGrievanceRepository::UpdateCase(const Case& c) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.update",
                  "UPDATE grievance_cases SET category = ?3, confidential = "
                  "?4, state = ?5, level = ?6, assigned_to = ?7, "
                  "acknowledged_on = ?8, decided_on = ?9, closed_on = ?10, "
                  "escalated_on = ?11, outcome = ?12, accused_officer = ?13, "
                  "version = version + 1 WHERE id = ?1 AND version = ?2"));
  s->Bind(1, c.id)
      .Bind(2, c.version)
      .Bind(3, std::string_view(c.category))
      .Bind(4, static_cast<int64_t>(c.confidential))
      .Bind(5, grievance::CaseStateName(c.state))
      .Bind(6, grievance::LevelName(c.level))
      .Bind(7, std::string_view(c.assigned_to));
  BindOptDate(*s, 8, c.acknowledged_on);
  BindOptDate(*s, 9, c.decided_on);
  BindOptDate(*s, 10, c.closed_on);
  BindOptDate(*s, 11, c.escalated_on);
  s->Bind(12, std::string_view(c.outcome))
      .Bind(13, std::string_view(c.accused_officer));
  MALCHIN_RETURN_IF_ERROR(s->Run());
  if (s_.db().Changes() == 1) return c.version + 1;
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * v, s_.Prepared("grv.version",
                            "SELECT version FROM grievance_cases WHERE id = "
                            "?1"));
  v->Bind(1, c.id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, v->Step());
  if (!row) {
    return Status::NotFound("complaint " + std::to_string(c.id) +
                            " does not exist");
  }
  int64_t now = v->Int(0);
  v->Reset();
  return Status::Conflict("complaint " + std::to_string(c.id) +
                          " is at version " + std::to_string(now) + ", not " +
                          std::to_string(c.version));
}

Result<std::optional<Case>> SqliteGrievanceRepository::DoFindCase(
    int64_t id, std::string_view reference, const Visibility& v) {
  AreaClause area = s_.Area({}, "c.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.find" + area.key,
                  std::string("SELECT ") + kCaseColumns +
                      " FROM grievance_cases c WHERE (c.id = ?1 OR (?1 = 0 "
                      "AND c.reference = ?2)) AND " +
                      VisibleSql(3) + " AND " + area.sql));
  s->Bind(1, id).Bind(2, reference);
  BindVisible(*s, 3, v);
  area.Bind(*s);
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Case> found, AllRows<Case>(s, ReadCase));
  if (found.empty()) return std::optional<Case>();
  return std::optional<Case>(std::move(found.front()));
}

Result<CasePage> SqliteGrievanceRepository::DoListCases(const CaseQuery& q,
                                                        const Visibility& v) {
  AreaClause area = s_.Area(q.area, "c.soum_code");
  // The area clause's named parameter comes after every numbered one (SQLite
  // numbers a named parameter after the largest index seen so far).
  const std::string where = std::string(" FROM grievance_cases c WHERE 1") +
                            kListFilter + " AND " + VisibleSql(10);
  MALCHIN_ASSIGN_OR_RETURN(Stmt * count, s_.Prepared("grv.count" + area.key,
                                                     "SELECT count(*)" + where +
                                                         " AND " + area.sql));
  BindListFilter(*count, q);
  BindVisible(*count, 10, v);
  area.Bind(*count);
  MALCHIN_ASSIGN_OR_RETURN(bool row, count->Step());
  CasePage page;
  page.total = row ? count->Int(0) : 0;
  if (row) count->Reset();
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * list,
      s_.Prepared("grv.list" + area.key,
                  std::string("SELECT ") + kCaseColumns + where +
                      " AND c.id > :after AND " + area.sql +
                      " ORDER BY CASE WHEN :after > 0 THEN c.id END ASC, c.id "
                      "DESC LIMIT :limit OFFSET :offset"));
  BindListFilter(*list, q);
  BindVisible(*list, 10, v);
  area.Bind(*list);
  list->BindNamed(":after", q.after_id)
      .BindNamed(":limit", q.page_size)
      .BindNamed(":offset", q.after_id > 0 ? int64_t{0}
                                           : static_cast<int64_t>(q.page - 1) *
                                                 q.page_size);
  MALCHIN_ASSIGN_OR_RETURN(page.items, AllRows<Case>(list, ReadCase));
  return page;
}

Result<std::vector<CaseFact>> SqliteGrievanceRepository::DoFacts(
    const grievance::FactQuery& q) {
  AreaClause area = s_.Area(q.area, "c.soum_code");
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared(
          "grv.facts" + area.key,
          "SELECT c.id, c.soum_code, c.confidential, c.accused_officer, "
          "c.category, c.channel, c.state, c.level, c.complainant_sex, "
          "c.complainant_birth_year, c.received_on, c.acknowledge_by, "
          "c.resolve_by, c.acknowledged_on, c.decided_on, c.closed_on FROM "
          "grievance_cases c WHERE (?1 IS NULL OR c.received_on >= ?1) AND "
          "(?2 IS NULL OR c.received_on <= ?2) AND " +
              area.sql + " ORDER BY c.id"));
  BindOptDate(*s, 1, q.from);
  BindOptDate(*s, 2, q.to);
  area.Bind(*s);
  return AllRows<CaseFact>(s, [](const Stmt& r) -> Result<CaseFact> {
    CaseFact f;
    f.header = {r.Int(0), static_cast<int32_t>(r.Int(1)), r.Int(2) != 0,
                std::string(r.Text(3))};
    f.category = r.Text(4);
    MALCHIN_ASSIGN_OR_RETURN(f.channel,
                             EnumAt(r, 5, &grievance::ParseChannel, "channel"));
    MALCHIN_ASSIGN_OR_RETURN(f.state,
                             EnumAt(r, 6, &grievance::ParseCaseState, "state"));
    MALCHIN_ASSIGN_OR_RETURN(f.level,
                             EnumAt(r, 7, &grievance::ParseLevel, "level"));
    if (!r.IsNull(8)) {
      f.sex = r.Text(8) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
    }
    f.birth_year = static_cast<int32_t>(r.Int(9));
    f.received_on = DateAt(r, 10);
    f.acknowledge_by = DateAt(r, 11);
    f.resolve_by = DateAt(r, 12);
    f.acknowledged_on = OptDateAt(r, 13);
    f.decided_on = OptDateAt(r, 14);
    f.closed_on = OptDateAt(r, 15);
    return f;
  });
}

void RegisterGrievanceRepositories(Factories* f) {
  f->Add<grievance::Repository, SqliteGrievanceRepository>();
}

}  // namespace malchin::backends::sqlite
