// Unit tests of the RIMA engine's contracts that no golden file covers:
// specification and survey errors, the missing-data policy, Heywood and
// orientation errors, marker invariance, explanations and model files.
#include "rima/rima.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "csv/csv.h"
#include "rima/report.h"

namespace malchin::rima {
namespace {

const char* kSpec = R"({
  "format": "malchin-rima-spec/1",
  "id_column": "id",
  "profiles": ["region"],
  "pillars": [
    {"name": "ABS", "variables": [{"column": "a1"}, {"column": "a2"},
                                  {"column": "a3", "transform": "log1p",
                                   "orientation": -1}]},
    {"name": "AST", "variables": [{"column": "b1"}, {"column": "b2"},
                                  {"column": "b3"}]},
    {"name": "SSN", "variables": [{"column": "c1"}, {"column": "c2"},
                                  {"column": "c3", "divide_by": "size"}]},
    {"name": "AC", "variables": [{"column": "d1"}, {"column": "d2"},
                                 {"column": "d3"}]}],
  "food_security": [{"column": "fcs"}, {"column": "exp", "transform": "log"}]
})";

ModelSpec Spec() {
  auto s = ParseSpec("spec.json", kSpec);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

// A survey from a known model: 4 latent pillars, 3 items each, eta, 2 FS.
std::string Survey(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z;
  std::string out =
      "id,region,a1,a2,a3,b1,b2,b3,c1,c2,c3,size,d1,d2,d3,fcs,exp,note\n";
  const char* regions[] = {"West", "East", "Gobi"};
  for (int i = 0; i < n; ++i) {
    double f[4], eta = 0;
    const double beta[4] = {0.3, 0.45, 0.15, 0.35};
    for (int g = 0; g < 4; ++g) {
      f[g] = z(rng);
      eta += beta[g] * f[g];
    }
    eta += 0.6 * z(rng);
    char buf[512];
    double size = 1 + (i % 5);
    std::snprintf(
        buf, sizeof buf,
        "H%04d,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%g,%.6f,%.6f,"
        "%.6f,%.6f,%.6f,x\n",
        i, regions[i % 3], f[0] + 0.7 * z(rng), f[0] + 0.8 * z(rng),
        std::exp(3 - 0.5 * f[0] + 0.5 * z(rng)), f[1] + 0.6 * z(rng),
        f[1] + 0.9 * z(rng), f[1] + 1.0 * z(rng), f[2] + 0.9 * z(rng),
        f[2] + 0.9 * z(rng), size * (f[2] + 0.9 * z(rng)), size,
        f[3] + 0.7 * z(rng), f[3] + 0.8 * z(rng), f[3] + 0.9 * z(rng),
        58 + 13 * eta + 9 * z(rng), std::exp(11.8 + 0.3 * eta + 0.35 * z(rng)));
    out += buf;
  }
  return out;
}

TEST(SpecTest, RoundTripsAndChecksShape) {
  ModelSpec s = Spec();
  ASSERT_EQ(s.pillars.size(), 4u);
  EXPECT_EQ(s.pillars[0].variables[2].name, "a3");
  auto again = ParseSpec("x", SpecJson(s));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(SpecJson(*again), SpecJson(s));
  // The three factor rules survive a round trip.
  std::string text = kSpec;
  text.replace(text.find(R"("name": "AST", )"), 15,
               R"("name": "AST", "factors": "fao_minres_screen", )");
  text.replace(text.find(R"("name": "AC", )"), 14,
               R"("name": "AC", "factors": 2, )");
  auto rules = ParseSpec("spec.json", text);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  auto back = ParseSpec("x", SpecJson(*rules));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->pillars[0].rule.kind, FactorRule::Kind::kKaiser);
  EXPECT_EQ(back->pillars[1].rule.kind, FactorRule::Kind::kFaoMinresScreen);
  EXPECT_EQ(back->pillars[3].rule.kind, FactorRule::Kind::kFixed);
  EXPECT_EQ(back->pillars[3].rule.factors, 2);
}

Status SpecError(std::string from, std::string to) {
  std::string text = kSpec;
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  auto s = ParseSpec("spec.json", text);
  EXPECT_FALSE(s.ok());
  return s.status();
}

