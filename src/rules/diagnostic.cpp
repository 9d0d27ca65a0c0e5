#include "rules/diagnostic.h"

#include <algorithm>

namespace malchin::rules {
namespace {

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Number of UTF-8 characters in `s` (bytes that do not continue one).
int CharCount(std::string_view s) {
  return static_cast<int>(std::count_if(
      s.begin(), s.end(), [](char c) { return !IsContinuation(c); }));
}

constexpr size_t kMaxExcerptBytes = 120;

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = source_name + ":" + std::to_string(line) + ":" +
                    std::to_string(column) + ": " + message;
  if (!excerpt.empty()) out += "\n" + excerpt;
  return out;
}

Diagnostic MakeDiagnostic(std::string_view source_name, std::string_view source,
                          size_t offset, std::string message) {
  Diagnostic d;
  d.source_name = std::string(source_name);
  d.message = std::move(message);
  offset = std::min(offset, source.size());
  d.offset = offset;
  size_t line_start = 0;
  int line = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  size_t line_end = source.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = source.size();
  d.line = line;
  d.column = 1 + CharCount(source.substr(line_start, offset - line_start));

  // Show at most kMaxExcerptBytes around the column, cut at character
  // boundaries, with "..." where text was left out.
  size_t from = line_start, to = line_end;
  if (to - from > kMaxExcerptBytes) {
    from = offset > kMaxExcerptBytes / 2 ? offset - kMaxExcerptBytes / 2
                                         : line_start;
    from = std::max(from, line_start);
    to = std::min(line_end, from + kMaxExcerptBytes);
    while (from > line_start && IsContinuation(source[from])) --from;
    while (to < line_end && IsContinuation(source[to])) ++to;
  }
  std::string prefix = from > line_start ? "..." : "";
  std::string suffix = to < line_end ? "..." : "";
  std::string_view shown = source.substr(from, to - from);
  std::string caret(2 + prefix.size(), ' ');
  // Keep tabs so the caret lines up under a tab-indented line.
  for (char c : source.substr(from, offset - from)) {
    if (IsContinuation(c)) continue;
    caret += c == '\t' ? '\t' : ' ';
  }
  caret += '^';
  std::string text(shown);
  std::replace(text.begin(), text.end(), '\r', ' ');
  d.excerpt = "  " + prefix + text + suffix + "\n" + caret;
  return d;
}

}  // namespace malchin::rules
