// The confidentiality rule on every read of grievance::Repository: the
// engine is asked for what the caller's Viewer may see, and what it returns
// is checked against CanSee before anyone gets it.
#include "grievance/repository.h"

namespace malchin::grievance {

CaseHeader HeaderOf(const Case& c) {
  return {c.id, c.soum_code, c.confidential, c.accused_officer};
}

Viewer Repository::viewer() const {
  return system_job_ ? Viewer::SystemJob() : ViewerOf(session_.caller());
}

Visibility Repository::visibility() const {
  Viewer v = viewer();
  Visibility out;
  out.ordinary = v.ordinary || v.system_job;
  out.confidential = v.confidential || v.system_job;
  if (!v.system_job) out.excluded_officer = v.actor;
  return out;
}

Status Repository::CheckShown(const Case& c) const {
  if (CanSee(viewer(), HeaderOf(c))) return Status::Ok();
  return Status::Internal(
      "the storage engine returned a complaint the caller may not see; "
      "nothing was shown (a defect: the engine's query must apply the "
      "grievance visibility rule)");
}

Status Repository::RequireVisible(int64_t case_id) {
  MALCHIN_ASSIGN_OR_RETURN(auto c, FindCase(case_id));
  if (!c) {
    return Status::NotFound("complaint " + std::to_string(case_id) +
                            " does not exist");
  }
  return Status::Ok();
}

Result<std::optional<Case>> Repository::FindCase(int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(auto c, DoFindCase(id, "", visibility()));
  if (c) MALCHIN_RETURN_IF_ERROR(CheckShown(*c));
  return c;
}

Result<std::optional<Case>> Repository::FindByReference(
    std::string_view reference) {
  if (reference.empty()) return std::optional<Case>();
  MALCHIN_ASSIGN_OR_RETURN(auto c, DoFindCase(0, reference, visibility()));
  if (c) MALCHIN_RETURN_IF_ERROR(CheckShown(*c));
  return c;
}

Result<CasePage> Repository::ListCases(const CaseQuery& query) {
  CaseQuery q = query;
  q.page = std::max(1, q.page);
  q.page_size = std::clamp(q.page_size, 1, 500);
  MALCHIN_ASSIGN_OR_RETURN(CasePage page, DoListCases(q, visibility()));
  for (const Case& c : page.items) MALCHIN_RETURN_IF_ERROR(CheckShown(c));
  return page;
}

Result<std::vector<CaseEvent>> Repository::Events(int64_t case_id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  return DoEvents(case_id);
}

Result<std::vector<Attachment>> Repository::Attachments(int64_t case_id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  return DoAttachments(case_id);
}

Result<std::string> Repository::AttachmentContent(int64_t case_id, int64_t id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  MALCHIN_ASSIGN_OR_RETURN(auto bytes, DoAttachmentContent(case_id, id));
  if (!bytes) {
    return Status::NotFound("complaint " + std::to_string(case_id) +
                            " has no attachment " + std::to_string(id));
  }
  return std::move(*bytes);
}

Result<std::vector<Notice>> Repository::Notices(int64_t case_id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  return DoNotices(case_id);
}

Result<std::vector<Consent>> Repository::Consents(int64_t case_id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  return DoConsents(case_id);
}

Result<std::vector<Referral>> Repository::Referrals(int64_t case_id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  return DoReferrals(case_id);
}

Result<std::vector<Fix>> Repository::Fixes(int64_t case_id) {
  MALCHIN_RETURN_IF_ERROR(RequireVisible(case_id));
  return DoFixes(case_id);
}

Result<std::vector<CaseFact>> Repository::Facts(const FactQuery& query) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<CaseFact> facts, DoFacts(query));
  const Viewer v = viewer();
  for (CaseFact& f : facts) {
    if (CountsInDetail(v, f.header)) continue;
    CaseFact masked;
    masked.header.soum_code = f.header.soum_code;
    masked.header.confidential = f.header.confidential;
    masked.category = "confidential";
    masked.state = f.state;
    masked.level = f.level;
    masked.received_on = f.received_on;
    masked.masked = true;
    f = std::move(masked);
  }
  return facts;
}

}  // namespace malchin::grievance
