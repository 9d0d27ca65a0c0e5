#include "poverty/microsim.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#include "poverty/internal/engine.h"
#include "poverty/internal/hash.h"
#include "poverty/internal/sorted_pass.h"

namespace malchin::poverty {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using internal::HashColumn;
using internal::HashString;
using internal::Hex64;
using internal::Mix;

bool DefaultAges(const BenefitRule& r) {
  return r.min_age == 0 && r.max_age == BenefitRule::kAnyAge;
}

// A rule resolved against the survey and the policy date.
struct ResolvedRule {
  const BenefitRule* rule = nullptr;
  int64_t amount = 0;
  std::vector<int32_t> areas;                     // sorted
  std::vector<const std::vector<double>*> flags;  // household columns
};

Result<ResolvedRule> Resolve(const Survey& s, const Policy& policy,
                             const BenefitRule& r) {
  const std::string who =
      "policy '" + policy.name + "', programme '" + r.programme + "'";
  if (r.programme.empty()) {
    return Status::InvalidArgument("policy '" + policy.name +
                                   "': a rule has no programme id");
  }
  if (r.min_age < 0 || r.max_age < r.min_age) {
    return Status::InvalidArgument(who +
                                       ": age range must have 0 <= min_age "
                                       "<= max_age",
                                   "min_age");
  }
  if (!DefaultAges(r) && !s.has_persons()) {
    return Status::FailedPrecondition(
        who + ": an age condition needs persons (ages) in the data");
  }
  if (!r.areas.empty() && s.area.empty()) {
    return Status::FailedPrecondition(
        who + ": an area condition needs an area (soum) column in the data");
  }
  if (r.cap_per_household < 0) {
    return Status::InvalidArgument(who + ": cap must be >= 0",
                                   "cap_per_household");
  }
  if (r.months < 1 || r.months > 12) {
    return Status::InvalidArgument(who + ": months must be 1..12", "months");
  }
  if (!(r.takeup >= 0 && r.takeup <= 1)) {
    return Status::InvalidArgument(who + ": take-up must be in [0,1]",
                                   "takeup");
  }
  if (r.amount.empty()) {
    return Status::InvalidArgument(who + ": no amount given", "amount");
  }
  ResolvedRule out;
  out.rule = &r;
  bool found = false;
  for (size_t i = 0; i < r.amount.size(); ++i) {
    if (r.amount[i].mnt < 0) {
      return Status::InvalidArgument(who + ": amounts must be >= 0 MNT",
                                     "amount");
    }
    if (i > 0 && !(r.amount[i - 1].from < r.amount[i].from)) {
      return Status::InvalidArgument(
          who + ": amount dates must be strictly increasing", "amount");
    }
    if (r.amount[i].from <= policy.date) {
      out.amount = r.amount[i].mnt;
      found = true;
    }
  }
  if (!found) {
    return Status::FailedPrecondition(who + ": no amount in force on " +
                                      policy.date.ToString() + " (first from " +
                                      r.amount.front().from.ToString() + ")");
  }
  out.areas = r.areas;
  std::sort(out.areas.begin(), out.areas.end());
  for (const std::string& f : r.household_flags) {
    const std::vector<double>* col = s.columns.Find(f);
    if (col == nullptr) {
      return Status::InvalidArgument(
          who + ": household flag column '" + f + "' is not in the data",
          "household_flags");
    }
    out.flags.push_back(col);
  }
  return out;
}

// Monthly entitlement and units of household h under a resolved rule.
inline int64_t Entitlement(const Survey& s, const ResolvedRule& rr, size_t h,
                           int64_t* units) {
  *units = 0;
  const BenefitRule& r = *rr.rule;
  if (!rr.areas.empty() &&
      !std::binary_search(rr.areas.begin(), rr.areas.end(), s.area[h])) {
    return 0;
  }
  for (const auto* col : rr.flags) {
    if ((*col)[h] == 0) return 0;
  }
  int64_t members;
  if (DefaultAges(r)) {
    members = s.size[h];
  } else {
    members = 0;
    for (uint32_t i = s.person_begin[h]; i < s.person_begin[h + 1]; ++i) {
      members += s.age[i] >= r.min_age && s.age[i] <= r.max_age;
    }
  }
  if (r.unit == BenefitRule::Unit::kPerson) {
    *units = members;
  } else {
    *units = members > 0 ? 1 : 0;
  }
  int64_t amount = *units * rr.amount;
  if (r.cap_per_household > 0) amount = std::min(amount, r.cap_per_household);
  return amount;
}

// All rules of a policy, resolved; InvalidArgument for a programme id used
// twice.
Result<std::vector<ResolvedRule>> ResolveAll(const Survey& s, const Policy& p) {
  std::vector<ResolvedRule> out;
  for (const BenefitRule& r : p.rules) {
    for (const ResolvedRule& seen : out) {
      if (seen.rule->programme == r.programme) {
        return Status::InvalidArgument("policy '" + p.name + "': programme '" +
                                       r.programme +
                                       "' has more than one rule");
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(ResolvedRule rr, Resolve(s, p, r));
    out.push_back(std::move(rr));
  }
  return out;
}

std::string_view TimingName(Timing t) {
  return t == Timing::kPaymentMonth ? "payment_month" : "annual_average";
}

std::string_view SeName(StandardErrors s) {
  switch (s) {
    case StandardErrors::kNone:
      return "none";
    case StandardErrors::kLinearization:
      return "linearization";
    case StandardErrors::kJackknife:
      return "jackknife_jkn";
    case StandardErrors::kBoth:
      return "linearization+jackknife_jkn";
  }
  return "unknown";
}

}  // namespace

double TakeupDraw(uint64_t seed, std::string_view programme, int64_t hh_id) {
  uint64_t h = Mix(seed);
  h = Mix(h ^ HashString(programme));
  h = Mix(h ^ static_cast<uint64_t>(hh_id));
  return static_cast<double>(h >> 11) * 0x1p-53;
}

struct Simulator::State {
  const Survey* survey = nullptr;
  Policy baseline;
  std::vector<ResolvedRule> base_rules;  // point into `baseline`
  SimulationOptions options;
  Population population;
  internal::BigVector<double> equiv;    // e_h
  internal::BigVector<double> welfare;  // baseline y_h
  internal::ScenarioState base;
  const std::vector<double>* takeup_col = nullptr;
  std::array<double, 9> decile_cut{};
  double gap_baseline = 0;
  Manifest manifest;

  explicit State(Population p) : population(std::move(p)) {}
};

Result<Simulator> Simulator::Make(const Survey& survey, DomainSet domains,
                                  Policy baseline, SimulationOptions options) {
  MALCHIN_RETURN_IF_ERROR(Validate(survey));
  if (!(options.mpc >= 0 && options.mpc <= 1)) {
    return Status::InvalidArgument("MPC must be in [0,1]", "mpc");
  }
  const size_t n = survey.households();
  internal::BigVector<int32_t> children;
  if (survey.has_persons()) {
    children.resize(n);
    for (size_t h = 0; h < n; ++h) {
      int32_t c = 0;
      for (uint32_t i = survey.person_begin[h]; i < survey.person_begin[h + 1];
           ++i) {
        c += survey.age[i] <= 17;
      }
      children[h] = c;
    }
  }
  HouseholdView view;
  view.weight = survey.weight;
  view.size = survey.size;
  view.children = children;
  if (options.measures.standard_errors != StandardErrors::kNone) {
    view.stratum = survey.stratum;
    view.psu = survey.psu;
  }
  MALCHIN_ASSIGN_OR_RETURN(
      Population pop,
      Population::Make(view, std::move(domains), options.measures));
  auto st = std::make_shared<State>(std::move(pop));
  st->survey = &survey;
  st->options = options;
  st->baseline = std::move(baseline);
  MALCHIN_ASSIGN_OR_RETURN(st->base_rules, ResolveAll(survey, st->baseline));
  if (!options.takeup_column.empty()) {
    st->takeup_col = survey.columns.Find(options.takeup_column);
    if (st->takeup_col == nullptr) {
      return Status::InvalidArgument(
          "take-up column '" + options.takeup_column + "' is not in the data",
          "takeup_column");
    }
    for (size_t h = 0; h < n; ++h) {
      const double u = (*st->takeup_col)[h];
      if (!(u >= 0 && u < 1)) {
        return Status::InvalidArgument(
            "household " + std::to_string(survey.hh_id[h]) +
                ": take-up draw must be in [0,1), got " + std::to_string(u),
            "takeup_column");
      }
    }
  }
  st->equiv.resize(n);
  if (options.scale == EquivalenceScale::kOecdModified) {
    MALCHIN_ASSIGN_OR_RETURN(std::vector<double> e,
                             EquivalentSizes(survey, options.scale));
    std::copy(e.begin(), e.end(), st->equiv.begin());
  } else {
    for (size_t h = 0; h < n; ++h) {
      st->equiv[h] = options.scale == EquivalenceScale::kPerCapita
                         ? survey.size[h]
                         : std::sqrt(static_cast<double>(survey.size[h]));
    }
  }
  st->welfare.resize(n);
  const double z = options.measures.poverty_line;
  const auto& impl = st->population.impl();
  for (size_t h = 0; h < n; ++h) {
    st->welfare[h] = survey.consumption[h] / st->equiv[h];
    st->gap_baseline += impl.person_w[h] * std::max(z - st->welfare[h], 0.0);
  }
  MALCHIN_ASSIGN_OR_RETURN(st->base, internal::Evaluate(impl, st->welfare));
  constexpr std::array<size_t, 9> kDecile = {0, 1, 3, 4, 5, 6, 7, 9, 10};
  for (size_t k = 0; k < 9; ++k) {
    st->decile_cut[k] = st->base.all_cuts[kDecile[k]];
  }
  Manifest& m = st->manifest;
  m.inputs = survey.inputs;
  uint64_t fp = Mix(0x6d616c6368696eULL);
  HashColumn(survey.hh_id, &fp);
  HashColumn(survey.weight, &fp);
  HashColumn(survey.size, &fp);
  HashColumn(survey.consumption, &fp);
  HashColumn(survey.stratum, &fp);
  HashColumn(survey.psu, &fp);
  HashColumn(survey.area, &fp);
  HashColumn(survey.person_begin, &fp);
  HashColumn(survey.age, &fp);
  m.data_fingerprint = Hex64(fp);
  m.baseline_policy = st->baseline.name;
  m.baseline_parameter_version = st->baseline.parameter_version;
  m.baseline_date = st->baseline.date.ToString();
  m.poverty_line = z;
  m.mpc = options.mpc;
  m.scale = EquivalenceScaleName(options.scale);
  m.timing = TimingName(options.timing);
  m.takeup_source = options.takeup_column.empty()
                        ? "hash(seed, programme, hh_id)"
                        : "column " + options.takeup_column;
  m.quantile_rule = options.measures.quantile_rule == QuantileRule::kLaeken
                        ? "laeken"
                        : "eurostat";
  m.standard_errors = SeName(options.measures.standard_errors);
  m.seed = options.seed;
  return Simulator(std::move(st));
}

const Estimates& Simulator::baseline() const { return state_->base.estimates; }

Result<ScenarioResult> Simulator::Run(const Policy& reform) const {
  const State& st = *state_;
  const Survey& s = *st.survey;
  const size_t n = s.households();
  const auto& impl = st.population.impl();
  MALCHIN_ASSIGN_OR_RETURN(std::vector<ResolvedRule> rules,
                           ResolveAll(s, reform));
  // Match reform programmes with baseline programmes; baseline-only
  // programmes are abolished by the reform.
  std::vector<int> match(rules.size(), -1);
  std::vector<size_t> abolished;
  for (size_t k = 0; k < st.base_rules.size(); ++k) {
    bool kept = false;
    for (size_t r = 0; r < rules.size(); ++r) {
      if (rules[r].rule->programme == st.base_rules[k].rule->programme) {
        match[r] = static_cast<int>(k);
        kept = true;
      }
    }
    if (!kept) abolished.push_back(k);
  }

  ScenarioResult out;
  out.name = reform.name;
  for (const ResolvedRule& r : rules) {
    out.programmes.push_back({r.rule->programme, 0, 0, 0, 0});
  }
  for (size_t k : abolished) {
    out.programmes.push_back({st.base_rules[k].rule->programme, 0, 0, 0, 0});
  }
  if (st.options.keep_household_delta) out.household_delta.assign(n, 0);
  const bool annual = st.options.timing == Timing::kAnnualAverage;
  const double z = st.options.measures.poverty_line;
  const double mpc = st.options.mpc;
  internal::BigVector<double> welfare(n);
  double cost_to_poor = 0;
  std::array<double, 10> by_decile{};
  for (size_t h = 0; h < n; ++h) {
    const double w = s.weight[h];
    int64_t delta = 0;
    double spread = 0;  // the change averaged over the year
    for (size_t r = 0; r < rules.size(); ++r) {
      int64_t units, unused;
      const int64_t amount = Entitlement(s, rules[r], h, &units);
      const int64_t base =
          match[r] >= 0 ? Entitlement(s, st.base_rules[match[r]], h, &unused)
                        : 0;
      int64_t d = amount - base;
      const double takeup = rules[r].rule->takeup;
      if (d > 0 && takeup < 1) {
        const double u = st.takeup_col
                             ? (*st.takeup_col)[h]
                             : TakeupDraw(st.options.seed,
                                          rules[r].rule->programme, s.hh_id[h]);
        if (!(u < takeup)) d = 0;
      }
      if (d == 0) continue;
      delta += d;
      spread += static_cast<double>(d) * rules[r].rule->months / 12.0;
      ProgrammeResult& pr = out.programmes[r];
      pr.cost_month += w * static_cast<double>(d);
      if (d > 0) {
        pr.beneficiary_households += w;
        pr.beneficiary_units += w * static_cast<double>(units);
      }
    }
    for (size_t i = 0; i < abolished.size(); ++i) {
      int64_t unused;
      const ResolvedRule& br = st.base_rules[abolished[i]];
      const int64_t d = -Entitlement(s, br, h, &unused);
      if (d == 0) continue;
      delta += d;
      spread += static_cast<double>(d) * br.rule->months / 12.0;
      out.programmes[rules.size() + i].cost_month += w * static_cast<double>(d);
    }
    const double c =
        s.consumption[h] + mpc * (annual ? spread : static_cast<double>(delta));
    if (!(c > 0)) {
      return Status::InvalidArgument(
          "reform '" + reform.name + "': household " +
          std::to_string(s.hh_id[h]) +
          " would have consumption <= 0 after the benefit change");
    }
    welfare[h] = c / st.equiv[h];
    const double v = impl.person_w[h];
    out.poverty_gap_reform += v * std::max(z - welfare[h], 0.0);
    if (delta == 0) continue;
    if (!out.household_delta.empty()) out.household_delta[h] = delta;
    const double wd = w * static_cast<double>(delta);
    out.cost_month += wd;
    if (delta > 0) {
      out.benef_households += w;
      out.persons_in_benef_households += v;
    } else {
      out.loser_households += w;
      out.persons_in_loser_households += v;
    }
    const double y0 = st.welfare[h];
    if (y0 < z) cost_to_poor += wd;
    const size_t g =
        std::lower_bound(st.decile_cut.begin(), st.decile_cut.end(), y0) -
        st.decile_cut.begin();
    by_decile[g] += wd;
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    out.programmes[r].cost_year =
        out.programmes[r].cost_month * rules[r].rule->months;
  }
  for (size_t i = 0; i < abolished.size(); ++i) {
    out.programmes[rules.size() + i].cost_year =
        out.programmes[rules.size() + i].cost_month *
        st.base_rules[abolished[i]].rule->months;
  }
  for (const ProgrammeResult& pr : out.programmes) {
    out.cost_year += pr.cost_year;
    out.benef_units += pr.beneficiary_units;
  }
  out.poverty_gap_baseline = st.gap_baseline;
  if (out.cost_month > 0) {
    out.gap_closed_per_mnt_spent =
        (st.gap_baseline - out.poverty_gap_reform) / out.cost_month;
    out.cost_to_poor_share_pre = cost_to_poor / out.cost_month;
    for (size_t k = 0; k < 10; ++k) {
      out.spend_share_pre_decile[k] = by_decile[k] / out.cost_month;
    }
  } else {
    out.gap_closed_per_mnt_spent = kNaN;
    out.cost_to_poor_share_pre = kNaN;
    out.spend_share_pre_decile.fill(kNaN);
  }

  MALCHIN_ASSIGN_OR_RETURN(internal::ScenarioState rs,
                           internal::Evaluate(impl, welfare));
  out.measures.change = internal::Change(impl, st.base, rs);
  out.measures.baseline = st.base.estimates;
  out.measures.reform = std::move(rs.estimates);
  out.manifest = st.manifest;
  out.manifest.reform_policy = reform.name;
  out.manifest.reform_parameter_version = reform.parameter_version;
  out.manifest.reform_date = reform.date.ToString();
  return out;
}

}  // namespace malchin::poverty
