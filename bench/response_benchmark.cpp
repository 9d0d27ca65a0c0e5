// The national Child Money top-up of April 2020 (children 0-17, +80,000),
// step by step: preview (on a loaded register; cold and warm through the
// frame cache), approval with its frozen snapshot, payroll generation,
// payment files and the import of a bank result file with one row per
// payment, with the households' payment notices queued as in production
// (channel::OutboxNotices; MALCHIN_RESPONSE_BENCH_NOTICES=0 leaves them out
// to show their cost).
//
//   MALCHIN_RESPONSE_BENCH_DB=/tmp/nat.db
//   build/release/bench/response_benchmark
//
// The database must hold a register (malchin generate); each run adds a new
// plan to it (plan codes carry the run's start time). Without the variable a
// register is generated in a temporary file: Zavkhan only (smoke run), or
// the whole country at scale S with MALCHIN_RESPONSE_BENCH_SCALE=S.
// Each benchmark is one run of the step (Iterations(1)); they depend on each
// other and run in order.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/accounts.h"
#include "backends/open.h"
#include "channel/notices.h"
#include "channel/repository.h"
#include "demo/generator.h"
#include "response/plan.h"
#include "response/workflow.h"

namespace malchin::response {
namespace {

struct Bench {
  std::string db_path, out_dir, plan_code;
  std::unique_ptr<store::Database> database;
  std::unique_ptr<store::Session> store;
  response::Transfers* rs = nullptr;
  Context ctx;
  std::unique_ptr<Workflow> w;
  std::vector<PaymentFile> files;
  bool temporary = false;
};

Bench* TheBench() {
  static Bench* b = [] {
    auto* b = new Bench;
    const char* env = std::getenv("MALCHIN_RESPONSE_BENCH_DB");
    std::string tag =
        std::to_string(::getpid()) + "-" +
        std::to_string(
            std::chrono::system_clock::now().time_since_epoch().count() /
            1000000000);
    auto tmp = std::filesystem::temp_directory_path();
    b->out_dir = (tmp / ("malchin-response-bench-" + tag)).string();
    std::filesystem::create_directories(b->out_dir);
    b->ctx = *Context::Embedded();
    auto open = [&](bool create) {
      store::OpenOptions options;
      options.create = create;
      auto d = backends::OpenDatabase(b->db_path, options);
      auto s = d.ok() ? (*d)->Connect()
                      : Result<std::unique_ptr<store::Session>>(d.status());
      if (!s.ok()) {
        std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
        std::exit(1);
      }
      b->database = std::move(*d);
      b->store = std::move(*s);
    };
    if (env && *env) {
      b->db_path = env;
      open(false);
    } else {
      b->temporary = true;
      b->db_path = b->out_dir + "/zavkhan.db";
      open(true);
      auto loader =
          std::move(*b->store->Get<registry::Repository>().BeginBulkLoad());
      demo::Options o;
      // MALCHIN_RESPONSE_BENCH_SCALE=S: the whole country at scale S
      // instead of Zavkhan alone.
      const char* scale = std::getenv("MALCHIN_RESPONSE_BENCH_SCALE");
      if (scale && *scale) {
        o.scale = std::atof(scale);
      } else {
        o.aimags = {181};
      }
      demo::Sink sink{
          [&](const registry::Household& h) { return loader->AddHousehold(h); },
          [&](const registry::Person& p) { return loader->AddPerson(p); }};
      (void)demo::Generate(*b->ctx.geography, o, sink);
      (void)loader->Finish();
    }
    const char* notices = std::getenv("MALCHIN_RESPONSE_BENCH_NOTICES");
    if (!notices || std::string(notices) != "0") {
      b->store->SetNotices(channel::OutboxNotices::Shared());
    }
    b->w = std::make_unique<Workflow>(*b->store, b->ctx);
    b->rs = &b->w->transfers();
    for (const char* name : {"bench-maker", "bench-checker"}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "x";
      u.role = "national_officer";
      u.created_at = u.updated_at = "2026-11-29T00:00:00Z";
      (void)b->store->Get<auth::AccountRepository>().CreateUser(
          u);  // AlreadyExists on later runs.
    }
    response::ShockEventRecord e;
    e.code = "covid-2020";
    e.type = "epidemic";
    e.name = "COVID-19 economic relief";
    e.declared_on = e.starts_on = Date::FromYmd(2020, 4, 1);
    (void)b->w->CreateEvent(e, "bench-maker");
    b->plan_code = "topup-" + tag;
    response::PlanRecord p;
    p.code = b->plan_code;
    p.event_code = e.code;
    p.programme_code = "child_money";
    p.kind = response::PlanKind::kVertical;
    p.name = "April 2020 Child Money top-up";
    p.eligibility = "true";
    p.amount = "param(\"child_money.monthly\") - 20000";
    p.unit = response::Unit::kPerson;
    p.cutoff_on = p.starts_on = Date::FromYmd(2020, 4, 1);
    p.ends_on = Date::FromYmd(2020, 4, 30);
    p.installments = {{1, Date::FromYmd(2020, 4, 20)}};
    auto created = b->w->CreatePlan(p, "bench-maker");
    if (!created.ok()) {
      std::fprintf(stderr, "%s\n", created.status().ToString().c_str());
      std::abort();
    }
    return b;
  }();
  return b;
}

void Fail(benchmark::State& state, const Status& s) {
  state.SkipWithError(s.ToString().c_str());
}

void BM_LoadPopulation(benchmark::State& state) {
  Bench* b = TheBench();
  int64_t persons = 0;
  for (auto _ : state) {
    auto pop = b->store->Get<registry::Repository>().LoadPopulation({});
    if (!pop.ok()) return Fail(state, pop.status());
    persons = static_cast<int64_t>(pop->persons());
  }
  state.counters["persons"] = static_cast<double>(persons);
}
BENCHMARK(BM_LoadPopulation)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_PreviewLoadedRegister(benchmark::State& state) {
  Bench* b = TheBench();
  auto pop = b->store->Get<registry::Repository>().LoadPopulation({});
  auto plan = b->rs->FindPlan(b->plan_code);
  auto event = b->rs->FindEvent("covid-2020", {});
  auto programme = BuiltInProgramme("child_money");
  if (!pop.ok() || !plan.ok() || !event.ok()) {
    return Fail(state, Status::Internal("setup"));
  }
  int64_t n = 0;
  for (auto _ : state) {
    // Binding (frame, rule) and the preview: what an officer waits for
    // while editing a rule on a register already in memory.
    auto bound = BindPlan(**plan, *programme, **event, *pop, b->ctx.parameters,
                          nullptr, 0);
    if (!bound.ok()) return Fail(state, bound.status());
    n = bound->evaluator->ComputePreview().national.beneficiaries;
  }
  state.counters["beneficiaries"] = static_cast<double>(n);
}
BENCHMARK(BM_PreviewLoadedRegister)->Unit(benchmark::kMillisecond);

// The preview as Workflow::Preview runs it (the CLI and the API): cold, the
// register is loaded from the store and its frame built (the cache is
// emptied before each run); warm, the register is unchanged since the last
// preview, so only the version is read and the rule bound and evaluated.
void BM_PreviewCold(benchmark::State& state) {
  Bench* b = TheBench();
  auto plan = b->rs->FindPlan(b->plan_code);
  if (!plan.ok() || !*plan) return Fail(state, Status::Internal("setup"));
  int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    b->ctx.frames->Clear();
    state.ResumeTiming();
    auto p = b->w->Preview(**plan, {});
    if (!p.ok()) return Fail(state, p.status());
    n = p->national.beneficiaries;
  }
  state.counters["beneficiaries"] = static_cast<double>(n);
}
BENCHMARK(BM_PreviewCold)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_PreviewWarm(benchmark::State& state) {
  Bench* b = TheBench();
  auto plan = b->rs->FindPlan(b->plan_code);
  if (!plan.ok() || !*plan) return Fail(state, Status::Internal("setup"));
  if (auto p = b->w->Preview(**plan, {}); !p.ok()) {
    return Fail(state, p.status());
  }
  const int64_t loads = b->ctx.frames->stats().loads;
  int64_t n = 0;
  for (auto _ : state) {
    auto p = b->w->Preview(**plan, {});
    if (!p.ok()) return Fail(state, p.status());
    n = p->national.beneficiaries;
  }
  if (b->ctx.frames->stats().loads != loads) {
    return Fail(state, Status::Internal("the warm preview reloaded"));
  }
  state.counters["beneficiaries"] = static_cast<double>(n);
}
BENCHMARK(BM_PreviewWarm)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ApprovePlanWithSnapshot(benchmark::State& state) {
  Bench* b = TheBench();
  int64_t n = 0;
  for (auto _ : state) {
    auto p = b->w->ApprovePlan(b->plan_code, "bench-checker");
    if (!p.ok()) return Fail(state, p.status());
    n = p->beneficiaries;
  }
  state.counters["entitlements"] = static_cast<double>(n);
  state.counters["entitlements/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApprovePlanWithSnapshot)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_GeneratePayroll(benchmark::State& state) {
  Bench* b = TheBench();
  int64_t n = 0;
  for (auto _ : state) {
    auto p = b->w->GeneratePayroll(b->plan_code, 1, "bench-maker");
    if (!p.ok()) return Fail(state, p.status());
    n = p->lines;
  }
  state.counters["lines"] = static_cast<double>(n);
  (void)b->w->ApprovePayroll(b->plan_code, 1, "bench-checker");
}
BENCHMARK(BM_GeneratePayroll)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_ExportPaymentFiles(benchmark::State& state) {
  Bench* b = TheBench();
  int64_t n = 0, held = 0;
  for (auto _ : state) {
    auto r = b->w->Export(b->plan_code, 1, "bench-maker", b->out_dir);
    if (!r.ok()) return Fail(state, r.status());
    n = r->issue.issued;
    held = static_cast<int64_t>(r->issue.unroutable.size());
    b->files = r->files;
  }
  state.counters["payments"] = static_cast<double>(n);
  state.counters["held_back"] = static_cast<double>(held);
}
BENCHMARK(BM_ExportPaymentFiles)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

// Messages in the SMS outbox.
int64_t Messages(store::Session& session) {
  auto counts = session.Get<channel::Repository>().CountByState();
  int64_t n = 0;
  if (counts.ok()) {
    for (const auto& [state, count] : *counts) n += count;
  }
  return n;
}

void BM_ReconcileBankFile(benchmark::State& state) {
  Bench* b = TheBench();
  // The banks' answer: every payment paid, one in 50 failed.
  std::string result = "reference,status,amount,reason\n";
  int64_t rows = 0;
  for (const PaymentFile& f : b->files) {
    std::ifstream in(f.path);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      if (line.rfind("TOTAL", 0) == 0) continue;
      std::string ref = line.substr(0, line.find(','));
      std::string amount = line.substr(line.rfind(',') + 1);
      result +=
          ref + ((++rows % 50) ? ",paid," + amount + ",\n"
                               : ",failed," + amount + ",account closed\n");
    }
  }
  std::string path = b->out_dir + "/bank-result.csv";
  (void)WriteFileAtomically(path, result);
  int64_t changed = 0;
  const int64_t before = Messages(*b->store);
  for (auto _ : state) {
    auto c = b->w->Reconcile(path, result, "bench-maker");
    if (!c.ok()) return Fail(state, c.status());
    changed = c->changed;
  }
  state.counters["notices"] = static_cast<double>(Messages(*b->store) - before);
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["changed"] = static_cast<double>(changed);
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReconcileBankFile)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_ReconcileReport(benchmark::State& state) {
  Bench* b = TheBench();
  for (auto _ : state) {
    auto r = b->rs->PaymentReport(b->plan_code, 1, {});
    if (!r.ok()) return Fail(state, r.status());
    benchmark::DoNotOptimize(r->back().paid);
  }
  if (b->temporary) {
    b->w.reset();
    b->store.reset();
    b->database.reset();
    std::filesystem::remove_all(b->out_dir);
  }
}
BENCHMARK(BM_ReconcileReport)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace malchin::response

BENCHMARK_MAIN();
