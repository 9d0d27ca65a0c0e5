// Roles and what each may do: the policy table, in one place.
//
//   permission            admin national aimag soum analyst auditor hotline gbv
//   read_register           x      x       x     x
//   write_register                 x       x     x
//   import / export                x       x     x
//   read_stats (aggregates) x      x       x     x      x
//   read_audit              x                                   x
//   manage_users            x
//   manage_response                x       x
//   write_insurance                x       x     x
//   run_analytics                  x                     x
//   record_grievance               x       x     x                   x      x
//   handle_grievance               x       x     x
//   handle_confidential                                                     x
//   read_grievance_stats    x      x       x     x      x       x           x
//   manage_coop                    x       x     x
//   freeze_indicators              x
//
// The analyst sees aggregates only: never names, register numbers, phones or
// bank accounts. The admin manages accounts but does not read people's data.
// Aimag and soum officers see their area only (the session carries the area,
// store/session.h). The hotline operator records complaints taken by phone
// and reads nothing back; the GBV focal point (gbv_focal_point) handles the
// confidential complaints (gender-based violence, harassment, child
// protection) of their area and nothing else of the register
// (docs/grievance.md). Both may be national, aimag or soum accounts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "store/area.h"

namespace malchin::auth {

enum class Role {
  kAdmin,
  kNationalOfficer,
  kAimagOfficer,
  kSoumOfficer,
  kAnalyst,
  kAuditor,
  kHotlineOperator,  // "hotline_operator"
  kGbvFocalPoint,    // "gbv_focal_point"
};

enum class Permission {
  kReadRegister,   // Persons and households, with personal data.
  kWriteRegister,  // Create, update, deactivate.
  kImport,         // CSV import upload.
  kExport,         // CSV export of the caller's area.
  kReadStats,      // Aggregates.
  kReadAudit,      // The audit trail and its verification.
  kManageUsers,    // Accounts and their roles.
  // Shock events, response plans, payrolls, payment files and bank results
  // (maker-checker: whoever prepares a plan or payroll cannot approve it).
  kManageResponse,
  // Insurance enrolments, contributions (cash, cooperative, in kind) and
  // officer visits.
  kWriteInsurance,
  // Fitting and storing analytic models (RIMA-II, PMT) and poverty runs;
  // their outputs are aggregates.
  kRunAnalytics,
  // Taking a complaint from any channel (intake); the taker reads nothing
  // back beyond its reference.
  kRecordGrievance,
  // Reading and working on the complaints of one's area that are not
  // confidential (acknowledge, review, resolve, refer, reject, close).
  kHandleGrievance,
  // The same for confidential complaints (sensitive categories), and
  // nothing else: the focal points' permission.
  kHandleConfidential,
  // Complaint counts and times, confidential ones counted without detail.
  kReadGrievanceStats,
  // Cooperatives and pasture user groups: members, contingency funds, feed
  // reserves, in-kind support and trainings (maker-checker on payouts and
  // distributions: whoever prepares one cannot approve it).
  kManageCoop,
  // Freezing a results-framework indicator's value for a period (the
  // figure reported, never changed after; docs/indicators.md): national
  // monitoring and evaluation only.
  kFreezeIndicators,
  // Editing the wording of the SMS templates herders receive (the
  // ministry's, docs/channel.md "Editing the templates"): national only.
  kEditTemplates,
};

std::string_view RoleName(Role r);  // "admin", "national_officer", ...
// InvalidArgument naming the roles (field "role").
Result<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();
std::string_view PermissionName(Permission p);  // "read_register", ...
// The permission of that name; InvalidArgument otherwise.
Result<Permission> ParsePermission(std::string_view name);

bool Allows(Role role, Permission p);
// The names of every permission `role` holds, in the enum's order.
std::vector<std::string_view> PermissionNamesOf(Role role);

// Checks that `area_code` fits the role: 0 (national) for admin,
// national_officer, analyst and auditor; an aimag code (3 digits) for an
// aimag officer; a soum or district code (5 digits) for a soum officer; any
// of the three for a hotline operator or a GBV focal point; all known to
// `geo`. Error field "area".
Status CheckArea(Role role, int32_t area_code, const geo::Geography& geo);

// The part of the register a user with `area_code` sees (0: all).
store::AreaFilter AreaOf(int32_t area_code);

// Who is making a request, once authenticated.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kAnalyst;
  int32_t area_code = 0;
  std::string token_hash;  // Of the session used.
  store::AreaFilter area() const { return AreaOf(area_code); }
  bool Can(Permission p) const { return Allows(role, p); }
};

// PermissionDenied naming the role and the permission, or OK.
Status Require(const Principal& who, Permission p);

}  // namespace malchin::auth
