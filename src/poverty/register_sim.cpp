#include "poverty/register_sim.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "poverty/internal/hash.h"
#include "poverty/microsim.h"
#include "rules/evaluator.h"

namespace malchin::poverty {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Monthly amount per household of one programme under one policy.
struct ProgrammeAmounts {
  std::vector<int64_t> amount;  // per household
  int64_t beneficiaries = 0;
};

Result<ProgrammeAmounts> Evaluate(
    const std::shared_ptr<const rules::Frame>& frame,
    const RegisterPolicy& policy, const RegisterProgramme& p,
    const RegisterOptions& o) {
  const std::string who =
      "policy '" + policy.name + "', programme '" + p.programme + "'";
  rules::Schema schema;
  if (o.extensions != nullptr) schema = o.extensions->schema();
  schema.set_parameters(policy.parameters);
  auto rule = rules::Rule::Compile(p.rule, schema);
  if (!rule.ok()) {
    return Status::InvalidArgument(who + ": " + rule.status().message(),
                                   "rule");
  }
  rules::Bindings b;
  b.event = o.event;
  b.parameters = policy.parameters;
  b.extensions = o.extensions;
  b.threads = std::max(1, o.threads);
  auto ev = rules::Evaluator::Bind(*rule, frame, b);
  if (!ev.ok()) return ev.status().WithContext(who);
  ProgrammeAmounts out;
  out.amount.assign(frame->households(), 0);
  const std::vector<rules::Beneficiary> paid = ev->Select();
  for (const rules::Beneficiary& x : paid) out.amount[x.household] += x.amount;
  out.beneficiaries = static_cast<int64_t>(paid.size());
  return out;
}

Status CheckPolicy(const RegisterPolicy& p) {
  if (p.parameters == nullptr) {
    return Status::InvalidArgument("policy '" + p.name +
                                   "': no parameter set given");
  }
  for (size_t i = 0; i < p.programmes.size(); ++i) {
    const RegisterProgramme& r = p.programmes[i];
    const std::string who =
        "policy '" + p.name + "', programme '" + r.programme + "'";
    if (r.programme.empty()) {
      return Status::InvalidArgument("policy '" + p.name +
                                     "': a programme has no id");
    }
    for (size_t j = 0; j < i; ++j) {
      if (p.programmes[j].programme == r.programme) {
        return Status::InvalidArgument(who + " appears twice");
      }
    }
    if (r.months < 1 || r.months > 12) {
      return Status::InvalidArgument(
          who + ": months must be 1..12, got " + std::to_string(r.months),
          "months");
    }
    if (!(r.takeup >= 0 && r.takeup <= 1)) {
      return Status::InvalidArgument(who + ": take-up must be in [0,1]",
                                     "takeup");
    }
  }
  return Status::Ok();
}

std::string Fingerprint(const registry::Population& pop, Date as_of) {
  uint64_t h = internal::Mix(0x7265676973746572ULL ^
                             static_cast<uint64_t>(as_of.days()));
  for (const std::string& id : pop.household_id) {
    h = internal::Mix(h ^ internal::Fnv1a(id));
  }
  internal::HashColumn(pop.soum_code, &h);
  internal::HashColumn(pop.household_herder, &h);
  internal::HashColumn(pop.household, &h);
  internal::HashColumn(pop.birth_days, &h);
  internal::HashColumn(pop.sex, &h);
  internal::HashColumn(pop.relation, &h);
  internal::HashColumn(pop.disability, &h);
  internal::HashColumn(pop.herder, &h);
  return internal::Hex64(h);
}

}  // namespace

int64_t RegisterUnitKey(std::string_view household_id) {
  return static_cast<int64_t>(internal::Fnv1a(household_id));
}

