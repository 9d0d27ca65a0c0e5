// The contingency fund over HTTP (docs/cooperatives.md, "HTTP API"): a
// cooperative's (or a member's) statement over a period, and the writes
// that move money, each with a required Idempotency-Key header: a retry
// with the same key answers 200 with what the first request recorded
// ("replayed": true); the same key for something else is a 409.
#include "api/coop_api.h"
#include "coop/fund.h"
#include "coop/json.h"
#include "insurance/schemes.h"
#include "registry/register_number.h"

namespace malchin::api {
namespace {

using auth::Permission;
using nlohmann::json;
using namespace coopapi;

constexpr const char* kTag = "cooperatives";

constexpr const char* kContributionSchema = R"({"type":"object",
"required":["register_no"],"properties":{"register_no":{"type":"string"},
"date":{"type":"string","format":"date"},"method":{"enum":["cash","bank","in_kind"]},
"amount":{"type":"integer","minimum":1},"item":{"type":"string"},
"quantity":{"type":"number"},"note":{"type":"string"}}})";

Result<coop::ContributionRequest> ContributionFrom(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  coop::ContributionRequest r;
  r.coop_code = c.request.params["code"];
  MALCHIN_ASSIGN_OR_RETURN(r.register_no, in.String("register_no"));
  MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
  MALCHIN_ASSIGN_OR_RETURN(r.on, DateOf(on, "date", c.session.clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(auto item, in.OptString("item"));
  r.item = item.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto method, in.OptString("method"));
  MALCHIN_ASSIGN_OR_RETURN(
      r.method,
      coop::ParseMethod(method.value_or(r.item.empty() ? "cash" : "in_kind")));
  MALCHIN_ASSIGN_OR_RETURN(r.amount, in.OptInt("amount", 1, 1'000'000'000'000));
  MALCHIN_ASSIGN_OR_RETURN(auto qty, in.OptNumber("quantity"));
  r.quantity = qty.value_or(0);
  MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
  r.note = note.value_or("");
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return r;
}

Result<coop::InsuranceFromFund> InsuranceFrom(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(c.request.body));
  coop::InsuranceFromFund r;
  r.coop_code = c.request.params["code"];
  MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
  MALCHIN_ASSIGN_OR_RETURN(r.on, DateOf(on, "date", c.session.clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(auto scheme, in.OptString("scheme"));
  MALCHIN_ASSIGN_OR_RETURN(
      auto s, insurance::ParseInsuranceScheme(scheme.value_or("health")));
  MALCHIN_ASSIGN_OR_RETURN(std::string from, in.String("from"));
  auto first = insurance::ParseMonth(from);
  if (!first.ok()) {
    return Status::InvalidArgument("from '" + from + "': expected YYYY-MM",
                                   "from");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto months, in.OptInt("months", 1, 120));
  MALCHIN_ASSIGN_OR_RETURN(auto income,
                           in.OptInt("income", 0, 1'000'000'000'000));
  MALCHIN_ASSIGN_OR_RETURN(auto members, in.ObjectArray("members", 500));
  MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
  r.note = note.value_or("");
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  for (auto& m : members) {
    insurance::MemberRequest x;
    MALCHIN_ASSIGN_OR_RETURN(x.register_no, m.String("register_no"));
    MALCHIN_RETURN_IF_ERROR(m.Finish());
    x.scheme = s;
    x.first_month = *first;
    x.months = static_cast<int32_t>(months.value_or(1));
    x.declared_income = income.value_or(0);
    r.members.push_back(std::move(x));
  }
  return r;
}

}  // namespace

namespace {

json PaymentJson(const coop::InsurancePayment& p) {
  json members = json::parse(p.members, nullptr, false);
  return {{"id", p.id},
          {"coop", p.coop_code},
          {"date", p.on.ToString()},
          {"amount", p.amount},
          {"members", members.is_array() ? members : json::array()},
          {"note", p.note},
          {"prepared_by", p.prepared_by},
          {"prepared_at", p.prepared_at},
          {"approved_by", p.approved_by},
          {"approved_at", p.approved_at},
          {"remittance_id", p.remittance_id},
          {"paid", p.paid()}};
}

}  // namespace

void AddCoopFundRoutes(Api* api) {
  Services* services = &api->services();
  api->Add(
      "GET", "/api/v1/coop/cooperatives/{code}/fund",
      Doc("The contingency fund's statement over [from, to]: opening, every "
          "entry with the balance after it, inflows, outflows, closing; a "
          "member's own when register_no is given",
          kTag, {{200, "The statement"}, {404, "Not in your area"}},
          {QueryParam("from", "first day (all)"),
           QueryParam("to", "last day (today)"),
           QueryParam("register_no", "only this member's entries")}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(c.request, {"from", "to", "register_no"}));
        MALCHIN_ASSIGN_OR_RETURN(
            Date from, QueryDate(c.request, "from", Date::FromYmd(1990, 1, 1)));
        MALCHIN_ASSIGN_OR_RETURN(
            Date to, QueryDate(c.request, "to", c.session.clock().Today()));
        MALCHIN_ASSIGN_OR_RETURN(
            coop::Statement st,
            coop::FundStatement(c.session, c.request.params["code"], from, to,
                                c.request.Query("register_no").value_or("")));
        std::vector<std::pair<std::string, std::string>> read;
        for (const auto& e : st.entries) {
          if (!e.register_no.empty()) read.emplace_back(e.register_no, "");
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, read, "coop.fund"));
        return JsonResponse(200, coop::ToJson(st));
      });
  api->Add("POST", "/api/v1/coop/cooperatives/{code}/fund/contributions",
           Doc("A member's contribution (cash, bank, or in kind valued at the "
               "price table or at a stated amount); header Idempotency-Key "
               "required",
               kTag,
               {{201, "Recorded"},
                {200, "Already recorded with this key"},
                {400, "Bad input"},
                {409,
                 "The key was used for another entry, or not an active "
                 "member on that date"}},
               {}, kContributionSchema),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(std::string key,
                                      IdempotencyKey(c.request));
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(coop::ContributionRequest r,
                                      ContributionFrom(c));
             r.client_key = key;
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Recorded rec,
                 coop::Contribute(c.session, *ctx, coop::ActorOf(c.who), r));
             return Recorded(coop::ToJson(rec.entry), rec.replayed);
           });
  api->Add("POST", "/api/v1/coop/cooperatives/{code}/fund/sales",
           Doc("An allocation from the cooperative's sales: {date, amount, "
               "note}; header Idempotency-Key required",
               kTag, {{201, "Recorded"}, {200, "Already recorded"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(std::string key,
                                      IdempotencyKey(c.request));
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
             MALCHIN_ASSIGN_OR_RETURN(
                 Date d, DateOf(on, "date", c.session.clock().Today()));
             MALCHIN_ASSIGN_OR_RETURN(int64_t amount,
                                      in.Int("amount", 1, 1'000'000'000'000));
             MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
             MALCHIN_RETURN_IF_ERROR(in.Finish());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Recorded rec,
                 coop::RecordSales(c.session, coop::ActorOf(c.who),
                                   c.request.params["code"], d, amount,
                                   note.value_or(""), key));
             return Recorded(coop::ToJson(rec.entry), rec.replayed);
           });
  api->Add("POST",
           "/api/v1/coop/cooperatives/{code}/fund/entries/{entry_id}/reverse",
           Doc("Reverse a contribution or sales entry: {date, reason}; header "
               "Idempotency-Key required",
               kTag,
               {{201, "The reversing entry"},
                {409,
                 "Reversed before, not reversible, or the fund would go "
                 "below zero"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(std::string key,
                                      IdempotencyKey(c.request));
             int64_t id = 0;
             try {
               id = std::stoll(c.request.params["entry_id"]);
             } catch (const std::exception&) {
               return Status::InvalidArgument("entry_id: expected a number",
                                              "entry_id");
             }
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(auto on, in.OptString("date"));
             MALCHIN_ASSIGN_OR_RETURN(
                 Date d, DateOf(on, "date", c.session.clock().Today()));
             MALCHIN_ASSIGN_OR_RETURN(std::string reason, in.String("reason"));
             MALCHIN_RETURN_IF_ERROR(in.Finish());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::Recorded rec,
                 coop::ReverseFundEntry(c.session, coop::ActorOf(c.who),
                                        c.request.params["code"], id, d, reason,
                                        key));
             return Recorded(coop::ToJson(rec.entry), rec.replayed);
           });
  api->Add(
      "POST", "/api/v1/coop/cooperatives/{code}/fund/insurance",
      Doc("Prepare paying members' insurance contributions from the fund "
          "(exactly what is due), to be approved by a second person: "
          "{date, scheme, from: YYYY-MM, months, income?, members: "
          "[{register_no}]}; header Idempotency-Key required",
          kTag,
          {{201, "Prepared (nothing paid yet)"},
           {200, "Already prepared with this key"},
           {409, "Not members, nothing due, or the fund does not hold it"}}),
      Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
        MALCHIN_ASSIGN_OR_RETURN(coop::InsuranceFromFund r, InsuranceFrom(c));
        r.client_key = key;
        MALCHIN_ASSIGN_OR_RETURN(
            coop::InsurancePrepared p,
            coop::PrepareInsurance(c.session, *ctx, coop::ActorOf(c.who), r));
        return Recorded(PaymentJson(p.payment), p.replayed);
      });
  api->Add(
      "GET", "/api/v1/coop/cooperatives/{code}/fund/insurance",
      Doc("The cooperative's insurance payments from the fund, prepared and "
          "paid, newest first",
          kTag, {{200, "The requests"}, {404, "Not in your area"}}),
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(
            std::vector<coop::InsurancePayment> all,
            coop::InsurancePayments(c.session, c.request.params["code"]));
        json items = json::array();
        std::vector<std::pair<std::string, std::string>> read;
        for (const auto& p : all) {
          items.push_back(PaymentJson(p));
          for (const auto& m : items.back()["members"]) {
            read.emplace_back(m.value("register_no", ""), "");
          }
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, read, "coop.insurance"));
        return JsonResponse(200, {{"items", items}});
      });
  api->Add("POST",
           "/api/v1/coop/cooperatives/{code}/fund/insurance/{id}/approve",
           Doc("Approve a prepared insurance payment and pay it from the fund "
               "(not by the person who prepared it)",
               kTag,
               {{201, "Paid"},
                {200, "Paid before"},
                {403, "The preparer cannot approve"},
                {409, "The fund does not hold it, or the amount due changed"}}),
           Permission::kManageCoop, [](Call& c) -> Result<http::Response> {
             int64_t id = 0;
             try {
               id = std::stoll(c.request.params["id"]);
             } catch (const std::exception&) {
               return Status::InvalidArgument("id: expected a number", "id");
             }
             MALCHIN_ASSIGN_OR_RETURN(const coop::Context* ctx, Ctx());
             MALCHIN_ASSIGN_OR_RETURN(
                 coop::InsurancePaid paid,
                 coop::ApproveInsurance(c.session, *ctx, coop::ActorOf(c.who),
                                        c.request.params["code"], id));
             json entries = json::array();
             for (const auto& e : paid.entries) {
               entries.push_back(coop::ToJson(e));
             }
             return Recorded({{"amount", paid.amount},
                              {"remittance_id", paid.remittance.remittance_id},
                              {"entries", entries}},
                             paid.replayed);
           });
}

}  // namespace malchin::api
