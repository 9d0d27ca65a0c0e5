#include "prices/price_table.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

#include "csv/csv.h"

namespace malchin::embedded {
extern const std::string_view kPricesCsv;
}

namespace malchin::prices {
namespace {

// Larger quantities or prices are typing mistakes, and keep the product far
// from int64's limit.
constexpr double kMaxQuantity = 1e6;
constexpr int64_t kMaxPrice = 10'000'000'000;

bool IsItemName(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// One parsed row; `where` is "file:line".
Result<Price> ParseRow(const std::string& where, const csv::Header& header,
                       const csv::Record& r) {
  auto field = [&](std::string_view name) -> std::string {
    int i = header.Index(name);
    return i >= 0 && i < static_cast<int>(r.fields.size()) ? r.fields[i] : "";
  };
  auto bad = [&](const char* column, const std::string& value,
                 const char* expected) {
    return Status::InvalidArgument(
        where + ": " + column + " '" + value + "': expected " + expected,
        column);
  };
  Price p;
  p.item = field("item");
  if (!IsItemName(p.item)) {
    return bad("item", p.item, "a lower-case name (a-z, 0-9, _)");
  }
  std::string unit = field("unit");
  if (unit == "head") {
    p.unit = Unit::kHead;
  } else if (unit == "kg") {
    p.unit = Unit::kKg;
  } else {
    return bad("unit", unit, "head or kg");
  }
  std::string aimag = field("aimag");
  auto code = ParseInt(aimag);
  if (!code || (*code != 0 && (*code < 100 || *code > 999))) {
    return bad("aimag", aimag, "0 (national) or a 3-digit aimag code");
  }
  p.aimag_code = static_cast<int32_t>(*code);
  std::string from = field("from");
  auto d = Date::Parse(from);
  if (!d.ok()) return bad("from", from, "a date YYYY-MM-DD");
  p.from = *d;
  std::string price = field("price");
  auto v = ParseInt(price);
  if (!v || *v <= 0 || *v > kMaxPrice) {
    return bad("price", price, "a whole number of MNT, at least 1");
  }
  p.unit_price = *v;
  p.source = field("source");
  if (p.source.empty()) return bad("source", "", "where the price comes from");
  return p;
}

}  // namespace

std::string_view UnitName(Unit u) { return u == Unit::kHead ? "head" : "kg"; }

Result<std::shared_ptr<const PriceTable>> PriceTable::Embedded() {
  return Parse("prices.csv", embedded::kPricesCsv);
}

Result<std::shared_ptr<const PriceTable>> PriceTable::Parse(
    std::string_view file_name, std::string_view data) {
  auto t = std::make_shared<PriceTable>();
  std::optional<csv::Header> header;
  std::map<std::tuple<std::string, int32_t, int32_t>, size_t> seen;
  Status st = csv::ReadRecords(
      file_name, data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make(
                  file_name, r,
                  {"item", "unit", "aimag", "from", "price", "source"}, {}));
          return Status::Ok();
        }
        const std::string where =
            std::string(file_name) + ":" + std::to_string(r.line);
        MALCHIN_ASSIGN_OR_RETURN(Price p, ParseRow(where, *header, r));
        auto [it, added] = t->units_.emplace(p.item, p.unit);
        if (!added && it->second != p.unit) {
          return Status::InvalidArgument(
              where + ": unit '" + std::string(UnitName(p.unit)) + "' of " +
                  p.item + ": expected " + std::string(UnitName(it->second)) +
                  " as in its earlier rows",
              "unit");
        }
        auto key = std::make_tuple(p.item, p.aimag_code, p.from.days());
        if (auto [s, fresh] = seen.emplace(key, r.line); !fresh) {
          return Status::InvalidArgument(
              where + ": " + p.item + " in aimag " +
                  std::to_string(p.aimag_code) + " from " + p.from.ToString() +
                  " repeats line " + std::to_string(s->second),
              "from");
        }
        t->rows_.push_back(std::move(p));
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (t->rows_.empty()) {
    return Status::InvalidArgument(std::string(file_name) + ": no price");
  }
  std::sort(t->rows_.begin(), t->rows_.end(),
            [](const Price& a, const Price& b) {
              return std::tie(a.item, a.aimag_code, a.from) <
                     std::tie(b.item, b.aimag_code, b.from);
            });
  return std::shared_ptr<const PriceTable>(std::move(t));
}

Result<Price> PriceTable::PriceOf(std::string_view item, int32_t aimag_code,
                                  Date on) const {
  if (!units_.contains(item)) {
    std::string known;
    for (const auto& [name, unit] : units_) {
      known += (known.empty() ? "" : ", ") + name;
    }
    return Status::NotFound("no price of '" + std::string(item) +
                            "'; the price table has " + known);
  }
  // The last row in force for the aimag, else for the nation.
  for (int32_t code : {aimag_code, 0}) {
    const Price* found = nullptr;
    for (const Price& p : rows_) {
      if (p.item == item && p.aimag_code == code && p.from <= on) found = &p;
    }
    if (found) return *found;
    if (code == 0) break;
  }
  return Status::FailedPrecondition("no price of " + std::string(item) +
                                    " is in force on " + on.ToString());
}

Result<Valuation> PriceTable::Value(std::string_view item, double quantity,
                                    int32_t aimag_code, Date on) const {
  MALCHIN_ASSIGN_OR_RETURN(Price p, PriceOf(item, aimag_code, on));
  const bool head = p.unit == Unit::kHead;
  if (!(quantity > 0) || quantity > kMaxQuantity ||
      (head && quantity != std::floor(quantity))) {
    return Status::InvalidArgument(
        "quantity " + std::to_string(quantity) + " of " + std::string(item) +
            ": expected " +
            (head ? "a whole number of head, at least 1"
                  : "a positive weight in kg") +
            ", at most 1,000,000",
        "quantity");
  }
  Valuation v;
  v.amount = std::llround(quantity * static_cast<double>(p.unit_price));
  v.quantity = quantity;
  v.price = std::move(p);
  return v;
}

std::vector<std::string> PriceTable::Items() const {
  std::vector<std::string> out;
  for (const auto& [name, unit] : units_) out.push_back(name);
  return out;
}

}  // namespace malchin::prices
