// Post-distribution monitoring over HTTP, end to end on loopback: a small
// generated Zavkhan register whose phase-1 payroll is paid through the CLI
// (one payment in ten failed), then the sample drawn twice, maker-checker
// approval, the respondent list, an export uploaded twice and the report
// as JSON and CSV; permissions and bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/test_server.h"
#include "cli/cli.h"
#include "demo/generator.h"
#include "pdm/pilot_payroll_test_util.h"
#include "pdm/xlsx.h"

namespace malchin::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using pdm::testing::Fields;

class PdmRoutesTest : public TestServerFixture {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer("malchin_pdm_routes");
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"maker", "checker", "ana", "aud", "tos", "ikh", "zav", "ark"},
        [](store::Session& session) {
          auto loader = session.Get<registry::Repository>().BeginBulkLoad();
          ASSERT_TRUE(loader.ok());
          demo::Options o;
          o.seed = 1;
          o.aimags = {181};
          o.scale = 0.05;
          demo::Sink sink{[&](const registry::Household& h) {
                            return (*loader)->AddHousehold(h);
                          },
                          [&](const registry::Person& p) {
                            return (*loader)->AddPerson(p);
                          }};
          ASSERT_TRUE(demo::Generate(*server_->geo(), o, sink).ok());
          ASSERT_TRUE((*loader)->Finish().ok());
        }));
    ASSERT_NO_FATAL_FAILURE(PayPhaseOne());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  TestServer& Server() override { return *server_; }

  static void PayPhaseOne() {
    fs::path dir = fs::temp_directory_path() / "malchin-pdm-routes";
    fs::remove_all(dir);
    fs::create_directories(dir);
    ASSERT_NO_FATAL_FAILURE(pdm::testing::PayPilotPhaseOne(server_->db(), dir));
    fs::remove_all(dir);
  }

  static json Body(const http::Response& r) {
    return json::parse(r.body, nullptr, false);
  }
  static TestServer* server_;
};

TestServer* PdmRoutesTest::server_ = nullptr;

// The report's follow-up texts in the client's language (?lang=, else
// Accept-Language, else Mongolian) and intervals at the asked level.
void ExpectLanguagesAndLevels(TestServer& t, const std::string& token,
                              const std::string& base) {
  json mn = json::parse(t.Call(token, "GET", base + "/report").body);
  EXPECT_EQ(mn["follow_up"][0]["reason_text"],
            "олгосон дүнгээс бага авсан гэж хэлсэн");
  EXPECT_NE(mn["follow_up"][0]["text"].get<std::string>().find("төгрөг"),
            std::string::npos);
  json en = json::parse(t.Call(token, "GET", base + "/report?lang=en").body);
  EXPECT_EQ(en["follow_up"][0]["reason_text"],
            "received less than the amount paid");
  json accept = json::parse(t.Call(token, "GET", base + "/report", "",
                                   {{"Accept-Language", "en-GB,en;q=0.8"}})
                                .body);
  EXPECT_EQ(accept["follow_up"][0]["reason_text"],
            en["follow_up"][0]["reason_text"]);
  EXPECT_EQ(t.Call(token, "GET", base + "/report?lang=fr").status, 400);
  EXPECT_EQ(mn["confidence"], 0.95);
  json c90 =
      json::parse(t.Call(token, "GET", base + "/report?confidence=0.9").body);
  EXPECT_EQ(c90["confidence"], 0.9);
  for (size_t i = 0; i < mn["estimates"].size(); ++i) {
    const json &a = mn["estimates"][i], &b = c90["estimates"][i];
    if (a["se"].is_null() || a["ci_low"] == 0) continue;
    EXPECT_NEAR(
        b["ci_low"].get<double>(),
        a["value"].get<double>() - 1.6448536269514722 * a["se"].get<double>(),
        1e-9);
  }
  EXPECT_EQ(t.Call(token, "GET", base + "/report?confidence=2").status, 400);
}

Result<pdm::Workbook> ReadBody(const std::string& body) {
  fs::path file =
      fs::temp_directory_path() /
      ("malchin-pdm-report-" + std::to_string(::getpid()) + ".xlsx");
  std::ofstream(file, std::ios::binary) << body;
  auto wb = pdm::ReadXlsx(file.string());
  fs::remove(file);
  return wb;
}

