// A national SMS broadcast (#20): the time to build the recipient list
// (channel::PreviewBroadcast: the target rule over the register, phones,
// opt-outs, counts by soum x sex of head) and messages queued per second
// by channel::SendBroadcast (recipients frozen, then queued into the
// outbox 500 per transaction, once each by key), on the register of
// $MALCHIN_BENCH_DB (a path, sqlite:PATH or postgresql://...), which must
// hold a register: make the national demo one first with
//
//   build/release/src/cli/malchin generate --db /tmp/national.db
//   MALCHIN_BENCH_DB=/tmp/national.db build/release/bench/broadcast_benchmark
//
// Each iteration drafts a new broadcast to every herder household (target
// `household.herder`), so it queues a new message per recipient.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "bench_db.h"
#include "channel/broadcast.h"
#include "params/parameters.h"

namespace malchin::bench {
namespace {

struct Fixture {
  std::unique_ptr<BenchDb> db;
  channel::BroadcastContext ctx;
};

Result<Fixture> Open() {
  const char* url = std::getenv("MALCHIN_BENCH_DB");
  if (!url) {
    return Status::FailedPrecondition(
        "set MALCHIN_BENCH_DB to a register (malchin generate --db FILE)");
  }
  Fixture f;
  MALCHIN_ASSIGN_OR_RETURN(f.db, OpenBenchDb(url, /*create=*/false));
  MALCHIN_ASSIGN_OR_RETURN(f.ctx.catalogue,
                           channel::TemplateCatalogue::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(auto p, params::ParameterSet::Embedded());
  // A national broadcast is over the approval thresholds; the benchmark
  // measures the maker's send without a second session.
  p = p->Override("sms.broadcast_approval_recipients",
                  {{Date::FromYmd(2026, 1, 1), 1e9, "bench", "high"}});
  f.ctx.parameters =
      p->Override("sms.broadcast_approval_cost",
                  {{Date::FromYmd(2026, 1, 1), 1e12, "bench", "high"}});
  return f;
}

Result<int64_t> Draft(Fixture& f) {
  channel::DraftRequest r;
  r.title = "bench";
  r.target = "household.herder";
  r.template_id = "shock.alert";
  r.values = {{"soum", "Тосонцэнгэл"},
              {"shock", "цагаан зуд"},
              {"deadline", "2026-03-10"},
              {"phone", "70112233"}};
  MALCHIN_ASSIGN_OR_RETURN(auto b,
                           channel::DraftBroadcast(*f.db->session, f.ctx, r));
  return b.id;
}

void BM_BroadcastRecipients(benchmark::State& state) {
  auto f = Open();
  auto id = f.ok() ? Draft(*f) : Result<int64_t>(f.status());
  if (!id.ok()) {
    state.SkipWithError(id.status().ToString().c_str());
    return;
  }
  int64_t recipients = 0;
  for (auto _ : state) {
    auto p = channel::PreviewBroadcast(*f->db->session, f->ctx, *id);
    if (!p.ok()) {
      state.SkipWithError(p.status().ToString().c_str());
      return;
    }
    recipients = p->recipients;
  }
  state.counters["recipients"] = static_cast<double>(recipients);
}

void BM_BroadcastQueue(benchmark::State& state) {
  auto f = Open();
  if (!f.ok()) {
    state.SkipWithError(f.status().ToString().c_str());
    return;
  }
  int64_t queued = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto id = Draft(*f);
    state.ResumeTiming();
    if (!id.ok()) {
      state.SkipWithError(id.status().ToString().c_str());
      return;
    }
    auto b = channel::SendBroadcast(*f->db->session, f->ctx, *id, 500);
    if (!b.ok()) {
      state.SkipWithError(b.status().ToString().c_str());
      return;
    }
    queued += b->recipients;
  }
  state.counters["recipients"] =
      static_cast<double>(queued) / static_cast<double>(state.iterations());
  state.counters["queued_per_s"] = benchmark::Counter(
      static_cast<double>(queued), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_BroadcastRecipients)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_BroadcastQueue)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace malchin::bench

BENCHMARK_MAIN();
