// Insurance benchmarks: coverage rates by soum x sex x age band for the
// whole national register.
//
//   BM_CoverageHerders/N     in-memory snapshot of N herders (national: the
//                            ~350k herders of a 3.25M register)
//   BM_CoverageAllPersons/N  the same over N persons of every kind
//   BM_StoreLoadAndCoverage  LoadSnapshot from SQLite + ComputeCoverage on a
//                            register written once to $MALCHIN_BENCH_DB
//                            (default /tmp/malchin_insurance_bench.db) with
//                            MALCHIN_BENCH_HERDERS herders (default 350000)
//                            and demo histories; the same file serves the
//                            plain-SQL comparison in bench/insurance_sql.sh.
//   BM_NationalCoverage      the figure: coverage of the whole
//                            national register by soum x sex x age band
//                            (working-age herders, the register's month):
//                            LoadSnapshot (no names) + ComputeCoverage on
//                            $MALCHIN_INSURANCE_NATIONAL_DB, a database URL
//                            (a SQLite file, or postgresql://...) holding a
//                            generated national register with demo
//                            histories (malchin generate; malchin insurance
//                            seed-demo). Skipped without it.
//   BM_NationalCoverageSql   the same table as one plain SQL query
//                            (GROUP BY soum, sex, band with EXISTS on
//                            insurance_coverage) on the same file, in the
//                            same run; both report cells, persons, social
//                            and health so the results can be compared.
//                            SQLite files only (skipped on PostgreSQL).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "bench_db.h"
#include "geo/geography.h"
#include "insurance/coverage.h"
#include "insurance/demo_histories.h"
#include "insurance/repository.h"
#include "insurance/schemes.h"
#include "params/parameters.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace {

using namespace malchin;

std::vector<int32_t> SoumCodes() {
  auto geo = geo::Geography::Load();
  std::vector<int32_t> out;
  for (const auto* s : (*geo)->soums()) out.push_back(s->code);
  return out;
}

// A synthetic snapshot: 3.6 persons per household, ages 0-90, spans from
// demo histories.
insurance::InsuranceSnapshot Synthetic(int64_t persons) {
  static const auto soums = SoumCodes();
  std::mt19937_64 rng(42);
  insurance::InsuranceSnapshot s;
  const params::ParameterSet& p = **params::ParameterSet::Embedded();
  int64_t households = persons * 10 / 36 + 1;
  for (int64_t h = 0; h < households; ++h) {
    s.household_id.push_back("H" + std::to_string(h));
    s.soum_code.push_back(soums[rng() % soums.size()]);
    s.bag.push_back(std::to_string(rng() % 6 + 1));
    s.household_phone.push_back("");
    s.lat.push_back(std::nullopt);
    s.lon.push_back(std::nullopt);
  }
  for (int64_t i = 0; i < persons; ++i) {
    s.pid.push_back(i + 1);
    s.household.push_back(static_cast<int32_t>(i * 10 / 36));
    s.register_no.push_back("ТТ" + std::to_string(10000000 + i));
    s.name.push_back("");
    s.phone.push_back("");
    s.birth_days.push_back(
        Date::FromYmd(1935 + static_cast<int>(rng() % 90), 1, 1).days() +
        static_cast<int32_t>(rng() % 365));
    s.sex.push_back(rng() % 2);
    s.disability.push_back(rng() % 30 == 0);
    s.herder.push_back(1);
    s.credit_months.push_back(0);
    s.credit_herding_months.push_back(0);
    s.last_visit_days.push_back(INT32_MIN);
    s.last_visit_outcome.push_back(-1);
  }
  for (int sc = 0; sc < 2; ++sc) s.span_begin[sc].assign(persons + 1, 0);
  insurance::DemoHistoryOptions o;
  o.as_of = Date::FromYmd(2025, 12, 31);
  insurance::Repository::SeedRows rows;
  (void)insurance::BuildDemoHistories(p, s, o, &rows);
  std::vector<std::vector<insurance::CoverageSpan>> per[2];
  per[0].resize(persons);
  per[1].resize(persons);
  for (size_t k = 0; k < rows.coverage.size(); ++k) {
    per[static_cast<int>(rows.coverage[k].scheme)][rows.coverage_person[k]] =
        rows.coverage[k].spans;
  }
  for (int sc = 0; sc < 2; ++sc) {
    for (int64_t i = 0; i < persons; ++i) {
      for (const auto& x : per[sc][i]) s.spans[sc].push_back(x);
      s.span_begin[sc][i + 1] = static_cast<uint32_t>(s.spans[sc].size());
    }
  }
  return s;
}

insurance::CoverageQuery SoumSexAge(bool working_age) {
  insurance::CoverageQuery q;
  q.months = {insurance::MakeMonth(2025, 6)};
  q.level = registry::AreaLevel::kSoum;
  q.by_sex = q.by_age_band = true;
  q.working_age = working_age;
  return q;
}

