#include "grievance/visibility.h"

#include "auth/roles.h"

namespace malchin::grievance {

Viewer Viewer::SystemJob() {
  Viewer v;
  v.actor = "system";
  v.system_job = true;
  return v;
}

Viewer ViewerOf(const store::Caller& caller) {
  Viewer v;
  v.actor = caller.actor;
  v.area = caller.area;
  auto role = auth::ParseRole(caller.role);
  if (!role.ok()) return v;
  v.ordinary = auth::Allows(*role, auth::Permission::kHandleGrievance);
  v.confidential = auth::Allows(*role, auth::Permission::kHandleConfidential);
  return v;
}

bool CanSee(const Viewer& viewer, const CaseHeader& c) {
  if (viewer.system_job) return true;
  if (!c.accused_officer.empty() && c.accused_officer == viewer.actor) {
    return false;
  }
  if (!viewer.area.Matches(c.soum_code)) return false;
  return c.confidential ? viewer.confidential : viewer.ordinary;
}

bool CountsInDetail(const Viewer& viewer, const CaseHeader& c) {
  if (viewer.system_job) return true;
  if (!c.accused_officer.empty() && c.accused_officer == viewer.actor) {
    return false;
  }
  return !c.confidential || viewer.confidential;
}

}  // namespace malchin::grievance
