#include "auth/throttle.h"

#include <algorithm>

namespace malchin::auth {

std::chrono::seconds LoginThrottle::Wait(const Entry& e, int free,
                                         Clock::time_point now) {
  if (now - e.last > policy_.forget_after) return std::chrono::seconds(0);
  int over = e.failures - free;
  if (over <= 0) return std::chrono::seconds(0);
  int shift = std::min(over - 1, 30);
  auto delay = std::min(
      policy_.base_delay * (int64_t{1} << shift),
      std::chrono::duration_cast<std::chrono::seconds>(policy_.max_delay));
  auto ready = e.last + delay;
  if (ready <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(ready - now);
}

std::chrono::seconds LoginThrottle::RetryAfter(std::string_view account,
                                               std::string_view address,
                                               Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  std::chrono::seconds wait(0);
  if (auto it = accounts_.find(std::string(account)); it != accounts_.end()) {
    wait = std::max(wait, Wait(it->second, policy_.free_failures, now));
  }
  if (auto it = addresses_.find(std::string(address)); it != addresses_.end()) {
    wait = std::max(wait,
                    Wait(it->second, policy_.free_failures_per_address, now));
  }
  return wait;
}

void LoginThrottle::Bump(std::unordered_map<std::string, Entry>& map,
                         std::string_view key, Clock::time_point now) {
  if (map.size() >= policy_.max_entries &&
      map.find(std::string(key)) == map.end()) {
    // Drop forgotten entries; if none, the stalest one.
    for (auto it = map.begin(); it != map.end();) {
      it = now - it->second.last > policy_.forget_after ? map.erase(it)
                                                        : std::next(it);
    }
    if (map.size() >= policy_.max_entries) {
      auto oldest = std::min_element(map.begin(), map.end(),
                                     [](const auto& a, const auto& b) {
                                       return a.second.last < b.second.last;
                                     });
      map.erase(oldest);
    }
  }
  Entry& e = map[std::string(key)];
  if (now - e.last > policy_.forget_after) e.failures = 0;
  e.failures++;
  e.last = now;
}

void LoginThrottle::RecordFailure(std::string_view account,
                                  std::string_view address,
                                  Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  Bump(accounts_, account, now);
  Bump(addresses_, address, now);
}

void LoginThrottle::RecordSuccess(std::string_view account) {
  std::lock_guard<std::mutex> lock(mu_);
  accounts_.erase(std::string(account));
}

}  // namespace malchin::auth
