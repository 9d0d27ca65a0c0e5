// Shock response over HTTP: events, plans (preview, explain, approval),
// payrolls, payment files and reconciliation, the same steps as the CLI
// (`malchin event|plan|payroll|reconcile`), through response::Workflow.
//
// Area: an event (and its plans) is visible to an aimag or soum officer
// when one of its affected soums is in their area; otherwise it does not
// exist for them (404). Previews and reports cover the caller's area only;
// payment files and bank results of a payroll are handled outside the
// national level only if every line of the payroll is in the caller's
// area (403 otherwise).
// Long steps (plan approval with its frozen snapshot, payment files, bank
// results) run as jobs on the job pool: 202 with the job, polled at
// /api/v1/jobs/{job_id}. Checks a person can act on (maker-checker, wrong
// state, bad input) are answered at once, before a job is started.
// Every step is idempotent: repeating a request returns what the first one
// did (200 instead of 201 for a creation that was already made).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "api/api.h"
#include "api/exports.h"
#include "api/json_input.h"
#include "api/response_api.h"
#include "registry/register_number.h"
#include "response/catalog.h"
#include "response/event_soums.h"
#include "response/payments.h"
#include "response/plan.h"
#include "response/report_json.h"
#include "response/transfers.h"
#include "response/workflow.h"
#include "rules/rule.h"
#include "rules/schema.h"

