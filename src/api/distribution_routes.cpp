// Distributions to households over HTTP (docs/cooperatives.md, "HTTP
// API"): the in-kind catalogue; payouts from a contingency fund, feed from
// a warehouse and in-kind support, prepared by rule, previewed with the
// disaggregation every preview has, approved by another user, delivered
// once per household (Idempotency-Key required). Previews and totals are
// aggregates (read_stats); lines name households (read_register, recorded
// as read); writes need manage_coop.
#include "api/coop_api.h"
#include "coop/distributions.h"
#include "coop/json.h"

namespace malchin::api {
namespace {

using auth::Permission;
using nlohmann::json;
using namespace coopapi;

constexpr const char* kTag = "distributions";

constexpr const char* kDistributionSchema = R"({"type":"object",
"required":["code","kind","eligibility","cutoff_on"],"properties":{
"code":{"type":"string"},"kind":{"enum":["payout","feed","in_kind"]},
"name":{"type":"string"},"coop":{"type":"string"},"warehouse":{"type":"string"},
"item":{"type":"string","description":"in_kind: a catalogue code; feed: hay or fodder"},
"event":{"type":"string"},"area_code":{"type":"integer"},
"eligibility":{"type":"string"},"quantity":{"type":"string"},
"cutoff_on":{"type":"string","format":"date"},"decision":{"type":"string"}}})";

Result<coop::Distribution> DistributionFrom(const std::string& body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  coop::Distribution d;
  MALCHIN_ASSIGN_OR_RETURN(d.code, in.String("code"));
  MALCHIN_ASSIGN_OR_RETURN(std::string kind, in.String("kind"));
  MALCHIN_ASSIGN_OR_RETURN(d.kind, coop::ParseDistributionKind(kind));
  MALCHIN_ASSIGN_OR_RETURN(auto name, in.OptString("name"));
  d.name = name.value_or(d.code);
  for (auto [field, target] :
       {std::pair{"coop", &d.coop_code},
        std::pair{"warehouse", &d.warehouse_code}, std::pair{"item", &d.item},
        std::pair{"event", &d.event_code},
        std::pair{"decision", &d.decision}}) {
    MALCHIN_ASSIGN_OR_RETURN(auto v, in.OptString(field));
    *target = v.value_or("");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto area, in.OptInt("area_code", 0, 99999));
  d.area_code = static_cast<int32_t>(area.value_or(0));
  MALCHIN_ASSIGN_OR_RETURN(d.eligibility, in.String("eligibility"));
  MALCHIN_ASSIGN_OR_RETURN(auto quantity, in.OptString("quantity"));
  d.quantity = quantity.value_or("1");
  MALCHIN_ASSIGN_OR_RETURN(auto cutoff, in.OptString("cutoff_on"));
  MALCHIN_ASSIGN_OR_RETURN(d.cutoff_on,
                           DateOf(cutoff, "cutoff_on", std::nullopt));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return d;
}

void AddCatalogueRoutes(Api* api) {
  api->Add("GET", "/api/v1/inkind/items",
           Doc("The in-kind catalogue: items with unit values", kTag,
               {{200, "The items"}}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(auto items, coop::Items(c.session));
             json list = json::array();
             for (const auto& i : items) list.push_back(coop::ToJson(i));
             return JsonResponse(200, {{"items", list}});
           });
  api->Add("POST", "/api/v1/inkind/items",
           Doc("Add an item: {code, name_en, name_mn, unit: head|kg|piece, "
               "unit_value}",
               kTag, {{200, "Added (or already there, identical)"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             coop::InKindItem i;
             MALCHIN_ASSIGN_OR_RETURN(i.code, in.String("code"));
             MALCHIN_ASSIGN_OR_RETURN(i.name_en, in.String("name_en"));
             MALCHIN_ASSIGN_OR_RETURN(i.name_mn, in.String("name_mn"));
             MALCHIN_ASSIGN_OR_RETURN(i.unit, in.String("unit"));
             MALCHIN_ASSIGN_OR_RETURN(
                 i.unit_value, in.Int("unit_value", 0, 1'000'000'000'000));
             MALCHIN_RETURN_IF_ERROR(in.Finish());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::InKindItem out,
                 coop::AddItem(c.session, coop::ActorOf(c.who), i));
             return JsonResponse(200, coop::ToJson(out));
           });
}

void AddPlanRoutes(Api* api) {
  api->Add("GET", "/api/v1/distributions",
           Doc("Distributions whose area overlaps yours, newest first", kTag,
               {{200, "The distributions"}},
               {QueryParam("kind", "payout, feed or in_kind")}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"kind"}));
             std::optional<coop::DistributionKind> kind;
             if (auto k = c.request.Query("kind")) {
               MALCHIN_ASSIGN_OR_RETURN(kind, coop::ParseDistributionKind(*k));
             }
             MALCHIN_ASSIGN_OR_RETURN(auto all,
                                      coop::Distributions(c.session, kind));
             json list = json::array();
             for (const auto& d : all) list.push_back(coop::ToJson(d));
             return JsonResponse(200, {{"items", list}});
           });
  api->Add("POST", "/api/v1/distributions",
           Doc("Prepare a distribution chosen by a rule (unit household). Rule "
               "errors are 400 with every problem and its position. The same "
               "distribution again returns it",
               kTag,
               {{200, "Prepared"},
                {400, "Bad input or rule"},
                {403, "Outside your area"},
                {404, "No such cooperative, warehouse, item or event"},
                {409, "Another distribution has this code"}},
               {}, kDistributionSchema),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(coop::Distribution d,
                                      DistributionFrom(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Distribution out,
                 coop::Prepare(c.session, *ctx, coop::ActorOf(c.who), d));
             return JsonResponse(200, coop::ToJson(out));
           });
  api->Add("POST", "/api/v1/distributions/preview",
           Doc("Preview a distribution that is not stored (the same body as "
               "prepare): households, quantity and value by aimag and soum, "
               "and by sex x age band x disability of the household head",
               kTag, {{200, "The preview"}, {400, "Bad input or rule"}}, {},
               kDistributionSchema),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(coop::Distribution d,
                                      DistributionFrom(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(coop::DistributionPreview p,
                                      coop::Preview(c.session, *ctx, d));
             return JsonResponse(200, coop::ToJson(p));
           });
  api->Add("GET", "/api/v1/distributions/{code}",
           Doc("A distribution", kTag,
               {{200, "The distribution"}, {404, "Not in your area"}}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Distribution d,
                 coop::FindDistribution(c.session, c.request.params["code"]));
             return JsonResponse(200, coop::ToJson(d));
           });
  api->Add("GET", "/api/v1/distributions/{code}/preview",
           Doc("The preview of a stored distribution over the register as it "
               "is now (an approved one delivers its frozen lines)",
               kTag, {{200, "The preview"}, {404, "Not in your area"}}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Distribution d,
                 coop::FindDistribution(c.session, c.request.params["code"]));
             MALCHIN_ASSIGN_OR_RETURN(coop::DistributionPreview p,
                                      coop::Preview(c.session, *ctx, d));
             return JsonResponse(200, coop::ToJson(p));
           });
  api->Add("POST", "/api/v1/distributions/{code}/approve",
           Doc("Approve (maker-checker: not by who prepared it) and freeze "
               "the households. Approving again returns it",
               kTag,
               {{200, "Approved"},
                {403, "You prepared it, or it is outside your area"},
                {409, "The fund or the stock does not hold the total"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Distribution d,
                 coop::Approve(c.session, *ctx, coop::ActorOf(c.who),
                               c.request.params["code"]));
             return JsonResponse(200, coop::ToJson(d));
           });
}

