// Insurance over HTTP, end to end: the real server on loopback over a small
// register (herders in Tosontsengel and Ikh-Uul, Zavkhan, and in
// Ulaanbaatar), driven like the web page: contributions with idempotency
// keys, in-kind valuation, remittances, reversals, coverage, outreach and
// visits, pensions; area scoping per role and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/api.h"
#include "api/test_server.h"
#include "net/client.h"

namespace malchin::api {
namespace {

using nlohmann::json;

// Register numbers (URL-encoded forms for paths).
constexpr const char *kSaraa = "ИЗ85120320";  // Tosontsengel, herder, F.
constexpr const char *kOyun = "ИЗ85120420";   // Ikh-Uul, herder, F.
constexpr const char *kBold = "ИЗ90010151";   // Tosontsengel, herder, M.
constexpr const char *kTuya = "УБ85120520";   // Ulaanbaatar, not a herder.

registry::Household Hh(const char *id, int32_t soum) {
  registry::Household h = TestHousehold(id, soum);
  h.bag = "2";
  h.herd.head[3] = 150;
  h.phone = "99001122";
  return h;
}

registry::Person P(const char *rn, const char *hh, const char *born,
                   registry::Sex sex, registry::Relation rel, bool herder) {
  registry::Person p = TestHead(rn, hh, born);
  p.sex = sex;
  p.relation = rel;
  p.herder = herder;
  p.phone = "99112233";
  return p;
}

class InsuranceRoutesTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(
        "malchin_ins_api", TestServerOptions{.export_dir = false});
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"nat", "zav", "tos", "ikh", "ana", "aud"},
        [](store::Session &session) {
          auto &store = session.Get<registry::Repository>();
          using registry::Relation;
          using registry::Sex;
          ASSERT_TRUE(store
                          .Upsert({Hh("T1", 18140), Hh("T2", 18140),
                                   Hh("I1", 18125), Hh("U1", 51101)},
                                  {P(kSaraa, "T1", "1985-12-03", Sex::kFemale,
                                     Relation::kHead, true),
                                   P(kBold, "T2", "1990-01-01", Sex::kMale,
                                     Relation::kHead, true),
                                   P(kOyun, "I1", "1985-12-04", Sex::kFemale,
                                     Relation::kHead, true),
                                   P(kTuya, "U1", "1985-12-05", Sex::kFemale,
                                     Relation::kHead, false)},
                                  {"seed", ""})
                          .ok());
          ASSERT_TRUE(session.SetMeta("register.as_of", "2025-06-15").ok());
        }));
  }

  TestServer &Server() override { return *server_; }

  // POST a contribution with an idempotency key.
  http::Response Pay(const std::string &token, const std::string &rn,
                     const json &body, const std::string &key) {
    Headers h;
    if (!key.empty()) h.emplace_back("Idempotency-Key", key);
    return Call(token, "POST",
                "/api/v1/insurance/persons/" + rn + "/contributions",
                body.dump(), h);
  }

  static std::string Field(const http::Response &r) {
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error")) return "?";
    return j["error"]["field"].is_string()
               ? j["error"]["field"].get<std::string>()
               : "";
  }

  // National coverage of herders of working age in a month, no split.
  json Coverage(const std::string &token, const std::string &month) {
    auto r =
        Call(token, "GET",
             "/api/v1/insurance/coverage?by=nation&split=none&month=" + month);
    EXPECT_EQ(r.status, 200) << r.body;
    json j = json::parse(r.body);
    EXPECT_EQ(j["cells"].size(), 1u) << j.dump();
    return j["cells"].empty() ? json() : j["cells"][0];
  }

  std::unique_ptr<TestServer> server_;
};

TEST_F(InsuranceRoutesTest, ContributionIsRecordedOnceWhateverTheRetries) {
  std::string tos = Login("tos");
  json body = {{"scheme", "health"},
               {"from", "2025-03"},
               {"months", 2},
               {"method", "cash"}};
  auto first = Pay(tos, kSaraa, body, "key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  json a = json::parse(first.body);
  // March 2025 at 1% of 660,000 and April at 1% of 792,000.
  EXPECT_EQ(a["amount"], 6600 + 7920);
  EXPECT_EQ(a["due"], 6600 + 7920);
  EXPECT_EQ(a["replayed"], false);
  EXPECT_EQ(a["statement"]["covered_months"], 2);
  // A double click / retry: the same entry, nothing paid twice.
  auto again = Pay(tos, kSaraa, body, "key-1");
  ASSERT_EQ(again.status, 200) << again.body;
  json b = json::parse(again.body);
  EXPECT_EQ(b["entry_id"], a["entry_id"]);
  EXPECT_EQ(b["replayed"], true);
  EXPECT_EQ(b["statement"]["paid_twice_months"], 0);
  // The same key for another payment is refused.
  json other = body;
  other["months"] = 3;
  auto reused = Pay(tos, kSaraa, other, "key-1");
  EXPECT_EQ(reused.status, 409) << reused.body;
  // Without a key nothing is recorded.
  auto nokey = Pay(tos, kSaraa, body, "");
  EXPECT_EQ(nokey.status, 400);
  EXPECT_EQ(Field(nokey), "Idempotency-Key");
  // Another officer may use the same key string: keys are per user.
  auto zav = Pay(Login("zav"), kBold, body, "key-1");
  EXPECT_EQ(zav.status, 201) << zav.body;
  json hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kSaraa + "/history")
          .body);
  ASSERT_EQ(hist["entries"].size(), 1u) << hist.dump();
  EXPECT_EQ(hist["entries"][0]["actor"], "tos");
  EXPECT_EQ(hist["entries"][0]["method"], "cash");
}

