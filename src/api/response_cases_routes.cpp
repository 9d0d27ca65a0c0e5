// Payments as cases over HTTP (docs/response.md "Payments as cases"): one
// payment's history, an officer's hold, cancellation, release, re-issue or
// payee change and a second officer's decision (maker-checker), the
// requests awaiting a decision, the soum officer's follow-up list (JSON, CSV
// or a printable page), and, before approving a plan, who is already
// covered by an approved plan of the same event and programme. Through
// response::Workflow, as `malchin payment ...` and `malchin plan covered`.
//
// Area: a payment exists for an aimag or soum officer only if its
// beneficiary is registered in their area (404 otherwise). Reads of a
// payment or of the follow-up list (names, register numbers, phones) are
// recorded as reads of personal data.
#include "api/response_api.h"
#include "registry/register_number.h"
#include "response/follow_up.h"

namespace malchin::api {

using nlohmann::json;

namespace {

using response_api::DateField;
using response_api::Doc;
using response_api::InstallmentParam;
using response_api::Open;
using response_api::ReadArea;
using response_api::Session;
using response_api::Shared;
using response_api::TextField;
using response_api::VisiblePlan;

json ActionJson(const response::PaymentAction& a) {
  json j = {{"id", a.id},
            {"register_no", a.register_no},
            {"installment", a.installment ? json(*a.installment) : json()},
            {"kind", std::string(response::Name(a.kind))},
            {"status", std::string(response::Name(a.status))},
            {"reason", a.reason},
            {"effective_on", a.effective_on.ToString()},
            {"requested_by", a.requested_by},
            {"requested_at", a.requested_at},
            {"decided_by", a.decided_by.empty() ? json() : json(a.decided_by)},
            {"decided_at", a.decided_at.empty() ? json() : json(a.decided_at)},
            {"decision_note", a.decision_note}};
  if (a.kind == response::CaseAction::kPayee) {
    j["payee_register_no"] = a.payee_register_no;
    j["payee_name"] = a.payee_name;
    j["account"] = a.account;
  }
  return j;
}

json AttemptJson(const response::PaymentAttempt& a) {
  return {{"attempt", a.attempt},
          {"reference", a.reference},
          {"batch", a.batch},
          {"issued_at", a.issued_at},
          {"issued_by", a.issued_by},
          {"bank_code", a.bank_code},
          {"amount", a.amount},
          {"status", std::string(response::Name(a.status))},
          {"reason", a.reason},
          {"result_at", a.result_at.empty() ? json() : json(a.result_at)},
          {"payee_register_no", a.payee_register_no},
          {"payee_name", a.payee_name},
          {"account", a.account}};
}

json CaseJson(const response::PaymentCase& c) {
  json j = {{"plan", c.plan_code},
            {"installment", c.installment},
            {"register_no", c.entitlement.register_no},
            {"household_id", c.entitlement.household_id},
            {"soum_code", c.entitlement.soum_code},
            {"amount", c.amount},
            {"payroll_line", c.line_id ? json(c.line_id) : json()},
            {"state", std::string(response::Name(c.view.state))},
            {"awaiting_decision", c.view.awaiting},
            {"to_reissue", c.view.reissue_decided},
            {"payee_register_no", c.payee_register_no},
            {"payee_name", c.payee_name},
            {"account", c.account},
            {"attempts", json::array()},
            {"actions", json::array()}};
  for (const auto& a : c.attempts) j["attempts"].push_back(AttemptJson(a));
  for (const auto& a : c.actions) j["actions"].push_back(ActionJson(a));
  return j;
}

json FollowUpJson(const response::FollowUpItem& i, const geo::Geography& geo) {
  const geo::Unit* u = geo.Find(i.soum_code);
  return {{"soum_code", i.soum_code},
          {"soum", u ? json{{"en", u->name_en}, {"mn", u->name_mn}} : json()},
          {"household_id", i.household_id},
          {"register_no", i.register_no},
          {"name", i.name},
          {"payee_register_no", i.payee_register_no},
          {"payee_name", i.payee_name},
          {"account", i.account},
          {"phone", i.phone},
          {"amount", i.amount},
          {"attempts", i.attempts},
          {"situation", std::string(response::Name(i.reason))},
          {"situation_text",
           {{"mn", std::string(response::SituationMn(i.reason))},
            {"en", std::string(response::SituationEn(i.reason))}}},
          {"detail", i.detail},
          {"last_action", i.last_action ? ActionJson(*i.last_action) : json()}};
}

std::string Rn(const std::string& raw) {
  return registry::NormalizeRegisterNumber(raw);
}

// A case request from the body of an action route.
Result<response::Transfers::CaseRequest> RequestFromJson(
    const std::string& body, bool payee) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  response::Transfers::CaseRequest r;
  if (!payee) {
    MALCHIN_ASSIGN_OR_RETURN(std::string kind, in.String("kind"));
    auto parsed = response::ParseCaseAction(kind);
    if (!parsed.ok() || *parsed == response::CaseAction::kPayee ||
        *parsed == response::CaseAction::kFlag) {
      return Status::InvalidArgument(
          "kind '" + kind + "': expected hold, cancel, release or reissue",
          "kind");
    }
    r.kind = *parsed;
  } else {
    r.kind = response::CaseAction::kPayee;
    MALCHIN_ASSIGN_OR_RETURN(std::string who, in.String("payee"));
    r.payee_register_no = Rn(who);
    MALCHIN_ASSIGN_OR_RETURN(r.account, TextField(in, "account", 34, false));
  }
  MALCHIN_ASSIGN_OR_RETURN(r.reason, TextField(in, "reason", 500, true));
  if (in.Has("effective_on")) {
    MALCHIN_ASSIGN_OR_RETURN(r.effective_on, DateField(in, "effective_on"));
  }
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return r;
}

const char* kActionSchema =
    R"js({"type":"object","required":["kind","reason"],"additionalProperties":false,"properties":{"kind":{"type":"string","enum":["hold","cancel","release","reissue"]},"reason":{"type":"string"},"effective_on":{"type":"string","format":"date"}}})js";
const char* kPayeeSchema =
    R"js({"type":"object","required":["payee","reason"],"additionalProperties":false,"properties":{"payee":{"type":"string","description":"register number of who is paid from now on"},"account":{"type":"string","description":"default: the payee's account in the register"},"reason":{"type":"string"},"effective_on":{"type":"string","format":"date"}}})js";
const char* kDecisionSchema =
    R"js({"type":"object","additionalProperties":false,"properties":{"note":{"type":"string"}}})js";

void AddReads(Services& services, Call& c, const std::string& purpose,
              const std::vector<std::pair<std::string, std::string>>& people,
              Status* out) {
  std::vector<registry::Person> persons;
  persons.reserve(people.size());
  for (const auto& [rn, hh] : people) {
    registry::Person p;
    p.register_no = rn;
    p.household_id = hh;
    persons.push_back(std::move(p));
  }
  *out = RecordReads(services, c, persons, purpose);
}

}  // namespace