void AddDeliveryRoutes(Api* api) {
  Services* services = &api->services();
  api->Add(
      "GET", "/api/v1/distributions/{code}/lines",
      Doc("The households of an approved distribution in your area, with "
          "their deliveries",
          kTag, {{200, "A page of lines"}},
          {QueryParam("undelivered", "only those not delivered", "boolean"),
           QueryParam("page", "1-based page", "integer"),
           QueryParam("page_size", "1..500 (100)", "integer")}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(c.request, {"undelivered", "page", "page_size"}));
        MALCHIN_ASSIGN_OR_RETURN(auto undelivered,
                                 QueryBool(c.request, "undelivered"));
        MALCHIN_ASSIGN_OR_RETURN(auto page,
                                 QueryInt(c.request, "page", 1, 1000000));
        MALCHIN_ASSIGN_OR_RETURN(auto size,
                                 QueryInt(c.request, "page_size", 1, 500));
        MALCHIN_ASSIGN_OR_RETURN(
            coop::LinePage p,
            coop::Lines(c.session, c.request.params["code"],
                        undelivered.value_or(false),
                        static_cast<int>(page.value_or(1)),
                        static_cast<int>(size.value_or(100))));
        json items = json::array();
        std::vector<std::pair<std::string, std::string>> read;
        for (const auto& l : p.items) {
          items.push_back(coop::ToJson(l));
          read.emplace_back(l.payee_register_no, l.household_id);
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, read, "coop.lines"));
        return JsonResponse(200, {{"total", p.total}, {"items", items}});
      });
  api->Add(
      "POST", "/api/v1/distributions/{code}/deliveries",
      Doc("Confirm a household's delivery: {household_id, date, "
          "received_by?, note?}; header Idempotency-Key required. A "
          "household receives a distribution once",
          kTag,
          {{201, "Delivered"},
           {200, "Already recorded with this key"},
           {404, "No line for that household in your area"},
           {409,
            "The household received it before; not approved; or the fund "
            "or stock cannot cover it"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        coop::DeliveryRequest r;
        r.code = c.request.params["code"];
        r.client_key = key;
        MALCHIN_ASSIGN_OR_RETURN(r.household_id, in.String("household_id"));
        MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
        MALCHIN_ASSIGN_OR_RETURN(r.on,
                                 DateOf(on, "date", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(auto by, in.OptString("received_by"));
        r.received_by = by.value_or("");
        MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
        r.note = note.value_or("");
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Delivered d,
            coop::Deliver(c.session, *ctx, coop::ActorOf(c.who), r));
        return Recorded(coop::ToJson(d.line), d.replayed);
      });
  api->Add("POST", "/api/v1/distributions/{code}/deliveries/all",
           Doc("Deliver every household of your area not yet delivered, to "
               "its head, on a date: {date}",
               kTag, {{200, "How many were delivered"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
             MALCHIN_ASSIGN_OR_RETURN(
                 Date d, DateOf(on, "date", c.session.clock().Today()));
             MALCHIN_RETURN_IF_ERROR(in.Finish());
             MALCHIN_ASSIGN_OR_RETURN(
                 int64_t n,
                 coop::DeliverAll(c.session, *ctx, coop::ActorOf(c.who),
                                  c.request.params["code"], d));
             return JsonResponse(200, {{"delivered", n}});
           });
}

}  // namespace

void AddDistributionRoutes(Api* api) {
  AddCatalogueRoutes(api);
  AddPlanRoutes(api);
  AddDeliveryRoutes(api);
}

}  // namespace malchin::api