namespace malchin::api {

using nlohmann::json;

namespace {

using response_api::Accepted;
using response_api::AreaParams;
using response_api::DateField;
using response_api::DateOrNull;
using response_api::Doc;
using response_api::InstallmentParam;
using response_api::National;
using response_api::Open;
using response_api::OptDateField;
using response_api::ReadArea;
using response_api::Session;
using response_api::Shared;
using response_api::SubmitStep;
using response_api::TextField;
using response_api::UnitName;
using response_api::VisibleEvent;
using response_api::VisiblePlan;

// --- Decoding ---------------------------------------------------------------

Result<std::string> CodeField(JsonInput& in, const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(std::string code, in.String(name));
  if (!response::IsValidCode(code)) {
    return Status::InvalidArgument(
        name + " '" + code +
            "': expected 1-40 of a-z, 0-9, '_' and '-', starting with a "
            "letter or digit",
        name);
  }
  return code;
}

// The event of a create body: fields as in `malchin event create`; soums
// as [{soum_code, severity}] or a CSV text (soum_code,severity).
Result<response::ShockEventRecord> EventFromJson(const std::string& body,
                                                 const geo::Geography& geo) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  response::ShockEventRecord e;
  MALCHIN_ASSIGN_OR_RETURN(e.code, CodeField(in, "code"));
  MALCHIN_ASSIGN_OR_RETURN(e.type, in.String("type"));
  if (!response::IsEventType(e.type)) {
    return Status::InvalidArgument(
        "type '" + e.type +
            "': expected dzud, drought, flood, snowstorm, epidemic or other",
        "type");
  }
  MALCHIN_ASSIGN_OR_RETURN(e.name, TextField(in, "name", 200, true));
  MALCHIN_ASSIGN_OR_RETURN(e.source, TextField(in, "source", 500, false));
  MALCHIN_ASSIGN_OR_RETURN(e.reference, TextField(in, "reference", 500, false));
  MALCHIN_ASSIGN_OR_RETURN(e.starts_on, DateField(in, "starts_on"));
  MALCHIN_ASSIGN_OR_RETURN(auto declared, OptDateField(in, "declared_on"));
  e.declared_on = declared.value_or(e.starts_on);
  MALCHIN_ASSIGN_OR_RETURN(e.ends_on, OptDateField(in, "ends_on"));
  if (in.Has("soums")) {
    MALCHIN_ASSIGN_OR_RETURN(auto soums, in.ObjectArray("soums", 400));
    for (size_t i = 0; i < soums.size(); ++i) {
      response::EventSoum s;
      MALCHIN_ASSIGN_OR_RETURN(int64_t code,
                               soums[i].Int("soum_code", 1, 99999));
      s.soum_code = static_cast<int32_t>(code);
      MALCHIN_ASSIGN_OR_RETURN(std::string severity,
                               soums[i].String("severity"));
      auto parsed = response::ParseSeverity(severity);
      if (!parsed.ok()) {
        return Status::InvalidArgument("event " + e.code + ":\n  soum " +
                                           std::to_string(code) + " " +
                                           parsed.status().message(),
                                       "severity");
      }
      s.severity = *parsed;
      MALCHIN_RETURN_IF_ERROR(soums[i].Finish());
      e.soums.push_back(std::move(s));
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto csv, in.OptString("soums_csv"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  if (csv) {
    if (!e.soums.empty()) {
      return Status::InvalidArgument("give soums or soums_csv, not both",
                                     "soums_csv");
    }
    auto parsed = response::ParseEventSoums("soums_csv", *csv, geo);
    if (!parsed.ok()) {
      return Status::InvalidArgument(parsed.status().message(), "soums_csv");
    }
    e.soums = std::move(*parsed);
  }
  // Stored by soum code: the same soums in another order are the same
  // event (a retried request is idempotent).
  std::sort(e.soums.begin(), e.soums.end(),
            [](const response::EventSoum& a, const response::EventSoum& b) {
              return a.soum_code < b.soum_code;
            });
  return e;
}

// One of a plan's choices (kind, unit, cap order): `fallback` when absent,
// else the name `parse` accepts; a 400 on `name` otherwise.
template <class E>
Result<E> ChoiceField(JsonInput& in, const std::string& name,
                      const std::string& plan_code, E fallback,
                      Result<E> (*parse)(std::string_view)) {
  MALCHIN_ASSIGN_OR_RETURN(auto text, in.OptString(name));
  if (!text) return fallback;
  auto parsed = parse(*text);
  if (!parsed.ok()) {
    return Status::InvalidArgument(
        "plan " + plan_code + ":\n  " + parsed.status().message(), name);
  }
  return *parsed;
}

// A plan from a create or preview body (fields as in `malchin plan create`;
// installments as [{due_on}]). For a draft (preview before the plan is
// stored) the code and installments may be left out.
Result<response::PlanRecord> PlanFromJson(JsonInput& in, bool draft,
                                          const std::string& event_code) {
  response::PlanRecord p;
  if (draft && !in.Has("code")) {
    p.code = "draft";
  } else {
    MALCHIN_ASSIGN_OR_RETURN(p.code, CodeField(in, "code"));
  }
  if (event_code.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(p.event_code, in.String("event"));
  } else {
    p.event_code = event_code;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto programme, in.OptString("programme"));
  if (programme && !programme->empty()) p.programme_code = *programme;
  MALCHIN_ASSIGN_OR_RETURN(
      p.kind, ChoiceField(in, "kind", p.code,
                          p.programme_code ? response::PlanKind::kVertical
                                           : response::PlanKind::kHorizontal,
                          &response::ParsePlanKind));
  MALCHIN_ASSIGN_OR_RETURN(auto name, in.OptString("name"));
  p.name = name.value_or(p.code);
  MALCHIN_ASSIGN_OR_RETURN(p.schedule_reason,
                           TextField(in, "schedule_reason", 500, false));
  MALCHIN_ASSIGN_OR_RETURN(p.eligibility, in.String("eligibility"));
  MALCHIN_ASSIGN_OR_RETURN(p.amount, in.String("amount"));
  if (p.eligibility.size() > 4000 || p.amount.size() > 4000) {
    return Status::InvalidArgument(
        "a rule longer than 4000 bytes",
        p.eligibility.size() > 4000 ? "eligibility" : "amount");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      p.unit, ChoiceField(in, "unit", p.code, response::Unit::kPerson,
                          &response::ParseUnit));
  MALCHIN_ASSIGN_OR_RETURN(p.cap_per_household,
                           in.OptInt("cap_per_household", 1, int64_t{1} << 40));
  MALCHIN_ASSIGN_OR_RETURN(
      p.cap_order,
      ChoiceField(in, "cap_order", p.code, response::CapOrder::kYoungestFirst,
                  &response::ParseCapOrder));
  MALCHIN_ASSIGN_OR_RETURN(p.cutoff_on, DateField(in, "cutoff_on"));
  if (!draft || in.Has("installments")) {
    MALCHIN_ASSIGN_OR_RETURN(auto items, in.ObjectArray("installments", 120));
    for (size_t i = 0; i < items.size(); ++i) {
      MALCHIN_ASSIGN_OR_RETURN(Date due, DateField(items[i], "due_on"));
      MALCHIN_RETURN_IF_ERROR(items[i].Finish());
      p.installments.push_back({static_cast<int>(i + 1), due});
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto start, OptDateField(in, "starts_on"));
  p.starts_on = start.value_or(p.cutoff_on);
  MALCHIN_ASSIGN_OR_RETURN(auto end, OptDateField(in, "ends_on"));
  if (end) {
    p.ends_on = *end;
  } else if (!p.installments.empty()) {
    // Ends by itself at the end of the month of its last installment.
    Date last = p.installments.back().due_on;
    p.ends_on = Date::FromYmd(last.year(), last.month(),
                              Date::DaysInMonth(last.year(), last.month()));
  } else {
    p.ends_on = p.starts_on;
  }
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return p;
}

// The approver's choice about persons already covered: an empty body is
// the default (leave them out).
Result<response::OverlapDecision> OverlapFromJson(const std::string& body) {
  response::OverlapDecision d;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return d;
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  MALCHIN_ASSIGN_OR_RETURN(auto choice, in.OptString("overlap"));
  MALCHIN_ASSIGN_OR_RETURN(d.reason, TextField(in, "reason", 500, false));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  if (choice) {
    auto parsed = response::ParseOverlapChoice(*choice);
    if (!parsed.ok()) {
      return Status::InvalidArgument(parsed.status().message(), "overlap");
    }
    d.choice = *parsed;
  }
  if (d.choice == response::OverlapChoice::kAccept && d.reason.empty()) {
    return Status::InvalidArgument(
        "overlap accept: expected the reason why persons already paid by a "
        "plan of the same event and programme are paid again",
        "reason");
  }
  return d;
}

// If the plan's own rule text does not compile: a 400 listing every
// problem with its position ({field, line, column, offset, message,
// excerpt}), the first one's field in the error.
std::optional<http::Response> RuleProblems(const response::PlanRecord& plan,
                                           const response::Context& ctx) {
  rules::Schema schema = response::PlanSchema(ctx.parameters);
  rules::RuleSpec spec;
  spec.eligibility = plan.eligibility;
  spec.amount = plan.amount;
  spec.unit = plan.unit == response::Unit::kHousehold ? rules::Unit::kHousehold
                                                      : rules::Unit::kPerson;
  spec.cap_per_household = plan.cap_per_household;
  std::vector<rules::Diagnostic> problems;
  auto rule = rules::Rule::Compile(spec, schema, &problems);
  if (rule.ok()) return std::nullopt;
  json list = json::array();
  std::string message = "the rule does not compile:";
  for (const auto& d : problems) {
    list.push_back({{"field", d.source_name},
                    {"line", d.line},
                    {"column", d.column},
                    {"offset", d.offset},
                    {"message", d.message},
                    {"excerpt", d.excerpt}});
    message += "\n" + d.ToString();
  }
  if (problems.empty()) message = rule.status().message();
  std::string field =
      problems.empty() ? "eligibility" : problems.front().source_name;
  if (field != "eligibility" && field != "amount") field = "eligibility";
  return JsonResponse(
      400,
      {{"error",
        {{"code", "INVALID_ARGUMENT"}, {"message", message}, {"field", field}}},
       {"problems", list}});
}

// --- Encoding ---------------------------------------------------------------

json EventJson(const response::ShockEventRecord& e, const geo::Geography& geo) {
  json soums = json::array();
  for (const auto& s : e.soums) {
    soums.push_back({{"soum_code", s.soum_code},
                     {"aimag_code", geo::AimagOfSoum(s.soum_code)},
                     {"name", UnitName(geo, s.soum_code)},
                     {"severity", std::string(response::Name(s.severity))}});
  }
  return {{"code", e.code},
          {"type", e.type},
          {"name", e.name},
          {"source", e.source},
          {"reference", e.reference},
          {"declared_on", e.declared_on.ToString()},
          {"starts_on", e.starts_on.ToString()},
          {"ends_on", DateOrNull(e.ends_on)},
          {"created_by", e.created_by},
          {"soums", soums}};
}

json PayrollJson(const response::PayrollRecord& p) {
  return {{"plan", p.plan_code},
          {"installment", p.installment},
          {"due_on", p.due_on.ToString()},
          {"status", std::string(response::Name(p.status))},
          {"generated_by", p.generated_by},
          {"generated_at", p.generated_at},
          {"approved_by", p.approved_by.empty() ? json() : json(p.approved_by)},
          {"approved_at", p.approved_at.empty() ? json() : json(p.approved_at)},
          {"lines", p.lines},
          {"amount", p.amount}};
}

json PlanJson(const response::PlanRecord& p) {
  Date today = Date::TodayUtc();
  json installments = json::array();
  for (const auto& i : p.installments) {
    installments.push_back(
        {{"number", i.number}, {"due_on", i.due_on.ToString()}});
  }
  return {
      {"code", p.code},
      {"event", p.event_code},
      {"programme", p.programme_code ? json(*p.programme_code) : json()},
      {"kind", std::string(response::Name(p.kind))},
      {"name", p.name},
      {"eligibility", p.eligibility},
      {"amount", p.amount},
      {"unit", std::string(response::Name(p.unit))},
      {"cap_per_household",
       p.cap_per_household ? json(*p.cap_per_household) : json()},
      {"cap_order", std::string(response::Name(p.cap_order))},
      {"cutoff_on", p.cutoff_on.ToString()},
      {"starts_on", p.starts_on.ToString()},
      {"ends_on", p.ends_on.ToString()},
      {"ended", today > p.ends_on},
      {"status", std::string(response::Name(p.status))},
      {"prepared_by", p.prepared_by},
      {"prepared_at", p.prepared_at},
      {"approved_by", p.approved_by.empty() ? json() : json(p.approved_by)},
      {"approved_at", p.approved_at.empty() ? json() : json(p.approved_at)},
      {"beneficiaries", p.beneficiaries},
      {"households", p.households},
      {"amount_per_installment", p.amount_per_installment},
      {"overlaps", p.overlaps},
      {"schedule_reason", p.schedule_reason},
      {"overlap_choice",
       p.overlap_choice ? json(std::string(response::Name(*p.overlap_choice)))
                        : json()},
      {"overlap_count", p.overlap_count},
      {"overlap_reason", p.overlap_reason},
      {"installments", installments}};
}

// The plan with each installment's payroll, if generated. Outside the
// national level the totals are the caller's area's (beneficiaries,
// households and amount of the snapshot, lines and amount of each payroll),
// never the national ones, with `scope` saying whose they are.
Result<json> PlanWithPayrolls(Session& s, const response::PlanRecord& p,
                              const store::AreaFilter& area) {
  json j = PlanJson(p);
  const bool national = National(area);
  j["scope"] = {{"aimag_code", area.aimag_code},
                {"soum_code", area.soum_code},
                {"national", national}};
  if (!national) {
    MALCHIN_ASSIGN_OR_RETURN(auto t, s.response->AreaTotals(p.code, area));
    j["beneficiaries"] = t.beneficiaries;
    j["households"] = t.households;
    j["amount_per_installment"] = t.amount;
    j.erase("overlaps");
    j.erase("overlap_count");
  }
  for (auto& row : j["installments"]) {
    const int n = row["number"].get<int>();
    MALCHIN_ASSIGN_OR_RETURN(auto payroll, s.response->FindPayroll(p.code, n));
    row["payroll"] = payroll ? PayrollJson(*payroll) : json();
    if (payroll && !national) {
      MALCHIN_ASSIGN_OR_RETURN(auto report,
                               s.response->PaymentReport(p.code, n, area));
      row["payroll"]["lines"] = report.back().lines;
      row["payroll"]["amount"] = report.back().lines_amount;
    }
  }
  return j;
}

json PreviewJson(const rules::Preview& p, const geo::Geography& geo,
                 size_t installments) {
  auto area = [&](const rules::AreaTotal& t) {
    return json{{"code", t.code},
                {"name", t.code ? UnitName(geo, t.code)
                                : json{{"en", "Mongolia"}, {"mn", "Монгол"}}},
                {"beneficiaries", t.beneficiaries},
                {"households", t.households},
                {"amount", t.amount}};
  };
  auto cell = [](const rules::PreviewCell& c, int32_t code) {
    return json{{"code", code},
                {"sex", c.sex == registry::Sex::kMale ? "M" : "F"},
                {"age_band", std::string(registry::AgeBandName(c.age_band))},
                {"disability", c.disability},
                {"beneficiaries", c.beneficiaries},
                {"amount", c.amount}};
  };
  json j = {
      {"national", area(p.national)},
      {"installments", installments},
      {"total_amount", p.national.amount * static_cast<int64_t>(installments)},
      {"by_aimag", json::array()},
      {"by_soum", json::array()},
      {"aimag_cells", json::array()},
      {"soum_cells", json::array()},
      {"by_sex_age_band", json::array()},
      {"unknown_eligibility", p.unknown_eligibility},
      {"unknown_amount", p.unknown_amount},
      {"zero_amount", p.zero_amount},
      {"capped_households", p.capped_households},
      {"amount_before_cap", p.amount_before_cap}};
  for (const auto& a : p.by_aimag) j["by_aimag"].push_back(area(a));
  for (const auto& a : p.by_soum) j["by_soum"].push_back(area(a));
  for (const auto& c : p.aimag_cells) {
    j["aimag_cells"].push_back(cell(c, c.aimag_code));
  }
  for (const auto& c : p.cells) j["soum_cells"].push_back(cell(c, c.soum_code));
  for (int x = 0; x < 2; ++x) {
    for (int b = 0; b < registry::kAgeBandCount; ++b) {
      const auto& n = p.beneficiaries_by_sex_band_disability[x][b];
      const auto& m = p.amount_by_sex_band_disability[x][b];
      if (!n[0] && !n[1]) continue;
      j["by_sex_age_band"].push_back(
          {{"sex", x == static_cast<int>(registry::Sex::kMale) ? "M" : "F"},
           {"age_band", std::string(registry::AgeBandName(b))},
           {"beneficiaries", n[0] + n[1]},
           {"with_disability", n[1]},
           {"amount", m[0] + m[1]}});
    }
  }
  return j;
}

// Payments kept out of an export as cases, by FollowUpReason name.
json KeptOutJson(const response::IssueResult& r) {
  json j = json::array();
  for (const auto& [why, n] : r.kept_out) {
    j.push_back({{"reason", why}, {"count", n}});
  }
  return j;
}

// --- Area -------------------------------------------------------------------

// The payroll, which must be approved; outside the national level, every
// line of it must be in the caller's area.
Result<response::PayrollRecord> PayrollToPay(Session& s,
                                             const response::PlanRecord& plan,
                                             int installment,
                                             const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto payroll,
                           s.response->FindPayroll(plan.code, installment));
  if (!payroll) {
    return Status::NotFound("no payroll for installment " +
                            std::to_string(installment) + " of plan " +
                            plan.code + ": generate it first");
  }
  if (payroll->status != response::PayrollStatus::kApproved) {
    return Status::FailedPrecondition(
        "payroll " + plan.code + " #" + std::to_string(installment) +
        " is not approved yet: a national officer other than " +
        payroll->generated_by + " must approve it first");
  }
  if (!National(area)) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto rows, s.response->PaymentReport(plan.code, installment, area));
    int64_t mine = rows.empty() ? 0 : rows.back().lines;
    if (mine != payroll->lines) {
      return Status::PermissionDenied(
          "payroll " + plan.code + " #" + std::to_string(installment) +
          " pays " + std::to_string(payroll->lines - mine) +
          " beneficiaries outside your area; a national officer handles its "
          "payments");
    }
  }
  return std::move(*payroll);
}

// The directory of a payroll's payment files under the export directory.
std::filesystem::path PaymentDir(const Services& services,
                                 const std::string& plan, int installment) {
  return std::filesystem::path(services.export_dir) / "response" / plan /
         ("i" + std::to_string(installment));
}

std::string FilesBase(const std::string& plan, int installment) {
  return "/api/v1/plans/" + plan + "/payrolls/" + std::to_string(installment) +
         "/files/";
}

// Plan codes, installments, batches and bank codes of a payment file name
// (<plan>-i<n>-b<batch>-<bank>.csv): the batch, or 0 if the name is not one
// of this payroll's.
int64_t BatchOfFileName(const std::string& name, const std::string& plan,
                        int installment) {
  std::string head = plan + "-i" + std::to_string(installment) + "-b";
  if (name.compare(0, head.size(), head) != 0) return 0;
  std::string rest = name.substr(head.size());  // <batch>-<bank>.csv
  size_t dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 6) return 0;
  std::string batch = rest.substr(0, dash);
  std::string bank = rest.substr(dash + 1);
  for (char c : batch) {
    if (c < '0' || c > '9') return 0;
  }
  if (bank.size() != 8 || bank.substr(4) != ".csv") return 0;
  for (int i = 0; i < 4; ++i) {
    if (bank[i] < '0' || bank[i] > '9') return 0;
  }
  return std::stoll(batch);
}

const char* kEventSchema =
    R"js({"type":"object","required":["code","type","name","starts_on"],"additionalProperties":false,"properties":{"code":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,39}$"},"type":{"type":"string","enum":["dzud","drought","flood","snowstorm","epidemic","other"]},"name":{"type":"string"},"source":{"type":"string"},"reference":{"type":"string"},"declared_on":{"type":"string","format":"date"},"starts_on":{"type":"string","format":"date"},"ends_on":{"type":"string","format":"date","nullable":true},"soums":{"type":"array","items":{"type":"object","required":["soum_code","severity"],"properties":{"soum_code":{"type":"integer"},"severity":{"type":"string","enum":["very_high","high","medium","low"]}}}},"soums_csv":{"type":"string","description":"CSV soum_code,severity, instead of soums"}}})js";