TEST(SpecTest, Errors) {
  Status st = SpecError(R"({"column": "b1"}, )", "");
  EXPECT_NE(st.message().find("AST has 2 variables; expected at least 3"),
            std::string::npos)
      << st.message();
  st = SpecError(R"(, {"column": "exp", "transform": "log"})", "");
  EXPECT_NE(st.message().find("1 food-security indicators; expected 2 or 3"),
            std::string::npos)
      << st.message();
  st = SpecError(R"({"column": "exp", "transform": "log"})",
                 R"({"column": "exp"}, {"column": "x1"}, {"column": "x2"})");
  EXPECT_NE(st.message().find("4 food-security"), std::string::npos);
  st = SpecError(R"("transform": "log1p")", R"("transform": "sqrt")");
  EXPECT_NE(st.message().find("expected identity, log or log1p"),
            std::string::npos);
  st = SpecError(R"({"column": "d3"})", R"({"column": "a1"})");
  EXPECT_NE(st.message().find("used twice"), std::string::npos);
  st = SpecError(R"("name": "AC")", R"("name": "XX")");
  EXPECT_NE(st.message().find("expected ABS, AST, SSN or AC"),
            std::string::npos);
  st = SpecError(R"("orientation": -1)", R"("orientation": 2)");
  EXPECT_NE(st.message().find("expected 1 or -1"), std::string::npos);
  st = SpecError(R"("name": "AC", )", R"("name": "AC", "factors": "scree", )");
  EXPECT_NE(st.message().find(
                R"(expected "kaiser", "fao_minres_screen" or a number)"),
            std::string::npos)
      << st.message();
  st = SpecError(R"("name": "AC", )", R"("name": "AC", "factors": 3, )");
  EXPECT_NE(st.message().find("expected fewer factors than variables"),
            std::string::npos);
  EXPECT_FALSE(ParseSpec("s", "{").ok());
}

TEST(SurveyTest, ReadsTransformsAndOrientation) {
  auto s = ReadSurvey("s.csv", Survey(20, 1), Spec());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->ids.size(), 20u);
  EXPECT_EQ(s->profiles[0][1], "East");
  // a3 is -log1p(raw); c3 is divided by size.
  EXPECT_LT(s->pillars[0](0, 2), 0);
}

TEST(SurveyTest, ErrorsNameFileLineColumnValueAndExpectation) {
  std::string csv = Survey(5, 2);
  // Line 3 (second household): a1 not a number; line 4: exp = 0 for log.
  std::string bad = csv;
  size_t a1 = bad.find("H0001,East,") + 11;
  bad.replace(a1, bad.find(',', a1) - a1, "abc");
  auto s = ReadSurvey("kobo.csv", bad, Spec());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(
                "kobo.csv line 3, column 'a1': value 'abc'; expected a number"),
            std::string::npos)
      << s.status().message();
  std::string zero = csv;
  size_t row = zero.find("H0002,");
  size_t end = zero.find('\n', row);
  size_t last = zero.rfind(",x", end);
  size_t prev = zero.rfind(',', last - 1);
  zero.replace(prev + 1, last - prev - 1, "0");
  s = ReadSurvey("kobo.csv", zero, Spec());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("line 4, column 'exp': value '0'"),
            std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("expected > 0 for the log transform"),
            std::string::npos);
  std::string no_col = csv;
  no_col.replace(no_col.find(",d2,"), 4, ",dd,");
  s = ReadSurvey("kobo.csv", no_col, Spec());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("d2"), std::string::npos)
      << s.status().message();
  std::string dup = csv + csv.substr(csv.find("H0001"),
                                     csv.find("H0002") - csv.find("H0001"));
  s = ReadSurvey("kobo.csv", dup, Spec());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("appears on an earlier line"),
            std::string::npos);
}

