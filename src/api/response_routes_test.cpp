// Shock response over HTTP, end to end: the real server on loopback over a
// generated Zavkhan register (src/demo, seed 1), driven like an officer's
// browser would: the Zavkhan phase-1 pilot from the event to the bank's
// results, maker-checker refusals, idempotent retries, area scoping and
// bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/api.h"
#include "api/test_server.h"
#include "cli/cli.h"
#include "demo/generator.h"
#include "net/client.h"

namespace malchin::api {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kEvent = "zavkhan-dzud-2019";
constexpr const char* kPlan = "zavkhan-phase1";

// The event's soums: the four phase-1 soums very high, the other soums of
// Zavkhan but Uliastai (18101) high.
std::string ZavkhanSoumsCsv(const geo::Geography& geo) {
  std::string csv = "soum_code,severity\n";
  for (const geo::Unit* u : geo.SoumsOf(181)) {
    if (u->code == 18101) continue;
    bool phase1 = u->code == 18110 || u->code == 18125 || u->code == 18140 ||
                  u->code == 18149;
    csv += std::to_string(u->code) + (phase1 ? ",very_high\n" : ",high\n");
  }
  return csv;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> SplitCommas(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(item);
  return out;
}

class ResponseRoutesTest : public TestServerFixture {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer("malchin_response_routes",
                             TestServerOptions{.job_poll = 20ms});
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"maker", "checker", "zav", "ark", "tos", "ana", "aud"},
        [](store::Session& session) {
          auto loader = session.Get<registry::Repository>().BeginBulkLoad();
          ASSERT_TRUE(loader.ok()) << loader.status().ToString();
          demo::Options o;
          o.seed = 1;
          o.aimags = {181};  // Zavkhan only: about 70,000 persons.
          demo::Sink sink{[&](const registry::Household& h) {
                            return (*loader)->AddHousehold(h);
                          },
                          [&](const registry::Person& p) {
                            return (*loader)->AddPerson(p);
                          }};
          auto summary = demo::Generate(*server_->geo(), o, sink);
          ASSERT_TRUE(summary.ok()) << summary.status().ToString();
          ASSERT_TRUE((*loader)->Finish().ok());
        }));
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  TestServer& Server() override { return *server_; }

  // Polls a job until it is done or failed.
  json WaitJob(const std::string& token, const http::Response& accepted) {
    EXPECT_EQ(accepted.status, 202) << accepted.body;
    return Server().WaitJob(token, json::parse(accepted.body)["job_id"]);
  }

  static json Body(const http::Response& r) {
    return json::parse(r.body, nullptr, false);
  }

  // The event's declaration.
  static json Event() {
    return {{"code", kEvent},
            {"type", "dzud"},
            {"name", "Zavkhan dzud 2019-20"},
            {"source", "NAMEM dzud risk map"},
            {"reference", "Zavkhan emergency commission"},
            {"declared_on", "2019-12-01"},
            {"starts_on", "2019-12-01"},
            {"ends_on", "2020-04-30"},
            {"soums_csv", ZavkhanSoumsCsv(*server_->geo())}};
  }

  // Declares the event (idempotent).
  void DeclareEvent(const std::string& token) {
    json e = Event();
    auto r = Call(token, "POST", "/api/v1/events", e.dump());
    ASSERT_TRUE(r.status == 201 || r.status == 200) << r.body;
  }

  static json Phase1() {
    return {{"code", kPlan},
            {"event", kEvent},
            {"programme", "child_money"},
            {"name", "Zavkhan pilot phase 1"},
            {"eligibility", "age < 6 and event.severity == very_high"},
            {"amount", "40000"},
            {"cutoff_on", "2019-12-01"},
            {"installments", {{{"due_on", "2019-12-20"}}}}};
  }

  static TestServer* server_;
};

TestServer* ResponseRoutesTest::server_ = nullptr;

