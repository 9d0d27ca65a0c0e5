// CLI commands of shock-responsive cash transfers: events, plans, payrolls,
// payment files and reconciliation (src/response, docs/response.md).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/exports.h"
#include "cli/command.h"
#include "cli/response_cli.h"
#include "csv/csv.h"
#include "response/plan.h"
#include "response/report_json.h"
#include "response/workflow.h"

namespace malchin::cli {
namespace {

using response_cli::Area;
using response_cli::DateArg;
using response_cli::Db;
using response_cli::InstallmentOpt;
using response_cli::Json;
using response_cli::Mnt;
using response_cli::Name;
using response_cli::Open;
using response_cli::PlanOpt;
using response_cli::ReadArea;
using response_cli::Str;
using response_cli::User;

using nlohmann::json;

// --- event ------------------------------------------------------------------

Status EventCreate(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  response::ShockEventRecord e;
  e.code = Str(vm, "event");
  e.type = Str(vm, "type");
  e.name = Str(vm, "name");
  e.source = Str(vm, "source");
  e.reference = Str(vm, "reference");
  MALCHIN_ASSIGN_OR_RETURN(e.starts_on, DateArg(vm, "start"));
  e.declared_on = e.starts_on;
  if (vm.count("declared")) {
    MALCHIN_ASSIGN_OR_RETURN(e.declared_on, DateArg(vm, "declared"));
  }
  if (vm.count("end")) {
    MALCHIN_ASSIGN_OR_RETURN(e.ends_on, DateArg(vm, "end"));
  }
  std::string user = Str(vm, "user");
  MALCHIN_ASSIGN_OR_RETURN(auto created, s->workflow->CreateEvent(e, user));
  io.out << "event " << created.code << " (" << created.type << ", "
         << created.name << ") declared " << created.declared_on.ToString()
         << "\n";
  if (vm.count("soums")) {
    std::string path = Str(vm, "soums");
    MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t n, s->workflow->ImportEventSoums(e.code, path, data, user));
    io.out << n << " soum(s) added or changed from " << path << "\n";
  }
  return Status::Ok();
}

Status EventImportSoums(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  std::string path = Str(vm, "file");
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(
      int64_t n, s->workflow->ImportEventSoums(Str(vm, "event"), path, data,
                                               Str(vm, "user")));
  io.out << n << " soum(s) added or changed from " << path << "\n";
  return Status::Ok();
}

Status EventShow(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(vm, *s));
  MALCHIN_ASSIGN_OR_RETURN(auto e,
                           s->response->FindEvent(Str(vm, "event"), area));
  if (!e) return Status::NotFound("no event '" + Str(vm, "event") + "'");
  const geo::Geography& geo = *s->context.geography;
  json j = {{"code", e->code},
            {"type", e->type},
            {"name", e->name},
            {"source", e->source},
            {"reference", e->reference},
            {"declared_on", e->declared_on.ToString()},
            {"starts_on", e->starts_on.ToString()},
            {"ends_on", e->ends_on ? json(e->ends_on->ToString()) : json()},
            {"created_by", e->created_by},
            {"soums", json::array()}};
  for (const auto& soum : e->soums) {
    j["soums"].push_back({{"soum_code", soum.soum_code},
                          {"name", Name(geo, soum.soum_code)},
                          {"severity", response::Name(soum.severity)}});
  }
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "event " << e->code << ": " << e->name << " (" << e->type
         << ")\n  source " << e->source << "; reference " << e->reference
         << "\n  declared " << e->declared_on.ToString() << ", from "
         << e->starts_on.ToString()
         << (e->ends_on ? " to " + e->ends_on->ToString() : "") << "\n  "
         << e->soums.size() << " soum(s):\n";
  for (const auto& soum : e->soums) {
    io.out << "    " << soum.soum_code << " " << Name(geo, soum.soum_code)
           << " (" << Name(geo, geo::AimagOfSoum(soum.soum_code))
           << "): " << response::Name(soum.severity) << "\n";
  }
  return Status::Ok();
}

