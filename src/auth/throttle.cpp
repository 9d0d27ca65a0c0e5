#include "auth/throttle.h"

#include <algorithm>

namespace malchin::auth {

namespace {

std::string PairKey(std::string_view account, std::string_view address) {
  std::string key(account);
  key += '\n';  // Neither a user name nor an address holds a newline.
  key += address;
  return key;
}

}  // namespace

std::chrono::seconds LoginThrottle::Wait(const Counter& c, int free,
                                         std::chrono::seconds max,
                                         Clock::time_point now) const {
  if (now - c.last > policy_.forget_after) return std::chrono::seconds(0);
  int over = c.failures - free + 1;  // The (free+1)th attempt waits.
  if (over <= 0) return std::chrono::seconds(0);
  int shift = std::min(over - 1, 30);
  auto delay = std::min(policy_.base_delay * (int64_t{1} << shift), max);
  auto ready = c.last + delay;
  if (ready <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(ready - now);
}

bool LoginThrottle::Knows(const Account& a, std::string_view address,
                          Clock::time_point now) const {
  for (const auto& [known, when] : a.known) {
    if (known == address && now - when <= policy_.remember_address) {
      return true;
    }
  }
  return false;
}

// The map's entry for `key`, made if missing; when the map is full, the
// stalest entry makes room.
template <class V>
V& LoginThrottle::Slot(std::unordered_map<std::string, V>& map, std::string key,
                       Clock::time_point now) {
  auto it = map.find(key);
  if (it != map.end()) return it->second;
  if (map.size() >= policy_.max_entries && !map.empty()) {
    auto stalest = std::min_element(map.begin(), map.end(),
                                    [](const auto& a, const auto& b) {
                                      return a.second.last < b.second.last;
                                    });
    map.erase(stalest);
  }
  V& v = map[std::move(key)];
  v.last = now;
  return v;
}

void LoginThrottle::Count(Counter& c, Clock::time_point now) const {
  if (now - c.last > policy_.forget_after) c.failures = 0;
  c.failures++;
  c.last = now;
}

LoginThrottle::Admission LoginThrottle::Admit(std::string_view account,
                                              std::string_view address,
                                              Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  Counter& pair = Slot(pairs_, PairKey(account, address), now);
  Counter& from = Slot(addresses_, std::string(address), now);
  Account& acc = Slot(accounts_, std::string(account), now);
  Admission a;
  a.counted_for_account = !Knows(acc, address, now);
  a.retry_after = std::max(
      Wait(pair, policy_.free_failures_per_pair, policy_.max_delay, now),
      Wait(from, policy_.free_failures_per_address, policy_.max_delay, now));
  if (a.counted_for_account) {
    a.retry_after = std::max(a.retry_after,
                             Wait(acc.fresh, policy_.free_failures_per_account,
                                  policy_.max_account_delay, now));
  }
  acc.last = now;
  if (a.retry_after.count() > 0) {
    acc.failed.refused++;
    acc.failed.last = now;
    acc.failed.last_address = std::string(address);
    return a;
  }
  Count(pair, now);
  Count(from, now);
  if (a.counted_for_account) Count(acc.fresh, now);
  return a;
}

void LoginThrottle::Failed(std::string_view account, std::string_view address,
                           Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  Account& acc = Slot(accounts_, std::string(account), now);
  acc.failed.failed++;
  acc.failed.last = now;
  acc.failed.last_address = std::string(address);
}

FailedLogins LoginThrottle::Succeeded(std::string_view account,
                                      std::string_view address,
                                      const Admission& admission,
                                      Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  pairs_.erase(PairKey(account, address));
  if (auto it = addresses_.find(std::string(address)); it != addresses_.end()) {
    it->second.failures = std::max(0, it->second.failures - 1);
  }
  Account& acc = Slot(accounts_, std::string(account), now);
  if (admission.counted_for_account) {
    acc.fresh.failures = std::max(0, acc.fresh.failures - 1);
  }
  auto known = std::find_if(acc.known.begin(), acc.known.end(),
                            [&](const auto& k) { return k.first == address; });
  if (known != acc.known.end()) {
    known->second = now;
  } else {
    if (acc.known.size() >= policy_.max_known_addresses) {
      acc.known.erase(std::min_element(
          acc.known.begin(), acc.known.end(),
          [](const auto& a, const auto& b) { return a.second < b.second; }));
    }
    acc.known.emplace_back(std::string(address), now);
  }
  acc.last = now;
  FailedLogins seen = std::move(acc.failed);
  acc.failed = FailedLogins();
  return seen;
}

}  // namespace malchin::auth
