// Complaints taken on paper forms or with KoBoToolbox, imported in a batch
// (docs/grievance.md, "Batch import"). Pure parsing: the rows become intake
// requests, and every problem is listed with its line and field; the
// service (Service::ImportBatch) checks each request with the same rules as
// any other intake and records all or nothing.
//
// The file is CSV, UTF-8, separated by "," or ";" (KoBo's current export;
// found from the header), with a header line. Headers may carry KoBo group
// paths ("complaint/category" reads as "category"); columns starting with
// "_" other than _uuid, and "meta/..." / "formhub/..." ones, are ignored.
// Columns (only category, soum_code and summary are required):
//   id or _uuid      the form's id: a row whose id came before is skipped
//   received_on      YYYY-MM-DD on the form (default: the import's day)
//   category         a category code
//   soum_code        5 digits
//   summary          the complaint
//   anonymous        1/0, yes/no, true/false
//   register_no, name, phone, address, sex (F/M), birth_year, staff (1/0)
//   contact          none, letter or sms
//   subject_kind, subject_ref
//   confidential     1/0
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "grievance/model.h"

namespace malchin::grievance {

struct IntakeRequest;  // service.h

struct BatchProblem {
  size_t line = 0;
  std::string field;
  std::string value;
  std::string expected;
};

// One row read from the file, as the intake will see it.
struct BatchRow {
  size_t line = 0;
  Channel channel = Channel::kBatch;
  std::string external_id;  // "batch:<id>" or empty.
  std::string category;
  int32_t soum_code = 0;
  std::string summary;
  Complainant complainant;
  SubjectKind subject_kind = SubjectKind::kNone;
  std::string subject_ref;
  bool confidential = false;
  bool has_date = false;
  Date received_on;
};

struct BatchReport {
  std::string file;
  size_t rows = 0;
  size_t imported = 0;
  size_t already_imported = 0;          // Their id came before.
  std::vector<BatchProblem> problems;   // Non-empty: nothing was imported.
  std::vector<std::string> references;  // Of the imported rows, in order.
};

// Reads the file. An error only when it is not a readable CSV (encoding,
// quotes, no header, no category/soum_code/summary column); each bad value
// is a problem of the result.
struct BatchParse {
  std::vector<BatchRow> rows;
  std::vector<BatchProblem> problems;
};
Result<BatchParse> ParseBatch(std::string_view file_name,
                              std::string_view data);

}  // namespace malchin::grievance
