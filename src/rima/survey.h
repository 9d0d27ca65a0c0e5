// Survey import for RIMA-II: a KoBoToolbox-style CSV export (one row per
// household, header row, any column order) read through a ModelSpec into
// the pillar variables and food-security indicators, transformed and
// oriented.
//
// Missing data (spec §4.4, §11): a value that is empty, "NA" or "N/A" is
// missing. A household is dropped only when one of the MODEL's columns is
// missing (not for blanks elsewhere, unlike FAO's tool); every drop is
// reported with its line, id and the columns that were blank.
// Errors (kInvalidArgument, all rows checked, every message naming the
// file, line, column, value and what was expected): spec columns absent
// from the header, non-numeric values, values outside a transform's domain
// (log needs > 0, log1p > -1), a zero divisor, an empty or repeated id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "rima/matrix.h"
#include "rima/spec.h"

namespace malchin::rima {

struct DroppedHousehold {
  size_t line = 0;
  std::string id;
  std::vector<std::string> missing_columns;
};

struct SurveyData {
  std::string file;
  size_t rows = 0;               // Data rows read (dropped included).
  std::vector<std::string> ids;  // Kept households, in file order.
  std::vector<size_t> lines;     // Their lines in the file.
  // profiles[k][i]: household i's value of spec.profiles[k] ("" if blank).
  std::vector<std::vector<std::string>> profiles;
  std::vector<Matrix> pillars;  // Per spec pillar: n x p, transformed.
  Matrix food_security;         // n x m, transformed (not standardised).
  std::vector<DroppedHousehold> dropped;
  // Blank model values by column (a household may count in several).
  std::vector<std::pair<std::string, int64_t>> missing_by_column;
  std::vector<std::string> warnings;  // E.g. profile columns not found.
};

struct SurveyOptions {
  size_t max_errors = 50;  // Messages listed before "... and N more".
};

Result<SurveyData> ReadSurvey(std::string_view file_name, std::string_view data,
                              const ModelSpec& spec,
                              const SurveyOptions& options = {});
Result<SurveyData> LoadSurvey(const std::string& path, const ModelSpec& spec,
                              const SurveyOptions& options = {});

}  // namespace malchin::rima
