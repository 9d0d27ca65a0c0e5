// PriceTable: the dated prices of livestock and animal products, per aimag,
// at which things given in kind are valued in MNT (a cooperative member's
// contribution to the contingency fund of a sheep or a kilogram of
// cashmere; later the prices the herders' channel publishes).
//
// The table is a CSV file (data/prices.csv, embedded in the binary):
//
//   item,unit,aimag,from,price,source
//   sheep,head,0,2024-01-01,180000,"indicative market price ..."
//   cashmere,kg,181,2024-03-01,125000,"Zavkhan aimag market survey ..."
//
// - item: lower-case name (camel, horse, cattle, sheep, goat, sheep_wool,
//   camel_wool, cashmere, ...); unit: "head" (whole numbers) or "kg";
// - aimag: 0 for the national price, else a 3-digit aimag code whose own
//   price replaces the national one from its date;
// - from: the date the price takes effect; it stays in force until the next
//   row of the same item and aimag; price: integer MNT per unit; source:
//   where the price comes from (kept with every valuation).
//
// The price of an item in an aimag on a date is the aimag's own row in force
// then, else the national row in force then.
//
// Thread-safety: immutable once built; share freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace malchin::prices {

enum class Unit { kHead, kKg };
std::string_view UnitName(Unit u);  // "head" | "kg"

// One price in force.
struct Price {
  std::string item;
  Unit unit = Unit::kHead;
  int32_t aimag_code = 0;  // 0: the national price.
  Date from;               // When it took effect.
  int64_t unit_price = 0;  // MNT per head or kg.
  std::string source;
};

// What `quantity` of an item is worth on a date.
struct Valuation {
  Price price;
  double quantity = 0;
  int64_t amount = 0;  // MNT: quantity * unit_price, rounded half away
                       // from zero to a whole tögrög.
};

class PriceTable {
 public:
  // data/prices.csv as shipped.
  static Result<std::shared_ptr<const PriceTable>> Embedded();
  // Parses a table in the format above. InvalidArgument naming the file,
  // line, column, value and what was expected: a missing column, an unknown
  // unit, an aimag code that is not 0 or 3 digits, a bad date, a price that
  // is not a positive integer, an item whose unit differs between rows, or
  // two rows for the same item, aimag and date.
  static Result<std::shared_ptr<const PriceTable>> Parse(
      std::string_view file_name, std::string_view csv);

  // The price in force. NotFound for an unknown item (naming the known
  // ones); FailedPrecondition if no price of it is in force on that date.
  Result<Price> PriceOf(std::string_view item, int32_t aimag_code,
                        Date on) const;
  // PriceOf and the amount. InvalidArgument (field "quantity") unless the
  // quantity is positive, and a whole number for items counted by head.
  Result<Valuation> Value(std::string_view item, double quantity,
                          int32_t aimag_code, Date on) const;

  // Known items, sorted.
  std::vector<std::string> Items() const;
  // Every row, by item, aimag and date.
  const std::vector<Price>& rows() const { return rows_; }

 private:
  std::vector<Price> rows_;
  // item -> unit.
  std::map<std::string, Unit, std::less<>> units_;
};

}  // namespace malchin::prices
