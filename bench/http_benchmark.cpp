// Micro-benchmarks of the request path that does not touch the store:
// routing, target parsing and strict JSON decoding of a household body.
#include <benchmark/benchmark.h>

#include "api/api.h"
#include "api/codec.h"
#include "api/json_input.h"
#include "http/message.h"
#include "http/router.h"

namespace {

using namespace malchin;

void BM_RouterFind(benchmark::State& state) {
  http::Router router;
  api::Services services;
  api::BuildApi(&router, &services);
  for (auto _ : state) {
    auto m = router.Find("GET", "/api/v1/households/18140-000123");
    benchmark::DoNotOptimize(m.route);
  }
}
BENCHMARK(BM_RouterFind);

void BM_ParseTarget(benchmark::State& state) {
  std::string path;
  std::multimap<std::string, std::string> q;
  for (auto _ : state) {
    auto st = http::ParseTarget(
        "/api/v1/households?soum=18140&q=%D0%91%D0%B0%D1%82&page=3", &path, &q);
    benchmark::DoNotOptimize(st.ok());
  }
}
BENCHMARK(BM_ParseTarget);

void BM_DecodeHousehold(benchmark::State& state) {
  auto geo = geo::Geography::Load().value();
  std::string body =
      R"({"household_id":"18140-000123","soum_code":18140,"bag":"2","herder":true,"sheep":120,"goats":80,"horses":12,"cattle":9,"camels":0,"phone":"99112233","lat":48.5,"lon":98.1})";
  for (auto _ : state) {
    auto in = api::JsonInput::Parse(body);
    auto h = api::HouseholdFromJson(*in, *geo);
    benchmark::DoNotOptimize(h.ok());
  }
}
BENCHMARK(BM_DecodeHousehold);

}  // namespace

BENCHMARK_MAIN();
