// Payments as cases over HTTP (#15), end to end on a small register in
// Tosontsengel: a hold asked by one officer and confirmed by another keeps a
// payment out of the bank file, its release puts it in the next file; a
// failed payment is re-issued to a corrected payee account as a new attempt
// of the same payment, its history visible; the soum officer's follow-up
// list as JSON, CSV and a printable page; the payment report by the sex of
// who is paid and of the household's head; a second plan of the same event
// and programme leaves the covered out unless accepted with a reason.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/test_server.h"

namespace malchin::api {
namespace {

using nlohmann::json;
using registry::Relation;
using registry::Sex;

constexpr const char* kMother = "ИЗ85120320";  // T1's head, Khan account.
constexpr const char* kBoy = "ИЗ15220111";     // T1, paid to his mother.
constexpr const char* kFather = "ИЗ80010111";  // T2's head, Golomt account.
constexpr const char* kSon = "ИЗ18220111";     // T2, paid to his father.
constexpr const char* kLone = "ИЗ16220122";    // T3: nobody has an account.
constexpr const char* kBase = "/api/v1/plans/tos1";

registry::Person P(const char* rn, const char* hh, const char* born, Sex sex,
                   Relation rel, const char* account) {
  registry::Person p = TestHead(rn, hh, born);
  p.sex = sex;
  p.relation = rel;
  p.bank_account = account;
  p.phone = "99112233";
  return p;
}

class ResponseCasesRoutesTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>("malchin_cases_api");
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"maker", "checker", "tos", "ikh"}, [](store::Session& session) {
          ASSERT_TRUE(session.Get<registry::Repository>()
                          .Upsert({TestHousehold("T1", 18140),
                                   TestHousehold("T2", 18140),
                                   TestHousehold("T3", 18140)},
                                  {P(kMother, "T1", "1985-12-03", Sex::kFemale,
                                     Relation::kHead, "00051234567890"),
                                   P(kBoy, "T1", "2015-02-01", Sex::kMale,
                                     Relation::kChild, ""),
                                   P(kFather, "T2", "1980-01-01", Sex::kMale,
                                     Relation::kHead, "00151234567890"),
                                   P(kSon, "T2", "2018-02-01", Sex::kMale,
                                     Relation::kChild, ""),
                                   P(kLone, "T3", "2016-02-01", Sex::kFemale,
                                     Relation::kChild, "")},
                                  {"seed", ""})
                          .ok());
        }));
    maker_ = Login("maker");
    checker_ = Login("checker");
  }
  TestServer& Server() override { return *server_; }

  static json Body(const http::Response& r) {
    return json::parse(r.body, nullptr, false);
  }
  static json Plan(const std::string& code) {
    return {{"code", code},
            {"event", "tos-dzud"},
            {"kind", "horizontal"},
            {"name", "Tosontsengel children"},
            {"eligibility", "age < 6"},
            {"amount", "40000"},
            {"cutoff_on", "2019-12-15"},
            {"installments", {{{"due_on", "2019-12-20"}}}}};
  }
  // The event, the plan approved by the checker, its payroll approved.
  void ApprovedPayroll() {
    json event = {{"code", "tos-dzud"},
                  {"type", "dzud"},
                  {"name", "Tosontsengel dzud"},
                  {"source", "risk map"},
                  {"reference", "decision 1"},
                  {"declared_on", "2019-12-01"},
                  {"starts_on", "2019-12-01"},
                  {"ends_on", "2020-04-30"},
                  {"soums_csv", "soum_code,severity\n18140,very_high\n"}};
    auto e = Call(maker_, "POST", "/api/v1/events", event.dump());
    ASSERT_EQ(e.status, 201) << e.body;
    auto p = Call(maker_, "POST", "/api/v1/plans", Plan("tos1").dump());
    ASSERT_EQ(p.status, 201) << p.body;
    Approve(kBase, "");
    ASSERT_EQ(Call(maker_, "POST", std::string(kBase) + "/payrolls/1").status,
              201);
    ASSERT_EQ(Call(checker_, "POST", std::string(kBase) + "/payrolls/1/approve")
                  .status,
              200);
  }
  json Approve(const std::string& base, const std::string& body) {
    auto r = Call(checker_, "POST", base + "/approve", body);
    EXPECT_EQ(r.status, 202) << r.body;
    json done = WaitJob(checker_, Body(r)["job_id"]);
    EXPECT_EQ(done["state"], "done") << done.dump();
    return done["result"];
  }
  json Export() {
    auto r = Call(maker_, "POST", std::string(kBase) + "/payrolls/1/exports");
    EXPECT_EQ(r.status, 202) << r.body;
    json done = WaitJob(maker_, Body(r)["job_id"]);
    EXPECT_EQ(done["state"], "done") << done.dump();
    return done["result"];
  }
  std::string Payment(const char* rn) {
    return std::string(kBase) + "/payrolls/1/payments/" + rn;
  }
  // Asked by the maker, confirmed by the checker.
  void Decided(const char* rn, const std::string& kind) {
    auto asked =
        Call(maker_, "POST", Payment(rn) + "/actions",
             json{{"kind", kind}, {"reason", kind + " (test)"}}.dump());
    ASSERT_EQ(asked.status, 201) << asked.body;
    auto ok =
        Call(checker_, "POST",
             std::string(kBase) + "/actions/" +
                 std::to_string(Body(asked)["id"].get<int64_t>()) + "/confirm",
             R"({"note":"seen"})");
    ASSERT_EQ(ok.status, 200) << ok.body;
  }
  std::string FileOf(const json& exported) {
    std::string all;
    for (const auto& f : exported["files"]) {
      all += Call(maker_, "GET", f["url"]).body;
    }
    return all;
  }

  std::unique_ptr<TestServer> server_;
  std::string maker_, checker_;
};

