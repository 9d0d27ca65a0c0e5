// Grievance redress over HTTP, the cases (docs/grievance.md, "HTTP API"):
// intake by an officer or the hotline, the list and one case with its
// timeline, the moves of the workflow, assignment, classification,
// confidentiality, notes, attachments, consent, referrals, fixes and the
// letters to print.
//
// Who sees what is the capability's one rule (grievance/visibility.h): a
// case the caller may not see is a 404 on every route here and absent from
// lists; the routes only check that the caller's role handles complaints at
// all. Reading a non-confidential case records a read of the complainant's
// personal data; reading a confidential one is audited by the capability.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/grievance_json.h"
#include "api/json_input.h"
#include "grievance/service.h"

namespace malchin::api {

using nlohmann::json;

namespace {

Result<int64_t> CaseId(Call& c) { return PathId(c.request.params["id"], "id"); }

Result<grievance::IntakeRequest> IntakeFrom(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  grievance::IntakeRequest r;
  MALCHIN_ASSIGN_OR_RETURN(auto channel, in.OptString("channel"));
  MALCHIN_ASSIGN_OR_RETURN(
      r.channel,
      grievance::ParseChannel(channel.value_or(
          c.who.role == auth::Role::kHotlineOperator ? "hotline" : "office")));
  if (r.channel == grievance::Channel::kWeb ||
      r.channel == grievance::Channel::kSms) {
    return Status::InvalidArgument(
        "channel '" + std::string(grievance::ChannelName(r.channel)) +
            "': officers record office, hotline or batch complaints (the web "
            "form and SMS have their own ways in)",
        "channel");
  }
  MALCHIN_RETURN_IF_ERROR(ReadIntakeFields(in, &r));
  MALCHIN_ASSIGN_OR_RETURN(auto received_on, in.OptString("received_on"));
  if (received_on) {
    MALCHIN_ASSIGN_OR_RETURN(r.received_on,
                             DateField(*received_on, "received_on"));
  }
  if (in.Has("subject")) {
    MALCHIN_ASSIGN_OR_RETURN(JsonInput subject, in.Object("subject"));
    MALCHIN_ASSIGN_OR_RETURN(std::string kind, subject.String("kind"));
    MALCHIN_ASSIGN_OR_RETURN(r.subject_kind, grievance::ParseSubjectKind(kind));
    MALCHIN_ASSIGN_OR_RETURN(auto ref, subject.OptString("ref"));
    r.subject_ref = ref.value_or("");
    MALCHIN_RETURN_IF_ERROR(subject.Finish());
  }
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  // A retry or a double click with the same key records nothing twice.
  std::string_view key = c.request.Header("idempotency-key");
  if (!key.empty()) {
    if (key.size() > 100) {
      return Status::InvalidArgument("Idempotency-Key: at most 100 bytes",
                                     "Idempotency-Key");
    }
    r.external_id = "key:" + c.who.username + ":" + std::string(key);
  }
  return r;
}

Result<grievance::CaseQuery> QueryFrom(const http::Request& r) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(
      r, {"state", "open", "category", "channel", "level", "assigned_to",
          "overdue", "from", "to", "soum", "aimag", "page", "page_size"}));
  grievance::CaseQuery q;
  if (auto s = r.Query("state")) {
    MALCHIN_ASSIGN_OR_RETURN(q.state, grievance::ParseCaseState(*s));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto open, QueryBool(r, "open"));
  q.open_only = open.value_or(false);
  q.category = r.Query("category").value_or("");
  if (auto ch = r.Query("channel")) {
    MALCHIN_ASSIGN_OR_RETURN(q.channel, grievance::ParseChannel(*ch));
  }
  if (auto l = r.Query("level")) {
    MALCHIN_ASSIGN_OR_RETURN(q.level, grievance::ParseLevel(*l));
  }
  q.assigned_to = r.Query("assigned_to").value_or("");
  for (auto [name, target] : {std::pair{"overdue", &q.overdue_on},
                              {"from", &q.received_from},
                              {"to", &q.received_to}}) {
    if (auto d = r.Query(name)) {
      MALCHIN_ASSIGN_OR_RETURN(*target, DateField(*d, name));
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(q.area, AreaQuery(r));
  MALCHIN_ASSIGN_OR_RETURN(auto page, QueryInt(r, "page", 1, 100000));
  MALCHIN_ASSIGN_OR_RETURN(auto size, QueryInt(r, "page_size", 1, 500));
  q.page = static_cast<int>(page.value_or(1));
  q.page_size = static_cast<int>(size.value_or(50));
  return q;
}

// The body's "version" (0 when absent: no check).
Result<int64_t> VersionOf(JsonInput& in) {
  MALCHIN_ASSIGN_OR_RETURN(auto v, in.OptInt("version", 1, INT64_MAX / 2));
  return v.value_or(0);
}

void AddIntakeAndReads(Api* api) {
  Services* services = &api->services();
  api->Add(
      "POST", "/api/v1/grievances",
      GrievanceDoc(
          "Record a complaint taken at the office, by phone or on paper "
          "(optional Idempotency-Key header)",
          {{201,
            "Recorded: its reference (id only if the recorder may see "
            "it)"},
           {200, "Already recorded with this Idempotency-Key"}},
          kIntakeSchema),
      auth::Permission::kRecordGrievance,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(grievance::IntakeRequest r, IntakeFrom(c));
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(grievance::IntakeReceipt got, g.Intake(r));
        return JsonResponse(got.already_received ? 200 : 201, ReceiptJson(got));
      });
  http::RouteDoc list = GrievanceDoc(
      "Complaints the caller may see, newest first (confidential ones only "
      "for the focal points of their area)",
      {{200, "A page of complaints"}});
  list.query = {
      {"state", "query", "received ... closed", false, "string"},
      {"open", "query", "only open ones", false, "boolean"},
      {"category", "query", "a category code", false, "string"},
      {"channel", "query", "office, hotline, web, sms, batch", false, "string"},
      {"level", "query", "soum, aimag or national", false, "string"},
      {"assigned_to", "query", "user name", false, "string"},
      {"overdue", "query", "past a deadline on this date", false, "string"},
      {"from", "query", "received on or after", false, "string"},
      {"to", "query", "received on or before", false, "string"},
      {"soum", "query", "soum code", false, "integer"},
      {"aimag", "query", "aimag code", false, "integer"},
      {"page", "query", "1-based", false, "integer"},
      {"page_size", "query", "1..500", false, "integer"}};
  api->Add(
      "GET", "/api/v1/grievances", list, std::nullopt,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(RequireHandler(c.who));
        MALCHIN_ASSIGN_OR_RETURN(grievance::CaseQuery q, QueryFrom(c.request));
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(grievance::CasePage page, g.List(q));
        json items = json::array();
        for (const auto& k : page.items) items.push_back(CaseSummary(k));
        return JsonResponse(200, {{"total", page.total},
                                  {"page", q.page},
                                  {"page_size", q.page_size},
                                  {"items", items}});
      });
  api->Add(
      "GET", "/api/v1/grievances/{id}",
      GrievanceDoc(
          "A complaint with its timeline, attachments, letters, consents, "
          "referrals, fixes and the services it can be referred to",
          {{200, "The complaint"}, {404, "No such complaint you may see"}}),
      std::nullopt, [services](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(RequireHandler(c.who));
        MALCHIN_ASSIGN_OR_RETURN(int64_t id, CaseId(c));
        MALCHIN_ASSIGN_OR_RETURN(grievance::Service g, GrievanceService(c));
        MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, g.Get(id));
        if (!v.c.confidential && !v.c.complainant.register_no.empty()) {
          registry::Person p;
          p.register_no = v.c.complainant.register_no;
          MALCHIN_RETURN_IF_ERROR(
              RecordReads(*services, c, {p}, "GET /api/v1/grievances/{id}"));
        }
        return JsonResponse(200, CaseViewJson(v));
      });
}

