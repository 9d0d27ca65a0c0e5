// The SMS gateway's calls into Malchin (docs/channel.md): Kannel's delivery
// reports (dlr-url) and herders' messages (the sms-service's get-url).
// They carry no user session: each call must carry the shared callback
// token (`malchin serve --sms-token`, compared in constant time by the
// parsers); without a configured token both answer 404. Each stores first
// and answers 200 after, and is idempotent (Kannel calls again on any
// other answer). The officers' inbox of unanswered messages is an
// authenticated route.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/grievance_json.h"
#include "channel/inbound.h"
#include "channel/kannel.h"
#include "channel/outbox.h"
#include "channel/template_texts.h"
#include "grievance/sms_desk.h"
#include "insurance/repository.h"
#include "insurance/schemes.h"
#include "params/parameters.h"
#include "registry/repository.h"
#include "response/repository.h"

namespace malchin::api {
namespace {

constexpr const char* kTag = "sms";

// Months covered by social and health insurance, from the ledger's
// coverage spans (insurance::Repository).
class InsuranceFacts final : public channel::HerderFacts {
 public:
  Result<std::optional<channel::TemplateValues>> Insurance(
      store::Session& session, std::string_view register_no) override {
    auto& ledger = session.Get<insurance::Repository>();
    channel::TemplateValues v;
    int32_t health_last = -1;
    int64_t total = 0;
    for (auto scheme : {insurance::InsuranceScheme::kSocial,
                        insurance::InsuranceScheme::kHealth}) {
      MALCHIN_ASSIGN_OR_RETURN(auto spans,
                               ledger.Coverage({}, register_no, scheme));
      int64_t months = 0;
      for (const auto& s : spans) {
        months += s.last_month - s.first_month + 1;
        if (scheme == insurance::InsuranceScheme::kHealth) {
          health_last = std::max(health_last, s.last_month);
        }
      }
      total += months;
      bool social = scheme == insurance::InsuranceScheme::kSocial;
      v[social ? "social_months" : "health_months"] = std::to_string(months);
    }
    if (total == 0) return std::optional<channel::TemplateValues>();
    v["health_until"] =
        health_last < 0
            ? "-"
            : insurance::FirstDayOf(health_last).ToString().substr(0, 7);
    return std::optional(std::move(v));
  }
  // The household's newest payment attempt (the person's or a member's,
  // e.g. a child's Child Money top-up), from the response repository.
  Result<std::optional<channel::TemplateValues>> Payment(
      store::Session& session, std::string_view register_no) override {
    auto& registry = session.Get<registry::Repository>();
    MALCHIN_ASSIGN_OR_RETURN(auto person, registry.FindPerson(register_no));
    if (!person) return std::optional<channel::TemplateValues>();
    MALCHIN_ASSIGN_OR_RETURN(auto members,
                             registry.Members(person->household_id));
    auto& payments = session.Get<response::Repository>();
    std::optional<response::LatestPayment> newest;
    for (const auto& m : members) {
      MALCHIN_ASSIGN_OR_RETURN(auto p, payments.LatestPaymentOf(m.register_no));
      if (p && (!newest || p->id > newest->id)) newest = std::move(p);
    }
    if (!newest) return std::optional<channel::TemplateValues>();
    return std::optional<channel::TemplateValues>(
        {{"programme", channel::ClipCodePoints(newest->plan_name, 30)},
         {"amount", channel::GroupedAmount(newest->amount)},
         {"status", StatusWord(newest->status)}});
  }

