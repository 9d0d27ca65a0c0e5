// RIMA-II engine benchmarks on the reference survey (10,024 herder
// households, ../shared/reference/rima): the whole fit (pillars + MIMIC +
// scores + RSM), the same from the CSV file, and scoring one million
// households with a frozen model. bench/rima_vs_r.sh compares with R.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "csv/csv.h"
#include "rima/rima.h"

namespace malchin::rima {
namespace {

const std::string kSurvey =
    std::string(MALCHIN_SHARED_DIR) + "/reference/rima/synthetic_herders.csv";

const ModelSpec& Spec() {
  static const ModelSpec spec = [] {
    auto s = LoadSpec(std::string(MALCHIN_SOURCE_DIR) +
                      "/src/rima/testdata/herders_spec.json");
    if (!s.ok()) std::abort();
    return *s;
  }();
  return spec;
}

// FAO variant: the factor counts of the golden run (AC has 2).
ModelSpec FaoSpec() {
  ModelSpec s = Spec();
  s.pillars[3].rule = {FactorRule::Kind::kFixed, 2};
  return s;
}

const SurveyData& Survey() {
  static const SurveyData survey = [] {
    auto s = LoadSurvey(kSurvey, Spec());
    if (!s.ok()) std::abort();
    return *s;
  }();
  return survey;
}

// Pillars (PA + Bartlett), MIMIC by ML, scores, 0-100, quintiles, RSM.
void BM_Fit(benchmark::State& state) {
  ModelSpec spec = state.range(0) ? FaoSpec() : Spec();
  const SurveyData& survey = Survey();
  for (auto _ : state) {
    auto fit = FitRima(spec, survey, {"bench", "2026-01-01"});
    if (!fit.ok()) state.SkipWithError(fit.status().message().c_str());
    benchmark::DoNotOptimize(fit);
  }
  state.SetItemsProcessed(state.iterations() * survey.ids.size());
  state.SetLabel(state.range(0) ? "FAO factor counts" : "Kaiser");
}
BENCHMARK(BM_Fit)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

// The same from the CSV file: read, transform, fit.
void BM_ReadAndFit(benchmark::State& state) {
  ModelSpec spec = FaoSpec();
  for (auto _ : state) {
    auto survey = LoadSurvey(kSurvey, spec);
    if (!survey.ok()) state.SkipWithError("survey");
    auto fit = FitRima(spec, *survey, {"bench", "2026-01-01"});
    if (!fit.ok()) state.SkipWithError(fit.status().message().c_str());
    benchmark::DoNotOptimize(fit);
  }
  state.SetItemsProcessed(state.iterations() * Survey().ids.size());
}
BENCHMARK(BM_ReadAndFit)->Unit(benchmark::kMillisecond);

// Reading and transforming the survey CSV alone (csv::ReadRecords +
// parsing + transforms).
void BM_ReadSurvey(benchmark::State& state) {
  ModelSpec spec = FaoSpec();
  for (auto _ : state) {
    auto survey = LoadSurvey(kSurvey, spec);
    if (!survey.ok()) state.SkipWithError("survey");
    benchmark::DoNotOptimize(survey);
  }
  state.SetItemsProcessed(state.iterations() * Survey().ids.size());
}
BENCHMARK(BM_ReadSurvey)->Unit(benchmark::kMillisecond);

// The CSV layer alone (malchin::csv), for comparison with BM_ReadSurvey.
void BM_CsvRecords(benchmark::State& state) {
  auto data = csv::ReadFile(kSurvey);
  if (!data.ok()) std::abort();
  for (auto _ : state) {
    size_t n = 0;
    Status st = csv::ReadRecords("s", *data, {}, [&](const csv::Record& r) {
      n += r.fields.size();
      return Status::Ok();
    });
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_CsvRecords)->Unit(benchmark::kMillisecond);

// One million households (the survey's rows repeated) scored with the
// frozen model: pillars, RCI (regression, Bartlett, structural), 0-100,
// quintile.
void BM_Score(benchmark::State& state) {
  static const FrozenModel model = [] {
    auto fit = FitRima(FaoSpec(), Survey(), {"bench", "2026-01-01"});
    if (!fit.ok()) std::abort();
    return fit->model;
  }();
  const SurveyData& base = Survey();
  const size_t n = static_cast<size_t>(state.range(0));
  SurveyData big;
  big.file = "replicated";
  big.ids.resize(n);
  for (size_t i = 0; i < n; ++i) big.ids[i] = base.ids[i % base.ids.size()];
  for (const Matrix& m : base.pillars) {
    Matrix x(n, m.cols);
    for (size_t j = 0; j < m.cols; ++j) {
      for (size_t i = 0; i < n; ++i) x(i, j) = m(i % m.rows, j);
    }
    big.pillars.push_back(std::move(x));
  }
  big.food_security = Matrix(n, base.food_security.cols);
  for (size_t j = 0; j < base.food_security.cols; ++j) {
    for (size_t i = 0; i < n; ++i) {
      big.food_security(i, j) = base.food_security(i % base.ids.size(), j);
    }
  }
  for (auto _ : state) {
    auto scores = ScoreSurvey(model, big);
    benchmark::DoNotOptimize(scores);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_Score)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_ScoreOne(benchmark::State& state) {
  auto fit = FitRima(FaoSpec(), Survey(), {"bench", "2026-01-01"});
  if (!fit.ok()) std::abort();
  const SurveyData& s = Survey();
  std::vector<std::vector<double>> x(4);
  std::vector<const double*> p;
  for (size_t g = 0; g < 4; ++g) {
    for (size_t j = 0; j < s.pillars[g].cols; ++j) {
      x[g].push_back(s.pillars[g](7, j));
    }
    p.push_back(x[g].data());
  }
  double y[3] = {s.food_security(7, 0), s.food_security(7, 1),
                 s.food_security(7, 2)};
  for (auto _ : state) {
    auto r = ScoreOne(fit->model, p, y);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreOne);

}  // namespace
}  // namespace malchin::rima

BENCHMARK_MAIN();
