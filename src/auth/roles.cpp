#include "auth/roles.h"

#include <array>

namespace malchin::auth {
namespace {

constexpr int kRoles = 8;
constexpr int kPermissions = 17;

// kPolicy[role][permission], in the enums' order.
// clang-format off
constexpr std::array<std::array<bool, kPermissions>, kRoles> kPolicy = {{
    // read   write  import export stats  audit  users  respon insur  analyt griev  handle confid gstats coop   freeze templ
    {false, false, false, false, true,  true,  true,  false, false, false, false, false, false, true,  false, false, false},  // admin
    {true,  true,  true,  true,  true,  false, false, true,  true,  true,  true,  true,  false, true,  true,  true, true},  // national_officer
    {true,  true,  true,  true,  true,  false, false, true,  true,  false, true,  true,  false, true,  true,  false, false},  // aimag_officer
    {true,  true,  true,  true,  true,  false, false, false, true,  false, true,  true,  false, true,  true,  false, false},  // soum_officer
    {false, false, false, false, true,  false, false, false, false, true,  false, false, false, true,  false, false, false},  // analyst
    {false, false, false, false, false, true,  false, false, false, false, false, false, false, true,  false, false, false},  // auditor
    {false, false, false, false, false, false, false, false, false, false, true,  false, false, false, false, false, false},  // hotline_operator
    {false, false, false, false, false, false, false, false, false, false, true,  false, true,  true,  false, false, false},  // gbv_focal_point
}};
// clang-format on

constexpr std::array<std::string_view, kRoles> kRoleNames = {
    "admin",   "national_officer", "aimag_officer",    "soum_officer",
    "analyst", "auditor",          "hotline_operator", "gbv_focal_point"};

}  // namespace

std::string_view RoleName(Role r) { return kRoleNames[static_cast<int>(r)]; }

Result<Role> ParseRole(std::string_view name) {
  for (int i = 0; i < kRoles; ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return Status::InvalidArgument(
      "role '" + std::string(name) +
          "': expected admin, national_officer, aimag_officer, soum_officer, "
          "analyst, auditor, hotline_operator or gbv_focal_point",
      "role");
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = {
      Role::kAdmin,           Role::kNationalOfficer, Role::kAimagOfficer,
      Role::kSoumOfficer,     Role::kAnalyst,         Role::kAuditor,
      Role::kHotlineOperator, Role::kGbvFocalPoint};
  return kAll;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kReadRegister:
      return "read_register";
    case Permission::kWriteRegister:
      return "write_register";
    case Permission::kImport:
      return "import";
    case Permission::kExport:
      return "export";
    case Permission::kReadStats:
      return "read_stats";
    case Permission::kReadAudit:
      return "read_audit";
    case Permission::kManageUsers:
      return "manage_users";
    case Permission::kManageResponse:
      return "manage_response";
    case Permission::kWriteInsurance:
      return "write_insurance";
    case Permission::kRunAnalytics:
      return "run_analytics";
    case Permission::kRecordGrievance:
      return "record_grievance";
    case Permission::kHandleGrievance:
      return "handle_grievance";
    case Permission::kHandleConfidential:
      return "handle_confidential";
    case Permission::kReadGrievanceStats:
      return "read_grievance_stats";
    case Permission::kManageCoop:
      return "manage_coop";
    case Permission::kFreezeIndicators:
      return "freeze_indicators";
    case Permission::kEditTemplates:
      return "edit_templates";
  }
  return "unknown";
}

bool Allows(Role role, Permission p) {
  return kPolicy[static_cast<int>(role)][static_cast<int>(p)];
}

Result<Permission> ParsePermission(std::string_view name) {
  for (int p = 0; p < kPermissions; ++p) {
    if (PermissionName(static_cast<Permission>(p)) == name) {
      return static_cast<Permission>(p);
    }
  }
  return Status::InvalidArgument("no permission '" + std::string(name) + "'");
}

std::vector<std::string_view> PermissionNamesOf(Role role) {
  std::vector<std::string_view> out;
  for (int p = 0; p < kPermissions; ++p) {
    if (kPolicy[static_cast<int>(role)][p]) {
      out.push_back(PermissionName(static_cast<Permission>(p)));
    }
  }
  return out;
}

Status CheckArea(Role role, int32_t area_code, const geo::Geography& geo) {
  std::string code = std::to_string(area_code);
  switch (role) {
    case Role::kAimagOfficer: {
      const geo::Unit* u = geo.Find(area_code);
      if (!u || !u->is_aimag_level()) {
        return Status::InvalidArgument(
            "area " + code +
                ": an aimag officer needs an aimag code "
                "(3 digits, e.g. 181 for Zavkhan)",
            "area");
      }
      return Status::Ok();
    }
    case Role::kSoumOfficer: {
      const geo::Unit* u = geo.Find(area_code);
      if (!u || u->is_aimag_level()) {
        return Status::InvalidArgument(
            "area " + code +
                ": a soum officer needs a soum or district code "
                "(5 digits, e.g. 18140 for Tosontsengel)",
            "area");
      }
      return Status::Ok();
    }
    case Role::kHotlineOperator:
    case Role::kGbvFocalPoint:
      if (area_code != 0 && geo.Find(area_code) == nullptr) {
        return Status::InvalidArgument(
            "area " + code +
                ": expected 0 (national), an aimag code (3 digits) or a soum "
                "or district code (5 digits)",
            "area");
      }
      return Status::Ok();
    default:
      if (area_code != 0) {
        return Status::InvalidArgument("area " + code + ": the role " +
                                           std::string(RoleName(role)) +
                                           " is national; use area 0",
                                       "area");
      }
      return Status::Ok();
  }
}

store::AreaFilter AreaOf(int32_t area_code) {
  store::AreaFilter a;
  if (area_code >= 10000) {
    a.soum_code = area_code;
  } else if (area_code > 0) {
    a.aimag_code = area_code;
  }
  return a;
}

Status Require(const Principal& who, Permission p) {
  if (who.Can(p)) return Status::Ok();
  return Status::PermissionDenied("the role " +
                                  std::string(RoleName(who.role)) +
                                  " may not " + std::string(PermissionName(p)));
}

}  // namespace malchin::auth