TEST_F(InsuranceRoutesTest, InKindIsValuedAtTheDatedPriceAndKept) {
  std::string tos = Login("tos");
  auto r = Pay(tos, kSaraa,
               {{"scheme", "social"},
                {"from", "2025-01"},
                {"months", 2},
                {"method", "in_kind"},
                {"item", "sheep"},
                {"quantity", 1},
                {"date", "2025-02-10"}},
               "sheep-1");
  ASSERT_EQ(r.status, 201) << r.body;
  json j = json::parse(r.body);
  ASSERT_TRUE(j.contains("in_kind")) << j.dump();
  EXPECT_EQ(j["in_kind"]["item"], "sheep");
  EXPECT_GT(j["in_kind"]["unit_price"].get<int64_t>(), 0);
  // Worth more than the two months due: the due is recorded and the
  // surplus kept as credit (issue #15).
  EXPECT_LT(j["amount"].get<int64_t>(),
            j["in_kind"]["unit_price"].get<int64_t>());
  EXPECT_EQ(j["amount"].get<int64_t>() + j["credit"].get<int64_t>(),
            j["in_kind"]["unit_price"].get<int64_t>());
  EXPECT_FALSE(j["in_kind"]["price_source"].get<std::string>().empty());
  EXPECT_EQ(j["method"], "in_kind");
  // The history keeps the valuation.
  json hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kSaraa + "/history")
          .body);
  EXPECT_EQ(hist["entries"][0]["in_kind"]["unit_price"],
            j["in_kind"]["unit_price"]);
  // In kind needs a quantity and no amount.
  auto bad = Pay(tos, kSaraa,
                 {{"scheme", "social"},
                  {"from", "2025-01"},
                  {"method", "in_kind"},
                  {"item", "sheep"}},
                 "sheep-2");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "quantity");
  bad = Pay(tos, kSaraa,
            {{"scheme", "social"},
             {"from", "2025-01"},
             {"method", "in_kind"},
             {"item", "yak"},
             {"quantity", 1}},
            "sheep-3");
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(InsuranceRoutesTest, CoverageChangesWithAContributionAndItsReversal) {
  std::string tos = Login("tos"), ana = Login("ana");
  json before = Coverage(ana, "2025-05");
  // Working-age herders: Saraa, Bold (Tosontsengel), Oyun (Ikh-Uul).
  EXPECT_EQ(before["persons"], 3);
  EXPECT_EQ(before["health_insured"], 0);
  auto paid =
      Pay(tos, kSaraa,
          {{"scheme", "health"}, {"from", "2025-05"}, {"months", 1}}, "k");
  ASSERT_EQ(paid.status, 201) << paid.body;
  json after = Coverage(ana, "2025-05");
  EXPECT_EQ(after["health_insured"], 1);
  EXPECT_EQ(after["social_insured"], 0);
  // The soum officer's table covers their soum only.
  json soum = json::parse(
      Call(tos, "GET", "/api/v1/insurance/coverage?by=soum&month=2025-05")
          .body);
  for (const auto &cell : soum["cells"]) EXPECT_EQ(cell["area"], 18140);
  // Narrowed to one soum (the map's drill-down): only its cells, the same
  // as that soum's part of the whole table; outside the caller's area: 403.
  json all = json::parse(
      Call(ana, "GET", "/api/v1/insurance/coverage?by=soum&month=2025-05")
          .body);
  json ikh_only = json::parse(
      Call(ana, "GET",
           "/api/v1/insurance/coverage?by=soum&month=2025-05&soum=18125")
          .body);
  json ikh_part = json::array();
  for (const auto &cell : all["cells"]) {
    if (cell["area"] == 18125) ikh_part.push_back(cell);
  }
  EXPECT_FALSE(ikh_part.empty());
  EXPECT_EQ(ikh_only["cells"], ikh_part);
  EXPECT_EQ(
      Call(ana, "GET", "/api/v1/insurance/coverage?aimag=181&by=aimag").status,
      200);
  EXPECT_EQ(Call(tos, "GET", "/api/v1/insurance/coverage?soum=18125").status,
            403);
  EXPECT_EQ(Call(tos, "GET", "/api/v1/insurance/coverage?aimag=182").status,
            403);
  EXPECT_EQ(Call(ana, "GET", "/api/v1/insurance/coverage?soum=x").status, 400);
  EXPECT_EQ(soum["targets"][0]["social"], 0.2);
  EXPECT_EQ(soum["targets"][0]["health"], 0.5);
  // Status: covered this month (register date 2025-06-15)? May only.
  json st = json::parse(
      Call(tos, "GET", std::string("/api/v1/insurance/persons/") + kSaraa)
          .body);
  EXPECT_EQ(st["month"], "2025-06");
  EXPECT_EQ(st["covered_now"]["health"], false);
  EXPECT_EQ(st["schemes"][1]["covered"][0]["from"], "2025-05");
  // A correction is a reversal; the coverage goes back.
  int64_t id = json::parse(paid.body)["entry_id"];
  std::string path =
      "/api/v1/insurance/entries/" + std::to_string(id) + "/reverse";
  auto rev = Call(tos, "POST", path, R"({"reason":"entered twice"})");
  ASSERT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(json::parse(rev.body)["amount"], -7920);
  EXPECT_EQ(json::parse(rev.body)["reverses"], id);
  EXPECT_EQ(Coverage(ana, "2025-05")["health_insured"], 0);
  EXPECT_EQ(Call(tos, "POST", path, R"({"reason":"again"})").status, 409);
  int64_t rev_id = json::parse(rev.body)["entry_id"];
  EXPECT_EQ(
      Call(tos, "POST",
           "/api/v1/insurance/entries/" + std::to_string(rev_id) + "/reverse",
           R"({"reason":"undo"})")
          .status,
      409);
  EXPECT_EQ(Call(tos, "POST", "/api/v1/insurance/entries/99999/reverse",
                 R"({"reason":"x"})")
                .status,
            404);
  EXPECT_EQ(Call(tos, "POST", "/api/v1/insurance/entries/abc/reverse",
                 R"({"reason":"x"})")
                .status,
            400);
  EXPECT_EQ(Call(tos, "POST", path, R"({})").status, 400);
}

