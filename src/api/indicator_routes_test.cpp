// The results framework over HTTP, end to end on loopback (on the engine
// MALCHIN_TEST_ENGINE names): a small generated Zavkhan register with demo
// insurance histories; the framework, values equal to the capability's own
// computation, area scoping (soum officer, another aimag's officer), the
// progress toward the target, freezing (who may; once), the frozen value
// kept while the register changes and the difference shown, the exports,
// and bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "api/test_server.h"
#include "indicators/compute.h"
#include "indicators/register_test_fixture.h"
#include "pdm/xlsx.h"

namespace malchin::api {
namespace {

using nlohmann::json;

constexpr const char* kSi = "/api/v1/indicators/SI_COVERAGE_HERDERS";

class IndicatorRoutesTest : public TestServerFixture {
 protected:
  static void SetUpTestSuite() {
    reg_ = indicators::testing::GeneratedRegister::Make().release();
    ASSERT_NE(reg_, nullptr);
    TestServerOptions o;
    o.database_url = reg_->database().url();
    server_ = new TestServer("malchin_indicator_routes", o);
    ASSERT_NO_FATAL_FAILURE(
        server_->Start({"nat", "zav", "ark", "tos", "ana", "aud"}));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete reg_;
    reg_ = nullptr;
  }
  TestServer& Server() override { return *server_; }