const char* kPlanSchema =
    R"js({"type":"object","required":["code","event","eligibility","amount","cutoff_on","installments"],"additionalProperties":false,"properties":{"code":{"type":"string","pattern":"^[a-z0-9][a-z0-9_-]{0,39}$"},"event":{"type":"string"},"programme":{"type":"string","description":"child_money for a vertical plan"},"kind":{"type":"string","enum":["vertical","horizontal"]},"name":{"type":"string"},"eligibility":{"type":"string","description":"rule, docs/rules.md"},"amount":{"type":"string","description":"MNT per beneficiary per installment: a number or a formula"},"unit":{"type":"string","enum":["person","household"]},"cap_per_household":{"type":"integer"},"cap_order":{"type":"string","enum":["youngest_first","proportional"]},"cutoff_on":{"type":"string","format":"date"},"starts_on":{"type":"string","format":"date"},"ends_on":{"type":"string","format":"date"},"installments":{"type":"array","items":{"type":"object","required":["due_on"],"properties":{"due_on":{"type":"string","format":"date"}}}},"schedule_reason":{"type":"string","description":"why installments fall outside the event's dates (required then)"}}})js";
const char* kTrySchema =
    R"js({"type":"object","additionalProperties":false,"properties":{"eligibility":{"type":"string"},"amount":{"type":"string"}}})js";
}  // namespace

