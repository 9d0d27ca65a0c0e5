#include "grievance/audit_view.h"

#include <map>

#include "grievance/repository.h"
#include "grievance/visibility.h"

namespace malchin::grievance {

Status MaskAuditTrail(store::Session& session,
                      std::vector<store::AuditRecord>* records) {
  std::vector<int64_t> ids;
  for (const store::AuditRecord& r : *records) {
    if (r.entity_type != kAuditEntity) continue;
    try {
      ids.push_back(std::stoll(r.entity_id));
    } catch (const std::exception&) {
      // Not a case id: masked below as unknown.
    }
  }
  std::map<std::string, CaseHeader> headers;
  if (!ids.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(auto found,
                             session.Get<Repository>().Headers(ids));
    for (CaseHeader& h : found) headers[std::to_string(h.id)] = std::move(h);
  }
  const Viewer viewer = ViewerOf(session.caller());
  for (store::AuditRecord& r : *records) {
    if (r.entity_type != kAuditEntity) continue;
    auto h = headers.find(r.entity_id);
    if (h != headers.end() && CountsInDetail(viewer, h->second)) continue;
    r.entity_id = "confidential";
    r.register_no.reset();
    r.before_json.reset();
    r.after_json.reset();
  }
  return Status::Ok();
}

}  // namespace malchin::grievance