TEST_F(InsuranceRoutesTest, CooperativeRemittanceIsAllocatedAndIdempotent) {
  std::string tos = Login("tos");
  json body = {{"cooperative", "Tosontsengel wool cooperative"},
               {"amount", 20000},
               {"date", "2025-05-20"},
               {"members",
                {{{"register_no", kSaraa},
                  {"scheme", "health"},
                  {"from", "2025-05"},
                  {"months", 1}},
                 {{"register_no", kBold},
                  {"scheme", "health"},
                  {"from", "2025-05"},
                  {"months", 1}}}}};
  Headers key = {{"Idempotency-Key", "remit-1"}};
  auto r = Call(tos, "POST", "/api/v1/insurance/remittances", body.dump(), key);
  ASSERT_EQ(r.status, 201) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["allocated"], 2 * 7920);
  EXPECT_EQ(j["unallocated"], 20000 - 2 * 7920);
  EXPECT_GT(j["remittance_id"].get<int64_t>(), 0);
  ASSERT_EQ(j["members"].size(), 2u);
  EXPECT_EQ(j["members"][1]["shortfall"], 0);
  auto again =
      Call(tos, "POST", "/api/v1/insurance/remittances", body.dump(), key);
  ASSERT_EQ(again.status, 200) << again.body;
  json k = json::parse(again.body);
  EXPECT_EQ(k["remittance_id"], j["remittance_id"]);
  EXPECT_EQ(k["replayed"], true);
  EXPECT_EQ(k["members"][0]["entry_id"], j["members"][0]["entry_id"]);
  EXPECT_EQ(Coverage(Login("nat"), "2025-05")["health_insured"], 2);
  // A member outside the officer's soum: nothing is written.
  json outside = body;
  outside["members"][1]["register_no"] = kOyun;
  auto refused = Call(tos, "POST", "/api/v1/insurance/remittances",
                      outside.dump(), {{"Idempotency-Key", "remit-2"}});
  EXPECT_EQ(refused.status, 404) << refused.body;
  json bad = body;
  bad["members"][0]["scheme"] = "pension";
  auto b = Call(tos, "POST", "/api/v1/insurance/remittances", bad.dump(),
                {{"Idempotency-Key", "remit-3"}});
  EXPECT_EQ(b.status, 400);
  EXPECT_EQ(Field(b), "members.scheme");
}

