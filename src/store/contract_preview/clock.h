// Clock: where Malchin reads the time. Production code asks a Clock, never
// the system directly, so tests move time with a FakeClock instead of
// sleeping.
//
//   FakeClock clock(Date::FromYmd(2020, 1, 15));
//   clock.Advance(std::chrono::hours(24 * 8));   // Eight days later.
//   clock.Today();                               // 2020-01-23.
//
// Thread-safety: every method of both clocks may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "core/date.h"

namespace malchin {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Today's calendar date in UTC.
  Date Today() const;
  // Now as "YYYY-MM-DDTHH:MM:SSZ" (UTC), the form stored everywhere.
  std::string NowIso() const;
};

// The real time.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  // The process-wide real clock.
  static const SystemClock& Instance();
};

// A clock that moves only when told. Starts at midnight UTC of `start`.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Date start);
  TimePoint Now() const override;
  void Set(TimePoint t);
  void Advance(std::chrono::system_clock::duration d);

 private:
  std::atomic<int64_t> micros_;
};

// "YYYY-MM-DDTHH:MM:SSZ" of a time point (UTC).
std::string IsoUtc(Clock::TimePoint t);

}  // namespace malchin
