// Diagnostic: one problem found in a rule's text, with its position.
//
//   eligibility:1:13: expected an expression after 'and'
//     age < 6 and
//                 ^
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace malchin::rules {

struct Diagnostic {
  std::string source_name;  // "eligibility", "amount", ...
  int line = 1;             // 1-based.
  int column = 1;           // 1-based, in characters (not bytes).
  size_t offset = 0;        // Byte offset in the source.
  std::string message;      // Says what was expected.
  std::string excerpt;      // The source line, then a caret line.

  // "name:line:column: message\n" followed by the excerpt.
  std::string ToString() const;
};

// Builds a diagnostic for byte `offset` of `source` (clamped to its end).
// The column counts UTF-8 characters; the excerpt shows the whole line
// (shortened around the column if very long) and a caret under it.
Diagnostic MakeDiagnostic(std::string_view source_name, std::string_view source,
                          size_t offset, std::string message);

}  // namespace malchin::rules
