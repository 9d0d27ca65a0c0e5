#include "core/clock.h"

#include <ctime>

namespace malchin {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

}  // namespace

Date Clock::Today() const {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                  Now().time_since_epoch())
                  .count();
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  return Date::FromDays(static_cast<int32_t>(days));
}

std::string Clock::NowIso() const { return IsoUtc(Now()); }

const SystemClock& SystemClock::Instance() {
  static const SystemClock kClock;
  return kClock;
}

FakeClock::FakeClock(Date start)
    : micros_(int64_t{start.days()} * kMicrosPerDay) {}

Clock::TimePoint FakeClock::Now() const {
  return TimePoint(std::chrono::microseconds(micros_.load()));
}

void FakeClock::Set(TimePoint t) {
  micros_.store(std::chrono::duration_cast<std::chrono::microseconds>(
                    t.time_since_epoch())
                    .count());
}

void FakeClock::Advance(std::chrono::system_clock::duration d) {
  micros_.fetch_add(
      std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

std::string IsoUtc(Clock::TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace malchin
