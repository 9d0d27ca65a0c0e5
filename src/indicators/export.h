// Exports of indicator values: DHIS2 dataValueSets JSON and ADX XML through
// a mapping kept as data (data/dhis2_mapping.json: data element UIDs per
// indicator, category option combo UIDs per sex and sex x age band, org
// unit UIDs per nation, aimag and soum; the shipped UIDs are PLACEHOLDERS
// the ministry replaces), and CSV.
//
// What goes out for one value: its area's org unit; for an indicator whose
// data element has category_combo "sex_age_band", the sex x age band cells
// (each with its category option combo); for "default", the total with the
// default combo. Values are plain decimal numbers (at most 2 decimals).
//
// Thread-safety: pure functions and immutable values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "indicators/value.h"

namespace malchin::indicators {

struct DataElement {
  std::string uid;
  std::string category_combo;  // "sex_age_band" | "default"
};

struct Dhis2Mapping {
  bool placeholder = true;
  std::string data_set;
  std::map<std::string, std::string> adx_categories;  // sex -> SEX, ...
  std::map<std::string, DataElement> data_elements;   // by indicator code
  // "default", "F", "M", "F|18-29", ...
  std::map<std::string, std::string> category_option_combos;
  std::map<std::string, std::string> org_units;  // "0", "181", "18140"
};

// Whether `uid` has DHIS2's UID shape: 11 characters, a letter then
// letters or digits.
bool IsDhis2Uid(std::string_view uid);

// Parses and checks a mapping file: every UID has the shape, every
// category combo is known (InvalidArgument naming the file, the key and
// the value, in Mongolian and English).
Result<Dhis2Mapping> ParseDhis2Mapping(std::string_view file,
                                       std::string_view text);
// The shipped mapping (placeholders).
const Dhis2Mapping& EmbeddedDhis2Mapping();

// NotFound (bilingual) when an indicator, an area or a category option
// combo the values need is not in the mapping.
Result<std::string> ExportDataValueSets(const Dhis2Mapping& m,
                                        const std::vector<IndicatorValue>& v);
// `exported` is the ISO 8601 time written in the adx element.
Result<std::string> ExportAdx(const Dhis2Mapping& m,
                              const std::vector<IndicatorValue>& v,
                              std::string_view exported);
// indicator,period,area,reference_date,unit,disaggregation,numerator,
// denominator,value: one line per cell (disaggregation "" for the total,
// else "sex=F;age_band=18-29").
std::string ExportCsv(const std::vector<IndicatorValue>& v);

// A value as DHIS2 and the CSV write it: "15", "14.25".
std::string FormatValue(double value);

}  // namespace malchin::indicators
