// The soum officer's follow-up list (Transfers::FollowUp) as a CSV file and
// as a printable page, the same for the CLI and the API.
//
// CSV (UTF-8, a header): soum_code, soum, household_id, register_no, name,
// payee_register_no, payee, phone, account, amount, situation (a
// FollowUpReason name), situation_mn, situation_en, detail, attempts,
// action, action_status, action_by, action_at.
//
// The page is one HTML document, headings in Mongolian and English, one
// table per soum with a line per payment and an empty column for what the
// officer did, to print and take to the bag.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "geo/geography.h"
#include "response/model.h"

namespace malchin::response {

// What a situation is called, in Mongolian and in English.
std::string_view SituationMn(FollowUpReason r);
std::string_view SituationEn(FollowUpReason r);

std::string FollowUpCsv(const std::vector<FollowUpItem>& items,
                        const geo::Geography& geo);

// `title`: e.g. "zavkhan-phase1 #1" (escaped here).
std::string FollowUpHtml(const std::vector<FollowUpItem>& items,
                         std::string_view title, const geo::Geography& geo);

}  // namespace malchin::response
