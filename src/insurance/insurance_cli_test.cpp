// The `malchin insurance ...` commands (src/cli/insurance_commands.cpp),
// run in-process on a small register: every command, its output, its exit
// codes for bad input, and the area options.
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
#include "insurance/repository.h"
#include "registry/repository.h"

namespace malchin::insurance {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char *kSaraa = "ИЗ85120320";  // Tosontsengel, herder, F.
constexpr const char *kBold = "ИЗ90010151";   // Tosontsengel, herder, M.
constexpr const char *kOyun = "ИЗ85120420";   // Ikh-Uul, herder, F.

using cli::testing::CliRun;

CliRun Cli(const std::vector<std::string> &args,
           const std::string &input = "") {
  return cli::testing::Run(args, input);
}

class InsuranceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = cli::testing::FreshTestDir("malchin-ins-cli");
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    db_ = database_->url();
    auto store = database_->Connect();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto hh = [](const char *id, int32_t soum) {
      registry::Household h;
      h.id = id;
      h.soum_code = h.current_soum_code = soum;
      h.herder = true;
      h.bag = "2";
      h.phone = "99001122";
      h.herd[registry::Species::kSheep] = 150;
      return h;
    };
    auto person = [](const char *rn, const char *h, const char *born,
                     registry::Sex sex) {
      registry::Person p;
      p.register_no = rn;
      p.household_id = h;
      p.father_name = "Батын";
      p.given_name = "Сараа";
      p.sex = sex;
      p.birth_date = *Date::Parse(born);
      p.relation = registry::Relation::kHead;
      p.herder = true;
      return p;
    };
    using registry::Sex;
    ASSERT_TRUE((*store)
                    ->Get<registry::Repository>()
                    .Upsert({hh("T1", 18140), hh("T2", 18140), hh("I1", 18125)},
                            {person(kSaraa, "T1", "1985-12-03", Sex::kFemale),
                             person(kBold, "T2", "1990-01-01", Sex::kMale),
                             person(kOyun, "I1", "1985-12-04", Sex::kFemale)},
                            {"test", ""})
                    .ok());
    ASSERT_TRUE((*store)->SetMeta("register.as_of", "2025-06-15").ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun Ins(std::vector<std::string> args) {
    args.insert(args.begin(), "insurance");
    return Cli(args);
  }
  std::string Write(const std::string &name, const std::string &content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::string db_;
};

TEST_F(InsuranceCliTest, EveryCommandHasHelp) {
  for (const char *c : {"pay", "correct", "coop-remit", "coverage", "outreach",
                        "visit", "pension", "seed-demo"}) {
    auto r = Ins({c, "--help"});
    EXPECT_EQ(r.code, 0) << c << ": " << r.err;
    EXPECT_NE(r.out.find("--"), std::string::npos) << c;
  }
  auto all = Cli({"--help"});
  EXPECT_NE(all.out.find("insurance pay"), std::string::npos);
  EXPECT_EQ(Ins({"pay", "--db", db_}).code, 1);  // Missing --person etc.
}

TEST_F(InsuranceCliTest, PayPrintsTheReceiptAndCoverageShowsTheMonths) {
  // --actor names a registered account, never a free name (issue #15).
  const std::vector<std::string> pay = {
      "pay",      "--db",    db_,      "--person", kSaraa,
      "--scheme", "health",  "--from", "2025-03",  "--months",
      "2",        "--actor", "tester"};
  auto r = Ins(pay);
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.err.find("--actor tester: no such account"), std::string::npos)
      << r.err;
  ASSERT_EQ(Cli({"user", "add", "--db", db_, "--username", "tester", "--role",
                 "soum_officer", "--area", "18140"},
                "Tal nuuriin salkhi 1987\n")
                .code,
            0);
  r = Ins(pay);
  ASSERT_EQ(r.code, 0) << r.err;
  {
    auto store = database_->Connect();
    ASSERT_TRUE(store.ok());
    auto entries = (*store)->Get<Repository>().Entries({}, kSaraa);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ(entries->at(0).actor, "tester");
  }
  // March at 1% of 660,000, April at 1% of 792,000.
  EXPECT_NE(r.out.find("paid 14,520 MNT (2 month(s) from 2025-03"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("health: 2 month(s) covered [2025-03..2025-04]"),
            std::string::npos)
      << r.out;
  // Partial payment and its shortfall, as JSON.
  r = Ins({"pay", "--db", db_, "--person", kSaraa, "--scheme", "health",
           "--from", "2025-05", "--months", "2", "--amount", "10000",
           "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["amount"], 10000);
  EXPECT_EQ(j["due"], 2 * 7920);
  EXPECT_EQ(j["statement"]["partial_months"], 1);
  EXPECT_EQ(j["statement"]["shortfall"], 2 * 7920 - 10000);
  auto cov = Ins({"coverage", "--db", db_, "--person", kSaraa, "--json"});
  ASSERT_EQ(cov.code, 0) << cov.err;
  json c = json::parse(cov.out);
  EXPECT_EQ(c["schemes"][1]["covered_months"], 3);
  EXPECT_EQ(c["schemes"][0]["covered_months"], 0);
  auto text = Ins({"coverage", "--db", db_, "--person", kSaraa});
  EXPECT_NE(text.out.find("2025-06: due 7,920, paid 2,080 (partial)"),
            std::string::npos)
      << text.out;
}

TEST_F(InsuranceCliTest, InKindAndSubsidiesKeepTheirValuationAndPayer) {
  auto r = Ins({"pay",        "--db",     db_,       "--person",   kBold,
                "--scheme",   "social",   "--from",  "2025-01",    "--months",
                "2",          "--method", "in_kind", "--item",     "sheep",
                "--quantity", "1",        "--date",  "2025-02-01", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["in_kind"]["item"], "sheep");
  // Worth more than the two months due: the due is recorded and the
  // surplus kept as credit (issue #15).
  EXPECT_LT(j["amount"].get<int64_t>(),
            j["in_kind"]["unit_price"].get<int64_t>());
  EXPECT_EQ(j["amount"].get<int64_t>() + j["credit"].get<int64_t>(),
            j["in_kind"]["unit_price"].get<int64_t>());
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "social",
           "--from", "2025-03", "--method", "government_subsidy"});
  EXPECT_EQ(r.code, 0) << r.err;
  // Bad input: exit 2 and a message naming what was wrong.
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "social",
           "--from", "2025-01", "--method", "in_kind", "--item", "yak",
           "--quantity", "1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("yak"), std::string::npos) << r.err;
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "pension",
           "--from", "2025-01"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("social or health"), std::string::npos) << r.err;
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "health",
           "--from", "2025-13"});
  EXPECT_EQ(r.code, 2) << r.err;
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "health",
           "--from", "2025-01", "--months", "121"});
  EXPECT_EQ(r.code, 2) << r.err;
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "health",
           "--from", "2025-01", "--method", "cooperative"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("coop-remit"), std::string::npos) << r.err;
}

