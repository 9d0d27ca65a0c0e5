#include "pdm/sample.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_set>

#include "core/normal.h"
#include "core/random.h"

namespace malchin::pdm {
namespace {

// Sizes are rounded up; a value within this of an integer is that integer
// (so 66.0000000001 from floating point does not become 67).
constexpr double kRoundingSlack = 1e-9;

int64_t CeilSize(double x) {
  return static_cast<int64_t>(std::ceil(x - kRoundingSlack));
}

Status CheckFrame(std::span<const Unit> frame) {
  if (frame.empty()) {
    return Status::InvalidArgument(
        "the payroll has no paid beneficiaries to sample", "frame");
  }
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < frame.size(); ++i) {
    const Unit& u = frame[i];
    const std::string where = "frame row " + std::to_string(i + 1) + " ";
    if (u.beneficiary_id.empty()) {
      return Status::InvalidArgument(
          where + "has an empty beneficiary id; expected the household id",
          "beneficiary_id");
    }
    if (!seen.insert(u.beneficiary_id).second) {
      return Status::InvalidArgument(
          where + "repeats beneficiary id '" + u.beneficiary_id +
              "'; expected each paid beneficiary once",
          "beneficiary_id");
    }
    if (u.payee_id.empty()) {
      return Status::InvalidArgument(where + "(beneficiary '" +
                                         u.beneficiary_id +
                                         "') has an empty payee id",
                                     "payee_id");
    }
    if (u.amount < 0) {
      return Status::InvalidArgument(
          where + "(beneficiary '" + u.beneficiary_id + "') has amount " +
              std::to_string(u.amount) + "; expected MNT >= 0",
          "amount");
    }
  }
  return Status::Ok();
}

std::string Fingerprint(const std::vector<const Unit*>& sorted) {
  uint64_t h = Fnv1a64("");
  for (const Unit* u : sorted) {
    const std::string row =
        u->beneficiary_id + '\x1f' + u->payee_id + '\x1f' + u->label + '\x1f' +
        std::to_string(u->aimag_code) + '\x1f' + std::to_string(u->soum_code) +
        '\x1f' + std::string(SexCode(u->caregiver_sex)) +
        std::string(SexCode(u->head_sex)) + (u->disability ? "1" : "0") +
        '\x1f' + std::to_string(u->amount) + '\x1e';
    h = Fnv1a64(row, h);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Shuffles `units` (already in beneficiary-id order) with the stratum's own
// stream and appends the selected units and replacements to `sample`.
void DrawStratum(std::vector<const Unit*> units, Stratum* stratum,
                 size_t stratum_index, Sample* sample) {
  const SampleDesign& d = sample->design;
  Xoshiro256 rng(SplitMix64(d.seed ^ Fnv1a64(stratum->label)).Next());
  for (size_t i = units.size(); i > 1; --i) {
    std::swap(units[i - 1], units[rng.UniformBelow(i)]);
  }
  const size_t n = static_cast<size_t>(stratum->size.selected);
  const size_t left = units.size() - n;
  const size_t r = d.replacements_per_stratum < 0
                       ? std::min(n, left)
                       : std::min<size_t>(d.replacements_per_stratum, left);
  for (size_t k = 0; k < n + r; ++k) {
    (k < n ? stratum->selected : stratum->replacements)
        .push_back(sample->units.size());
    sample->units.push_back(
        {*units[k], stratum_index, static_cast<int64_t>(k + 1), k >= n});
  }
}

}  // namespace

std::string_view SexCode(Sex sex) { return sex == Sex::kFemale ? "F" : "M"; }

std::string_view StratumByName(StratumBy by) {
  switch (by) {
    case StratumBy::kAimag:
      return "aimag";
    case StratumBy::kSoum:
      return "soum";
    case StratumBy::kCaregiverSex:
      return "caregiver_sex";
    case StratumBy::kHeadSex:
      return "head_sex";
    case StratumBy::kDisability:
      return "disability";
  }
  return "?";
}

Result<SampleDesign> DefaultDesign(const params::ParameterSet& params,
                                   Date on) {
  SampleDesign d;
  MALCHIN_ASSIGN_OR_RETURN(d.margin_of_error,
                           params.Value("pdm.sample.margin_of_error", on));
  MALCHIN_ASSIGN_OR_RETURN(
      d.response_rate, params.Value("pdm.sample.expected_response_rate", on));
  MALCHIN_ASSIGN_OR_RETURN(d.design_effect,
                           params.Value("pdm.sample.design_effect", on));
  MALCHIN_ASSIGN_OR_RETURN(double min,
                           params.Value("pdm.sample.min_per_stratum", on));
  d.min_per_stratum = static_cast<int64_t>(min);
  MALCHIN_ASSIGN_OR_RETURN(d.confidence,
                           params.Value("pdm.sample.confidence_level", on));
  MALCHIN_RETURN_IF_ERROR(ValidateDesign(d));
  return d;
}

Status ValidateDesign(const SampleDesign& d) {
  auto bad = [](std::string field, double v, std::string expected) {
    return Status::InvalidArgument(
        field + " is " + std::to_string(v) + "; expected " + expected, field);
  };
  if (!(d.margin_of_error > 0 && d.margin_of_error < 1)) {
    return bad("margin_of_error", d.margin_of_error, "a number in (0, 1)");
  }
  if (!(d.confidence >= 0.5 && d.confidence <= 0.9999)) {
    return bad("confidence", d.confidence,
               "a confidence level in [0.5, 0.9999], e.g. 0.90, 0.95 or 0.99 "
               "(итгэх түвшин 0.5-0.9999 хооронд)");
  }
  if (!(d.proportion > 0 && d.proportion < 1)) {
    return bad("proportion", d.proportion, "a number in (0, 1)");
  }
  if (!(d.response_rate > 0 && d.response_rate <= 1)) {
    return bad("response_rate", d.response_rate, "a number in (0, 1]");
  }
  if (!(d.design_effect > 0) || !std::isfinite(d.design_effect)) {
    return bad("design_effect", d.design_effect, "a finite number > 0");
  }
  if (d.min_per_stratum < 0) {
    return bad("min_per_stratum", d.min_per_stratum, "a count >= 0");
  }
  if (d.replacements_per_stratum < -1) {
    return bad("replacements_per_stratum", d.replacements_per_stratum,
               "a count >= 0, or -1 for as many as selected");
  }
  for (size_t i = 0; i < d.strata.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (d.strata[i] == d.strata[j]) {
        return Status::InvalidArgument(
            "strata: '" + std::string(StratumByName(d.strata[i])) +
                "' is given twice; expected each key at most once",
            "strata");
      }
    }
  }
  return Status::Ok();
}

StratumSize ComputeStratumSize(int64_t population, const SampleDesign& d) {
  StratumSize s;
  if (population <= 0) return s;
  const double e = d.margin_of_error, p = d.proportion;
  const double z = TwoSidedZ(d.confidence);
  s.n0 = z * z * p * (1 - p) / (e * e) * d.design_effect;
  s.n_corrected = d.finite_population_correction
                      ? s.n0 / (1 + (s.n0 - 1) / population)
                      : s.n0;
  s.completes = std::min(population,
                         std::max(CeilSize(s.n_corrected), d.min_per_stratum));
  s.selected = std::min(
      population, CeilSize(static_cast<double>(s.completes) / d.response_rate));
  return s;
}

std::string StratumKey::Label() const {
  std::string out;
  auto add = [&](std::string_view name, const std::string& value) {
    if (!out.empty()) out += ' ';
    out += std::string(name) + "=" + value;
  };
  auto sex = [](int8_t v) { return std::string(SexCode(static_cast<Sex>(v))); };
  if (aimag >= 0) add("aimag", std::to_string(aimag));
  if (soum >= 0) add("soum", std::to_string(soum));
  if (caregiver_sex >= 0) add("caregiver", sex(caregiver_sex));
  if (head_sex >= 0) add("head", sex(head_sex));
  if (disability >= 0) add("disability", disability ? "yes" : "no");
  return out.empty() ? "all" : out;
}

StratumKey KeyOf(const Unit& u, std::span<const StratumBy> strata) {
  StratumKey k;
  for (StratumBy by : strata) {
    switch (by) {
      case StratumBy::kAimag:
        k.aimag = u.aimag_code;
        break;
      case StratumBy::kSoum:
        k.soum = u.soum_code;
        break;
      case StratumBy::kCaregiverSex:
        k.caregiver_sex = static_cast<int8_t>(u.caregiver_sex);
        break;
      case StratumBy::kHeadSex:
        k.head_sex = static_cast<int8_t>(u.head_sex);
        break;
      case StratumBy::kDisability:
        k.disability = u.disability ? 1 : 0;
        break;
    }
  }
  return k;
}

std::set<std::string, std::less<>> RespondentIds(const Sample& sample) {
  std::set<std::string, std::less<>> ids;
  for (const SampledUnit& u : sample.units) ids.insert(u.unit.beneficiary_id);
  return ids;
}

Result<Sample> DrawSample(std::span<const Unit> frame,
                          const SampleDesign& design) {
  MALCHIN_RETURN_IF_ERROR(ValidateDesign(design));
  MALCHIN_RETURN_IF_ERROR(CheckFrame(frame));
  std::vector<const Unit*> sorted;
  sorted.reserve(frame.size());
  for (const Unit& u : frame) sorted.push_back(&u);
  std::sort(sorted.begin(), sorted.end(), [](const Unit* a, const Unit* b) {
    return a->beneficiary_id < b->beneficiary_id;
  });
  std::map<StratumKey, std::vector<const Unit*>> by_stratum;
  for (const Unit* u : sorted) {
    by_stratum[KeyOf(*u, design.strata)].push_back(u);
  }
  Sample sample;
  sample.design = design;
  sample.frame_units = static_cast<int64_t>(frame.size());
  sample.frame_fingerprint = Fingerprint(sorted);
  for (auto& [key, units] : by_stratum) {
    Stratum st;
    st.key = key;
    st.label = key.Label();
    st.population = static_cast<int64_t>(units.size());
    st.size = ComputeStratumSize(st.population, design);
    st.inclusion_probability =
        static_cast<double>(st.size.selected) / st.population;
    st.design_weight = static_cast<double>(st.population) / st.size.selected;
    DrawStratum(std::move(units), &st, sample.strata.size(), &sample);
    sample.strata.push_back(std::move(st));
  }
  return sample;
}

}  // namespace malchin::pdm