  json Get(const std::string& user, const std::string& target) {
    auto r = Call(Login(user), "GET", target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  // The capability's own value, computed on a national session.
  indicators::IndicatorValue Direct(const char* code, const char* period,
                                    int32_t area = 0) {
    auto session = reg_->Connect();
    auto v = indicators::Compute(
        *session, reg_->params(), *indicators::EmbeddedFramework().Find(code),
        *indicators::Period::Parse(period), store::AreaFilter::FromCode(area));
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : indicators::IndicatorValue{};
  }

  static indicators::testing::GeneratedRegister* reg_;
  static TestServer* server_;
};

indicators::testing::GeneratedRegister* IndicatorRoutesTest::reg_ = nullptr;
TestServer* IndicatorRoutesTest::server_ = nullptr;

const json* CellBy(const json& cells, const json& by) {
  for (const json& c : cells) {
    if (c["by"] == by) return &c;
  }
  return nullptr;
}

TEST_F(IndicatorRoutesTest, ListsTheFramework) {
  json f = Get("ana", "/api/v1/indicators");
  ASSERT_EQ(f["items"].size(),
            indicators::EmbeddedFramework().indicators.size());
  const json& si = f["items"][0];
  EXPECT_EQ(si["code"], "SI_COVERAGE_HERDERS");
  EXPECT_EQ(si["name"]["mn"], "Нийгмийн даатгалд хамрагдсан малчдын хувь");
  EXPECT_EQ(si["unit"], "percent");
  EXPECT_EQ(si["baseline"]["value"], 15);
  EXPECT_EQ(si["baseline"]["numerator_women"], 22856);
  EXPECT_EQ(si["targets"][0]["value"], 20);
  EXPECT_EQ(si["disaggregations"][0], "sex");
  EXPECT_EQ(Call(Login("aud"), "GET", "/api/v1/indicators").status, 403);
}

TEST_F(IndicatorRoutesTest, ValueEqualsTheComputationWithProgress) {
  auto direct = Direct("SI_COVERAGE_HERDERS", "2020Q2");
  ASSERT_FALSE(direct.cells.empty());
  ASSERT_GT(direct.cells[0].denominator, 100);
  json v = Get("ana", std::string(kSi) + "/value?period=2020Q2");
  EXPECT_EQ(v["reference_date"], "2020-06-30");
  EXPECT_EQ(v["total"]["numerator"], direct.cells[0].numerator);
  EXPECT_EQ(v["total"]["denominator"], direct.cells[0].denominator);
  EXPECT_DOUBLE_EQ(v["total"]["value"].get<double>(), direct.cells[0].value);
  ASSERT_EQ(v["cells"].size(), direct.cells.size());
  const json* women = CellBy(v["cells"], {{"sex", "F"}});
  ASSERT_NE(women, nullptr);
  EXPECT_EQ((*women)["numerator"], direct.Find({{"sex", "F"}})->numerator);
  EXPECT_EQ(v["target"]["value"], 20);
  EXPECT_EQ(v["target"]["date"], "2022-12-31");
  double progress = std::round((direct.cells[0].value - 15) / 5 * 1000) / 10;
  EXPECT_DOUBLE_EQ(v["progress"].get<double>(), progress);
  EXPECT_TRUE(v["frozen"].is_null());

  // Every indicator at once: the same total; the others computed too.
  json all = Get("ana", "/api/v1/indicators/values?period=2020Q2");
  ASSERT_EQ(all["items"].size(),
            indicators::EmbeddedFramework().indicators.size());
  EXPECT_EQ(all["items"][0]["total"], v["total"]);
  EXPECT_FALSE(all["items"][0].contains("cells"));
}

TEST_F(IndicatorRoutesTest, AreaScoping) {
  auto soum = Direct("SI_COVERAGE_HERDERS", "2020Q2", 18140);
  ASSERT_GT(soum.cells[0].denominator, 0);
  // The soum officer's whole area is her soum; asking for the aimag gives
  // the same.
  for (const char* q : {"", "&area=181"}) {
    json t = Get("tos", std::string(kSi) + "/value?period=2020Q2" + q);
    EXPECT_EQ(t["area"], 18140);
    EXPECT_EQ(t["total"]["numerator"], soum.cells[0].numerator);
    EXPECT_EQ(t["total"]["denominator"], soum.cells[0].denominator);
  }
  // The national value's soum cell is the same figure.
  json n = Get("nat", std::string(kSi) + "/value?period=2020Q2&area=181");
  EXPECT_EQ(n["area"], 181);
  const json* cell = CellBy(n["cells"], {{"soum", "18140"}});
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ((*cell)["numerator"], soum.cells[0].numerator);
  // Arkhangai's officer sees no Zavkhan herder.
  json a = Get("ark", std::string(kSi) + "/value?period=2020Q2&area=181");
  EXPECT_EQ(a["total"]["denominator"], 0);
}

TEST_F(IndicatorRoutesTest, FreezeKeepsTheFigureAndShowsTheDifference) {
  const std::string freeze = std::string(kSi) + "/freeze?period=2020Q3";
  EXPECT_EQ(Call(Login("ana"), "POST", freeze).status, 403);
  EXPECT_EQ(Call(Login("zav"), "POST", freeze).status, 403);
  std::string nat = Login("nat");
  auto f = Call(nat, "POST", freeze);
  ASSERT_EQ(f.status, 201) << f.body;
  json frozen = json::parse(f.body);
  EXPECT_EQ(frozen["frozen_by"], "nat");
  EXPECT_EQ(frozen["area"], 0);
  auto again = Call(nat, "POST", freeze);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("already frozen"), std::string::npos);

  json list = Get("ana", "/api/v1/indicators/frozen?code=SI_COVERAGE_HERDERS");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["total"], frozen["total"]);
  // Another aimag's officer lists no national value.
  EXPECT_TRUE(Get("ark", "/api/v1/indicators/frozen")["items"].empty());

  // The register changes: a covered working-age herder leaves it.
  auto session = reg_->Connect();
  std::string who = indicators::testing::CoveredHerder(
      *session, insurance::InsuranceScheme::kSocial, Date::FromYmd(2020, 9, 1));
  ASSERT_FALSE(who.empty());
  ASSERT_TRUE(session->Get<registry::Repository>()
                  .DeactivatePerson(who, {Date::FromYmd(2020, 7, 1), "died"})
                  .ok());

