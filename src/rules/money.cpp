#include "rules/money.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace malchin::rules {

std::optional<int64_t> RoundMoney(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  if (value <= 0) return 0;
  if (value > 2.0 * static_cast<double>(kMaxAmount)) return std::nullopt;
  double snapped = std::round(value * 1e6) / 1e6;
  double whole = std::round(snapped);  // Halves away from zero.
  if (whole > static_cast<double>(kMaxAmount)) return std::nullopt;
  return static_cast<int64_t>(whole);
}

void ApplyCap(std::vector<Claim>& claims, int64_t cap, CapOrder order) {
  int64_t total = 0;
  for (const Claim& c : claims) total += c.amount;
  if (total <= cap) return;
  // Youngest first; ties by person index, so the order of `claims` never
  // matters.
  std::vector<size_t> idx(claims.size());
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (claims[a].birth_days != claims[b].birth_days) {
      return claims[a].birth_days > claims[b].birth_days;
    }
    return claims[a].person < claims[b].person;
  });
  if (order == CapOrder::kYoungestFirst) {
    int64_t left = cap;
    for (size_t i : idx) {
      int64_t give = std::min(claims[i].amount, left);
      claims[i].amount = give;
      left -= give;
    }
    return;
  }
  // Proportional with largest remainders. Products reach 1e24: use 128 bits.
  std::vector<__int128> rem(claims.size());
  int64_t given = 0;
  for (size_t i = 0; i < claims.size(); ++i) {
    __int128 num = static_cast<__int128>(claims[i].amount) * cap;
    claims[i].amount = static_cast<int64_t>(num / total);
    rem[i] = num % total;
    given += claims[i].amount;
  }
  std::stable_sort(idx.begin(), idx.end(),
                   [&](size_t a, size_t b) { return rem[a] > rem[b]; });
  for (size_t k = 0; given < cap && k < idx.size(); ++k) {
    ++claims[idx[k]].amount;
    ++given;
  }
}

}  // namespace malchin::rules
