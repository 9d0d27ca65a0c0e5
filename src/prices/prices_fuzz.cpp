// libFuzzer target: PriceTable::Parse on any bytes (build with
// -DMALCHIN_FUZZ=ON, clang). A table that parses must answer every lookup
// without crashing, and value a quantity of each of its items.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prices/price_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto table = malchin::prices::PriceTable::Parse("fuzz.csv", csv);
  if (!table.ok()) return 0;
  for (const std::string& item : (*table)->Items()) {
    for (const auto& row : (*table)->rows()) {
      auto v = (*table)->Value(item, 1, row.aimag_code, row.from);
      if (v.ok() && v->amount <= 0) __builtin_trap();
    }
  }
  return 0;
}
