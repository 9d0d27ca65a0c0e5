// Rule preview on the national register, side by side with the same
// eligibility and grouping as one plain SQL query on the same SQLite store.
//
//   MALCHIN_RULES_BENCH_DB=/path/national.db build/.../rules_benchmark
//
// MALCHIN_RULES_BENCH_DB names a register made by `malchin generate --as-of
// 2019-12-15` (the national demo register: 3.25 million persons). Without
// it the benchmark generates the Zavkhan aimag alone (73 thousand persons)
// into a temporary file (removed at exit), which is what the smoke test
// runs.
//
// Both sides compute, for the rule, beneficiaries and amount by soum x sex x
// age band x disability. The rules side is timed from the compiled rule to
// the finished Preview (Evaluator::Bind + ComputePreview) on a Frame built
// once per register and date, as the CLI and the API keep it; loading the
// register and building the frame are timed separately.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "bench_db.h"
#include "demo/generator.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "registry/population.h"
#include "registry/repository.h"
#include "rules/evaluator.h"
#include "rules/frame.h"
#include "rules/rule.h"

namespace {

using namespace malchin;  // NOLINT

const Date kAsOf = Date::FromYmd(2019, 12, 15);

// Phase 1 of the Zavkhan pilot: Bayantes, Ikh-Uul, Tosontsengel, Tes.
rules::EventContext Phase1() {
  rules::EventContext ev;
  ev.name = "Zavkhan dzud 2019-20, phase 1";
  ev.severity_by_soum = {{18110, rules::Severity::kVeryHigh},
                         {18125, rules::Severity::kHigh},
                         {18140, rules::Severity::kHigh},
                         {18149, rules::Severity::kHigh},
                         {18101, rules::Severity::kMedium}};
  return ev;
}

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void MustOk(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// The register, loaded once for all benchmarks.
struct Register {
  std::string path;
  registry::Population pop;
  std::shared_ptr<const rules::Frame> frame;
  std::shared_ptr<const params::ParameterSet> params;
  rules::EventContext event = Phase1();
  double load_ms = 0, frame_ms = 0;
};

// A fresh file per run (removed at exit), so that a register written by
// another build (other migrations) is never reused.
std::string MakeSmallRegister() {
  static const std::string path =
      (std::filesystem::temp_directory_path() /
       ("malchin-rules-bench-" + std::to_string(::getpid()) + ".db"))
          .string();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  std::atexit([] {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ec;
      std::filesystem::remove(path + suffix, ec);
    }
  });
  auto geo = Must(geo::Geography::Load(), "geography");
  {
    auto store = Must(bench::OpenBenchDb(path, true), "open");
    auto loader =
        Must(store->Get<registry::Repository>().BeginBulkLoad(), "bulk load");
    demo::Options o;
    o.as_of = kAsOf;
    o.aimags = {181};
    demo::Sink sink{
        [&](const registry::Household& h) { return loader->AddHousehold(h); },
        [&](const registry::Person& p) { return loader->AddPerson(p); }};
    Must(demo::Generate(*geo, o, sink), "generate");
    MustOk(loader->Finish(), "finish");
  }
  return path;
}

Register& Reg() {
  static Register* r = [] {
    auto* r = new Register;
    const char* env = std::getenv("MALCHIN_RULES_BENCH_DB");
    r->path = env && *env ? env : MakeSmallRegister();
    auto store = Must(bench::OpenBenchDb(r->path, false, true), "open");
    auto t0 = std::chrono::steady_clock::now();
    r->pop =
        Must(store->Get<registry::Repository>().LoadPopulation({}), "load");
    auto t1 = std::chrono::steady_clock::now();
    r->params = Must(params::ParameterSet::Embedded(), "params");
    auto factors =
        Must(registry::SheepUnitFactors::On(*r->params, kAsOf), "factors");
    r->frame = Must(rules::Frame::Build(r->pop, kAsOf, factors), "frame");
    auto t2 = std::chrono::steady_clock::now();
    r->load_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    r->frame_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
    std::fprintf(stderr,
                 "register %s: %zu persons, %zu households; LoadPopulation "
                 "%.0f ms, Frame::Build %.0f ms\n",
                 r->path.c_str(), r->pop.persons(), r->pop.households(),
                 r->load_ms, r->frame_ms);
    return r;
  }();
  return *r;
}

struct Case {
  const char* eligibility;
  const char* amount;
  // The same as plain SQL: a WHERE clause over persons p and households h
  // (and the event table e, joined on soum when `event` is set), with the
  // person's age on 2019-12-15 as `age`.
  const char* where;
  bool event;
  int64_t amount_sql;
};

const Case kChildren05Severe = {
    "age <= 5 and event.severity >= high", "40000",
    "p.birth_date > '2013-12-15' AND p.birth_date <= '2019-12-15' AND "
    "e.severity >= 3",
    true, 40000};
const Case kAllChildren = {
    "age <= 17", "80000",
    "p.birth_date > '2001-12-15' AND p.birth_date <= '2019-12-15'", false,
    80000};

void RulePreview(benchmark::State& state, const Case& c) {
  Register& r = Reg();
  rules::RuleSpec spec;
  spec.eligibility = c.eligibility;
  spec.amount = c.amount;
  rules::Rule rule = Must(rules::Rule::Compile(spec, {}), "compile");
  rules::Bindings b;
  b.event = &r.event;
  b.parameters = r.params;
  b.threads = static_cast<int>(state.range(0));
  int64_t beneficiaries = 0;
  for (auto _ : state) {
    auto ev = Must(rules::Evaluator::Bind(rule, r.frame, b), "bind");
    rules::Preview p = ev.ComputePreview();
    beneficiaries = p.national.beneficiaries;
    benchmark::DoNotOptimize(p);
  }
  state.counters["beneficiaries"] = static_cast<double>(beneficiaries);
  state.counters["persons"] = static_cast<double>(r.pop.persons());
}

// The same preview as one SQL statement: eligibility, age band, grouping.
void SqlPreview(benchmark::State& state, const Case& c) {
  Register& r = Reg();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(r.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    state.SkipWithError("cannot open the register");
    return;
  }
  sqlite3_exec(db,
               "CREATE TEMP TABLE e (soum_code INTEGER PRIMARY KEY, severity "
               "INTEGER NOT NULL)",
               nullptr, nullptr, nullptr);
  for (const auto& [soum, sev] : r.event.severity_by_soum) {
    std::string sql = "INSERT INTO e VALUES (" + std::to_string(soum) + "," +
                      std::to_string(static_cast<int>(sev)) + ")";
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  }
  const std::string age =
      "(2019 - CAST(substr(p.birth_date, 1, 4) AS INTEGER) - "
      "(substr(p.birth_date, 6, 5) > '12-15'))";
  const std::string sql =
      "SELECT soum_code, sex, CASE WHEN a < 5 THEN 0 WHEN a < 10 THEN 1 WHEN "
      "a < 15 THEN 2 WHEN a < 18 THEN 3 WHEN a < 30 THEN 4 WHEN a < 45 THEN 5 "
      "WHEN a < 60 THEN 6 ELSE 7 END AS band, disability, count(*), count(*) "
      "* " +
      std::to_string(c.amount_sql) + " FROM (SELECT h.soum_code, p.sex, " +
      age +
      " AS a, p.disability FROM persons p JOIN households h ON h.hh = p.hh " +
      (c.event ? "JOIN e ON e.soum_code = h.soum_code " : "") +
      "WHERE p.deactivated_on IS NULL AND h.deactivated_on IS NULL AND " +
      c.where + ") GROUP BY soum_code, sex, band, disability";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  int64_t beneficiaries = 0;
  for (auto _ : state) {
    beneficiaries = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      beneficiaries += sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
  }
  state.counters["beneficiaries"] = static_cast<double>(beneficiaries);
  state.counters["persons"] = static_cast<double>(r.pop.persons());
  sqlite3_finalize(st);
  sqlite3_close(db);
}

void FrameBuild(benchmark::State& state) {
  Register& r = Reg();
  auto factors = Must(registry::SheepUnitFactors::On(*r.params, kAsOf), "f");
  for (auto _ : state) {
    auto f = Must(rules::Frame::Build(r.pop, kAsOf, factors), "frame");
    benchmark::DoNotOptimize(f);
  }
}

BENCHMARK_CAPTURE(RulePreview, children_0_5_severe, kChildren05Severe)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(RulePreview, all_children_0_17, kAllChildren)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(SqlPreview, children_0_5_severe, kChildren05Severe)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(SqlPreview, all_children_0_17, kAllChildren)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(FrameBuild)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
