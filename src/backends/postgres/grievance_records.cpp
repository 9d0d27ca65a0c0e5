// The PostgreSQL engine's grievance::Repository, what is attached to a case
// (timeline, attachments, notices, consents, referrals, fixes) and the
// ministry's catalogue (schema: migration 7). The capability checks that
// the caller may see a case before it asks for these.
#include "backends/postgres/grievance_sql.h"

namespace malchin::backends::postgres {
namespace {

using grievance::Attachment;
using grievance::CaseEvent;
using grievance::Consent;
using grievance::Fix;
using grievance::Notice;
using grievance::Referral;

PgValue StateOrNull(const std::optional<grievance::CaseState>& s) {
  return s ? PgValue(std::string(grievance::CaseStateName(*s))) : std::nullopt;
}

Result<std::optional<grievance::CaseState>> OptState(const pqxx::field& f) {
  if (f.is_null()) return std::optional<grievance::CaseState>();
  MALCHIN_ASSIGN_OR_RETURN(auto s,
                           PgEnum(f, &grievance::ParseCaseState, "state"));
  return std::optional<grievance::CaseState>(s);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

int Nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return Status::DataLoss("odd hex attachment");
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = Nibble(hex[2 * i]), lo = Nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::DataLoss("bad hex attachment");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

Result<std::vector<CaseEvent>> PgGrievanceRepository::DoEvents(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.events",
                  "SELECT id, case_id, at, actor, kind, from_state, to_state, "
                  "text FROM grievance_events WHERE case_id = $1 ORDER BY id",
                  case_id));
  return PgRows<CaseEvent>(r, [](const pqxx::row& row) -> Result<CaseEvent> {
    CaseEvent e;
    e.id = PgInt(row[0]);
    e.case_id = PgInt(row[1]);
    e.at = PgText(row[2]);
    e.actor = PgText(row[3]);
    MALCHIN_ASSIGN_OR_RETURN(
        e.kind, PgEnum(row[4], &grievance::ParseEventKind, "event"));
    MALCHIN_ASSIGN_OR_RETURN(e.from, OptState(row[5]));
    MALCHIN_ASSIGN_OR_RETURN(e.to, OptState(row[6]));
    e.text = PgText(row[7]);
    return e;
  });
}

Result<int64_t> PgGrievanceRepository::AddEvent(const CaseEvent& e) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.event_add",
                  "INSERT INTO grievance_events (case_id, at, actor, kind, "
                  "from_state, to_state, text) VALUES ($1, $2, $3, $4, $5, "
                  "$6, $7) RETURNING id",
                  e.case_id, e.at, e.actor, grievance::EventKindName(e.kind),
                  StateOrNull(e.from), StateOrNull(e.to), e.text));
  return ReturnedId(r);
}

Result<std::vector<Attachment>> PgGrievanceRepository::DoAttachments(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.attachments",
                  "SELECT id, case_id, file_name, content_type, size, sha256, "
                  "added_by, added_at FROM grievance_attachments WHERE "
                  "case_id = $1 ORDER BY id",
                  case_id));
  return PgRows<Attachment>(r, [](const pqxx::row& row) -> Result<Attachment> {
    return Attachment{PgInt(row[0]),  PgInt(row[1]), PgText(row[2]),
                      PgText(row[3]), PgInt(row[4]), PgText(row[5]),
                      PgText(row[6]), PgText(row[7])};
  });
}

Result<std::optional<std::string>> PgGrievanceRepository::DoAttachmentContent(
    int64_t case_id, int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.attachment_content",
                  "SELECT encode(content, 'hex') FROM grievance_attachments "
                  "WHERE case_id = $1 AND id = $2",
                  case_id, id));
  if (r.empty()) return std::optional<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string bytes, Unhex(PgText(r[0][0])));
  return std::optional<std::string>(std::move(bytes));
}

Result<int64_t> PgGrievanceRepository::AddAttachment(const Attachment& a,
                                                     std::string_view content) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.attachment_add",
                  "INSERT INTO grievance_attachments (case_id, file_name, "
                  "content_type, size, sha256, content, added_by, added_at) "
                  "VALUES ($1, $2, $3, $4, $5, decode($6, 'hex'), $7, $8) "
                  "RETURNING id",
                  a.case_id, a.file_name, a.content_type, a.size, a.sha256,
                  Hex(content), a.added_by, a.added_at));
  return ReturnedId(r);
}

