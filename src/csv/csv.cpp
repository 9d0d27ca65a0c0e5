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

Status InitParser(const ReadOptions& options, csv_parser* parser) {
  if (options.delimiter == '"' || options.delimiter == '\n' ||
      options.delimiter == '\r') {
    return Status::InvalidArgument(
        "a CSV delimiter cannot be a quote or a line end", "delimiter");
  }
  if (csv_init(parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                           CSV_REPALL_NL) != 0) {
    return Status::Internal("cannot initialise the CSV parser");
  }
  csv_set_delim(parser, static_cast<unsigned char>(options.delimiter));
  return Status::Ok();
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
  MALCHIN_RETURN_IF_ERROR(InitParser(options, &parser));
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

namespace {

// How many leading bytes of `s` end on a whole UTF-8 sequence: a sequence cut
// by the end of a piece waits for the next piece.
size_t CompletePrefix(std::string_view s) {
  size_t n = s.size();
  for (size_t back = 1; back <= 4 && back <= n; ++back) {
    unsigned char c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // A continuation byte.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return len > back ? n - back : n;
  }
  return n;
}

}  // namespace

Status ReadRecordsFromFile(
    const std::string& path, std::string_view file_name,
    const ReadOptions& options,
    const std::function<Status(const Record&)>& on_record, size_t chunk_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  csv_parser parser;
  MALCHIN_RETURN_IF_ERROR(InitParser(options, &parser));
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  ParseState st{file_name, &options, &on_record, {}, 1, 0, 0, Status::Ok()};
  std::string buf;      // Carried bytes of a cut sequence, then a piece.
  size_t offset = 0;    // Bytes of the file (after a BOM) parsed so far.
  size_t newlines = 0;  // '\n' among them.
  bool first = true;
  std::vector<char> piece(std::max<size_t>(chunk_bytes, 4));
  while (st.status.ok()) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    size_t got = static_cast<size_t>(in.gcount());
    if (in.bad()) return Status::Internal("error reading " + path);
    bool eof = got == 0;
    buf.append(piece.data(), got);
    if (first && (buf.size() >= 3 || eof)) {
      if (buf.compare(0, 3, "\xEF\xBB\xBF") == 0) buf.erase(0, 3);
      first = false;
    } else if (first) {
      continue;
    }
    std::string_view data(buf);
    size_t n = eof ? data.size() : CompletePrefix(data);
    std::string_view now = data.substr(0, n);
    if (auto bad = text::FindInvalidUtf8(now)) {
      return Status::InvalidArgument(
          std::string(file_name) + " line " +
          std::to_string(1 + newlines +
                         std::count(now.begin(), now.begin() + *bad, '\n')) +
          ": the file is not UTF-8 (invalid byte at offset " +
          std::to_string(offset + *bad) +
          "); save it as UTF-8 (a CP1251/Windows Cyrillic file must be "
          "converted, e.g. iconv -f CP1251 -t UTF-8)");
    }
    if (now.find('\0') != std::string_view::npos) {
      return Status::InvalidArgument(std::string(file_name) +
                                     ": the file contains NUL bytes; expected "
                                     "a text CSV file");
    }
    if (!now.empty() &&
        csv_parse(&parser, now.data(), now.size(), OnField, OnRecord, &st) !=
            now.size() &&
        st.status.ok()) {
      st.status = Status::InvalidArgument(
          std::string(file_name) + " line " + std::to_string(st.line) +
          ": malformed CSV (" + csv_strerror(csv_error(&parser)) +
          "); a quote inside a quoted field must be doubled (\"\")");
    }
    offset += now.size();
    newlines += std::count(now.begin(), now.end(), '\n');
    buf.erase(0, n);
    if (eof) break;
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
