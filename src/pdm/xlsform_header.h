// Internal to pdm: reading an XLSForm sheet's header row (shared by the
// validator and FormFromWorkbook).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace malchin::pdm::internal {

// A header row: base column name -> language as spelled ("" for an
// untranslated column) -> column index. "list name" is read as list_name.
struct SheetHeader {
  std::map<std::string, std::map<std::string, size_t>, std::less<>> columns;
  // The languages of the label columns, in column order (spelled, e.g.
  // "Mongolian (mn)"); "" for a plain `label` column.
  std::vector<std::string> label_languages;
  // Headers as written that have a leading or trailing space.
  std::vector<std::string> padded;

  static SheetHeader Parse(const std::vector<std::string>& row);
  // The untranslated column `base`, or -1.
  int Index(std::string_view base) const;
  bool Has(std::string_view base) const { return columns.count(base) > 0; }
};

// "Mongolian (mn)" -> name "Mongolian", code "mn". False if not so spelled
// (code: 2-3 lower-case letters, optionally -subtags).
bool SplitLanguage(std::string_view spelled, std::string* name,
                   std::string* code);

// The XLSForm question types pyxform knows besides those form.h names.
bool IsKnownOtherType(std::string_view type);

// The ${name} references in an expression, scanned textually.
std::vector<std::string> ScanReferences(std::string_view expression);

// True if `name` follows the NCName rule of S4 (xlsform.h).
bool IsNcName(std::string_view name);

}  // namespace malchin::pdm::internal
