// RFC 4180 CSV reading and writing for Malchin's interchange files.
//
// Reading is strict: the input must be UTF-8 (a leading BOM is skipped),
// quotes must be balanced, and every field is bounded in size. Parsing is done
// by libcsv; this layer adds encoding checks, positions (physical line
// numbers) and header handling so that errors name the file, line, column,
// value and what was expected.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::csv {

struct ReadOptions {
  // A field longer than this is an error (protects against binary or
  // truncated files that make one "field" of the whole rest of the file).
  size_t max_field_bytes = 4096;
  // The field separator: ',' (RFC 4180) or another single byte such as ';'
  // (KoBoToolbox's current CSV export). Not '"' nor a line end.
  char delimiter = ',';
};

// One record as the reader delivers it. `line` is the 1-based physical line
// on which the record starts (the header is line 1).
struct Record {
  size_t line = 0;
  std::vector<std::string> fields;
};

// Reads `data` (the whole file content) and calls `on_record` for every
// record, header included, in order. Stops at the first error from the file
// itself (bad encoding, unbalanced quote, oversize field) and returns it;
// errors returned by `on_record` are also returned as they are. `file_name`
// is used in messages only. An empty file (or one with only a BOM) yields no
// record and is OK; callers decide whether that is an error.
Status ReadRecords(std::string_view file_name, std::string_view data,
                   const ReadOptions& options,
                   const std::function<Status(const Record&)>& on_record);

// ReadRecords for a file on disk, read in pieces of `chunk_bytes`, so memory
// stays bounded however large the file is. The same checks and messages as
// ReadRecords (an error's line and byte offset count from the file's start,
// after a BOM), except that encoding problems are found as the file is read:
// records before the bad byte have already been delivered. NotFound /
// Internal with the path named if it cannot be read.
Status ReadRecordsFromFile(
    const std::string& path, std::string_view file_name,
    const ReadOptions& options,
    const std::function<Status(const Record&)>& on_record,
    size_t chunk_bytes = 1 << 20);

// Reads a whole file into memory. NotFound / Internal with the path named.
Result<std::string> ReadFile(const std::string& path);

// A header row mapped to column positions, by name. Unknown names are kept
// as `extra` (callers warn about them); required names that are missing are
// an error listing all of them.
class Header {
 public:
  static Result<Header> Make(std::string_view file_name, const Record& header,
                             const std::vector<std::string>& required,
                             const std::vector<std::string>& optional);
  // Column index of `name`, or -1 if it is not present.
  int Index(std::string_view name) const;
  const std::vector<std::string>& extra() const { return extra_; }
  size_t width() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> extra_;
};

// Appends `value` to `out` quoted as RFC 4180 requires (only when needed).
void AppendField(std::string* out, std::string_view value);
// Appends a whole row (fields separated by commas, "\n" at the end).
void AppendRow(std::string* out, const std::vector<std::string_view>& fields);

}  // namespace malchin::csv
