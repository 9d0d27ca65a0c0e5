// Household microdata for the poverty engine: a survey (HSES) with its
// sample design, or a register. Column-wise (struct of arrays) so that a
// national register (about 10 million persons) fits in a few hundred MB and
// every pass is a linear scan; persons are grouped by household (CSR).
//
// Files: households.csv and persons.csv in the reference format
// (docs/poverty.md §Input; spec §5.1). Reading is strict and every error
// names the file, the line, the column, the value and what was expected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "poverty/domains.h"

namespace malchin::poverty {

// Where an input came from, recorded in every report (reproducibility).
struct InputFile {
  std::string name;    // file name or label
  uint64_t bytes = 0;  // size
  std::string sha256;  // lowercase hex digest of the bytes
};

// Numeric household columns by name (proxies, flags, region codes, draws),
// one double per household. Names are unique.
class Columns {
 public:
  // InvalidArgument if the name exists already.
  Status Add(std::string name, std::vector<double> values);
  // nullptr if there is no such column.
  const std::vector<double>* Find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<double>> values_;
};

struct Survey {
  // ---- households: one entry per household, all the same length ----
  std::vector<int64_t> hh_id;       // stable unique id
  std::vector<double> weight;       // w_h, households represented
  std::vector<int32_t> size;        // s_h, members
  std::vector<double> consumption;  // C_h, total real consumption MNT/month
  std::vector<int32_t> stratum;     // design (empty for a register)
  std::vector<int32_t> psu;
  std::vector<int32_t> area;  // soum/district code (empty if unknown)
  Columns columns;  // every numeric household column by name (LoadSurvey
                    // keeps all of them, the ones above included)
  // ---- persons, grouped by household: household h owns persons
  // [person_begin[h], person_begin[h+1]); empty when no persons file ----
  std::vector<uint32_t> person_begin;
  std::vector<int16_t> age;      // completed years
  std::vector<int8_t> female;    // 1 female, 0 male (optional: may be empty)
  std::vector<int8_t> relation;  // 1 head .. (optional: may be empty)
  // ---- provenance ----
  std::vector<InputFile> inputs;

  size_t households() const { return hh_id.size(); }
  size_t persons() const { return age.size(); }
  bool has_persons() const { return !person_begin.empty(); }
};

// Checks the invariants above; the error names the household id. Weights
// must be finite and > 0, sizes >= 1, consumption finite and > 0, design
// columns both present or both absent, person_begin monotone with
// person_begin[h+1]-person_begin[h] == size[h].
Status Validate(const Survey& survey);

// Column names used when reading households.csv / persons.csv.
struct LoadOptions {
  std::string id = "hh_id";
  std::string weight = "weight";
  std::string size = "hh_size";
  std::string consumption = "cons_total";
  std::string stratum = "stratum";  // optional column
  std::string psu = "psu";          // optional column
  std::string area = "soum_id";     // optional column
  // persons.csv
  std::string person_household = "hh_id";
  std::string age = "age";
  std::string female = "female";      // optional column
  std::string relation = "relation";  // optional column
};

// Reads the two files (persons_path may be empty: no persons). Every
// household column must be numeric (an empty cell is an error) and is also
// kept in `columns` under its header name. Persons may come in any order; each
// must reference a known household, and each household's member count must
// equal its size column. Records the SHA-256 of both files in `inputs`.
Result<Survey> LoadSurvey(const std::string& households_path,
                          const std::string& persons_path,
                          const LoadOptions& options = {});
// The same from in-memory CSV text; names are used in messages and inputs.
Result<Survey> ParseSurvey(std::string_view households_name,
                           std::string_view households_csv,
                           std::string_view persons_name,
                           std::string_view persons_csv,
                           const LoadOptions& options = {});

// Welfare = consumption / equivalent size (spec §1.2). The person weight
// stays w*s whatever the scale.
enum class EquivalenceScale : uint8_t {
  kPerCapita,     // e = s (Mongolia's official measure; default)
  kOecdModified,  // 1 + 0.5 (adults - 1) + 0.3 children(<14); needs persons
  kSquareRoot,    // sqrt(s)
};
std::string_view EquivalenceScaleName(EquivalenceScale scale);

// Equivalent size per household. FailedPrecondition if the scale needs
// persons and there are none. OECD with no member aged 14+: the first
// child counts 1 (1 + 0.3 (children - 1)).
Result<std::vector<double>> EquivalentSizes(const Survey& survey,
                                            EquivalenceScale scale);

// Members per household with min_age <= age <= max_age.
// REQUIRES: survey.has_persons().
std::vector<int32_t> CountMembers(const Survey& survey, int min_age,
                                  int max_age);

// The reference domains: national, urban, rural, herder, nonherder,
// dzud_soum, hh_with_children (a member aged 0-17), region_1_West ..
// region_5_Ulaanbaatar. Needs columns urban, herder, dzud_soum, region and
// persons; InvalidArgument naming what is missing.
Result<DomainSet> StandardDomains(const Survey& survey);

// Adds one domain per distinct value v of household column `column`, named
// "<column>_<v>" (values in ascending order; integers printed without a
// decimal point). InvalidArgument if the column does not exist, has
// non-integer values, or would exceed DomainSet::kMaxDomains.
Status AddColumnDomains(const Survey& survey, const std::string& column,
                        DomainSet* domains);

// SHA-256 of `bytes` as lowercase hex.
std::string Sha256Hex(std::string_view bytes);

}  // namespace malchin::poverty
