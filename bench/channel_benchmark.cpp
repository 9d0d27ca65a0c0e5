// Messages queued per second (channel::Queue: render, plan, price, store
// once by its key): a payment notice to each of N households, on the
// database of $MALCHIN_BENCH_DB (a path, sqlite:PATH or postgresql://...;
// default a new SQLite file in the temporary folder, removed after).
//
//   build/release/bench/channel_benchmark
//   --benchmark_filter='BM_QueueHouseholds/180000/'
//
// Arguments: households, messages per transaction (1: each Queue commits
// on its own, as a single notice does; 1000: a broadcast in chunks, each
// chunk one session.Write that the Queue calls join).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench_db.h"
#include "channel/outbox.h"
#include "channel/templates.h"
#include "params/parameters.h"

namespace malchin::bench {
namespace {

std::string BenchUrl(bool* temporary) {
  const char* env = std::getenv("MALCHIN_BENCH_DB");
  *temporary = env == nullptr;
  if (env) return env;
  return (std::filesystem::temp_directory_path() /
          ("malchin-channel-bench-" + std::to_string(::getpid()) + ".db"))
      .string();
}

channel::QueueRequest Notice(const std::string& run, int64_t i) {
  char phone[32];
  std::snprintf(phone, sizeof phone, "99%06d", static_cast<int>(i % 1000000));
  channel::QueueRequest q;
  q.idempotency_key = "bench." + run + "." + std::to_string(i);
  q.phone = phone;
  q.household_id = "H" + std::to_string(i);
  q.template_id = "payment.sent";
  q.values = {{"programme", "Зудын тусламж"},
              {"amount", "300,000"},
              {"bank", "Хаан банк"},
              {"date", "2026-02-15"},
              {"phone", "70112233"}};
  return q;
}

void BM_QueueHouseholds(benchmark::State& state) {
  const int64_t households = state.range(0);
  const int64_t chunk = state.range(1);
  bool temporary = false;
  std::string url = BenchUrl(&temporary);
  auto db = OpenBenchDb(url, /*create=*/true);
  auto catalogue = channel::TemplateCatalogue::Embedded();
  auto parameters = params::ParameterSet::Embedded();
  if (!db.ok() || !catalogue.ok() || !parameters.ok()) {
    state.SkipWithError("cannot open the database or the data");
    return;
  }
  store::Session& session = *(*db)->session;
  static int runs = 0;
  for (auto _ : state) {
    std::string run = std::to_string(::getpid()) + "-" + std::to_string(++runs);
    for (int64_t i = 0; i < households; i += chunk) {
      Status st = session.Write([&]() -> Status {
        for (int64_t j = i; j < std::min(households, i + chunk); ++j) {
          MALCHIN_RETURN_IF_ERROR(
              channel::Queue(session, **catalogue, **parameters, Notice(run, j))
                  .status());
        }
        return Status::Ok();
      });
      if (!st.ok()) {
        state.SkipWithError(st.ToString().c_str());
        return;
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * households);
  db->reset();
  if (temporary) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(url + suffix);
    }
  }
}
BENCHMARK(BM_QueueHouseholds)
    ->Args({1000, 1})
    ->Args({1000, 1000})
    ->Args({180000, 1})
    ->Args({180000, 1000})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace malchin::bench

BENCHMARK_MAIN();