// A POST on a case whose body `read` turns into a change; answers the case
// as it is after.
using ChangeBody = std::function<Result<grievance::Case>(grievance::Service&,
                                                         int64_t, JsonInput&)>;
void AddChange(Api* api, const std::string& path, http::RouteDoc doc,
               ChangeBody change) {
  api->Add("POST", "/api/v1/grievances/{id}/" + path, std::move(doc),
           std::nullopt, [change](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(RequireHandler(c.who));
             MALCHIN_ASSIGN_OR_RETURN(int64_t id, CaseId(c));
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(grievance::Service g,
                                      GrievanceService(c));
             MALCHIN_ASSIGN_OR_RETURN(grievance::Case k, change(g, id, in));
             return JsonResponse(200, CaseSummary(k));
           });
}

void AddWork(Api* api) {
  AddChange(api, "actions",
            GrievanceDoc(
                "Move a complaint: acknowledge, start_review, resolve, refer, "
                "reject, close, reopen (text: the resolution or reason; "
                "version: the one you read)",
                {{200, "The complaint after"},
                 {412, "Changed since you read it"},
                 {409, "Not allowed from its state"}},
                R"({"type":"object","required":["action"],"properties":{)"
                R"("action":{"type":"string"},"text":{"type":"string"},)"
                R"("version":{"type":"integer"}}})"),
            [](grievance::Service& g, int64_t id,
               JsonInput& in) -> Result<grievance::Case> {
              MALCHIN_ASSIGN_OR_RETURN(std::string a, in.String("action"));
              MALCHIN_ASSIGN_OR_RETURN(grievance::Action action,
                                       grievance::ParseAction(a));
              MALCHIN_ASSIGN_OR_RETURN(auto text, in.OptString("text"));
              MALCHIN_ASSIGN_OR_RETURN(int64_t version, VersionOf(in));
              MALCHIN_RETURN_IF_ERROR(in.Finish());
              return g.Move(id, action, text.value_or(""), version);
            });
  AddChange(
      api, "assign",
      GrievanceDoc("Assign to an officer of its area and level (empty: nobody)",
                   {{200, "The complaint after"}}),
      [](grievance::Service& g, int64_t id,
         JsonInput& in) -> Result<grievance::Case> {
        MALCHIN_ASSIGN_OR_RETURN(std::string to, in.String("assigned_to"));
        MALCHIN_ASSIGN_OR_RETURN(int64_t version, VersionOf(in));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        return g.Assign(id, to, version);
      });
  AddChange(api, "category",
            GrievanceDoc(
                "Classify again (a sensitive category makes it confidential)",
                {{200, "The complaint after"}}),
            [](grievance::Service& g, int64_t id,
               JsonInput& in) -> Result<grievance::Case> {
              MALCHIN_ASSIGN_OR_RETURN(std::string cat, in.String("category"));
              MALCHIN_ASSIGN_OR_RETURN(int64_t version, VersionOf(in));
              MALCHIN_RETURN_IF_ERROR(in.Finish());
              return g.Reclassify(id, cat, version);
            });
  AddChange(api, "confidential",
            GrievanceDoc(
                "Make it confidential (never the reverse); you may no longer "
                "see it afterwards",
                {{200, "The complaint after"}}),
            [](grievance::Service& g, int64_t id,
               JsonInput& in) -> Result<grievance::Case> {
              MALCHIN_ASSIGN_OR_RETURN(std::string why, in.String("reason"));
              MALCHIN_RETURN_IF_ERROR(in.Finish());
              return g.MarkConfidential(id, why);
            });
  AddChange(api, "accused",
            GrievanceDoc(
                "Name the officer the complaint is about, when intake could "
                "not (focal points, aimag and national officers; once): that "
                "officer never sees it again",
                {{200, "The complaint after"},
                 {403, "Not a focal point, aimag or national officer"},
                 {409, "It already names one"}},
                R"({"type":"object","required":["accused_officer"],)"
                R"("properties":{"accused_officer":{"type":"string"}}})"),
            [](grievance::Service& g, int64_t id,
               JsonInput& in) -> Result<grievance::Case> {
              MALCHIN_ASSIGN_OR_RETURN(std::string who,
                                       in.String("accused_officer"));
              MALCHIN_RETURN_IF_ERROR(in.Finish());
              return g.NameAccused(id, who);
            });
  AddChange(api, "notes",
            GrievanceDoc("Add a note to the timeline", {{200, "Noted"}}),
            [](grievance::Service& g, int64_t id,
               JsonInput& in) -> Result<grievance::Case> {
              MALCHIN_ASSIGN_OR_RETURN(std::string text, in.String("text"));
              MALCHIN_RETURN_IF_ERROR(in.Finish());
              MALCHIN_RETURN_IF_ERROR(g.AddNote(id, text));
              MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, g.Get(id));
              return v.c;
            });
}

}  // namespace

void AddGrievanceRoutes(Api* api) {
  AddIntakeAndReads(api);
  AddWork(api);
}

}  // namespace malchin::api