// --- plan -------------------------------------------------------------------

Result<std::vector<response::InstallmentRecord>> Installments(
    const std::string& text) {
  std::vector<response::InstallmentRecord> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto d = Date::Parse(item);
    if (!d.ok()) {
      return d.status().WithContext("--installments item " +
                                    std::to_string(out.size() + 1));
    }
    out.push_back({static_cast<int>(out.size() + 1), *d});
  }
  return out;
}

// A plan's choice `name` (--kind, --unit, --cap-order): `fallback` when
// not given, else a name `parse` accepts.
template <class E>
Result<E> Choice(const po::variables_map& vm, const char* name,
                 const std::string& plan, E fallback,
                 Result<E> (*parse)(std::string_view)) {
  if (!vm.count(name)) return fallback;
  auto parsed = parse(Str(vm, name));
  if (!parsed.ok()) {
    return Status::InvalidArgument("plan " + plan + ":\n  " +
                                   parsed.status().message());
  }
  return *parsed;
}

Status PlanCreate(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  response::PlanRecord p;
  p.code = Str(vm, "plan");
  p.event_code = Str(vm, "event");
  if (vm.count("programme")) p.programme_code = Str(vm, "programme");
  MALCHIN_ASSIGN_OR_RETURN(
      p.kind, Choice(vm, "kind", p.code,
                     p.programme_code ? response::PlanKind::kVertical
                                      : response::PlanKind::kHorizontal,
                     &response::ParsePlanKind));
  p.name = Str(vm, "name", p.code);
  p.schedule_reason = Str(vm, "schedule-reason");
  p.eligibility = Str(vm, "eligibility");
  p.amount = Str(vm, "amount");
  MALCHIN_ASSIGN_OR_RETURN(p.unit,
                           Choice(vm, "unit", p.code, response::Unit::kPerson,
                                  &response::ParseUnit));
  if (vm.count("cap")) p.cap_per_household = vm["cap"].as<int64_t>();
  MALCHIN_ASSIGN_OR_RETURN(
      p.cap_order,
      Choice(vm, "cap-order", p.code, response::CapOrder::kYoungestFirst,
             &response::ParseCapOrder));
  MALCHIN_ASSIGN_OR_RETURN(p.installments,
                           Installments(Str(vm, "installments")));
  MALCHIN_ASSIGN_OR_RETURN(p.cutoff_on, DateArg(vm, "cutoff"));
  p.starts_on = vm.count("start") ? Date() : p.cutoff_on;
  if (vm.count("start")) {
    MALCHIN_ASSIGN_OR_RETURN(p.starts_on, DateArg(vm, "start"));
  }
  if (vm.count("end")) {
    MALCHIN_ASSIGN_OR_RETURN(p.ends_on, DateArg(vm, "end"));
  } else if (!p.installments.empty()) {
    // Ends by itself at the end of the month of its last installment.
    Date last = p.installments.back().due_on;
    p.ends_on = Date::FromYmd(last.year(), last.month(),
                              Date::DaysInMonth(last.year(), last.month()));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto created,
                           s->workflow->CreatePlan(p, Str(vm, "user")));
  io.out << "plan " << created.code << " (" << response::Name(created.kind)
         << ") prepared by " << created.prepared_by << ": "
         << created.installments.size() << " installment(s) from "
         << created.starts_on.ToString() << " to " << created.ends_on.ToString()
         << "\n";
  return Status::Ok();
}