TEST_F(InsuranceRoutesTest, EachRoleAndAreaGetsWhatThePolicyAllows) {
  std::string tos = Login("tos"), zav = Login("zav"), ana = Login("ana"),
              aud = Login("aud"), ikh = Login("ikh");
  std::string saraa = std::string("/api/v1/insurance/persons/") + kSaraa;
  std::string oyun = std::string("/api/v1/insurance/persons/") + kOyun;
  std::string tuya = std::string("/api/v1/insurance/persons/") + kTuya;
  json health = {{"scheme", "health"}, {"from", "2025-05"}};
  // Soum officer: own soum only, for reads and writes.
  EXPECT_EQ(Call(tos, "GET", saraa).status, 200);
  EXPECT_EQ(Call(tos, "GET", oyun).status, 404);
  EXPECT_EQ(Call(tos, "GET", oyun + "/history").status, 404);
  EXPECT_EQ(Call(tos, "GET", oyun + "/pension").status, 404);
  EXPECT_EQ(Pay(tos, kOyun, health, "x1").status, 404);
  EXPECT_EQ(
      Call(tos, "POST", oyun + "/visits", R"({"outcome":"refused"})").status,
      403);  // A write about another area: refused (the store's 403).
  EXPECT_EQ(Call(tos, "GET", "/api/v1/insurance/outreach?soum=18125").status,
            403);
  // Aimag officer: both Zavkhan soums, not Ulaanbaatar.
  EXPECT_EQ(Call(zav, "GET", oyun).status, 200);
  EXPECT_EQ(Call(zav, "GET", tuya).status, 404);
  EXPECT_EQ(Pay(zav, kOyun, health, "x2").status, 201);
  // An entry of another soum cannot be reversed from here.
  json hist = json::parse(Call(zav, "GET", oyun + "/history").body);
  std::string entry = std::to_string(hist["entries"][0]["entry_id"].get<int>());
  EXPECT_EQ(Call(tos, "POST", "/api/v1/insurance/entries/" + entry + "/reverse",
                 R"({"reason":"x"})")
                .status,
            404);
  // Analyst: aggregates and what-ifs, never a person, never a write.
  EXPECT_EQ(Call(ana, "GET", saraa).status, 403);
  EXPECT_EQ(Call(ana, "GET", "/api/v1/insurance/outreach?soum=18140").status,
            403);
  EXPECT_EQ(Pay(ana, kSaraa, health, "x3").status, 403);
  auto cov = Call(ana, "GET", "/api/v1/insurance/coverage?by=soum");
  EXPECT_EQ(cov.status, 200);
  for (const char *secret : {kSaraa, "Сараа", "99112233"}) {
    EXPECT_EQ(cov.body.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(Call(ana, "GET",
                 "/api/v1/insurance/pension?birth_date=1990-04-01&sex=M&"
                 "years=3&herding_years=3")
                .status,
            200);
  // 50 contribution years for a man born in 1964: impossible (#15).
  auto impossible = Call(ana, "GET",
                         "/api/v1/insurance/pension?birth_date=1964-01-01&"
                         "sex=M&years=50");
  EXPECT_EQ(impossible.status, 400) << impossible.body;
  EXPECT_NE(impossible.body.find("pension.min_contribution_age"),
            std::string::npos)
      << impossible.body;
  // Auditor: neither data nor writes; sees the reads in the trail.
  EXPECT_EQ(Call(aud, "GET", "/api/v1/insurance/coverage").status, 403);
  EXPECT_EQ(Pay(aud, kSaraa, health, "x4").status, 403);
  json trail = json::parse(Call(aud, "GET",
                                "/api/v1/audit?register_no=%D0%98%D0%97"
                                "85120320")
                               .body);
  int reads = 0;
  for (const auto &e : trail["items"]) {
    if (e["action"] == "person.read" && e["actor"] == "tos") ++reads;
  }
  EXPECT_EQ(reads, 1);
  json trail2 = json::parse(Call(aud, "GET",
                                 "/api/v1/audit?register_no=%D0%98%D0%97"
                                 "85120420")
                                .body);
  bool paid = false;
  for (const auto &e : trail2["items"]) {
    paid = paid || (e["action"] == "insurance.pay" && e["actor"] == "zav");
  }
  EXPECT_TRUE(paid) << trail2.dump();
  // The Ikh-Uul officer's list is theirs.
  EXPECT_EQ(Call(ikh, "GET", "/api/v1/insurance/outreach").status, 200);
}

TEST_F(InsuranceRoutesTest, OutreachListLearnsFromVisits) {
  std::string tos = Login("tos"), nat = Login("nat");
  auto r = Call(tos, "GET", "/api/v1/insurance/outreach");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  EXPECT_EQ(j["soum"], 18140);
  EXPECT_EQ(j["total"], 2);
  ASSERT_EQ(j["items"].size(), 2u);
  // Bold is younger: first.
  EXPECT_EQ(j["items"][0]["register_no"], kBold);
  EXPECT_EQ(j["items"][0]["rank"], 1);
  EXPECT_FALSE(j["items"][0]["reasons_mn"].empty());
  EXPECT_EQ(j["items"][0]["phone"], "99112233");
  // Paging.
  json p2 = json::parse(
      Call(tos, "GET", "/api/v1/insurance/outreach?page=2&page_size=1").body);
  ASSERT_EQ(p2["items"].size(), 1u);
  EXPECT_EQ(p2["items"][0]["register_no"], kSaraa);
  // A national officer must name the soum.
  EXPECT_EQ(Call(nat, "GET", "/api/v1/insurance/outreach").status, 400);
  EXPECT_EQ(Call(nat, "GET", "/api/v1/insurance/outreach?soum=18140").status,
            200);
  // Bold refuses: left out of the next list (recent refusal).
  auto v = Call(tos, "POST",
                std::string("/api/v1/insurance/persons/") + kBold + "/visits",
                R"({"outcome":"refused","date":"2025-06-10","note":"later"})");
  ASSERT_EQ(v.status, 201) << v.body;
  EXPECT_EQ(json::parse(v.body)["outcome"], "refused");
  json after = json::parse(Call(tos, "GET", "/api/v1/insurance/outreach").body);
  EXPECT_EQ(after["total"], 1);
  EXPECT_EQ(after["skipped_recent_refusal"], 1);
  json hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kBold + "/history")
          .body);
  ASSERT_EQ(hist["visits"].size(), 1u);
  EXPECT_EQ(hist["visits"][0]["officer"], "tos");
  // Bad visits.
  std::string visits =
      std::string("/api/v1/insurance/persons/") + kBold + "/visits";
  auto bad = Call(tos, "POST", visits, R"({"outcome":"maybe"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "outcome");
  EXPECT_EQ(
      Call(tos, "POST", visits, R"({"outcome":"refused","date":"2999-01-01"})")
          .status,
      400);
}

TEST_F(InsuranceRoutesTest, PensionOfAPersonAndWhatIf) {
  std::string tos = Login("tos");
  auto r = Call(tos, "GET",
                std::string("/api/v1/insurance/persons/") + kBold +
                    "/pension?more_years=0,10,30");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = json::parse(r.body);
  ASSERT_EQ(j["projections"].size(), 3u);
  EXPECT_EQ(j["as_of"], "2025-06-15");
  EXPECT_FALSE(j["projections"][0]["eligible"].get<bool>());
  EXPECT_TRUE(j["projections"][2]["eligible"].get<bool>()) << j.dump();
  EXPECT_GT(j["projections"][2]["monthly_pension"].get<int64_t>(), 0);
  EXPECT_FALSE(j["projections"][2]["assumptions"][0]["mn"].empty());
  // What-if: the same arithmetic without a person.
  auto w = Call(tos, "GET",
                "/api/v1/insurance/pension?birth_date=1990-01-01&sex=M&"
                "as_of=2025-06-15&more_years=30");
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(json::parse(w.body)["projections"][0]["retirement_date"],
            j["projections"][2]["retirement_date"]);
  for (const char *q :
       {"?sex=M", "?birth_date=1990-01-01", "?birth_date=1990-01-01&sex=X",
        "?birth_date=1990-13-01&sex=M", "?birth_date=1990-01-01&sex=M&years=-1",
        "?birth_date=1990-01-01&sex=M&years=2&herding_years=3",
        "?birth_date=1990-01-01&sex=M&more_years=0,,5",
        "?birth_date=1990-01-01&sex=M&more_years=99",
        "?birth_date=1990-01-01&sex=M&bogus=1"}) {
    auto bad = Call(tos, "GET", std::string("/api/v1/insurance/pension") + q);
    EXPECT_EQ(bad.status, 400) << q << " -> " << bad.body;
  }
}

TEST_F(InsuranceRoutesTest, BadInputIs4xxWithTheField) {
  std::string tos = Login("tos");
  struct Case {
    json body;
    const char *field;
  };
  std::vector<Case> cases = {
      {{{"from", "2025-01"}}, "scheme"},
      {{{"scheme", "pension"}, {"from", "2025-01"}}, "scheme"},
      {{{"scheme", "health"}, {"from", "2025-13"}}, "from"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"months", 0}}, "months"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"months", "2"}}, "months"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"amount", -5}}, "amount"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"method", "cheque"}},
       "method"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"method", "cooperative"}},
       "method"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"amonut", 5}}, "amonut"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"date", "yesterday"}},
       "date"},
      // Refused as impossible (#15): in the future, nothing, months whose
      // rates are not set, an income below the insurable minimum.
      {{{"scheme", "health"}, {"from", "2025-01"}, {"date", "2999-01-01"}},
       "date"},
      {{{"scheme", "health"}, {"from", "2025-01"}, {"amount", 0}}, "amount"},
      {{{"scheme", "health"}, {"from", "2030-01"}}, "months"},
      {{{"scheme", "social"}, {"from", "2025-01"}, {"income", 100000}},
       "income"},
  };
  int n = 0;
  for (const auto &c : cases) {
    auto r = Pay(tos, kSaraa, c.body, "bad-" + std::to_string(++n));
    EXPECT_EQ(r.status, 400) << c.body.dump() << " -> " << r.body;
    EXPECT_EQ(Field(r), c.field) << c.body.dump() << " -> " << r.body;
  }
  for (const char *body : {"{", "[]", "null", ""}) {
    EXPECT_EQ(Call(tos, "POST",
                   std::string("/api/v1/insurance/persons/") + kSaraa +
                       "/contributions",
                   body, {{"Idempotency-Key", "raw"}})
                  .status,
              400)
        << body;
  }
  EXPECT_EQ(Pay(tos, "XX123", {{"scheme", "health"}, {"from", "2025-01"}}, "r")
                .status,
            400);
  EXPECT_EQ(Pay(tos, kSaraa, {{"scheme", "health"}, {"from", "2025-01"}},
                std::string(101, 'k'))
                .status,
            400);
  EXPECT_EQ(Call(tos, "GET", "/api/v1/insurance/persons/XX").status, 400);
  for (const char *q :
       {"?by=planet", "?split=colour", "?month=2025-1",
        "?from=2025-06&to=2025-01", "?step=0", "?bogus=1", "?all_ages=maybe"}) {
    auto r = Call(tos, "GET", std::string("/api/v1/insurance/coverage") + q);
    EXPECT_EQ(r.status, 400) << q << " -> " << r.body;
  }
  for (const char *q : {"?scheme=pension", "?page=0", "?page_size=501",
                        "?soum=abc", "?as_of=2025-02-30"}) {
    auto r = Call(tos, "GET", std::string("/api/v1/insurance/outreach") + q);
    EXPECT_EQ(r.status, 400) << q << " -> " << r.body;
  }
  // Nothing was recorded by any of it.
  json hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kSaraa + "/history")
          .body);
  EXPECT_TRUE(hist["entries"].empty()) << hist.dump();
}

