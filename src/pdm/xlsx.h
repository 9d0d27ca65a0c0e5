// Spreadsheets as grids of texts: enough of .xlsx for XLSForms.
//
// Writing uses libxlsxwriter; reading opens the zip with minizip and reads
// the workbook, relationships, shared strings and worksheet XML with libxml2
// (no network, no entity expansion). Every cell is read as text: shared and
// inline strings, numbers as written in the file ("3", "0.5"), booleans as
// "TRUE"/"FALSE", formulas as their cached value.
//
// Thread-safety: the functions may be called from several threads (libxml2
// is initialised once, on first use).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::pdm {

struct Sheet {
  std::string name;
  // rows[r][c] is the cell at spreadsheet row r + 1, column c + 1 ("" when
  // empty). Rows may be shorter than others; trailing empty rows are kept
  // only up to the last non-empty cell.
  std::vector<std::vector<std::string>> rows;
  // WriteXlsx: a cell that is wholly a decimal number ("12", "-0.5",
  // "1e-3") is written as a number, the others as text. Off for XLSForms.
  bool write_numbers = false;
  // The cell's text, or "" outside the grid.
  std::string_view Cell(size_t row, size_t column) const;
};

struct Workbook {
  std::vector<Sheet> sheets;                       // in the workbook's order
  const Sheet* Find(std::string_view name) const;  // nullptr if absent
};

// Writes `workbook` to `path` (all cells as strings), through a temporary
// file renamed over `path`, so a failure leaves no half-written file.
// InvalidArgument for a sheet name Excel refuses (empty, over 31
// characters, repeated, or with []:*?/\); Internal if the file cannot be
// written.
Status WriteXlsx(const Workbook& workbook, const std::string& path);

// Reads every sheet of the .xlsx at `path`. NotFound if the file does not
// exist; InvalidArgument naming the file and the part (e.g.
// xl/worksheets/sheet1.xml) if it is not a readable .xlsx. Parts larger
// than 64 MB uncompressed are refused (a zip bomb guard).
Result<Workbook> ReadXlsx(const std::string& path);

// The XML parts on their own (the fuzz target and ReadXlsx use them).
// `part` names the part in messages.
Result<std::vector<std::string>> ParseSharedStrings(std::string_view part,
                                                    std::string_view xml);
Result<std::vector<std::vector<std::string>>> ParseWorksheet(
    std::string_view part, std::string_view xml,
    const std::vector<std::string>& shared_strings);

}  // namespace malchin::pdm