Result<RegisterResult> SimulateRegister(
    const std::shared_ptr<const rules::Frame>& frame,
    const RegisterPolicy& baseline, const RegisterPolicy& reform,
    const RegisterOptions& o) {
  if (frame == nullptr) return Status::InvalidArgument("no register frame");
  MALCHIN_RETURN_IF_ERROR(CheckPolicy(baseline));
  MALCHIN_RETURN_IF_ERROR(CheckPolicy(reform));
  if (!(o.mpc >= 0 && o.mpc <= 1)) {
    return Status::InvalidArgument("MPC must be in [0,1]", "mpc");
  }
  const rules::Frame& f = *frame;
  const registry::Population& pop = f.population();
  const size_t nh = f.households();
  const bool with_measures = !o.consumption.empty();
  if (with_measures) {
    if (o.consumption.size() != nh) {
      return Status::InvalidArgument(
          "consumption has " + std::to_string(o.consumption.size()) +
              " values for " + std::to_string(nh) + " register households",
          "consumption");
    }
    if (!(o.poverty_line > 0) || !std::isfinite(o.poverty_line)) {
      return Status::InvalidArgument("poverty line must be > 0",
                                     "poverty_line");
    }
  }

  RegisterResult out;
  out.baseline = baseline.name;
  out.reform = reform.name;
  out.baseline_parameter_version =
      baseline.parameters->version() + baseline.parameter_version_suffix;
  out.reform_parameter_version =
      reform.parameters->version() + reform.parameter_version_suffix;
  out.as_of = f.as_of().ToString();
  out.data_fingerprint = Fingerprint(pop, f.as_of());
  out.seed = o.seed;
  out.households = static_cast<int64_t>(nh);
  for (size_t h = 0; h < nh; ++h) out.persons += f.Size(h);

  // Amounts per programme and policy.
  std::vector<ProgrammeAmounts> base(baseline.programmes.size());
  std::vector<ProgrammeAmounts> ref(reform.programmes.size());
  for (size_t i = 0; i < base.size(); ++i) {
    MALCHIN_ASSIGN_OR_RETURN(
        base[i], Evaluate(frame, baseline, baseline.programmes[i], o));
  }
  for (size_t i = 0; i < ref.size(); ++i) {
    MALCHIN_ASSIGN_OR_RETURN(ref[i],
                             Evaluate(frame, reform, reform.programmes[i], o));
  }
  // Reform programme -> baseline programme of the same id; baseline-only
  // programmes are abolished.
  std::vector<int> match(ref.size(), -1);
  std::vector<size_t> abolished;
  for (size_t k = 0; k < base.size(); ++k) {
    bool kept = false;
    for (size_t r = 0; r < ref.size(); ++r) {
      if (reform.programmes[r].programme == baseline.programmes[k].programme) {
        match[r] = static_cast<int>(k);
        kept = true;
      }
    }
    if (!kept) abolished.push_back(k);
  }
  for (size_t r = 0; r < ref.size(); ++r) {
    RegisterProgrammeResult pr;
    pr.programme = reform.programmes[r].programme;
    pr.beneficiaries_reform = ref[r].beneficiaries;
    if (match[r] >= 0) pr.beneficiaries_baseline = base[match[r]].beneficiaries;
    out.programmes.push_back(pr);
  }
  for (size_t k : abolished) {
    RegisterProgrammeResult pr;
    pr.programme = baseline.programmes[k].programme;
    pr.beneficiaries_baseline = base[k].beneficiaries;
    out.programmes.push_back(pr);
  }

  // Aimag of each household, dense.
  std::vector<int32_t> aimag_codes;
  for (int32_t soum : f.soum_codes()) {
    const int32_t a = geo::AimagOfSoum(soum);
    if (aimag_codes.empty() || aimag_codes.back() != a) {
      aimag_codes.push_back(a);
    }
  }
  std::sort(aimag_codes.begin(), aimag_codes.end());
  aimag_codes.erase(std::unique(aimag_codes.begin(), aimag_codes.end()),
                    aimag_codes.end());
  std::vector<int32_t> aimag_of_soum(f.soum_codes().size());
  for (size_t i = 0; i < f.soum_codes().size(); ++i) {
    aimag_of_soum[i] = static_cast<int32_t>(
        std::lower_bound(aimag_codes.begin(), aimag_codes.end(),
                         geo::AimagOfSoum(f.soum_codes()[i])) -
        aimag_codes.begin());
  }
  out.by_aimag.resize(aimag_codes.size());
  for (size_t a = 0; a < aimag_codes.size(); ++a) {
    out.by_aimag[a].aimag = aimag_codes[a];
  }

  std::vector<int64_t> delta(nh, 0);
  for (size_t h = 0; h < nh; ++h) {
    int64_t d_total = 0;
    int64_t key = 0;
    bool have_key = false;
    for (size_t r = 0; r < ref.size(); ++r) {
      const RegisterProgramme& rp = reform.programmes[r];
      const int64_t b = match[r] >= 0 ? base[match[r]].amount[h] : 0;
      const int64_t a = ref[r].amount[h];
      int64_t d = a - b;
      if (d > 0 && rp.takeup < 1) {
        if (!have_key) {
          key = RegisterUnitKey(pop.household_id[h]);
          have_key = true;
        }
        if (!(TakeupDraw(o.seed, rp.programme, key) < rp.takeup)) d = 0;
      }
      RegisterProgrammeResult& pr = out.programmes[r];
      pr.baseline_month += b;
      pr.reform_month += b + d;
      pr.change_month += d;
      if (d > 0) ++pr.gaining_households;
      d_total += d;
    }
    for (size_t i = 0; i < abolished.size(); ++i) {
      const int64_t b = base[abolished[i]].amount[h];
      RegisterProgrammeResult& pr = out.programmes[ref.size() + i];
      pr.baseline_month += b;
      pr.change_month -= b;
      d_total -= b;
    }
    delta[h] = d_total;
    const int64_t members = f.Size(h);
    RegisterAreaResult& area = out.by_aimag[aimag_of_soum[f.soum_index()[h]]];
    ++area.households;
    area.persons += members;
    area.change_month += d_total;
    out.cost_change_month += d_total;
    if (d_total > 0) {
      ++out.gaining_households;
      out.persons_in_gaining_households += members;
      ++area.gaining_households;
      area.persons_in_gaining_households += members;
    } else if (d_total < 0) {
      ++out.losing_households;
      out.persons_in_losing_households += members;
    }
  }
  for (size_t r = 0; r < out.programmes.size(); ++r) {
    const int months =
        r < ref.size() ? reform.programmes[r].months
                       : baseline.programmes[abolished[r - ref.size()]].months;
    out.programmes[r].change_year = out.programmes[r].change_month * months;
    out.cost_change_year += out.programmes[r].change_year;
  }

  if (!with_measures) return out;

  // Measures over households with at least one member on the date.
  out.has_measures = true;
  out.poverty_line = o.poverty_line;
  std::vector<uint32_t> rows;
  rows.reserve(nh);
  for (size_t h = 0; h < nh; ++h) {
    if (f.Size(h) > 0) {
      rows.push_back(static_cast<uint32_t>(h));
    } else {
      ++out.households_without_members;
    }
  }
  if (rows.empty()) {
    return Status::FailedPrecondition("no household has a member on " +
                                      out.as_of);
  }
  const size_t n = rows.size();
  std::vector<double> weight(n, 1.0), yb(n), yr(n);
  std::vector<int32_t> size(n), children(n);
  std::vector<uint8_t> herder(n), with_children(n);
  std::vector<std::vector<uint8_t>> in_aimag(aimag_codes.size(),
                                             std::vector<uint8_t>(n, 0));
  for (size_t i = 0; i < n; ++i) {
    const uint32_t h = rows[i];
    const double c = o.consumption[h];
    if (!(c > 0) || !std::isfinite(c)) {
      return Status::InvalidArgument(
          "household " + pop.household_id[h] +
              ": consumption must be a finite number > 0, got " +
              std::to_string(c),
          "consumption");
    }
    size[i] = f.Size(h);
    int32_t kids = 0;
    for (int32_t p : f.Members(h)) {
      kids += f.Born(p) && f.Age(p) <= 17;
    }
    children[i] = kids;
    with_children[i] = kids > 0;
    herder[i] = pop.household_herder[h];
    in_aimag[aimag_of_soum[f.soum_index()[h]]][i] = 1;
    yb[i] = c / size[i];
    const double cr = c + o.mpc * static_cast<double>(delta[h]);
    if (!(cr > 0)) {
      return Status::InvalidArgument(
          "reform '" + reform.name + "': household " + pop.household_id[h] +
          " would have consumption <= 0 after the benefit change");
    }
    yr[i] = cr / size[i];
  }
  DomainSet domains = DomainSet::National(n);
  auto add = [&](std::string name, const std::vector<uint8_t>& member) {
    if (std::find(member.begin(), member.end(), 1) == member.end()) {
      return Status::Ok();  // empty domains are left out
    }
    return domains.Add(std::move(name), member);
  };
  MALCHIN_RETURN_IF_ERROR(add("herder", herder));
  std::vector<uint8_t> nonherder(n);
  for (size_t i = 0; i < n; ++i) nonherder[i] = !herder[i];
  MALCHIN_RETURN_IF_ERROR(add("nonherder", nonherder));
  MALCHIN_RETURN_IF_ERROR(add("hh_with_children", with_children));
  for (size_t a = 0; a < aimag_codes.size(); ++a) {
    MALCHIN_RETURN_IF_ERROR(
        add("aimag_" + std::to_string(aimag_codes[a]), in_aimag[a]));
  }
  MeasureOptions mo;
  mo.poverty_line = o.poverty_line;
  mo.quantile_rule = o.quantile_rule;
  mo.standard_errors = StandardErrors::kNone;
  mo.threads = std::max(1, o.threads);
  MALCHIN_ASSIGN_OR_RETURN(Population measures_pop,
                           Population::Make({weight, size, children, {}, {}},
                                            std::move(domains), mo));
  MALCHIN_ASSIGN_OR_RETURN(out.measures, measures_pop.Compare(yb, yr));
  const double gap_b =
      out.measures.baseline.domains[0][Measure::kPovertyGapTotal];
  const double gap_r =
      out.measures.reform.domains[0][Measure::kPovertyGapTotal];
  out.gap_closed_per_mnt_spent =
      out.cost_change_month > 0
          ? (gap_b - gap_r) / static_cast<double>(out.cost_change_month)
          : kNaN;
  return out;
}

