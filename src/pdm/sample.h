// The post-distribution monitoring (PDM) sample: a stratified simple random
// sample, without replacement, of the beneficiaries a payroll paid.
//
// Sample size per stratum h with N_h paid beneficiaries (docs/pdm.md §1):
//   n0   = z^2 p (1 - p) / e^2 * deff          z = TwoSidedZ(confidence):
//                                              1.959964 at 95%
//   n'   = n0 / (1 + (n0 - 1) / N_h)           with the finite population
//                                              correction, else n' = n0
//   m_h  = min(N_h, max(ceil(n'), min_per_stratum))   completed interviews
//   n_h  = min(N_h, ceil(m_h / response_rate))        units selected
// Each stratum gets its own margin of error e: the sample is sized for
// estimates by stratum, not only for the whole payroll.
//
// Selection is reproducible: within a stratum the units are put in the order
// of their beneficiary ids (so the caller's order does not matter), then
// shuffled by Fisher-Yates with xoshiro256** seeded from the design's seed
// and the stratum's label (core/random.h). The first n_h are selected, the
// next ones are the stratum's ranked replacement list. The same frame, design
// and seed give the same sample on any machine; adding or removing a stratum
// does not change the draw in the others.
//
//   MALCHIN_ASSIGN_OR_RETURN(SampleDesign d, DefaultDesign(*params, today));
//   d.seed = 20250314;
//   MALCHIN_ASSIGN_OR_RETURN(Sample s, DrawSample(frame, d));
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <compare>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"

namespace malchin::pdm {

enum class Sex : uint8_t { kFemale, kMale };
// "F" / "M".
std::string_view SexCode(Sex sex);

// One paid beneficiary of the payroll: a unit of the sampling frame.
struct Unit {
  std::string beneficiary_id;  // the household paid; the form's respondent
  std::string payee_id;        // the person who collects the transfer
  std::string label;  // what the enumerator sees (e.g. the payee's name);
                      // may be empty, then the beneficiary id is shown
  int32_t aimag_code = 0;
  int32_t soum_code = 0;
  Sex caregiver_sex = Sex::kFemale;
  Sex head_sex = Sex::kFemale;
  bool disability = false;  // a member of the household has a disability
  int64_t amount = 0;       // MNT paid
};

// What a stratum is made of.
enum class StratumBy : uint8_t {
  kAimag,
  kSoum,
  kCaregiverSex,
  kHeadSex,
  kDisability
};
std::string_view StratumByName(StratumBy by);  // "aimag", "soum", ...

struct SampleDesign {
  // Default: soum x sex of the caregiver. Each key at most once.
  std::vector<StratumBy> strata = {StratumBy::kSoum, StratumBy::kCaregiverSex};
  double margin_of_error = 0.10;  // e: half-width at `confidence`, (0, 1)
  // Confidence level of the margin, in [0.5, 0.9999]: z = TwoSidedZ(it)
  // (core/normal.h).
  double confidence = 0.95;
  double proportion = 0.5;  // p, in (0, 1); 0.5 is the safest
  bool finite_population_correction = true;
  double response_rate = 1.0;   // expected, in (0, 1]
  double design_effect = 1.0;   // deff > 0
  int64_t min_per_stratum = 0;  // completed interviews, at least (<= N_h)
  // Length of each stratum's replacement list: -1 means as many as the
  // stratum's selected units (never more than are left).
  int64_t replacements_per_stratum = -1;
  uint64_t seed = 0;
};

// The design with the shipped defaults in force on `on`: parameters
// pdm.sample.margin_of_error, pdm.sample.expected_response_rate,
// pdm.sample.design_effect, pdm.sample.min_per_stratum and
// pdm.sample.confidence_level (data/parameters.json); strata soum x caregiver
// sex, p = 0.5, FPC on, seed 0. NotFound / FailedPrecondition as
// ParameterSet::Value.
Result<SampleDesign> DefaultDesign(const params::ParameterSet& params, Date on);

// InvalidArgument naming the field for a value out of range (see above).
Status ValidateDesign(const SampleDesign& design);

// The size of one stratum's sample (the formulas above).
struct StratumSize {
  double n0 = 0;           // before the finite population correction
  double n_corrected = 0;  // after it (n0 when it is off)
  int64_t completes = 0;   // m_h: interviews wanted
  int64_t selected = 0;    // n_h: units drawn
};

// REQUIRES: ValidateDesign(design).ok(), population >= 0. A stratum of 0
// units gets all zeros.
StratumSize ComputeStratumSize(int64_t population, const SampleDesign& design);

// A stratum's identity: the value of each key in the design, -1 where the
// design does not stratify by it.
struct StratumKey {
  int32_t aimag = -1;
  int32_t soum = -1;
  int8_t caregiver_sex = -1;  // static_cast<int8_t>(Sex), or -1
  int8_t head_sex = -1;
  int8_t disability = -1;  // 0 / 1, or -1
  auto operator<=>(const StratumKey&) const = default;
  bool operator==(const StratumKey&) const = default;
  // E.g. "soum=18140 caregiver=F": the keys the design uses, in the order
  // aimag, soum, caregiver, head, disability.
  std::string Label() const;
};

StratumKey KeyOf(const Unit& unit, std::span<const StratumBy> strata);

struct Stratum {
  StratumKey key;
  std::string label;                 // key.Label()
  int64_t population = 0;            // N_h
  StratumSize size;                  // n0 .. n_h
  double inclusion_probability = 0;  // pi = n_h / N_h
  double design_weight = 0;          // 1 / pi = N_h / n_h
  // Indices into Sample::units: selected in draw order, then the ranked
  // replacements.
  std::vector<size_t> selected;
  std::vector<size_t> replacements;
};

struct SampledUnit {
  Unit unit;
  size_t stratum = 0;  // index into Sample::strata
  int64_t rank = 0;    // 1-based draw order within the stratum
  bool replacement = false;
};

struct Sample {
  SampleDesign design;
  int64_t frame_units = 0;
  // FNV-1a of the frame sorted by beneficiary id (every field), as 16 hex
  // digits: two frames with the same fingerprint give the same sample.
  std::string frame_fingerprint;
  std::vector<Stratum> strata;  // in StratumKey order; none empty
  // Strata in order; within one, the selected units then the replacements.
  std::vector<SampledUnit> units;
};

// The beneficiary ids of every sampled unit (selected and replacements):
// what IngestOptions::respondents (kobo.h) checks submissions against.
std::set<std::string, std::less<>> RespondentIds(const Sample& sample);

// Draws the sample. InvalidArgument for a bad design (ValidateDesign), an
// empty frame, or a unit with an empty or repeated beneficiary id, an
// empty payee id or a negative amount (the message names the frame row,
// 1-based, and the id). `frame` is left unchanged.
Result<Sample> DrawSample(std::span<const Unit> frame,
                          const SampleDesign& design);

}  // namespace malchin::pdm
