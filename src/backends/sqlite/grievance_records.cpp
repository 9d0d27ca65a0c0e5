// The SQLite engine's grievance::Repository, what is attached to a case
// (timeline, attachments, notices, consents, referrals, fixes) and the
// ministry's catalogue (schema: migration 13). The capability checks that
// the caller may see a case before it asks for these.
#include "backends/sqlite/grievance_sql.h"

namespace malchin::backends::sqlite {
namespace {

using grievance::Attachment;
using grievance::CaseEvent;
using grievance::Consent;
using grievance::Fix;
using grievance::Notice;
using grievance::Referral;

Result<CaseEvent> ReadEvent(const Stmt& r) {
  CaseEvent e;
  e.id = r.Int(0);
  e.case_id = r.Int(1);
  e.at = r.Text(2);
  e.actor = r.Text(3);
  MALCHIN_ASSIGN_OR_RETURN(e.kind,
                           EnumAt(r, 4, &grievance::ParseEventKind, "event"));
  if (!r.IsNull(5)) {
    MALCHIN_ASSIGN_OR_RETURN(e.from,
                             EnumAt(r, 5, &grievance::ParseCaseState, "state"));
  }
  if (!r.IsNull(6)) {
    MALCHIN_ASSIGN_OR_RETURN(e.to,
                             EnumAt(r, 6, &grievance::ParseCaseState, "state"));
  }
  e.text = r.Text(7);
  return e;
}

Result<Notice> ReadNotice(const Stmt& r) {
  Notice n;
  n.id = r.Int(0);
  n.case_id = r.Int(1);
  MALCHIN_ASSIGN_OR_RETURN(
      n.kind, EnumAt(r, 2, &grievance::ParseNoticeKind, "notice kind"));
  MALCHIN_ASSIGN_OR_RETURN(
      n.channel,
      EnumAt(r, 3, &grievance::ParseNoticeChannel, "notice channel"));
  n.language = r.Text(4);
  n.text = r.Text(5);
  MALCHIN_ASSIGN_OR_RETURN(
      n.status, EnumAt(r, 6, &grievance::ParseNoticeStatus, "notice status"));
  n.created_at = r.Text(7);
  n.created_by = r.Text(8);
  return n;
}

void BindOptState(Stmt& s, int i,
                  const std::optional<grievance::CaseState>& state) {
  if (state) {
    s.Bind(i, grievance::CaseStateName(*state));
  } else {
    s.BindNull(i);
  }
}

}  // namespace

Result<std::vector<CaseEvent>> SqliteGrievanceRepository::DoEvents(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.events",
                            "SELECT id, case_id, at, actor, kind, from_state, "
                            "to_state, text FROM grievance_events WHERE "
                            "case_id = ?1 ORDER BY id"));
  s->Bind(1, case_id);
  return AllRows<CaseEvent>(s, ReadEvent);
}

Result<int64_t> SqliteGrievanceRepository::AddEvent(const CaseEvent& e) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.event_add",
                            "INSERT INTO grievance_events (case_id, at, "
                            "actor, kind, from_state, to_state, text) VALUES "
                            "(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
  s->Bind(1, e.case_id)
      .Bind(2, std::string_view(e.at))
      .Bind(3, std::string_view(e.actor))
      .Bind(4, grievance::EventKindName(e.kind));
  BindOptState(*s, 5, e.from);
  BindOptState(*s, 6, e.to);
  s->Bind(7, std::string_view(e.text));
  return InsertReturningId(s);
}

Result<std::vector<Attachment>> SqliteGrievanceRepository::DoAttachments(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.attachments",
                            "SELECT id, case_id, file_name, content_type, "
                            "size, sha256, added_by, added_at FROM "
                            "grievance_attachments WHERE case_id = ?1 ORDER "
                            "BY id"));
  s->Bind(1, case_id);
  return AllRows<Attachment>(s, [](const Stmt& r) -> Result<Attachment> {
    return Attachment{r.Int(0),
                      r.Int(1),
                      std::string(r.Text(2)),
                      std::string(r.Text(3)),
                      r.Int(4),
                      std::string(r.Text(5)),
                      std::string(r.Text(6)),
                      std::string(r.Text(7))};
  });
}

Result<std::optional<std::string>>
SqliteGrievanceRepository::DoAttachmentContent(int64_t case_id, int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.attachment_content",
                            "SELECT content FROM grievance_attachments WHERE "
                            "case_id = ?1 AND id = ?2"));
  s->Bind(1, case_id).Bind(2, id);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<std::string>();
  std::string bytes(s->Text(0));
  s->Reset();
  return std::optional<std::string>(std::move(bytes));
}

