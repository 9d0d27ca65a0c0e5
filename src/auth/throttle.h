// Failed-login throttling with a growing delay, per account and per address.
//
// After `free_failures` consecutive failures for an account (or
// `free_failures_per_address` from one address), each further attempt must
// wait a delay that doubles with every failure, from `base_delay` up to
// `max_delay`. A success clears the account's count (not the address's).
// Failures are forgotten after `forget_after` without one. Memory is bounded:
// at most `max_entries` accounts and addresses are tracked (the stalest are
// dropped first).
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace malchin::auth {

struct ThrottlePolicy {
  int free_failures = 3;
  int free_failures_per_address = 20;
  std::chrono::seconds base_delay{1};
  std::chrono::seconds max_delay{15 * 60};
  std::chrono::seconds forget_after{60 * 60};
  size_t max_entries = 100000;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

  // How long the caller must still wait before trying `account` from
  // `address`; zero if it may try now.
  std::chrono::seconds RetryAfter(std::string_view account,
                                  std::string_view address,
                                  Clock::time_point now);
  void RecordFailure(std::string_view account, std::string_view address,
                     Clock::time_point now);
  void RecordSuccess(std::string_view account);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point last;
  };
  std::chrono::seconds Wait(const Entry& e, int free, Clock::time_point now);
  void Bump(std::unordered_map<std::string, Entry>& map, std::string_view key,
            Clock::time_point now);

  ThrottlePolicy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> accounts_;   // GUARDED_BY(mu_)
  std::unordered_map<std::string, Entry> addresses_;  // GUARDED_BY(mu_)
};

}  // namespace malchin::auth