json PreviewJson(const rules::Preview& p, const geo::Geography& geo) {
  auto area = [&](const rules::AreaTotal& t) {
    return json{{"code", t.code},
                {"name", Name(geo, t.code)},
                {"beneficiaries", t.beneficiaries},
                {"households", t.households},
                {"amount", t.amount}};
  };
  json j = {{"national", area(p.national)},
            {"by_aimag", json::array()},
            {"by_soum", json::array()},
            {"cells", json::array()},
            {"unknown_eligibility", p.unknown_eligibility},
            {"unknown_amount", p.unknown_amount},
            {"zero_amount", p.zero_amount},
            {"capped_households", p.capped_households},
            {"amount_before_cap", p.amount_before_cap}};
  for (const auto& a : p.by_aimag) j["by_aimag"].push_back(area(a));
  for (const auto& a : p.by_soum) j["by_soum"].push_back(area(a));
  for (const auto& c : p.cells) {
    j["cells"].push_back(
        {{"soum_code", c.soum_code},
         {"sex", c.sex == registry::Sex::kMale ? "M" : "F"},
         {"age_band", std::string(registry::AgeBandName(c.age_band))},
         {"disability", c.disability},
         {"beneficiaries", c.beneficiaries},
         {"amount", c.amount}});
  }
  return j;
}

Status PlanPreview(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(vm, *s));
  MALCHIN_ASSIGN_OR_RETURN(auto plan, s->response->FindPlan(Str(vm, "plan")));
  if (!plan) return Status::NotFound("no plan '" + Str(vm, "plan") + "'");
  // Trying another rule on the same plan writes nothing.
  if (vm.count("eligibility")) plan->eligibility = Str(vm, "eligibility");
  if (vm.count("amount")) plan->amount = Str(vm, "amount");
  MALCHIN_ASSIGN_OR_RETURN(rules::Preview p, s->workflow->Preview(*plan, area));
  const geo::Geography& geo = *s->context.geography;
  if (vm.count("json")) {
    io.out << PreviewJson(p, geo).dump(2) << "\n";
    return Status::Ok();
  }
  char line[200];
  io.out << "plan " << plan->code << " on " << plan->cutoff_on.ToString()
         << ": " << p.national.beneficiaries << " beneficiaries in "
         << p.national.households << " households, MNT "
         << Mnt(p.national.amount) << " per installment, "
         << plan->installments.size() << " installment(s) = MNT "
         << Mnt(p.national.amount *
                static_cast<int64_t>(plan->installments.size()))
         << "\n";
  if (p.capped_households) {
    io.out << "  " << p.capped_households << " household(s) capped (MNT "
           << Mnt(p.amount_before_cap) << " before caps)\n";
  }
  if (p.unknown_eligibility || p.unknown_amount) {
    io.out << "  not counted: " << p.unknown_eligibility
           << " with an unknown condition, " << p.unknown_amount
           << " with an unknown amount\n";
  }
  auto table = [&](const char* title,
                   const std::vector<rules::AreaTotal>& rows) {
    io.out << "\n" << title << "\n";
    std::snprintf(line, sizeof line, "%-7s %-20s %13s %10s %16s\n", "code",
                  "area", "beneficiaries", "households", "MNT");
    io.out << line;
    for (const auto& t : rows) {
      std::snprintf(line, sizeof line, "%-7d %-20s %13lld %10lld %16s\n",
                    t.code, Name(geo, t.code).substr(0, 20).c_str(),
                    static_cast<long long>(t.beneficiaries),
                    static_cast<long long>(t.households),
                    Mnt(t.amount).c_str());
      io.out << line;
    }
  };
  table("By aimag", p.by_aimag);
  if (p.by_soum.size() <= 40 || vm.count("by-soum")) {
    table("By soum", p.by_soum);
  }
  io.out << "\nBy sex, age band and disability (beneficiaries)\n";
  std::snprintf(line, sizeof line, "%-8s %10s %10s %10s %10s\n", "age",
                "female", "male", "F disab.", "M disab.");
  io.out << line;
  for (int b = 0; b < registry::kAgeBandCount; ++b) {
    const auto& c = p.beneficiaries_by_sex_band_disability;
    if (!c[0][b][0] && !c[1][b][0] && !c[0][b][1] && !c[1][b][1]) continue;
    std::snprintf(line, sizeof line, "%-8s %10lld %10lld %10lld %10lld\n",
                  std::string(registry::AgeBandName(b)).c_str(),
                  static_cast<long long>(c[0][b][0] + c[0][b][1]),
                  static_cast<long long>(c[1][b][0] + c[1][b][1]),
                  static_cast<long long>(c[0][b][1]),
                  static_cast<long long>(c[1][b][1]));
    io.out << line;
  }
  return Status::Ok();
}

