// `malchin payment ...` and the plan refusals on the command line (#15),
// run in-process on a small register in Tosontsengel: a hold asked by one
// officer is refused to the same officer and confirmed by another, the
// held payment is not in the bank file, `payment show` gives its state and
// `payment follow-up --csv` the soum officer's list with the caregiver's
// phone; `plan explain` reads the frozen list; a plan of 0 MNT is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "registry/repository.h"

namespace malchin::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using registry::Relation;
using registry::Sex;

constexpr const char* kMother = "ИЗ85120320";
constexpr const char* kBoy = "ИЗ15220111";  // T1, paid to his mother.
constexpr const char* kFather = "ИЗ80010111";
constexpr const char* kSon = "ИЗ18220111";   // T2, paid to his father.
constexpr const char* kLone = "ИЗ16220122";  // T3: no account anywhere.

using cli::testing::CliRun;

class PaymentCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::FreshTestDir("malchin-pay-cli");
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    auto store = database_->Connect();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto hh = [](const char* id) {
      registry::Household h;
      h.id = id;
      h.soum_code = h.current_soum_code = 18140;
      h.herder = true;
      h.phone = "99001122";
      return h;
    };
    auto p = [](const char* rn, const char* h, const char* born, Sex sex,
                Relation rel, const char* account) {
      registry::Person x;
      x.register_no = rn;
      x.household_id = h;
      x.father_name = "Бат";
      x.given_name = "Сараа";
      x.sex = sex;
      x.birth_date = *Date::Parse(born);
      x.relation = rel;
      x.bank_account = account;
      return x;
    };
    ASSERT_TRUE(
        (*store)
            ->Get<registry::Repository>()
            .Upsert(
                {hh("T1"), hh("T2"), hh("T3")},
                {p(kMother, "T1", "1985-12-03", Sex::kFemale, Relation::kHead,
                   "00051234567890"),
                 p(kBoy, "T1", "2015-02-01", Sex::kMale, Relation::kChild, ""),
                 p(kFather, "T2", "1980-01-01", Sex::kMale, Relation::kHead,
                   "00151234567890"),
                 p(kSon, "T2", "2018-02-01", Sex::kMale, Relation::kChild, ""),
                 p(kLone, "T3", "2016-02-01", Sex::kFemale, Relation::kChild,
                   "")},
                {"test", ""})
            .ok());
    for (const char* u : {"maker", "checker"}) {
      ASSERT_EQ(M({"user", "add", "--db", db_, "--username", u, "--role",
                   "national_officer"},
                  "Tal nuuriin salkhi 1987\n")
                    .code,
                0);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun M(const std::vector<std::string>& args,
           const std::string& input = "") {
    return testing::Run(args, input);
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  static std::string Slurp(const std::string& path) {
    std::ifstream f(path);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  std::vector<std::string> Plan(const std::string& amount) {
    return {"plan",           "create",    "--db",          db_,
            "--user",         "maker",     "--plan",        "tos1",
            "--event",        "tos-dzud",  "--eligibility", "age < 6",
            "--amount",       amount,      "--cutoff",      "2019-12-15",
            "--installments", "2019-12-20"};
  }
  // The event, the plan approved by the checker, its payroll approved.
  void ApprovedPayroll() {
    std::ofstream(Path("soums.csv")) << "soum_code,severity\n18140,very_high\n";
    auto r = M({"event", "create", "--db", db_, "--user", "maker", "--event",
                "tos-dzud", "--type", "dzud", "--name", "Tosontsengel dzud",
                "--start", "2019-12-01", "--end", "2020-04-30", "--soums",
                Path("soums.csv")});
    ASSERT_EQ(r.code, 0) << r.err;
    r = M(Plan("40000"));
    ASSERT_EQ(r.code, 0) << r.err;
    for (const std::vector<std::string>& step :
         std::vector<std::vector<std::string>>{
             {"plan", "approve", "--user", "checker"},
             {"payroll", "generate", "--user", "maker", "--installment", "1"},
             {"payroll", "approve", "--user", "checker", "--installment",
              "1"}}) {
      std::vector<std::string> args = step;
      for (const std::string& a :
           {std::string("--db"), db_, std::string("--plan"),
            std::string("tos1")}) {
        args.push_back(a);
      }
      r = M(args);
      ASSERT_EQ(r.code, 0) << step[0] << " " << step[1] << ": " << r.err;
    }
  }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_;
};

TEST_F(PaymentCliTest, HoldConfirmedByAnotherOfficerKeepsThePaymentOut) {
  // A plan of nothing is refused, naming the amount.
  auto zero = M(Plan("0"));
  EXPECT_EQ(zero.code, 2);
  EXPECT_NE(zero.err.find("expected a positive MNT amount"), std::string::npos)
      << zero.err;
  ASSERT_NO_FATAL_FAILURE(ApprovedPayroll());
  const std::vector<std::string> on = {"--db",          db_, "--plan",   "tos1",
                                       "--installment", "1", "--person", kBoy};
  std::vector<std::string> hold = {"payment", "hold",     "--user",
                                   "maker",   "--reason", "reported deceased"};
  hold.insert(hold.end(), on.begin(), on.end());
  auto r = M(hold);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("action 1: hold of " + std::string(kBoy)),
            std::string::npos)
      << r.out;
  // Maker-checker: not by whoever asked.
  r = M({"payment", "confirm", "--db", db_, "--user", "maker", "--plan", "tos1",
         "--action", "1"});
  EXPECT_EQ(r.code, 6) << r.out;
  r = M({"payment", "confirm", "--db", db_, "--user", "checker", "--plan",
         "tos1", "--action", "1", "--note", "seen"});
  ASSERT_EQ(r.code, 0) << r.err;

  r = M({"payroll", "export", "--db", db_, "--user", "maker", "--plan", "tos1",
         "--installment", "1", "--out", Path("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string files;
  for (const auto& f : fs::directory_iterator(Path("out"))) {
    files += Slurp(f.path().string());
  }
  EXPECT_NE(files.find(kSon), std::string::npos) << files;
  EXPECT_EQ(files.find(kBoy), std::string::npos) << files;

  std::vector<std::string> show = {"payment", "show", "--json"};
  show.insert(show.end(), on.begin(), on.end());
  r = M(show);
  ASSERT_EQ(r.code, 0) << r.err;
  json c = json::parse(r.out);
  EXPECT_EQ(c["state"], "held");
  EXPECT_TRUE(c["attempts"].empty());

  r = M({"payment", "follow-up", "--db", db_, "--plan", "tos1", "--installment",
         "1", "--csv", Path("follow.csv"), "--html", Path("follow.html")});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string csv = Slurp(Path("follow.csv"));
  EXPECT_EQ(csv.rfind("soum_code,soum,household_id,register_no", 0), 0u) << csv;
  EXPECT_NE(csv.find(kBoy), std::string::npos) << csv;
  EXPECT_NE(csv.find(kLone), std::string::npos) << csv;
  EXPECT_EQ(csv.find(kSon), std::string::npos) << csv;  // Sent: nothing to do.
  EXPECT_NE(Slurp(Path("follow.html")).find("<table"), std::string::npos);

  // Explain reads the frozen list, also after the register changes.
  r = M({"plan", "explain", "--db", db_, "--plan", "tos1", "--person", kBoy});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("In the list frozen when plan tos1 was approved"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace malchin::cli
