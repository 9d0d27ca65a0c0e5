// Date: a calendar date (proleptic Gregorian), with no time and no zone.
//
// Stored as days since 1970-01-01, so comparisons and differences are integer
// arithmetic and a Date fits in 4 bytes. Valid range: 1900-01-01..2199-12-31.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin {

class Date {
 public:
  Date() = default;  // 1970-01-01.

  // REQUIRES: a real calendar day (use Make to validate user input).
  static Date FromYmd(int year, int month, int day);
  static Date FromDays(int32_t days) { return Date(days); }

  // Validates a year/month/day triple; error names the part that is wrong.
  static Result<Date> Make(int year, int month, int day);
  // Parses exactly "YYYY-MM-DD". Error message says what was expected.
  static Result<Date> Parse(std::string_view text);
  // Today's date in UTC (the one place that reads the clock for dates).
  static Date TodayUtc();

  int year() const;
  int month() const;
  int day() const;
  int32_t days() const { return days_; }

  // "YYYY-MM-DD".
  std::string ToString() const;

  // Whole years completed on `on` (a person born on 29 Feb turns a year older
  // on 1 Mar in common years). Negative if `on` is before *this.
  int AgeOn(Date on) const;
  // Same day-of-month `months` later, clamped to the month's last day.
  Date AddMonths(int months) const;
  Date AddDays(int n) const { return Date(days_ + n); }

  static bool IsLeapYear(int year);
  static int DaysInMonth(int year, int month);

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace malchin
