// Outreach lists: which uninsured herders a soum officer should visit
// first, and why.
//
// Candidates are active herders of working age (18 up to the normal pension
// age) not covered by `scheme` in the reference month. Their priority
// (higher first) adds up, each part with its reason:
//   + up to 40 for youth (40 at 18, falling linearly to 0 at pension age):
//     the young ignore pensions until shown the calculation;
//   + 30 if within 3 years below a contribution threshold (10 years for a
//     pension, 20 for herders' early retirement, the herding years of early
//     retirement), counting service credits and ledger months;
//   + 20 if no adult of the household is covered by any scheme;
//   + 10 if not health-insured either;
//   - 15 if they refused at an earlier visit (more than `refused_pause_days`
//     ago); those who refused more recently are left out;
//   - 10 if not found at a visit in the last `not_found_days` (try another
//     season), and left out if enrolled in the last `enrolled_days` (their
//     first payment is pending).
// Ties break by age (younger first), then register number.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "insurance/repository.h"
#include "params/parameters.h"

namespace malchin::insurance {

struct OutreachOptions {
  insurance::InsuranceScheme scheme = insurance::InsuranceScheme::kSocial;
  Date as_of;  // Ages and visit windows; the reference month is as_of's.
  int refused_pause_days = 180;
  int not_found_days = 60;
  int enrolled_days = 90;
  size_t limit = 0;  // 0: everyone.
};

struct OutreachItem {
  uint32_t person = 0;  // Snapshot index.
  int score = 0;
  int age = 0;
  double contribution_years = 0;
  std::vector<std::string> reasons_en;
  std::vector<std::string> reasons_mn;
};

struct OutreachList {
  std::vector<OutreachItem> items;  // By priority.
  int64_t candidates = 0;           // Before the limit.
  int64_t skipped_recent_refusal = 0;
  int64_t skipped_recent_enrolment = 0;
};

// `snap` should include everyone of the area (herders_only = false), so
// that "no insured adult in the household" sees non-herding adults too.
Result<OutreachList> BuildOutreachList(const params::ParameterSet& p,
                                       const insurance::InsuranceSnapshot& snap,
                                       const OutreachOptions& options);

// The list as CSV (RFC 4180, header first), one row per item in priority
// order: rank, score, register_no, name, sex, age, contribution_years, bag,
// household_id, phone (the person's, else the household's), lat, lon,
// reasons (Mongolian if `mn`, else English; "; "-separated), last_visit_on
// and last_visit_outcome (empty if never visited). The printable and
// shareable form of the list, for the CLI and the API alike.
// REQUIRES: `snap` was loaded with names and `list` built from it.
std::string OutreachCsv(const insurance::InsuranceSnapshot& snap,
                        const OutreachList& list, bool mn);

}  // namespace malchin::insurance
