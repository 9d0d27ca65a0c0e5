// The PDM report (pdm/monitoring.h Report) as text, JSON and CSV tables:
// what the CLI prints and writes and the API sends. Headings and the
// follow-up reasons in Mongolian and English.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "pdm/monitoring.h"

namespace malchin::pdm {

// A plain-text report: response by stratum, the estimates of the domain
// "all" (every domain when `all_domains`), the cases to follow up.
std::string ReportText(const Report& report, bool all_domains);

// {"sample": {...}, "response": {...}, "strata": [...], "unrepresented":
//  [...], "estimates": [...], "follow_up": [...]}; a NaN SE is null.
std::string ReportJson(const Report& report);

// RFC 4180 CSV, header first:
// stratum,population,selected,responded,replacements_interviewed,
//   response_rate,weight
std::string StrataCsv(const Report& report);
// domain,indicator,respondents,population,value,se,ci_low,ci_high
std::string EstimatesCsv(const Report& report);
// reason,beneficiary_id,payee_id,soum_code,uuid,bank_status,bank_amount,
//   reported_amount
std::string FollowUpCsv(const Report& report);

}  // namespace malchin::pdm
