// Reproduces every value of the R reference files (reference_values.csv,
// pmt_coefficients.csv): the shared 20,000-household fixture and the two
// small extra cases in testdata/ (other seeds, poverty lines and weights).
// Data-driven: each reference row is looked up among the rows the engine's
// report writers produce; the test lists every row that is missing or off.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "csv/csv.h"
#include "poverty/measures.h"
#include "poverty/microsim.h"
#include "poverty/pmt.h"
#include "poverty/report.h"
#include "poverty/survey.h"

namespace malchin::poverty {
namespace {

using Key = std::tuple<std::string, std::string, std::string>;

std::string CaseDir(const std::string& name) {
  if (name == "shared") {
    return std::string(MALCHIN_SHARED_DIR) + "/reference/poverty/";
  }
  return std::string(MALCHIN_SOURCE_DIR) + "/src/poverty/testdata/" + name +
         "/";
}

std::string ReadText(const std::string& path) {
  auto r = csv::ReadFile(path);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

double ParseValue(std::string_view s) {
  if (s == "NA") return std::nan("");
  return std::stod(std::string(s));
}

// Long-format CSV -> map.
std::map<Key, double> ReadLong(const std::string& path) {
  std::map<Key, double> out;
  const std::string text = ReadText(path);
  bool header = true;
  Status st = csv::ReadRecords(path, text, {}, [&](const csv::Record& r) {
    if (header) {
      header = false;
      return Status::Ok();
    }
    out[{std::string(r.fields[0]), std::string(r.fields[1]),
         std::string(r.fields[2])}] = ParseValue(r.fields[3]);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

BenefitRule Rule(std::string programme, int min_age, int max_age,
                 int64_t amount) {
  BenefitRule r;
  r.programme = std::move(programme);
  r.min_age = min_age;
  r.max_age = max_age;
  r.amount = {{Date::FromYmd(2000, 1, 1), amount}};
  return r;
}

// Everything computed for one case, shared by the tests of that case.
struct CaseResult {
  std::map<Key, double> reference;
  std::map<Key, double> engine;
  std::vector<PmtModel> reference_models;
  std::vector<PmtModel> fitted_models;
  Survey survey;
};

std::map<std::string, std::shared_ptr<CaseResult>>& Cache() {
  static std::map<std::string, std::shared_ptr<CaseResult>> cache;
  return cache;
}

std::shared_ptr<CaseResult> Compute(const std::string& name) {
  auto& cache = Cache();
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  auto res = std::make_shared<CaseResult>();
  cache[name] = res;
  const std::string dir = CaseDir(name);
  res->reference = ReadLong(dir + "reference_values.csv");
  auto constant = [&](const std::string& m) {
    return res->reference.at({"constants", "national", m});
  };
  const double z = constant("POVERTY_LINE");
  auto loaded = LoadSurvey(dir + "households.csv", dir + "persons.csv");
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  if (!loaded.ok()) return res;
  res->survey = std::move(*loaded);
  Survey& s = res->survey;
  const size_t n = s.households();
  auto put = [&](const std::string& sc, const std::string& dom,
                 const std::string& m, double v) {
    res->engine[{sc, dom, m}] = v;
  };

  // Data facts.
  put("constants", "national", "n_households", static_cast<double>(n));
  put("constants", "national", "n_persons", static_cast<double>(s.persons()));
  {
    std::set<int32_t> psus(s.psu.begin(), s.psu.end());
    put("constants", "national", "n_psu", static_cast<double>(psus.size()));
  }

  std::vector<double> pw(n), w(s.weight), y0(n);
  for (size_t h = 0; h < n; ++h) {
    pw[h] = s.weight[h] * s.size[h];
    y0[h] = s.consumption[h] / s.size[h];
  }

  // ---- PMT: fit with the reference terms, score, cut-off, errors.
  auto models = ParsePmtModels("pmt_coefficients.csv",
                               ReadText(dir + "pmt_coefficients.csv"));
  EXPECT_TRUE(models.ok()) << models.status().ToString();
  if (!models.ok()) return res;
  res->reference_models = *models;
  const PmtModel& ref_full = (*models)[0];
  auto full = FitPmt(s, ref_full.terms, {}, "full_sample_wls");
  EXPECT_TRUE(full.ok()) << full.status().ToString();
  if (!full.ok()) return res;
  std::vector<uint8_t> train(n);
  for (size_t h = 0; h < n; ++h) train[h] = s.psu[h] % 2 == 0;
  auto even = FitPmt(s, ref_full.terms, train, "even_psu_wls");
  EXPECT_TRUE(even.ok()) << even.status().ToString();
  if (!even.ok()) return res;
  res->fitted_models = {*full, *even};
  put("pmt", "national", "r2_full_sample", full->r_squared);
  put("pmt", "national", "n_coefficients",
      static_cast<double>(full->coefficients.size()));
  auto score = ScorePmt(*full, s);
  EXPECT_TRUE(score.ok());
  const double share = constant("PMT_SHARE");
  auto cut = CoverageCutoff(*score, pw, share);
  EXPECT_TRUE(cut.ok());
  put("pmt", "national", "score_cutoff_full_sample", *cut);
  std::vector<uint8_t> sel(n), poor(n), sel_lnz(n);
  std::vector<double> selected_col(n);
  for (size_t h = 0; h < n; ++h) {
    sel[h] = (*score)[h] <= *cut;
    poor[h] = y0[h] < z;
    sel_lnz[h] = (*score)[h] < std::log(z);
    selected_col[h] = sel[h];
  }
  EXPECT_TRUE(s.columns.Add("pmt_selected", selected_col).ok());
  std::vector<ReportRow> rows;
  AppendTargeting("pmt", "full_persons", *EvaluateTargeting(sel, poor, pw),
                  &rows);
  AppendTargeting("pmt", "full_households", *EvaluateTargeting(sel, poor, w),
                  &rows);
  AppendTargeting("pmt", "full_persons_rule_lnz",
                  *EvaluateTargeting(sel_lnz, poor, pw), &rows);
  {
    auto sc_even = ScorePmt(*even, s);
    EXPECT_TRUE(sc_even.ok());
    std::vector<double> sc_te, pw_te;
    std::vector<uint8_t> poor_te;
    for (size_t h = 0; h < n; ++h) {
      if (train[h]) continue;
      sc_te.push_back((*sc_even)[h]);
      pw_te.push_back(pw[h]);
      poor_te.push_back(poor[h]);
    }
    auto cut_te = CoverageCutoff(sc_te, pw_te, share);
    EXPECT_TRUE(cut_te.ok());
    put("pmt", "national", "score_cutoff_oos_test_psus", *cut_te);
    std::vector<uint8_t> sel_te(sc_te.size());
    for (size_t i = 0; i < sc_te.size(); ++i) sel_te[i] = sc_te[i] <= *cut_te;
    AppendTargeting("pmt", "oos_persons",
                    *EvaluateTargeting(sel_te, poor_te, pw_te), &rows);
  }

  // ---- Scenarios (spec §3.4), constants from the reference file.
  const int64_t cmp_base = static_cast<int64_t>(constant("CMP_BASE"));
  const int64_t cmp_reform = static_cast<int64_t>(constant("CMP_REFORM"));
  const int64_t dzud = static_cast<int64_t>(constant("DZUD_TOPUP"));
  const int64_t pmt_amount = static_cast<int64_t>(constant("PMT_TRANSFER"));
  const Date date = Date::FromYmd(2024, 1, 1);
  Policy baseline{"baseline", "test", date, {Rule("cmp", 0, 17, cmp_base)}};
  BenefitRule dzud_rule = Rule("dzud_topup", 0, 5, dzud);
  dzud_rule.household_flags = {"dzud_soum"};
  BenefitRule pmt_rule = Rule("pmt_cash", 0, BenefitRule::kAnyAge, pmt_amount);
  pmt_rule.household_flags = {"pmt_selected"};
  BenefitRule cmp_takeup = Rule("cmp", 0, 17, cmp_reform);
  cmp_takeup.takeup = constant("TAKEUP_RATE");
  const std::vector<Policy> reforms = {
      {"baseline", "test", date, {Rule("cmp", 0, 17, cmp_base)}},
      {"cmp100", "test", date, {Rule("cmp", 0, 17, cmp_reform)}},
      {"dzud_topup", "test", date, {Rule("cmp", 0, 17, cmp_base), dzud_rule}},
      {"cmp100_takeup90", "test", date, {cmp_takeup}},
      {"combined", "test", date, {Rule("cmp", 0, 17, cmp_reform), dzud_rule}},
      {"pmt_cash", "test", date, {Rule("cmp", 0, 17, cmp_base), pmt_rule}},
  };
  auto domains = StandardDomains(s);
  EXPECT_TRUE(domains.ok()) << domains.status().ToString();
  SimulationOptions opt;
  opt.measures.poverty_line = z;
  opt.measures.standard_errors = StandardErrors::kBoth;
  opt.measures.threads = 2;
  opt.takeup_column = "u_takeup";
  auto sim = Simulator::Make(s, *domains, baseline, opt);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return res;
  for (const Policy& p : reforms) {
    auto r = sim->Run(p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) continue;
    AppendScenario(*r, "baseline", &rows);
  }
  for (const ReportRow& r : rows) put(r.scenario, r.domain, r.measure, r.value);

  // ---- Convention checks: person-level rows, convey's Gini formula.
  std::vector<double> pe_y, pe_w;
  for (size_t h = 0; h < n; ++h) {
    for (int i = 0; i < s.size[h]; ++i) {
      pe_y.push_back(y0[h]);
      pe_w.push_back(s.weight[h]);
    }
  }
  put("baseline", "national", "gini_laeken_x100_person_level_rows",
      100 * *Gini(pe_y, pe_w));
  put("baseline", "national", "median_pc_person_level_rows",
      *WeightedQuantile(pe_y, pe_w, 0.5));
  put("baseline", "national", "gini_convey_formula_hh_rows",
      *GiniConveyFormula(y0, pw));
  put("baseline", "national", "gini_convey_formula_person_rows",
      *GiniConveyFormula(pe_y, pe_w));
  return res;
}

// Where the engine reports a reference row under another name.
Key EngineKey(const Key& ref) {
  const auto& [sc, dom, m] = ref;
  if (m == "fgt0_hh_weighted_hh_with_children") {
    return {sc, "hh_with_children", "fgt0_hh_weighted"};
  }
  if (m == "fgt0_hh_weighted_all") return {sc, dom, "fgt0_hh_weighted"};
  if (m == "s80s20_shares_A") return {sc, dom, "qsr_laeken"};
  if (m == "survey_pkg_fgt0") return {sc, dom, "fgt0"};
  if (m == "survey_pkg_se_fgt0") return {sc, dom, "se_lin_fgt0"};
  if (m == "survey_pkg_se_fgt1") return {sc, dom, "se_lin_fgt1"};
  if (m == "survey_pkg_jkn_se_fgt0") return {sc, dom, "se_jkn_fgt0"};
  return ref;
}

bool IsStandardError(const std::string& m) {
  return m.rfind("se_", 0) == 0 || m.find("_se_") != std::string::npos;
}

// The reference rows that are inputs of the exercise (used above to set up
// the scenarios), not results.
const std::set<std::string>& InputConstants() {
  static const std::set<std::string> inputs = {
      "POVERTY_LINE", "CMP_BASE",  "CMP_REFORM",  "DZUD_TOPUP",
      "TAKEUP_RATE",  "PMT_SHARE", "PMT_TRANSFER"};
  return inputs;
}

// Rows the R script writes for every case (poverty_reference.R).
constexpr size_t kReferenceRows = 793;

struct Comparison {
  int checked = 0;
  int failed = 0;
  double worst_rel = 0;
  std::string failures;
};

// Compares every non-input reference row with the engine's value under the
// spec's tolerances (§5.2): 1e-9 * max(|ref|, 1) for values, 1e-7 relative
// for standard errors; NA must be NA. A reference row the engine does not
// produce is a failure.
Comparison CompareAll(const std::map<Key, double>& reference,
                      const std::map<Key, double>& engine) {
  Comparison c;
  std::ostringstream failures;
  for (const auto& [key, ref] : reference) {
    const auto& [sc, dom, m] = key;
    if (sc == "constants" && InputConstants().count(m)) continue;
    ++c.checked;
    auto it = engine.find(EngineKey(key));
    if (it == engine.end()) {
      ++c.failed;
      failures << "  missing: " << sc << "," << dom << "," << m << "\n";
      continue;
    }
    const double got = it->second;
    bool ok;
    if (std::isnan(ref)) {
      ok = std::isnan(got);
    } else if (IsStandardError(m)) {
      ok = std::fabs(got - ref) <= 1e-7 * std::fabs(ref);
    } else {
      ok = std::fabs(got - ref) <= 1e-9 * std::max(std::fabs(ref), 1.0);
    }
    if (!std::isnan(ref) && ref != 0) {
      c.worst_rel =
          std::max(c.worst_rel, std::fabs(got - ref) / std::fabs(ref));
    }
    if (!ok) {
      ++c.failed;
      char buf[256];
      std::snprintf(buf, sizeof buf, "  off: %s,%s,%s ref %.15g engine %.15g\n",
                    sc.c_str(), dom.c_str(), m.c_str(), ref, got);
      failures << buf;
    }
  }
  c.failures = failures.str();
  return c;
}

class ReferenceTest : public testing::TestWithParam<std::string> {};

TEST_P(ReferenceTest, EveryReferenceValue) {
  auto res = Compute(GetParam());
  // Every row of the file is read (none silently skipped) and every row
  // but the 7 input constants is compared.
  ASSERT_EQ(res->reference.size(), kReferenceRows);
  const Comparison c = CompareAll(res->reference, res->engine);
  EXPECT_EQ(c.checked,
            static_cast<int>(kReferenceRows - InputConstants().size()));
  EXPECT_EQ(c.failed, 0) << c.failed << " of " << c.checked
                         << " reference values not reproduced:\n"
                         << c.failures;
  std::printf(
      "[ case %s ] %d reference values checked, %d failed, largest "
      "relative difference %.3g\n",
      GetParam().c_str(), c.checked, c.failed, c.worst_rel);
}

// The comparison can fail: a value off by twice the tolerance, a standard
// error off by twice its tolerance, a missing row and a NaN are each caught.
TEST(ReferenceComparison, DetectsEveryKindOfMismatch) {
  auto res = Compute("shared");
  ASSERT_EQ(CompareAll(res->reference, res->engine).failed, 0);
  auto off = [&](const Key& key, auto change) {
    std::map<Key, double> engine = res->engine;
    change(engine, engine.at(EngineKey(key)));
    return CompareAll(res->reference, engine).failed;
  };
  // Keys that no other reference row aliases (survey_pkg_fgt0 is fgt0).
  const Key fgt0{"baseline", "national", "fgt2"};
  const Key se{"baseline", "national", "se_lin_fgt2"};
  const Key gap{"baseline", "national", "poverty_gap_total_mnt_month"};
  ASSERT_TRUE(res->reference.count(fgt0));
  ASSERT_TRUE(res->reference.count(se));
  ASSERT_TRUE(res->reference.count(gap));
  const double ref_fgt0 = res->reference.at(fgt0);
  const double ref_se = res->reference.at(se);
  const double ref_gap = res->reference.at(gap);
  EXPECT_EQ(off(fgt0, [&](auto&, double& v) { v = ref_fgt0 + 2e-9; }), 1);
  EXPECT_EQ(off(fgt0, [&](auto&, double& v) { v = ref_fgt0 + 0.5e-9; }), 0);
  EXPECT_EQ(off(se, [&](auto&, double& v) { v = ref_se * (1 + 2e-7); }), 1);
  EXPECT_EQ(off(gap, [&](auto&, double& v) { v = ref_gap * (1 + 2e-9); }), 1);
  EXPECT_EQ(off(fgt0, [&](auto&, double& v) { v = std::nan(""); }), 1);
  EXPECT_EQ(off(fgt0, [&](auto& e, double&) { e.erase(EngineKey(fgt0)); }), 1);
}

TEST_P(ReferenceTest, PmtCoefficients) {
  auto res = Compute(GetParam());
  ASSERT_EQ(res->reference_models.size(), 2u);
  ASSERT_EQ(res->fitted_models.size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    const PmtModel& ref = res->reference_models[k];
    const PmtModel& fit = res->fitted_models[k];
    EXPECT_EQ(ref.name, fit.name);
    ASSERT_EQ(ref.coefficients.size(), fit.coefficients.size());
    for (size_t j = 0; j < ref.coefficients.size(); ++j) {
      EXPECT_EQ(ref.terms[j].name, fit.terms[j].name);
      EXPECT_NEAR(fit.coefficients[j], ref.coefficients[j],
                  1e-7 * std::max(std::fabs(ref.coefficients[j]), 1e-3))
          << ref.name << " " << ref.terms[j].name;
    }
  }
}

TEST_P(ReferenceTest, DerivedCountsMatchHouseholdColumns) {
  auto res = Compute(GetParam());
  const Survey& s = res->survey;
  ASSERT_TRUE(s.has_persons());
  const auto kids = CountMembers(s, 0, 17);
  const auto small = CountMembers(s, 0, 5);
  const auto* c17 = s.columns.Find("n_child_0_17");
  const auto* c5 = s.columns.Find("n_child_0_5");
  ASSERT_NE(c17, nullptr);
  ASSERT_NE(c5, nullptr);
  for (size_t h = 0; h < s.households(); ++h) {
    ASSERT_EQ(kids[h], (*c17)[h]) << "household " << s.hh_id[h];
    ASSERT_EQ(small[h], (*c5)[h]) << "household " << s.hh_id[h];
    ASSERT_EQ(static_cast<int32_t>(s.person_begin[h + 1] - s.person_begin[h]),
              s.size[h]);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ReferenceTest,
                         testing::Values("shared", "case_a", "case_b"));

}  // namespace
}  // namespace malchin::poverty
