// Golden tests: the engine against R (psych 2.2.9 + lavaan 0.6.14) on the
// reference survey (../shared/reference/rima, N = 10,024, 3 food-security
// indicators) and on two further surveys made with the same R script
// (testdata/n2000_fs2: N = 2,000, other correlations, 2 indicators;
// testdata/n1500_fs3: N = 1,500, 3 indicators; see docs/rima.md).
// Tolerances are the spec's §10.3.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "csv/csv.h"
#include "rima/rima.h"

namespace malchin::rima {
namespace {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Col(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  double Num(size_t r, const std::string& c) const {
    return std::stod(rows[r][Col(c)]);
  }
  const std::string& Str(size_t r, const std::string& c) const {
    return rows[r][Col(c)];
  }
};

Table ReadTable(const std::string& path) {
  Table t;
  auto data = csv::ReadFile(path);
  EXPECT_TRUE(data.ok()) << path;
  if (!data.ok()) return t;
  Status st = csv::ReadRecords(path, *data, {}, [&](const csv::Record& r) {
    if (t.header.empty()) {
      t.header = r.fields;
    } else {
      t.rows.push_back(r.fields);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return t;
}

struct Case {
  const char* name;
  std::string dir;
  int food_security;  // 2: FCS and log food expenditure; 3: + HDDS.
};

std::string SourceDir() {
  return std::string(MALCHIN_SOURCE_DIR) + "/src/rima";
}

std::vector<Case> Cases() {
  return {
      {"reference_n10024", std::string(MALCHIN_SHARED_DIR) + "/reference/rima",
       3},
      {"n2000_fs2", SourceDir() + "/testdata/n2000_fs2", 2},
      {"n1500_fs3", SourceDir() + "/testdata/n1500_fs3", 3},
  };
}

ModelSpec SpecFor(const Case& c) {
  auto spec = LoadSpec(SourceDir() + "/testdata/herders_spec.json");
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  ModelSpec s = *spec;
  if (c.food_security == 2) {
    s.food_security = {s.food_security[0], s.food_security[2]};
    s.food_security[1].name = "FS2";
  }
  return s;
}

// Factor counts from a golden table with columns pillar, numf.
void UseFactorCounts(const Table& t, ModelSpec* spec) {
  for (size_t r = 0; r < t.rows.size(); ++r) {
    std::string pillar = t.Str(r, "pillar");
    for (auto& c : pillar) c = static_cast<char>(std::toupper(c));
    for (PillarSpec& p : spec->pillars) {
      if (p.name == pillar) {
        p.rule.kind = FactorRule::Kind::kFixed;
        p.rule.factors = static_cast<int>(t.Num(r, "numf"));
      }
    }
  }
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

class GoldenTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    spec_ = SpecFor(GetParam());
    auto survey = LoadSurvey(GetParam().dir + "/synthetic_herders.csv", spec_);
    ASSERT_TRUE(survey.ok()) << survey.status().ToString();
    survey_ = std::move(survey).value();
    households_ = ReadTable(GetParam().dir + "/rci_households.csv");
    ASSERT_EQ(survey_.ids.size(), households_.rows.size());
  }
  std::string File(const char* name) const {
    return GetParam().dir + "/" + name;
  }
  // The golden MIMIC parameters (lhs op rhs -> est, std.all, and se: the
  // robust.sem SEs, when the fit has them).
  void CheckMimic(const MimicFit& m, const Table& pe) {
    const char* pillar_order[] = {"abs", "ast", "ssn", "ac"};
    int se_checked = 0;
    double worst_se = 0;
    for (size_t r = 0; r < pe.rows.size(); ++r) {
      std::string lhs = pe.Str(r, "lhs"), op = pe.Str(r, "op"),
                  rhs = pe.Str(r, "rhs");
      double est = pe.Num(r, "est"), std_all = pe.Num(r, "std.all");
      double got = NAN, got_std = NAN;
      int se_index = -1;  // MimicFit::se order: lambda_2..m, gamma, psi, theta.
      if (lhs == "RES" && op == "=~") {
        int j = std::stoi(rhs.substr(2)) - 1;
        got = m.lambda[j];
        got_std = m.std_lambda[j];
        se_index = j - 1;
      } else if (lhs == "RES" && op == "~") {
        for (int g = 0; g < 4; ++g) {
          if (rhs == pillar_order[g]) {
            got = m.gamma[g];
            got_std = m.std_gamma[g];
            se_index = m.m - 1 + g;
          }
        }
      } else if (lhs == "RES" && op == "~~") {
        got = m.psi;
        got_std = m.psi / m.var_eta;
        se_index = m.m - 1 + m.q;
      } else if (op == "~~" && lhs == rhs && lhs.rfind("FS", 0) == 0) {
        int j = std::stoi(lhs.substr(2)) - 1;
        got = m.theta[j];
        got_std = std_all;  // Not recomputed here.
        se_index = m.m + m.q + j;
      } else {
        continue;  // Fixed x moments.
      }
      EXPECT_NEAR(got, est, 1e-5 * std::abs(est) + 1e-9) << lhs << op << rhs;
      EXPECT_NEAR(got_std, std_all, 1e-5 * std::abs(std_all) + 1e-9)
          << lhs << op << rhs << " std.all";
      if (m.se_robust.empty() || se_index < 0) continue;
      double se = pe.Num(r, "se");
      EXPECT_NEAR(m.se_robust[se_index], se, 1e-5 * se) << lhs << op << rhs;
      worst_se = std::max(worst_se, std::abs(m.se_robust[se_index] - se) / se);
      ++se_checked;
    }
    if (!m.se_robust.empty()) {
      EXPECT_EQ(se_checked, m.npar) << "robust SEs checked";
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g", worst_se);
      RecordProperty("worst_relative_se_error", buf);
    }
  }
  ModelSpec spec_;
  SurveyData survey_;
  Table households_;
};

TEST_P(GoldenTest, PillarsMatchPsychWithFaoFactorCounts) {
  Table summary = ReadTable(File("pillar_fa_summary.csv"));
  Table loadings = ReadTable(File("pillar_loadings.csv"));
  Table weights = ReadTable(File("pillar_bartlett_weights.csv"));
  UseFactorCounts(summary, &spec_);
  for (size_t g = 0; g < spec_.pillars.size(); ++g) {
    const PillarSpec& ps = spec_.pillars[g];
    std::vector<std::string> names;
    for (const auto& v : ps.variables) names.push_back(v.name);
    std::vector<double> scores;
    auto fit = FitPillar(ps.name, names, survey_.pillars[g], ps.rule, &scores);
    ASSERT_TRUE(fit.ok()) << fit.status().ToString();
    const std::string lname = Lower(ps.name);
    for (size_t r = 0; r < summary.rows.size(); ++r) {
      if (summary.Str(r, "pillar") != lname) continue;
      int k = static_cast<int>(summary.Num(r, "factor")) - 1;
      EXPECT_EQ(fit->pa.iterations, summary.Num(r, "pa_iterations")) << lname;
      EXPECT_NEAR(fit->pa.ss_loadings[k], summary.Num(r, "ss_loading"), 1e-8);
      EXPECT_NEAR(fit->factor_weight[k], summary.Num(r, "weight"), 1e-8);
    }
    int checked = 0;
    for (size_t r = 0; r < loadings.rows.size(); ++r) {
      if (loadings.Str(r, "pillar") != lname) continue;
      size_t i =
          std::find(names.begin(), names.end(), loadings.Str(r, "variable")) -
          names.begin();
      ASSERT_LT(i, names.size());
      size_t k = static_cast<size_t>(loadings.Num(r, "factor")) - 1;
      EXPECT_NEAR(fit->pa.loadings(i, k), loadings.Num(r, "loading"), 1e-8)
          << names[i] << " factor " << k + 1;
      EXPECT_NEAR(fit->pa.uniqueness[i], loadings.Num(r, "uniqueness"), 1e-8);
      ++checked;
    }
    EXPECT_EQ(checked, static_cast<int>(names.size()) * fit->pa.factors);
    for (size_t r = 0; r < weights.rows.size(); ++r) {
      if (weights.Str(r, "pillar") != lname) continue;
      size_t i =
          std::find(names.begin(), names.end(), weights.Str(r, "variable")) -
          names.begin();
      size_t k = static_cast<size_t>(weights.Num(r, "factor")) - 1;
      EXPECT_NEAR(fit->bartlett(i, k), weights.Num(r, "bartlett_weight"), 1e-8)
          << names[i] << " factor " << k + 1;
    }
    double worst = 0;
    for (size_t h = 0; h < scores.size(); ++h) {
      worst = std::max(worst, std::abs(scores[h] - households_.Num(h, lname)));
    }
    EXPECT_LT(worst, 1e-7) << lname;
  }
}

TEST_P(GoldenTest, KaiserFactorCounts) {
  Table kaiser = ReadTable(File("pillar_numf_kaiser.csv"));
  for (size_t r = 0; r < kaiser.rows.size(); ++r) {
    std::string lname = kaiser.Str(r, "pillar");
    for (size_t g = 0; g < spec_.pillars.size(); ++g) {
      if (Lower(spec_.pillars[g].name) != lname) continue;
      Matrix cor = Correlation(survey_.pillars[g]);
      EXPECT_EQ(KaiserFactors(cor), kaiser.Num(r, "numf")) << lname;
    }
  }
}

// FAO's screen (psych minres with p factors, run by R's L-BFGS-B): the
// factor counts of the golden FAO variant, and where the screen itself is
// given (the reference survey), its sums of squared loadings and shares.
TEST_P(GoldenTest, FaoMinresScreenFactorCounts) {
  Table summary = ReadTable(File("pillar_fa_summary.csv"));
  const bool has_screen = GetParam().dir.find("/shared/") != std::string::npos;
  Table screen;
  if (has_screen) screen = ReadTable(File("pillar_numf_screen.csv"));
  for (size_t g = 0; g < spec_.pillars.size(); ++g) {
    const std::string lname = Lower(spec_.pillars[g].name);
    auto got = FaoMinresScreen(Correlation(survey_.pillars[g]), lname);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_NE(got->convergence.find("CONVERGENCE"), std::string::npos)
        << got->convergence;
    for (size_t r = 0; r < summary.rows.size(); ++r) {
      if (summary.Str(r, "pillar") == lname) {
        EXPECT_EQ(got->factors, summary.Num(r, "numf")) << lname;
      }
    }
    double worst_ss = 0, worst_share = 0;
    int rows = 0;
    for (size_t r = 0; r < screen.rows.size(); ++r) {
      if (screen.Str(r, "pillar") != lname) continue;
      size_t k = static_cast<size_t>(screen.Num(r, "factor")) - 1;
      ASSERT_LT(k, got->ss_loadings.size());
      worst_ss = std::max(worst_ss, std::abs(got->ss_loadings[k] -
                                             screen.Num(r, "ss_loading")));
      worst_share = std::max(
          {worst_share, std::abs(got->share[k] - screen.Num(r, "share")),
           std::abs(got->cum_share[k] - screen.Num(r, "cum_share"))});
      ++rows;
    }
    if (has_screen) {
      EXPECT_EQ(rows, static_cast<int>(got->ss_loadings.size())) << lname;
      // The CSV has 10 significant digits; measured 3.1e-10 and 4.3e-11.
      EXPECT_LT(worst_ss, 2e-9) << lname;
      EXPECT_LT(worst_share, 1e-9) << lname;
    }
  }
}

TEST_P(GoldenTest, MimicFromMomentsMatchesLavaan) {
  Table mom = ReadTable(File("mimic_input_moments.csv"));
  const int m = GetParam().food_security;
  // Golden order: FS..., abs, ast, ac, ssn; the engine's: ABS, AST, SSN, AC.
  std::vector<std::string> order;
  for (int f = 1; f <= m; ++f) order.push_back("FS" + std::to_string(f));
  for (const char* p : {"abs", "ast", "ssn", "ac"}) order.push_back(p);
  Matrix s(order.size(), order.size());
  for (size_t a = 0; a < order.size(); ++a) {
    size_t row = 0;
    while (mom.Str(row, "variable") != order[a]) ++row;
    for (size_t b = 0; b < order.size(); ++b) {
      s(a, b) = mom.Num(row, order[b]);
    }
  }
  Table fitm = ReadTable(File("mimic_fit.csv"));
  std::map<std::string, double> gold;
  for (size_t r = 0; r < fitm.rows.size(); ++r) {
    gold[fitm.Str(r, "measure")] = fitm.Num(r, "value");
  }
  auto fit = FitMimic(s, m, households_.rows.size());
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  CheckMimic(*fit, ReadTable(File("mimic_parameters.csv")));
  EXPECT_NEAR(fit->chisq, gold["chisq"], 1e-4);
  EXPECT_EQ(fit->df, gold["df"]);
  EXPECT_EQ(fit->npar, gold["npar"]);
  EXPECT_NEAR(fit->pvalue, gold["pvalue"], 1e-5);
  EXPECT_NEAR(fit->cfi, gold["cfi"], 1e-6);
  EXPECT_NEAR(fit->tli, gold["tli"], 1e-6);
  EXPECT_NEAR(fit->rmsea, gold["rmsea"], 1e-6);
  EXPECT_NEAR(fit->srmr, gold["srmr"], 1e-6);
  EXPECT_NEAR(fit->logl, gold["logl"], 1e-3);
  EXPECT_NEAR(fit->aic, gold["aic"], 1e-3);
  EXPECT_NEAR(fit->bic, gold["bic"], 1e-3);
}

void CheckScores(const Table& hh, const std::vector<HouseholdScore>& got,
                 const char* rci, const char* rci100, const char* bartlett,
                 const char* quintile) {
  double w_rci = 0, w_100 = 0, w_b = 0;
  int quint_bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    w_rci = std::max(w_rci, std::abs(got[i].rci - hh.Num(i, rci)));
    w_100 = std::max(w_100, std::abs(got[i].score_0_100 - hh.Num(i, rci100)));
    if (bartlett) {
      w_b = std::max(w_b, std::abs(got[i].rci_bartlett - hh.Num(i, bartlett)));
    }
    if (quintile && got[i].quintile != hh.Num(i, quintile)) ++quint_bad;
  }
  EXPECT_LT(w_rci, 1e-5) << rci;
  EXPECT_LT(w_100, 1e-3) << rci100;
  EXPECT_LT(w_b, 1e-5) << "RCI_bartlett";
  EXPECT_EQ(quint_bad, 0) << "quintiles";
}

TEST_P(GoldenTest, EndToEndFaoVariant) {
  UseFactorCounts(ReadTable(File("pillar_fa_summary.csv")), &spec_);
  auto fit = FitRima(spec_, survey_, {"test", "2026-11-29"});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  CheckMimic(fit->model.mimic, ReadTable(File("mimic_parameters.csv")));
  CheckScores(households_, fit->households, "RCI", "RCI_0_100", "RCI_bartlett",
              "RCI_quintile");
  Table rsm = ReadTable(File("rsm.csv"));
  for (size_t r = 0; r < rsm.rows.size(); ++r) {
    for (size_t g = 0; g < 4; ++g) {
      if (Lower(spec_.pillars[g].name) != rsm.Str(r, "pillar")) continue;
      EXPECT_NEAR(fit->structure.overall.cor[g], rsm.Num(r, "cor_with_RCI"),
                  1e-6);
      EXPECT_NEAR(fit->structure.overall.share_pct[g],
                  rsm.Num(r, "abs_cor_share_pct"), 1e-4);
      EXPECT_NEAR(fit->model.mimic.std_gamma[g],
                  rsm.Num(r, "mimic_gamma_std_all"), 1e-6);
    }
  }
  Table by_region = ReadTable(File("rsm_by_region.csv"));
  int matched = 0;
  for (size_t r = 0; r < by_region.rows.size(); ++r) {
    for (const RsmGroup& g : fit->structure.by_profile) {
      if (g.profile != "region" || g.group != by_region.Str(r, "region")) {
        continue;
      }
      EXPECT_EQ(g.n, by_region.Num(r, "n"));
      for (size_t k = 0; k < 4; ++k) {
        if (Lower(spec_.pillars[k].name) != by_region.Str(r, "pillar")) {
          continue;
        }
        EXPECT_NEAR(g.cor[k], by_region.Num(r, "cor_with_RCI"), 1e-6);
        ++matched;
      }
    }
  }
  EXPECT_EQ(matched, static_cast<int>(by_region.rows.size()));
  Table vc = ReadTable(File("variable_pillar_cor.csv"));
  ASSERT_EQ(vc.rows.size(), fit->structure.variable_cor.size());
  for (size_t r = 0; r < vc.rows.size(); ++r) {
    EXPECT_EQ(fit->structure.variable_cor[r].variable, vc.Str(r, "variable"));
    EXPECT_NEAR(fit->structure.variable_cor[r].cor,
                vc.Num(r, "cor_with_pillar"), 1e-6);
  }
}

// Fitting "as FAO does" needs no hand-fixed factor counts: the screen
// picks them (reference survey: AC 2, the others 1) and the whole fit
// matches the FAO variant, robust SEs included.
TEST_P(GoldenTest, EndToEndWithTheFaoScreen) {
  for (PillarSpec& p : spec_.pillars) {
    p.rule.kind = FactorRule::Kind::kFaoMinresScreen;
  }
  auto fit = FitRima(spec_, survey_, {"test", "2026-11-29"});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  Table summary = ReadTable(File("pillar_fa_summary.csv"));
  int matched = 0;
  for (size_t r = 0; r < summary.rows.size(); ++r) {
    for (const PillarFit& p : fit->model.pillars) {
      if (Lower(p.name) != summary.Str(r, "pillar")) continue;
      EXPECT_EQ(p.pa.factors, summary.Num(r, "numf")) << p.name;
      EXPECT_EQ(p.screen.factors, p.pa.factors) << p.name;
      ++matched;
    }
  }
  EXPECT_EQ(matched, static_cast<int>(summary.rows.size()));
  if (GetParam().dir.find("/shared/") != std::string::npos) {
    EXPECT_EQ(fit->model.pillars[3].pa.factors, 2);  // AC
  }
  CheckMimic(fit->model.mimic, ReadTable(File("mimic_parameters.csv")));
  CheckScores(households_, fit->households, "RCI", "RCI_0_100", "RCI_bartlett",
              "RCI_quintile");
}

TEST_P(GoldenTest, EndToEndKaiserVariant) {
  auto fit = FitRima(spec_, survey_, {"test", "2026-11-29"});  // Kaiser.
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  Table kaiser = ReadTable(File("pillar_numf_kaiser.csv"));
  for (size_t r = 0; r < kaiser.rows.size(); ++r) {
    for (const PillarFit& p : fit->model.pillars) {
      if (Lower(p.name) == kaiser.Str(r, "pillar")) {
        EXPECT_EQ(p.pa.factors, kaiser.Num(r, "numf")) << p.name;
      }
    }
  }
  CheckMimic(fit->model.mimic, ReadTable(File("mimic_parameters_kaiser.csv")));
  CheckScores(households_, fit->households, "RCI_kaiser", "RCI_kaiser_0_100",
              nullptr, nullptr);
  double worst = 0;
  for (size_t i = 0; i < fit->households.size(); ++i) {
    worst = std::max(worst, std::abs(fit->households[i].pillars[3] -
                                     households_.Num(i, "ac_kaiser")));
  }
  EXPECT_LT(worst, 1e-7);
}

TEST_P(GoldenTest, FrozenModelReproducesTheFit) {
  auto fit = FitRima(spec_, survey_, {"", "2026-11-29"});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->model.model_version.rfind("rima-2026-11-29-", 0), 0u);
  auto model = ParseModel("m.json", ModelJson(fit->model));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(ModelJson(*model), ModelJson(fit->model));
  std::vector<HouseholdScore> again = ScoreSurvey(*model, survey_);
  ASSERT_EQ(again.size(), fit->households.size());
  for (size_t i = 0; i < again.size(); ++i) {
    ASSERT_EQ(again[i].rci, fit->households[i].rci) << i;
    ASSERT_EQ(again[i].quintile, fit->households[i].quintile) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Rima, GoldenTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace malchin::rima