 private:
  // The template's status, in Mongolian (answers are Mongolian).
  static std::string StatusWord(response::PaymentStatus s) {
    switch (s) {
      case response::PaymentStatus::kPaid:
        return "шилжсэн";
      case response::PaymentStatus::kFailed:
        return "амжилтгүй";
      case response::PaymentStatus::kReturned:
        return "буцаагдсан";
      case response::PaymentStatus::kPending:
        break;
    }
    return "илгээсэн";
  }
};

Result<store::Session*> GatewaySession(http::Request& r) {
  auto* worker = dynamic_cast<Worker*>(r.worker);
  if (!worker) return Status::Internal("no worker session");
  worker->session().SetCaller({"sms:kannel", "", {}});
  return &worker->session();
}

Status CheckConfigured(const Services& services) {
  if (services.sms_token.empty()) {
    return Status::NotFound("the SMS gateway is not configured (--sms-token)");
  }
  return Status::Ok();
}

Result<http::Response> DeliveryReport(http::Request& req, Services& services) {
  MALCHIN_RETURN_IF_ERROR(CheckConfigured(services));
  MALCHIN_ASSIGN_OR_RETURN(
      channel::DeliveryReport report,
      channel::ParseDeliveryReport(req.query, services.sms_token));
  MALCHIN_ASSIGN_OR_RETURN(store::Session * s, GatewaySession(req));
  Status applied = channel::ApplyDeliveryReport(*s, report);
  if (applied.code() == StatusCode::kNotFound) {
    // Kannel would call again and again: say so once, answer 200.
    return http::Response::Text(200, "ignored: " + applied.message() + "\n");
  }
  MALCHIN_RETURN_IF_ERROR(applied);
  return http::Response::Text(200, "ok\n");
}

Result<http::Response> Inbound(http::Request& req, Services& services) {
  MALCHIN_RETURN_IF_ERROR(CheckConfigured(services));
  MALCHIN_ASSIGN_OR_RETURN(
      channel::InboundSms sms,
      channel::ParseInboundSms(req.query, services.sms_token));
  MALCHIN_ASSIGN_OR_RETURN(store::Session * s, GatewaySession(req));
  MALCHIN_ASSIGN_OR_RETURN(auto catalogue, channel::CatalogueInForce(*s));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* grievances,
                           GrievanceContext());
  InsuranceFacts facts;
  grievance::SmsComplaintDesk complaints(*grievances);
  channel::InboundContext context{catalogue.get(), parameters.get(), &facts,
                                  services.sms_short_code, &complaints};
  MALCHIN_ASSIGN_OR_RETURN(auto outcome,
                           channel::HandleInbound(*s, context, sms));
  return http::Response::Text(200, outcome.duplicate ? "seen\n" : "ok\n");
}

Result<http::Response> Inbox(Call& c) {
  if (!c.session.caller().area.national()) {
    return Status::PermissionDenied(
        "the SMS inbox is national: phone numbers are not tied to an area");
  }
  MALCHIN_ASSIGN_OR_RETURN(std::optional<int64_t> limit,
                           QueryInt(c.request, "limit", 1, 1000));
  MALCHIN_ASSIGN_OR_RETURN(auto rows,
                           c.session.Get<channel::Repository>().Inbox(
                               static_cast<int>(limit.value_or(100))));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back({{"id", r.id},
                   {"from", r.sms.from},
                   {"text", r.sms.text},
                   {"keyword", r.sms.keyword},
                   {"received_at", r.received_at}});
  }
  return JsonResponse(200, {{"messages", out}});
}

http::RouteDoc GatewayDoc(std::string summary) {
  http::RouteDoc d;
  d.summary = std::move(summary);
  d.tag = kTag;
  d.authenticated = false;
  d.permission = "Kannel, with the callback token";
  d.responses = {{200, "Stored (or already stored)"},
                 {400, "A parameter is missing or malformed"},
                 {401, "Wrong or missing token"},
                 {404, "The gateway is not configured"}};
  return d;
}

}  // namespace

void AddChannelRoutes(Api* api) {
  Services* services = &api->services();
  api->AddPublic("GET", "/api/v1/sms/dlr",
                 GatewayDoc("Kannel's delivery report for a message"),
                 [services](http::Request& req) {
                   return DeliveryReport(req, *services);
                 });
  api->AddPublic(
      "GET", "/api/v1/sms/inbound",
      GatewayDoc("A herder's SMS, passed on by Kannel"),
      [services](http::Request& req) { return Inbound(req, *services); });
  http::RouteDoc inbox;
  inbox.summary = "Herders' SMS that no keyword answered, newest first";
  inbox.tag = kTag;
  inbox.query = {
      {"limit", "query", "at most this many (1-1000)", false, "integer"}};
  inbox.responses = {{200, "The messages"}};
  inbox.permission = "handle_grievance, national";
  api->Add("GET", "/api/v1/sms/inbox", inbox,
           auth::Permission::kHandleGrievance, Inbox);
}

}  // namespace malchin::api
