// Cooperatives over HTTP (docs/cooperatives.md, "HTTP API"): registration,
// members and roles, a person's memberships and trainings, warehouses and
// feed, what an event's soums hold, and the statistics by sex, age and
// area. Lists of cooperatives, stocks and counts are aggregates
// (read_stats); members' names need read_register and are recorded as
// read; writes need manage_coop. Every call sees the caller's area only.
#include "api/coop_api.h"
#include "coop/cooperatives.h"
#include "coop/feed.h"
#include "coop/fund.h"
#include "coop/json.h"
#include "coop/trainings.h"

namespace malchin::api {
namespace {

using auth::Permission;
using nlohmann::json;
using namespace coopapi;

constexpr const char* kTag = "cooperatives";

constexpr const char* kCoopSchema =
    R"({"type":"object","required":["code","name","soum_code"],
"properties":{"code":{"type":"string"},"name":{"type":"string"},
"type":{"enum":["cooperative","pasture_user_group"]},"soum_code":{"type":"integer"},
"bag":{"type":"string"},"registration_no":{"type":"string"},
"registered_on":{"type":"string","format":"date"}}})";

Result<coop::Cooperative> CoopFrom(const std::string& body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  coop::Cooperative c;
  MALCHIN_ASSIGN_OR_RETURN(c.code, in.String("code"));
  MALCHIN_ASSIGN_OR_RETURN(c.name, in.String("name"));
  MALCHIN_ASSIGN_OR_RETURN(auto type, in.OptString("type"));
  MALCHIN_ASSIGN_OR_RETURN(c.type,
                           coop::ParseGroupType(type.value_or("cooperative")));
  MALCHIN_ASSIGN_OR_RETURN(int64_t soum, in.Int("soum_code", 10000, 99999));
  c.soum_code = static_cast<int32_t>(soum);
  MALCHIN_ASSIGN_OR_RETURN(auto bag, in.OptString("bag"));
  c.bag = bag.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto reg, in.OptString("registration_no"));
  c.registration_no = reg.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("registered_on"));
  if (on) {
    MALCHIN_ASSIGN_OR_RETURN(c.registered_on,
                             DateOf(on, "registered_on", std::nullopt));
  }
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return c;
}

Result<coop::Warehouse> WarehouseFrom(const std::string& body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  coop::Warehouse w;
  MALCHIN_ASSIGN_OR_RETURN(w.code, in.String("code"));
  MALCHIN_ASSIGN_OR_RETURN(w.name, in.String("name"));
  MALCHIN_ASSIGN_OR_RETURN(int64_t soum, in.Int("soum_code", 10000, 99999));
  w.soum_code = static_cast<int32_t>(soum);
  MALCHIN_ASSIGN_OR_RETURN(auto coop_code, in.OptString("coop"));
  w.coop_code = coop_code.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto bag, in.OptString("bag"));
  w.bag = bag.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto cap,
                           in.OptInt("capacity_kg", 0, 1'000'000'000));
  w.capacity_kg = cap.value_or(0);
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return w;
}