Status PlanApprove(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  response::OverlapDecision overlap;
  if (vm.count("overlap")) {
    auto choice = response::ParseOverlapChoice(Str(vm, "overlap"));
    if (!choice.ok()) return choice.status().WithContext("--overlap");
    overlap.choice = *choice;
  }
  overlap.reason = Str(vm, "overlap-reason");
  MALCHIN_ASSIGN_OR_RETURN(
      auto p, s->workflow->ApprovePlan(Str(vm, "plan"), Str(vm, "user"),
                                       nullptr, overlap));
  io.out << "plan " << p.code << " approved by " << p.approved_by
         << " (prepared by " << p.prepared_by
         << "); frozen snapshot: " << p.beneficiaries << " beneficiaries in "
         << p.households << " households, MNT " << Mnt(p.amount_per_installment)
         << " per installment\n";
  if (p.overlap_choice == response::OverlapChoice::kExclude &&
      p.overlap_count) {
    io.out << p.overlap_count
           << " person(s) already in an approved plan of the same event and "
              "programme were left out (to pay them again: --overlap accept "
              "--overlap-reason TEXT)\n";
  } else if (p.overlap_choice == response::OverlapChoice::kAccept) {
    io.out << p.overlap_count
           << " person(s) already in an approved plan of the same event and "
              "programme are paid again: "
           << p.overlap_reason << "\n";
  }
  if (p.overlaps) {
    io.out << "review: " << p.overlaps
           << " beneficiaries are also in an overlapping plan of the same "
              "event or programme (malchin plan show --plan "
           << p.code << " --overlaps)\n";
  }
  return Status::Ok();
}