void BM_CoverageHerders(benchmark::State& state) {
  auto snap = Synthetic(state.range(0));
  const auto& p = **params::ParameterSet::Embedded();
  auto q = SoumSexAge(true);
  for (auto _ : state) {
    auto t = insurance::ComputeCoverage(p, snap, q);
    benchmark::DoNotOptimize(t);
  }
  state.counters["persons"] = static_cast<double>(snap.persons());
}
BENCHMARK(BM_CoverageHerders)
    ->Arg(1000)
    ->Arg(350000)
    ->Unit(benchmark::kMillisecond);

void BM_CoverageAllPersons(benchmark::State& state) {
  auto snap = Synthetic(state.range(0));
  const auto& p = **params::ParameterSet::Embedded();
  auto q = SoumSexAge(false);
  for (auto _ : state) {
    auto t = insurance::ComputeCoverage(p, snap, q);
    benchmark::DoNotOptimize(t);
  }
  state.counters["persons"] = static_cast<double>(snap.persons());
}
BENCHMARK(BM_CoverageAllPersons)->Arg(3250000)->Unit(benchmark::kMillisecond);

// Writes the register once (kept for bench/insurance_sql.sh).
std::string BenchDb() {
  const char* env = std::getenv("MALCHIN_BENCH_DB");
  std::string path = env ? env : "/tmp/malchin_insurance_bench.db";
  if (std::filesystem::exists(path)) return path;
  const char* n_env = std::getenv("MALCHIN_BENCH_HERDERS");
  int64_t n = n_env ? std::atoll(n_env) : 350000;
  auto snap = Synthetic(n);
  auto store = bench::OpenBenchDb(path, true, false);
  if (!store.ok()) return "";
  auto loader = (*store)->Get<registry::Repository>().BeginBulkLoad();
  if (!loader.ok()) return "";
  for (size_t h = 0; h < snap.households(); ++h) {
    registry::Household hh;
    hh.id = snap.household_id[h];
    hh.soum_code = hh.current_soum_code = snap.soum_code[h];
    hh.bag = snap.bag[h];
    hh.herder = true;
    if (!(*loader)->AddHousehold(hh).ok()) return "";
  }
  for (size_t i = 0; i < snap.persons(); ++i) {
    registry::Person p;
    p.household_id = snap.household_id[snap.household[i]];
    p.birth_date = Date::FromDays(snap.birth_days[i]);
    p.sex = snap.sex[i] ? registry::Sex::kMale : registry::Sex::kFemale;
    p.register_no = snap.register_no[i];
    p.father_name = "Бат";
    p.given_name = "Дорж";
    p.relation = registry::Relation::kOther;
    p.herder = true;
    p.disability = snap.disability[i];
    if (!(*loader)->AddPerson(p).ok()) return "";
  }
  if (!(*loader)->Finish().ok()) return "";
  auto* ins = &(*store)->Get<insurance::Repository>();
  auto loaded = ins->LoadSnapshot({}, {});
  insurance::DemoHistoryOptions o;
  o.as_of = Date::FromYmd(2025, 12, 31);
  insurance::Repository::SeedRows rows;
  const auto& params = **params::ParameterSet::Embedded();
  if (!insurance::BuildDemoHistories(params, *loaded, o, &rows).ok()) return "";
  if (!ins->Seed(*loaded, rows, {"bench", "insurance_benchmark"}).ok()) {
    return "";
  }
  return path;
}

void BM_StoreLoadAndCoverage(benchmark::State& state) {
  std::string path = BenchDb();
  if (path.empty()) {
    state.SkipWithError("could not build the benchmark register");
    return;
  }
  auto store = bench::OpenBenchDb(path, false, true);
  auto* ins = &(*store)->Get<insurance::Repository>();
  const auto& p = **params::ParameterSet::Embedded();
  auto q = SoumSexAge(true);
  size_t persons = 0;
  for (auto _ : state) {
    auto snap = ins->LoadSnapshot({}, {});
    auto t = insurance::ComputeCoverage(p, *snap, q);
    persons = snap->persons();
    benchmark::DoNotOptimize(t);
  }
  state.counters["persons"] = static_cast<double>(persons);
}
BENCHMARK(BM_StoreLoadAndCoverage)->Unit(benchmark::kMillisecond);

// The national register of MALCHIN_INSURANCE_NATIONAL_DB (a SQLite path or
// any database URL) and its reference month (register.as_of), or an empty
// path.
struct National {
  std::string path;
  Date as_of;
};

