// Money arithmetic of the rule language: rounding amount formulas to whole
// tögrög and sharing a household cap.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "rules/rule.h"

namespace malchin::rules {

// Largest amount one beneficiary can be paid under one rule (MNT 1e12);
// larger results are treated as unknown.
inline constexpr int64_t kMaxAmount = 1'000'000'000'000;

// An amount formula's value as whole MNT. Formulas are computed in double
// precision; the value is first rounded to 6 decimal places (so that
// 20000 * 1.15 or 30 * 0.15 land on their decimal value, not a binary
// neighbour), then to the nearest whole tögrög, halves away from zero.
// Negative results become 0. Unknown (nullopt) if the value is unknown
// (NaN: a missing value or a division by zero) or above kMaxAmount.
std::optional<int64_t> RoundMoney(double value);

// One eligible member of a household, for cap sharing.
struct Claim {
  int32_t person = 0;
  int32_t birth_days = 0;  // Date::days(); later = younger.
  int64_t amount = 0;      // Uncapped, >= 0.
};

// Applies `cap` to the claims of one household in place (see CapOrder).
// Leaves them unchanged if their total is within the cap. Afterwards the
// amounts sum to min(total, cap), no amount grows, and the result depends
// only on the claims, not their order. REQUIRES: cap > 0, amounts in
// [0, kMaxAmount].
void ApplyCap(std::vector<Claim>& claims, int64_t cap, CapOrder order);

}  // namespace malchin::rules