Status PlanShow(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto p, s->response->FindPlan(Str(vm, "plan")));
  if (!p) return Status::NotFound("no plan '" + Str(vm, "plan") + "'");
  Date today = Date::TodayUtc();
  std::string state(response::Name(p->status));
  if (today > p->ends_on) state += ", ended " + p->ends_on.ToString();
  json j = {
      {"code", p->code},
      {"event", p->event_code},
      {"programme", p->programme_code ? json(*p->programme_code) : json()},
      {"kind", response::Name(p->kind)},
      {"name", p->name},
      {"eligibility", p->eligibility},
      {"amount", p->amount},
      {"unit", response::Name(p->unit)},
      {"cap_per_household",
       p->cap_per_household ? json(*p->cap_per_household) : json()},
      {"cutoff_on", p->cutoff_on.ToString()},
      {"starts_on", p->starts_on.ToString()},
      {"ends_on", p->ends_on.ToString()},
      {"status", response::Name(p->status)},
      {"ended", today > p->ends_on},
      {"prepared_by", p->prepared_by},
      {"approved_by", p->approved_by},
      {"beneficiaries", p->beneficiaries},
      {"households", p->households},
      {"amount_per_installment", p->amount_per_installment},
      {"overlaps", p->overlaps},
      {"installments", json::array()}};
  for (const auto& i : p->installments) {
    json row = {{"number", i.number}, {"due_on", i.due_on.ToString()}};
    MALCHIN_ASSIGN_OR_RETURN(auto payroll,
                             s->response->FindPayroll(p->code, i.number));
    if (payroll) {
      row["payroll"] = {{"status", response::Name(payroll->status)},
                        {"lines", payroll->lines},
                        {"amount", payroll->amount},
                        {"generated_by", payroll->generated_by},
                        {"approved_by", payroll->approved_by}};
    }
    j["installments"].push_back(row);
  }
  if (vm.count("overlaps")) {
    MALCHIN_ASSIGN_OR_RETURN(auto o, s->response->Overlaps(p->code));
    j["overlapping_persons"] = json::array();
    for (const auto& [rn, other] : o) {
      j["overlapping_persons"].push_back(
          {{"register_no", rn}, {"other_plan", other}});
    }
  }
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "plan " << p->code << ": " << p->name << " ("
         << response::Name(p->kind)
         << (p->programme_code ? " top-up of " + *p->programme_code : "")
         << ", event " << p->event_code
         << ")\n  eligibility: " << p->eligibility
         << "\n  amount: " << p->amount << " per " << response::Name(p->unit)
         << " per installment"
         << (p->cap_per_household
                 ? ", cap " + Mnt(*p->cap_per_household) + " per household"
                 : "")
         << "\n  cut-off " << p->cutoff_on.ToString() << ", runs "
         << p->starts_on.ToString() << " to " << p->ends_on.ToString()
         << "\n  status: " << state << "; prepared by " << p->prepared_by;
  if (!p->approved_by.empty()) {
    io.out << ", approved by " << p->approved_by << "; snapshot "
           << p->beneficiaries << " beneficiaries, " << p->households
           << " households, MNT " << Mnt(p->amount_per_installment)
           << " per installment, " << p->overlaps << " overlap(s)";
  }
  io.out << "\n";
  for (const auto& row : j["installments"]) {
    io.out << "  installment " << row["number"].get<int>() << " due "
           << row["due_on"].get<std::string>();
    if (row.contains("payroll")) {
      io.out << ": payroll " << row["payroll"]["status"].get<std::string>()
             << ", " << row["payroll"]["lines"].get<int64_t>() << " lines, MNT "
             << Mnt(row["payroll"]["amount"].get<int64_t>());
    }
    io.out << "\n";
  }
  if (j.contains("overlapping_persons")) {
    for (const auto& o : j["overlapping_persons"]) {
      io.out << "  overlap: " << o["register_no"].get<std::string>()
             << " also in " << o["other_plan"].get<std::string>() << "\n";
    }
  }
  return Status::Ok();
}

// --- payroll ----------------------------------------------------------------

void PrintPayroll(const response::PayrollRecord& p, const char* what, Io& io) {
  io.out << "payroll " << p.plan_code << " #" << p.installment << " (due "
         << p.due_on.ToString() << ") " << what << ": " << p.lines
         << " lines, MNT " << Mnt(p.amount) << "; generated by "
         << p.generated_by
         << (p.approved_by.empty() ? "" : ", approved by " + p.approved_by)
         << "\n";
}

Status PayrollGenerate(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto p,
      s->workflow->GeneratePayroll(Str(vm, "plan"), vm["installment"].as<int>(),
                                   Str(vm, "user")));
  PrintPayroll(p, std::string(response::Name(p.status)).c_str(), io);
  return Status::Ok();
}

Status PayrollApprove(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto p,
      s->workflow->ApprovePayroll(Str(vm, "plan"), vm["installment"].as<int>(),
                                  Str(vm, "user")));
  PrintPayroll(p, "approved", io);
  return Status::Ok();
}

