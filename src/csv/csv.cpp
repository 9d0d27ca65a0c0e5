#include "csv/csv.h"

#include <csv.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/text.h"

namespace malchin::csv {
namespace {

struct ParseState {
  std::string_view file_name;
  const ReadOptions* options;
  const std::function<Status(const Record&)>* on_record;
  Record current;
  size_t line = 1;  // Physical line where the next record starts.
  size_t newlines_in_record = 0;
  int last_terminator = 0;
  Status status;  // First error; parsing stops once set.
};

void OnField(void* data, size_t len, void* p) {
  auto* st = static_cast<ParseState*>(p);
  if (!st->status.ok()) return;
  if (len > st->options->max_field_bytes) {
    st->status = Status::InvalidArgument(
        std::string(st->file_name) + " line " + std::to_string(st->line) +
        ", column " + std::to_string(st->current.fields.size() + 1) +
        ": field of " + std::to_string(len) + " bytes is longer than the " +
        std::to_string(st->options->max_field_bytes) +
        " allowed (an unclosed quote or a binary file?)");
    return;
  }
  const char* s = static_cast<const char*>(data);
  st->newlines_in_record += std::count(s, s + len, '\n');
  st->current.fields.emplace_back(s, len);
}

void OnRecord(int terminator, void* p) {
  auto* st = static_cast<ParseState*>(p);
  if (!st->status.ok()) return;
  // With CSV_REPALL_NL every line end outside a record is reported as an
  // empty record: the LF of a CRLF, or a blank line. Count lines, skip them.
  bool crlf_tail = terminator == '\n' && st->last_terminator == '\r';
  st->last_terminator = terminator;
  if (st->current.fields.empty()) {
    if (!crlf_tail && terminator != -1) ++st->line;
    return;
  }
  st->current.line = st->line;
  st->line += 1 + st->newlines_in_record;
  st->newlines_in_record = 0;
  st->status = (*st->on_record)(st->current);
  st->current.fields.clear();
}

std::string LineOfOffset(std::string_view data, size_t offset) {
  return std::to_string(1 +
                        std::count(data.begin(), data.begin() + offset, '\n'));
}

}  // namespace

Status ReadRecords(std::string_view file_name, std::string_view data,
                   const ReadOptions& options,
                   const std::function<Status(const Record&)>& on_record) {
  if (data.size() >= 3 && data.substr(0, 3) == "\xEF\xBB\xBF") {
    data.remove_prefix(3);
  }
  if (auto bad = text::FindInvalidUtf8(data)) {
    return Status::InvalidArgument(
        std::string(file_name) + " line " + LineOfOffset(data, *bad) +
        ": the file is not UTF-8 (invalid byte at offset " +
        std::to_string(*bad) +
        "); save it as UTF-8 (a CP1251/Windows Cyrillic file must be "
        "converted, e.g. iconv -f CP1251 -t UTF-8)");
  }
  if (data.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument(std::string(file_name) +
                                   ": the file contains NUL bytes; expected a "
                                   "text CSV file");
  }
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                            CSV_REPALL_NL) != 0) {
    return Status::Internal("cannot initialise the CSV parser");
  }
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  ParseState st{file_name, &options, &on_record, {}, 1, 0, 0, Status::Ok()};
  // Feed in chunks so that an error stops the parse early.
  constexpr size_t kChunk = 1 << 20;
  for (size_t pos = 0; pos < data.size() && st.status.ok(); pos += kChunk) {
    size_t n = std::min(kChunk, data.size() - pos);
    if (csv_parse(&parser, data.data() + pos, n, OnField, OnRecord, &st) != n) {
      if (st.status.ok()) {
        st.status = Status::InvalidArgument(
            std::string(file_name) + " line " + std::to_string(st.line) +
            ": malformed CSV (" + csv_strerror(csv_error(&parser)) +
            "); a quote inside a quoted field must be doubled (\"\")");
      }
    }
  }
  if (st.status.ok() && csv_fini(&parser, OnField, OnRecord, &st) != 0) {
    if (st.status.ok()) {
      st.status = Status::InvalidArgument(
          std::string(file_name) + " line " + std::to_string(st.line) +
          ": the file ends inside a quoted field (truncated file or an "
          "unclosed quote)");
    }
  }
  return st.status;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Internal("error reading " + path);
  return std::move(ss).str();
}

Result<Header> Header::Make(std::string_view file_name, const Record& header,
                            const std::vector<std::string>& required,
                            const std::vector<std::string>& optional) {
  Header h;
  for (const std::string& raw : header.fields) {
    // Trim spaces around names: spreadsheets often add them.
    size_t b = raw.find_first_not_of(" \t\r");
    size_t e = raw.find_last_not_of(" \t\r");
    std::string name = b == std::string::npos ? "" : raw.substr(b, e - b + 1);
    if (h.Index(name) >= 0) {
      return Status::InvalidArgument(std::string(file_name) +
                                     " line 1: column '" + name +
                                     "' appears twice in the header");
    }
    h.names_.push_back(name);
    bool known =
        std::find(required.begin(), required.end(), name) != required.end() ||
        std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!known) h.extra_.push_back(name);
  }
  std::string missing;
  for (const std::string& r : required) {
    if (h.Index(r) < 0) missing += (missing.empty() ? "" : ", ") + r;
  }
  if (!missing.empty()) {
    return Status::InvalidArgument(
        std::string(file_name) +
        " line 1: missing required column(s): " + missing);
  }
  return h;
}

int Header::Index(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

void AppendField(std::string* out, std::string_view v) {
  bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!v.empty() && (v.front() == ' ' || v.back() == ' '));
  if (!quote) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendRow(std::string* out, const std::vector<std::string_view>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out->push_back(',');
    AppendField(out, fields[i]);
  }
  out->push_back('\n');
}

}  // namespace malchin::csv
