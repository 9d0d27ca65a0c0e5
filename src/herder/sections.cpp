#include "herder/sections.h"

#include <map>

#include "coop/trainings.h"
#include "herder/imports.h"
#include "herder/repository.h"
#include "insurance/ledger_service.h"
#include "insurance/pension.h"
#include "insurance/schemes.h"
#include "registry/repository.h"
#include "response/repository.h"

namespace malchin::herder {
namespace {

using nlohmann::json;

struct Ctx {
  store::Session& session;
  const SectionRequest& request;
  registry::Household household;
  std::vector<registry::Person> members;  // Active ones.
  Date today;
  // The text in the language asked.
  std::string T(std::string_view mn, std::string_view en) const {
    return std::string(request.language == channel::Language::kEnglish ? en
                                                                       : mn);
  }
};

Result<Ctx> Open(store::Session& session, const SectionRequest& r) {
  auto& reg = session.Get<registry::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto h, reg.FindHousehold(r.who.household_id));
  if (!h || h->deactivated) {
    return Status::NotFound(
        "the household is not on the register / өрх бүртгэлд алга");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto all, reg.Members(h->id));
  Ctx c{session, r, std::move(*h), {}, session.clock().Today()};
  for (auto& p : all) {
    if (!p.deactivated) c.members.push_back(std::move(p));
  }
  return c;
}

json Member(const registry::Person& p) {
  return {{"register_no", p.register_no}, {"name", p.given_name}};
}

Result<json> Insurance(Ctx& c) {
  auto& ins = c.session.Get<insurance::Repository>();
  const params::ParameterSet& p = *c.request.parameters;
  store::AreaFilter area = c.session.Visible();
  json members = json::array();
  for (const auto& m : c.members) {
    json row = Member(m);
    for (auto scheme : {insurance::InsuranceScheme::kSocial,
                        insurance::InsuranceScheme::kHealth}) {
      MALCHIN_ASSIGN_OR_RETURN(
          insurance::Statement st,
          insurance::StatementFor(ins, p, area, m.register_no, scheme));
      row[std::string(insurance::InsuranceSchemeName(scheme))] = {
          {"months_covered", st.covered_months}, {"due", st.shortfall}};
    }
    members.push_back(row);
  }
  json out = {{"members", members},
              {"how_to_pay",
               json::array({c.T("Бэлнээр: сумын нийгмийн даатгалын "
                                "байцаагчид төлнө.",
                                "In cash: to the soum's social insurance "
                                "inspector."),
                            c.T("Хоршоогоор: хоршоо таны өмнөөс төлнө.",
                                "Through your cooperative: it pays for you."),
                            c.T("Малаар: хоршоо малыг тухайн үеийн үнээр "
                                "хүлээн авна.",
                                "In kind: the cooperative takes livestock at "
                                "the price of the day.")})}};
  auto pension = insurance::PensionInputFor(ins, p, area,
                                            c.request.who.register_no, c.today);
  if (pension.ok()) {
    MALCHIN_ASSIGN_OR_RETURN(auto pr,
                             insurance::ProjectPension(p, pension->input));
    out["pension"] = {{"eligible", pr.eligible},
                      {"retirement_date", pr.retirement_date.ToString()},
                      {"retirement_age", pr.retirement_age},
                      {"early_herder", pr.early_herder},
                      {"years_at_retirement", pr.years_at_retirement},
                      {"monthly_pension", pr.monthly_pension}};
  } else if (pension.status().code() != StatusCode::kNotFound) {
    return pension.status();
  }
  return out;
}

std::string_view StatusName(response::PaymentStatus s) {
  switch (s) {
    case response::PaymentStatus::kPaid:
      return "paid";
    case response::PaymentStatus::kFailed:
      return "failed";
    case response::PaymentStatus::kReturned:
      return "returned";
    case response::PaymentStatus::kPending:
      break;
  }
  return "pending";
}

std::string WhatToDo(const Ctx& c, response::PaymentStatus s) {
  switch (s) {
    case response::PaymentStatus::kFailed:
    case response::PaymentStatus::kReturned:
      return c.T(
          "Дансны дугаараа сумын нийгмийн ажилтанд шалгуулж, дахин "
          "шилжүүлэхийг хүснэ үү.",
          "Ask the soum social worker to check your account number "
          "and send the payment again.");
    case response::PaymentStatus::kPending:
      return c.T(
          "Шилжүүлэг хийгдэж байна; хэдэн өдрийн дараа дансаа "
          "шалгана уу.",
          "The transfer is on its way; check your account in a few "
          "days.");
    case response::PaymentStatus::kPaid:
      break;
  }
  return "";
}

// Each member's latest payment, newest first.
Result<std::vector<std::pair<const registry::Person*, response::LatestPayment>>>
Payments(Ctx& c) {
  auto& payments = c.session.Get<response::Repository>();
  std::vector<std::pair<const registry::Person*, response::LatestPayment>> out;
  for (const auto& m : c.members) {
    MALCHIN_ASSIGN_OR_RETURN(auto p, payments.LatestPaymentOf(m.register_no));
    if (p) out.push_back({&m, std::move(*p)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second.id > b.second.id;
  });
  return out;
}

// Every payment to the household's members (each member's newest
// kPerMember attempts), newest first, at most kShown: what was paid, held
// back, failed or returned, and what to do.
Result<json> PaymentsSection(Ctx& c) {
  constexpr int kPerMember = 12;
  constexpr size_t kShown = 20;
  auto& payments = c.session.Get<response::Repository>();
  std::vector<std::pair<const registry::Person*, response::LatestPayment>> all;
  for (const auto& m : c.members) {
    MALCHIN_ASSIGN_OR_RETURN(auto list,
                             payments.PaymentsOf(m.register_no, kPerMember));
    for (auto& p : list) all.push_back({&m, std::move(p)});
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second.id > b.second.id;
  });
  if (all.size() > kShown) all.resize(kShown);
  json items = json::array();
  for (const auto& [m, p] : all) {
    json j = Member(*m);
    j["programme"] = p.plan_name;
    j["installment"] = p.installment;
    j["amount"] = p.amount;
    j["status"] = StatusName(p.status);
    j["reason"] = p.reason;
    j["reported_on"] = p.reported_at.substr(0, 10);
    j["what_to_do"] = WhatToDo(c, p.status);
    items.push_back(j);
  }
  return json{{"payments", items}};
}

std::string SeverityText(const Ctx& c, response::Severity s) {
  switch (s) {
    case response::Severity::kLow:
      return c.T("Бага", "Low");
    case response::Severity::kMedium:
      return c.T("Дунд", "Medium");
    case response::Severity::kHigh:
      return c.T("Өндөр", "High");
    case response::Severity::kVeryHigh:
      break;
  }
  return c.T("Маш өндөр", "Very high");
}

// The events declared for the soum and the household's plans: what applies
// to it, how much per installment and for whom.
Result<json> EventsAndPlans(Ctx& c, int32_t soum) {
  auto& response = c.session.Get<response::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto events, response.EventsOfSoum(soum, 5));
  json ev = json::array();
  for (const auto& e : events) {
    ev.push_back({{"code", e.code},
                  {"name", e.name},
                  {"type", e.type},
                  {"declared_on", e.declared_on.ToString()},
                  {"severity_text", SeverityText(c, e.severity)}});
  }
  std::map<std::string, json> plans;  // By plan code.
  for (const auto& m : c.members) {
    MALCHIN_ASSIGN_OR_RETURN(auto list, response.EntitlementsOf(m.register_no));
    for (const auto& e : list) {
      json& p = plans[e.plan_code];
      if (p.is_null()) {
        p = {{"code", e.plan_code},
             {"name", e.plan_name},
             {"event", e.event_code},
             {"approved", e.approved},
             {"installments", e.installments},
             {"from", e.starts_on.ToString()},
             {"to", e.ends_on.ToString()},
             {"amount", 0},
             {"members", json::array()}};
      }
      p["amount"] = p["amount"].get<int64_t>() + e.amount;
      p["members"].push_back(m.given_name);
    }
  }
  json pl = json::array();
  for (auto& [code, p] : plans) pl.push_back(std::move(p));
  return json{{"events", ev}, {"plans", pl}};
}

