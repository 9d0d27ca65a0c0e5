#include "response/follow_up.h"

#include <map>

#include "core/text.h"
#include "csv/csv.h"

namespace malchin::response {
namespace {

std::string SoumName(const geo::Geography& geo, int32_t code) {
  const geo::Unit* u = geo.Find(code);
  return u ? u->name_mn + " / " + u->name_en : std::to_string(code);
}

std::string Thousands(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
    s.insert(static_cast<size_t>(i), ",");
  }
  return s;
}

// "hold confirmed by checker 2020-01-10" or "".
std::string ActionText(const FollowUpItem& i) {
  if (!i.last_action) return "";
  const PaymentAction& a = *i.last_action;
  std::string by = a.decided_by.empty() ? a.requested_by : a.decided_by;
  std::string at = (a.decided_at.empty() ? a.requested_at : a.decided_at);
  return std::string(Name(a.kind)) + " " + std::string(Name(a.status)) + " (" +
         by + ", " + at.substr(0, 10) + ")";
}

}  // namespace

std::string_view SituationMn(FollowUpReason r) {
  switch (r) {
    case FollowUpReason::kNoAccount:
      return "Данс байхгүй тул илгээгээгүй";
    case FollowUpReason::kFailed:
      return "Банк шилжүүлж чадаагүй";
    case FollowUpReason::kReturned:
      return "Банк буцаасан";
    case FollowUpReason::kHeld:
      return "Түр зогсоосон";
    case FollowUpReason::kFlagged:
      return "Бүртгэлээс хасагдсан: шийдвэр хүлээж буй";
    case FollowUpReason::kAwaiting:
      return "Хоёр дахь ажилтны баталгаа хүлээж буй";
    case FollowUpReason::kCancelled:
      return "Цуцалсан";
    case FollowUpReason::kToReissue:
      return "Дараагийн файлаар дахин илгээнэ";
  }
  return "";
}

std::string_view SituationEn(FollowUpReason r) {
  switch (r) {
    case FollowUpReason::kNoAccount:
      return "Not sent: no usable account";
    case FollowUpReason::kFailed:
      return "Failed at the bank";
    case FollowUpReason::kReturned:
      return "Returned by the bank";
    case FollowUpReason::kHeld:
      return "Held";
    case FollowUpReason::kFlagged:
      return "Deactivated since approval: awaiting a decision";
    case FollowUpReason::kAwaiting:
      return "Awaiting a second officer";
    case FollowUpReason::kCancelled:
      return "Cancelled";
    case FollowUpReason::kToReissue:
      return "To be re-issued in the next file";
  }
  return "";
}

std::string FollowUpCsv(const std::vector<FollowUpItem>& items,
                        const geo::Geography& geo) {
  std::string out;
  csv::AppendRow(
      &out, {"soum_code", "soum", "household_id", "register_no", "name",
             "payee_register_no", "payee", "phone", "account", "amount",
             "situation", "situation_mn", "situation_en", "detail", "attempts",
             "action", "action_status", "action_by", "action_at"});
  for (const FollowUpItem& i : items) {
    const geo::Unit* u = geo.Find(i.soum_code);
    const PaymentAction* a = i.last_action ? &*i.last_action : nullptr;
    std::string by =
        a ? (a->decided_by.empty() ? a->requested_by : a->decided_by) : "";
    std::string at =
        a ? (a->decided_at.empty() ? a->requested_at : a->decided_at) : "";
    csv::AppendRow(
        &out, {std::to_string(i.soum_code), u ? u->name_en : "", i.household_id,
               i.register_no, i.name, i.payee_register_no, i.payee_name,
               i.phone, i.account, std::to_string(i.amount), Name(i.reason),
               SituationMn(i.reason), SituationEn(i.reason), i.detail,
               std::to_string(i.attempts), a ? Name(a->kind) : "",
               a ? Name(a->status) : "", by, at});
  }
  return out;
}

std::string FollowUpHtml(const std::vector<FollowUpItem>& items,
                         std::string_view title, const geo::Geography& geo) {
  std::map<int32_t, std::vector<const FollowUpItem*>> by_soum;
  for (const FollowUpItem& i : items) by_soum[i.soum_code].push_back(&i);
  std::string t = text::EscapeXml(title);
  std::string h =
      "<!doctype html>\n<html lang=\"mn\"><head><meta charset=\"utf-8\">"
      "<title>Хянах жагсаалт / Follow-up list " +
      t +
      "</title><style>body{font:11pt sans-serif;margin:1.5cm}"
      "table{border-collapse:collapse;width:100%;margin-bottom:1em}"
      "th,td{border:1px solid #444;padding:3px 5px;vertical-align:top}"
      "th{background:#eee}td.n{text-align:right}td.done{width:12em}"
      "@media print{h2{page-break-before:auto}tr{page-break-inside:avoid}}"
      "</style></head><body>\n<h1>Хянах жагсаалт / Follow-up list: " +
      t + "</h1>\n<p>" + std::to_string(items.size()) +
      " төлбөр / payment(s)</p>\n";
  for (const auto& [soum, rows] : by_soum) {
    h += "<h2>" + text::EscapeXml(SoumName(geo, soum)) + " (" +
         std::to_string(soum) + "): " + std::to_string(rows.size()) +
         "</h2>\n<table><tr><th>Өрх / Household</th><th>Хүлээн авагч / "
         "Beneficiary</th><th>Авах хүн / Payee</th><th>Утас / Phone</th>"
         "<th>Дүн / MNT</th><th>Байдал / Situation</th><th>Авсан арга хэмжээ / "
         "Action taken</th><th>Хийсэн зүйл / Done</th></tr>\n";
    for (const FollowUpItem* i : rows) {
      h += "<tr><td>" + text::EscapeXml(i->household_id) + "</td><td>" +
           text::EscapeXml(i->name) + "<br>" + text::EscapeXml(i->register_no) +
           "</td><td>" + text::EscapeXml(i->payee_name) + "<br>" +
           text::EscapeXml(i->payee_register_no) +
           (i->account.empty() ? "" : "<br>" + text::EscapeXml(i->account)) +
           "</td><td>" + text::EscapeXml(i->phone) + "</td><td class=\"n\">" +
           Thousands(i->amount) + "</td><td>" +
           text::EscapeXml(SituationMn(i->reason)) + " / " +
           text::EscapeXml(SituationEn(i->reason)) +
           (i->detail.empty()
                ? ""
                : "<br><i>" + text::EscapeXml(i->detail) + "</i>") +
           "</td><td>" + text::EscapeXml(ActionText(*i)) +
           "</td><td class=\"done\"></td></tr>\n";
    }
    h += "</table>\n";
  }
  return h + "</body></html>\n";
}

}  // namespace malchin::response
