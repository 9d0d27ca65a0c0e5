// A problem found in outside input (an XLSForm, a KoBoToolbox export): where
// it is, what was found and what was expected. Problems are collected, not
// returned one at a time, so a field team fixes a whole file at once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace malchin::pdm {

struct Problem {
  enum class Severity : uint8_t {
    kError,    // the value (or the whole submission, see kobo.h) is not used
    kWarning,  // used, but worth a look (e.g. a column the form lacks)
  };
  Severity severity = Severity::kError;
  std::string file;
  size_t line = 0;    // CSV line or spreadsheet row (1-based); 0: none
  std::string uuid;   // the submission's _uuid, when known
  std::string field;  // question name, column, or sheet.column
  std::string value;  // what was found (may be empty)
  std::string expected;

  // "file line 12 (_uuid abc) field 'amount': 'x' is not valid; expected
  // an integer".
  std::string Message() const;
};

// True if any problem is an error.
bool HasErrors(const std::vector<Problem>& problems);

}  // namespace malchin::pdm
