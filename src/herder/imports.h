// What the ministry imports for the herders' page: the dzud risk map by
// soum and date, and livestock and product prices by aimag and date.
//
// Risk CSV (header required, columns in any order):
//   soum_code,date,level,source
//   18140,2026-01-15,high,"NAMEM dzud risk map, January 2026"
// soum_code: a soum or district known to the geography; date: YYYY-MM-DD;
// level: low | medium | high | very_high; source: 1 to 200 characters.
//
// Price CSV: the columns of data/prices.csv (prices/price_table.h):
//   item,unit,aimag,from,price,source
// The imported rows are used in place of the embedded ones from their date
// (EffectivePrices): an imported row with the same item, aimag and date
// replaces the embedded one, and a later date takes over as usual.
//
// A bad file is refused whole: InvalidArgument whose message names the
// file, line, field, the value and what was expected, in English, " / ",
// then in Mongolian; nothing is written. An import writes all its rows in
// one transaction (a row for the same key as an earlier import replaces
// it) and is audited.
//
// Thread-safety: the parsers are pure; the rest like the session.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "herder/repository.h"
#include "prices/price_table.h"
#include "store/session.h"

namespace malchin::herder {

// Rows of a risk file (imported_by/at left empty). At most 100,000 rows.
Result<std::vector<RiskRow>> ParseRiskCsv(std::string_view file_name,
                                          std::string_view csv,
                                          const geo::Geography& geo);
// Rows of a price file (imported_by/at left empty), checked as
// PriceTable::Parse checks data/prices.csv. At most 100,000 rows.
Result<std::vector<PriceRow>> ParsePriceCsv(std::string_view file_name,
                                            std::string_view csv);

struct ImportSummary {
  int64_t rows = 0;
};
// Parse, then write in one transaction as the session's caller.
Result<ImportSummary> ImportRisk(store::Session& session,
                                 std::string_view file_name,
                                 std::string_view csv,
                                 const geo::Geography& geo);
Result<ImportSummary> ImportPrices(store::Session& session,
                                   std::string_view file_name,
                                   std::string_view csv);

// The embedded price table with the imported rows merged in (see above).
Result<std::shared_ptr<const prices::PriceTable>> EffectivePrices(
    store::Session& session);

}  // namespace malchin::herder