bool IsPostgres(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

National NationalDb() {
  const char* env = std::getenv("MALCHIN_INSURANCE_NATIONAL_DB");
  if (!env || (!IsPostgres(env) && !std::filesystem::exists(env))) return {};
  auto store = bench::OpenBenchDb(env, false, true);
  if (!store.ok()) return {};
  auto meta = (*store)->session->GetMeta("register.as_of");
  Date as_of = Date::FromYmd(2020, 1, 1);
  if (meta.ok() && *meta) {
    auto d = Date::Parse(**meta);
    if (d.ok()) as_of = *d;
  }
  return {env, as_of};
}

void Totals(benchmark::State& state, int64_t cells, int64_t persons,
            int64_t social, int64_t health) {
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["persons"] = static_cast<double>(persons);
  state.counters["social"] = static_cast<double>(social);
  state.counters["health"] = static_cast<double>(health);
}

void BM_NationalCoverage(benchmark::State& state) {
  National nat = NationalDb();
  if (nat.path.empty()) {
    state.SkipWithError(
        "set MALCHIN_INSURANCE_NATIONAL_DB to a national "
        "register with insurance histories");
    return;
  }
  auto store = bench::OpenBenchDb(nat.path, false, true);
  auto* ins = &(*store)->Get<insurance::Repository>();
  const auto& p = **params::ParameterSet::Embedded();
  auto q = SoumSexAge(true);
  q.months = {insurance::MonthOf(nat.as_of)};
  insurance::SnapshotOptions so;
  so.names = false;
  int64_t cells = 0, persons = 0, social = 0, health = 0;
  for (auto _ : state) {
    auto snap = ins->LoadSnapshot({}, so);
    if (!snap.ok()) {
      state.SkipWithError(snap.status().message().c_str());
      return;
    }
    auto t = insurance::ComputeCoverage(p, *snap, q);
    if (!t.ok()) {
      state.SkipWithError(t.status().message().c_str());
      return;
    }
    cells = static_cast<int64_t>(t->cells.size());
    persons = social = health = 0;
    for (const auto& c : t->cells) {
      persons += c.persons;
      social += c.insured[0];
      health += c.insured[1];
    }
    benchmark::DoNotOptimize(t);
  }
  Totals(state, cells, persons, social, health);
}
BENCHMARK(BM_NationalCoverage)->Unit(benchmark::kMillisecond);

// What a careful analyst would write in SQL for the same table: working
// age 18 to 60 (men) / 55 (women), the pension ages in force (the SQL has
// them as literals), age on the first day of the month, bands 18-29, 30-44,
// 45-59, 60+.
void BM_NationalCoverageSql(benchmark::State& state) {
  National nat = NationalDb();
  if (nat.path.empty() || IsPostgres(nat.path)) {
    state.SkipWithError(
        "set MALCHIN_INSURANCE_NATIONAL_DB to a SQLite national register "
        "(the plain SQL is SQLite's)");
    return;
  }
  int32_t month = insurance::MonthOf(nat.as_of);
  Date first = insurance::FirstDayOf(month);
  std::string day = first.ToString();
  std::string m = std::to_string(month);
  std::string sql =
      "WITH p AS (SELECT h.soum_code AS soum, p.sex AS sex, p.pid AS pid, " +
      std::to_string(first.year()) +
      " - CAST(substr(p.birth_date, 1, 4) AS INTEGER) - (substr(p.birth_date, "
      "6, 5) > '" +
      day.substr(5) +
      "') AS age FROM persons p JOIN households h ON h.hh = p.hh WHERE "
      "p.deactivated_on IS NULL AND h.deactivated_on IS NULL AND p.herder = "
      "1), cells AS (SELECT soum, sex, CASE WHEN age < 30 THEN 4 WHEN age < "
      "45 THEN 5 WHEN age < 60 THEN 6 ELSE 7 END AS band, count(*) AS "
      "persons, sum(EXISTS (SELECT 1 FROM insurance_coverage c WHERE c.pid = "
      "p.pid AND c.scheme = 'social' AND c.first_month <= " +
      m + " AND c.last_month >= " + m +
      ")) AS social, sum(EXISTS (SELECT 1 FROM insurance_coverage c WHERE "
      "c.pid = p.pid AND c.scheme = 'health' AND c.first_month <= " +
      m + " AND c.last_month >= " + m +
      ")) AS health FROM p WHERE age >= 18 AND age < CASE sex WHEN 'M' THEN "
      "60 ELSE 55 END GROUP BY soum, sex, band) SELECT soum, sex, band, "
      "persons, social, health FROM cells";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(nat.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  sqlite3_exec(db, "PRAGMA mmap_size=2147418112", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  int64_t cells = 0, persons = 0, social = 0, health = 0;
  for (auto _ : state) {
    cells = persons = social = health = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++cells;
      persons += sqlite3_column_int64(st, 3);
      social += sqlite3_column_int64(st, 4);
      health += sqlite3_column_int64(st, 5);
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  Totals(state, cells, persons, social, health);
}
BENCHMARK(BM_NationalCoverageSql)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