void AddResponseRoutes(Api* api) {
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
  using Handler = Api::CallHandler;

  // Wraps a handler with the session on the worker's store.
  auto with =
      [shared](std::function<Result<http::Response>(Call&, Session&)> fn)
      -> Handler {
    return [shared, fn = std::move(fn)](Call& c) -> Result<http::Response> {
      MALCHIN_ASSIGN_OR_RETURN(Session s, Open(c.session, *shared));
      return fn(c, s);
    };
  };
  // The geography handlers use (the server's, else the shipped one).
  auto G = [services, shared]() -> const geo::Geography& {
    return services->geo ? *services->geo : *shared->context.geography;
  };

  // --- Events -----------------------------------------------------------

  api->Add(
      "POST", "/api/v1/events",
      Doc("Declare a shock event with its affected soums and severities "
          "(soums as a list or soums_csv). Repeating the same request "
          "returns the event (200); another event with the same code is a "
          "409",
          {{201, "Declared"},
           {200, "Already declared, identical"},
           {400, "Bad input (field named; every bad CSV row listed)"},
           {403, "A soum outside your area"},
           {409, "Another event has this code"}},
          {}, kEventSchema),
      Permission::kManageResponse,
      with([G](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(auto e, EventFromJson(c.request.body, G()));
        bool fresh = false;
        MALCHIN_ASSIGN_OR_RETURN(
            auto created, s.workflow->CreateEvent(e, c.who.username, &fresh));
        http::Response r =
            JsonResponse(fresh ? 201 : 200, EventJson(created, G()));
        r.SetHeader("Location", "/api/v1/events/" + created.code);
        return r;
      }));

  api->Add(
      "POST", "/api/v1/events/{event_code}/soums",
      Doc("Set affected soums and severities from a CSV body "
          "(soum_code,severity; Content-Type text/csv). Every bad row is "
          "reported (file:line: column, value, expected) and nothing is "
          "imported if one is bad. Repeating it changes nothing",
          {{200, "Imported: how many soums were added or changed"},
           {400, "Bad rows"},
           {403, "A soum outside your area"},
           {404, "No such event in your area"}},
          {{"file_name", "query", "name for messages (default soums.csv)",
            false, "string"}}),
      Permission::kManageResponse,
      with([G](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"file_name"}));
        const std::string& code = c.request.params["event_code"];
        std::string file = c.request.Query("file_name").value_or("soums.csv");
        MALCHIN_ASSIGN_OR_RETURN(auto existing,
                                 s.response->FindEvent(code, {}));
        if (!existing) return Status::NotFound("no event '" + code + "'");
        if (!National(c.who.area())) {
          MALCHIN_RETURN_IF_ERROR(VisibleEvent(s, code, c.who.area()).status());
        }
        auto n = s.workflow->ImportEventSoums(code, file, c.request.body,
                                              c.who.username);
        if (!n.ok() && n.status().code() == StatusCode::kInvalidArgument) {
          return Status::InvalidArgument(n.status().message(), "soums_csv");
        }
        MALCHIN_RETURN_IF_ERROR(n.status());
        MALCHIN_ASSIGN_OR_RETURN(auto e, VisibleEvent(s, code, c.who.area()));
        return JsonResponse(200,
                            {{"changed", *n}, {"event", EventJson(e, G())}});
      }));

  api->Add("GET", "/api/v1/events",
           Doc("Shock events of your area (one of their soums in it), newest "
               "first",
               {{200, "The events"}}),
           Permission::kReadStats,
           with([](Call& c, Session& s) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
             MALCHIN_ASSIGN_OR_RETURN(auto list,
                                      s.catalog->ListEvents(c.who.area()));
             json items = json::array();
             for (const auto& e : list) {
               items.push_back({{"code", e.code},
                                {"type", e.type},
                                {"name", e.name},
                                {"declared_on", e.declared_on.ToString()},
                                {"starts_on", e.starts_on.ToString()},
                                {"ends_on", DateOrNull(e.ends_on)},
                                {"created_by", e.created_by},
                                {"soums", e.soums},
                                {"plans", e.plans}});
             }
             return JsonResponse(200, {{"items", items}});
           }));

  api->Add("GET", "/api/v1/events/{event_code}",
           Doc("An event with its affected soums in your area and its plans",
               {{200, "The event"}, {404, "No such event in your area"}}),
           Permission::kReadStats,
           with([G](Call& c, Session& s) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
             const std::string& code = c.request.params["event_code"];
             MALCHIN_ASSIGN_OR_RETURN(auto e,
                                      VisibleEvent(s, code, c.who.area()));
             MALCHIN_ASSIGN_OR_RETURN(auto plans,
                                      s.catalog->ListPlans(code, c.who.area()));
             json j = EventJson(e, G());
             j["plans"] = json::array();
             for (const auto& p : plans) {
               j["plans"].push_back(
                   {{"code", p.code},
                    {"name", p.name},
                    {"kind", std::string(response::Name(p.kind))},
                    {"status", std::string(response::Name(p.status))},
                    {"beneficiaries", p.beneficiaries}});
             }
             return JsonResponse(200, j);
           }));

  // --- Plans ------------------------------------------------------------

  api->Add("POST", "/api/v1/plans",
           Doc("Prepare a response plan (vertical: a top-up of a programme's "
               "caseload, with programme; horizontal: new beneficiaries by the "
               "rule alone). Rule errors are 400 with every problem and its "
               "position in `problems`. Repeating the same request returns the "
               "plan (200)",
               {{201, "Prepared"},
                {200, "Already prepared, identical"},
                {400, "Bad input or a rule that does not compile"},
                {404, "No such event or programme"},
                {409, "Another plan has this code"}},
               {}, kPlanSchema),
           Permission::kManageResponse,
           with([shared](Call& c, Session& s) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(auto plan, PlanFromJson(in, false, ""));
             MALCHIN_RETURN_IF_ERROR(
                 VisibleEvent(s, plan.event_code, c.who.area()).status());
             if (auto bad = RuleProblems(plan, shared->context)) return *bad;
             bool fresh = false;
             MALCHIN_ASSIGN_OR_RETURN(
                 auto created,
                 s.workflow->CreatePlan(plan, c.who.username, &fresh));
             MALCHIN_ASSIGN_OR_RETURN(
                 json j, PlanWithPayrolls(s, created, c.who.area()));
             http::Response r = JsonResponse(fresh ? 201 : 200, j);
             r.SetHeader("Location", "/api/v1/plans/" + created.code);
             return r;
           }));

  api->Add(
      "GET", "/api/v1/plans",
      Doc("Plans of your area (of one event with ?event=), by code; the "
          "beneficiaries and amounts are those of your area (national for "
          "national roles)",
          {{200, "The plans"}},
          {{"event", "query", "only this event's plans", false, "string"}}),
      Permission::kReadStats,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"event"}));
        MALCHIN_ASSIGN_OR_RETURN(
            auto list,
            s.catalog->ListPlans(c.request.Query("event").value_or(""),
                                 c.who.area()));
        json items = json::array();
        const store::AreaFilter area = c.who.area();
        for (auto p : list) {
          // Totals of the caller's area; national ones for national roles.
          if (!National(area) && p.status == response::PlanStatus::kApproved) {
            MALCHIN_ASSIGN_OR_RETURN(auto t,
                                     s.response->AreaTotals(p.code, area));
            p.beneficiaries = t.beneficiaries;
            p.amount_per_installment = t.amount;
          }
          items.push_back(
              {{"code", p.code},
               {"event", p.event_code},
               {"name", p.name},
               {"kind", std::string(response::Name(p.kind))},
               {"status", std::string(response::Name(p.status))},
               {"prepared_by", p.prepared_by},
               {"approved_by",
                p.approved_by.empty() ? json() : json(p.approved_by)},
               {"beneficiaries", p.beneficiaries},
               {"amount_per_installment", p.amount_per_installment},
               {"installments", p.installments}});
        }
        return JsonResponse(200, {{"items", items}});
      }));

  api->Add("GET", "/api/v1/plans/{plan_code}",
           Doc("A plan, its frozen snapshot's totals and each installment's "
               "payroll",
               {{200, "The plan"}, {404, "No such plan in your area"}}),
           Permission::kReadStats,
           with([](Call& c, Session& s) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
             MALCHIN_ASSIGN_OR_RETURN(
                 auto p,
                 VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
             MALCHIN_ASSIGN_OR_RETURN(json j,
                                      PlanWithPayrolls(s, p, c.who.area()));
             return JsonResponse(200, j);
           }));

  // Preview of a plan (stored, with optional other rule texts, or a draft).
  auto preview =
      [shared, G](Call& c, Session& s,
                  const response::PlanRecord& plan) -> Result<http::Response> {
    if (auto bad = RuleProblems(plan, shared->context)) return *bad;
    MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(c));
    MALCHIN_ASSIGN_OR_RETURN(rules::Preview p, s.workflow->Preview(plan, area));
    json j = PreviewJson(
        p, G(), plan.installments.empty() ? 1 : plan.installments.size());
    j["plan"] = plan.code;
    j["cutoff_on"] = plan.cutoff_on.ToString();
    j["area"] = {{"aimag_code", area.aimag_code},
                 {"soum_code", area.soum_code}};
    return JsonResponse(200, j);
  };

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/preview",
      Doc("Beneficiaries and cost of a plan over the register of your area "
          "now: national, by aimag and soum, by (aimag|soum) x sex x age "
          "band x disability; nothing is written",
          {{200, "The preview"}, {404, "No such plan in your area"}},
          AreaParams()),
      Permission::kReadStats,
      with([preview](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"aimag", "soum"}));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        return preview(c, s, plan);
      }));

  api->Add("POST", "/api/v1/plans/{plan_code}/preview",
           Doc("Preview a stored plan with another eligibility and/or amount "
               "{eligibility?, amount?}: nothing is saved (for editing a rule)",
               {{200, "The preview"},
                {400, "A rule that does not compile (problems with positions)"},
                {404, "No such plan in your area"}},
               AreaParams(), kTrySchema),
           Permission::kManageResponse,
           with([preview](Call& c, Session& s) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"aimag", "soum"}));
             MALCHIN_ASSIGN_OR_RETURN(
                 auto plan,
                 VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(auto elig, in.OptString("eligibility"));
             MALCHIN_ASSIGN_OR_RETURN(auto amount, in.OptString("amount"));
             MALCHIN_RETURN_IF_ERROR(in.Finish());
             if (elig) plan.eligibility = *elig;
             if (amount) plan.amount = *amount;
             return preview(c, s, plan);
           }));

  api->Add(
      "POST", "/api/v1/events/{event_code}/preview",
      Doc("Preview a plan before it is prepared: the body of POST "
          "/api/v1/plans without event (code and installments optional); "
          "nothing is saved. For the live preview while a rule is typed",
          {{200, "The preview"},
           {400, "Bad input or a rule that does not compile (problems)"},
           {404, "No such event in your area"}},
          AreaParams(), kPlanSchema),
      Permission::kManageResponse,
      with([preview](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"aimag", "soum"}));
        const std::string& code = c.request.params["event_code"];
        MALCHIN_RETURN_IF_ERROR(VisibleEvent(s, code, c.who.area()).status());
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(auto plan, PlanFromJson(in, true, code));
        return preview(c, s, plan);
      }));

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/explain/{register_no}",
      Doc("Why a person is or is not a beneficiary of the plan on its "
          "cut-off date and how the amount is computed (the register as it "
          "is now); recorded as a read of personal data",
          {{200, "The explanation"},
           {400, "Not a register number"},
           {404, "No such plan or person in your area"}},
          {{"lang", "query", "en (default) or mn", false, "string"}}),
      Permission::kReadRegister,
      with([services](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"lang"}));
        std::string lang = c.request.Query("lang").value_or("en");
        if (lang != "en" && lang != "mn") {
          return Status::InvalidArgument(
              "lang '" + lang + "': expected en or mn", "lang");
        }
        const std::string& raw = c.request.params["register_no"];
        std::string rn = registry::NormalizeRegisterNumber(raw);
        auto parsed = registry::ParseRegisterNumber(rn);
        if (!parsed.ok()) {
          return Status::InvalidArgument(
              "register number '" + raw + "': " + parsed.status().message(),
              "register_no");
        }
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto person, c.Register().FindPerson(rn));
        if (!person) return Status::NotFound("no person " + rn);
        MALCHIN_ASSIGN_OR_RETURN(
            auto why,
            s.workflow->Explain(plan.code, rn,
                                lang == "mn" ? rules::Language::kMongolian
                                             : rules::Language::kEnglish));
        MALCHIN_RETURN_IF_ERROR(
            RecordReads(*services, c, {*person},
                        "GET /api/v1/plans/{plan_code}/explain/{register_no}"));
        return JsonResponse(
            200, {{"plan", plan.code},
                  {"register_no", why.register_no},
                  {"household_id", why.household_id},
                  {"cutoff_on", why.cutoff_on.ToString()},
                  {"beneficiary", why.beneficiary},
                  {"amount", why.amount ? json(*why.amount) : json()},
                  {"explanation", why.text}});
      }));

  api->Add(
      "POST", "/api/v1/plans/{plan_code}/approve",
      Doc("Approve a prepared plan and freeze its beneficiary list (a job: "
          "202, poll the job; its result is the plan). Not by the officer "
          "who prepared it (403). Already approved: 200 with the plan, "
          "unchanged. Body (optional): {overlap: exclude|accept, reason}: "
          "persons already in an approved plan of the same event and "
          "programme are left out unless accepted with a reason (GET "
          ".../covered counts them first); the choice, count and reason are "
          "recorded on the plan",
          {{202, "Accepted: the approval job"},
           {200, "Already approved"},
           {400, "overlap accept without a reason"},
           {403,
            "You prepared this plan (maker-checker), or beneficiaries "
            "outside your area"},
           {404, "No such plan in your area"}}),
      Permission::kManageResponse,
      with([services, shared](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        if (plan.status == response::PlanStatus::kApproved) {
          MALCHIN_ASSIGN_OR_RETURN(json j,
                                   PlanWithPayrolls(s, plan, c.who.area()));
          return JsonResponse(200, j);
        }
        MALCHIN_RETURN_IF_ERROR(
            s.workflow->ResolveActor(c.who.username).status());
        if (plan.prepared_by == c.who.username) {
          return Status::PermissionDenied(
              "you prepared plan " + plan.code +
              "; another officer must approve it (maker-checker)");
        }
        MALCHIN_ASSIGN_OR_RETURN(response::OverlapDecision overlap,
                                 OverlapFromJson(c.request.body));
        std::string user = c.who.username;
        std::string code = plan.code;
        store::AreaFilter area = c.who.area();
        return SubmitStep(
            *services, shared, "plan-approve", c.who,
            [user, code, overlap, area](
                Session& js, http::JobProgress&) -> Result<std::string> {
              MALCHIN_ASSIGN_OR_RETURN(
                  auto p,
                  js.workflow->ApprovePlan(code, user, nullptr, overlap));
              MALCHIN_ASSIGN_OR_RETURN(json j, PlanWithPayrolls(js, p, area));
              return j.dump(-1, ' ', false, json::error_handler_t::replace);
            });
      }));

  // --- Payrolls ---------------------------------------------------------

  api->Add("GET", "/api/v1/plans/{plan_code}/payrolls",
           Doc("The plan's installments and their payrolls",
               {{200, "The payrolls"}, {404, "No such plan in your area"}}),
           Permission::kReadStats,
           with([](Call& c, Session& s) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
             MALCHIN_ASSIGN_OR_RETURN(
                 auto plan,
                 VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
             MALCHIN_ASSIGN_OR_RETURN(json j,
                                      PlanWithPayrolls(s, plan, c.who.area()));
             return JsonResponse(
                 200, {{"plan", plan.code}, {"items", j["installments"]}});
           }));

  api->Add(
      "POST", "/api/v1/plans/{plan_code}/payrolls/{installment}",
      Doc("Generate one installment's payroll from the frozen snapshot "
          "(the plan must be approved: 409 otherwise). Repeating it returns "
          "the payroll (200)",
          {{201, "Generated"},
           {200, "Already generated"},
           {404, "No such plan or installment"},
           {409, "The plan is not approved yet"}}),
      Permission::kManageResponse,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        if (plan.status != response::PlanStatus::kApproved) {
          return Status::FailedPrecondition(
              "plan " + plan.code +
              " is not approved yet: an officer other than " +
              plan.prepared_by + " must approve it before its payrolls");
        }
        bool created = false;
        MALCHIN_ASSIGN_OR_RETURN(
            auto p, s.workflow->GeneratePayroll(plan.code, n, c.who.username,
                                                &created));
        http::Response r = JsonResponse(created ? 201 : 200, PayrollJson(p));
        r.SetHeader("Location", "/api/v1/plans/" + plan.code + "/payrolls/" +
                                    std::to_string(n));
        return r;
      }));

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/payrolls/{installment}",
      Doc("One installment's payroll",
          {{200, "The payroll"},
           {404, "No such plan, installment or payroll"}}),
      Permission::kReadStats,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto p, s.response->FindPayroll(plan.code, n));
        if (!p) {
          return Status::NotFound("no payroll for installment " +
                                  std::to_string(n) + " of plan " + plan.code);
        }
        return JsonResponse(200, PayrollJson(*p));
      }));

  api->Add(
      "POST", "/api/v1/plans/{plan_code}/payrolls/{installment}/approve",
      Doc("Approve a payroll: a national officer other than the one who "
          "generated it (403 otherwise). Already approved: unchanged",
          {{200, "Approved"},
           {403,
            "You generated it (maker-checker), or not a national "
            "officer"},
           {404, "No such payroll"}}),
      Permission::kManageResponse,
      with([](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto before,
                                 s.response->FindPayroll(plan.code, n));
        if (!before) {
          return Status::NotFound("no payroll for installment " +
                                  std::to_string(n) + " of plan " + plan.code +
                                  ": generate it first");
        }
        if (before->status != response::PayrollStatus::kApproved &&
            before->generated_by == c.who.username) {
          return Status::PermissionDenied(
              "you generated payroll " + plan.code + " #" + std::to_string(n) +
              "; another national officer must approve it (maker-checker)");
        }
        MALCHIN_ASSIGN_OR_RETURN(
            auto p, s.workflow->ApprovePayroll(plan.code, n, c.who.username));
        return JsonResponse(200, PayrollJson(p));
      }));

  // --- Payment files ----------------------------------------------------

  api->Add(
      "POST", "/api/v1/plans/{plan_code}/payrolls/{installment}/exports",
      Doc("Issue every unpaid line of an approved payroll (first time, or "
          "failed/returned ones again with new references) and write one "
          "payment file per bank, as a job (202). The job's result lists "
          "the files (download URL, payments, amount per bank), the totals "
          "and how many are held back (no usable account). With nothing new "
          "to issue, the latest batch's files are given again (same bytes)",
          {{202, "Accepted: the export job"},
           {403, "Beneficiaries outside your area"},
           {404, "No such payroll"},
           {409, "The payroll is not approved"}}),
      Permission::kManageResponse,
      with([services, shared](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_RETURN_IF_ERROR(
            PayrollToPay(s, plan, n, c.who.area()).status());
        MALCHIN_RETURN_IF_ERROR(
            s.workflow->ResolveActor(c.who.username).status());
        if (!services->jobs || services->export_dir.empty()) {
          return Status::Unavailable(
              "payment files are not configured (malchin serve "
              "--export-dir)");
        }
        std::string user = c.who.username;
        std::string code = plan.code;
        std::string dir = PaymentDir(*services, code, n).string();
        return SubmitStep(
            *services, shared, "payment-files", c.who,
            [shared, user, code, n, dir](
                Session& js, http::JobProgress&) -> Result<std::string> {
              MALCHIN_ASSIGN_OR_RETURN(auto r,
                                       js.workflow->Export(code, n, user, dir));
              std::map<std::string, int64_t> held;
              for (const auto& [rn, why] : r.issue.unroutable) {
                (void)rn;
                ++held[why.substr(0, why.find(':'))];
              }
              json files = json::array();
              int64_t payments = 0, amount = 0;
              for (const auto& f : r.files) {
                std::string name =
                    std::filesystem::path(f.path).filename().string();
                const response::BankInfo* bank =
                    shared->context.banks.Find(f.bank_code);
                files.push_back(
                    {{"bank_code", f.bank_code},
                     {"bank_name", f.bank_name},
                     {"bank_name_mn", bank ? bank->name_mn : f.bank_name},
                     {"name", name},
                     {"payments", f.payments},
                     {"amount", f.amount},
                     {"url", FilesBase(code, n) + name}});
                payments += f.payments;
                amount += f.amount;
              }
              json reasons = json::array();
              for (const auto& [why, count] : held) {
                reasons.push_back({{"reason", why}, {"count", count}});
              }
              return json({{"plan", code},
                           {"installment", n},
                           {"batch", r.issue.batch},
                           {"issued", r.issue.issued},
                           {"issued_amount", r.issue.amount},
                           {"reissued", r.issue.reissued},
                           {"held_back",
                            static_cast<int64_t>(r.issue.unroutable.size())},
                           {"held_back_reasons", reasons},
                           {"flagged", r.issue.flagged},
                           {"kept_out", KeptOutJson(r.issue)},
                           {"files", files},
                           {"file_payments", payments},
                           {"file_amount", amount}})
                  .dump(-1, ' ', false, json::error_handler_t::replace);
            });
      }));

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/payrolls/{installment}/files/{name}",
      Doc("Download a payment file (<plan>-i<n>-b<batch>-<bank>.csv: "
          "reference,payee,payee_register_no,beneficiary_register_no,"
          "account,amount and a TOTAL row). Always the same bytes for a "
          "batch",
          {{200, "The file (text/csv)"},
           {403, "Beneficiaries outside your area"},
           {404, "No such file"}}),
      Permission::kManageResponse,
      with([services, shared](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        const std::string& name = c.request.params["name"];
        int64_t batch = BatchOfFileName(name, plan.code, n);
        if (batch <= 0) {
          return Status::NotFound("no payment file " + name + " of plan " +
                                  plan.code + " installment " +
                                  std::to_string(n));
        }
        MALCHIN_RETURN_IF_ERROR(
            PayrollToPay(s, plan, n, c.who.area()).status());
        if (services->export_dir.empty()) {
          return Status::Unavailable(
              "payment files are not configured (malchin serve "
              "--export-dir)");
        }
        std::filesystem::path dir = PaymentDir(*services, plan.code, n);
        std::filesystem::path path = dir / name;
        if (!std::filesystem::exists(path)) {
          // Files are made from the database: write the batch again.
          MALCHIN_RETURN_IF_ERROR(
              response::WritePaymentFiles(*s.response, plan.code, n,
                                          static_cast<int>(batch), dir.string(),
                                          shared->context.banks)
                  .status());
        }
        std::ifstream in(path, std::ios::binary);
        if (!in) return Status::NotFound("no payment file " + name);
        std::ostringstream ss;
        ss << in.rdbuf();
        std::string body = ss.str();
        // One audit entry per download (file, payments, area), durable
        // before the register numbers and accounts leave (exports.h). Rows:
        // the lines but the header and the TOTAL row.
        const int64_t lines = std::count(body.begin(), body.end(), '\n');
        MALCHIN_RETURN_IF_ERROR(
            RecordBulkRead(c.session, "payment_file.download",
                           plan.code + "/i" + std::to_string(n) + "/" + name,
                           std::max<int64_t>(0, lines - 2), c.who.area()));
        http::Response r = http::Response::Text(200, std::move(body),
                                                "text/csv; charset=utf-8");
        r.SetHeader("Content-Disposition",
                    "attachment; filename=\"" + name + "\"");
        return r;
      }));

  // --- Reconciliation ---------------------------------------------------

  api->Add(
      "POST", "/api/v1/plans/{plan_code}/payrolls/{installment}/results",
      Doc("Upload a bank's result file for this payroll (body: CSV "
          "reference,status,amount[,reason]; status paid, failed or "
          "returned), as a job (202). Every row is checked first: a "
          "reference never issued, of another payroll, a wrong amount or a "
          "forbidden change fails the job with file:line messages and "
          "changes nothing. Re-uploading the same file changes nothing",
          {{202, "Accepted: the reconciliation job"},
           {403, "Beneficiaries outside your area"},
           {404, "No such payroll"},
           {409, "The payroll is not approved"},
           {413, "Larger than 256 MiB"}},
          {{"file_name", "query",
            "the bank file's name, for messages (default bank-result.csv)",
            false, "string"}}),
      Permission::kManageResponse,
      with([services, shared](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"file_name"}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_RETURN_IF_ERROR(
            PayrollToPay(s, plan, n, c.who.area()).status());
        MALCHIN_RETURN_IF_ERROR(
            s.workflow->ResolveActor(c.who.username).status());
        std::string file =
            c.request.Query("file_name").value_or("bank-result.csv");
        if (file.empty() || file.size() > 200) {
          return Status::InvalidArgument("file_name: expected 1-200 bytes",
                                         "file_name");
        }
        std::string user = c.who.username;
        std::string code = plan.code;
        auto data = std::make_shared<std::string>(std::move(c.request.body));
        return SubmitStep(
            *services, shared, "bank-results", c.who,
            [user, code, n, file, data](
                Session& js,
                http::JobProgress& progress) -> Result<std::string> {
              progress.Set(0.1, "checking and recording the results");
              MALCHIN_ASSIGN_OR_RETURN(
                  auto counts,
                  js.workflow->ReconcilePayroll(code, n, file, *data, user));
              return json({{"plan", code},
                           {"installment", n},
                           {"file_name", file},
                           {"rows", counts.rows},
                           {"changed", counts.changed},
                           {"unchanged", counts.unchanged}})
                  .dump(-1, ' ', false, json::error_handler_t::replace);
            });
      }),
      256u << 20);

  api->Add(
      "GET", "/api/v1/plans/{plan_code}/payrolls/{installment}/report",
      Doc("Payments of a payroll in your area by soum and sex (`items`, "
          "then `total`): owed, issued, paid, failed, returned, pending, with "
          "amounts; disaggregated like the preview: `soum_cells` and "
          "`aimag_cells` (area x sex x age band x disability), "
          "`by_payee_sex` (who is paid) and `by_head_sex` (the household's "
          "head); `balances` says issued = paid + failed + returned + "
          "pending",
          {{200, "The report"}, {404, "No such plan or payroll"}},
          AreaParams()),
      Permission::kReadStats,
      with([G](Call& c, Session& s) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"aimag", "soum"}));
        MALCHIN_ASSIGN_OR_RETURN(int n, InstallmentParam(c.request));
        MALCHIN_ASSIGN_OR_RETURN(
            auto plan,
            VisiblePlan(s, c.request.params["plan_code"], c.who.area()));
        MALCHIN_ASSIGN_OR_RETURN(auto payroll,
                                 s.response->FindPayroll(plan.code, n));
        if (!payroll) {
          return Status::NotFound("no payroll for installment " +
                                  std::to_string(n) + " of plan " + plan.code);
        }
        MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(c));
        MALCHIN_ASSIGN_OR_RETURN(auto b,
                                 s.response->Breakdown(plan.code, n, area));
        const geo::Geography& geo = G();
        json j = response::BreakdownJson<json>(b, [&geo](int32_t code) {
          return code ? UnitName(geo, code)
                      : json{{"en", "Total"}, {"mn", "Нийт"}};
        });
        j["plan"] = plan.code;
        j["installment"] = n;
        return JsonResponse(200, j);
      }),
      1 << 20);
}

}  // namespace malchin::api