TEST_F(InsuranceRoutesTest, CoveragePersonsAreTheNamesBehindAFigure) {
  std::string tos = Login("tos"), zav = Login("zav"), nat = Login("nat"),
              ana = Login("ana"), aud = Login("aud");
  const std::string list = "/api/v1/insurance/coverage/persons";
  auto get = [&](const std::string &token, const std::string &q) {
    auto r = Call(token, "GET", list + q);
    EXPECT_EQ(r.status, 200) << q << " -> " << r.body;
    return r.status == 200 ? json::parse(r.body) : json();
  };
  auto rns = [](const json &j) {
    std::vector<std::string> out;
    for (const auto &i : j["items"]) out.push_back(i["register_no"]);
    return out;
  };
  // Nobody is insured yet: the soum officer's uninsured herders of working
  // age, by register number, only of their soum.
  json all = get(tos, "?scheme=health&covered=false");
  EXPECT_EQ(all["total"], 2);
  EXPECT_EQ(rns(all), (std::vector<std::string>{kSaraa, kBold}));
  EXPECT_EQ(all["month"], "2025-06");
  EXPECT_EQ(all["items"][0]["phone"], "99112233");
  EXPECT_EQ(all["items"][0]["age"], 39);
  EXPECT_EQ(all["items"][0]["soum_code"], 18140);
  EXPECT_EQ(rns(get(tos, "?scheme=health&covered=false&sex=M")),
            std::vector<std::string>{kBold});
  EXPECT_EQ(get(tos, "?scheme=health&covered=false&age_band=18-29")["total"],
            0);
  EXPECT_EQ(get(tos,
                "?scheme=health&covered=false&age_band=30-44&"
                "disability=false")["total"],
            2);
  EXPECT_EQ(get(tos, "?scheme=health")["total"], 0);  // covered=true default.
  // Saraa pays for health: the lists follow the figure.
  ASSERT_EQ(
      Pay(tos, kSaraa,
          {{"scheme", "health"}, {"from", "2025-05"}, {"months", 3}}, "list-1")
          .status,
      201);
  EXPECT_EQ(rns(get(tos, "?scheme=health&covered=true")),
            std::vector<std::string>{kSaraa});
  EXPECT_EQ(rns(get(tos, "?scheme=health&covered=false")),
            std::vector<std::string>{kBold});
  EXPECT_EQ(get(tos, "?scheme=health&month=2025-09")["total"], 0);
  json cov = json::parse(
      Call(tos, "GET", "/api/v1/insurance/coverage?by=soum&split=sex").body);
  for (const auto &c : cov["cells"]) {
    std::string q = std::string("?scheme=health&covered=true&soum=18140&sex=") +
                    c["sex"].get<std::string>();
    EXPECT_EQ(get(tos, q)["total"], c["health_insured"]) << q;
  }
  // Paging, with the total.
  json p2 = get(tos, "?scheme=social&covered=false&page=2&page_size=1");
  EXPECT_EQ(p2["total"], 2);
  EXPECT_EQ(rns(p2), std::vector<std::string>{kBold});
  // Area: the aimag officer sees both Zavkhan soums and may narrow; a soum
  // officer gets none of another soum's persons.
  EXPECT_EQ(get(zav, "?covered=false")["total"], 3);
  EXPECT_EQ(rns(get(zav, "?covered=false&soum=18125")),
            std::vector<std::string>{kOyun});
  EXPECT_EQ(get(zav, "?covered=false&aimag=181")["total"], 3);
  EXPECT_EQ(Call(zav, "GET", list + "?aimag=511").status, 403);
  EXPECT_EQ(Call(zav, "GET", list + "?soum=51101").status, 403);
  EXPECT_EQ(Call(tos, "GET", list + "?soum=18125").status, 403);
  json tos_aimag = get(tos, "?covered=false&aimag=181");
  EXPECT_EQ(rns(tos_aimag), (std::vector<std::string>{kSaraa, kBold}));
  for (const std::string q : {"?covered=false", "?covered=true",
                              "?covered=false&all_persons=true&all_ages=true",
                              "?covered=false&format=csv"}) {
    auto r = Call(tos, "GET", list + q);
    EXPECT_EQ(r.body.find(kOyun), std::string::npos) << q;
    EXPECT_EQ(r.body.find(kTuya), std::string::npos) << q;
  }
  // Everyone, not only herders.
  EXPECT_EQ(get(nat, "?covered=false&soum=51101")["total"], 0);
  EXPECT_EQ(rns(get(nat, "?covered=false&soum=51101&all_persons=true")),
            std::vector<std::string>{kTuya});
  EXPECT_EQ(Call(nat, "GET", list + "?soum=18125&aimag=182").status, 400);
  // Names are never the analyst's (nor the auditor's).
  for (const std::string &t : {ana, aud}) {
    EXPECT_EQ(Call(t, "GET", list + "?covered=false").status, 403);
    EXPECT_EQ(Call(t, "GET", list + "?covered=false&format=csv").status, 403);
  }
  // CSV: the whole list as an attachment, by ?format= or Accept.
  auto csv =
      Call(tos, "GET", list + "?scheme=health&covered=false&page_size=1");
  EXPECT_EQ(json::parse(csv.body)["items"].size(), 1u);
  csv = Call(tos, "GET", list + "?scheme=social&covered=false&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.GetHeader("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.GetHeader("Content-Disposition"),
            "attachment; filename=\"coverage_persons_18140_social_2025-06_"
            "uninsured.csv\"");
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\n')),
            "register_no,name,sex,birth_date,age,disability,soum_code,bag,"
            "household_id,phone,scheme,month,covered");
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 3);
  EXPECT_NE(csv.body.find(std::string(kSaraa) +
                          ",Бат Сараа,F,1985-12-03,39,false,18140,2,T1,"
                          "99112233,social,2025-06,false\n"),
            std::string::npos)
      << csv.body;
  auto accept = Call(tos, "GET", list + "?scheme=social&covered=false", "",
                     {{"Accept", "text/csv"}});
  EXPECT_EQ(accept.body, csv.body);
  {
    // Each CSV download is one audit entry (file, persons, area), not a
    // read per person (issue #14).
    json trail = json::parse(Call(aud, "GET", "/api/v1/audit?actor=tos").body);
    int downloads = 0;
    for (const auto &e : trail["items"]) {
      if (e["action"] != "insurance.coverage.csv") continue;
      EXPECT_EQ(e["after"]["area"], "soum 18140") << e.dump();
      if (e["after"]["file"] ==
          "coverage_persons_18140_social_2025-06_uninsured.csv") {
        EXPECT_EQ(e["after"]["persons"], 2) << e.dump();
        ++downloads;
      }
    }
    EXPECT_GE(downloads, 2);  // ?format=csv and Accept: text/csv.
  }
  // Bad input names the parameter.
  for (auto [q, field] : std::vector<std::pair<const char *, const char *>>{
           {"?sex=X", "sex"},
           {"?age_band=17-20", "age_band"},
           {"?covered=maybe", "covered"},
           {"?disability=2", "disability"},
           {"?scheme=pension", "scheme"},
           {"?month=2025-13", "month"},
           {"?format=xml", "format"},
           {"?page=0", "page"},
           {"?page_size=501", "page_size"},
           {"?soum=abc", "soum"},
           {"?bogus=1", "bogus"}}) {
    auto r = Call(tos, "GET", list + q);
    EXPECT_EQ(r.status, 400) << q << " -> " << r.body;
    EXPECT_EQ(Field(r), field) << q << " -> " << r.body;
  }
  // Every person shown was recorded as read by the one who asked.
  json trail = json::parse(Call(aud, "GET",
                                "/api/v1/audit?register_no=%D0%98%D0%97"
                                "85120420")
                               .body);
  int reads = 0;
  for (const auto &e : trail["items"]) {
    if (e["action"] == "person.read") {
      EXPECT_EQ(e["actor"], "zav") << e.dump();
      ++reads;
    }
  }
  EXPECT_EQ(reads, 3);  // Oyun: three lists of zav's, none of anyone else.
}

