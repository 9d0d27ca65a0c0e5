// Who may see which complaint: the ONE rule of confidentiality, applied by
// every read of the grievance capability (grievance::Repository's read
// methods take it from the session's caller; counts, exports and the audit
// trail view mask with it).
//
//   A case is visible to a caller when ALL of these hold:
//   1. the caller is not the officer the complaint is about (never, whatever
//      their role: they cannot see the case nor who raised it);
//   2. the case's soum is in the caller's area;
//   3. the case is confidential and the caller may handle confidential
//      cases (gbv_focal_point), or it is not and the caller may handle
//      ordinary ones (national, aimag and soum officers).
//   Anyone else gets "not found" (a 404), and lists leave the case out.
//
// Counts (grievance/stats.h) include every case of the caller's area, but a
// case the caller could not see in detail (confidential for a non-focal
// point, or about the caller) is counted in one bucket, "confidential", with
// no category, channel, sex or age. The audit trail shows entries about such
// a case without its id or content (grievance/audit_view.h).
//
// A system job (escalation) sees every case to move its deadlines and shows
// none of them to anyone (Viewer::SystemJob()).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "store/area.h"
#include "store/session.h"

namespace malchin::grievance {

struct Viewer {
  std::string actor;          // The caller's user name.
  store::AreaFilter area;     // The caller's area.
  bool ordinary = false;      // May see cases that are not confidential.
  bool confidential = false;  // May see confidential cases.
  bool system_job = false;    // Sees every case (jobs only; see above).

  // A system job, e.g. escalation: sees every case in order to move it.
  static Viewer SystemJob();
};

// The viewer a session's caller is: their role's permissions
// (auth::Permission::kHandleGrievance, kHandleConfidential) and area. A
// caller without a known role (a CLI operator who did not say who they are,
// an anonymous web visitor) sees no case.
Viewer ViewerOf(const store::Caller& caller);

// What the rule looks at.
struct CaseHeader {
  int64_t id = 0;
  int32_t soum_code = 0;
  bool confidential = false;
  std::string accused_officer;  // User name, or empty.
};

// Whether `viewer` may see the case (rules 1-3 above).
bool CanSee(const Viewer& viewer, const CaseHeader& c);
// Whether a count shows the case's details (category, channel, sex, age)
// to `viewer` (the case being in their area): not when it is confidential
// and they are no focal point, nor when it is about them.
bool CountsInDetail(const Viewer& viewer, const CaseHeader& c);

}  // namespace malchin::grievance
