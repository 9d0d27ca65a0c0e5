#include "indicators/value.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

namespace malchin::indicators {
namespace {

using nlohmann::json;
using Key = std::vector<std::pair<std::string, std::string>>;

double Round(double x, double scale) { return std::round(x * scale) / scale; }

double ValueOf(Unit unit, int64_t n, int64_t d) {
  switch (unit) {
    case Unit::kPercent:
      return d ? Round(100.0 * static_cast<double>(n) / static_cast<double>(d),
                       100)
               : 0.0;
    case Unit::kDays:
      return d ? Round(static_cast<double>(n) / static_cast<double>(d), 10)
               : 0.0;
    default:
      return static_cast<double>(n);
  }
}

Status BadPeriod(std::string_view text) {
  return Status::InvalidArgument(
      "үе '" + std::string(text) +
      "': 2020, 2020Q1, 2020-01 эсвэл 202001 хэлбэртэй байх ёстой / period '" +
      std::string(text) + "': expected 2020, 2020Q1, 2020-01 or 202001");
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<Period> Period::Parse(std::string_view text) {
  if (text.size() < 4 || !Digits(text.substr(0, 4))) return BadPeriod(text);
  Period p;
  p.year = std::stoi(std::string(text.substr(0, 4)));
  std::string_view rest = text.substr(4);
  if (rest.empty()) return p;
  if (rest.size() == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4') {
    p.kind = Kind::kQuarter;
    p.index = rest[1] - '0';
    return p;
  }
  if (!rest.empty() && rest[0] == '-') rest.remove_prefix(1);
  if (rest.size() != 2 || !Digits(rest)) return BadPeriod(text);
  p.kind = Kind::kMonth;
  p.index = std::stoi(std::string(rest));
  if (p.index < 1 || p.index > 12) return BadPeriod(text);
  return p;
}

Date Period::First() const {
  switch (kind) {
    case Kind::kMonth:
      return Date::FromYmd(year, index, 1);
    case Kind::kQuarter:
      return Date::FromYmd(year, 3 * index - 2, 1);
    case Kind::kYear:
      break;
  }
  return Date::FromYmd(year, 1, 1);
}

Date Period::Last() const {
  switch (kind) {
    case Kind::kMonth:
      return index == 12 ? Date::FromYmd(year, 12, 31)
                         : Date::FromYmd(year, index + 1, 1).AddDays(-1);
    case Kind::kQuarter:
      return index == 4 ? Date::FromYmd(year, 12, 31)
                        : Date::FromYmd(year, 3 * index + 1, 1).AddDays(-1);
    case Kind::kYear:
      break;
  }
  return Date::FromYmd(year, 12, 31);
}

std::string Period::Name() const {
  std::string y = std::to_string(year);
  switch (kind) {
    case Kind::kMonth:
      return y + (index < 10 ? "0" : "") + std::to_string(index);
    case Kind::kQuarter:
      return y + "Q" + std::to_string(index);
    case Kind::kYear:
      break;
  }
  return y;
}

const Cell* IndicatorValue::Find(const Key& by) const {
  for (const Cell& c : cells) {
    if (c.by == by) return &c;
  }
  return nullptr;
}

std::vector<Cell> Tally(Unit unit, const std::vector<Dimension>& dims,
                        const std::vector<Fact>& facts) {
  // Groups of dimension indexes: {}, {0}, {1}, ..., {0, 1}, {0, 2}, ...
  std::vector<std::vector<size_t>> groups = {{}};
  for (size_t i = 0; i < dims.size(); ++i) groups.push_back({i});
  for (size_t i = 0; i < dims.size(); ++i) {
    for (size_t j = i + 1; j < dims.size(); ++j) groups.push_back({i, j});
  }
  std::vector<Cell> out;
  for (const auto& group : groups) {
    std::map<Key, std::pair<int64_t, int64_t>> sums;
    if (group.empty()) sums[{}];  // The total exists even when empty.
    for (const Fact& f : facts) {
      Key key;
      for (size_t i : group) {
        key.emplace_back(std::string(DimensionName(dims[i])), f.keys[i]);
      }
      auto& s = sums[key];
      s.first += f.numerator;
      s.second += f.denominator;
    }
    for (const auto& [key, s] : sums) {
      out.push_back({key, s.first, s.second, ValueOf(unit, s.first, s.second)});
    }
  }
  return out;
}

std::string CellsJson(const std::vector<Cell>& cells) {
  json a = json::array();
  for (const Cell& c : cells) {
    json by = json::array();
    for (const auto& [d, v] : c.by) by.push_back({d, v});
    a.push_back({{"by", by},
                 {"numerator", c.numerator},
                 {"denominator", c.denominator},
                 {"value", c.value}});
  }
  return a.dump();
}

static Result<std::vector<Cell>> CellsFrom(std::string_view text) {
  json a = json::parse(text, nullptr, false);
  if (!a.is_array()) {
    return Status::InvalidArgument("values: expected a JSON array of cells");
  }
  std::vector<Cell> out;
  for (const json& c : a) {
    if (!c.is_object() || !c.contains("by") || !c["by"].is_array() ||
        !c.value("numerator", json()).is_number_integer() ||
        !c.value("denominator", json()).is_number_integer() ||
        !c.value("value", json()).is_number()) {
      return Status::InvalidArgument("values: cell " + c.dump() +
                                     ": expected by, numerator, denominator, "
                                     "value");
    }
    Cell cell;
    for (const json& p : c["by"]) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_string() ||
          !p[1].is_string()) {
        return Status::InvalidArgument("values: by " + p.dump() +
                                       ": expected [dimension, value]");
      }
      cell.by.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
    }
    cell.numerator = c["numerator"].get<int64_t>();
    cell.denominator = c["denominator"].get<int64_t>();
    cell.value = c["value"].get<double>();
    out.push_back(std::move(cell));
  }
  return out;
}

Result<std::vector<Cell>> ParseCellsJson(std::string_view text) {
  try {
    return CellsFrom(text);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("values: ") + e.what());
  }
}

}  // namespace malchin::indicators