TEST(SurveyTest, DropsOnlyForBlanksInModelColumns) {
  std::string csv = Survey(30, 3);
  // Blank the unused "note" column of H0004 and the model column b2 of
  // H0005 (NA) and H0006 (empty).
  auto blank_field = [&](const std::string& id, int field,
                         const std::string& with) {
    size_t row = csv.find(id + ",");
    size_t pos = row;
    for (int k = 0; k < field; ++k) pos = csv.find(',', pos) + 1;
    size_t end = csv.find_first_of(",\n", pos);
    csv.replace(pos, end - pos, with);
  };
  blank_field("H0004", 17, "");
  blank_field("H0005", 6, "NA");
  blank_field("H0006", 6, "");
  auto s = ReadSurvey("kobo.csv", csv, Spec());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 30u);
  EXPECT_EQ(s->ids.size(), 28u);
  ASSERT_EQ(s->dropped.size(), 2u);
  EXPECT_EQ(s->dropped[0].id, "H0005");
  EXPECT_EQ(s->dropped[0].line, 7u);
  EXPECT_EQ(s->dropped[0].missing_columns, std::vector<std::string>{"b2"});
  ASSERT_EQ(s->missing_by_column.size(), 1u);
  EXPECT_EQ(s->missing_by_column[0].second, 2);
}

TEST(FactorTest, EigenvaluesDescendingAndKaiser) {
  Matrix d(3, 3);
  d(0, 0) = 1;
  d(1, 1) = 3;
  d(2, 2) = 2;
  auto e = EigenvaluesDescending(d);
  EXPECT_DOUBLE_EQ(e[0], 3);
  EXPECT_DOUBLE_EQ(e[2], 1);
  EXPECT_EQ(KaiserFactors(d), 2);
}

TEST(FactorTest, ConstantColumnAndTooFewVariables) {
  Matrix x(10, 3);
  for (size_t i = 0; i < 10; ++i) {
    x(i, 0) = static_cast<double>(i);
    x(i, 1) = static_cast<double>(i * i % 7);
    x(i, 2) = 4.0;
  }
  auto fit = FitPillar("AC", {"a", "b", "c"}, x, {}, nullptr);
  ASSERT_FALSE(fit.ok());
  EXPECT_NE(fit.status().message().find("variable c is constant"),
            std::string::npos);
  Matrix two(10, 2);
  EXPECT_FALSE(FitPillar("AC", {"a", "b"}, two, {}, nullptr).ok());
}

TEST(FactorTest, HeywoodCaseIsAnError) {
  // One factor: loading_1^2 = r12 r13 / r23 = 1.28 > 1 (positive definite).
  Matrix r(3, 3);
  const double c[3][3] = {{1, 0.8, 0.8}, {0.8, 1, 0.5}, {0.8, 0.5, 1}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) r(i, j) = c[i][j];
  }
  auto pa = FitPrincipalAxis(r, 1, "AST", {"x", "y", "z"});
  ASSERT_FALSE(pa.ok());
  EXPECT_EQ(pa.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(pa.status().message().find("Heywood case: variable x"),
            std::string::npos)
      << pa.status().message();
  EXPECT_FALSE(FitPrincipalAxis(r, 3, "AST", {"x", "y", "z"}).ok());
}

TEST(MimicTest, IndicatorOrientedAgainstTheMarkerIsAnError) {
  ModelSpec spec = Spec();
  spec.food_security[1].orientation = -1;
  auto s = ReadSurvey("s.csv", Survey(400, 4), spec);
  ASSERT_TRUE(s.ok());
  auto fit = FitRima(spec, *s, {"v", "2026-01-01"});
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(fit.status().message().find("loading"), std::string::npos)
      << fit.status().message();
}

TEST(RimaTest, ScoresDoNotDependOnTheMarker) {
  ModelSpec spec = Spec();
  auto s = ReadSurvey("s.csv", Survey(600, 5), spec);
  ASSERT_TRUE(s.ok());
  auto a = FitRima(spec, *s, {"v", "2026-01-01"});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::swap(spec.food_security[0], spec.food_security[1]);
  auto s2 = ReadSurvey("s.csv", Survey(600, 5), spec);
  auto b = FitRima(spec, *s2, {"v", "2026-01-01"});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  for (size_t i = 0; i < a->households.size(); ++i) {
    ASSERT_NEAR(a->households[i].score_0_100, b->households[i].score_0_100,
                1e-6);
    ASSERT_EQ(a->households[i].quintile, b->households[i].quintile);
  }
  for (size_t g = 0; g < 4; ++g) {
    EXPECT_NEAR(a->structure.overall.cor[g], b->structure.overall.cor[g], 1e-8);
  }
}

