#include "core/date.h"

#include <chrono>
#include <cstdio>

namespace malchin {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Ymd {
  int y;
  int m;
  int d;
};

Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

}  // namespace

bool Date::IsLeapYear(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int Date::DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) return 29;
  return kDays[m - 1];
}

Date Date::FromYmd(int year, int month, int day) {
  return Date(DaysFromCivil(year, static_cast<unsigned>(month),
                            static_cast<unsigned>(day)));
}

Result<Date> Date::Make(int year, int month, int day) {
  if (year < 1900 || year > 2199) {
    return Status::InvalidArgument("year " + std::to_string(year) +
                                   " is outside 1900..2199");
  }
  if (month < 1 || month > 12) {
    return Status::InvalidArgument("month " + std::to_string(month) +
                                   " is not 1..12");
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return Status::InvalidArgument(
        "day " + std::to_string(day) + " does not exist in " +
        std::to_string(year) + "-" + (month < 10 ? "0" : "") +
        std::to_string(month));
  }
  return FromYmd(year, month, day);
}

Result<Date> Date::Parse(std::string_view t) {
  auto digits = [&](size_t from, size_t n, int* out) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !digits(0, 4, &y) ||
      !digits(5, 2, &m) || !digits(8, 2, &d)) {
    return Status::InvalidArgument("'" + std::string(t) +
                                   "' is not a date of the form YYYY-MM-DD");
  }
  auto r = Make(y, m, d);
  if (!r.ok()) {
    return Status::InvalidArgument(
        "'" + std::string(t) + "' is not a real date: " + r.status().message());
  }
  return r;
}

Date Date::TodayUtc() {
  using namespace std::chrono;
  return Date(static_cast<int32_t>(
      std::chrono::floor<std::chrono::days>(system_clock::now())
          .time_since_epoch()
          .count()));
}

int Date::year() const { return CivilFromDays(days_).y; }
int Date::month() const { return CivilFromDays(days_).m; }
int Date::day() const { return CivilFromDays(days_).d; }

std::string Date::ToString() const {
  Ymd c = CivilFromDays(days_);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

int Date::AgeOn(Date on) const {
  Ymd b = CivilFromDays(days_);
  Ymd o = CivilFromDays(on.days_);
  int age = o.y - b.y;
  if (o.m < b.m || (o.m == b.m && o.d < b.d)) --age;
  return age;
}

Date Date::AddMonths(int months) const {
  Ymd c = CivilFromDays(days_);
  int total = c.y * 12 + (c.m - 1) + months;
  int y = total / 12;
  int m = total % 12 + 1;
  int d = std::min(c.d, DaysInMonth(y, m));
  return FromYmd(y, m, d);
}

}  // namespace malchin
