// A number of bytes shared by all connections (request bodies in memory, or
// spooled to disk), taken and given back without a lock.
//
// TryTake(n) takes n bytes if that keeps the total within the capacity and
// says whether it did; nothing is taken when it refuses. Give(n) returns
// bytes taken before. The running total lives in `used` (a gauge others may
// read, e.g. http::ServerState).
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>

namespace malchin::net {

class ByteBudget {
 public:
  // REQUIRES: `used` outlives the budget; capacity >= 0.
  ByteBudget(std::atomic<int64_t>* used, int64_t capacity)
      : used_(used), capacity_(capacity) {}

  // REQUIRES: n >= 0.
  bool TryTake(int64_t n) {
    int64_t now = used_->load();
    do {
      if (n > capacity_ - now) return false;
    } while (!used_->compare_exchange_weak(now, now + n));
    return true;
  }
  // REQUIRES: n bytes were taken and not yet given back.
  void Give(int64_t n) { used_->fetch_sub(n); }

  int64_t capacity() const { return capacity_; }

 private:
  std::atomic<int64_t>* used_;
  int64_t capacity_;
};

}  // namespace malchin::net