void AddResponseCasesRoutes(Api* api) {
  Services* services = &api->services();
  auto shared = std::make_shared<Shared>();
  {
    auto ctx = response::Context::Embedded();
    if (ctx.ok()) {
      shared->context = std::move(*ctx);
    } else {
      shared->status = ctx.status();
    }
  }
  using auth::Permission;
  auto with =
      [shared](std::function<Result<http::Response>(Call&, Session&)> fn)
      -> Api::CallHandler {
    return [shared, fn = std::move(fn)](Call& c) -> Result<http::Response> {
      MALCHIN_ASSIGN_OR_RETURN(Session s, Open(c.session, *shared));
      return fn(c, s);
    };
  };
  auto G = [services, shared]() -> const geo::Geography& {
    return services->geo ? *services->geo : *shared->context.geography;
  };
  const std::string payment =
      "/api/v1/plans/{plan_code}/payrolls/{installment}/payments/"
      "{register_no}";

  api->Add(
      "GET", payment,
      Doc("One payment: its attempts (reference, batch, account, the bank's "
          "answer), the actions on it (who asked, who decided), its state "
          "(open, held, cancelled, flagged) and who is paid; recorded as a "
          "read of personal data",
          {{200, "The payment"}, {404, "No such beneficiary in your area"}}),
      Permission::kReadRegister,
      with([services](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(
            auto pc,
            s.response->Case(plan.code, n, Rn(c.request.params["register_no"]),
                             c.who.area()));
        Status read;
        AddReads(*services, c,
                 "GET /api/v1/plans/{plan_code}/payrolls/{installment}/"
                 "payments/{register_no}",
                 {{pc.entitlement.register_no, pc.entitlement.household_id}},
                 &read);
        MALCHIN_RETURN_IF_ERROR(read);
        return JsonResponse(200, CaseJson(pc));
      }));

  api->Add(
      "POST", payment + "/actions",
      Doc("Ask for an action on one payment: hold (kept out of the bank "
          "files), cancel (never paid), release (a held or flagged payment "
          "goes in the next file) or reissue (a failed or returned payment "
          "is sent again as a new attempt, recorded at once); hold, cancel "
          "and release wait for a second officer (POST .../actions/{id}/"
          "confirm)",
          {{201, "Requested (or, for reissue, recorded)"},
           {400, "Bad input (field named)"},
           {404, "No such plan, installment or beneficiary in your area"},
           {409,
            "Does not fit the payment (sent to the bank, cancelled, a "
            "request already waiting, ...)"}},
          {}, kActionSchema),
      Permission::kManageResponse,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto r,
                                 RequestFromJson(c.request.body, false));
        r.plan_code = plan.code;
        r.installment = n;
        r.register_no = Rn(c.request.params["register_no"]);
        MALCHIN_ASSIGN_OR_RETURN(auto a,
                                 s.workflow->RequestAction(r, c.who.username));
        return JsonResponse(201, ActionJson(a));
      }));

  api->Add(
      "POST", "/api/v1/plans/{plan_code}/payees/{register_no}",
      Doc("Ask to pay a beneficiary's payments of the plan to another person "
          "or account from now on (the account defaults to the payee's in "
          "the register and must route to a bank), with a reason; a second "
          "officer confirms. A failed payment then goes to the new account "
          "as a new attempt of the same payment",
          {{201, "Requested"},
           {400, "Bad input; an account of no known bank"},
           {404, "No such beneficiary or payee in your area"},
           {409, "The same payee and account, or a request already waiting"}},
          {}, kPayeeSchema),
      Permission::kManageResponse,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto r, RequestFromJson(c.request.body, true));
        r.plan_code = plan.code;
        r.register_no = Rn(c.request.params["register_no"]);
        MALCHIN_ASSIGN_OR_RETURN(auto a,
                                 s.workflow->RequestAction(r, c.who.username));
        return JsonResponse(201, ActionJson(a));
      }));

  for (bool confirm : {true, false}) {
    api->Add(
        "POST",
        std::string("/api/v1/plans/{plan_code}/actions/{action_id}/") +
            (confirm ? "confirm" : "reject"),
        Doc(confirm ? "Confirm another officer's request on a payment "
                      "(maker-checker: not your own, 403)"
                    : "Reject another officer's request on a payment",
            {{200, "Decided"},
             {403, "You asked for it, or the payment is outside your area"},
             {404, "No such request on this plan"},
             {409, "Already decided"}},
            {}, kDecisionSchema),
        Permission::kManageResponse,
        with([confirm](Call& c, Session& s) -> Result<http::Response> {
          MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
          MALCHIN_ASSIGN_OR_RETURN(
              auto plan,
              VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
          const std::string& raw = c.request.params["action_id"];
          int64_t id = 0;
          for (char ch : raw) {
            if (ch < '0' || ch > '9' || id > 1'000'000'000'000) {
              return Status::NotFound("no action " + raw);
            }
            id = id * 10 + (ch - '0');
          }
          std::string note;
          if (c.request.body.find_first_not_of(" \t\r\n") !=
              std::string::npos) {
            MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                     JsonInput::Parse(c.request.body));
            MALCHIN_ASSIGN_OR_RETURN(note, TextField(in, "note", 500, false));
            MALCHIN_RETURN_IF_ERROR(in.Finish());
          }
          MALCHIN_ASSIGN_OR_RETURN(
              auto a, s.workflow->DecideAction(plan.code, id, confirm, note,
                                               c.who.username));
          return JsonResponse(200, ActionJson(a));
        }));
  }

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/actions",
      Doc("Requests on the plan's payments awaiting a second officer, in "
          "your area (?status=requested, the default; or all)",
          {{200, "The requests"}, {404, "No such plan in your area"}},
          {{"status", "query", "requested (default) or all", false, "string"}}),
      Permission::kManageResponse,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"status"}));
        std::string status = c.request.Query("status").value_or("requested");
        if (status != "requested" && status != "all") {
          return Status::InvalidArgument(
              "status '" + status + "': expected requested or all", "status");
        }
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto actions, s.response->Actions(plan.code));
        json items = json::array();
        for (const auto& a : actions) {
          if (status == "requested" &&
              a.status != response::ActionStatus::kRequested) {
            continue;
          }
          MALCHIN_ASSIGN_OR_RETURN(
              auto e, s.response->FindEntitlement(plan.code, a.register_no,
                                                  c.who.area()));
          if (e) items.push_back(ActionJson(a));
        }
        return JsonResponse(200, {{"plan", plan.code}, {"items", items}});
      }));

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/payrolls/{installment}/follow-up",
      Doc("The soum officer's follow-up list: payments not sent for want of "
          "an account, failed, returned, held, flagged (deactivated since "
          "the approval), awaiting a second officer, cancelled or to be "
          "re-issued, by soum, with the caregiver's phone and the last "
          "action; ?format=json (default), csv or html (printable). "
          "Recorded as reads of personal data",
          {{200, "The list"}, {404, "No such plan or payroll"}},
          {{"format", "query", "json, csv or html", false, "string"},
           {"aimag", "query", "only this aimag (inside your area)", false,
            "integer"},
           {"soum", "query", "only this soum (inside your area)", false,
            "integer"}}),
      Permission::kReadRegister,
      with([services, G](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(c.request, {"format", "aimag", "soum"}));
        std::string format = c.request.Query("format").value_or("json");
        if (format != "json" && format != "csv" && format != "html") {
          return Status::InvalidArgument(
              "format '" + format + "': expected json, csv or html", "format");
        }
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(c));
        MALCHIN_ASSIGN_OR_RETURN(auto items,
                                 s.workflow->FollowUp(plan.code, n, area));
        std::vector<std::pair<std::string, std::string>> people;
        for (const auto& i : items) {
          people.emplace_back(i.register_no, i.household_id);
        }
        Status read;
        AddReads(*services, c,
                 "GET /api/v1/plans/{plan_code}/payrolls/{installment}/"
                 "follow-up",
                 people, &read);
        MALCHIN_RETURN_IF_ERROR(read);
        const std::string name =
            plan.code + "-i" + std::to_string(n) + "-follow-up";
        if (format == "csv") {
          http::Response r =
              http::Response::Text(200, response::FollowUpCsv(items, G()),
                                   "text/csv; charset=utf-8");
          r.SetHeader("Content-Disposition",
                      "attachment; filename=\"" + name + ".csv\"");
          return r;
        }
        if (format == "html") {
          return http::Response::Text(
              200,
              response::FollowUpHtml(items,
                                     plan.code + " #" + std::to_string(n), G()),
              "text/html; charset=utf-8");
        }
        json list = json::array();
        for (const auto& i : items) list.push_back(FollowUpJson(i, G()));
        return JsonResponse(
            200, {{"plan", plan.code}, {"installment", n}, {"items", list}});
      }));

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/covered",
      Doc("Before approving: how many persons the plan would pay now are "
          "already in each approved plan of the same event and programme "
          "(approval leaves them out unless accepted with a reason). Reads "
          "the whole register",
          {{200, "The counts"}, {404, "No such plan in your area"}}),
      Permission::kManageResponse,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto covered, s.workflow->AlreadyCovered(
                                                   plan.code, c.who.username));
        json items = json::array();
        int64_t total = 0;
        for (const auto& [code, n] : covered) {
          items.push_back({{"plan", code}, {"persons", n}});
          total += n;
        }
        return JsonResponse(
            200, {{"plan", plan.code}, {"items", items}, {"total", total}});
      }));
}

}  // namespace malchin::api
