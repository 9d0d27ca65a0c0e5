// Cooperatives, distributions and trainings over HTTP, end to end: the real
// server on loopback over a small register in Tosontsengel (18140) and
// Ikh-Uul (18125): a contribution recorded once whatever the retries, a
// payout approved by a second officer and paid once (also with two
// requests at once), an in-kind preview with its disaggregation, trainings
// in the statistics, area scoping and what the analyst may not see.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "api/api.h"
#include "api/test_server.h"

namespace malchin::api {
namespace {

using nlohmann::json;

constexpr const char* kSaraa = "ИЗ85120320";  // T1 head, F, 1985.
constexpr const char* kBold = "ИЗ95021051";   // T2 head, M, 1995.
constexpr const char* kOyun = "ИЗ85120420";   // I1 head (Ikh-Uul), F.

class CoopRoutesTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(
        "malchin_coop_api", TestServerOptions{.export_dir = false});
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"maker", "checker", "tos", "ikh", "ana"}, [](store::Session& s) {
          auto hh = [](const char* id, int32_t soum, int sheep) {
            registry::Household h = TestHousehold(id, soum);
            h.herd.head[3] = sheep;
            return h;
          };
          auto head = [](const char* rn, const char* hh, const char* born,
                         registry::Sex sex) {
            registry::Person p = TestHead(rn, hh, born);
            p.sex = sex;
            return p;
          };
          ASSERT_TRUE(
              s.Get<registry::Repository>()
                  .Upsert(
                      {hh("T1", 18140, 150), hh("T2", 18140, 90),
                       hh("T3", 18140, 400), hh("I1", 18125, 60)},
                      {head(kSaraa, "T1", "1985-12-03", registry::Sex::kFemale),
                       head(kBold, "T2", "1995-02-10", registry::Sex::kMale),
                       head("ИЗ80050520", "T3", "1980-05-05",
                            registry::Sex::kFemale),
                       head(kOyun, "I1", "1985-12-04", registry::Sex::kFemale)},
                      {"seed", ""})
                  .ok());
        }));
    maker_ = Login("maker");
    checker_ = Login("checker");
    tos_ = Login("tos");
  }
  TestServer& Server() override { return *server_; }

  http::Response Post(const std::string& token, const std::string& path,
                      const json& body, const std::string& key = "") {
    Headers h;
    if (!key.empty()) h.emplace_back("Idempotency-Key", key);
    return Call(token, "POST", path, body.dump(), h);
  }
  // A cooperative c1 in 18140 with the heads of T1 and T2, and money.
  void MakeCoop() {
    auto r = Post(tos_, "/api/v1/coop/cooperatives",
                  {{"code", "c1"},
                   {"name", "Тосонцэнгэл малчдын хоршоо"},
                   {"soum_code", 18140},
                   {"registered_on", "2015-01-01"}});
    ASSERT_EQ(r.status, 200) << r.body;
    for (const char* rn : {kSaraa, kBold}) {
      r = Post(tos_, "/api/v1/coop/cooperatives/c1/members",
               {{"register_no", rn}, {"joined_on", "2016-01-01"}});
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }

  std::unique_ptr<TestServer> server_;
  std::string maker_, checker_, tos_;
};

TEST_F(CoopRoutesTest, AContributionIsRecordedOnceWhateverTheRetries) {
  ASSERT_NO_FATAL_FAILURE(MakeCoop());
  const std::string path = "/api/v1/coop/cooperatives/c1/fund/contributions";
  json body = {
      {"register_no", kSaraa}, {"date", "2024-03-01"}, {"amount", 40000}};
  auto none = Post(tos_, path, body);
  EXPECT_EQ(none.status, 400) << none.body;
  auto first = Post(tos_, path, body, "k-1");
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = Post(tos_, path, body, "k-1");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["replayed"], true);
  EXPECT_EQ(json::parse(again.body)["entry_id"],
            json::parse(first.body)["entry_id"]);
  body["amount"] = 45000;
  EXPECT_EQ(Post(tos_, path, body, "k-1").status, 409);
  // In kind, at the price table.
  auto sheep = Post(tos_, path,
                    {{"register_no", kBold},
                     {"date", "2024-10-01"},
                     {"item", "sheep"},
                     {"quantity", 2}},
                    "k-2");
  ASSERT_EQ(sheep.status, 201) << sheep.body;
  EXPECT_EQ(json::parse(sheep.body)["amount"], 360000);
  // Not a member: 409.
  EXPECT_EQ(
      Post(tos_, path, {{"register_no", "ИЗ80050520"}, {"amount", 1000}}, "k-3")
          .status,
      409);
  auto st = Call(tos_, "GET",
                 "/api/v1/coop/cooperatives/c1/fund?from=2024-01-01&to="
                 "2024-12-31");
  ASSERT_EQ(st.status, 200) << st.body;
  json s = json::parse(st.body);
  EXPECT_EQ(s["closing"], 400000);
  EXPECT_EQ(s["entries"].size(), 2u);
  // Ikh-Uul's officer does not see it; the analyst reads no names.
  EXPECT_EQ(Call(Login("ikh"), "GET", "/api/v1/coop/cooperatives/c1").status,
            404);
  std::string ana = Login("ana");
  EXPECT_EQ(Call(ana, "GET", "/api/v1/coop/cooperatives/c1").status, 403);
  auto list = Call(ana, "GET", "/api/v1/coop/cooperatives");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body)["total"], 1);
  EXPECT_EQ(Post(ana, "/api/v1/coop/cooperatives/c1/fund/sales",
                 {{"amount", 1}}, "k-9")
                .status,
            403);
}