// The .xlsx report: three sheets in Mongolian by default, the follow-up
// case in it, and one bulk-read audit entry for the download.
void ExpectReportXlsx(TestServer& t, const std::string& token,
                      const std::string& base) {
  auto x = t.Call(token, "GET", base + "/report?format=xlsx");
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_EQ(x.body.rfind("PK", 0), 0u);
  auto wb = ReadBody(x.body);
  ASSERT_TRUE(wb.ok()) << wb.status().ToString();
  ASSERT_EQ(wb->sheets.size(), 3u);
  EXPECT_EQ(wb->sheets[0].name, "Үр дүн");
  EXPECT_EQ(wb->sheets[2].name, "Дахин шалгах");
  EXPECT_EQ(wb->sheets[2].Cell(1, 0), "олгосон дүнгээс бага авсан гэж хэлсэн");
  EXPECT_EQ(wb->sheets[2].Cell(1, 7), "10000");
  auto en =
      ReadBody(t.Call(token, "GET", base + "/report?format=xlsx&lang=en").body);
  ASSERT_TRUE(en.ok());
  EXPECT_NE(en->Find("Follow-up"), nullptr);
  std::string aud = t.Login("aud");
  json trail = json::parse(t.Call(aud, "GET", "/api/v1/audit?actor=ana").body);
  int entries = 0;
  for (const auto& e : trail["items"]) {
    if (e["action"] != "pdm.report.xlsx") continue;
    ++entries;
    EXPECT_EQ(e["after"]["persons"], 1);
  }
  EXPECT_EQ(entries, 2) << trail.dump();
}

// The follow-up case raised as a grievance: by an officer of its area,
// once (the second call returns the same grievance), never by an officer of
// another aimag or soum (their report has no such case: 404), nor by one
// who cannot record complaints.
void ExpectFollowUpGrievance(TestServer& t, const std::string& base,
                             const json& follow_up) {
  const std::string path = base + "/follow-up/" +
                           follow_up["uuid"].get<std::string>() + "/grievance";
  const int32_t soum = follow_up["soum_code"];
  std::string zav = t.Login("zav"), ark = t.Login("ark"),
              other = t.Login(soum == 18140 ? "ikh" : "tos"),
              ana = t.Login("ana");
  EXPECT_EQ(t.Call(ana, "POST", path).status, 403);
  // Outside the area the report has no such case: 404, as for a stranger.
  auto denied = t.Call(ark, "POST", path);
  EXPECT_EQ(denied.status, 404) << denied.body;
  EXPECT_EQ(t.Call(other, "POST", path).status, 404);
  EXPECT_EQ(t.Call(zav, "POST", base + "/follow-up/u-none/grievance").status,
            404);
  auto raised = t.Call(zav, "POST", path);
  ASSERT_EQ(raised.status, 201) << raised.body;
  json g = json::parse(raised.body);
  EXPECT_EQ(g["created"], true);
  EXPECT_EQ(g["beneficiary_id"], follow_up["beneficiary_id"]);
  auto again = t.Call(zav, "POST", path);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["grievance_reference"],
            g["grievance_reference"]);
  EXPECT_EQ(t.Call(ark, "POST", path).status, 404);
  EXPECT_EQ(t.Call(other, "POST", path).status, 404);
  json list = json::parse(t.Call(ana, "GET", base + "/grievances").body);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["grievance_id"], g["grievance_id"]);
  auto c = t.Call(
      zav, "GET",
      "/api/v1/grievances/" + std::to_string(g["grievance_id"].get<int64_t>()));
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_NE(c.body.find("payment_problem"), std::string::npos);
  EXPECT_NE(c.body.find("Хяналтын судалгаа"), std::string::npos);
  json samples = json::parse(t.Call(ana, "GET", "/api/v1/pdm/samples").body);
  ASSERT_EQ(samples["items"].size(), 1u);
  json none = json::parse(t.Call(ark, "GET", "/api/v1/pdm/samples").body);
  EXPECT_TRUE(none["items"].empty()) << none.dump();
  json spec = json::parse(t.Call("", "GET", "/api/openapi.json").body);
  for (const char* p :
       {"/api/v1/pdm/samples", "/api/v1/pdm/samples/{id}/grievances",
        "/api/v1/pdm/samples/{id}/follow-up/{uuid}/grievance"}) {
    EXPECT_TRUE(spec["paths"].contains(p)) << p;
  }
}