std::string LevelText(const Ctx& c, const std::string& level) {
  if (level == "low") return c.T("Бага", "Low");
  if (level == "medium") return c.T("Дунд", "Medium");
  if (level == "high") return c.T("Өндөр", "High");
  return c.T("Маш өндөр", "Very high");
}

Result<json> Dzud(Ctx& c) {
  int32_t soum = c.household.current_soum_code ? c.household.current_soum_code
                                               : c.household.soum_code;
  std::vector<RiskRow> rows;
  MALCHIN_RETURN_IF_ERROR(c.session.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(
        rows, c.session.Get<Repository>().RiskOf(soum, c.today.ToString(), 6));
    return Status::Ok();
  }));
  json history = json::array();
  for (const auto& r : rows) {
    history.push_back({{"date", r.on},
                       {"level", r.level},
                       {"level_text", LevelText(c, r.level)},
                       {"source", r.source}});
  }
  json out = {{"soum_code", soum}, {"history", history}};
  out["current"] = history.empty() ? json(nullptr) : history[0];
  MALCHIN_ASSIGN_OR_RETURN(json applies, EventsAndPlans(c, soum));
  out["events"] = std::move(applies["events"]);
  out["plans"] = std::move(applies["plans"]);
  if (!rows.empty() &&
      (rows[0].level == "high" || rows[0].level == "very_high")) {
    out["alert"] =
        c.T("Зудын эрсдэл өндөр байна: өвс тэжээлээ нөөцлөх, "
            "малаа хамгаалах арга хэмжээ авна уу.",
            "Dzud risk is high: build up hay and fodder and "
            "protect your livestock.");
  }
  return out;
}

