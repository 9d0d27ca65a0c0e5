// The PDM report (pdm/monitoring.h Report) as text, JSON, CSV tables and
// an .xlsx workbook: what the CLI prints and writes and the API sends.
// Headings and the follow-up reasons in Mongolian or English (`lang`).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "pdm/monitoring.h"
#include "pdm/xlsx.h"

namespace malchin::pdm {

// A plain-text report: response by stratum, the estimates of the domain
// "all" (every domain when `all_domains`), the cases to follow up.
std::string ReportText(const Report& report, bool all_domains,
                       Lang lang = Lang::kEn);

// {"sample": {...}, "response": {...}, "strata": [...], "unrepresented":
//  [...], "estimates": [...], "follow_up": [...]}; a NaN SE is null;
// "confidence" the intervals' level; each follow-up case has "reason" (a
// code), "reason_text" and "text" in `lang`.
std::string ReportJson(const Report& report, Lang lang = Lang::kEn);

// RFC 4180 CSV, header first:
// stratum,population,selected,responded,replacements_interviewed,
//   response_rate,weight
std::string StrataCsv(const Report& report);
// domain,indicator,respondents,population,value,se,ci_low,ci_high
std::string EstimatesCsv(const Report& report);
// reason,beneficiary_id,payee_id,soum_code,uuid,bank_status,bank_amount,
//   reported_amount,text   (text: Describe in `lang`)
std::string FollowUpCsv(const Report& report, Lang lang = Lang::kEn);

// The report as a workbook of three sheets, headers and sheet names in
// `lang`: the estimates of every domain (estimate, SE, interval at the
// report's level, n), the response (overall, then each stratum), the cases
// to follow up. Numbers are written as numbers.
//   kMn: "Үр дүн", "Хариу өгөлт", "Дахин шалгах"
//   kEn: "Findings", "Response", "Follow-up"
Workbook ReportWorkbook(const Report& report, Lang lang);
// ReportWorkbook written to `path` (pdm/xlsx.h WriteXlsx: whole or not at
// all). Internal if the file cannot be written.
Status WriteReportXlsx(const Report& report, Lang lang,
                       const std::string& path);

}  // namespace malchin::pdm