TEST_F(PdmRoutesTest, SampleApproveIngestReport) {
  std::string maker = Login("maker"), checker = Login("checker"),
              ana = Login("ana");
  const std::string design =
      R"({"plan":"p1","installment":1,"seed":3,"margin":0.1})";
  EXPECT_EQ(Call(ana, "POST", "/api/v1/pdm/samples", design).status, 403);
  auto drawn = Call(maker, "POST", "/api/v1/pdm/samples", design);
  ASSERT_EQ(drawn.status, 201) << drawn.body;
  int64_t id = Body(drawn)["id"];
  auto again = Call(checker, "POST", "/api/v1/pdm/samples", design);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again)["id"], id);
  EXPECT_EQ(Body(again)["drawn_by"], "maker");
  EXPECT_EQ(Call(maker, "POST", "/api/v1/pdm/samples",
                 R"({"plan":"p1","installment":1,"margin":2})")
                .status,
            400);
  EXPECT_EQ(Body(again)["confidence"], 0.95);
  auto level = Call(maker, "POST", "/api/v1/pdm/samples",
                    R"({"plan":"p1","installment":1,"confidence":1.5})");
  EXPECT_EQ(level.status, 400);
  EXPECT_NE(level.body.find("confidence"), std::string::npos) << level.body;
  EXPECT_EQ(Call(maker, "POST", "/api/v1/pdm/samples",
                 R"({"plan":"nope","installment":1})")
                .status,
            404);

  const std::string base = "/api/v1/pdm/samples/" + std::to_string(id);
  EXPECT_EQ(Call(maker, "POST", base + "/approve").status, 403);
  auto approved = Call(checker, "POST", base + "/approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Body(approved)["status"], "approved");
  EXPECT_EQ(Call(ana, "GET", base).status, 200);
  EXPECT_EQ(Call(maker, "GET", "/api/v1/pdm/samples/x").status, 400);
  EXPECT_EQ(Call(maker, "GET", "/api/v1/pdm/samples/999").status, 404);

  auto xlsx = Call(ana, "GET", base + "/form.xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);  // a zip: the .xlsx
  EXPECT_EQ(Call(ana, "GET", base + "/respondents.csv").status, 403);
  auto list = Call(maker, "GET", base + "/respondents.csv");
  ASSERT_EQ(list.status, 200) << list.body;
  std::stringstream rows(list.body);
  std::string line, csv =
                        "respondent,consent,received,amount_received,_id,_"
                        "uuid,_submission_time\n";
  std::getline(rows, line);
  int n = 0;
  while (std::getline(rows, line)) {
    auto f = Fields(line);
    if (f.size() < 9 || f[8] != "0") continue;
    ++n;
    csv += f[0] + (n == 1 ? ",yes,yes,10000" : ",yes,yes,40000") + "," +
           std::to_string(n) + ",u" + std::to_string(n) +
           ",2020-01-15T04:00:00\n";
  }
  ASSERT_GT(n, 1);
  auto in = Call(maker, "POST", base + "/submissions?file=kobo.csv", csv,
                 {{"Content-Type", "text/csv"}});
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(Body(in)["accepted"], n);
  auto re = Call(maker, "POST", base + "/submissions?file=kobo.csv", csv,
                 {{"Content-Type", "text/csv"}});
  EXPECT_EQ(Body(re)["unchanged"], n);
  EXPECT_EQ(Body(re)["accepted"], 0);
  EXPECT_EQ(Call(maker, "POST", base + "/submissions", "\"a,b\n",
                 {{"Content-Type", "text/csv"}})
                .status,
            400);

  auto report = Call(ana, "GET", base + "/report");
  ASSERT_EQ(report.status, 200) << report.body;
  json r = Body(report);
  EXPECT_EQ(r["response"]["responded"], n);
  ASSERT_EQ(r["follow_up"].size(), 1u);
  EXPECT_EQ(r["follow_up"][0]["reason"], "paid_but_less_received");
  EXPECT_EQ(r["follow_up"][0]["reported_amount"], 10000);
  auto est = Call(ana, "GET", base + "/report?format=estimates.csv");
  ASSERT_EQ(est.status, 200);
  EXPECT_EQ(est.body.rfind("domain,indicator,", 0), 0u);
  EXPECT_EQ(Call(ana, "GET", base + "/report?format=xls").status, 400);
  ExpectLanguagesAndLevels(Server(), ana, base);
  ExpectReportXlsx(Server(), ana, base);
  ExpectFollowUpGrievance(Server(), base, r["follow_up"][0]);
}

}  // namespace
}  // namespace malchin::api
