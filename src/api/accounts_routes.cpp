// Logging in and out, and account administration.
#include "api/api.h"
#include "api/json_input.h"
#include "auth/accounts.h"
#include "auth/password.h"

namespace malchin::api {

using nlohmann::json;

namespace {

json UserToJson(const auth::UserRecord& u) {
  return {{"username", u.username},     {"role", u.role},
          {"area_code", u.area_code},   {"disabled", u.disabled},
          {"created_at", u.created_at}, {"updated_at", u.updated_at}};
}

Status CheckUsername(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && (isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                c == '_' || c == '-');
  }
  if (!ok) {
    return Status::InvalidArgument(
        "username '" + name +
            "': expected 1-64 of the letters a-z, A-Z, digits, '.', '_', '-'",
        "username");
  }
  return Status::Ok();
}

std::string Cookie(const std::string& token, bool secure, int max_age) {
  return "malchin_session=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

}  // namespace

void AddAccountsRoutes(Api* api) {
  Services* services = &api->services();

  http::RouteDoc login;
  login.summary =
      "Log in with {\"username\",\"password\"}: returns a session token for "
      "\"Authorization: Bearer\" and sets an HttpOnly SameSite=Strict cookie "
      "for the web front end. Failed logins are slowed (503 with "
      "Retry-After) per account and address, per address, and per account "
      "from addresses it has not logged in from; failed_logins tells the "
      "attempts on the account since its previous login";
  login.tag = "auth";
  login.request_schema =
      R"({"type":"object","required":["username","password"],"additionalProperties":false,"properties":{"username":{"type":"string"},"password":{"type":"string"}}})";
  login.responses = {{201, "Logged in"}, {401, "Wrong name or password"}};
  api->AddPublic(
      "POST", "/api/v1/session", login,
      [services](http::Request& req) -> Result<http::Response> {
        auto* worker = dynamic_cast<Worker*>(req.worker);
        if (!worker) return Status::Internal("no worker session");
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(req.body));
        MALCHIN_ASSIGN_OR_RETURN(std::string user, in.String("username"));
        MALCHIN_ASSIGN_OR_RETURN(std::string password, in.String("password"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        auth::LoginRefusal refusal;
        auto r = services->auth->Login(worker->session(), user, password,
                                       req.remote_address, &refusal);
        if (!r.ok()) {
          http::Response e = http::ErrorResponse(r.status(), req.request_id);
          if (refusal.retry_after.count() > 0) {
            e.SetHeader("Retry-After",
                        std::to_string(refusal.retry_after.count()));
          }
          e.log_user = user;
          return e;
        }
        const auth::FailedLogins& failed = r->failed_logins;
        json failed_json = {{"failed", failed.failed},
                            {"refused", failed.refused}};
        if (failed.failed + failed.refused > 0) {
          failed_json["last_at"] = auth::Authenticator::IsoTime(failed.last);
          failed_json["last_address"] = failed.last_address;
        }
        http::Response out = JsonResponse(
            201, {{"token", r->token},
                  {"expires_at", r->expires_at},
                  {"failed_logins", failed_json},
                  {"user",
                   {{"username", r->who.username},
                    {"role", auth::RoleName(r->who.role)},
                    {"area_code", r->who.area_code},
                    {"permissions", auth::PermissionNamesOf(r->who.role)}}}});
        out.SetHeader(
            "Set-Cookie",
            Cookie(r->token, services->secure_cookies || req.secure, 8 * 3600));
        out.SetHeader("Cache-Control", "no-store");
        out.log_user = r->who.username;
        return out;
      });

  http::RouteDoc me;
  me.summary = "Who the session belongs to";
  me.tag = "auth";
  me.responses = {{200, "The user"}};
  api->Add("GET", "/api/v1/session", me, std::nullopt,
           [](Call& c) -> Result<http::Response> {
             return JsonResponse(
                 200, {{"username", c.who.username},
                       {"role", auth::RoleName(c.who.role)},
                       {"area_code", c.who.area_code},
                       {"permissions", auth::PermissionNamesOf(c.who.role)}});
           });

  http::RouteDoc logout;
  logout.summary = "Log out: ends this session and clears the cookie";
  logout.tag = "auth";
  logout.responses = {{204, "Logged out"}};
  api->Add("DELETE", "/api/v1/session", logout, std::nullopt,
           [services](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(services->auth->Logout(c.session, c.who));
             http::Response r;
             r.status = 204;
             r.SetHeader(
                 "Set-Cookie",
                 Cookie("", services->secure_cookies || c.request.secure, 0));
             return r;
           });

  http::RouteDoc list;
  list.summary = "All accounts (admins)";
  list.tag = "users";
  list.responses = {{200, "The accounts"}};
  api->Add("GET", "/api/v1/users", list, auth::Permission::kManageUsers,
           [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(
                 auto users,
                 c.session.Get<auth::AccountRepository>().ListUsers());
             json items = json::array();
             for (const auto& u : users) items.push_back(UserToJson(u));
             return JsonResponse(200, {{"items", items}});
           });

  http::RouteDoc create;
  create.summary =
      "Create an account (admins): {username, password, role, area_code}; "
      "area_code 0 for national roles, an aimag code for aimag officers, a "
      "soum code for soum officers";
  create.tag = "users";
  create.request_schema =
      R"({"type":"object","required":["username","password","role"],"additionalProperties":false,"properties":{"username":{"type":"string"},"password":{"type":"string","minLength":10},"role":{"type":"string","enum":["admin","national_officer","aimag_officer","soum_officer","analyst","auditor","hotline_operator","gbv_focal_point"]},"area_code":{"type":"integer"}}})";
  create.responses = {{201, "Created"}, {409, "The name is taken"}};
  api->Add(
      "POST", "/api/v1/users", create, auth::Permission::kManageUsers,
      [services](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        auth::UserRecord u;
        MALCHIN_ASSIGN_OR_RETURN(u.username, in.String("username"));
        MALCHIN_ASSIGN_OR_RETURN(std::string password, in.String("password"));
        MALCHIN_ASSIGN_OR_RETURN(u.role, in.String("role"));
        MALCHIN_ASSIGN_OR_RETURN(auto area, in.OptInt("area_code", 0, 99999));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        u.area_code = static_cast<int32_t>(area.value_or(0));
        MALCHIN_RETURN_IF_ERROR(CheckUsername(u.username));
        MALCHIN_ASSIGN_OR_RETURN(auth::Role role, auth::ParseRole(u.role));
        MALCHIN_RETURN_IF_ERROR(
            auth::CheckArea(role, u.area_code, *services->geo));
        MALCHIN_RETURN_IF_ERROR(
            auth::CheckPasswordPolicy(password, u.username));
        MALCHIN_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(password));
        u.created_at = auth::Authenticator::IsoTime();
        MALCHIN_ASSIGN_OR_RETURN(
            auto made, c.session.Get<auth::AccountRepository>().CreateUser(
                           u, {c.who.username, "api"}));
        return JsonResponse(201, UserToJson(made));
      });

  http::RouteDoc patch;
  patch.summary =
      "Change an account (admins): any of role, area_code, disabled, "
      "password. Disabling an account or changing its password ends its "
      "sessions";
  patch.tag = "users";
  patch.request_schema =
      R"({"type":"object","additionalProperties":false,"properties":{"role":{"type":"string"},"area_code":{"type":"integer"},"disabled":{"type":"boolean"},"password":{"type":"string","minLength":10}}})";
  patch.responses = {{200, "Changed"}, {404, "No such account"}};
  api->Add(
      "PATCH", "/api/v1/users/{username}", patch,
      auth::Permission::kManageUsers,
      [services](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(auto role, in.OptString("role"));
        MALCHIN_ASSIGN_OR_RETURN(auto area, in.OptInt("area_code", 0, 99999));
        MALCHIN_ASSIGN_OR_RETURN(auto disabled, in.OptBool("disabled"));
        MALCHIN_ASSIGN_OR_RETURN(auto password, in.OptString("password"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        const std::string& name = c.request.params["username"];
        MALCHIN_ASSIGN_OR_RETURN(
            auto found,
            c.session.Get<auth::AccountRepository>().FindUser(name));
        if (!found) return Status::NotFound("no user '" + name + "'");
        auth::UserRecord u = *found;
        if (role) u.role = *role;
        if (area) u.area_code = static_cast<int32_t>(*area);
        MALCHIN_ASSIGN_OR_RETURN(auth::Role r, auth::ParseRole(u.role));
        MALCHIN_RETURN_IF_ERROR(
            auth::CheckArea(r, u.area_code, *services->geo));
        if (disabled) u.disabled = *disabled;
        if (password) {
          MALCHIN_RETURN_IF_ERROR(auth::CheckPasswordPolicy(*password, name));
          MALCHIN_ASSIGN_OR_RETURN(u.password_hash,
                                   auth::HashPassword(*password));
        }
        u.updated_at = auth::Authenticator::IsoTime();
        MALCHIN_RETURN_IF_ERROR(
            c.session.Get<auth::AccountRepository>().UpdateUser(
                u, {c.who.username, "api"}));
        if (password || (disabled && *disabled) || role || area) {
          MALCHIN_RETURN_IF_ERROR(
              c.session.Get<auth::AccountRepository>().RevokeSessions(
                  u.id, "", auth::Authenticator::IsoTime()));
        }
        return JsonResponse(200, UserToJson(u));
      });
}

}  // namespace malchin::api