TEST_F(ResponseRoutesTest, ZavkhanPhaseOneFromEventToReconciliation) {
  std::string maker = Login("maker");
  std::string checker = Login("checker");

  // The event, declared twice (a double click): the second answer is 200.
  json e = Event();
  auto created = Call(maker, "POST", "/api/v1/events", e.dump());
  // 201 unless another test of this suite declared it first.
  ASSERT_TRUE(created.status == 201 || created.status == 200) << created.body;
  EXPECT_EQ(Body(created)["soums"].size(), 23u);
  EXPECT_EQ(Call(maker, "POST", "/api/v1/events", e.dump()).status, 200);
  // Importing the same soums again from a CSV body changes nothing.
  auto soums =
      Call(maker, "POST", std::string("/api/v1/events/") + kEvent + "/soums",
           ZavkhanSoumsCsv(*server_->geo()), {{"Content-Type", "text/csv"}});
  ASSERT_EQ(soums.status, 200) << soums.body;
  EXPECT_EQ(Body(soums)["changed"], 0);
  auto events = Body(Call(maker, "GET", "/api/v1/events"));
  ASSERT_GE(events["items"].size(), 1u);

  // The plan, prepared twice.
  auto plan = Call(maker, "POST", "/api/v1/plans", Phase1().dump());
  ASSERT_EQ(plan.status, 201) << plan.body;
  EXPECT_EQ(Body(plan)["status"], "prepared");
  EXPECT_EQ(Body(plan)["prepared_by"], "maker");
  EXPECT_EQ(Call(maker, "POST", "/api/v1/plans", Phase1().dump()).status, 200);

  // The preview equals the CLI's (`malchin plan preview --json`).
  const std::string base = std::string("/api/v1/plans/") + kPlan;
  auto preview = Call(maker, "GET", base + "/preview");
  ASSERT_EQ(preview.status, 200) << preview.body;
  json p = Body(preview);
  std::ostringstream out, err;
  std::istringstream in;
  cli::Io io{in, out, err};
  ASSERT_EQ(cli::RunCli({"plan", "preview", "--db", server_->db(), "--plan",
                         kPlan, "--json"},
                        io),
            0)
      << err.str();
  json cli = json::parse(out.str());
  int64_t children = p["national"]["beneficiaries"];
  EXPECT_EQ(children, cli["national"]["beneficiaries"].get<int64_t>());
  EXPECT_EQ(p["national"]["amount"], cli["national"]["amount"]);
  EXPECT_EQ(p["national"]["households"], cli["national"]["households"]);
  ASSERT_EQ(p["by_soum"].size(), cli["by_soum"].size());
  for (size_t i = 0; i < cli["by_soum"].size(); ++i) {
    EXPECT_EQ(p["by_soum"][i]["code"], cli["by_soum"][i]["code"]);
    EXPECT_EQ(p["by_soum"][i]["beneficiaries"],
              cli["by_soum"][i]["beneficiaries"]);
  }
  EXPECT_EQ(p["by_soum"].size(), 4u);
  EXPECT_EQ(p["soum_cells"].size(), cli["cells"].size());
  // The real pilot reached 2,729 children; within 15%.
  EXPECT_NEAR(static_cast<double>(children), 2729.0, 0.15 * 2729);
  EXPECT_EQ(p["total_amount"], children * 40000);
  int64_t by_sex = 0;
  for (const auto& c : p["by_sex_age_band"])
    by_sex += c["beneficiaries"].get<int64_t>();
  EXPECT_EQ(by_sex, children);
  // A live preview of another rule writes nothing.
  auto tried = Call(maker, "POST", base + "/preview",
                    R"({"eligibility":"age < 6 and event.severity >= high"})");
  ASSERT_EQ(tried.status, 200) << tried.body;
  EXPECT_GT(Body(tried)["national"]["beneficiaries"].get<int64_t>(), children);
  auto draft = Call(
      maker, "POST", std::string("/api/v1/events/") + kEvent + "/preview",
      R"({"programme":"child_money","eligibility":"age < 6 and event.severity == very_high","amount":"40000","cutoff_on":"2019-12-01"})");
  ASSERT_EQ(draft.status, 200) << draft.body;
  EXPECT_EQ(Body(draft)["national"]["beneficiaries"], children);

  // Maker-checker: the maker cannot approve (403); nothing is paid before
  // approval (409).
  auto self = Call(maker, "POST", base + "/approve");
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_NE(
      Body(self)["error"]["message"].get<std::string>().find("maker-checker"),
      std::string::npos);
  EXPECT_EQ(Call(maker, "POST", base + "/payrolls/1").status, 409);

  // The checker approves: a job that freezes the list.
  json approved = WaitJob(checker, Call(checker, "POST", base + "/approve"));
  ASSERT_EQ(approved["state"], "done") << approved.dump();
  EXPECT_EQ(approved["result"]["status"], "approved");
  EXPECT_EQ(approved["result"]["approved_by"], "checker");
  EXPECT_EQ(approved["result"]["beneficiaries"], children);
  // Approving again: 200, unchanged.
  auto again = Call(checker, "POST", base + "/approve");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Body(again)["approved_by"], "checker");

  // Payroll: generated by the maker (twice: 201 then 200), approved by
  // another national officer only.
  auto payroll = Call(maker, "POST", base + "/payrolls/1");
  ASSERT_EQ(payroll.status, 201) << payroll.body;
  EXPECT_EQ(Body(payroll)["lines"], children);
  EXPECT_EQ(Body(payroll)["amount"], children * 40000);
  EXPECT_EQ(Call(maker, "POST", base + "/payrolls/1").status, 200);
  EXPECT_EQ(Call(maker, "POST", base + "/payrolls/1/exports").status, 409);
  EXPECT_EQ(Call(maker, "POST", base + "/payrolls/1/approve").status, 403);
  std::string zav = Login("zav");
  EXPECT_EQ(Call(zav, "POST", base + "/payrolls/1/approve").status, 403);
  auto payroll_ok = Call(checker, "POST", base + "/payrolls/1/approve");
  ASSERT_EQ(payroll_ok.status, 200) << payroll_ok.body;

  // The plan page's totals are the caller's area's, the national figure
  // only for national roles (issue #14 item 13).
  {
    int64_t in_soum = 0;
    for (const auto& s : p["by_soum"]) {
      if (s["code"] == 18140) in_soum = s["beneficiaries"].get<int64_t>();
    }
    ASSERT_GT(in_soum, 0);
    ASSERT_LT(in_soum, children);
    json national = Body(Call(maker, "GET", base));
    EXPECT_EQ(national["scope"]["national"], true);
    EXPECT_EQ(national["beneficiaries"], children);
    EXPECT_EQ(national["installments"][0]["payroll"]["lines"], children);
    json soum = Body(Call(Login("tos"), "GET", base));
    EXPECT_EQ(soum["scope"]["national"], false) << soum.dump();
    EXPECT_EQ(soum["scope"]["soum_code"], 18140);
    EXPECT_EQ(soum["beneficiaries"], in_soum);
    EXPECT_EQ(soum["amount_per_installment"], in_soum * 40000);
    EXPECT_EQ(soum["installments"][0]["payroll"]["lines"], in_soum);
    EXPECT_EQ(soum["installments"][0]["payroll"]["amount"], in_soum * 40000);
  }
  EXPECT_EQ(Body(payroll_ok)["status"], "approved");
  EXPECT_EQ(Body(Call(maker, "GET",
                      base + "/payrolls"))["items"][0]["payroll"]["status"],
            "approved");

  // Payment files, one per bank, as a job; downloaded; exported again with
  // nothing new: the same files.
  json exported =
      WaitJob(maker, Call(maker, "POST", base + "/payrolls/1/exports"));
  ASSERT_EQ(exported["state"], "done") << exported.dump();
  json files = exported["result"]["files"];
  ASSERT_GE(files.size(), 2u);
  int64_t issued = exported["result"]["issued"];
  EXPECT_EQ(issued + exported["result"]["held_back"].get<int64_t>(), children);
  EXPECT_EQ(exported["result"]["file_payments"], issued);
  json largest = files[0];
  for (const auto& f : files) {
    if (f["payments"] > largest["payments"]) largest = f;
  }
  auto download = Call(maker, "GET", largest["url"]);
  ASSERT_EQ(download.status, 200) << download.body;
  EXPECT_EQ(download.GetHeader("Content-Type"), "text/csv; charset=utf-8");
  auto lines = SplitLines(download.body);
  ASSERT_EQ(lines.size(), largest["payments"].get<size_t>() + 2);
  EXPECT_EQ(lines[0],
            "reference,payee,payee_register_no,beneficiary_register_no,"
            "account,amount");
  EXPECT_EQ(SplitCommas(lines.back())[0], "TOTAL");
  json second =
      WaitJob(maker, Call(maker, "POST", base + "/payrolls/1/exports"));
  ASSERT_EQ(second["state"], "done");
  EXPECT_EQ(second["result"]["issued"], 0);
  EXPECT_EQ(Call(maker, "GET", largest["url"]).body, download.body);
  // A file from the database when the export folder was cleaned.
  std::filesystem::remove_all(
      std::filesystem::path(server_->services().export_dir));
  EXPECT_EQ(Call(maker, "GET", largest["url"]).body, download.body);
  EXPECT_EQ(Call(maker, "GET", base + "/payrolls/1/files/x.csv").status, 404);
  // Every download of a payment file is one audit entry: the file, its
  // payments and the caller's area (issue #14).
  {
    json trail =
        Body(Call(Login("aud"), "GET", "/api/v1/audit?actor=maker&limit=1000"));
    int downloads = 0;
    for (const auto& e : trail["items"]) {
      if (e["action"] != "payment_file.download") continue;
      ++downloads;
      EXPECT_EQ(e["after"]["persons"], largest["payments"]) << e.dump();
      EXPECT_EQ(e["after"]["area"], "national");
      EXPECT_NE(e["after"]["file"].get<std::string>().find(
                    largest["name"].get<std::string>()),
                std::string::npos)
          << e.dump();
    }
    EXPECT_EQ(downloads, 3) << trail.dump().substr(0, 2000);
  }

  // The bank's answer: the first payment failed, the others paid.
  std::string result = "reference,status,amount,reason\n";
  std::string beneficiary;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    auto f = SplitCommas(lines[i]);
    if (i == 1) beneficiary = f[3];
    result += f[0] + (i == 1 ? ",failed," : ",paid,") + f.back() +
              (i == 1 ? ",account closed\n" : ",\n");
  }
  const std::string results =
      base + "/payrolls/1/results?file_name=khan-result.csv";
  json applied = WaitJob(maker, Call(maker, "POST", results, result,
                                     {{"Content-Type", "text/csv"}}));
  ASSERT_EQ(applied["state"], "done") << applied.dump();
  EXPECT_EQ(applied["result"]["changed"], lines.size() - 2);
  json repeated = WaitJob(maker, Call(maker, "POST", results, result));
  ASSERT_EQ(repeated["state"], "done") << repeated.dump();
  EXPECT_EQ(repeated["result"]["changed"], 0);
  EXPECT_EQ(repeated["result"]["unchanged"], lines.size() - 2);
  // A reference this payroll never issued: the job fails naming the line,
  // and nothing changes.
  json unknown = WaitJob(
      maker,
      Call(maker, "POST", results,
           "reference,status,amount,reason\nMLC-99-1-1-1,paid,40000,\n"));
  ASSERT_EQ(unknown["state"], "failed") << unknown.dump();
  EXPECT_EQ(unknown["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_NE(
      unknown["error"]["message"].get<std::string>().find("khan-result.csv:2"),
      std::string::npos)
      << unknown.dump();

  // The report by soum and sex balances.
  auto report = Call(maker, "GET", base + "/payrolls/1/report");
  ASSERT_EQ(report.status, 200) << report.body;
  json rep = Body(report);
  EXPECT_TRUE(rep["balances"].get<bool>());
  EXPECT_EQ(rep["total"]["lines"], children);
  EXPECT_EQ(rep["total"]["issued"], issued);
  EXPECT_EQ(rep["total"]["failed"], 1);
  EXPECT_EQ(rep["total"]["paid"], static_cast<int64_t>(lines.size()) - 3);
  EXPECT_GE(rep["items"].size(), 4u);
  EXPECT_TRUE(rep["items"][0]["sex"] == "F" || rep["items"][0]["sex"] == "M");

  // Why a child is a beneficiary.
  auto why = Call(maker, "GET", base + "/explain/" + beneficiary);
  ASSERT_EQ(why.status, 200) << why.body;
  EXPECT_TRUE(Body(why)["beneficiary"].get<bool>());
  EXPECT_EQ(Body(why)["amount"], 40000);
  EXPECT_FALSE(Body(why)["explanation"].get<std::string>().empty());
  auto shown = Body(Call(maker, "GET", base));
  EXPECT_EQ(shown["installments"][0]["payroll"]["status"], "approved");
}