TEST_F(CoopRoutesTest, APayoutIsApprovedByAnotherAndPaidOnce) {
  ASSERT_NO_FATAL_FAILURE(MakeCoop());
  ASSERT_EQ(Post(tos_, "/api/v1/coop/cooperatives/c1/fund/sales",
                 {{"date", "2024-01-10"}, {"amount", 200000}}, "s-1")
                .status,
            201);
  json plan = {{"code", "dzud"},      {"kind", "payout"},
               {"coop", "c1"},        {"eligibility", "household.herder"},
               {"quantity", "60000"}, {"cutoff_on", "2024-02-01"}};
  auto preview = Post(maker_, "/api/v1/distributions/preview", plan);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(json::parse(preview.body)["households"], 2);
  EXPECT_EQ(json::parse(preview.body)["available"], 200000);
  ASSERT_EQ(Post(maker_, "/api/v1/distributions", plan).status, 200);
  auto own = Post(maker_, "/api/v1/distributions/dzud/approve", json::object());
  EXPECT_EQ(own.status, 403) << own.body;
  auto ok =
      Post(checker_, "/api/v1/distributions/dzud/approve", json::object());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["total_value"], 120000);
  // Two confirmations of one household at once: one pays.
  std::vector<int> statuses(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] = Post(tos_, "/api/v1/distributions/dzud/deliveries",
                         {{"household_id", "T1"}, {"date", "2024-02-15"}},
                         "d-" + std::to_string(i))
                        .status;
    });
  }
  for (auto& t : threads) t.join();
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{201, 409}));
  auto rest = Post(tos_, "/api/v1/distributions/dzud/deliveries/all",
                   {{"date", "2024-02-16"}});
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(json::parse(rest.body)["delivered"], 1);
  auto lines = Call(tos_, "GET", "/api/v1/distributions/dzud/lines");
  ASSERT_EQ(lines.status, 200) << lines.body;
  json l = json::parse(lines.body);
  ASSERT_EQ(l["total"], 2);
  EXPECT_EQ(l["items"][0]["delivery"]["received_by"], kSaraa);
  auto st = Call(tos_, "GET", "/api/v1/coop/cooperatives/c1/fund");
  EXPECT_EQ(json::parse(st.body)["closing"], 200000 - 120000);
}

