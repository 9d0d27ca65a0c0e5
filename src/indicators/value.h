// An indicator's value for a period and an area: the total and its
// disaggregation table; periods (month, quarter, year) and their reference
// dates; the generic tally every computation feeds; the values as JSON (how
// they are frozen).
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "indicators/framework.h"

namespace malchin::indicators {

struct Period {
  enum class Kind { kMonth, kQuarter, kYear };
  Kind kind = Kind::kYear;
  int year = 2020;
  int index = 1;  // Month 1..12 or quarter 1..4; 1 for a year.

  // "2020", "2020Q1", "2020-01" or "202001". InvalidArgument (bilingual)
  // naming the text and the forms expected.
  static Result<Period> Parse(std::string_view text);
  Date First() const;
  // The reference date of every computation: the period's last day.
  Date Last() const;
  // DHIS2's period identifier: "2020", "2020Q1", "202001".
  std::string Name() const;
  bool operator==(const Period&) const = default;
};

// One figure: the total (by empty) or a disaggregation cell, e.g.
// {{"sex", "F"}, {"age_band", "30-44"}}. numerator/denominator are the
// counts behind a percent or a mean (denominator 0 for counts and sums).
struct Cell {
  std::vector<std::pair<std::string, std::string>> by;
  int64_t numerator = 0;
  int64_t denominator = 0;
  double value = 0;
  bool operator==(const Cell&) const = default;
};

struct IndicatorValue {
  std::string code;
  Period period;
  int32_t area = 0;  // 0 national, aimag or soum code.
  Date reference;
  Unit unit = Unit::kPersons;
  std::vector<Cell> cells;  // cells[0] is the total.
  const Cell* Find(
      const std::vector<std::pair<std::string, std::string>>& by) const;
};

// One unit counted by a computation (a person, a household, a case, or a
// group of them with weights): its value in each of the indicator's
// disaggregations (same order), what it adds to the numerator and to the
// denominator.
struct Fact {
  std::vector<std::string> keys;
  int64_t numerator = 0;
  int64_t denominator = 0;
};

// The table: the total first, then every single disaggregation, then
// every pair of them (e.g. sex x age band) in the indicator's order; cells
// sorted within each group. A cell's value: percent 100 * n / d (0 when d = 0,
// rounded to 2 decimals), days n / d (rounded to 1 decimal), otherwise n.
std::vector<Cell> Tally(Unit unit, const std::vector<Dimension>& dims,
                        const std::vector<Fact>& facts);

// The cells as canonical JSON: [{"by": {...}, "numerator", "denominator",
// "value"}, ...], and back (InvalidArgument naming the field).
std::string CellsJson(const std::vector<Cell>& cells);
Result<std::vector<Cell>> ParseCellsJson(std::string_view text);

}  // namespace malchin::indicators
