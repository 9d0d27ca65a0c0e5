// The herders' page end to end over HTTP: a code asked for (the same
// answer for a number not on the register), read from the SMS outbox where
// the product queued it, a wrong code refused, the right one accepted once;
// the six sections of the signed-in household only; imports refused whole.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/test_server.h"
#include "channel/repository.h"
#include "herder/repository.h"
#include "registry/register_number.h"
#include "registry/repository.h"
#include "response/transfers.h"

namespace malchin::api {
namespace {

using nlohmann::json;

const std::string kMine = registry::MakeRegisterNumber(
    "ИЗ", *Date::Parse("1980-04-02"), registry::Sex::kFemale, 1, 0);
const std::string kTheirs = registry::MakeRegisterNumber(
    "УБ", *Date::Parse("1982-06-07"), registry::Sex::kFemale, 1, 1);
const std::string kNobody = registry::MakeRegisterNumber(
    "АА", *Date::Parse("1999-01-01"), registry::Sex::kFemale, 2, 2);

class HerderRoutesTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>("herder_routes");
    server_->services().herder_pepper =
        "a-test-pepper-of-at-least-32-characters";
    ASSERT_NO_FATAL_FAILURE(
        server_->Start({"nat", "tos"}, [](store::Session& s) {
          auto mine = TestHousehold("H1", 18140);
          mine.herd[registry::Species::kSheep] = 100;
          mine.herd[registry::Species::kGoat] = 50;
          auto theirs = TestHousehold("H2", 18140);
          auto me = TestHead(kMine.c_str(), "H1", "1980-04-02");
          me.phone = "99112233";
          me.bank_account = "5001234567";
          auto them = TestHead(kTheirs.c_str(), "H2", "1982-06-07");
          them.given_name = "Туяа";
          them.phone = "99445566";
          ASSERT_TRUE(s.Get<registry::Repository>()
                          .Upsert({mine, theirs}, {me, them}, {"test", "t"})
                          .ok());
        }));
  }
  TestServer& Server() override { return *server_; }

  http::Response Herder(const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::string& cookie = "") {
    auto c = NewClient();
    Headers h = {{"Content-Type", "application/json"}};
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    auto r = c.Send(method, target, body, h);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::Response{};
  }
  // The code of the latest SMS queued for `rn`, read from the outbox.
  std::string QueuedCode(const std::string& rn) {
    auto s = server_->db_handle().Connect();
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return "";
    auto code = (*s)->Get<herder::Repository>().LatestCode(rn);
    EXPECT_TRUE(code.ok() && code->has_value());
    if (!code.ok() || !code->has_value()) return "";
    auto m = (*s)->Get<channel::Repository>().FindByKey(
        "herder.code." + std::to_string((*code)->id));
    EXPECT_TRUE(m.ok() && m->has_value());
    if (!m.ok() || !m->has_value()) return "";
    EXPECT_EQ((*m)->phone, "+97699112233");
    size_t at = (*m)->text.find_first_of("0123456789");
    return (*m)->text.substr(at, 6);
  }
  std::string SignIn() {
    auto asked = Herder("POST", "/api/v1/herder/code",
                        json{{"register_no", kMine}}.dump());
    EXPECT_EQ(asked.status, 202) << asked.body;
    std::string code = QueuedCode(kMine);
    auto in = Herder("POST", "/api/v1/herder/verify",
                     json{{"register_no", kMine}, {"code", code}}.dump());
    EXPECT_EQ(in.status, 200) << in.body;
    std::string cookie(in.GetHeader("Set-Cookie"));
    return cookie.substr(0, cookie.find(';'));
  }