TEST_F(InsuranceRoutesTest, OutreachCsvIsTheWholeListAsAnAttachment) {
  std::string tos = Login("tos"), ana = Login("ana"), aud = Login("aud");
  auto v = Call(tos, "POST",
                std::string("/api/v1/insurance/persons/") + kSaraa + "/visits",
                R"({"outcome":"not_found","date":"2025-03-01"})");
  ASSERT_EQ(v.status, 201) << v.body;
  auto r =
      Call(tos, "GET", "/api/v1/insurance/outreach?format=csv&page_size=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.GetHeader("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r.GetHeader("Content-Disposition"),
            "attachment; filename=\"outreach_18140_social_2025-06-15.csv\"");
  std::vector<std::string> lines;
  for (size_t at = 0; at < r.body.size();) {
    size_t nl = r.body.find('\n', at);
    lines.push_back(r.body.substr(at, nl - at));
    at = nl + 1;
  }
  ASSERT_EQ(lines.size(), 3u) << r.body;  // All rows, whatever page_size.
  EXPECT_EQ(lines[0],
            "rank,score,register_no,name,sex,age,contribution_years,bag,"
            "household_id,phone,lat,lon,reasons,last_visit_on,"
            "last_visit_outcome");
  EXPECT_EQ(lines[1].rfind(std::string("1,"), 0), 0u);
  EXPECT_NE(lines[1].find(kBold), std::string::npos);  // Younger: first.
  EXPECT_NE(lines[1].find(",2,T2,99112233,"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[1].substr(lines[1].size() - 2), ",,");  // Never visited.
  EXPECT_NE(lines[2].find(kSaraa), std::string::npos);
  EXPECT_EQ(lines[2].substr(lines[2].size() - 21), ",2025-03-01,not_found");
  // Reasons in Mongolian by default, English on request.
  EXPECT_NE(r.body.find("өрхөд даатгалтай насанд хүрэгч алга"),
            std::string::npos);
  auto en = Call(tos, "GET", "/api/v1/insurance/outreach?lang=en", "",
                 {{"Accept", "text/csv"}});
  ASSERT_EQ(en.status, 200);
  EXPECT_NE(en.body.find("no insured adult in the household"),
            std::string::npos)
      << en.body;
  EXPECT_EQ(std::count(en.body.begin(), en.body.end(), '\n'), 3);
  EXPECT_EQ(
      Call(tos, "GET", "/api/v1/insurance/outreach?lang=fr&format=csv").status,
      400);
  EXPECT_EQ(Call(ana, "GET", "/api/v1/insurance/outreach?soum=18140&format=csv")
                .status,
            403);
  // Each download is one audit entry naming the file, the persons in it
  // and the area (issue #14: not one row per person).
  json trail = json::parse(Call(aud, "GET", "/api/v1/audit?actor=tos").body);
  std::vector<json> files;
  for (const auto &e : trail["items"]) {
    if (e["action"] == "insurance.outreach.csv") files.push_back(e["after"]);
  }
  ASSERT_EQ(files.size(), 2u) << trail.dump();
  EXPECT_EQ(files[0]["file"], "outreach_18140_social_2025-06-15.csv");
  EXPECT_EQ(files[0]["persons"], 2);
  EXPECT_EQ(files[0]["area"], "soum 18140");
}

TEST_F(InsuranceRoutesTest, VisitIsRecordedOnceWithAnIdempotencyKey) {
  std::string tos = Login("tos"), zav = Login("zav");
  std::string visits =
      std::string("/api/v1/insurance/persons/") + kBold + "/visits";
  std::string body = R"({"outcome":"refused","date":"2025-06-10","note":"x"})";
  auto first = Call(tos, "POST", visits, body, {{"Idempotency-Key", "v-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  json a = json::parse(first.body);
  EXPECT_FALSE(a["replayed"].get<bool>());
  // A retry (a double click, a lost answer): the same visit, nothing new.
  for (int i = 0; i < 3; ++i) {
    auto again = Call(tos, "POST", visits, body, {{"Idempotency-Key", "v-1"}});
    ASSERT_EQ(again.status, 200) << again.body;
    json b = json::parse(again.body);
    EXPECT_TRUE(b["replayed"].get<bool>());
    EXPECT_EQ(b["visit_id"], a["visit_id"]);
    EXPECT_EQ(b["outcome"], "refused");
  }
  // The same key for another visit: 409, nothing recorded.
  for (const std::string other :
       {R"({"outcome":"enrolled","date":"2025-06-10","note":"x"})",
        R"({"outcome":"refused","date":"2025-06-11","note":"x"})",
        R"({"outcome":"refused","date":"2025-06-10"})"}) {
    auto clash = Call(tos, "POST", visits, other, {{"Idempotency-Key", "v-1"}});
    EXPECT_EQ(clash.status, 409) << other << " -> " << clash.body;
  }
  auto elsewhere =
      Call(tos, "POST",
           std::string("/api/v1/insurance/persons/") + kSaraa + "/visits", body,
           {{"Idempotency-Key", "v-1"}});
  EXPECT_EQ(elsewhere.status, 409) << elsewhere.body;
  // Keys are per officer; visits without a key are each recorded.
  EXPECT_EQ(
      Call(zav, "POST", visits, body, {{"Idempotency-Key", "v-1"}}).status,
      201);
  EXPECT_EQ(Call(tos, "POST", visits, R"({"outcome":"not_found"})").status,
            201);
  EXPECT_EQ(Call(tos, "POST", visits, R"({"outcome":"not_found"})").status,
            201);
  auto bad = Call(tos, "POST", visits, body,
                  {{"Idempotency-Key", std::string(101, 'k')}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "Idempotency-Key");
  json hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kBold + "/history")
          .body);
  EXPECT_EQ(hist["visits"].size(), 4u) << hist.dump();
  hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kSaraa + "/history")
          .body);
  EXPECT_TRUE(hist["visits"].empty()) << hist.dump();
}

TEST_F(InsuranceRoutesTest, SimultaneousVisitsWithOneKeyRecordOne) {
  std::string tos = Login("tos");
  std::string visits =
      std::string("/api/v1/insurance/persons/") + kSaraa + "/visits";
  std::vector<int> status(8, 0);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < status.size(); ++i) {
    threads.emplace_back([&, i] {
      net::Client c("127.0.0.1", server_->port());
      auto r = c.Send("POST", visits, R"({"outcome":"enrolled"})",
                      {{"Authorization", "Bearer " + tos},
                       {"Idempotency-Key", "same-click"}});
      status[i] = r.ok() ? r->status : -1;
    });
  }
  for (auto &t : threads) t.join();
  EXPECT_EQ(std::count(status.begin(), status.end(), 201), 1);
  EXPECT_EQ(std::count(status.begin(), status.end(), 200), 7);
  json hist = json::parse(
      Call(tos, "GET",
           std::string("/api/v1/insurance/persons/") + kSaraa + "/history")
          .body);
  EXPECT_EQ(hist["visits"].size(), 1u) << hist.dump();
}