void AddCooperativeRoutes(Api* api) {
  Services* services = &api->services();
  api->Add("GET", "/api/v1/coop/cooperatives",
           Doc("Cooperatives and pasture user groups of your area, with "
               "members, member households and fund balance on a date",
               kTag, {{200, "A page of cooperatives"}},
               {QueryParam("soum", "only this soum", "integer"),
                QueryParam("text",
                           "part of the code or the name (either "
                           "script)"),
                QueryParam("as_of", "date (today)"),
                QueryParam("page", "1-based page", "integer"),
                QueryParam("page_size", "1..500 (50)", "integer")}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(
                 c.request, {"soum", "text", "as_of", "page", "page_size"}));
             coop::CoopQuery q;
             MALCHIN_ASSIGN_OR_RETURN(auto soum,
                                      QueryInt(c.request, "soum", 0, 99999));
             q.soum_code = static_cast<int32_t>(soum.value_or(0));
             q.text = c.request.Query("text").value_or("");
             MALCHIN_ASSIGN_OR_RETURN(auto page,
                                      QueryInt(c.request, "page", 1, 1000000));
             MALCHIN_ASSIGN_OR_RETURN(auto size,
                                      QueryInt(c.request, "page_size", 1, 500));
             q.page = static_cast<int>(page.value_or(1));
             q.page_size = static_cast<int>(size.value_or(50));
             MALCHIN_ASSIGN_OR_RETURN(
                 Date on,
                 QueryDate(c.request, "as_of", c.session.clock().Today()));
             MALCHIN_ASSIGN_OR_RETURN(coop::CoopPage p,
                                      coop::ListCooperatives(c.session, q, on));
             json items = json::array();
             for (const auto& s : p.items) items.push_back(coop::ToJson(s));
             return JsonResponse(200, {{"as_of", on.ToString()},
                                       {"total", p.total},
                                       {"page", q.page},
                                       {"page_size", q.page_size},
                                       {"items", items}});
           });
  api->Add("POST", "/api/v1/coop/cooperatives",
           Doc("Register a cooperative or pasture user group in a soum of "
               "your area. The same registration again returns it",
               kTag,
               {{200, "Registered"},
                {400, "Bad input (field named)"},
                {403, "A soum outside your area"},
                {409, "The code or registration number is taken"}},
               {}, kCoopSchema),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(coop::Cooperative in,
                                      CoopFrom(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Cooperative out,
                 coop::RegisterCooperative(c.session, *ctx,
                                           coop::ActorOf(c.who), in));
             return JsonResponse(200, coop::ToJson(out));
           });
  api->Add(
      "GET", "/api/v1/coop/cooperatives/{code}",
      Doc("A cooperative, its fund balance and its members on a date (the "
          "board first), with every past membership",
          kTag, {{200, "The cooperative"}, {404, "Not in your area"}},
          {QueryParam("as_of", "date (today)")}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"as_of"}));
        const std::string& code = c.request.params["code"];
        MALCHIN_ASSIGN_OR_RETURN(
            Date on, QueryDate(c.request, "as_of", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(coop::Cooperative co,
                                 coop::FindCooperative(c.session, code));
        MALCHIN_ASSIGN_OR_RETURN(auto all,
                                 coop::Members(c.session, code, std::nullopt));
        MALCHIN_ASSIGN_OR_RETURN(int64_t balance,
                                 coop::FundBalance(c.session, code, on));
        json j = coop::ToJson(co);
        j["as_of"] = on.ToString();
        j["fund_balance"] = balance;
        j["members"] = json::array();
        j["history"] = json::array();
        std::vector<std::pair<std::string, std::string>> read;
        for (const auto& m : all) {
          read.emplace_back(m.register_no, m.household_id);
          (m.ActiveOn(on) ? j["members"] : j["history"])
              .push_back(coop::ToJson(m));
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, read, "coop.members"));
        return JsonResponse(200, j);
      });
  api->Add(
      "POST", "/api/v1/coop/cooperatives/{code}/members",
      Doc("A person joins: {register_no, role?, joined_on}", kTag,
          {{201, "The membership"},
           {404, "No such cooperative or person in your area"},
           {409, "Already a member"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        coop::JoinRequest r;
        r.coop_code = c.request.params["code"];
        MALCHIN_ASSIGN_OR_RETURN(r.register_no, in.String("register_no"));
        MALCHIN_ASSIGN_OR_RETURN(auto role, in.OptString("role"));
        MALCHIN_ASSIGN_OR_RETURN(
            r.role, coop::ParseMemberRole(role.value_or("member")));
        MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("joined_on"));
        MALCHIN_ASSIGN_OR_RETURN(
            r.joined_on, DateOf(on, "joined_on", c.session.clock().Today()));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Membership m, coop::Join(c.session, coop::ActorOf(c.who), r));
        return JsonResponse(201, coop::ToJson(m));
      });
  api->Add("POST",
           "/api/v1/coop/cooperatives/{code}/members/{register_no}/leave",
           Doc("A member leaves: {left_on, reason}", kTag,
               {{200, "The closed membership"}, {404, "Not a member"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("left_on"));
             MALCHIN_ASSIGN_OR_RETURN(
                 Date left, DateOf(on, "left_on", c.session.clock().Today()));
             MALCHIN_ASSIGN_OR_RETURN(std::string reason, in.String("reason"));
             MALCHIN_RETURN_IF_ERROR(in.Finish());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Membership m,
                 coop::Leave(c.session, coop::ActorOf(c.who),
                             c.request.params["code"],
                             c.request.params["register_no"], left, reason));
             return JsonResponse(200, coop::ToJson(m));
           });
  api->Add(
      "POST", "/api/v1/coop/cooperatives/{code}/members/{register_no}/role",
      Doc("A member's new role from a date: {role, from}", kTag,
          {{201, "The new membership"}, {404, "Not a member"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(std::string role, in.String("role"));
        MALCHIN_ASSIGN_OR_RETURN(coop::MemberRole r,
                                 coop::ParseMemberRole(role));
        MALCHIN_ASSIGN_OR_RETURN(auto from, in.OptString("from"));
        MALCHIN_ASSIGN_OR_RETURN(Date d, DateOf(from, "from", std::nullopt));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Membership m,
            coop::ChangeRole(c.session, coop::ActorOf(c.who),
                             c.request.params["code"],
                             c.request.params["register_no"], r, d));
        return JsonResponse(201, coop::ToJson(m));
      });
  api->Add(
      "GET", "/api/v1/coop/persons/{register_no}",
      Doc("A person's memberships and trainings", kTag,
          {{200, "Memberships and trainings (maybe none)"}}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        const std::string& rn = c.request.params["register_no"];
        MALCHIN_ASSIGN_OR_RETURN(auto ms, coop::MembershipsOf(c.session, rn));
        MALCHIN_ASSIGN_OR_RETURN(auto ts, coop::TrainingsOf(c.session, rn));
        json j = {{"memberships", json::array()}, {"trainings", json::array()}};
        for (const auto& m : ms) j["memberships"].push_back(coop::ToJson(m));
        for (const auto& t : ts) j["trainings"].push_back(coop::ToJson(t));
        if (!ms.empty()) {
          MALCHIN_RETURN_IF_ERROR(
              Reads(*services, c, {{ms[0].register_no, ms[0].household_id}},
                    "coop.person"));
        }
        return JsonResponse(200, j);
      });
}

