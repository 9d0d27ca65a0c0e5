// KoBoToolbox CSV exports (kobo.h).
#include "csv/csv.h"
#include "pdm/kobo_internal.h"

namespace malchin::pdm {
namespace {

using internal::ColumnRole;
using Kind = ColumnRole::Kind;

// ';' if the header line has more semicolons than commas outside quotes
// (KoBo's current export), else ','.
char DetectDelimiter(std::string_view data) {
  size_t semicolons = 0, commas = 0;
  bool quoted = false;
  for (char c : data) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    semicolons += c == ';';
    commas += c == ',';
  }
  return semicolons > commas ? ';' : ',';
}

class CsvReader {
 public:
  CsvReader(internal::Ingestor* in, const Form& form) : in_(in), form_(form) {}

  Status OnRecord(const csv::Record& r) {
    if (roles_.empty()) return OnHeader(r);
    if (r.fields.size() != roles_.size()) {
      in_->Report({Problem::Severity::kError,
                   in_->file(),
                   r.line,
                   {},
                   {},
                   std::to_string(r.fields.size()) + " fields",
                   std::to_string(roles_.size()) +
                       " fields, one per header column (the record is not "
                       "used)"});
      return Status::Ok();
    }
    internal::RawSubmission raw;
    raw.line = r.line;
    for (size_t c = 0; c < roles_.size(); ++c) raw.Set(roles_[c], r.fields[c]);
    in_->Accept(std::move(raw));
    return Status::Ok();
  }

 private:
  Status OnHeader(const csv::Record& r) {
    bool has_uuid = false;
    for (const std::string& h : r.fields) {
      ColumnRole role = internal::Classify(h, form_);
      has_uuid |= role.kind == Kind::kUuid;
      if (role.kind == Kind::kUnknown) {
        in_->Report({Problem::Severity::kWarning,
                     in_->file(),
                     r.line,
                     {},
                     h,
                     {},
                     "a question of the form or KoBo metadata (the column is "
                     "not read; an older form version, or an export with "
                     "labels instead of XML names?)"});
      }
      roles_.push_back(std::move(role));
    }
    if (!has_uuid) {
      return Status::InvalidArgument(
          in_->file() +
              " line 1: no _uuid column; expected a KoBoToolbox export with "
              "XML headers and the _uuid column",
          "_uuid");
    }
    return Status::Ok();
  }

  internal::Ingestor* in_;
  const Form& form_;
  std::vector<ColumnRole> roles_;
};

}  // namespace

Result<Ingested> ReadKoboCsv(std::string_view file_name, std::string_view data,
                             const Form& form, const IngestOptions& options) {
  MALCHIN_ASSIGN_OR_RETURN(internal::Ingestor in,
                           internal::Ingestor::Make(file_name, form, options));
  std::string_view body = data;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  csv::ReadOptions read;
  read.delimiter = DetectDelimiter(body);
  read.max_field_bytes = 64 * 1024;
  CsvReader reader(&in, form);
  bool any = false;
  MALCHIN_RETURN_IF_ERROR(
      csv::ReadRecords(file_name, data, read, [&](const csv::Record& r) {
        any = true;
        return reader.OnRecord(r);
      }));
  if (!any) {
    return Status::InvalidArgument(std::string(file_name) +
                                   ": the file is empty; expected a header "
                                   "line and submissions");
  }
  return in.Finish();
}

}  // namespace malchin::pdm
