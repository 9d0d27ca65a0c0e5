// The herders' own page (docs/herder.md): signing in with the register
// number and a one-time code sent by SMS, then the household's six
// sections. No officer account is involved: the herder's session is its
// own cookie (malchin_herder, HttpOnly, SameSite=Strict) bound to ONE
// household, and every herder route takes the household from that session,
// never from the request. Asking for a code answers the same whether or
// not the number is on the register.
#include <nlohmann/json.hpp>

#include "api/herder_api.h"
#include "api/json_input.h"
#include "channel/template_texts.h"
#include "channel/templates.h"
#include "herder/signin.h"
#include "params/parameters.h"

namespace malchin::api {

using nlohmann::json;

namespace {

constexpr const char* kTag = "herder";
constexpr size_t kMaxBody = 4 << 10;
constexpr const char* kCookie = "malchin_herder";

// The worker's session acting anonymously for the herders' page.
Result<store::Session*> PageSession(http::Request& r) {
  auto* worker = dynamic_cast<Worker*>(r.worker);
  if (!worker) return Status::Internal("no worker session");
  worker->session().SetCaller({"public:herder", "", {}});
  return &worker->session();
}

Result<channel::Language> LanguageOf(const http::Request& r,
                                     std::optional<std::string> field = {}) {
  std::string code = field.value_or(r.Query("lang").value_or("mn"));
  return channel::ParseLanguage(code);
}

// Everything a sign-in needs, made once.
struct Kit {
  std::shared_ptr<const channel::TemplateCatalogue> templates;
  std::shared_ptr<const params::ParameterSet> parameters;
};
Result<Kit> LoadKit() {
  Kit k;
  MALCHIN_ASSIGN_OR_RETURN(k.templates, channel::TemplateCatalogue::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(k.parameters, params::ParameterSet::Embedded());
  return k;
}

Result<herder::SignIn> SignInFor(store::Session& s, const Kit& kit,
                                 const Services& services) {
  if (services.herder_pepper.size() < 32) {
    return Status::Unavailable(
        "the herders' sign-in is not configured (--herder-pepper) / "
        "малчдын нэвтрэх хэсэг тохируулагдаагүй байна");
  }
  // The one-time code's wording in force (channel/template_texts.h).
  MALCHIN_ASSIGN_OR_RETURN(auto templates,
                           channel::CatalogueInForce(s, kit.templates));
  return herder::SignIn(s, *templates, *kit.parameters, services.herder_pepper);
}

std::string Cookie(const std::string& token, bool secure, int64_t max_age) {
  return std::string(kCookie) + "=" + token +
         "; Path=/api/v1/herder; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

std::string HerderToken(const http::Request& r) {
  std::string_view cookies = r.Header("cookie");
  std::string prefix = std::string(kCookie) + "=";
  size_t at = 0;
  while (at < cookies.size()) {
    size_t end = cookies.find(';', at);
    if (end == std::string_view::npos) end = cookies.size();
    std::string_view part = cookies.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.substr(0, prefix.size()) == prefix) {
      return std::string(part.substr(prefix.size()));
    }
    at = end + 1;
  }
  return "";
}

Result<http::Response> RequestCode(http::Request& req, const Kit& kit,
                                   const Services& services) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(req.body));
  MALCHIN_ASSIGN_OR_RETURN(std::string rn, in.String("register_no"));
  MALCHIN_ASSIGN_OR_RETURN(auto lang_field, in.OptString("lang"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_ASSIGN_OR_RETURN(channel::Language lang, LanguageOf(req, lang_field));
  MALCHIN_ASSIGN_OR_RETURN(store::Session * s, PageSession(req));
  MALCHIN_ASSIGN_OR_RETURN(herder::SignIn signin, SignInFor(*s, kit, services));
  auto sent = signin.RequestCode(rn, lang);
  if (sent.status().code() == StatusCode::kResourceExhausted) {
    http::Response r = http::ErrorResponseWithStatus(429, sent.status());
    r.SetHeader("Retry-After", "600");
    return r;
  }
  MALCHIN_RETURN_IF_ERROR(sent.status());
  // The same answer whether or not anything was sent.
  return JsonResponse(
      202, {{"message_en",
             "If this register number is on the register with a phone, a "
             "code was sent to that phone by SMS."},
            {"message_mn",
             "Энэ регистрийн дугаар бүртгэлд утасны дугаартай бол тэр утас "
             "руу код илгээлээ."}});
}

Result<http::Response> Verify(http::Request& req, const Kit& kit,
                              const Services& services) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(req.body));
  MALCHIN_ASSIGN_OR_RETURN(std::string rn, in.String("register_no"));
  MALCHIN_ASSIGN_OR_RETURN(std::string code, in.String("code"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_ASSIGN_OR_RETURN(store::Session * s, PageSession(req));
  MALCHIN_ASSIGN_OR_RETURN(herder::SignIn signin, SignInFor(*s, kit, services));
  auto in_ = signin.Verify(rn, code);
  if (in_.status().code() == StatusCode::kResourceExhausted) {
    return http::ErrorResponseWithStatus(429, in_.status());
  }
  MALCHIN_RETURN_IF_ERROR(in_.status());
  int64_t max_age = in_->expires_at - s->clock().Now().time_since_epoch() /
                                          std::chrono::seconds(1);
  http::Response r = JsonResponse(200, {{"signed_in", true}});
  r.SetHeader(
      "Set-Cookie",
      Cookie(in_->token, services.secure_cookies || req.secure, max_age));
  return r;
}

}  // namespace

Result<std::pair<store::Session*, herder::HerderPrincipal>> HerderCall(
    http::Request& req, const Services& services) {
  MALCHIN_ASSIGN_OR_RETURN(store::Session * s, PageSession(req));
  MALCHIN_ASSIGN_OR_RETURN(Kit kit, LoadKit());
  MALCHIN_ASSIGN_OR_RETURN(herder::SignIn signin, SignInFor(*s, kit, services));
  MALCHIN_ASSIGN_OR_RETURN(herder::HerderPrincipal who,
                           signin.Authenticate(HerderToken(req)));
  s->SetCaller(herder::HerderCaller(who));
  return std::make_pair(s, who);
}

void AddHerderRoutes(Api* api) {
  Services* services = &api->services();
  auto kit = std::make_shared<Kit>(LoadKit().value());
  http::RouteDoc code;
  code.summary =
      "Ask for a one-time sign-in code, sent by SMS to the phone on the "
      "register (the same answer whether or not the number is there)";
  code.tag = kTag;
  code.responses = {{202, "Sent if the number has a phone on the register"},
                    {429, "Too many codes asked for this number"}};
  api->AddPublic(
      "POST", "/api/v1/herder/code", code,
      [kit, services](http::Request& req) {
        return RequestCode(req, *kit, *services);
      },
      http::Dispatch::kWorker, kMaxBody);
  http::RouteDoc verify;
  verify.summary =
      "Sign in with the register number and the code: sets the herder's "
      "session cookie";
  verify.tag = kTag;
  verify.responses = {{200, "Signed in"},
                      {401, "Wrong, used or expired code"},
                      {429, "Too many wrong codes"}};
  api->AddPublic(
      "POST", "/api/v1/herder/verify", verify,
      [kit, services](http::Request& req) {
        return Verify(req, *kit, *services);
      },
      http::Dispatch::kWorker, kMaxBody);
  http::RouteDoc out;
  out.summary = "Sign out of the herder's page";
  out.tag = kTag;
  out.responses = {{200, "Signed out"}};
  api->AddPublic(
      "POST", "/api/v1/herder/sign-out", out,
      [kit, services](http::Request& req) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(store::Session * s, PageSession(req));
        MALCHIN_ASSIGN_OR_RETURN(herder::SignIn signin,
                                 SignInFor(*s, *kit, *services));
        MALCHIN_RETURN_IF_ERROR(signin.SignOut(HerderToken(req)));
        http::Response r = JsonResponse(200, {{"signed_in", false}});
        r.SetHeader("Set-Cookie", Cookie("", services->secure_cookies, 0));
        return r;
      },
      http::Dispatch::kWorker, kMaxBody);
}

}  // namespace malchin::api