TEST_F(CoopRoutesTest, InsuranceFromTheFundIsPreparedAndApprovedByAnother) {
  ASSERT_NO_FATAL_FAILURE(MakeCoop());
  ASSERT_EQ(Post(tos_, "/api/v1/coop/cooperatives/c1/fund/sales",
                 {{"date", "2024-01-10"}, {"amount", 200000}}, "s-1")
                .status,
            201);
  const std::string path = "/api/v1/coop/cooperatives/c1/fund/insurance";
  json body = {{"date", "2024-03-01"},
               {"from", "2024-03"},
               {"months", 2},
               {"members", {{{"register_no", kSaraa}}}}};
  EXPECT_EQ(Post(tos_, path, body).status, 400);  // No Idempotency-Key.
  auto prepared = Post(tos_, path, body, "i-1");
  ASSERT_EQ(prepared.status, 201) << prepared.body;
  json p = json::parse(prepared.body);
  EXPECT_EQ(p["paid"], false);
  EXPECT_EQ(p["prepared_by"], "tos");
  const int64_t amount = p["amount"];
  EXPECT_GT(amount, 0);
  auto again = Post(tos_, path, body, "i-1");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["id"], p["id"]);
  // Nothing left the fund yet.
  auto st = Call(tos_, "GET", "/api/v1/coop/cooperatives/c1/fund");
  EXPECT_EQ(json::parse(st.body)["closing"], 200000);
  const std::string approve =
      path + "/" + std::to_string(p["id"].get<int64_t>()) + "/approve";
  auto own = Post(tos_, approve, json::object());
  EXPECT_EQ(own.status, 403) << own.body;
  auto paid = Post(checker_, approve, json::object());
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(json::parse(paid.body)["amount"], amount);
  EXPECT_EQ(json::parse(paid.body)["entries"].size(), 1u);
  auto twice = Post(checker_, approve, json::object());
  ASSERT_EQ(twice.status, 200) << twice.body;
  EXPECT_EQ(json::parse(twice.body)["replayed"], true);
  st = Call(tos_, "GET", "/api/v1/coop/cooperatives/c1/fund");
  EXPECT_EQ(json::parse(st.body)["closing"], 200000 - amount);
  auto list = Call(tos_, "GET", path);
  ASSERT_EQ(list.status, 200) << list.body;
  json items = json::parse(list.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["paid"], true);
  EXPECT_EQ(items[0]["approved_by"], "checker");
  EXPECT_EQ(Post(checker_, path + "/999/approve", json::object()).status, 404);
}

TEST_F(CoopRoutesTest, TheRamsPreviewAndTheStatistics) {
  ASSERT_EQ(Post(maker_, "/api/v1/inkind/items",
                 {{"code", "ram"},
                  {"name_en", "Pedigree ram"},
                  {"name_mn", "Үржлийн хуц"},
                  {"unit", "head"},
                  {"unit_value", 800000}})
                .status,
            200);
  json rams = {{"code", "rams"},
               {"kind", "in_kind"},
               {"item", "ram"},
               {"area_code", 181},
               {"eligibility",
                "household.sheep_units < 200 and (household.head.sex == F or "
                "household.head.age < 35)"},
               {"cutoff_on", "2021-04-01"}};
  auto p = Post(maker_, "/api/v1/distributions/preview", rams);
  ASSERT_EQ(p.status, 200) << p.body;
  json v = json::parse(p.body);
  // T1 (woman), T2 (man of 26), I1 (woman); not T3 (400 sheep).
  EXPECT_EQ(v["households"], 3);
  EXPECT_EQ(v["total_value"], 3 * 800000);
  int64_t women = 0;
  for (const auto& c : v["cells"]) {
    if (c["sex"] == "F") women += c["households"].get<int64_t>();
  }
  EXPECT_EQ(women, 2);
  EXPECT_EQ(v["by_soum"].size(), 2u);
  // A rule with a typo names it.
  rams["eligibility"] = "household.head.sx == F";
  auto bad = Post(maker_, "/api/v1/distributions/preview", rams);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("eligibility:1:"), std::string::npos) << bad.body;

  ASSERT_EQ(Post(tos_, "/api/v1/trainings",
                 {{"code", "ls"},
                  {"topic", "life_skills"},
                  {"title", "Амьдрах ухаан"},
                  {"soum_code", 18140},
                  {"starts_on", "2021-05-10"}})
                .status,
            200);
  auto att = Post(
      tos_, "/api/v1/trainings/ls/attendance",
      {{"attendees", {{{"register_no", kSaraa}}, {{"register_no", kBold}}}}});
  ASSERT_EQ(att.status, 200) << att.body;
  EXPECT_EQ(json::parse(att.body)["added"], 2);
  auto stats = Call(Login("ana"), "GET", "/api/v1/coop/stats?as_of=2022-01-01");
  ASSERT_EQ(stats.status, 200) << stats.body;
  json s = json::parse(stats.body);
  EXPECT_EQ(s["total"]["trainees"], 2);
  EXPECT_EQ(s["by_sex"]["F"]["trainees"], 1);
  EXPECT_EQ(s["by_sex"]["M"]["trainees"], 1);
  bool band = false;
  for (const auto& b : s["by_age_band"]) {
    band |= b["age_band"] == "18-29" && b["trainees"] == 1;
  }
  EXPECT_TRUE(band) << s.dump();
}

}  // namespace
}  // namespace malchin::api
