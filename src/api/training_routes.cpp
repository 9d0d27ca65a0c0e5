// Trainings and businesses over HTTP (docs/cooperatives.md, "HTTP API"):
// sessions, attendance, businesses started after them and their seed funds
// (a ledger: Idempotency-Key required). Lists of trainings are aggregates;
// attendees and owners are named (read_register, recorded as read).
#include "api/coop_api.h"
#include "coop/json.h"
#include "coop/trainings.h"

namespace malchin::api {
namespace {

using auth::Permission;
using nlohmann::json;
using namespace coopapi;

constexpr const char* kTag = "trainings";

Result<coop::Training> TrainingFrom(const std::string& body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  coop::Training t;
  MALCHIN_ASSIGN_OR_RETURN(t.code, in.String("code"));
  MALCHIN_ASSIGN_OR_RETURN(std::string topic, in.String("topic"));
  MALCHIN_ASSIGN_OR_RETURN(t.topic, coop::ParseTrainingTopic(topic));
  MALCHIN_ASSIGN_OR_RETURN(t.title, in.String("title"));
  MALCHIN_ASSIGN_OR_RETURN(int64_t soum, in.Int("soum_code", 10000, 99999));
  t.soum_code = static_cast<int32_t>(soum);
  MALCHIN_ASSIGN_OR_RETURN(auto place, in.OptString("place"));
  t.place = place.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto trainer, in.OptString("trainer"));
  t.trainer = trainer.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto from, in.OptString("starts_on"));
  MALCHIN_ASSIGN_OR_RETURN(t.starts_on,
                           DateOf(from, "starts_on", std::nullopt));
  MALCHIN_ASSIGN_OR_RETURN(auto to, in.OptString("ends_on"));
  MALCHIN_ASSIGN_OR_RETURN(t.ends_on, DateOf(to, "ends_on", t.starts_on));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return t;
}

Result<coop::Business> BusinessFrom(const std::string& body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  coop::Business b;
  MALCHIN_ASSIGN_OR_RETURN(b.code, in.String("code"));
  MALCHIN_ASSIGN_OR_RETURN(b.name, in.String("name"));
  MALCHIN_ASSIGN_OR_RETURN(auto sector, in.OptString("sector"));
  b.sector = sector.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(int64_t soum, in.Int("soum_code", 10000, 99999));
  b.soum_code = static_cast<int32_t>(soum);
  MALCHIN_ASSIGN_OR_RETURN(auto started, in.OptString("started_on"));
  MALCHIN_ASSIGN_OR_RETURN(b.started_on,
                           DateOf(started, "started_on", std::nullopt));
  MALCHIN_ASSIGN_OR_RETURN(b.owner_register_no, in.String("owner_register_no"));
  MALCHIN_ASSIGN_OR_RETURN(auto training, in.OptString("training"));
  b.training_code = training.value_or("");
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return b;
}

}  // namespace