  // A dzud declared for Tosontsengel, a plan paying 50,000 to each person
  // with an account there (the herder), its payment issued and failed.
  void DeclarePayAndFail() {
    auto s = server_->db_handle().Connect();
    ASSERT_TRUE(s.ok());
    response::Transfers t(**s);
    response::ShockEventRecord e;
    e.code = "tos-dzud";
    e.type = "dzud";
    e.name = "Тосонцэнгэлийн зуд";
    e.source = "NAMEM";
    e.reference = "A/12";
    e.declared_on = e.starts_on = *Date::Parse("2026-01-05");
    e.soums = {{18140, response::Severity::kHigh}};
    ASSERT_TRUE(t.CreateEvent(e, "maker").ok());
    response::PlanRecord p;
    p.code = "tos-p1";
    p.event_code = "tos-dzud";
    p.kind = response::PlanKind::kHorizontal;
    p.name = "Зудын дэмжлэг";
    p.eligibility = "true";
    p.amount = "50000";
    p.unit = response::Unit::kPerson;
    p.cutoff_on = p.starts_on = *Date::Parse("2026-01-10");
    p.ends_on = *Date::Parse("2026-03-31");
    p.installments = {{1, *Date::Parse("2026-01-20")}};
    ASSERT_TRUE(t.CreatePlan(p, "maker").ok());
    auto with_account = [](const registry::Roster& r)
        -> Result<std::vector<response::SnapshotChoice>> {
      std::vector<response::SnapshotChoice> out;
      for (size_t i = 0; i < r.population.persons(); ++i) {
        if (!r.has_account[i]) continue;
        const auto p = static_cast<int32_t>(i);
        out.push_back({p, p, 50000});
      }
      return out;
    };
    auto a = t.ApprovePlan("tos-p1", "checker", {}, with_account);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(t.GeneratePayroll("tos-p1", 1, "maker").ok());
    ASSERT_TRUE(t.ApprovePayroll("tos-p1", 1, "checker").ok());
    auto issued = t.IssuePayments("tos-p1", 1, "maker", [](std::string_view a) {
      return Result<std::string>(std::string(a.substr(0, 4)));
    });
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    std::string ref;
    ASSERT_TRUE(t.ForEachIssued("tos-p1", 1, issued->batch,
                                [&](const response::IssuedPayment& p) {
                                  ref = p.reference;
                                  return Status::Ok();
                                })
                    .ok());
    ASSERT_TRUE(t.ApplyResults("bank.csv",
                               {{2, ref, response::PaymentStatus::kFailed,
                                 50000, "account closed"}},
                               "maker")
                    .ok());
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(HerderRoutesTest, AskingForACodeSaysTheSameForAnyNumber) {
  auto mine = Herder("POST", "/api/v1/herder/code",
                     json{{"register_no", kMine}}.dump());
  auto nobody = Herder("POST", "/api/v1/herder/code",
                       json{{"register_no", kNobody}}.dump());
  EXPECT_EQ(mine.status, 202);
  EXPECT_EQ(nobody.status, 202);
  EXPECT_EQ(mine.body, nobody.body);
  EXPECT_EQ(
      Herder("POST", "/api/v1/herder/code", json{{"register_no", "x"}}.dump())
          .status,
      400);
}

TEST_F(HerderRoutesTest, AWrongCodeIsRefusedAndTheRightOneAcceptedOnce) {
  Herder("POST", "/api/v1/herder/code", json{{"register_no", kMine}}.dump());
  std::string code = QueuedCode(kMine);
  std::string wrong = code == "000000" ? "000001" : "000000";
  auto bad = Herder("POST", "/api/v1/herder/verify",
                    json{{"register_no", kMine}, {"code", wrong}}.dump());
  EXPECT_EQ(bad.status, 401) << bad.body;
  EXPECT_NE(bad.body.find("код буруу"), std::string::npos) << bad.body;
  auto ok = Herder("POST", "/api/v1/herder/verify",
                   json{{"register_no", kMine}, {"code", code}}.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(std::string(ok.GetHeader("Set-Cookie")).find("HttpOnly"),
            std::string::npos);
  auto again = Herder("POST", "/api/v1/herder/verify",
                      json{{"register_no", kMine}, {"code", code}}.dump());
  EXPECT_EQ(again.status, 401);
}

TEST_F(HerderRoutesTest, TheSessionSeesItsOwnHouseholdOnly) {
  std::string cookie = SignIn();
  auto me = Herder("GET", "/api/v1/herder/me", "", cookie);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["household_id"], "H1");
  EXPECT_EQ(me.body.find("Туяа"), std::string::npos);
  // The household cannot be asked for: unknown query parameters are refused.
  EXPECT_EQ(Herder("GET", "/api/v1/herder/me?household=H2", "", cookie).status,
            400);
  for (const char* s :
       {"insurance", "payments", "dzud", "prices", "bank", "services"}) {
    auto r =
        Herder("GET", std::string("/api/v1/herder/sections/") + s, "", cookie);
    EXPECT_EQ(r.status, 200) << s << ": " << r.body;
    EXPECT_EQ(r.body.find(kTheirs), std::string::npos) << s;
    EXPECT_EQ(r.body.find("Туяа"), std::string::npos) << s;
  }
  EXPECT_EQ(Herder("GET", "/api/v1/herder/sections/other", "", cookie).status,
            404);
  // No herder session: refused, and an officer's token is not one.
  EXPECT_EQ(Herder("GET", "/api/v1/herder/me").status, 401);
  std::string officer = Login("nat");
  EXPECT_EQ(Call(officer, "GET", "/api/v1/herder/me").status, 401);
  EXPECT_EQ(Herder("POST", "/api/v1/herder/sign-out", "", cookie).status, 200);
  EXPECT_EQ(Herder("GET", "/api/v1/herder/me", "", cookie).status, 401);
}

TEST_F(HerderRoutesTest, ThePricesSectionValuesTheHerdAtImportedPrices) {
  std::string cookie = SignIn();
  std::string officer = Login("nat");
  auto imported = Call(officer, "POST", "/api/v1/herder/prices?file=p.csv",
                       "item,unit,aimag,from,price,source\n"
                       "sheep,head,181,2026-01-01,200000,survey\n"
                       "goat,head,181,2026-01-01,100000,survey\n",
                       {{"Content-Type", "text/csv"}});
  ASSERT_EQ(imported.status, 200) << imported.body;
  auto r = Herder("GET", "/api/v1/herder/sections/prices?lang=en", "", cookie);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["herd_value"], 100 * 200000 + 50 * 100000) << r.body;
}

TEST_F(HerderRoutesTest, TheDzudSectionShowsTheImportedRisk) {
  std::string cookie = SignIn();
  std::string officer = Login("nat");
  auto bad = Call(officer, "POST", "/api/v1/herder/risk?file=r.csv",
                  "soum_code,date,level,source\n"
                  "18140,2026-01-10,high,NAMEM\n"
                  "18140,2026-01-20,extreme,NAMEM\n");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("r.csv line 3"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("мөр 3"), std::string::npos) << bad.body;
  auto empty = Herder("GET", "/api/v1/herder/sections/dzud", "", cookie);
  EXPECT_TRUE(json::parse(empty.body)["current"].is_null()) << empty.body;
  EXPECT_EQ(Call(Login("tos"), "POST", "/api/v1/herder/risk",
                 "soum_code,date,level,source\n18140,2026-01-10,high,N\n")
                .status,
            403);
  auto ok = Call(officer, "POST", "/api/v1/herder/risk",
                 "soum_code,date,level,source\n"
                 "18140,2026-01-10,high,NAMEM\n"
                 "18125,2026-01-10,low,NAMEM\n");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto r = Herder("GET", "/api/v1/herder/sections/dzud", "", cookie);
  json j = json::parse(r.body);
  EXPECT_EQ(j["current"]["level"], "high") << r.body;
  EXPECT_EQ(j["current"]["level_text"], "Өндөр");
  EXPECT_TRUE(j.contains("alert"));
}

// The event declared for the soum and the household's plan in the dzud
// section; every payment with the bank's reason and what to do in the
// payments section; in Mongolian, and in English when asked.
TEST_F(HerderRoutesTest, TheDzudAndPaymentsSectionsShowTheEventPlanAndPayment) {
  std::string cookie = SignIn();
  ASSERT_NO_FATAL_FAILURE(DeclarePayAndFail());
  auto r = Herder("GET", "/api/v1/herder/sections/dzud", "", cookie);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  ASSERT_EQ(j["events"].size(), 1u) << r.body;
  EXPECT_EQ(j["events"][0]["name"], "Тосонцэнгэлийн зуд");
  EXPECT_EQ(j["events"][0]["severity_text"], "Өндөр");
  EXPECT_EQ(j["events"][0]["declared_on"], "2026-01-05");
  ASSERT_EQ(j["plans"].size(), 1u) << r.body;
  EXPECT_EQ(j["plans"][0]["name"], "Зудын дэмжлэг");
  EXPECT_EQ(j["plans"][0]["amount"], 50000);
  EXPECT_EQ(j["plans"][0]["members"].size(), 1u);

  r = Herder("GET", "/api/v1/herder/sections/payments", "", cookie);
  ASSERT_EQ(r.status, 200) << r.body;
  j = json::parse(r.body);
  ASSERT_EQ(j["payments"].size(), 1u) << r.body;
  EXPECT_EQ(j["payments"][0]["status"], "failed");
  EXPECT_EQ(j["payments"][0]["reason"], "account closed");
  EXPECT_EQ(j["payments"][0]["programme"], "Зудын дэмжлэг");
  EXPECT_EQ(j["payments"][0]["reported_on"].get<std::string>().size(), 10u);
  EXPECT_NE(j["payments"][0]["what_to_do"].get<std::string>().find("сумын"),
            std::string::npos);
  r = Herder("GET", "/api/v1/herder/sections/dzud?lang=en", "", cookie);
  EXPECT_EQ(json::parse(r.body)["events"][0]["severity_text"], "High")
      << r.body;
}

}  // namespace
}  // namespace malchin::api