TEST_F(InsuranceRoutesTest, OpenApiDocumentsEveryInsuranceRoute) {
  net::Client c("127.0.0.1", server_->port());
  auto doc = c.Send("GET", "/api/openapi.json");
  ASSERT_EQ(doc->status, 200);
  json paths = json::parse(doc->body)["paths"];
  for (const char *p :
       {"/api/v1/insurance/coverage", "/api/v1/insurance/persons/{register_no}",
        "/api/v1/insurance/persons/{register_no}/history",
        "/api/v1/insurance/persons/{register_no}/contributions",
        "/api/v1/insurance/persons/{register_no}/pension",
        "/api/v1/insurance/persons/{register_no}/visits",
        "/api/v1/insurance/remittances",
        "/api/v1/insurance/entries/{entry_id}/reverse",
        "/api/v1/insurance/pension", "/api/v1/insurance/outreach",
        "/api/v1/insurance/coverage/persons"}) {
    EXPECT_TRUE(paths.contains(p)) << p;
  }
  EXPECT_EQ(paths["/api/v1/insurance/persons/{register_no}/contributions"]
                 ["post"]["x-permission"],
            "write_insurance");
  EXPECT_EQ(paths["/api/v1/insurance/coverage/persons"]["get"]["x-permission"],
            "read_register");
}

}  // namespace
}  // namespace malchin::api
