// A reform over the national register at scale 3 (about 10 million
// persons, the demo generator's register built in memory): the Child Money
// Programme in the rule language, baseline = the law in force, reform = a
// parameter patch (120,000/month) plus a one-off dzud top-up for children
// 0-5 in event soums, with every measure (no SEs: a full register) by 26
// domains on a synthetic consumption value per household. Numbers:
// docs/poverty.md.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "demo/generator.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "poverty/register_sim.h"
#include "rules/frame.h"

namespace malchin::poverty {
namespace {

const Date kAsOf = Date::FromYmd(2024, 6, 1);

struct Register {
  registry::Population pop;
  std::vector<double> consumption;
  std::shared_ptr<const params::ParameterSet> params;
  rules::EventContext event;
};

double Scale() {
  const char* s = std::getenv("MALCHIN_BENCH_SCALE");
  return s ? std::atof(s) : 3.0;
}

const Register& National() {
  static const Register r = [] {
    Register r;
    auto geo = geo::Geography::Load();
    if (!geo.ok()) std::abort();
    demo::Options o;
    o.scale = Scale();
    o.as_of = kAsOf;
    demo::Sink sink{[&](const registry::Household& h) {
                      r.pop.AddHousehold(h);
                      return Status::Ok();
                    },
                    [&](const registry::Person& p) {
                      r.pop.AddPerson(
                          p, static_cast<int32_t>(r.pop.households() - 1));
                      return Status::Ok();
                    }};
    if (!demo::Generate(**geo, o, sink).ok()) std::abort();
    // Synthetic consumption: log-normal per capita, lower for herders.
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal(0, 0.45);
    std::vector<int32_t> size(r.pop.households(), 0);
    for (int32_t h : r.pop.household) ++size[h];
    r.consumption.resize(r.pop.households());
    for (size_t h = 0; h < r.consumption.size(); ++h) {
      const double pc =
          std::exp(12.35 - 0.2 * r.pop.household_herder[h] + normal(rng));
      r.consumption[h] = std::round(pc * std::max(1, size[h]));
    }
    r.params = *params::ParameterSet::Embedded();
    // Every fifth soum of Zavkhan (181) and Uvs (151) in a dzud.
    for (int32_t code : r.pop.soum_code) {
      if ((code / 100 == 181 || code / 100 == 151) && code % 5 == 0) {
        r.event.severity_by_soum[code] = rules::Severity::kHigh;
      }
    }
    return r;
  }();
  return r;
}

// CPU seconds of the whole process (every thread), for a machine shared
// with other work, where elapsed time says little.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

RegisterProgramme ChildMoney() {
  RegisterProgramme p;
  p.programme = "child_money";
  p.rule.eligibility = "age <= param(\"child_money.max_age\")";
  p.rule.amount = "param(\"child_money.monthly\")";
  return p;
}

void BM_RegisterRulesReformAllMeasures(benchmark::State& state) {
  const Register& r = National();
  auto factors = registry::SheepUnitFactors::On(*r.params, kAsOf);
  RegisterPolicy base{"baseline", r.params, {ChildMoney()}, ""};
  RegisterProgramme dzud;
  dzud.programme = "dzud_topup";
  dzud.rule.eligibility = "age <= 5 and event.severity >= high";
  dzud.rule.amount = "50000";
  dzud.months = 1;
  RegisterPolicy reform{
      "cmp120_dzud",
      r.params->Override("child_money.monthly",
                         {{Date::FromYmd(2024, 1, 1), 120000, "bench", ""}}),
      {ChildMoney(), dzud},
      "+bench"};
  RegisterOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  opt.event = &r.event;
  opt.consumption = r.consumption;
  opt.poverty_line = 250000;
  int64_t cost = 0;
  const double cpu0 = ProcessCpuSeconds();
  for (auto _ : state) {
    // Timed: the frame (ages, members on the date), both policies' rules
    // over every person, the household changes, and all measures for
    // baseline and reform by domain.
    auto frame = rules::Frame::Build(r.pop, kAsOf, *factors);
    if (!frame.ok()) std::abort();
    auto res = SimulateRegister(*frame, base, reform, opt);
    if (!res.ok()) {
      state.SkipWithError(res.status().ToString().c_str());
      return;
    }
    cost = res->cost_change_month;
    benchmark::DoNotOptimize(res);
  }
  state.counters["process_cpu_s_per_iter"] =
      (ProcessCpuSeconds() - cpu0) / static_cast<double>(state.iterations());
  state.counters["persons"] = static_cast<double>(r.pop.persons());
  state.counters["households"] = static_cast<double>(r.pop.households());
  state.counters["cost_change_month_bn_mnt"] = static_cast<double>(cost) / 1e9;
}
BENCHMARK(BM_RegisterRulesReformAllMeasures)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace malchin::poverty

BENCHMARK_MAIN();
