// Slowing down password guessing without locking the owner out.
//
// Three budgets of failed attempts: `free` attempts pass at once, then each
// further one waits, after the latest, a delay that doubles with every
// further failure (from base_delay):
//   - per account and address pair: free_failures_per_pair, then up to
//     max_delay. The owner typing a wrong password slows only themselves.
//   - per address, over all accounts (one address trying many names):
//     free_failures_per_address, then up to max_delay.
//   - per account, over the addresses it has NOT logged in from (guesses
//     spread over many addresses): free_failures_per_account, then up to
//     max_account_delay, kept short: it is a slower path for a new address,
//     never a lock. Addresses the account logged in from (the last
//     max_known_addresses of them, for remember_address) are outside this
//     budget, so guesses from elsewhere never slow the owner there.
// An attempt is counted when it is admitted, before the password is
// checked, so parallel attempts cannot exceed a budget; a success takes
// its own count back and clears its pair. Failures are forgotten after
// forget_after without one. Each account also keeps the failed and refused
// attempts since its last successful login, which that login reports.
// Memory is bounded: at most max_entries keys per kind (stalest dropped).
// Time is what the caller passes (an injectable clock).
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace malchin::auth {

struct ThrottlePolicy {
  int free_failures_per_pair = 3;
  int free_failures_per_address = 20;
  int free_failures_per_account = 10;
  std::chrono::seconds base_delay{1};
  std::chrono::seconds max_delay{15 * 60};
  std::chrono::seconds max_account_delay{30};
  std::chrono::seconds forget_after{60 * 60};
  std::chrono::seconds remember_address{90 * 24 * 3600};
  size_t max_known_addresses = 8;
  size_t max_entries = 100000;
};

// Failed logins of an account since its last successful one.
struct FailedLogins {
  int failed = 0;   // Wrong passwords checked.
  int refused = 0;  // Attempts refused by the throttle, unchecked.
  std::chrono::system_clock::time_point last;  // Of the latest (if any).
  std::string last_address;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::system_clock;
  explicit LoginThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

  struct Admission {
    std::chrono::seconds retry_after{0};  // > 0: refused, wait this long.
    bool counted_for_account = false;     // From an address not known.
  };
  // Admits an attempt on `account` from `address` now, counting it as a
  // failure until Succeeded() says otherwise, or refuses it (retry_after >
  // 0; nothing counted but `refused`). Atomic: of N parallel attempts, no
  // more are admitted than the budgets allow.
  Admission Admit(std::string_view account, std::string_view address,
                  Clock::time_point now);
  // The admitted attempt's password was wrong.
  void Failed(std::string_view account, std::string_view address,
              Clock::time_point now);
  // The admitted attempt succeeded: takes its count back, clears its pair,
  // remembers the address for the account and returns (and clears) the
  // failed logins since the previous success.
  FailedLogins Succeeded(std::string_view account, std::string_view address,
                         const Admission& admission, Clock::time_point now);

 private:
  struct Counter {
    int failures = 0;
    Clock::time_point last;
  };
  struct Account {
    Counter fresh;  // Failures from addresses not known.
    std::vector<std::pair<std::string, Clock::time_point>> known;
    FailedLogins failed;
    Clock::time_point last;
  };
  std::chrono::seconds Wait(const Counter& c, int free,
                            std::chrono::seconds max,
                            Clock::time_point now) const;
  bool Knows(const Account& a, std::string_view address,
             Clock::time_point now) const;
  template <class V>
  V& Slot(std::unordered_map<std::string, V>& map, std::string key,
          Clock::time_point now);
  void Count(Counter& c, Clock::time_point now) const;

  ThrottlePolicy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, Counter> pairs_;      // GUARDED_BY(mu_)
  std::unordered_map<std::string, Counter> addresses_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, Account> accounts_;   // GUARDED_BY(mu_)
};

}  // namespace malchin::auth
