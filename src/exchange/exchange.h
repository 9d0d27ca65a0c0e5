// The register's interchange contract: households.csv and persons.csv.
//
// Files are UTF-8 CSV (a BOM is allowed) with a header row, any column
// order, comma separators and RFC 4180 quoting.
//   households.csv: household_id, soum_code, bag, current_soum_code, herder,
//                   camels, horses, cattle, sheep, goats, cooperative, phone,
//                   lat, lon
//   persons.csv:    register_no, household_id, family_name, father_name,
//                   given_name, sex (F|M), birth_date (YYYY-MM-DD),
//                   relation (head|spouse|child|parent|sibling|grandchild|
//                   other), disability (0|1), herder (0|1), phone,
//                   bank_account
// Extra columns are ignored with a warning; missing required columns are an
// error. Import upserts by household_id / register_no, so importing the same
// files twice changes nothing, and a person who moves household is updated.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "geo/geography.h"
#include "registry/repository.h"

namespace malchin::exchange {

// One problem with one field of one row. `line` is the physical line
// (header = 1); 0 for a problem with the file as a whole.
struct RowError {
  std::string file;
  size_t line = 0;
  std::string column;
  std::string value;
  std::string expected;
  std::string ToString()
      const;  // "persons.csv line 7, sex: 'X' - expected F or M"
};

// A possible duplicate person, for a person to review. Never merged.
struct Duplicate {
  enum class Kind {
    kRegisterNumberTwiceInFile,  // Also an error: neither row is imported.
    kNameAndBirthInFile,         // Two numbers, same name and birth date.
    kNameAndBirthInRegister,     // Matches a stored person.
  };
  Kind kind;
  std::string file;
  size_t line = 0;
  std::string register_no;
  std::string other_register_no;  // The stored or earlier person.
  size_t other_line = 0;          // In the file, for the in-file kinds.
  std::string name;               // "father_name given_name", birth date.
  std::string ToString() const;
};

struct ImportOptions {
  // false (default): nothing is written if any row is bad.
  // true: valid rows are written; rejected rows go to `rejects_dir`.
  bool keep_valid = false;
  std::string rejects_dir;        // Required with keep_valid.
  Date today = Date::TodayUtc();  // Birth dates after it are errors.
  std::string actor = "cli";      // Recorded with the import.
  // Called now and then (at each pass, and every few thousand rows while
  // writing) with the fraction done (0..1, never decreasing) and what is
  // being done, for a progress bar. May be empty.
  std::function<void(double fraction, const std::string& phase)> progress;
};

struct ImportReport {
  std::vector<std::string> warnings;
  std::vector<RowError> errors;
  std::vector<Duplicate> duplicates;
  int64_t household_rows = 0, person_rows = 0;
  int64_t rejected_households = 0, rejected_persons = 0;
  bool written = false;  // Whether anything was committed.
  registry::WriteCounts counts;
};

struct InputFile {
  std::string name;  // For messages, e.g. the path.
  std::string data;  // The whole content (when `path` is empty).
  // A file on disk, read in pieces (never whole) and several times:
  // validation, duplicate review, writing. Takes precedence over `data`.
  std::string path = {};  // (An initializer: {name, data} stays valid.)
};

// Validates both files completely (every bad row and field is reported, not
// only the first), then writes in one transaction according to `options`.
// Files given by path are streamed: memory grows by some tens of bytes per
// row (ids, packed register numbers, flags), not with the files' size.
// Possible duplicates by name and birth date within a file are found by a
// 128-bit hash of name key and date (a collision is astronomically rare).
// Returns a non-OK Status only for failures that are not about the input
// (store I/O); input problems are in the report, with written == false
// unless keep_valid.
Result<ImportReport> ImportRegister(registry::Repository& store,
                                    const geo::Geography& geo,
                                    const InputFile& households,
                                    const InputFile& persons,
                                    const ImportOptions& options);

// Writes the active register in `area` as households.csv and persons.csv
// into `dir` (created if missing). Exporting then importing into an empty
// register and exporting again gives byte-identical files. Files are written
// under temporary names and renamed, so a failed export leaves no partial
// file behind.
struct ExportCounts {
  int64_t households = 0;
  int64_t persons = 0;
};
Result<ExportCounts> ExportRegister(registry::Repository& store,
                                    const store::AreaFilter& area,
                                    const std::string& dir);

// Column lists (in export order).
const std::vector<std::string>& HouseholdColumns();
const std::vector<std::string>& PersonColumns();

}  // namespace malchin::exchange