TEST(RimaTest, ExplanationAddsUpToTheScore) {
  ModelSpec spec = Spec();
  auto s = ReadSurvey("s.csv", Survey(300, 6), spec);
  ASSERT_TRUE(s.ok());
  auto fit = FitRima(spec, *s, {"v", "2026-01-01"});
  ASSERT_TRUE(fit.ok());
  auto e = Explain(fit->model, *s, "H0017");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  double total = 0, points = e->average_score_0_100;
  for (const auto& p : e->pillars) {
    double vars = 0;
    for (const auto& v : p.variables) vars += v.contribution;
    EXPECT_NEAR(vars, p.contribution, 1e-9);
    total += p.contribution;
    points += p.points;
  }
  for (const auto& v : e->food_security) {
    total += v.contribution;
    points += v.points;
  }
  EXPECT_NEAR(total, e->score.rci, 1e-9);
  // ScoreOne (explain) and ScoreSurvey (bulk) give identical numbers.
  size_t i = 17;
  EXPECT_EQ(e->score.rci, fit->households[i].rci);
  EXPECT_EQ(e->score.score_0_100, fit->households[i].score_0_100);
  EXPECT_NEAR(points, e->score.score_0_100, 1e-7);
  EXPECT_EQ(Explain(fit->model, *s, "nobody").status().code(),
            StatusCode::kNotFound);
}

// A model file written before the robust SEs existed still loads; its
// reports say the robust SE is unknown instead of inventing one, and keep
// the normal-theory SE.
TEST(ModelTest, ModelWithoutRobustSesLoads) {
  ModelSpec spec = Spec();
  auto s = ReadSurvey("s.csv", Survey(300, 11), spec);
  ASSERT_TRUE(s.ok());
  auto fit = FitRima(spec, *s, {"v1", "2026-01-01"});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ASSERT_EQ(fit->model.mimic.se_robust.size(), fit->model.mimic.se.size());
  auto j = nlohmann::json::parse(ModelJson(fit->model));
  j["mimic"].erase("se_robust");
  auto old = ParseModel("old.json", j.dump());
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_TRUE(old->mimic.se_robust.empty());
  auto summary = nlohmann::json::parse(
      SummaryJson(*old, *s, fit->households, fit->structure));
  const auto& gamma = summary["mimic"]["parameters"][2];
  EXPECT_EQ(gamma["op"], "~");
  EXPECT_TRUE(gamma["se"].is_null());
  EXPECT_TRUE(gamma["z"].is_null());
  EXPECT_GT(gamma["se_standard"].get<double>(), 0);
  auto current = nlohmann::json::parse(
      SummaryJson(fit->model, *s, fit->households, fit->structure));
  EXPECT_GT(current["mimic"]["parameters"][2]["se"].get<double>(), 0);
  EXPECT_GT(current["mimic"]["parameters"][2]["pvalue"].get<double>(), -1);
}

TEST(ModelTest, NewerFormatAndDamageAreRefused) {
  ModelSpec spec = Spec();
  auto s = ReadSurvey("s.csv", Survey(200, 7), spec);
  ASSERT_TRUE(s.ok());
  auto fit = FitRima(spec, *s, {"v1", "2026-01-01"});
  ASSERT_TRUE(fit.ok());
  std::string text = ModelJson(fit->model);
  std::string newer = text;
  newer.replace(newer.find("\"format_version\": 1"), 19,
                "\"format_version\": 2");
  EXPECT_EQ(ParseModel("m.json", newer).status().code(), StatusCode::kDataLoss);
  std::string damaged = text;
  damaged.replace(damaged.find("\"psi\""), 5, "\"psx\"");
  auto bad = ParseModel("m.json", damaged);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("$.mimic.psi: missing"),
            std::string::npos)
      << bad.status().message();
  // New households are scored on the frozen scale: clipped to 0..100.
  auto other = ReadSurvey("s2.csv", Survey(200, 8), spec);
  ASSERT_TRUE(other.ok());
  auto model = ParseModel("m.json", text);
  ASSERT_TRUE(model.ok());
  for (const HouseholdScore& h : ScoreSurvey(*model, *other)) {
    EXPECT_GE(h.score_0_100, 0);
    EXPECT_LE(h.score_0_100, 100);
    EXPECT_GE(h.quintile, 1);
    EXPECT_LE(h.quintile, 5);
  }
}

}  // namespace
}  // namespace malchin::rima