TEST_F(InsuranceCliTest, CorrectReversesOnceAndCoverageGoesBack) {
  auto r = Ins({"pay", "--db", db_, "--person", kSaraa, "--scheme", "health",
                "--from", "2025-05", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  int64_t id = json::parse(r.out)["entry_id"];
  r = Ins({"correct", "--db", db_, "--entry", std::to_string(id), "--reason",
           "entered twice"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("reverses entry " + std::to_string(id)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("health: 0 month(s) covered"), std::string::npos)
      << r.out;
  r = Ins({"correct", "--db", db_, "--entry", std::to_string(id), "--reason",
           "again"});
  EXPECT_EQ(r.code, 4) << r.err;  // Already reversed.
  r = Ins({"correct", "--db", db_, "--entry", "9999", "--reason", "x"});
  EXPECT_EQ(r.code, 3) << r.err;
  r = Ins({"correct", "--db", db_, "--entry", std::to_string(id), "--reason",
           "x", "--soum", "18125"});
  EXPECT_EQ(r.code, 3) << r.err;  // Not in that soum.
}

TEST_F(InsuranceCliTest, CoopRemitReconcilesMemberByMember) {
  std::string members =
      Write("members.csv", "register_no,scheme,from,months,amount\n" +
                               std::string(kSaraa) + ",health,2025-05,1,\n" +
                               kBold + ",health,2025-05,2,3000\n");
  auto r = Ins({"coop-remit", "--db", db_, "--cooperative", "Wool coop",
                "--amount", "20000", "--members", members, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["allocated"], 3000 + 7920);
  EXPECT_EQ(j["unallocated"], 20000 - 3000 - 7920);
  EXPECT_EQ(j["members"][1]["shortfall"], 2 * 7920 - 3000);
  r = Ins({"coop-remit", "--db", db_, "--cooperative", "Wool coop", "--amount",
           "20000", "--members", members});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("unallocated (kept as the cooperative's credit)"),
            std::string::npos)
      << r.out;
  // A bad row names the file, line and column; nothing is written.
  std::string bad =
      Write("bad.csv", "register_no,scheme,from,months\n" +
                           std::string(kSaraa) + ",health,2025-05,x\n");
  r = Ins({"coop-remit", "--db", db_, "--cooperative", "Wool coop", "--amount",
           "20000", "--members", bad});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 2 column months 'x'"), std::string::npos) << r.err;
  // A member outside the officer's soum: refused whole.
  std::string outside =
      Write("outside.csv", "register_no,scheme,from,months\n" +
                               std::string(kOyun) + ",health,2025-05,1\n");
  r = Ins({"coop-remit", "--db", db_, "--cooperative", "Wool coop", "--amount",
           "20000", "--members", outside, "--soum", "18140"});
  EXPECT_EQ(r.code, 3) << r.err;
}

// The CLI refuses what the API refuses (#15): the same --key records once
// (pay and coop-remit), a date after today, an amount of 0, months beyond
// the last dated rate.
TEST_F(InsuranceCliTest, KeysRecordOnceAndTheImpossibleIsRefused) {
  const std::vector<std::string> pay = {
      "pay",    "--db",   db_,       "--person", kSaraa,      "--scheme",
      "health", "--from", "2025-03", "--key",    "receipt-17"};
  auto r = Ins(pay);
  ASSERT_EQ(r.code, 0) << r.err;
  r = Ins(pay);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("already recorded with key receipt-17"),
            std::string::npos)
      << r.out;
  auto entries = [&](const char *rn) {
    auto store = database_->Connect();
    EXPECT_TRUE(store.ok());
    return (*store)->Get<Repository>().Entries({}, rn)->size();
  };
  EXPECT_EQ(entries(kSaraa), 1u);
  std::string members =
      Write("m.csv", "register_no,scheme,from,months\n" + std::string(kBold) +
                         ",health,2025-05,1\n");
  const std::vector<std::string> remit = {
      "coop-remit", "--db",     db_,       "--cooperative",
      "Wool coop",  "--amount", "20000",   "--members",
      members,      "--key",    "coop-may"};
  ASSERT_EQ(Ins(remit).code, 0);
  r = Ins(remit);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("already recorded with key coop-may"), std::string::npos)
      << r.out;
  EXPECT_EQ(entries(kBold), 1u);
  // Dated in the future (today is the system's: 2999 is always after it).
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "health",
           "--from", "2025-03", "--date", "2999-05-01"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("2999-05-01"), std::string::npos) << r.err;
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "health",
           "--from", "2025-03", "--amount", "0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("amount 0"), std::string::npos) << r.err;
  r = Ins({"pay", "--db", db_, "--person", kBold, "--scheme", "health",
           "--from", "2030-01"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("insurance.rates_set_through"), std::string::npos)
      << r.err;
  EXPECT_EQ(entries(kBold), 1u);
  // A what-if no life allows: 80 contribution years at 61.
  r = Ins({"pension", "--birth-date", "1964-01-01", "--sex", "M", "--years",
           "80", "--as-of", "2025-06-01"});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.err.find("pension.min_contribution_age"), std::string::npos)
      << r.err;
  EXPECT_EQ(Ins({"pension", "--birth-date", "1964-01-01", "--sex", "M",
                 "--years", "40", "--as-of", "2025-06-01"})
                .code,
            0);
}

TEST_F(InsuranceCliTest, CoverageTablesJsonAndTheListBehindAFigure) {
  ASSERT_EQ(Ins({"pay", "--db", db_, "--person", kSaraa, "--scheme", "health",
                 "--from", "2025-06"})
                .code,
            0);
  auto r = Ins(
      {"coverage", "--db", db_, "--by", "nation", "--split", "none", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["cells"].size(), 1u);
  EXPECT_EQ(j["cells"][0]["month"], "2025-06");  // The register date.
  EXPECT_EQ(j["cells"][0]["persons"], 3);
  EXPECT_EQ(j["cells"][0]["health_insured"], 1);
  EXPECT_EQ(j["targets"]["social"][0], 0.2);
  // Two soums are called Tosontsengel: the name alone is refused.
  r = Ins({"coverage", "--db", db_, "--soum", "Tosontsengel"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("26734 Tosontsengel (Khuvsgul)"), std::string::npos)
      << r.err;
  r = Ins({"coverage", "--db", db_, "--by", "soum", "--soum", "18140",
           "--month", "2025-06"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("targets 2025-06: social 20%, health 50%"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("18125"), std::string::npos) << r.out;
  r = Ins({"coverage", "--db", db_, "--from", "2024-06", "--to", "2025-06",
           "--step", "6", "--by", "aimag", "--split", "sex", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["targets"]["health"].size(), 3u);
  r = Ins({"coverage", "--db", db_, "--list", "--by", "nation", "--scheme",
           "health", "--uninsured"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(kBold), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kSaraa), std::string::npos) << r.out;
  EXPECT_EQ(Ins({"coverage", "--db", db_, "--by", "planet"}).code, 2);
  EXPECT_EQ(
      Ins({"coverage", "--db", db_, "--from", "2025-06", "--to", "2025-01"})
          .code,
      2);
  EXPECT_EQ(Ins({"coverage", "--db", db_, "--list", "--age-band", "old"}).code,
            2);
  EXPECT_EQ(Ins({"coverage", "--db", db_, "--soum", "Atlantis"}).code, 2);
}

TEST_F(InsuranceCliTest, OutreachListsAndVisitsTeachIt) {
  auto r = Ins({"outreach", "--db", db_, "--soum", "18140"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("rank,score,register_no,name", 0), 0u) << r.out;
  size_t bold = r.out.find(kBold), saraa = r.out.find(kSaraa);
  ASSERT_NE(bold, std::string::npos);
  ASSERT_NE(saraa, std::string::npos);
  EXPECT_LT(bold, saraa);  // Younger first.
  EXPECT_EQ(r.out.find(kOyun), std::string::npos);
  EXPECT_NE(r.err.find("2 candidate(s)"), std::string::npos) << r.err;
  // Mongolian reasons into a file.
  std::string csv = (dir_ / "list.csv").string();
  r = Ins({"outreach", "--db", db_, "--soum", "18140", "--lang", "mn", "--csv",
           csv, "--limit", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote 1 of 2"), std::string::npos) << r.out;
  std::ifstream f(csv);
  std::string content((std::istreambuf_iterator<char>(f)),
                      std::istreambuf_iterator<char>());
  EXPECT_NE(content.find(kBold), std::string::npos);
  EXPECT_EQ(content.find(kSaraa), std::string::npos);
  // Bold refuses; the next list leaves him out.
  r = Ins({"visit", "--db", db_, "--person", kBold, "--outcome", "refused",
           "--date", "2025-06-10", "--soum", "18140"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("refused on 2025-06-10"), std::string::npos) << r.out;
  r = Ins({"outreach", "--db", db_, "--soum", "18140"});
  EXPECT_EQ(r.out.find(kBold), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 recent refusal(s)"), std::string::npos) << r.err;
  // Errors.
  EXPECT_EQ(Ins({"outreach", "--db", db_}).code, 2);  // Needs a soum.
  EXPECT_EQ(
      Ins({"visit", "--db", db_, "--person", kBold, "--outcome", "maybe"}).code,
      2);
  EXPECT_EQ(Ins({"visit", "--db", db_, "--person", kOyun, "--outcome",
                 "enrolled", "--soum", "18140"})
                .code,
            6);  // Outside the officer's soum: refused.
}

TEST_F(InsuranceCliTest, PensionFromTheLedgerAndWhatIf) {
  auto r = Ins({"pension", "--db", db_, "--person", kBold, "--more-years", "0",
                "30", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["projections"].size(), 2u);
  EXPECT_FALSE(j["projections"][0]["eligible"].get<bool>());
  EXPECT_TRUE(j["projections"][1]["eligible"].get<bool>());
  EXPECT_EQ(j["as_of"], "2025-06-15");
  r = Ins({"pension", "--birth-date", "1995-04-01", "--sex", "M", "--years",
           "3", "--herding-years", "3", "--income", "792000", "--more-years",
           "20", "--as-of", "2025-06-15", "--lang", "mn"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Тэтгэвэрт гарах"), std::string::npos) << r.out;
  r = Ins({"pension", "--birth-date", "1995-04-01", "--sex", "M",
           "--more-years", "20"});
  EXPECT_NE(r.out.find("Retire on"), std::string::npos) << r.out;
  EXPECT_EQ(Ins({"pension", "--sex", "M"}).code, 2);
  EXPECT_EQ(Ins({"pension", "--person", kBold}).code, 2);  // Needs --db.
  EXPECT_EQ(Ins({"pension", "--birth-date", "1995-04-01", "--sex", "M",
                 "--years", "2", "--herding-years", "3"})
                .code,
            2);
  EXPECT_EQ(Ins({"pension", "--birth-date", "1995-04-01", "--sex", "M",
                 "--more-years", "99"})
                .code,
            2);
  EXPECT_EQ(
      Ins({"pension", "--db", db_, "--person", kOyun, "--soum", "18140"}).code,
      3);
}

TEST_F(InsuranceCliTest, SeedDemoWritesOnceForTheWholeRegister) {
  auto r = Ins({"seed-demo", "--db", db_, "--seed", "7"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("demo insurance histories 2019-01..2025-06 for 3 "
                       "herders"),
            std::string::npos)
      << r.out;
  // Only into an empty ledger.
  EXPECT_EQ(Ins({"seed-demo", "--db", db_}).code, 5);
  // It writes the whole register: no area option.
  EXPECT_EQ(Ins({"seed-demo", "--db", db_, "--soum", "18140"}).code, 1);
}

}  // namespace
}  // namespace malchin::insurance
