// End-to-end tests of the analytics routes (rima_routes.cpp,
// poverty_routes.cpp): the real server on loopback against a real SQLite
// store, driven over HTTP with the reference surveys of ../shared.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/api.h"
#include "api/test_server.h"
#include "net/client.h"
#include "params/parameters.h"
#include "rima/rima.h"
#include "rima/spec.h"
#include "rima/survey.h"

namespace malchin::api {
namespace {

using nlohmann::json;

const std::string kShared = MALCHIN_SHARED_DIR;
const std::string kRimaSurvey =
    kShared + "/reference/rima/synthetic_herders.csv";
const std::string kRimaSpec =
    std::string(MALCHIN_SOURCE_DIR) + "/src/rima/testdata/herders_spec.json";
const std::string kPoverty = kShared + "/reference/poverty/";

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  EXPECT_TRUE(f.good() || f.eof()) << path;
  return s.str();
}

registry::Person Head(const char* rn, const char* hh, registry::Sex sex,
                      const char* born) {
  registry::Person p = TestHead(rn, hh, born);
  p.sex = sex;
  return p;
}

class AnalyticsApiTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>("malchin_analytics_api");
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"nat", "tos", "ana", "aud"}, [](store::Session& session) {
          auto& store = session.Get<registry::Repository>();
          // Three households of the RIMA reference survey are in the
          // register: two in Tosontsengel (Zavkhan), one in an Ulaanbaatar
          // district.
          ASSERT_TRUE(store
                          .Upsert({TestHousehold("HH00001", 18140),
                                   TestHousehold("HH00002", 18140),
                                   TestHousehold("HH00003", 51101)},
                                  {Head("ИЗ85120320", "HH00001",
                                        registry::Sex::kFemale, "1985-12-03"),
                                   Head("ИЗ85120411", "HH00002",
                                        registry::Sex::kMale, "1985-12-04"),
                                   Head("УБ85120520", "HH00003",
                                        registry::Sex::kFemale, "1985-12-05")},
                                  {"seed", ""})
                          .ok());
        }));
  }

  TestServer& Server() override { return *server_; }

  // Fits the reference survey through the API (save_model) and returns the
  // job's result document.
  json FitReference(const std::string& token, const std::string& version) {
    json body = {{"survey_csv", ReadAll(kRimaSurvey)},
                 {"spec", json::parse(ReadAll(kRimaSpec))},
                 {"model_version", version},
                 {"date", "2026-01-15"},
                 {"save_model", true}};
    auto r = Call(token, "POST", "/api/v1/rima/fits", body.dump());
    EXPECT_EQ(r.status, 202) << r.body;
    json job = WaitJob(token, json::parse(r.body)["job_id"]);
    EXPECT_EQ(job["state"], "done") << job.dump();
    return job["result"];
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(AnalyticsApiTest, RimaFitScoreSummaryReportExplain) {
  const std::string ana = Login("ana");
  json fit = FitReference(ana, "rci-test-1");
  // The API returns the engine's own fit.
  auto spec = rima::LoadSpec(kRimaSpec);
  ASSERT_TRUE(spec.ok());
  auto survey = rima::LoadSurvey(kRimaSurvey, *spec);
  ASSERT_TRUE(survey.ok());
  rima::FitOptions opt{"rci-test-1", "2026-01-15"};
  auto direct = rima::FitRima(*spec, *survey, opt);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(fit["model_version"], "rci-test-1");
  EXPECT_EQ(fit["saved"], true);
  EXPECT_EQ(fit["survey"]["households_used"], survey->ids.size());
  EXPECT_NEAR(fit["model"]["mimic"]["fit"]["chisq"].get<double>(),
              direct->model.mimic.chisq, 1e-12 * direct->model.mimic.chisq);
  // Score with the stored model and save: three households are registered.
  json score = {{"survey_csv", ReadAll(kRimaSurvey)},
                {"model_version", "rci-test-1"},
                {"save", true},
                {"date", "2026-02-01"}};
  auto scored = Call(ana, "POST", "/api/v1/rima/scores", score.dump());
  ASSERT_EQ(scored.status, 200) << scored.body;
  json s = json::parse(scored.body);
  EXPECT_EQ(s["households_scored"], survey->ids.size());
  EXPECT_EQ(s["saved"]["inserted"], 3);
  EXPECT_EQ(s["saved"]["not_in_register"], survey->ids.size() - 3);
  int64_t in_quintiles = 0;
  for (const auto& q : s["quintiles"]) in_quintiles += q.get<int64_t>();
  EXPECT_EQ(in_quintiles, static_cast<int64_t>(survey->ids.size()));

  // Aggregates of the register by aimag and sex of the head.
  auto sum = Call(ana, "GET", "/api/v1/rima/summary?by=aimag");
  ASSERT_EQ(sum.status, 200) << sum.body;
  json groups = json::parse(sum.body)["groups"];
  std::map<std::string, int64_t> n;
  for (const auto& g : groups) {
    n[std::to_string(g["code"].get<int>()) + "/" +
      g["head_sex"].get<std::string>()] = g["households"];
    EXPECT_FALSE(g.dump().find("Сараа") != std::string::npos);
  }
  EXPECT_EQ(n["181/all"], 2);
  EXPECT_EQ(n["181/F"], 1);
  EXPECT_EQ(n["181/M"], 1);
  EXPECT_EQ(n["511/all"], 1);
  // A soum officer sees only their soum, and may read but not fit.
  const std::string tos = Login("tos");
  auto soum = Call(tos, "GET", "/api/v1/rima/summary?by=soum&format=csv");
  ASSERT_EQ(soum.status, 200) << soum.body;
  EXPECT_NE(soum.body.find("rci-test-1,soum,18140,all,2,"), std::string::npos)
      << soum.body;
  EXPECT_EQ(soum.body.find("51101"), std::string::npos);
  EXPECT_EQ(Call(tos, "POST", "/api/v1/rima/fits", "{}").status, 403);
  EXPECT_EQ(Call(tos, "POST", "/api/v1/rima/scores", "{}").status, 403);
  auto models = Call(tos, "GET", "/api/v1/rima/models");
  ASSERT_EQ(models.status, 200);
  json m = json::parse(models.body);
  EXPECT_EQ(m["scored"][0]["households"], 2);
  EXPECT_EQ(m["stored"][0]["model_version"], "rci-test-1");
  // A stored model's specification, as fitted (what the web labels with).
  auto one = Call(tos, "GET", "/api/v1/rima/models/rci-test-1");
  ASSERT_EQ(one.status, 200) << one.body;
  json fitted_spec = json::parse(ReadAll(kRimaSpec));
  json got = json::parse(one.body);
  EXPECT_EQ(got["model_version"], "rci-test-1");
  EXPECT_EQ(got["spec"]["id_column"], fitted_spec["id_column"]);
  ASSERT_EQ(got["spec"]["pillars"].size(), 4u);
  EXPECT_EQ(got["spec"]["pillars"][0]["variables"][0]["column"],
            fitted_spec["pillars"][0]["variables"][0]["column"]);
  EXPECT_EQ(got["spec"]["food_security"].size(),
            fitted_spec["food_security"].size());
  EXPECT_EQ(Call(tos, "GET", "/api/v1/rima/models/no-such-model").status, 404);

  // Reports: JSON by default, one CSV table by Accept.
  json rep = {{"survey_csv", ReadAll(kRimaSurvey)},
              {"model_version", "rci-test-1"}};
  auto csv = Call(tos, "POST", "/api/v1/rima/reports", rep.dump(),
                  {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.GetHeader("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("region=Central"), std::string::npos) << csv.body;
  auto rsm = Call(tos, "POST", "/api/v1/rima/reports?format=csv&table=rsm",
                  rep.dump());
  EXPECT_EQ(rsm.status, 200);
  EXPECT_EQ(
      Call(tos, "POST", "/api/v1/rima/reports?table=rci_households", rep.dump())
          .status,
      400);
  auto js = Call(tos, "POST", "/api/v1/rima/reports", rep.dump());
  ASSERT_EQ(js.status, 200);
  EXPECT_TRUE(json::parse(js.body).is_object());

  // Explain one household; an unknown one is 404.
  json ex = rep;
  ex["household"] = "HH00002";
  auto e = Call(ana, "POST", "/api/v1/rima/explain", ex.dump());
  ASSERT_EQ(e.status, 200) << e.body;
  ex["household"] = "NOPE";
  EXPECT_EQ(Call(ana, "POST", "/api/v1/rima/explain", ex.dump()).status, 404);
}

TEST_F(AnalyticsApiTest, RimaBadInputNamesTheField) {
  const std::string ana = Login("ana");
  json spec = json::parse(ReadAll(kRimaSpec));
  spec["pillars"][2]["variables"].erase(0);
  spec["pillars"][2]["variables"].erase(0);
  auto r = Call(ana, "POST", "/api/v1/rima/fits",
                json({{"survey_csv", "hhid\n1\n"}, {"spec", spec}}).dump());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json::parse(r.body)["error"]["field"], "spec");
  // Neither a model nor a version; an unknown stored version; both.
  r = Call(ana, "POST", "/api/v1/rima/scores",
           json({{"survey_csv", "x"}}).dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["field"], "model");
  r = Call(ana, "POST", "/api/v1/rima/scores",
           json({{"survey_csv", "x"}, {"model_version", "none"}}).dump());
  EXPECT_EQ(r.status, 404);
  r = Call(
      ana, "POST", "/api/v1/rima/scores",
      json({{"survey_csv", "x"}, {"model_version", "v"}, {"extra", 1}}).dump());
  EXPECT_EQ(r.status, 400);
  // No scores yet: the summary says so.
  EXPECT_EQ(Call(ana, "GET", "/api/v1/rima/summary").status, 404);
  EXPECT_EQ(Call(ana, "GET", "/api/v1/rima/summary?by=bag").status, 400);
  // A survey that is not the spec's: the field is survey_csv.
  r = Call(ana, "POST", "/api/v1/rima/fits",
           json({{"survey_csv", "hhid,region\nA,West\n"},
                 {"spec", json::parse(ReadAll(kRimaSpec))}})
               .dump());
  ASSERT_EQ(r.status, 202);
  json job = WaitJob(ana, json::parse(r.body)["job_id"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_NE(job.dump().find("survey_csv"), std::string::npos) << job.dump();
}

json SurveyBody() {
  return {{"households_csv", ReadAll(kPoverty + "households.csv")},
          {"persons_csv", ReadAll(kPoverty + "persons.csv")}};
}

TEST_F(AnalyticsApiTest, PovertyMeasuresWithGivenAndOfficialLine) {
  const std::string tos = Login("tos");  // read_stats is enough.
  json body = SurveyBody();
  body["line"] = 200000;
  body["by"] = {"standard"};
  auto r = Call(tos, "POST", "/api/v1/poverty/measures", body.dump());
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  json j = json::parse(r.body);
  EXPECT_EQ(j["manifest"]["poverty_line"]["mnt"], 200000);
  const json& national = j["estimates"]["domains"][0];
  EXPECT_EQ(national["domain"], "national");
  EXPECT_NEAR(national["values"]["fgt0"].get<double>(), 0.284538130317802,
              1e-12);
  EXPECT_NEAR(national["values"]["fgt1"].get<double>(), 0.0751946558609188,
              1e-12);
  EXPECT_GT(j["estimates"]["domains"].size(), 5u);
  // Decomposition by a column: FGT contributions add up to 1, GE within +
  // between = total.
  body["decompose_by"] = "region";
  r = Call(tos, "POST", "/api/v1/poverty/measures", body.dump());
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  json dec = json::parse(r.body)["decomposition"];
  ASSERT_EQ(dec["groups"].size(), 5u);
  double contribution = 0;
  for (const auto& g : dec["groups"]) {
    contribution += g["contribution"]["fgt0"].get<double>();
  }
  EXPECT_NEAR(contribution, 1, 1e-12);
  const json& theil = dec["generalised_entropy"]["theil_T_ge1"];
  EXPECT_NEAR(theil["within"].get<double>() + theil["between"].get<double>(),
              theil["total"].get<double>(), 1e-12);
  body.erase("decompose_by");
  // CSV by ?format=, with linearised SEs.
  body["se"] = "linearization";
  auto csv =
      Call(tos, "POST", "/api/v1/poverty/measures?format=csv", body.dump());
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("scenario,domain,measure,value\n", 0), 0u);
  EXPECT_NE(csv.body.find("\nsurvey,national,se_lin_fgt0,"), std::string::npos);
  // Without a line: the official line on line_date, named in the answer.
  json official = SurveyBody();
  official["line_date"] = "2021-06-30";
  r = Call(tos, "POST", "/api/v1/poverty/measures", official.dump());
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  j = json::parse(r.body);
  EXPECT_EQ(j["manifest"]["poverty_line"]["mnt"], 184747);
  EXPECT_EQ(j["manifest"]["poverty_line"]["parameter"],
            "poverty.line.per_capita");
  EXPECT_EQ(j["manifest"]["poverty_line"]["in_force_from"], "2020-01-01");
  auto line = Call(tos, "GET", "/api/v1/poverty/line?date=2017-01-01");
  ASSERT_EQ(line.status, 200);
  EXPECT_EQ(json::parse(line.body)["mnt"], 146100);
  EXPECT_EQ(Call(tos, "GET", "/api/v1/poverty/line?date=2010-01-01").status,
            409);  // FAILED_PRECONDITION: no line in force yet.
  // Bad input names the field.
  official["se"] = "bootstrap";
  r = Call(tos, "POST", "/api/v1/poverty/measures", official.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["field"], "se");
  // The auditor has no statistics permission.
  EXPECT_EQ(Call(Login("aud"), "POST", "/api/v1/poverty/measures", "{}").status,
            403);
}

TEST_F(AnalyticsApiTest, PovertySimulationReproducesTheReferenceReform) {
  const std::string ana = Login("ana");
  json body = SurveyBody();
  body["line"] = 200000;
  body["scenario"] = json::parse(R"json({
    "parameter_version": "test-1", "date": "2024-01-01",
    "baseline": {"name": "baseline",
                 "rules": [{"programme": "cmp", "max_age": 17, "amount": 20000}]},
    "reforms": [{"name": "cmp100",
                 "rules": [{"programme": "cmp", "max_age": 17,
                            "amount": [{"from": "2020-04-01", "mnt": 100000}]}]}]
  })json");
  auto r = Call(ana, "POST", "/api/v1/poverty/simulations", body.dump());
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  json j = json::parse(r.body);
  ASSERT_EQ(j["reforms"].size(), 1u);
  const json& h = j["reforms"][0];
  EXPECT_EQ(h["name"], "cmp100");
  EXPECT_NEAR(h["cost_year_mnt"].get<double>(), 1114157270592, 1e-3);
  EXPECT_NEAR(h["domains"][0]["fgt0"]["before"].get<double>(),
              0.284538130317802, 1e-12);
  EXPECT_NEAR(h["domains"][0]["fgt0"]["after"].get<double>(), 0.183438145169996,
              1e-12);
  EXPECT_GT(h["beneficiary_households"].get<double>(), 0);
  EXPECT_EQ(j["results"].size(), 1u);
  auto csv =
      Call(ana, "POST", "/api/v1/poverty/simulations?format=csv", body.dump());
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("\ncmp100,national,fgt0,0.183438145169996"),
            std::string::npos);
  // A scenario error names the scenario field.
  body["scenario"]["reforms"][0]["rules"][0]["max_age"] = "old";
  r = Call(ana, "POST", "/api/v1/poverty/simulations", body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["field"], "scenario");
}

TEST_F(AnalyticsApiTest, PmtFitAndTargetingErrors) {
  const std::string ana = Login("ana");
  // The reference model's terms, fitted again: the same coefficients.
  std::istringstream ref(ReadAll(kPoverty + "pmt_coefficients.csv"));
  std::string line;
  std::getline(ref, line);
  std::vector<std::string> terms;
  std::vector<double> estimates;
  while (std::getline(ref, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (f.size() >= 3 && f[2] == "full_sample_wls") {
      terms.push_back(f[0]);
      estimates.push_back(std::stod(f[1]));
    }
  }
  ASSERT_GT(terms.size(), 3u);
  json body = {{"households_csv", ReadAll(kPoverty + "households.csv")},
               {"terms", terms},
               {"version", "test-2026"},
               {"name", "full_sample_wls"}};
  auto r = Call(ana, "POST", "/api/v1/pmt/fits", body.dump());
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  json m = json::parse(r.body);
  ASSERT_EQ(m["coefficients"].size(), terms.size());
  for (size_t k = 0; k < terms.size(); ++k) {
    EXPECT_NEAR(m["coefficients"][k]["estimate"].get<double>(), estimates[k],
                1e-7 * std::max(1.0, std::abs(estimates[k])))
        << terms[k];
  }
  // Its model file scores the survey; errors against the line.
  json score = {{"households_csv", ReadAll(kPoverty + "households.csv")},
                {"model_csv", m["model_csv"]},
                {"coverage", 0.3},
                {"line", 200000}};
  const std::string tos = Login("tos");
  auto s = Call(tos, "POST", "/api/v1/pmt/scores", score.dump());
  ASSERT_EQ(s.status, 200) << s.body;
  json t = json::parse(s.body)["targeting"]["persons"];
  EXPECT_GT(t["inclusion_error_share_of_benef_nonpoor"].get<double>(), 0);
  EXPECT_LT(t["inclusion_error_share_of_benef_nonpoor"].get<double>(), 1);
  EXPECT_NEAR(t["selected_share"].get<double>(), 0.3, 0.01);
  // Fitting needs run_analytics; a bad term is named.
  EXPECT_EQ(Call(tos, "POST", "/api/v1/pmt/fits", body.dump()).status, 403);
  body["terms"] = {"(Intercept)", "sqrt(x)"};
  r = Call(ana, "POST", "/api/v1/pmt/fits", body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["field"], "terms");
}

}  // namespace
}  // namespace malchin::api