Result<std::vector<Notice>> PgGrievanceRepository::DoNotices(int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.notices",
                  "SELECT id, case_id, kind, channel, language, text, status, "
                  "created_at, created_by FROM grievance_notices WHERE "
                  "case_id = $1 ORDER BY id",
                  case_id));
  return PgRows<Notice>(r, [](const pqxx::row& row) -> Result<Notice> {
    Notice n;
    n.id = PgInt(row[0]);
    n.case_id = PgInt(row[1]);
    MALCHIN_ASSIGN_OR_RETURN(
        n.kind, PgEnum(row[2], &grievance::ParseNoticeKind, "notice kind"));
    MALCHIN_ASSIGN_OR_RETURN(
        n.channel,
        PgEnum(row[3], &grievance::ParseNoticeChannel, "notice channel"));
    n.language = PgText(row[4]);
    n.text = PgText(row[5]);
    MALCHIN_ASSIGN_OR_RETURN(
        n.status,
        PgEnum(row[6], &grievance::ParseNoticeStatus, "notice status"));
    n.created_at = PgText(row[7]);
    n.created_by = PgText(row[8]);
    return n;
  });
}

Result<int64_t> PgGrievanceRepository::AddNotice(const Notice& n) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.notice_add",
                  "INSERT INTO grievance_notices (case_id, kind, channel, "
                  "language, text, status, created_at, created_by) VALUES "
                  "($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                  n.case_id, grievance::NoticeKindName(n.kind),
                  grievance::NoticeChannelName(n.channel), n.language, n.text,
                  grievance::NoticeStatusName(n.status), n.created_at,
                  n.created_by));
  return ReturnedId(r);
}

Status PgGrievanceRepository::SetNoticeStatus(int64_t notice_id,
                                              grievance::NoticeStatus status) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.notice_status",
                  "UPDATE grievance_notices SET status = $2 WHERE id = $1 "
                  "RETURNING id",
                  notice_id, grievance::NoticeStatusName(status)));
  if (r.empty()) {
    return Status::NotFound("no notice " + std::to_string(notice_id));
  }
  return Status::Ok();
}

Result<std::vector<Consent>> PgGrievanceRepository::DoConsents(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.consents",
                  "SELECT id, case_id, given, share_contact, share_details, "
                  "how, note, recorded_by, recorded_at FROM "
                  "grievance_consents WHERE case_id = $1 ORDER BY id",
                  case_id));
  return PgRows<Consent>(r, [](const pqxx::row& row) -> Result<Consent> {
    return Consent{PgInt(row[0]),  PgInt(row[1]),  PgBool(row[2]),
                   PgBool(row[3]), PgBool(row[4]), PgText(row[5]),
                   PgText(row[6]), PgText(row[7]), PgText(row[8])};
  });
}

Result<int64_t> PgGrievanceRepository::AddConsent(const Consent& c) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.consent_add",
                  "INSERT INTO grievance_consents (case_id, given, "
                  "share_contact, share_details, how, note, recorded_by, "
                  "recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                  "RETURNING id",
                  c.case_id, c.given, c.share_contact, c.share_details, c.how,
                  c.note, c.recorded_by, c.recorded_at));
  return ReturnedId(r);
}

Result<std::vector<Referral>> PgGrievanceRepository::DoReferrals(
    int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.referrals",
                  "SELECT id, case_id, service_code, shares_contact, "
                  "shares_details, consent_id, note, referred_by, "
                  "referred_at FROM grievance_referrals WHERE case_id = $1 "
                  "ORDER BY id",
                  case_id));
  return PgRows<Referral>(r, [](const pqxx::row& row) -> Result<Referral> {
    return Referral{
        PgInt(row[0]),  PgInt(row[1]),  PgText(row[2]),
        PgBool(row[3]), PgBool(row[4]), PgOptInt(row[5]).value_or(0),
        PgText(row[6]), PgText(row[7]), PgText(row[8])};
  });
}

Result<int64_t> PgGrievanceRepository::AddReferral(const Referral& r) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result res,
      s_.Prepared("grv.referral_add",
                  "INSERT INTO grievance_referrals (case_id, service_code, "
                  "shares_contact, shares_details, consent_id, note, "
                  "referred_by, referred_at) VALUES ($1, $2, $3, $4, $5, $6, "
                  "$7, $8) RETURNING id",
                  r.case_id, r.service_code, r.shares_contact, r.shares_details,
                  r.consent_id ? ToPg(r.consent_id) : PgValue(), r.note,
                  r.referred_by, r.referred_at));
  return ReturnedId(res);
}

Result<std::vector<Fix>> PgGrievanceRepository::DoFixes(int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.fixes",
                  "SELECT id, case_id, kind, target, external_id, note, "
                  "requested_by, requested_at FROM grievance_fixes WHERE "
                  "case_id = $1 ORDER BY id",
                  case_id));
  return PgRows<Fix>(r, [](const pqxx::row& row) -> Result<Fix> {
    Fix f;
    f.id = PgInt(row[0]);
    f.case_id = PgInt(row[1]);
    MALCHIN_ASSIGN_OR_RETURN(f.kind,
                             PgEnum(row[2], &grievance::ParseFixKind, "fix"));
    f.target = PgText(row[3]);
    f.external_id = PgInt(row[4]);
    f.note = PgText(row[5]);
    f.requested_by = PgText(row[6]);
    f.requested_at = PgText(row[7]);
    return f;
  });
}

