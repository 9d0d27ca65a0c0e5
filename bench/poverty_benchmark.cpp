// Benchmarks of the poverty engine: all measures with standard errors on
// the 20,000-household reference survey, and a full reform (baseline and
// reform, all measures, 12 domains, no SEs) on a synthetic national
// register of 10 million persons. Numbers: docs/poverty.md.
#include <benchmark/benchmark.h>

#include <string>

#include "poverty/measures.h"
#include "poverty/microsim.h"
#include "poverty/survey.h"
#include "poverty_synthetic.h"

namespace malchin::poverty {
namespace {

const std::string kSurveyDir =
    std::string(MALCHIN_SHARED_DIR) + "/reference/poverty/";

const Survey& ReferenceSurvey() {
  static const Survey s = [] {
    auto r =
        LoadSurvey(kSurveyDir + "households.csv", kSurveyDir + "persons.csv");
    if (!r.ok()) std::abort();
    return std::move(*r);
  }();
  return s;
}

Policy Cmp(int64_t amount, std::string name) {
  BenefitRule r;
  r.programme = "cmp";
  r.max_age = 17;
  r.amount = {{Date::FromYmd(2012, 10, 1), amount}};
  return {std::move(name), "bench", Date::FromYmd(2024, 1, 1), {r}};
}

Policy CmpAndDzud() {
  Policy p = Cmp(100000, "cmp100_dzud");
  BenefitRule d;
  d.programme = "dzud_topup";
  d.max_age = 5;
  d.household_flags = {"dzud_soum"};
  d.amount = {{Date::FromYmd(2010, 1, 1), 50000}};
  d.months = 3;
  p.rules.push_back(d);
  return p;
}

void BM_LoadSurveyCsv(benchmark::State& state) {
  for (auto _ : state) {
    auto r =
        LoadSurvey(kSurveyDir + "households.csv", kSurveyDir + "persons.csv");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LoadSurveyCsv)->Unit(benchmark::kMillisecond);

// Every measure, national only, linearised and jackknife SEs (1,250 PSUs):
// the like-for-like counterpart of bench/poverty_vs_r.R.
void BM_SurveyNationalAllMeasuresWithSe(benchmark::State& state) {
  const Survey& s = ReferenceSurvey();
  MeasureOptions opt;
  opt.poverty_line = 200000;
  opt.standard_errors = StandardErrors::kBoth;
  opt.threads = static_cast<int>(state.range(0));
  auto kids = CountMembers(s, 0, 17);
  HouseholdView v{s.weight, s.size, kids, s.stratum, s.psu};
  auto pop = Population::Make(v, DomainSet::National(s.households()), opt);
  if (!pop.ok()) std::abort();
  std::vector<double> y(s.households());
  for (size_t h = 0; h < y.size(); ++h) y[h] = s.consumption[h] / s.size[h];
  for (auto _ : state) {
    auto e = pop->Estimate(y);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_SurveyNationalAllMeasuresWithSe)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

// Every measure, 12 domains, linearised and jackknife SEs (1,250 PSUs).
void BM_SurveyAllMeasuresWithSe(benchmark::State& state) {
  const Survey& s = ReferenceSurvey();
  auto domains = StandardDomains(s);
  MeasureOptions opt;
  opt.poverty_line = 200000;
  opt.standard_errors = StandardErrors::kBoth;
  opt.threads = static_cast<int>(state.range(0));
  auto kids = CountMembers(s, 0, 17);
  HouseholdView v{s.weight, s.size, kids, s.stratum, s.psu};
  auto pop = Population::Make(v, *domains, opt);
  std::vector<double> y(s.households());
  for (size_t h = 0; h < y.size(); ++h) y[h] = s.consumption[h] / s.size[h];
  for (auto _ : state) {
    auto e = pop->Estimate(y);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_SurveyAllMeasuresWithSe)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

const Survey& Register() {
  static const Survey s = bench::SyntheticRegister(10'000'000);
  return s;
}

// Full reform on 10 million persons: baseline and reform, all measures,
// 12 domains, no SEs (full register), two threads.
void BM_RegisterFullReform10M(benchmark::State& state) {
  const Survey& s = Register();
  auto domains = StandardDomains(s);
  if (!domains.ok()) std::abort();
  SimulationOptions opt;
  opt.measures.poverty_line = 200000;
  opt.measures.threads = 2;
  for (auto _ : state) {
    auto sim = Simulator::Make(s, *domains, Cmp(20000, "baseline"), opt);
    if (!sim.ok()) std::abort();
    auto r = sim->Run(CmpAndDzud());
    if (!r.ok()) std::abort();
    benchmark::DoNotOptimize(r);
  }
  state.counters["persons"] = static_cast<double>(s.persons());
  state.counters["households"] = static_cast<double>(s.households());
}
BENCHMARK(BM_RegisterFullReform10M)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// One more reform against a prepared baseline.
void BM_RegisterReformOnly10M(benchmark::State& state) {
  const Survey& s = Register();
  auto domains = StandardDomains(s);
  SimulationOptions opt;
  opt.measures.poverty_line = 200000;
  opt.measures.threads = 2;
  auto sim = Simulator::Make(s, *domains, Cmp(20000, "baseline"), opt);
  if (!sim.ok()) std::abort();
  for (auto _ : state) {
    auto r = sim->Run(CmpAndDzud());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RegisterReformOnly10M)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_EstimateRegister(benchmark::State& state) {
  const Survey& s = Register();
  auto domains = StandardDomains(s);
  MeasureOptions opt;
  opt.poverty_line = 200000;
  auto kids = CountMembers(s, 0, 17);
  HouseholdView v{s.weight, s.size, kids, {}, {}};
  auto pop = Population::Make(v, *domains, opt);
  std::vector<double> y(s.households());
  for (size_t h = 0; h < y.size(); ++h) y[h] = s.consumption[h] / s.size[h];
  for (auto _ : state) {
    auto e = pop->Estimate(y);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_EstimateRegister)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace malchin::poverty

BENCHMARK_MAIN();