Result<int64_t> SqliteGrievanceRepository::AddAttachment(
    const Attachment& a, std::string_view content) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.attachment_add",
                  "INSERT INTO grievance_attachments (case_id, file_name, "
                  "content_type, size, sha256, content, added_by, added_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"));
  s->Bind(1, a.case_id)
      .Bind(2, std::string_view(a.file_name))
      .Bind(3, std::string_view(a.content_type))
      .Bind(4, a.size)
      .Bind(5, std::string_view(a.sha256))
      .BindBlob(6, content)
      .Bind(7, std::string_view(a.added_by))
      .Bind(8, std::string_view(a.added_at));
  return InsertReturningId(s);
}

Result<std::vector<Notice>> SqliteGrievanceRepository::DoNotices(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.notices",
                            "SELECT id, case_id, kind, channel, language, "
                            "text, status, created_at, created_by FROM "
                            "grievance_notices WHERE case_id = ?1 ORDER BY "
                            "id"));
  s->Bind(1, case_id);
  return AllRows<Notice>(s, ReadNotice);
}

Result<int64_t> SqliteGrievanceRepository::AddNotice(const Notice& n) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.notice_add",
                  "INSERT INTO grievance_notices (case_id, kind, channel, "
                  "language, text, status, created_at, created_by) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"));
  s->Bind(1, n.case_id)
      .Bind(2, grievance::NoticeKindName(n.kind))
      .Bind(3, grievance::NoticeChannelName(n.channel))
      .Bind(4, std::string_view(n.language))
      .Bind(5, std::string_view(n.text))
      .Bind(6, grievance::NoticeStatusName(n.status))
      .Bind(7, std::string_view(n.created_at))
      .Bind(8, std::string_view(n.created_by));
  return InsertReturningId(s);
}

Status SqliteGrievanceRepository::SetNoticeStatus(
    int64_t notice_id, grievance::NoticeStatus status) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.notice_status",
                            "UPDATE grievance_notices SET status = ?2 WHERE "
                            "id = ?1"));
  MALCHIN_RETURN_IF_ERROR(
      s->Bind(1, notice_id).Bind(2, grievance::NoticeStatusName(status)).Run());
  if (s_.db().Changes() == 0) {
    return Status::NotFound("no notice " + std::to_string(notice_id));
  }
  return Status::Ok();
}

Result<std::vector<Consent>> SqliteGrievanceRepository::DoConsents(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.consents",
                            "SELECT id, case_id, given, share_contact, "
                            "share_details, how, note, recorded_by, "
                            "recorded_at FROM grievance_consents WHERE "
                            "case_id = ?1 ORDER BY id"));
  s->Bind(1, case_id);
  return AllRows<Consent>(s, [](const Stmt& r) -> Result<Consent> {
    return Consent{r.Int(0),
                   r.Int(1),
                   r.Int(2) != 0,
                   r.Int(3) != 0,
                   r.Int(4) != 0,
                   std::string(r.Text(5)),
                   std::string(r.Text(6)),
                   std::string(r.Text(7)),
                   std::string(r.Text(8))};
  });
}

Result<int64_t> SqliteGrievanceRepository::AddConsent(const Consent& c) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.consent_add",
                  "INSERT INTO grievance_consents (case_id, given, "
                  "share_contact, share_details, how, note, recorded_by, "
                  "recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                  "RETURNING id"));
  s->Bind(1, c.case_id)
      .Bind(2, static_cast<int64_t>(c.given))
      .Bind(3, static_cast<int64_t>(c.share_contact))
      .Bind(4, static_cast<int64_t>(c.share_details))
      .Bind(5, std::string_view(c.how))
      .Bind(6, std::string_view(c.note))
      .Bind(7, std::string_view(c.recorded_by))
      .Bind(8, std::string_view(c.recorded_at));
  return InsertReturningId(s);
}

Result<std::vector<Referral>> SqliteGrievanceRepository::DoReferrals(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.referrals",
                            "SELECT id, case_id, service_code, "
                            "shares_contact, shares_details, consent_id, "
                            "note, referred_by, referred_at FROM "
                            "grievance_referrals WHERE case_id = ?1 ORDER BY "
                            "id"));
  s->Bind(1, case_id);
  return AllRows<Referral>(s, [](const Stmt& r) -> Result<Referral> {
    return Referral{r.Int(0),
                    r.Int(1),
                    std::string(r.Text(2)),
                    r.Int(3) != 0,
                    r.Int(4) != 0,
                    r.IsNull(5) ? 0 : r.Int(5),
                    std::string(r.Text(6)),
                    std::string(r.Text(7)),
                    std::string(r.Text(8))};
  });
}

Result<int64_t> SqliteGrievanceRepository::AddReferral(const Referral& r) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.referral_add",
                  "INSERT INTO grievance_referrals (case_id, service_code, "
                  "shares_contact, shares_details, consent_id, note, "
                  "referred_by, referred_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                  "?7, ?8) RETURNING id"));
  s->Bind(1, r.case_id)
      .Bind(2, std::string_view(r.service_code))
      .Bind(3, static_cast<int64_t>(r.shares_contact))
      .Bind(4, static_cast<int64_t>(r.shares_details));
  if (r.consent_id) {
    s->Bind(5, r.consent_id);
  } else {
    s->BindNull(5);
  }
  s->Bind(6, std::string_view(r.note))
      .Bind(7, std::string_view(r.referred_by))
      .Bind(8, std::string_view(r.referred_at));
  return InsertReturningId(s);
}

