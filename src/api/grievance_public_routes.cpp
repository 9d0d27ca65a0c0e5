// Grievance redress for the herders themselves, without an account: the web
// form of the herders' page (a complaint, anonymous if they wish, answered
// with its reference and a tracking code shown once), the follow-up with
// that code, and the categories the form offers (docs/grievance.md,
// "Web form"). Bodies are small; each address may send a few complaints an
// hour (a refusal says when to try again).
#include <chrono>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "api/api.h"
#include "api/grievance_json.h"
#include "api/json_input.h"
#include "grievance/service.h"

namespace malchin::api {

using nlohmann::json;

namespace {

constexpr const char* kTag = "grievance (public)";
constexpr size_t kMaxPublicBody = 16 << 10;

// At most `limit` submissions per address in any `window`; memory bounded
// (the stalest addresses are forgotten first). Thread-safe.
class SubmissionLimit {
 public:
  SubmissionLimit(size_t limit, std::chrono::seconds window)
      : limit_(limit), window_(window) {}
  // 0 if admitted (and counted); otherwise the seconds to wait.
  int64_t Admit(const std::string& address, Clock::TimePoint now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (seen_.size() > 100000) seen_.clear();
    std::deque<Clock::TimePoint>& times = seen_[address];
    while (!times.empty() && now - times.front() >= window_) times.pop_front();
    if (times.size() >= limit_) {
      auto wait = std::chrono::duration_cast<std::chrono::seconds>(
          times.front() + window_ - now);
      return std::max<int64_t>(1, wait.count());
    }
    times.push_back(now);
    return 0;
  }

 private:
  const size_t limit_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::TimePoint>> seen_;
};

// The worker's session acting for `who` (no role, the whole country: it
// can record a complaint and read nothing).
Result<store::Session*> PublicSession(http::Request& r, const char* who) {
  auto* worker = dynamic_cast<Worker*>(r.worker);
  if (!worker) return Status::Internal("no worker session");
  worker->session().SetCaller({who, "", {}});
  return &worker->session();
}

Result<http::Response> Submit(http::Request& req, SubmissionLimit& limit) {
  MALCHIN_ASSIGN_OR_RETURN(store::Session * s,
                           PublicSession(req, "public:web"));
  if (int64_t wait = limit.Admit(req.remote_address, s->clock().Now())) {
    http::Response r = http::ErrorResponseWithStatus(
        429, Status::ResourceExhausted(
                 "too many complaints from this address; try again later"));
    r.SetHeader("Retry-After", std::to_string(wait));
    return r;
  }
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(req.body));
  grievance::IntakeRequest r;
  r.channel = grievance::Channel::kWeb;
  MALCHIN_RETURN_IF_ERROR(ReadIntakeFields(in, &r));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  std::string_view key = req.Header("idempotency-key");
  if (!key.empty() && key.size() <= 100) {
    r.external_id = "web:" + std::string(key);
  }
  MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx, GrievanceContext());
  grievance::Service g(*s, *ctx);
  MALCHIN_ASSIGN_OR_RETURN(grievance::IntakeReceipt got, g.Intake(r));
  if (got.already_received) {
    return JsonResponse(200, {{"already_received", true}});
  }
  return JsonResponse(201, {{"reference", got.reference},
                            {"tracking_code", got.tracking_code},
                            {"resolve_by", got.resolve_by.ToString()}});
}

}  // namespace

void AddGrievancePublicRoutes(Api* api) {
  auto limit = std::make_shared<SubmissionLimit>(10, std::chrono::hours(1));
  http::RouteDoc submit = GrievanceDoc(
      "Send a complaint from the herders' web form (anonymous if you "
      "wish); answers its reference and a tracking code, shown once",
      {{201, "Received"},
       {200, "Already received (same Idempotency-Key)"},
       {429, "Too many from this address"}});
  submit.request_schema = kIntakeSchema;
  submit.tag = kTag;
  api->AddPublic(
      "POST", "/api/v1/public/grievances", submit,
      [limit](http::Request& req) { return Submit(req, *limit); },
      http::Dispatch::kWorker, kMaxPublicBody);
  http::RouteDoc track = GrievanceDoc(
      "Follow a complaint with its reference and tracking code: its state, "
      "and the answer once decided",
      {{200, "The state"}, {404, "No such reference with that code"}});
  track.query = {{"code", "query", "the tracking code", true, "string"}};
  track.tag = kTag;
  api->AddPublic(
      "GET", "/api/v1/public/grievances/{reference}", track,
      [](http::Request& req) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(req, {"code"}));
        MALCHIN_ASSIGN_OR_RETURN(store::Session * s,
                                 PublicSession(req, "public:web"));
        MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx,
                                 GrievanceContext());
        grievance::Service g(*s, *ctx);
        MALCHIN_ASSIGN_OR_RETURN(
            grievance::Tracking t,
            g.Track(req.params["reference"], req.Query("code").value_or("")));
        return JsonResponse(200, {{"reference", t.reference},
                                  {"state", grievance::CaseStateName(t.state)},
                                  {"received_on", t.received_on.ToString()},
                                  {"resolve_by", t.resolve_by.ToString()},
                                  {"answer", t.answer}});
      });
  http::RouteDoc categories = GrievanceDoc(
      "The active categories the web form offers", {{200, "Categories"}});
  categories.tag = kTag;
  api->AddPublic("GET", "/api/v1/public/grievance-categories", categories,
                 [](http::Request& req) -> Result<http::Response> {
                   MALCHIN_ASSIGN_OR_RETURN(store::Session * s,
                                            PublicSession(req, "public:web"));
                   MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx,
                                            GrievanceContext());
                   grievance::Service g(*s, *ctx);
                   MALCHIN_ASSIGN_OR_RETURN(auto all, g.Categories());
                   json items = json::array();
                   for (const auto& k : all) {
                     if (!k.active) continue;
                     items.push_back({{"code", k.code},
                                      {"name_mn", k.name_mn},
                                      {"name_en", k.name_en},
                                      {"description_mn", k.description_mn},
                                      {"description_en", k.description_en},
                                      {"sensitive", k.sensitive}});
                   }
                   return JsonResponse(200, {{"items", items}});
                 });
}

}  // namespace malchin::api
