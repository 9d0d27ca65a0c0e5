// Internal to the exchange module: parsed rows and file writing helpers.
#pragma once

#include <string>
#include <vector>

#include "csv/csv.h"
#include "exchange/exchange.h"

namespace malchin::exchange::internal {

struct Row {
  size_t line = 0;
  std::vector<std::string> fields;  // Kept for the rejects file.
  std::vector<RowError> errors;
};

// Writes `content` to `path` through a temporary file and a rename, so
// readers never see a partial file.
Status WriteFileAtomically(const std::string& path, const std::string& content);

// Writes the rejected rows of both files (original columns plus `error`)
// and errors.csv / duplicates.csv into `dir`.
Status WriteRejects(const std::string& dir, const InputFile& hh_file,
                    const csv::Header& hh_header,
                    const std::vector<Row>& hh_rows, const InputFile& p_file,
                    const csv::Header& p_header, const std::vector<Row>& p_rows,
                    const ImportReport& report);

}  // namespace malchin::exchange::internal