Result<std::vector<Fix>> SqliteGrievanceRepository::DoFixes(int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.fixes",
                            "SELECT id, case_id, kind, target, external_id, "
                            "note, requested_by, requested_at FROM "
                            "grievance_fixes WHERE case_id = ?1 ORDER BY id"));
  s->Bind(1, case_id);
  return AllRows<Fix>(s, [](const Stmt& r) -> Result<Fix> {
    Fix f;
    f.id = r.Int(0);
    f.case_id = r.Int(1);
    MALCHIN_ASSIGN_OR_RETURN(f.kind,
                             EnumAt(r, 2, &grievance::ParseFixKind, "fix"));
    f.target = r.Text(3);
    f.external_id = r.Int(4);
    f.note = r.Text(5);
    f.requested_by = r.Text(6);
    f.requested_at = r.Text(7);
    return f;
  });
}

Result<int64_t> SqliteGrievanceRepository::AddFix(const Fix& f) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, s_.Prepared("grv.fix_add",
                            "INSERT INTO grievance_fixes (case_id, kind, "
                            "target, external_id, note, requested_by, "
                            "requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                            "?7) RETURNING id"));
  s->Bind(1, f.case_id)
      .Bind(2, grievance::FixKindName(f.kind))
      .Bind(3, std::string_view(f.target))
      .Bind(4, f.external_id)
      .Bind(5, std::string_view(f.note))
      .Bind(6, std::string_view(f.requested_by))
      .Bind(7, std::string_view(f.requested_at));
  return InsertReturningId(s);
}

Status SqliteGrievanceRepository::PutCategory(const grievance::Category& c,
                                              std::string_view actor,
                                              std::string_view at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared("grv.category_put",
                  "INSERT INTO grievance_categories (code, name_mn, name_en, "
                  "description_mn, description_en, sensitive, active, source, "
                  "updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                  "?8, ?9, ?10) ON CONFLICT (code) DO UPDATE SET name_mn = "
                  "excluded.name_mn, name_en = excluded.name_en, "
                  "description_mn = excluded.description_mn, description_en "
                  "= excluded.description_en, sensitive = excluded.sensitive, "
                  "active = excluded.active, source = excluded.source, "
                  "updated_by = excluded.updated_by, updated_at = "
                  "excluded.updated_at"));
  return s->Bind(1, std::string_view(c.code))
      .Bind(2, std::string_view(c.name_mn))
      .Bind(3, std::string_view(c.name_en))
      .Bind(4, std::string_view(c.description_mn))
      .Bind(5, std::string_view(c.description_en))
      .Bind(6, static_cast<int64_t>(c.sensitive))
      .Bind(7, static_cast<int64_t>(c.active))
      .Bind(8, std::string_view(c.source))
      .Bind(9, actor)
      .Bind(10, at)
      .Run();
}

Status SqliteGrievanceRepository::PutService(
    const grievance::ReferralService& v, std::string_view actor,
    std::string_view at) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s,
      s_.Prepared(
          "grv.service_put",
          "INSERT INTO grievance_services (code, kind, area_code, name_mn, "
          "name_en, phone, hours, address_mn, address_en, note_mn, note_en, "
          "source, confidence, verified, active, updated_by, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
          "?14, ?15, ?16, ?17) ON CONFLICT (code) DO UPDATE SET kind = "
          "excluded.kind, area_code = excluded.area_code, name_mn = "
          "excluded.name_mn, name_en = excluded.name_en, phone = "
          "excluded.phone, hours = excluded.hours, address_mn = "
          "excluded.address_mn, address_en = excluded.address_en, note_mn = "
          "excluded.note_mn, note_en = excluded.note_en, source = "
          "excluded.source, confidence = excluded.confidence, verified = "
          "excluded.verified, active = excluded.active, updated_by = "
          "excluded.updated_by, updated_at = excluded.updated_at"));
  return s->Bind(1, std::string_view(v.code))
      .Bind(2, std::string_view(v.kind))
      .Bind(3, v.area_code)
      .Bind(4, std::string_view(v.name_mn))
      .Bind(5, std::string_view(v.name_en))
      .Bind(6, std::string_view(v.phone))
      .Bind(7, std::string_view(v.hours))
      .Bind(8, std::string_view(v.address_mn))
      .Bind(9, std::string_view(v.address_en))
      .Bind(10, std::string_view(v.note_mn))
      .Bind(11, std::string_view(v.note_en))
      .Bind(12, std::string_view(v.source))
      .Bind(13, std::string_view(v.confidence))
      .Bind(14, static_cast<int64_t>(v.verified))
      .Bind(15, static_cast<int64_t>(v.active))
      .Bind(16, actor)
      .Bind(17, at)
      .Run();
}

}  // namespace malchin::backends::sqlite