Survey RegisterAsSurvey(const rules::Frame& f) {
  const registry::Population& pop = f.population();
  const size_t nh = f.households();
  Survey s;
  std::vector<double> hh_size, kids17, kids5, elderly, herder, livestock,
      sheep_units, head_female, head_age;
  std::array<std::vector<double>, registry::kSpeciesCount> species;
  s.person_begin.push_back(0);
  for (size_t h = 0; h < nh; ++h) {
    const int32_t size = f.Size(h);
    if (size == 0) continue;
    s.hh_id.push_back(static_cast<int64_t>(h));
    s.weight.push_back(1.0);
    s.size.push_back(size);
    s.consumption.push_back(1.0);
    s.area.push_back(pop.soum_code[h]);
    int k17 = 0, k5 = 0, old = 0;
    for (int32_t p : f.Members(h)) {
      if (!f.Born(p)) continue;
      const int age = f.Age(p);
      s.age.push_back(static_cast<int16_t>(std::min(age, 130)));
      s.female.push_back(
          pop.sex[p] == static_cast<uint8_t>(registry::Sex::kFemale) ? 1 : 0);
      s.relation.push_back(static_cast<int8_t>(pop.relation[p]));
      k17 += age <= 17;
      k5 += age <= 5;
      old += age >= 60;
    }
    s.person_begin.push_back(static_cast<uint32_t>(s.age.size()));
    hh_size.push_back(size);
    kids17.push_back(k17);
    kids5.push_back(k5);
    elderly.push_back(old);
    herder.push_back(pop.household_herder[h]);
    livestock.push_back(static_cast<double>(pop.herd[h].total()));
    sheep_units.push_back(f.SheepUnits(h));
    for (int k = 0; k < registry::kSpeciesCount; ++k) {
      species[k].push_back(pop.herd[h].head[k]);
    }
    head_female.push_back(f.FemaleHead(h) ? 1 : 0);
    const int32_t payee = f.Payee(h);
    head_age.push_back(payee >= 0 ? f.Age(payee) : 0);
  }
  // Names are fixed and distinct, so Add cannot fail.
  (void)s.columns.Add("hh_size", std::move(hh_size));
  (void)s.columns.Add("n_child_0_17", std::move(kids17));
  (void)s.columns.Add("n_child_0_5", std::move(kids5));
  (void)s.columns.Add("n_elderly_60", std::move(elderly));
  (void)s.columns.Add("herder", std::move(herder));
  (void)s.columns.Add("livestock", std::move(livestock));
  (void)s.columns.Add("sheep_units", std::move(sheep_units));
  static const char* kSpecies[] = {"camels", "horses", "cattle", "sheep",
                                   "goats"};
  for (int k = 0; k < registry::kSpeciesCount; ++k) {
    (void)s.columns.Add(kSpecies[k], std::move(species[k]));
  }
  (void)s.columns.Add("head_female", std::move(head_female));
  (void)s.columns.Add("head_age", std::move(head_age));
  return s;
}

Status AddPmtScoreColumn(const PmtModel& model, const rules::Frame& frame,
                         const std::string& name, rules::Extensions* ext) {
  const Survey s = RegisterAsSurvey(frame);
  if (s.households() == 0) {
    return Status::FailedPrecondition("no register household has a member");
  }
  MALCHIN_ASSIGN_OR_RETURN(std::vector<double> score, ScorePmt(model, s));
  std::vector<double> values(frame.households(), 0.0);
  std::vector<uint8_t> present(frame.households(), 0);
  for (size_t i = 0; i < s.households(); ++i) {
    values[s.hh_id[i]] = score[i];
    present[s.hh_id[i]] = 1;
  }
  rules::ColumnSpec spec = rules::ColumnSpec::Number(
      name, "", rules::Scope::kHousehold, /*nullable=*/true);
  spec.description = "PMT score (model " + model.name + ")";
  return ext->Add(std::move(spec), std::move(values), std::move(present));
}

}  // namespace malchin::poverty