Result<int64_t> PgGrievanceRepository::AddFix(const Fix& f) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.fix_add",
                  "INSERT INTO grievance_fixes (case_id, kind, target, "
                  "external_id, note, requested_by, requested_at) VALUES ($1, "
                  "$2, $3, $4, $5, $6, $7) RETURNING id",
                  f.case_id, grievance::FixKindName(f.kind), f.target,
                  f.external_id, f.note, f.requested_by, f.requested_at));
  return ReturnedId(r);
}

Result<std::vector<grievance::Category>>
PgGrievanceRepository::StoredCategories() {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.categories",
                  "SELECT code, name_mn, name_en, description_mn, "
                  "description_en, sensitive, active, source FROM "
                  "grievance_categories ORDER BY code"));
  return PgRows<grievance::Category>(
      r, [](const pqxx::row& row) -> Result<grievance::Category> {
        return grievance::Category{
            PgText(row[0]), PgText(row[1]), PgText(row[2]), PgText(row[3]),
            PgText(row[4]), PgBool(row[5]), PgBool(row[6]), PgText(row[7])};
      });
}

Result<std::vector<grievance::ReferralService>>
PgGrievanceRepository::StoredServices() {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      s_.Prepared("grv.services",
                  "SELECT code, kind, area_code, name_mn, name_en, phone, "
                  "hours, address_mn, address_en, note_mn, note_en, source, "
                  "confidence, verified, active FROM grievance_services ORDER "
                  "BY code"));
  return PgRows<grievance::ReferralService>(
      r, [](const pqxx::row& row) -> Result<grievance::ReferralService> {
        grievance::ReferralService v;
        v.code = PgText(row[0]);
        v.kind = PgText(row[1]);
        v.area_code = static_cast<int32_t>(PgInt(row[2]));
        v.name_mn = PgText(row[3]);
        v.name_en = PgText(row[4]);
        v.phone = PgText(row[5]);
        v.hours = PgText(row[6]);
        v.address_mn = PgText(row[7]);
        v.address_en = PgText(row[8]);
        v.note_mn = PgText(row[9]);
        v.note_en = PgText(row[10]);
        v.source = PgText(row[11]);
        v.confidence = PgText(row[12]);
        v.verified = PgBool(row[13]);
        v.active = PgBool(row[14]);
        return v;
      });
}

Status PgGrievanceRepository::PutCategory(const grievance::Category& c,
                                          std::string_view actor,
                                          std::string_view at) {
  return s_
      .Prepared("grv.category_put",
                "INSERT INTO grievance_categories (code, name_mn, name_en, "
                "description_mn, description_en, sensitive, active, source, "
                "updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                "$8, $9, $10) ON CONFLICT (code) DO UPDATE SET name_mn = "
                "excluded.name_mn, name_en = excluded.name_en, "
                "description_mn = excluded.description_mn, description_en = "
                "excluded.description_en, sensitive = excluded.sensitive, "
                "active = excluded.active, source = excluded.source, "
                "updated_by = excluded.updated_by, updated_at = "
                "excluded.updated_at",
                c.code, c.name_mn, c.name_en, c.description_mn,
                c.description_en, c.sensitive, c.active, c.source, actor, at)
      .status();
}

Status PgGrievanceRepository::PutService(const grievance::ReferralService& v,
                                         std::string_view actor,
                                         std::string_view at) {
  return s_
      .Prepared(
          "grv.service_put",
          "INSERT INTO grievance_services (code, kind, area_code, name_mn, "
          "name_en, phone, hours, address_mn, address_en, note_mn, note_en, "
          "source, confidence, verified, active, updated_by, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
          "$14, $15, $16, $17) ON CONFLICT (code) DO UPDATE SET kind = "
          "excluded.kind, area_code = excluded.area_code, name_mn = "
          "excluded.name_mn, name_en = excluded.name_en, phone = "
          "excluded.phone, hours = excluded.hours, address_mn = "
          "excluded.address_mn, address_en = excluded.address_en, note_mn = "
          "excluded.note_mn, note_en = excluded.note_en, source = "
          "excluded.source, confidence = excluded.confidence, verified = "
          "excluded.verified, active = excluded.active, updated_by = "
          "excluded.updated_by, updated_at = excluded.updated_at",
          v.code, v.kind, v.area_code, v.name_mn, v.name_en, v.phone, v.hours,
          v.address_mn, v.address_en, v.note_mn, v.note_en, v.source,
          v.confidence, v.verified, v.active, actor, at)
      .status();
}

}  // namespace malchin::backends::postgres
