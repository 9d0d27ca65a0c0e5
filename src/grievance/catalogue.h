// The grievance catalogue: categories of complaints and the referral
// directory, both data the ministry extends without a new release.
//
// What ships with Malchin is src/grievance/data/categories.json and
// referral_directory.json, embedded in the binary. The ministry's additions
// (loaded from a file of the same format, or added one by one) live in the
// database (grievance::Repository) and win over a shipped entry with the
// same code. Nothing is ever deleted: an entry is made inactive, so old
// cases keep their meaning. A sensitive category makes its cases
// confidential.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"

namespace malchin::grievance {

struct Category {
  std::string code;  // 2-40 of a-z, 0-9, _.
  std::string name_mn, name_en;
  std::string description_mn, description_en;
  bool sensitive = false;
  bool active = true;
  std::string source;  // "shipped", or the file or user that added it.
  bool operator==(const Category&) const = default;
};

// The kinds of service a directory entry may be.
inline constexpr std::string_view kServiceKinds[] = {
    "one_stop_centre", "hotline",   "police",         "health",
    "shelter",         "legal_aid", "social_welfare", "child_protection"};

struct ReferralService {
  std::string code;       // 2-40 of a-z, 0-9, _.
  std::string kind;       // One of kServiceKinds.
  int32_t area_code = 0;  // 0 national, an aimag or a soum/district code.
  std::string name_mn, name_en;
  std::string phone;  // As dialled ("102", "70112233"), or empty if unknown.
  std::string hours;
  std::string address_mn, address_en;
  std::string note_mn, note_en;
  std::string source;      // Where the entry comes from.
  std::string confidence;  // "high", "medium" or "low".
  bool verified = false;   // Checked by the ministry (by calling it).
  bool active = true;
  bool operator==(const ReferralService&) const = default;
};

// Parses a categories file (the format of data/categories.json). Errors are
// InvalidArgument naming `source`, the line, the code and the field.
Result<std::vector<Category>> ParseCategories(std::string_view json,
                                              std::string_view source);
// Parses a directory file (the format of data/referral_directory.json);
// area codes must be 0 or known to `geo`. Errors as ParseCategories.
Result<std::vector<ReferralService>> ParseDirectory(std::string_view json,
                                                    std::string_view source,
                                                    const geo::Geography& geo);

// The shipped entries (parsed once; an error is a defect of the release).
Result<std::vector<Category>> ShippedCategories();
Result<std::vector<ReferralService>> ShippedDirectory(
    const geo::Geography& geo);

// Checks one entry as ParseCategories / ParseDirectory would.
Status CheckCategory(const Category& c);
Status CheckService(const ReferralService& s, const geo::Geography& geo);

// `shipped` with `stored` laid over it by code, sorted by code.
std::vector<Category> MergeCategories(std::vector<Category> shipped,
                                      const std::vector<Category>& stored);
std::vector<ReferralService> MergeDirectory(
    std::vector<ReferralService> shipped,
    const std::vector<ReferralService>& stored);

// The active services a case in `soum_code` can be referred to: national
// ones, its aimag's and its soum's, national first, then by kind and code.
std::vector<ReferralService> ServicesFor(
    const std::vector<ReferralService>& directory, int32_t soum_code);

// The category with `code`, or null.
const Category* FindCategory(const std::vector<Category>& all,
                             std::string_view code);

}  // namespace malchin::grievance