TEST_F(ResponseCasesRoutesTest, HoldKeepsOutOfTheFileAndReleaseSendsNext) {
  ASSERT_NO_FATAL_FAILURE(ApprovedPayroll());
  auto hold = Call(maker_, "POST", Payment(kBoy) + "/actions",
                   R"({"kind":"hold","reason":"reported deceased"})");
  ASSERT_EQ(hold.status, 201) << hold.body;
  EXPECT_EQ(Body(hold)["status"], "requested");
  const std::string confirm = std::string(kBase) + "/actions/" +
                              std::to_string(Body(hold)["id"].get<int64_t>()) +
                              "/confirm";
  // Maker-checker: not by whoever asked; another soum's officer does not
  // see the payment.
  EXPECT_EQ(Call(maker_, "POST", confirm).status, 403);
  EXPECT_EQ(Call(Login("ikh"), "GET", Payment(kBoy)).status, 404);
  auto waiting = Body(Call(checker_, "GET", std::string(kBase) + "/actions"));
  ASSERT_EQ(waiting["items"].size(), 1u) << waiting.dump();
  ASSERT_EQ(Call(checker_, "POST", confirm).status, 200);
  EXPECT_EQ(Call(checker_, "POST", confirm).status, 409);  // Decided.
  EXPECT_EQ(Body(Call(maker_, "GET", Payment(kBoy)))["state"], "held");

  json first = Export();
  EXPECT_EQ(first["issued"], 1);  // The son; the boy is held, T3 no account.
  EXPECT_EQ(FileOf(first).find(kBoy), std::string::npos);
  EXPECT_NE(FileOf(first).find(kSon), std::string::npos);

  Decided(kBoy, "release");
  json next = Export();
  EXPECT_EQ(next["issued"], 1);
  EXPECT_NE(FileOf(next).find(kBoy), std::string::npos);
  json c = Body(Call(maker_, "GET", Payment(kBoy)));
  EXPECT_EQ(c["state"], "open");
  ASSERT_EQ(c["attempts"].size(), 1u);
  EXPECT_EQ(c["attempts"][0]["batch"], 2);  // Numbered in this payroll.
  ASSERT_EQ(c["actions"].size(), 2u);
  EXPECT_EQ(c["actions"][0]["kind"], "hold");
  EXPECT_EQ(c["actions"][0]["decided_by"], "checker");
  // A kind the route does not take names the field.
  auto bad = Call(maker_, "POST", Payment(kSon) + "/actions",
                  R"({"kind":"flag","reason":"x"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "kind");
}

TEST_F(ResponseCasesRoutesTest, FailedIsReissuedToTheCorrectedAccount) {
  ASSERT_NO_FATAL_FAILURE(ApprovedPayroll());
  ASSERT_EQ(Export()["issued"], 2);
  json sent = Body(Call(maker_, "GET", Payment(kSon)));
  ASSERT_EQ(sent["attempts"].size(), 1u) << sent.dump();
  const std::string ref = sent["attempts"][0]["reference"];
  auto results =
      Call(maker_, "POST",
           std::string(kBase) + "/payrolls/1/results?file_name=r.csv",
           "reference,status,amount,reason\n" + ref +
               ",failed,40000,account closed\n",
           {{"Content-Type", "text/csv"}});
  ASSERT_EQ(WaitJob(maker_, Body(results)["job_id"])["state"], "done");
  // Only the reason changed: the answer says so.
  auto again =
      Call(maker_, "POST",
           std::string(kBase) + "/payrolls/1/results?file_name=s.csv",
           "reference,status,amount,reason\n" + ref + ",failed,40000,dormant\n",
           {{"Content-Type", "text/csv"}});
  json refused = WaitJob(maker_, Body(again)["job_id"]);
  EXPECT_EQ(refused["state"], "failed");
  EXPECT_NE(refused.dump().find("only the reason differs"), std::string::npos)
      << refused.dump();
  // Not sent again by itself.
  EXPECT_EQ(Export()["issued"], 0);
  // A new account for the father, confirmed by a second officer.
  auto change = Call(maker_, "POST", std::string(kBase) + "/payees/" + kSon,
                     json{{"payee", kFather},
                          {"account", "00327777777777"},
                          {"reason", "the Golomt account was closed"}}
                         .dump());
  ASSERT_EQ(change.status, 201) << change.body;
  EXPECT_EQ(Body(change)["account"], "00327777777777");
  auto unknown_bank = Call(
      maker_, "POST", std::string(kBase) + "/payees/" + kBoy,
      json{{"payee", kMother}, {"account", "99990000000000"}, {"reason", "x"}}
          .dump());
  EXPECT_EQ(unknown_bank.status, 400) << unknown_bank.body;
  EXPECT_EQ(Body(unknown_bank)["error"]["field"], "account");
  ASSERT_EQ(
      Call(checker_, "POST",
           std::string(kBase) + "/actions/" +
               std::to_string(Body(change)["id"].get<int64_t>()) + "/confirm")
          .status,
      200);
  json re = Export();
  EXPECT_EQ(re["issued"], 1);
  json c = Body(Call(maker_, "GET", Payment(kSon)));
  ASSERT_EQ(c["attempts"].size(), 2u) << c.dump();
  EXPECT_EQ(c["attempts"][0]["status"], "failed");
  EXPECT_EQ(c["attempts"][0]["account"], "00151234567890");
  EXPECT_EQ(c["attempts"][1]["attempt"], 2);
  EXPECT_EQ(c["attempts"][1]["account"], "00327777777777");
  EXPECT_EQ(c["actions"][0]["kind"], "payee");
  EXPECT_EQ(c["actions"][0]["requested_by"], "maker");
  EXPECT_EQ(c["actions"][0]["reason"], "the Golomt account was closed");
  // Still one payment of the payroll.
  json report =
      Body(Call(maker_, "GET", std::string(kBase) + "/payrolls/1/report"));
  EXPECT_EQ(report["total"]["lines"], 3) << report.dump();
}

TEST_F(ResponseCasesRoutesTest, FollowUpListAsJsonCsvAndPrint) {
  ASSERT_NO_FATAL_FAILURE(ApprovedPayroll());
  Decided(kBoy, "hold");
  ASSERT_EQ(Export()["issued"], 1);
  std::string tos = Login("tos");
  const std::string url = std::string(kBase) + "/payrolls/1/follow-up";
  auto list = Call(tos, "GET", url);
  ASSERT_EQ(list.status, 200) << list.body;
  std::map<std::string, std::string> why;
  const json items = Body(list)["items"];
  for (const auto& i : items) {
    why[i["register_no"].get<std::string>()] =
        i["situation"].get<std::string>();
    EXPECT_EQ(i["soum_code"], 18140);
    EXPECT_FALSE(i["situation_text"]["mn"].get<std::string>().empty());
  }
  EXPECT_EQ(why.size(), 2u) << list.body;
  EXPECT_EQ(why[kBoy], "held");
  EXPECT_EQ(why[kLone], "no_account");
  auto csv = Call(tos, "GET", url + "?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.GetHeader("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.GetHeader("Content-Disposition").find("tos1-i1-follow-up.csv"),
            std::string::npos);
  EXPECT_NE(csv.body.find(kLone), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("99112233"), std::string::npos);  // The contact.
  auto page = Call(tos, "GET", url + "?format=html");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<table"), std::string::npos);
  EXPECT_EQ(Call(tos, "GET", url + "?format=pdf").status, 400);
  // Another soum's officer sees none of them.
  auto theirs = Call(Login("ikh"), "GET", url);
  EXPECT_TRUE(theirs.status == 404 || Body(theirs)["items"].empty())
      << theirs.body;
}

TEST_F(ResponseCasesRoutesTest, SecondPlanLeavesTheCoveredOutUnlessAccepted) {
  ASSERT_NO_FATAL_FAILURE(ApprovedPayroll());
  // The report by who is paid and the household's head.
  json report =
      Body(Call(maker_, "GET", std::string(kBase) + "/payrolls/1/report"));
  EXPECT_FALSE(report["by_payee_sex"].empty()) << report.dump();
  EXPECT_FALSE(report["by_head_sex"].empty()) << report.dump();
  for (const char* code : {"tos2", "tos3"}) {
    ASSERT_EQ(Call(maker_, "POST", "/api/v1/plans", Plan(code).dump()).status,
              201);
  }
  auto covered = Call(checker_, "GET", "/api/v1/plans/tos2/covered");
  ASSERT_EQ(covered.status, 200) << covered.body;
  EXPECT_EQ(Body(covered)["total"], 3);
  // The default leaves the covered out.
  json two = Approve("/api/v1/plans/tos2", "");
  EXPECT_EQ(two["beneficiaries"], 0) << two.dump();
  EXPECT_EQ(two["overlap_choice"], "exclude");
  EXPECT_EQ(two["overlap_count"], 3);
  // Accepting needs a reason; with one, they are paid and it is recorded.
  auto no_reason = Call(checker_, "POST", "/api/v1/plans/tos3/approve",
                        R"({"overlap":"accept"})");
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  json three = Approve("/api/v1/plans/tos3",
                       R"({"overlap":"accept","reason":"second round"})");
  EXPECT_EQ(three["beneficiaries"], 3) << three.dump();
  EXPECT_EQ(three["overlap_choice"], "accept");
  EXPECT_EQ(three["overlap_reason"], "second round");
}

}  // namespace
}  // namespace malchin::api
