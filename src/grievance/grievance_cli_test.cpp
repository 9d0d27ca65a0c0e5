// The `malchin grievance ...` and `... correction ...` commands
// (src/cli/grievance_commands.cpp, grievance_catalogue_commands.cpp,
// correction_commands.cpp), run in-process on a small register: intake,
// import, the workflow to closure with the letter, escalation, counts,
// export, the catalogue, confidentiality by account, and a register fix
// approved by a second officer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "auth/accounts.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "grievance/service.h"
#include "registry/repository.h"

namespace malchin::grievance {
namespace {

namespace fs = std::filesystem;

using cli::testing::CliRun;

class GrievanceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = cli::testing::FreshTestDir("malchin-grv-cli");
    auto db = backends::testing::TestDatabase::Make(
        backends::testing::ApiTestEngine());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    database_ = std::move(*db);
    auto s = database_->Connect();
    ASSERT_TRUE(s.ok());
    for (auto [name, role, area] : {std::tuple{"tos", "soum_officer", 18140},
                                    {"zav", "aimag_officer", 181},
                                    {"fp", "gbv_focal_point", 181},
                                    {"nat", "national_officer", 0}}) {
      auth::UserRecord u;
      u.username = name;
      u.password_hash = "$argon2id$test";
      u.role = role;
      u.area_code = area;
      u.created_at = u.updated_at = "2026-11-01T00:00:00Z";
      ASSERT_TRUE((*s)->Get<auth::AccountRepository>().CreateUser(u).ok());
    }
    registry::Household h;
    h.id = "H1";
    h.soum_code = h.current_soum_code = 18140;
    h.herder = true;
    h.herd[registry::Species::kSheep] = 40;
    ASSERT_TRUE((*s)->Get<registry::Repository>()
                    .Upsert({h}, {}, {"test", "fixture"})
                    .ok());
  }
  void TearDown() override {
    database_.reset();
    fs::remove_all(dir_);
  }
  CliRun Cli(std::vector<std::string> args) {
    args.insert(
        args.begin() + (args.size() > 1 && args[1] == "correction" ? 3 : 2),
        {"--db", database_->url()});
    return cli::testing::Run(args);
  }
  std::string File(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  fs::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
};

TEST_F(GrievanceCliTest, FromIntakeToClosure) {
  CliRun r =
      Cli({"grievance", "intake", "--user", "tos", "--category", "not_included",
           "--soum", "18140", "--summary", "Хүүхдийн мөнгө ороогүй", "--name",
           "Бат Сараа", "--register-no", "ИЗ85120320"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("G-"), std::string::npos);
  for (const char* action : {"acknowledge", "start_review"}) {
    r = Cli({"grievance", "move", "--user", "tos", "--id", "1", "--action",
             action});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  r = Cli({"grievance", "move", "--user", "tos", "--id", "1", "--action",
           "resolve"});
  EXPECT_EQ(r.code, 2);  // A resolution needs its text.
  r = Cli({"grievance", "move", "--user", "tos", "--id", "1", "--action",
           "resolve", "--text", "Дараагийн сард олгоно."});
  ASSERT_EQ(r.code, 0) << r.err;
  r = Cli(
      {"grievance", "move", "--user", "tos", "--id", "1", "--action", "close"});
  EXPECT_EQ(r.code, 5);  // The outcome letter is not printed yet.
  r = Cli({"grievance", "show", "--user", "tos", "--id", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("notice 2 outcome letter to_print"), std::string::npos)
      << r.out;
  r = Cli({"grievance", "letter", "--user", "tos", "--id", "1", "--notice", "2",
           "--printed"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ГОМДОЛ, ХҮСЭЛТИЙН ХАРИУ"), std::string::npos);
  r = Cli(
      {"grievance", "move", "--user", "tos", "--id", "1", "--action", "close"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("closed"), std::string::npos);
  r = Cli({"grievance", "stats", "--user", "zav", "--by", "category"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("not_included: 1 case(s)"), std::string::npos) << r.out;
  r = Cli({"grievance", "export", "--user", "zav"});
  EXPECT_NE(r.out.find("G-"), std::string::npos);
}

TEST_F(GrievanceCliTest, ConfidentialByAccountAndEscalation) {
  CliRun r = Cli({"grievance", "intake", "--user", "tos", "--category",
                  "gbv_disclosure", "--soum", "18140", "--summary", "x",
                  "--received-on", Date::TodayUtc().AddDays(-30).ToString(),
                  "--anonymous"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("will not see it again"), std::string::npos);
  r = Cli({"grievance", "list", "--user", "tos"});
  EXPECT_NE(r.out.find("0 complaint(s)"), std::string::npos);
  EXPECT_EQ(Cli({"grievance", "show", "--user", "tos", "--id", "1"}).code, 3);
  r = Cli({"grievance", "show", "--user", "fp", "--id", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Overdue for weeks: the system escalates it, and no more that day.
  r = Cli({"grievance", "escalate"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 escalated"), std::string::npos) << r.out;
  r = Cli({"grievance", "escalate"});
  EXPECT_NE(r.out.find("0 escalated"), std::string::npos) << r.out;
  r = Cli({"grievance", "show", "--user", "fp", "--id", "1"});
  EXPECT_NE(r.out.find("aimag level"), std::string::npos) << r.out;
  // Without an account nothing is read.
  EXPECT_EQ(Cli({"grievance", "list", "--user", "nobody"}).code, 3);
}

TEST_F(GrievanceCliTest, TheAccusedNamedAfterIntakeNoLongerSeesIt) {
  CliRun r = Cli({"grievance", "intake", "--user", "zav", "--category",
                  "staff_conduct", "--soum", "18140", "--summary",
                  "Ажилтан мөнгө нэхсэн", "--anonymous"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(Cli({"grievance", "show", "--user", "tos", "--id", "1"}).code, 0);
  // Not by a soum officer; by the aimag officer, once.
  EXPECT_EQ(Cli({"grievance", "accused", "--user", "tos", "--id", "1",
                 "--officer", "nat"})
                .code,
            6);
  r = Cli({"grievance", "accused", "--user", "zav", "--id", "1", "--officer",
           "tos"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("tos can no longer see"), std::string::npos) << r.out;
  EXPECT_EQ(Cli({"grievance", "show", "--user", "tos", "--id", "1"}).code, 3);
  r = Cli({"grievance", "list", "--user", "tos"});
  EXPECT_NE(r.out.find("0 complaint(s)"), std::string::npos) << r.out;
  EXPECT_NE(Cli({"grievance", "accused", "--user", "zav", "--id", "1",
                 "--officer", "nat"})
                .code,
            0);
}

TEST_F(GrievanceCliTest, AuditShowMasksConfidentialComplaints) {
  ASSERT_EQ(Cli({"grievance", "intake", "--user", "tos", "--category",
                 "gbv_disclosure", "--soum", "18140", "--summary", "x",
                 "--anonymous"})
                .code,
            0);
  ASSERT_EQ(
      Cli({"grievance", "intake", "--user", "tos", "--category", "feedback",
           "--soum", "18140", "--summary", "y", "--anonymous"})
          .code,
      0);
  CliRun r = Cli({"audit", "show", "--json", "--limit", "1000"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto all = nlohmann::json::parse(r.out);
  int masked = 0, shown = 0;
  for (const auto& e : all) {
    if (e["entity_type"] != "grievance") continue;
    EXPECT_NE(e["entity_id"], "1") << e.dump();
    if (e["entity_id"] == "confidential") {
      ++masked;
      EXPECT_TRUE(e["after"].is_null());
    } else {
      ++shown;
    }
  }
  EXPECT_GE(masked, 1);  // The confidential intake, in its place.
  EXPECT_GE(shown, 1);   // The ordinary one, as it is.
  r = Cli({"audit", "show"});
  EXPECT_EQ(r.out.find("grievance 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("grievance confidential"), std::string::npos);
}

TEST_F(GrievanceCliTest, ImportCatalogueAndARegisterFix) {
  std::string forms = File("forms.csv",
                           "id,category,soum_code,summary\n"
                           "p1,data_correction,18140,Малын тоо буруу\n");
  CliRun r = Cli({"grievance", "import", "--user", "zav", "--file", forms});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 complaint(s) imported"), std::string::npos);
  std::string bad = File("bad.csv",
                         "id,category,soum_code,summary\n"
                         "p2,weather,18140,x\n");
  r = Cli({"grievance", "import", "--user", "zav", "--file", bad});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  std::string cats = File(
      "cats.json",
      R"({"categories": {"drought": {"name": {"mn": "Ган", "en": "Drought"}}}})");
  EXPECT_EQ(
      Cli({"grievance", "categories", "--load", cats, "--user", "zav"}).code,
      6);
  r = Cli({"grievance", "categories", "--load", cats, "--user", "nat"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(Cli({"grievance", "categories"}).out.find("drought"),
            std::string::npos);
  EXPECT_NE(Cli({"grievance", "directory", "--soum", "18140"})
                .out.find("ossc_zavkhan"),
            std::string::npos);
  // A register fix, then the registry's own maker-checker.
  for (const char* a : {"acknowledge", "start_review"}) {
    ASSERT_EQ(
        Cli({"grievance", "move", "--user", "tos", "--id", "1", "--action", a})
            .code,
        0);
  }
  store::Caller tos{"tos", "soum_officer", {0, 18140}};
  auto s = database_->Connect();
  ASSERT_TRUE(s.ok());
  (*s)->SetCaller(tos);
  auto ctx = Context::Embedded();
  ASSERT_TRUE(ctx.ok());
  FixRequest fix;
  fix.kind = FixKind::kRegisterCorrection;
  fix.note = "miscounted";
  fix.household_id = "H1";
  fix.changes = {{"sheep", "40", "45"}};
  ASSERT_TRUE(Service(**s, *ctx).RequestFix(1, fix).ok());
  s->reset();
  r = Cli({"register", "correction", "list", "--user", "zav", "--state",
           "pending"});
  EXPECT_NE(r.out.find("\"household_id\":\"H1\""), std::string::npos) << r.out;
  EXPECT_EQ(
      Cli({"register", "correction", "approve", "--user", "tos", "--id", "1"})
          .code,
      6);
  r = Cli({"register", "correction", "approve", "--user", "zav", "--id", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"state\":\"applied\""), std::string::npos);
}

}  // namespace
}  // namespace malchin::grievance
