#include "grievance/batch.h"

#include <algorithm>
#include <map>

#include "core/text.h"
#include "csv/csv.h"

namespace malchin::grievance {
namespace {

// The column name without a KoBo group path, lower-cased.
std::string ColumnName(std::string_view header) {
  size_t slash = header.rfind('/');
  std::string name(slash == std::string_view::npos ? header
                                                   : header.substr(slash + 1));
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return name;
}

bool Ignored(std::string_view header, const std::string& name) {
  if (header.rfind("meta/", 0) == 0 || header.rfind("formhub/", 0) == 0) {
    return true;
  }
  return !name.empty() && name[0] == '_' && name != "_uuid";
}

constexpr const char* kKnown[] = {
    "id",           "_uuid",       "received_on", "category", "soum_code",
    "summary",      "anonymous",   "register_no", "name",     "phone",
    "address",      "sex",         "birth_year",  "staff",    "contact",
    "subject_kind", "subject_ref", "confidential"};

class RowReader {
 public:
  RowReader(const std::map<std::string, size_t>& columns, const csv::Record& r,
            std::vector<BatchProblem>* problems)
      : columns_(columns), r_(r), problems_(problems) {}

  std::string Get(const std::string& name) const {
    auto it = columns_.find(name);
    if (it == columns_.end() || it->second >= r_.fields.size()) return "";
    std::string v = r_.fields[it->second];
    size_t b = v.find_first_not_of(" \t"), e = v.find_last_not_of(" \t");
    return b == std::string::npos ? "" : v.substr(b, e - b + 1);
  }
  void Problem(const std::string& field, const std::string& value,
               const std::string& expected) {
    problems_->push_back({r_.line, field, value, expected});
  }
  bool Flag(const std::string& name) {
    std::string v = text::ToLower(Get(name));
    if (v.empty() || v == "0" || v == "no" || v == "false" || v == "үгүй") {
      return false;
    }
    if (v == "1" || v == "yes" || v == "true" || v == "тийм") return true;
    Problem(name, v, "1 or 0 (yes/no, true/false)");
    return false;
  }
  int32_t Int(const std::string& name, int32_t lo, int32_t hi) {
    std::string v = Get(name);
    if (v.empty()) return 0;
    bool digits = v.size() <= 9 && std::all_of(v.begin(), v.end(), [](char c) {
                    return c >= '0' && c <= '9';
                  });
    int32_t n = digits ? std::stoi(v) : -1;
    if (!digits || n < lo || n > hi) {
      Problem(name, v,
              "a whole number from " + std::to_string(lo) + " to " +
                  std::to_string(hi));
      return 0;
    }
    return n;
  }
  template <class E>
  E Enum(const std::string& name, E fallback,
         Result<E> (*parse)(std::string_view)) {
    std::string v = Get(name);
    if (v.empty()) return fallback;
    Result<E> e = parse(v);
    if (!e.ok()) {
      Problem(name, v, e.status().message());
      return fallback;
    }
    return *e;
  }

 private:
  const std::map<std::string, size_t>& columns_;
  const csv::Record& r_;
  std::vector<BatchProblem>* problems_;
};

BatchRow ReadRow(RowReader& in, size_t line) {
  BatchRow row;
  row.line = line;
  std::string id = in.Get("id");
  if (id.empty()) id = in.Get("_uuid");
  if (id.size() > 100) in.Problem("id", id, "at most 100 characters");
  if (!id.empty()) row.external_id = "batch:" + id;
  row.category = in.Get("category");
  if (row.category.empty()) in.Problem("category", "", "a category code");
  row.soum_code = in.Int("soum_code", 10000, 99999);
  if (row.soum_code == 0 && in.Get("soum_code").empty()) {
    in.Problem("soum_code", "", "the soum's 5-digit code");
  }
  row.summary = in.Get("summary");
  if (row.summary.empty()) in.Problem("summary", "", "the complaint's text");
  if (std::string d = in.Get("received_on"); !d.empty()) {
    auto date = Date::Parse(d);
    if (date.ok()) {
      row.has_date = true;
      row.received_on = *date;
    } else {
      in.Problem("received_on", d, "a date YYYY-MM-DD");
    }
  }
  Complainant& c = row.complainant;
  c.anonymous = in.Flag("anonymous");
  c.register_no = in.Get("register_no");
  c.name = in.Get("name");
  c.phone = in.Get("phone");
  c.address = in.Get("address");
  if (std::string sex = in.Get("sex"); !sex.empty()) {
    if (sex == "F" || sex == "f" || sex == "Э" || sex == "э") {
      c.sex = registry::Sex::kFemale;
    } else if (sex == "M" || sex == "m" || sex == "Эр" || sex == "эр") {
      c.sex = registry::Sex::kMale;
    } else {
      in.Problem("sex", sex, "F or M");
    }
  }
  c.birth_year = in.Int("birth_year", 1900, 2199);
  c.staff = in.Flag("staff");
  c.contact = in.Enum<Contact>("contact",
                               c.anonymous ? Contact::kNone : Contact::kLetter,
                               &ParseContact);
  row.subject_kind = in.Enum<SubjectKind>("subject_kind", SubjectKind::kNone,
                                          &ParseSubjectKind);
  row.subject_ref = in.Get("subject_ref");
  row.confidential = in.Flag("confidential");
  return row;
}

}  // namespace

Result<BatchParse> ParseBatch(std::string_view file_name,
                              std::string_view data) {
  std::string_view first = data.substr(0, data.find('\n'));
  csv::ReadOptions options;
  options.delimiter = std::count(first.begin(), first.end(), ';') >
                              std::count(first.begin(), first.end(), ',')
                          ? ';'
                          : ',';
  options.max_field_bytes = 8192;
  BatchParse out;
  std::map<std::string, size_t> columns;
  bool header = true;
  Status st = csv::ReadRecords(
      file_name, data, options, [&](const csv::Record& r) -> Status {
        if (header) {
          header = false;
          for (size_t i = 0; i < r.fields.size(); ++i) {
            std::string name = ColumnName(r.fields[i]);
            if (Ignored(r.fields[i], name)) continue;
            if (std::find(std::begin(kKnown), std::end(kKnown), name) ==
                std::end(kKnown)) {
              return Status::InvalidArgument(
                  std::string(file_name) + " line 1: column '" + r.fields[i] +
                      "' is not a column of a complaint form (see "
                      "docs/grievance.md, \"Batch import\")",
                  r.fields[i]);
            }
            columns[name] = i;
          }
          for (const char* required : {"category", "soum_code", "summary"}) {
            if (!columns.count(required)) {
              return Status::InvalidArgument(
                  std::string(file_name) + " line 1: no column " + required,
                  required);
            }
          }
          return Status::Ok();
        }
        if (std::all_of(r.fields.begin(), r.fields.end(),
                        [](const std::string& f) { return f.empty(); })) {
          return Status::Ok();  // A blank line.
        }
        RowReader in(columns, r, &out.problems);
        out.rows.push_back(ReadRow(in, r.line));
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (header) {
    return Status::InvalidArgument(std::string(file_name) +
                                   ": empty file; expected a header line");
  }
  return out;
}

}  // namespace malchin::grievance