TEST_F(ResponseRoutesTest, OfficersOfAnotherAreaNeitherSeeNorTouchIt) {
  std::string maker = Login("maker");
  DeclareEvent(maker);
  json plan = Phase1();
  plan["code"] = "zavkhan-scope";
  auto made = Call(maker, "POST", "/api/v1/plans", plan.dump());
  ASSERT_TRUE(made.status == 201 || made.status == 200) << made.body;
  const std::string base = "/api/v1/plans/zavkhan-scope";

  std::string ark = Login("ark");  // Arkhangai's aimag officer.
  auto events = Body(Call(ark, "GET", "/api/v1/events"));
  for (const auto& e : events["items"]) EXPECT_NE(e["code"], kEvent);
  EXPECT_EQ(Call(ark, "GET", std::string("/api/v1/events/") + kEvent).status,
            404);
  EXPECT_TRUE(Body(Call(ark, "GET", "/api/v1/plans"))["items"].empty());
  EXPECT_EQ(Call(ark, "GET", base).status, 404);
  EXPECT_EQ(Call(ark, "GET", base + "/preview").status, 404);
  EXPECT_EQ(Call(ark, "POST", base + "/approve").status, 404);
  EXPECT_EQ(Call(ark, "POST", base + "/payrolls/1").status, 404);
  plan["code"] = "arkhangai-try";
  EXPECT_EQ(Call(ark, "POST", "/api/v1/plans", plan.dump()).status, 404);
  EXPECT_EQ(
      Call(ark, "POST", std::string("/api/v1/events/") + kEvent + "/soums",
           "soum_code,severity\n18140,high\n")
          .status,
      404);
  // Nor can they declare an event in Zavkhan.
  json e = {{"code", "ark-in-zavkhan"},
            {"type", "dzud"},
            {"name", "x"},
            {"starts_on", "2019-12-01"},
            {"soums", {{{"soum_code", 18140}, {"severity", "high"}}}}};
  EXPECT_EQ(Call(ark, "POST", "/api/v1/events", e.dump()).status, 403);

  // Zavkhan's aimag officer sees the event and previews their aimag.
  std::string zav = Login("zav");
  EXPECT_EQ(Call(zav, "GET", base).status, 200);
  auto zp = Call(zav, "GET", base + "/preview");
  ASSERT_EQ(zp.status, 200) << zp.body;
  EXPECT_EQ(Call(zav, "GET", base + "/preview?aimag=265").status, 403);
  // Tosontsengel's soum officer reads (statistics) their soum only and may
  // not manage responses.
  std::string tos = Login("tos");
  auto tp = Call(tos, "GET", base + "/preview");
  ASSERT_EQ(tp.status, 200) << tp.body;
  ASSERT_EQ(Body(tp)["by_soum"].size(), 1u);
  EXPECT_EQ(Body(tp)["by_soum"][0]["code"], 18140);
  EXPECT_EQ(Call(tos, "POST", base + "/approve").status, 403);
  // The analyst sees aggregates, never a person.
  std::string ana = Login("ana");
  EXPECT_EQ(Call(ana, "GET", base + "/preview").status, 200);
  EXPECT_EQ(Call(ana, "GET", base + "/explain/ИЗ85120320").status, 403);
}

