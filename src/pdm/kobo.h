// Ingestion of KoBoToolbox submissions, checked against the form.
//
// Accepted (docs/pdm.md §3; /work/shared/docs/integration-notes.md §1):
//  * CSV exports: the current format (";" between fields, every field
//    quoted, CRLF, UTF-8 without BOM) and the legacy one ("," between
//    fields); the separator is detected from the header line. A BOM, LF
//    line ends and unquoted fields are accepted too. Headers must be XML
//    names ("XML values and headers" in KoBo's export settings), with or
//    without group paths (`transfer/received` or `received`). A
//    select_multiple may come as one space-separated column, as detail
//    columns `q/option` holding 1/0 (True/False in the legacy export), or
//    both (then they must agree).
//  * The data API v2 JSON page {count, next, previous, results: [...]}:
//    group keys flattened ("transfer/received"), numbers as strings or as
//    numbers, select_multiple space-separated.
// Columns/keys _id, _uuid, _submission_time are read; meta/rootUuid is kept
// when present; every other column starting with "_" (e.g. _validation_status,
// _notes, _status, _submitted_by, _tags, _index, _attachments, _geolocation),
// "meta/", "formhub/" and __version__ is ignored. A column that is neither a
// question of the form nor metadata is a warning (old form versions).
//
// Every answer is checked against the form: its type (integer, decimal,
// date YYYY-MM-DD), choice names, the constraint and relevance (when the
// expression is in the subset pdm/expression.h evaluates; today() is the
// submission's date), required questions that are relevant and blank, and
// the respondent against the sample. A value that fails is reported and not
// used; the submission stays. A submission is rejected (kept in the list
// with rejected = true, its problems listed) when its _uuid is missing or
// repeats an earlier one, or its respondent is missing, unknown, or was
// already interviewed in an earlier submission.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "pdm/form.h"
#include "pdm/problem.h"

namespace malchin::pdm {

using Answers = std::map<std::string, std::string, std::less<>>;

struct Submission {
  std::string uuid;             // _uuid (changes when the submission is edited)
  std::string root_uuid;        // meta/rootUuid when exported (stable), else ""
  int64_t id = 0;               // _id, 0 if absent
  std::string submission_time;  // _submission_time as exported (UTC)
  Date submission_date;         // its date; valid iff has_date
  bool has_date = false;
  std::string respondent;  // the respondent question's answer
  // Valid answers by question name. select_multiple: the choice names in
  // the list's order, separated by one space. Blank and failed answers are
  // absent.
  Answers answers;
  size_t line = 0;  // CSV line of the record; 0 for JSON
  bool rejected = false;
};

struct Ingested {
  std::string file;
  std::vector<Submission> submissions;  // in file order, rejected included
  std::vector<Problem> problems;
  // JSON only: the page's `count` and `next` URL ("" on the last page).
  int64_t count = -1;
  std::string next;

  size_t accepted() const;  // submissions not rejected
};

struct IngestOptions {
  std::string respondent_question = "respondent";
  // The sample's beneficiary ids (replacements included). Empty: any
  // non-empty respondent is accepted.
  std::set<std::string, std::less<>> respondents;
  // Problems listed at most; one more problem says how many were left out.
  size_t max_problems = 1000;
};

// Reads a CSV export (the whole file in `data`). The Result is an error
// (InvalidArgument naming the file and line) only when the file is not a
// readable CSV at all: not UTF-8, unbalanced quotes, no header, or no
// _uuid column. Everything else is a Problem.
Result<Ingested> ReadKoboCsv(std::string_view file_name, std::string_view data,
                             const Form& form, const IngestOptions& options);

// Reads one page of the data API v2 JSON. An error only when it is not JSON
// or has no `results` array; per-record problems name the _uuid.
Result<Ingested> ReadKoboJson(std::string_view file_name, std::string_view json,
                              const Form& form, const IngestOptions& options);

// Appends `page` to `all` (e.g. the next API page, or a second export),
// rejecting submissions whose _uuid or respondent `all` already has, with a
// problem each. `all->count` and `next` take the page's.
void AppendIngested(Ingested page, Ingested* all,
                    std::string_view respondent_question = "respondent");

// Submissions as a plain table, for survey imports (e.g. RIMA's
// rima::ReadSurvey, whose columns are question names): columns _id, _uuid,
// _submission_time, then every form question that holds an answer (not
// groups or notes) by name, and for each select_multiple one more column
// per choice, `q/choice`, holding 1 or 0 ("" when unanswered). Rejected
// submissions are left out; a blank or failed answer is "".
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};
Table ToTable(const std::vector<Submission>& submissions, const Form& form);
// RFC 4180 CSV (comma, "\n"), header first.
std::string TableCsv(const Table& table);

}  // namespace malchin::pdm