Result<json> Prices(Ctx& c) {
  MALCHIN_ASSIGN_OR_RETURN(auto table, EffectivePrices(c.session));
  int32_t aimag = c.household.soum_code / 100;
  json items = json::array();
  for (const std::string& item : table->Items()) {
    auto price = table->PriceOf(item, aimag, c.today);
    if (!price.ok()) continue;  // Not in force yet.
    items.push_back({{"item", item},
                     {"unit", prices::UnitName(price->unit)},
                     {"price", price->unit_price},
                     {"from", price->from.ToString()},
                     {"aimag", price->aimag_code},
                     {"source", price->source}});
  }
  json herd = json::array();
  int64_t total = 0;
  for (int s = 0; s < registry::kSpeciesCount; ++s) {
    auto species = static_cast<registry::Species>(s);
    int32_t head = c.household.herd[species];
    if (head <= 0) continue;
    std::string item(registry::SpeciesName(species));
    auto v = table->Value(item, head, aimag, c.today);
    if (!v.ok()) continue;
    total += v->amount;
    herd.push_back({{"item", item}, {"head", head}, {"value", v->amount}});
  }
  return json{{"aimag_code", aimag},
              {"on", c.today.ToString()},
              {"prices", items},
              {"herd", herd},
              {"herd_value", total}};
}

std::string Masked(const std::string& account) {
  if (account.size() <= 4) return account;
  return std::string(account.size() - 4, '*') +
         account.substr(account.size() - 4);
}

Result<json> Bank(Ctx& c) {
  MALCHIN_ASSIGN_OR_RETURN(auto list, Payments(c));
  json accounts = json::array();
  for (const auto& m : c.members) {
    if (m.bank_account.empty()) continue;
    json a = Member(m);
    a["account"] = Masked(m.bank_account);
    for (const auto& [who, p] : list) {
      if (who != &m) continue;
      a["latest"] = {{"programme", p.plan_name},
                     {"amount", p.amount},
                     {"status", StatusName(p.status)},
                     {"what_to_do", WhatToDo(c, p.status)}};
    }
    accounts.push_back(a);
  }
  return json{{"accounts", accounts}};
}

Result<json> Services(Ctx& c) {
  MALCHIN_ASSIGN_OR_RETURN(auto trainings, coop::Trainings(c.session));
  json open = json::array();
  for (const auto& t : trainings) {
    if (t.ends_on < c.today) continue;
    if (t.soum_code != c.household.soum_code &&
        t.soum_code != c.household.current_soum_code) {
      continue;
    }
    open.push_back({{"code", t.code},
                    {"topic", coop::TrainingTopicName(t.topic)},
                    {"title", t.title},
                    {"place", t.place},
                    {"starts_on", t.starts_on.ToString()},
                    {"ends_on", t.ends_on.ToString()}});
  }
  return json{
      {"trainings", open},
      {"cooperative", c.household.cooperative},
      {"complaint",
       {{"url", "/#/complain"},
        {"text", c.T("Санал, гомдлоо энд илгээнэ үү. Нэрээ нууцлах боломжтой.",
                     "Send a complaint or suggestion here; you may stay "
                     "anonymous.")}}}};
}

}  // namespace

Result<json> Section(store::Session& session, std::string_view name,
                     const SectionRequest& request) {
  MALCHIN_ASSIGN_OR_RETURN(Ctx c, Open(session, request));
  if (name == "insurance") return Insurance(c);
  if (name == "payments") return PaymentsSection(c);
  if (name == "dzud") return Dzud(c);
  if (name == "prices") return Prices(c);
  if (name == "bank") return Bank(c);
  if (name == "services") return Services(c);
  return Status::NotFound(
      "section '" + std::string(name.substr(0, 32)) +
      "': expected insurance, payments, dzud, prices, bank or services");
}

Result<json> Overview(store::Session& session, const SectionRequest& request) {
  MALCHIN_ASSIGN_OR_RETURN(Ctx c, Open(session, request));
  json members = json::array();
  for (const auto& m : c.members) members.push_back(Member(m));
  return json{{"household_id", c.household.id},
              {"soum_code", c.household.soum_code},
              {"register_no", request.who.register_no},
              {"members", members}};
}

}  // namespace malchin::herder
