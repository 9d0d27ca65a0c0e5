// Two app servers on one database (docs/deployment.md), end to end over
// HTTP: requests sent at the same moment to both make one payroll with each
// beneficiary once, one approval and one reconciliation, and an edit made
// through one server changes a preview made through the other. Runs on the
// engine MALCHIN_TEST_ENGINE names (scripts/test.sh: SQLite, then
// PostgreSQL).
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/test_server.h"
#include "registry/repository.h"

namespace malchin::api {
namespace {

using nlohmann::json;

registry::Person Child(const char* rn, const char* hh, const char* born) {
  registry::Person p = TestHead(rn, hh, born);
  p.relation = registry::Relation::kChild;
  return p;
}

class MultiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = std::make_unique<TestServer>("malchin_multi_a");
    ASSERT_NO_FATAL_FAILURE(
        a_->Start({"maker", "checker", "nat"}, [](store::Session& session) {
          auto& reg = session.Get<registry::Repository>();
          std::vector<registry::Household> hh;
          std::vector<registry::Person> persons;
          const char* ids[] = {"T1", "T2", "T3", "T4", "T5", "T6"};
          const char* heads[] = {"ИЗ85120320", "ИЗ85120321", "ИЗ85120322",
                                 "ИЗ85120323", "ИЗ85120324", "ИЗ85120325"};
          const char* kids[] = {"ИЗ17210120", "ИЗ17210121", "ИЗ17210122",
                                "ИЗ17210123", "ИЗ17210124", "ИЗ17210125"};
          for (int i = 0; i < 6; ++i) {
            hh.push_back(TestHousehold(ids[i], 18140));
            persons.push_back(TestHead(heads[i], ids[i], "1985-12-03"));
            persons.push_back(Child(kids[i], ids[i], "2017-01-01"));
          }
          ASSERT_TRUE(reg.Upsert(hh, persons, {"seed", ""}).ok());
        }));
    TestServerOptions second;
    second.database_url = a_->db();
    b_ = std::make_unique<TestServer>("malchin_multi_b", second);
    ASSERT_NO_FATAL_FAILURE(b_->Start({}));
  }

  static json Body(const http::Response& r) {
    return json::parse(r.body, nullptr, false);
  }

  std::unique_ptr<TestServer> a_, b_;
};

TEST_F(MultiServerTest, OneDecisionWhicheverServerIsAsked) {
  std::string maker_a = a_->Login("maker"), maker_b = b_->Login("maker");
  std::string checker_b = b_->Login("checker");
  json event = {{"code", "dzud-t"},
                {"type", "dzud"},
                {"name", "Tosontsengel dzud"},
                {"declared_on", "2020-01-01"},
                {"starts_on", "2020-01-01"},
                {"ends_on", "2020-04-30"},
                {"soums_csv", "soum_code,severity\n18140,high\n"}};
  auto declared = a_->Call(maker_a, "POST", "/api/v1/events", event.dump());
  ASSERT_EQ(declared.status, 201) << declared.body;
  json plan = {{"code", "topup-t"},
               {"event", "dzud-t"},
               {"programme", "child_money"},
               {"name", "Top-up"},
               {"eligibility", "age < 6"},
               {"amount", "20000"},
               {"cutoff_on", "2020-01-10"},
               {"installments", {{{"due_on", "2020-01-20"}}}}};
  auto made = a_->Call(maker_a, "POST", "/api/v1/plans", plan.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string base = "/api/v1/plans/topup-t";

  // An edit through server A changes the preview server B makes.
  json before = Body(b_->Call(maker_b, "GET", base + "/preview"));
  ASSERT_EQ(before["national"]["beneficiaries"], 6) << before.dump();
  auto got = a_->Call(maker_a, "GET", "/api/v1/households/T1");
  ASSERT_EQ(got.status, 200) << got.body;
  json t1 = Body(got);
  json edit = {{"household", t1["household"]},
               {"members",
                {{{"register_no", "ИЗ18210110"},
                  {"father_name", "Бат"},
                  {"given_name", "Тэмүүлэн"},
                  {"sex", "M"},
                  {"birth_date", "2018-01-01"},
                  {"relation", "child"}}}}};
  auto edited = a_->Call(maker_a, "PUT", "/api/v1/households/T1", edit.dump(),
                         {{"If-Match", std::string(got.GetHeader("ETag"))}});
  ASSERT_LT(edited.status, 300) << edited.body;
  json after = Body(b_->Call(maker_b, "GET", base + "/preview"));
  EXPECT_EQ(after["national"]["beneficiaries"], 7) << after.dump();

  // Approval asked of both servers at once: one snapshot.
  std::string checker_a = a_->Login("checker");
  std::atomic<int> accepted{0};
  {
    std::thread x([&] {
      accepted += a_->Call(checker_a, "POST", base + "/approve").status < 300;
    });
    std::thread y([&] {
      accepted += b_->Call(checker_b, "POST", base + "/approve").status < 300;
    });
    x.join();
    y.join();
  }
  EXPECT_EQ(accepted, 2);
  json approved;
  for (int i = 0; i < 500; ++i) {
    approved = Body(a_->Call(maker_a, "GET", base));
    if (approved["status"] == "approved") break;
    std::this_thread::yield();
  }
  ASSERT_EQ(approved["status"], "approved") << approved.dump();
  EXPECT_EQ(approved["beneficiaries"], 7);

  // The payroll of installment 1, asked four times of two servers at once:
  // one 201, the rest 200, every beneficiary once.
  std::atomic<int> created{0}, existing{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      TestServer& s = i % 2 ? *b_ : *a_;
      auto r = s.Call(i % 2 ? maker_b : maker_a, "POST", base + "/payrolls/1");
      if (r.status == 201) created++;
      if (r.status == 200) existing++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(existing, 3);
  json payroll = Body(b_->Call(maker_b, "GET", base + "/payrolls/1"));
  EXPECT_EQ(payroll["lines"], 7) << payroll.dump();
  EXPECT_EQ(payroll["amount"], 7 * 20000);
}

}  // namespace
}  // namespace malchin::api