TEST_F(ResponseRoutesTest, BadInputIs4xxNamingTheField) {
  std::string maker = Login("maker");
  DeclareEvent(maker);
  auto field = [&](const std::string& method, const std::string& target,
                   const std::string& body) {
    auto r = Call(maker, method, target, body);
    EXPECT_EQ(r.status, 400) << target << " " << body << ": " << r.body;
    json j = Body(r);
    return j.is_object() ? j["error"]["field"] : json();
  };
  json e = {{"code", "bad-event"},
            {"type", "dzud"},
            {"name", "x"},
            {"starts_on", "2019-12-01"}};
  json missing = e;
  missing.erase("name");
  EXPECT_EQ(field("POST", "/api/v1/events", missing.dump()), "name");
  json type = e;
  type["type"] = "meteor";
  EXPECT_EQ(field("POST", "/api/v1/events", type.dump()), "type");
  json date = e;
  date["starts_on"] = "2019-13-01";
  EXPECT_EQ(field("POST", "/api/v1/events", date.dump()), "starts_on");
  json unknown = e;
  unknown["severity"] = "high";
  EXPECT_EQ(field("POST", "/api/v1/events", unknown.dump()), "severity");
  json csv = e;
  csv["soums_csv"] = "soum_code,severity\n18140,extreme\nNowhere,high\n";
  auto bad_csv = Call(maker, "POST", "/api/v1/events", csv.dump());
  EXPECT_EQ(bad_csv.status, 400);
  EXPECT_EQ(Body(bad_csv)["error"]["field"], "soums_csv");
  std::string msg = Body(bad_csv)["error"]["message"];
  EXPECT_NE(msg.find("soums_csv:2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("soums_csv:3"), std::string::npos) << msg;
  EXPECT_EQ(Call(maker, "POST", "/api/v1/events", "{").status, 400);
  EXPECT_EQ(
      Call(maker, "POST", std::string("/api/v1/events/") + kEvent + "/soums",
           "soum_code,severity\n18140,extreme\n")
          .status,
      400);

  // A rule with a syntax error: every problem with its position.
  json plan = Phase1();
  plan["code"] = "bad-rule";
  plan["eligibility"] = "age < 6 and";
  auto rule = Call(maker, "POST", "/api/v1/plans", plan.dump());
  ASSERT_EQ(rule.status, 400) << rule.body;
  json r = Body(rule);
  EXPECT_EQ(r["error"]["field"], "eligibility");
  ASSERT_GE(r["problems"].size(), 1u);
  EXPECT_EQ(r["problems"][0]["field"], "eligibility");
  EXPECT_EQ(r["problems"][0]["line"], 1);
  EXPECT_GE(r["problems"][0]["column"], 9);
  plan["eligibility"] = "age < 6";
  plan["amount"] = "40000 +";
  EXPECT_EQ(field("POST", "/api/v1/plans", plan.dump()), "amount");
  plan["amount"] = "40000";
  plan["installments"] = {{{"due_on", "someday"}}};
  EXPECT_EQ(field("POST", "/api/v1/plans", plan.dump()), "due_on");
  plan["installments"] = {{{"due_on", "2019-12-20"}}};
  plan["code"] = "Bad Code";
  EXPECT_EQ(field("POST", "/api/v1/plans", plan.dump()), "code");
  EXPECT_EQ(
      field("GET", std::string("/api/v1/plans/") + kPlan + "/payrolls/x", ""),
      "installment");
  EXPECT_EQ(field("GET",
                  std::string("/api/v1/plans/") + kPlan + "/explain/12345", ""),
            "register_no");
  EXPECT_EQ(field("GET", std::string("/api/v1/plans/") + kPlan + "?x=1", ""),
            "x");
  EXPECT_EQ(Call(maker, "GET", "/api/v1/plans/no-such-plan").status, 404);
  EXPECT_EQ(Call(maker, "POST", "/api/v1/plans/no-such-plan/approve").status,
            404);
  // Plan rules may use the RIMA quintile (docs/rima.md); no household of
  // this register has a score, so none is in the lowest quintile.
  auto rci = Call(
      maker, "POST", std::string("/api/v1/events/") + kEvent + "/preview",
      R"({"eligibility":"has(rci_quintile) and rci_quintile == 1","amount":"100000","unit":"household","cutoff_on":"2019-12-01"})");
  ASSERT_EQ(rci.status, 200) << rci.body;
  EXPECT_EQ(Body(rci)["national"]["beneficiaries"], 0);
  // A plan whose event does not exist.
  plan["code"] = "orphan";
  plan["event"] = "no-such-event";
  EXPECT_EQ(Call(maker, "POST", "/api/v1/plans", plan.dump()).status, 404);
}

}  // namespace
}  // namespace malchin::api