Status PayrollExport(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto r, s->workflow->Export(Str(vm, "plan"), vm["installment"].as<int>(),
                                  Str(vm, "user"), Str(vm, "out")));
  if (r.issue.issued) {
    io.out << "issued " << r.issue.issued << " payment(s), MNT "
           << Mnt(r.issue.amount) << " (" << r.issue.reissued
           << " re-issued) in batch " << r.issue.batch << "\n";
  } else {
    io.out << "nothing new to issue; latest batch written again\n";
  }
  for (const auto& f : r.files) {
    // One audit entry per file written (issue #14).
    MALCHIN_RETURN_IF_ERROR(api::RecordBulkRead(
        s->store->session(), "payment_file.export", f.path, f.payments, {}));
    io.out << "  " << f.path << ": " << f.bank_name << ", " << f.payments
           << " payments, MNT " << Mnt(f.amount) << "\n";
  }
  if (!r.issue.unroutable.empty()) {
    io.err << r.issue.unroutable.size()
           << " payment(s) held back (no bank can be found):\n";
    size_t shown = 0;
    for (const auto& [rn, why] : r.issue.unroutable) {
      if (++shown > 20) {
        io.err << "  ...\n";
        break;
      }
      io.err << "  " << rn << ": " << why << "\n";
    }
  }
  if (r.issue.flagged) {
    io.err << r.issue.flagged
           << " payment(s) flagged: the beneficiary was deactivated after the "
              "snapshot; an officer decides (malchin payment release|hold|"
              "cancel)\n";
  }
  for (const auto& [why, n] : r.issue.kept_out) {
    io.err << n << " payment(s) kept out: " << why
           << " (malchin payment follow-up)\n";
  }
  return Status::Ok();
}

// --- reconcile --------------------------------------------------------------

Status ReconcileImport(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  std::string path = Str(vm, "file");
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(auto c,
                           s->workflow->Reconcile(path, data, Str(vm, "user")));
  io.out << path << ": " << c.rows << " rows, " << c.changed << " changed, "
         << c.unchanged << " already recorded\n";
  return Status::Ok();
}

Status ReconcileReport(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(vm, *s));
  MALCHIN_ASSIGN_OR_RETURN(
      response::PaymentBreakdown b,
      s->response->Breakdown(Str(vm, "plan"), vm["installment"].as<int>(),
                             area));
  const geo::Geography& geo = *s->context.geography;
  auto name_of = [&](int32_t code) {
    return code ? Name(geo, code) : std::string("Total");
  };
  if (vm.count("json")) {
    json j = response::BreakdownJson<json>(b, name_of);
    if (!vm.count("breakdown")) {  // The soum x sex rows, then the total.
      json rows = j["items"];
      rows.push_back(j["total"]);
      j = rows;
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  char line[240];
  std::snprintf(line, sizeof line,
                "%-7s %-16s %-3s %8s %8s %8s %8s %8s %8s %16s %16s\n", "soum",
                "name", "sex", "owed", "issued", "paid", "failed", "returned",
                "pending", "issued MNT", "paid MNT");
  io.out << line;
  auto row = [&](const std::string& code, const std::string& name,
                 const std::string& sex, const response::PaymentTotals& t) {
    std::snprintf(
        line, sizeof line,
        "%-7s %-16s %-3s %8lld %8lld %8lld %8lld %8lld %8lld %16s %16s\n",
        code.c_str(), name.substr(0, 16).c_str(), sex.c_str(),
        static_cast<long long>(t.lines), static_cast<long long>(t.issued),
        static_cast<long long>(t.paid), static_cast<long long>(t.failed),
        static_cast<long long>(t.returned), static_cast<long long>(t.pending),
        Mnt(t.issued_amount).c_str(), Mnt(t.paid_amount).c_str());
    io.out << line;
  };
  for (const auto& t : b.by_soum_sex) {
    row(std::to_string(t.soum_code), Name(geo, t.soum_code), t.sex, t);
  }
  row("-", "Total", "", b.total);
  io.out << "\nBy sex of who is paid\n";
  for (const auto& t : b.by_payee_sex) row("-", "payee", t.payee_sex, t);
  io.out << "By sex of the household's head\n";
  for (const auto& t : b.by_head_sex) row("-", "head", t.head_sex, t);
  const auto& t = b.total;
  bool ok = t.issued == t.paid + t.failed + t.returned + t.pending &&
            t.issued_amount == t.paid_amount + t.failed_amount +
                                   t.returned_amount + t.pending_amount;
  io.out << "issued = paid + failed + returned + pending: "
         << (ok ? "balances" : "DOES NOT BALANCE") << " (" << t.issued << " = "
         << t.paid << " + " << t.failed << " + " << t.returned << " + "
         << t.pending << "; MNT " << Mnt(t.issued_amount) << ")\n"
         << t.not_issued << " owed line(s) not (yet) issued\n";
  if (!ok) return Status::DataLoss("the payment totals do not reconcile");
  return Status::Ok();
}

}  // namespace

