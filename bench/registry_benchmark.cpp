// Micro-benchmarks of the register's building blocks: register-number
// parsing, CSV reading, and disaggregated statistics over a national-size
// population (3.25 million persons).
#include <benchmark/benchmark.h>

#include <string>

#include "csv/csv.h"
#include "geo/geography.h"
#include "registry/population.h"
#include "registry/register_number.h"

namespace malchin {
namespace {

void BM_ParseRegisterNumber(benchmark::State& state) {
  const std::string rn = "УК03271614";
  for (auto _ : state) {
    auto r = registry::ParseRegisterNumber(rn);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseRegisterNumber);

std::string PersonsCsv(int rows) {
  std::string out =
      "register_no,household_id,family_name,father_name,given_name,sex,"
      "birth_date,relation,disability,herder,phone,bank_account\n";
  for (int i = 0; i < rows; ++i) {
    out += "ИЗ8512032" + std::to_string(i % 10) + ",H" + std::to_string(i) +
           ",Боржигин,Батбаяр,Оюунчимэг,F,1985-12-03,head,0,1,99112233,"
           "5001234567\n";
  }
  return out;
}

void BM_CsvReadPersons(benchmark::State& state) {
  std::string data = PersonsCsv(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    size_t n = 0;
    Status st = csv::ReadRecords("p.csv", data, {}, [&](const csv::Record&) {
      ++n;
      return Status::Ok();
    });
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(state.iterations() * data.size());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CsvReadPersons)->Arg(100000);

// A national-size population: 0.9 M households, 3.25 M persons, spread over
// the real soums.
registry::Population NationalPopulation() {
  auto geo = *geo::Geography::Load();
  registry::Population pop;
  uint64_t x = 42;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const auto& soums = geo->soums();
  registry::Household h;
  registry::Person p;
  for (int i = 0; i < 900000; ++i) {
    h.soum_code = soums[next() % soums.size()]->code;
    h.current_soum_code = h.soum_code;
    h.herder = next() % 5 == 0;
    h.herd[registry::Species::kSheep] = h.herder ? next() % 400 : 0;
    pop.AddHousehold(h);
    int size = 1 + static_cast<int>(next() % 6);
    for (int k = 0; k < size && pop.persons() < 3250000; ++k) {
      p.birth_date =
          Date::FromDays(-20000 + static_cast<int32_t>(next() % 38000));
      p.sex = next() % 2 ? registry::Sex::kMale : registry::Sex::kFemale;
      p.relation =
          k == 0 ? registry::Relation::kHead : registry::Relation::kChild;
      p.disability = next() % 30 == 0;
      pop.AddPerson(p, i);
    }
  }
  return pop;
}

void BM_StatsNationalBySoum(benchmark::State& state) {
  static const registry::Population pop = NationalPopulation();
  registry::SheepUnitFactors f;
  f.factor = {5, 7, 6, 1, 0.9};
  for (auto _ : state) {
    auto s = registry::ComputeStats(pop, Date::FromYmd(2020, 1, 1),
                                    registry::AreaLevel::kSoum, f);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * pop.persons());
}
BENCHMARK(BM_StatsNationalBySoum)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace malchin

BENCHMARK_MAIN();
