// Generation speed of the demo register, without any store: the part of
// `malchin generate` that is ours (bench/registry_load.sh measures the whole
// command, SQLite included).
#include <benchmark/benchmark.h>

#include "demo/generator.h"

namespace malchin::demo {
namespace {

void Generate(benchmark::State& state, std::vector<int32_t> aimags,
              double scale) {
  auto geo = *geo::Geography::Load();
  Options options;
  options.aimags = std::move(aimags);
  options.scale = scale;
  int64_t persons = 0;
  Sink sink{[](const registry::Household& h) {
              benchmark::DoNotOptimize(h.id.data());
              return Status::Ok();
            },
            [&](const registry::Person& p) {
              benchmark::DoNotOptimize(p.register_no.data());
              return Status::Ok();
            }};
  for (auto _ : state) {
    auto summary = demo::Generate(*geo, options, sink);
    if (!summary.ok()) state.SkipWithError(summary.status().message().c_str());
    persons += summary->persons;
  }
  state.counters["persons/s"] = benchmark::Counter(static_cast<double>(persons),
                                                   benchmark::Counter::kIsRate);
}

void BM_GenerateZavkhan(benchmark::State& state) { Generate(state, {181}, 1); }
BENCHMARK(BM_GenerateZavkhan)->Unit(benchmark::kMillisecond);

void BM_GenerateNational(benchmark::State& state) { Generate(state, {}, 1); }
BENCHMARK(BM_GenerateNational)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace malchin::demo

BENCHMARK_MAIN();