  json v = Get("ana", std::string(kSi) + "/value?period=2020Q3");
  ASSERT_FALSE(v["frozen"].is_null());
  EXPECT_EQ(v["frozen"]["total"], frozen["total"]);
  EXPECT_EQ(v["total"]["numerator"],
            frozen["total"]["numerator"].get<int64_t>() - 1);
  ASSERT_FALSE(v["differences"].empty());
  EXPECT_TRUE(v["differences"][0]["by"].empty());  // The total first.
  EXPECT_DOUBLE_EQ(v["differences"][0]["frozen"].get<double>(),
                   frozen["total"]["value"].get<double>());
  // The export reports the frozen figure.
  auto csv = Call(Login("ana"), "GET",
                  "/api/v1/indicators/export?format=csv&period=2020Q3"
                  "&code=SI_COVERAGE_HERDERS");
  ASSERT_EQ(csv.status, 200) << csv.body;
  std::string line = "SI_COVERAGE_HERDERS,2020Q3,0,2020-09-30,percent,," +
                     std::to_string(frozen["total"]["numerator"].get<int>()) +
                     ",";
  EXPECT_NE(csv.body.find(line), std::string::npos) << csv.body;
}

TEST_F(IndicatorRoutesTest, Exports) {
  std::string ana = Login("ana");
  auto csv =
      Call(ana, "GET", "/api/v1/indicators/export?format=csv&period=2020");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body.rfind("indicator,period,area,reference_date,unit,", 0),
            0u);
  EXPECT_NE(csv.GetHeader("Content-Disposition").find("indicators_2020.csv"),
            std::string::npos);
  auto dhis = Call(ana, "GET",
                   "/api/v1/indicators/export?format=dhis2-json&period=2020");
  ASSERT_EQ(dhis.status, 200) << dhis.body;
  json d = json::parse(dhis.body);
  ASSERT_FALSE(d["dataValues"].empty());
  EXPECT_EQ(d["dataValues"][0]["period"], "2020");
  auto adx =
      Call(ana, "GET", "/api/v1/indicators/export?format=adx&period=2020Q1");
  ASSERT_EQ(adx.status, 200) << adx.body;
  EXPECT_NE(adx.body.find("urn:ihe:qrph:adx:2015"), std::string::npos);
  EXPECT_NE(adx.body.find("2020-01-01/P3M"), std::string::npos);
  // The workbook: the framework in both languages, read back.
  auto xlsx =
      Call(ana, "GET", "/api/v1/indicators/export?format=xlsx&period=2020");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_NE(xlsx.GetHeader("Content-Disposition").find("indicators_2020.xlsx"),
            std::string::npos);
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("malchin-indicators-" + std::to_string(::getpid()) + ".xlsx");
  std::ofstream(file, std::ios::binary) << xlsx.body;
  auto wb = pdm::ReadXlsx(file.string());
  std::filesystem::remove(file);
  ASSERT_TRUE(wb.ok()) << wb.status().ToString();
  ASSERT_NE(wb->Find("Хүрээ"), nullptr);
  const pdm::Sheet* en = wb->Find("Framework");
  ASSERT_NE(en, nullptr);
  bool si = false;
  for (const auto& row : en->rows)
    si = si || (!row.empty() && row[0] == "SI_COVERAGE_HERDERS");
  EXPECT_TRUE(si);
}

TEST_F(IndicatorRoutesTest, BadInput) {
  std::string ana = Login("ana");
  struct Case {
    std::string target;
    int status;
    const char* field;
  };
  for (const Case& c : std::vector<Case>{
           {std::string(kSi) + "/value", 400, "period"},
           {std::string(kSi) + "/value?period=2020Q5", 400, ""},
           {std::string(kSi) + "/value?period=2020&area=999", 400, "area"},
           {std::string(kSi) + "/value?period=2020&x=1", 400, ""},
           {"/api/v1/indicators/NOPE/value?period=2020", 404, ""},
           {"/api/v1/indicators/export?format=pdf&period=2020", 400,
            "format"}}) {
    auto r = Call(ana, "GET", c.target);
    EXPECT_EQ(r.status, c.status) << c.target << ": " << r.body;
    if (*c.field) {
      EXPECT_EQ(json::parse(r.body)["error"]["field"], c.field) << r.body;
    }
  }
}

}  // namespace
}  // namespace malchin::api