void AddReserveRoutes(Api* api) {
  api->Add(
      "GET", "/api/v1/coop/warehouses",
      Doc("Hay and fodder warehouses of your area with their stock on "
          "a date",
          kTag, {{200, "The warehouses"}},
          {QueryParam("soum", "only this soum", "integer"),
           QueryParam("as_of", "date (today)")}),
      Permission::kReadStats, [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"soum", "as_of"}));
        MALCHIN_ASSIGN_OR_RETURN(auto soum,
                                 QueryInt(c.request, "soum", 0, 99999));
        MALCHIN_ASSIGN_OR_RETURN(
            Date on, QueryDate(c.request, "as_of", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(
            auto list,
            coop::Warehouses(c.session, static_cast<int32_t>(soum.value_or(0)),
                             on));
        json items = json::array();
        for (const auto& w : list) {
          json j = coop::ToJson(w.warehouse);
          j["stock"] = coop::ToJson(w.stock);
          items.push_back(std::move(j));
        }
        return JsonResponse(200, {{"as_of", on.ToString()}, {"items", items}});
      });
  api->Add(
      "POST", "/api/v1/coop/warehouses",
      Doc("Register a warehouse: {code, name, soum_code, coop?, bag?, "
          "capacity_kg?}",
          kTag, {{200, "Registered"}, {403, "Outside your area"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
        MALCHIN_ASSIGN_OR_RETURN(coop::Warehouse w,
                                 WarehouseFrom(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Warehouse out,
            coop::RegisterWarehouse(c.session, *ctx, coop::ActorOf(c.who), w));
        return JsonResponse(200, coop::ToJson(out));
      });
  api->Add(
      "GET", "/api/v1/coop/warehouses/{code}",
      Doc("A warehouse, its stock card (every movement with the stock "
          "after it) and its stock on a date",
          kTag, {{200, "The warehouse"}, {404, "Not in your area"}},
          {QueryParam("as_of", "date (today)")}),
      Permission::kReadStats, [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"as_of"}));
        const std::string& code = c.request.params["code"];
        MALCHIN_ASSIGN_OR_RETURN(
            Date on, QueryDate(c.request, "as_of", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(coop::Warehouse w,
                                 coop::FindWarehouse(c.session, code));
        MALCHIN_ASSIGN_OR_RETURN(auto card, coop::StockCard(c.session, code));
        MALCHIN_ASSIGN_OR_RETURN(coop::FeedStock s,
                                 coop::StockOn(c.session, code, on));
        json j = coop::ToJson(w);
        j["as_of"] = on.ToString();
        j["stock"] = coop::ToJson(s);
        j["movements"] = json::array();
        for (const auto& l : card) {
          json m = coop::ToJson(l.movement);
          m["stock_after"] = l.stock_after;
          j["movements"].push_back(std::move(m));
        }
        return JsonResponse(200, j);
      });
  api->Add(
      "POST", "/api/v1/coop/warehouses/{code}/movements",
      Doc("Feed received or lost: {date, feed: hay|fodder, kind: "
          "received|loss, kg, note}; header Idempotency-Key required",
          kTag,
          {{201, "Recorded"},
           {200, "Already recorded with this key"},
           {409, "A loss beyond the stock, or the key was used for another"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        coop::MovementRequest r;
        r.warehouse_code = c.request.params["code"];
        r.client_key = key;
        MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
        MALCHIN_ASSIGN_OR_RETURN(r.on,
                                 DateOf(on, "date", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(std::string feed, in.String("feed"));
        MALCHIN_ASSIGN_OR_RETURN(r.feed, coop::ParseFeedType(feed));
        MALCHIN_ASSIGN_OR_RETURN(std::string kind, in.String("kind"));
        MALCHIN_ASSIGN_OR_RETURN(r.kind, coop::ParseMovementKind(kind));
        MALCHIN_ASSIGN_OR_RETURN(r.kg, in.Int("kg", 1, 100'000'000));
        MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
        r.note = note.value_or("");
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(
            coop::RecordedMovement m,
            coop::RecordMovement(c.session, coop::ActorOf(c.who), r));
        return Recorded(coop::ToJson(m.movement), m.replayed);
      });
  api->Add("GET", "/api/v1/coop/events/{event_code}/position",
           Doc("What the cooperatives' funds and the warehouses of an "
               "event's soums (in your area) hold on a date",
               kTag, {{200, "The position"}, {404, "No such event"}},
               {QueryParam("as_of", "date (today)")}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"as_of"}));
             MALCHIN_ASSIGN_OR_RETURN(
                 Date on,
                 QueryDate(c.request, "as_of", c.session.clock().Today()));
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::EventPosition p,
                 coop::EventPositionOf(c.session,
                                       c.request.params["event_code"], on));
             return JsonResponse(200, coop::ToJson(p));
           });
  api->Add("GET", "/api/v1/coop/stats",
           Doc("Members, trainees, business owners and in-kind recipients by "
               "soum, sex and age band on a date, with totals by sex, band "
               "and soum (for the results framework)",
               kTag, {{200, "The counts"}},
               {QueryParam("as_of", "date (today)"),
                QueryParam("soum", "only this soum", "integer"),
                QueryParam("aimag", "only this aimag", "integer")}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(
                 CheckQuery(c.request, {"as_of", "soum", "aimag"}));
             MALCHIN_ASSIGN_OR_RETURN(auto soum,
                                      QueryInt(c.request, "soum", 0, 99999));
             MALCHIN_ASSIGN_OR_RETURN(auto aimag,
                                      QueryInt(c.request, "aimag", 0, 999));
             store::AreaFilter area{static_cast<int32_t>(aimag.value_or(0)),
                                    static_cast<int32_t>(soum.value_or(0))};
             MALCHIN_ASSIGN_OR_RETURN(
                 Date on,
                 QueryDate(c.request, "as_of", c.session.clock().Today()));
             MALCHIN_ASSIGN_OR_RETURN(auto cells,
                                      coop::Statistics(c.session, area, on));
             return JsonResponse(200, coop::StatsJson(cells, on));
           });
}

}  // namespace

void AddCoopRoutes(Api* api) {
  AddCooperativeRoutes(api);
  AddReserveRoutes(api);
}

}  // namespace malchin::api