void AddTrainingRoutes(Api* api) {
  Services* services = &api->services();
  api->Add("GET", "/api/v1/trainings",
           Doc("Trainings of your area, newest first, with attendees counted",
               kTag, {{200, "The trainings"}}),
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(auto all, coop::Trainings(c.session));
             json list = json::array();
             for (const auto& t : all) list.push_back(coop::ToJson(t));
             return JsonResponse(200, {{"items", list}});
           });
  api->Add(
      "POST", "/api/v1/trainings",
      Doc("A training: {code, topic: life_skills|entrepreneurship|other, "
          "title, soum_code, place?, starts_on, ends_on?, trainer?}",
          kTag, {{200, "Created (or already there, identical)"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
        MALCHIN_ASSIGN_OR_RETURN(coop::Training t,
                                 TrainingFrom(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Training out,
            coop::CreateTraining(c.session, *ctx, coop::ActorOf(c.who), t));
        return JsonResponse(200, coop::ToJson(out));
      });
  api->Add(
      "GET", "/api/v1/trainings/{code}",
      Doc("A training and who attended", kTag,
          {{200, "The training"}, {404, "Not in your area"}}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        const std::string& code = c.request.params["code"];
        MALCHIN_ASSIGN_OR_RETURN(coop::Training t,
                                 coop::FindTraining(c.session, code));
        MALCHIN_ASSIGN_OR_RETURN(auto people,
                                 coop::AttendanceOf(c.session, code));
        json j = coop::ToJson(t);
        j["attendance"] = json::array();
        std::vector<std::pair<std::string, std::string>> read;
        for (const auto& a : people) {
          j["attendance"].push_back(coop::ToJson(a));
          read.emplace_back(a.register_no, "");
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, read, "coop.training"));
        return JsonResponse(200, j);
      });
  api->Add(
      "POST", "/api/v1/trainings/{code}/attendance",
      Doc("Who attended: {register_nos: [...], completed?}; each person "
          "once (again: unchanged)",
          kTag, {{200, "How many were added and already there"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(auto people,
                                 in.ObjectArray("attendees", 2000));
        MALCHIN_ASSIGN_OR_RETURN(auto completed, in.OptBool("completed"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        std::vector<std::string> rns;
        for (auto& p : people) {
          MALCHIN_ASSIGN_OR_RETURN(std::string rn, p.String("register_no"));
          MALCHIN_RETURN_IF_ERROR(p.Finish());
          rns.push_back(std::move(rn));
        }
        MALCHIN_ASSIGN_OR_RETURN(
            coop::AttendanceResult r,
            coop::RecordAttendance(c.session, coop::ActorOf(c.who),
                                   c.request.params["code"], rns,
                                   completed.value_or(true)));
        return JsonResponse(200, {{"added", r.added}, {"already", r.already}});
      });
  api->Add(
      "GET", "/api/v1/businesses",
      Doc("Businesses of your area with their owners and seed balances", kTag,
          {{200, "The businesses"}}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(auto all, coop::Businesses(c.session));
        json list = json::array();
        std::vector<std::pair<std::string, std::string>> read;
        for (const auto& b : all) {
          list.push_back(coop::ToJson(b));
          read.emplace_back(b.owner_register_no, "");
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, read, "coop.business"));
        return JsonResponse(200, {{"items", list}});
      });
  api->Add(
      "POST", "/api/v1/businesses",
      Doc("A business: {code, name, sector?, soum_code, started_on, "
          "owner_register_no, training?}",
          kTag, {{200, "Registered (or already there, identical)"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
        MALCHIN_ASSIGN_OR_RETURN(coop::Business b,
                                 BusinessFrom(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Business out,
            coop::RegisterBusiness(c.session, *ctx, coop::ActorOf(c.who), b));
        return JsonResponse(200, coop::ToJson(out));
      });
  api->Add(
      "POST", "/api/v1/businesses/{code}/seed",
      Doc("A seed grant or a repayment: {kind: grant|repayment, date, "
          "amount, note?}; header Idempotency-Key required",
          kTag,
          {{201, "Recorded"},
           {200, "Already recorded with this key"},
           {409, "A repayment beyond the balance"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(auto kind, in.OptString("kind"));
        MALCHIN_ASSIGN_OR_RETURN(coop::EntryKind k,
                                 coop::ParseEntryKind(kind.value_or("grant")));
        MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
        MALCHIN_ASSIGN_OR_RETURN(Date d,
                                 DateOf(on, "date", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(int64_t amount,
                                 in.Int("amount", 1, 1'000'000'000'000));
        MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Recorded r, coop::RecordSeed(c.session, coop::ActorOf(c.who),
                                               c.request.params["code"], k, d,
                                               amount, note.value_or(""), key));
        return Recorded(coop::ToJson(r.entry), r.replayed);
      });
}

}  // namespace malchin::api