void AddResponseCommands(std::vector<Command>* c) {
  c->push_back(
      {"event create", "declare a shock event (dzud, drought, ...)",
       [](po::options_description& d) {
         Db(d);
         User(d);
         d.add_options()("event", po::value<std::string>()->required(),
                         "event code, e.g. zavkhan-dzud-2019")(
             "type", po::value<std::string>()->required(),
             "dzud, drought, flood, snowstorm, epidemic or other")(
             "name", po::value<std::string>()->required(), "name")(
             "source", po::value<std::string>()->default_value(""),
             "source, e.g. NAMEM dzud risk map")(
             "reference", po::value<std::string>()->default_value(""),
             "reference, e.g. a commission decision")(
             "declared", po::value<std::string>(),
             "date declared (default: the start)")(
             "start", po::value<std::string>()->required(), "start date")(
             "end", po::value<std::string>(), "end date (optional)")(
             "soums", po::value<std::string>(),
             "CSV of affected soums (soum_code,severity)");
       },
       EventCreate,
       "\nThe soum file has a header and columns soum_code (NSO code or "
       "name)\nand severity (very_high, high, medium, low).\n"});
  c->push_back({"event import-soums",
                "set affected soums and severities from a CSV file",
                [](po::options_description& d) {
                  Db(d);
                  User(d);
                  d.add_options()("event", po::value<std::string>()->required(),
                                  "event code")(
                      "file", po::value<std::string>()->required(),
                      "CSV with columns soum_code,severity");
                },
                EventImportSoums,
                "\nEvery bad row is reported (file:line: column, value, "
                "expected);\nnothing is imported if any row is bad.\n"});
  c->push_back({"event show", "show an event and its soums",
                [](po::options_description& d) {
                  Db(d);
                  User(d, false);
                  d.add_options()("event", po::value<std::string>()->required(),
                                  "event code");
                  Area(d);
                  Json(d);
                },
                EventShow, ""});
  c->push_back(
      {"plan create", "prepare a response plan (vertical or horizontal)",
       [](po::options_description& d) {
         Db(d);
         User(d);
         PlanOpt(d);
         d.add_options()("event", po::value<std::string>()->required(),
                         "event code")(
             "programme", po::value<std::string>(),
             "programme a vertical plan tops up (child_money)")(
             "kind", po::value<std::string>(),
             "vertical (with --programme) or horizontal")(
             "name", po::value<std::string>(), "name")(
             "eligibility", po::value<std::string>()->required(),
             "rule, e.g. 'age < 6 and event.severity >= high'")(
             "amount", po::value<std::string>()->required(),
             "MNT per beneficiary per installment (number or formula)")(
             "unit", po::value<std::string>(), "person (default) or household")(
             "cap", po::value<int64_t>(), "MNT cap per household")(
             "cap-order", po::value<std::string>(),
             "youngest_first (default) or proportional")(
             "cutoff", po::value<std::string>()->required(),
             "date on which eligibility is judged")(
             "start", po::value<std::string>(),
             "start date (default: the cut-off)")(
             "end", po::value<std::string>(),
             "end date (default: end of the last installment's month)")(
             "installments", po::value<std::string>()->required(),
             "due dates, comma-separated, e.g. "
             "2020-02-15,2020-03-15,2020-04-15")(
             "schedule-reason", po::value<std::string>(),
             "why installments fall outside the event's dates (required "
             "then)");
       },
       PlanCreate,
       "\nThe rule language is described in docs/rules.md. A vertical plan "
       "pays those\nwho are in the programme's caseload AND meet the plan's "
       "rule.\n"});
  c->push_back({"plan preview",
                "beneficiaries and cost of a plan, by area, sex, age band "
                "and disability",
                [](po::options_description& d) {
                  Db(d);
                  User(d, false);
                  PlanOpt(d);
                  d.add_options()("eligibility", po::value<std::string>(),
                                  "try another rule (nothing is saved)")(
                      "amount", po::value<std::string>(),
                      "try another amount (nothing is saved)")(
                      "by-soum", "list every soum");
                  Area(d);
                  Json(d);
                },
                PlanPreview, ""});
  c->push_back({"plan approve",
                "approve a plan (not by its preparer) and freeze its "
                "beneficiary list",
                [](po::options_description& d) {
                  Db(d);
                  User(d);
                  PlanOpt(d);
                  d.add_options()(
                      "overlap", po::value<std::string>(),
                      "persons already in an approved plan of the same event "
                      "and programme: exclude (default) or accept")(
                      "overlap-reason", po::value<std::string>(),
                      "why they are paid again (required with accept)");
                },
                PlanApprove,
                "\nA person already in the frozen list of an approved plan "
                "of the same event and\nprogramme is left out unless you "
                "accept paying them again, with a reason\n(see malchin plan "
                "covered). The count and the reason are recorded.\n"});
  c->push_back({"plan show", "show a plan, its snapshot and payrolls",
                [](po::options_description& d) {
                  Db(d);
                  PlanOpt(d);
                  d.add_options()("overlaps",
                                  "list persons also in an overlapping plan");
                  Json(d);
                },
                PlanShow, ""});
  c->push_back({"payroll generate",
                "generate one installment's payroll from the frozen snapshot",
                [](po::options_description& d) {
                  Db(d);
                  User(d);
                  PlanOpt(d);
                  InstallmentOpt(d);
                },
                PayrollGenerate, ""});
  c->push_back({"payroll approve",
                "approve a payroll (not by whoever generated it)",
                [](po::options_description& d) {
                  Db(d);
                  User(d);
                  PlanOpt(d);
                  InstallmentOpt(d);
                },
                PayrollApprove, ""});
  c->push_back(
      {"payroll export", "write the payment files, one per bank",
       [](po::options_description& d) {
         Db(d);
         User(d);
         PlanOpt(d);
         InstallmentOpt(d);
         d.add_options()("out", po::value<std::string>()->required(),
                         "folder for the payment files");
       },
       PayrollExport,
       "\nIssues every unpaid line (first time, or a failed/returned payment "
       "again with\na new reference) and writes <plan>-i<n>-b<batch>-<bank>"
       ".csv per bank:\nreference,payee,payee_register_no,"
       "beneficiary_register_no,account,amount\nand a TOTAL row. The bank is "
       "the account's first four digits (banks.csv).\n"});
  c->push_back({"reconcile import", "import a bank's result file",
                [](po::options_description& d) {
                  Db(d);
                  User(d);
                  d.add_options()("file", po::value<std::string>()->required(),
                                  "CSV: reference,status,amount[,reason]");
                },
                ReconcileImport,
                "\nstatus is paid, failed or returned (failed/returned need "
                "a reason).\nRe-importing a file changes nothing; a "
                "reference never issued is rejected\nwith its file and "
                "line, and nothing is changed.\n"});
  c->push_back({"reconcile report",
                "payments of a payroll by soum and sex: issued, paid, "
                "failed, returned, pending",
                [](po::options_description& d) {
                  Db(d);
                  User(d, false);
                  PlanOpt(d);
                  InstallmentOpt(d);
                  Area(d);
                  Json(d);
                  d.add_options()(
                      "breakdown",
                      "with --json: every view (area x sex x age band x "
                      "disability, sex of payee and head)");
                },
                ReconcileReport, ""});
}

}  // namespace malchin::cli
