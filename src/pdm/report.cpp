// The PDM report as text, JSON and CSV (pdm/report.h).
#include "pdm/report.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "csv/csv.h"

namespace malchin::pdm {
namespace {

using nlohmann::json;

std::string Num(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

json NumJson(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

std::string_view ReasonCode(BankMismatch::Reason r) {
  switch (r) {
    case BankMismatch::Reason::kPaidButNothingReceived:
      return "paid_but_nothing_received";
    case BankMismatch::Reason::kPaidButLessReceived:
      return "paid_but_less_received";
    case BankMismatch::Reason::kNotPaidButReceived:
      return "not_paid_but_received";
  }
  return "";
}

std::string_view BankName(BankStatus s) {
  switch (s) {
    case BankStatus::kPaid:
      return "paid";
    case BankStatus::kFailed:
      return "failed";
    case BankStatus::kReturned:
      return "returned";
    case BankStatus::kPending:
      return "pending";
  }
  return "";
}

std::string CsvTable(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  std::vector<std::string_view> h(header.begin(), header.end());
  csv::AppendRow(&out, h);
  for (const auto& r : rows) {
    std::vector<std::string_view> f(r.begin(), r.end());
    csv::AppendRow(&out, f);
  }
  return out;
}

void TextResponse(const Report& r, std::string* out) {
  const Findings& f = r.findings;
  *out += "PDM sample " + std::to_string(r.sample.id) + " (" +
          r.sample.plan_code + " installment " +
          std::to_string(r.sample.installment) + ")\n";
  *out += "Хариу өгөлт / response: " + std::to_string(f.responded) + " of " +
          std::to_string(f.selected) + " selected (" +
          Num(100 * f.response_rate) + "%), replacements interviewed " +
          std::to_string(f.replacements_interviewed) + "\n";
  *out += "stratum\tN\tselected\tresponded\tweight\n";
  for (const StratumResponse& s : f.strata) {
    *out += s.stratum + "\t" + std::to_string(s.population) + "\t" +
            std::to_string(s.selected) + "\t" + std::to_string(s.responded) +
            "\t" + Num(s.weight) + "\n";
  }
  for (const std::string& u : f.unrepresented) {
    *out += "not represented (хариулагчгүй давхарга): " + u + "\n";
  }
}

}  // namespace

std::string ReportText(const Report& r, bool all_domains, Lang lang) {
  std::string out;
  TextResponse(r, &out);
  out +=
      "\nҮр дүн / estimates (weighted; " + Num(100 * r.confidence) + "% CI)\n";
  out += "domain\tindicator\tn\tvalue\tse\tci_low\tci_high\n";
  for (const Estimate& e : r.findings.estimates) {
    if (!all_domains && e.domain != "all") continue;
    out += e.domain + "\t" + e.indicator + "\t" +
           std::to_string(e.respondents) + "\t" + Num(e.value) + "\t" +
           Num(e.se) + "\t" + Num(e.ci_low) + "\t" + Num(e.ci_high) + "\n";
  }
  out += "\nДахин шалгах / follow up (bank vs respondent): " +
         std::to_string(r.follow_up.size()) + "\n";
  for (const BankMismatch& m : r.follow_up) out += m.Describe(lang) + "\n";
  return out;
}

// The estimate's words in `lang`, or its code when the form has none.
std::string Label(const Estimate& e, Lang lang) {
  auto it = e.label.find(lang == Lang::kMn ? "mn" : "en");
  return it == e.label.end() || it->second.empty() ? e.indicator : it->second;
}

std::string ReportJson(const Report& r, Lang lang) {
  const Findings& f = r.findings;
  json strata = json::array(), estimates = json::array(),
       follow = json::array();
  for (const StratumResponse& s : f.strata) {
    strata.push_back({{"stratum", s.stratum},
                      {"population", s.population},
                      {"selected", s.selected},
                      {"responded", s.responded},
                      {"replacements_interviewed", s.replacements_interviewed},
                      {"response_rate", NumJson(s.response_rate)},
                      {"weight", NumJson(s.weight)}});
  }
  for (const Estimate& e : f.estimates) {
    estimates.push_back({{"domain", e.domain},
                         {"indicator", e.indicator},
                         {"label", Label(e, lang)},
                         {"respondents", e.respondents},
                         {"population", NumJson(e.population)},
                         {"value", NumJson(e.value)},
                         {"se", NumJson(e.se)},
                         {"ci_low", NumJson(e.ci_low)},
                         {"ci_high", NumJson(e.ci_high)}});
  }
  for (const BankMismatch& m : r.follow_up) {
    follow.push_back({{"reason", ReasonCode(m.reason)},
                      {"beneficiary_id", m.beneficiary_id},
                      {"payee_id", m.payee_id},
                      {"soum_code", m.soum_code},
                      {"uuid", m.uuid},
                      {"bank_status", BankName(m.bank_status)},
                      {"bank_amount", m.bank_amount},
                      {"reported_amount", m.reported_amount},
                      {"reason_text", ReasonText(m.reason, lang)},
                      {"text", m.Describe(lang)}});
  }
  json j = {{"sample",
             {{"id", r.sample.id},
              {"plan", r.sample.plan_code},
              {"installment", r.sample.installment},
              {"status", Name(r.sample.status)}}},
            {"confidence", r.confidence},
            {"response",
             {{"selected", f.selected},
              {"responded", f.responded},
              {"replacements_interviewed", f.replacements_interviewed},
              {"response_rate", NumJson(f.response_rate)},
              {"submissions", r.submissions}}},
            {"strata", strata},
            {"unrepresented", f.unrepresented},
            {"estimates", estimates},
            {"follow_up", follow}};
  return j.dump(1);
}

std::string StrataCsv(const Report& r) {
  std::vector<std::vector<std::string>> rows;
  for (const StratumResponse& s : r.findings.strata) {
    rows.push_back({s.stratum, std::to_string(s.population),
                    std::to_string(s.selected), std::to_string(s.responded),
                    std::to_string(s.replacements_interviewed),
                    Num(s.response_rate), Num(s.weight)});
  }
  return CsvTable({"stratum", "population", "selected", "responded",
                   "replacements_interviewed", "response_rate", "weight"},
                  rows);
}

std::string EstimatesCsv(const Report& r) {
  std::vector<std::vector<std::string>> rows;
  for (const Estimate& e : r.findings.estimates) {
    rows.push_back({e.domain, e.indicator, std::to_string(e.respondents),
                    Num(e.population), Num(e.value), Num(e.se), Num(e.ci_low),
                    Num(e.ci_high)});
  }
  return CsvTable({"domain", "indicator", "respondents", "population", "value",
                   "se", "ci_low", "ci_high"},
                  rows);
}

std::string FollowUpCsv(const Report& r, Lang lang) {
  std::vector<std::vector<std::string>> rows;
  for (const BankMismatch& m : r.follow_up) {
    rows.push_back({std::string(ReasonCode(m.reason)), m.beneficiary_id,
                    m.payee_id, std::to_string(m.soum_code), m.uuid,
                    std::string(BankName(m.bank_status)),
                    std::to_string(m.bank_amount),
                    std::to_string(m.reported_amount), m.Describe(lang)});
  }
  return CsvTable({"reason", "beneficiary_id", "payee_id", "soum_code", "uuid",
                   "bank_status", "bank_amount", "reported_amount", "text"},
                  rows);
}

namespace {

std::string_view BankText(BankStatus s, Lang lang) {
  if (lang == Lang::kEn) return BankName(s);
  switch (s) {
    case BankStatus::kPaid:
      return "олгосон";
    case BankStatus::kFailed:
      return "амжилтгүй";
    case BankStatus::kReturned:
      return "буцаагдсан";
    case BankStatus::kPending:
      return "хүлээгдэж буй";
  }
  return "";
}

Sheet FindingsSheet(const Report& r, Lang lang) {
  const bool mn = lang == Lang::kMn;
  const std::string level = Num(100 * r.confidence) + "%";
  Sheet s{mn ? "Үр дүн" : "Findings", {}, true};
  s.rows.push_back(
      mn ? std::vector<std::string>{"Хүрээ", "Үзүүлэлт", "Хариулагч (n)",
                                    "Хүн ам (жигнэсэн)", "Үнэлгээ",
                                    "Стандарт алдаа",
                                    "Итгэх интервал доод (" + level + ")",
                                    "Итгэх интервал дээд (" + level + ")"}
         : std::vector<std::string>{"Domain", "Indicator", "Respondents (n)",
                                    "Population (weighted)", "Estimate",
                                    "Standard error", "CI low (" + level + ")",
                                    "CI high (" + level + ")"});
  for (const Estimate& e : r.findings.estimates) {
    s.rows.push_back({e.domain, e.indicator, std::to_string(e.respondents),
                      Num(e.population), Num(e.value), Num(e.se), Num(e.ci_low),
                      Num(e.ci_high)});
  }
  return s;
}

Sheet ResponseSheet(const Report& r, Lang lang) {
  const bool mn = lang == Lang::kMn;
  const Findings& f = r.findings;
  Sheet s{mn ? "Хариу өгөлт" : "Response", {}, true};
  s.rows.push_back(
      mn ? std::vector<std::string>{"Давхарга", "Нийт (N)", "Сонгосон",
                                    "Хариулсан", "Орлуулагчаар ярилцсан",
                                    "Хариу өгөлтийн хувь", "Жин"}
         : std::vector<std::string>{"Stratum", "Population (N)", "Selected",
                                    "Responded", "Replacements interviewed",
                                    "Response rate", "Weight"});
  s.rows.push_back({mn ? "бүгд" : "all", "", std::to_string(f.selected),
                    std::to_string(f.responded),
                    std::to_string(f.replacements_interviewed),
                    Num(f.response_rate), ""});
  for (const StratumResponse& t : f.strata) {
    s.rows.push_back({t.stratum, std::to_string(t.population),
                      std::to_string(t.selected), std::to_string(t.responded),
                      std::to_string(t.replacements_interviewed),
                      Num(t.response_rate), Num(t.weight)});
  }
  return s;
}

Sheet FollowUpSheet(const Report& r, Lang lang) {
  const bool mn = lang == Lang::kMn;
  Sheet s{mn ? "Дахин шалгах" : "Follow-up", {}, true};
  s.rows.push_back(
      mn ? std::vector<std::string>{"Шалтгаан", "Өрх (хүлээн авагч)",
                                    "Мөнгө авагч", "Сум", "Судалгаа (_uuid)",
                                    "Банкны төлөв", "Банкны дүн (₮)",
                                    "Хэлсэн дүн (₮)", "Тайлбар"}
         : std::vector<std::string>{"Reason", "Beneficiary", "Payee", "Soum",
                                    "Submission (_uuid)", "Bank status",
                                    "Bank amount (MNT)",
                                    "Reported amount (MNT)", "Description"});
  for (const BankMismatch& m : r.follow_up) {
    s.rows.push_back(
        {std::string(ReasonText(m.reason, lang)), m.beneficiary_id, m.payee_id,
         std::to_string(m.soum_code), m.uuid,
         std::string(BankText(m.bank_status, lang)),
         std::to_string(m.bank_amount),
         m.reported_amount < 0 ? "" : std::to_string(m.reported_amount),
         m.Describe(lang)});
  }
  return s;
}

}  // namespace

Workbook ReportWorkbook(const Report& r, Lang lang) {
  return Workbook{
      {FindingsSheet(r, lang), ResponseSheet(r, lang), FollowUpSheet(r, lang)}};
}

Status WriteReportXlsx(const Report& r, Lang lang, const std::string& path) {
  return WriteXlsx(ReportWorkbook(r, lang), path);
}

}  // namespace malchin::pdm
