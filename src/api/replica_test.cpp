// serve --read-db against a real hot standby (docs/deployment.md, "Beyond
// one machine"): statistics and insurance coverage read the standby, writes
// and register reads the primary. Needs two clusters: MALCHIN_TEST_PG_URL (the
// primary) and MALCHIN_TEST_PG_STANDBY_URL (its streaming standby, made by
// scripts/pg_test_cluster.sh standby; scripts/test.sh starts both); skips
// without them. Replication is asynchronous, so the test waits (bounded)
// for the standby to replay up to the primary's position, and pauses replay
// to show which database a route reads.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/test_server.h"
#include "backends/testing/pg_hooks.h"
#include "registry/repository.h"

namespace malchin::api {
namespace {

using backends::testing::OpenPgRawConnection;
using backends::testing::RawConnection;
using nlohmann::json;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The database name of a postgresql:// URL.
std::string DatabaseOf(const std::string& url) {
  std::string rest = url.substr(url.rfind('/') + 1);
  return rest.substr(0, rest.find('?'));
}

std::string One(RawConnection& c, const std::string& sql) {
  auto rows = c.Query(sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
  return rows.ok() && !rows->empty() ? rows->at(0).at(0) : "";
}

// Waits until `standby` has replayed the primary's WAL up to now (or
// `paused` shows its replay state as paused). Bounded at 3 minutes: the
// standby replays everything the whole suite writes (every test database),
// and on a loaded 2-core machine it may lag well behind the primary. On
// failure it says where the standby stands, so a lag and a broken stream
// read differently.
void WaitFor(RawConnection& standby, const std::string& condition) {
  for (int i = 0; i < 18000; ++i) {
    if (One(standby, "SELECT " + condition) == "t") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "the standby never reached: " << condition
                << "; replayed up to "
                << One(standby, "SELECT pg_last_wal_replay_lsn()::text")
                << ", received up to "
                << One(standby, "SELECT pg_last_wal_receive_lsn()::text")
                << ", receiver "
                << One(standby,
                       "SELECT coalesce((SELECT status FROM "
                       "pg_stat_wal_receiver), 'not running')");
}
void WaitForReplay(RawConnection& primary, RawConnection& standby) {
  const std::string lsn =
      One(primary, "SELECT pg_current_wal_insert_lsn()::text");
  WaitFor(standby, "pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn");
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("MALCHIN_TEST_PG_URL").empty() ||
        Env("MALCHIN_TEST_PG_STANDBY_URL").empty()) {
      GTEST_SKIP() << "needs MALCHIN_TEST_PG_URL and "
                      "MALCHIN_TEST_PG_STANDBY_URL (scripts/test.sh)";
    }
    auto db = backends::testing::TestDatabase::Make(store::Engine::kPostgres);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    primary_db_ = std::move(*db);
    const std::string standby_url = backends::testing::WithDatabase(
        Env("MALCHIN_TEST_PG_STANDBY_URL"), DatabaseOf(primary_db_->url()));
    auto p = OpenPgRawConnection(primary_db_->url());
    auto s = OpenPgRawConnection(Env("MALCHIN_TEST_PG_STANDBY_URL"));
    ASSERT_TRUE(p.ok() && s.ok());
    primary_ = std::move(*p);
    standby_ = std::move(*s);
    ASSERT_NO_FATAL_FAILURE(WaitForReplay(*primary_, *standby_));
    TestServerOptions o;
    o.database_url = primary_db_->url();
    o.read_database_url = standby_url;
    server_ = std::make_unique<TestServer>("malchin_replica", o);
    ASSERT_NO_FATAL_FAILURE(server_->Start({"nat"}, [](store::Session& s) {
      ASSERT_TRUE(s.Get<registry::Repository>()
                      .Upsert({TestHousehold("T1", 18140)},
                              {TestHead("ИЗ85120320", "T1", "1985-12-03")},
                              {"seed", ""})
                      .ok());
    }));
    token_ = server_->Login("nat");
  }
  void TearDown() override {
    // Never leave the standby paused for the next test.
    if (standby_) (void)standby_->Exec("SELECT pg_wal_replay_resume()");
  }

  int64_t PersonsInStats() {
    auto r = server_->Call(token_, "GET", "/api/v1/stats");
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = json::parse(r.body);
    int64_t n = 0;
    for (const auto& a : body["areas"]) {
      n += a["persons"].get<int64_t>();
    }
    return n;
  }

  // Persons in the insurance coverage table (everyone, every age).
  int64_t PersonsInCoverage() {
    auto r = server_->Call(token_, "GET",
                           "/api/v1/insurance/coverage?all_persons=true&"
                           "all_ages=true&month=2020-01");
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = json::parse(r.body);
    int64_t n = 0;
    for (const auto& cell : body["cells"]) n += cell["persons"].get<int64_t>();
    return n;
  }

  std::unique_ptr<backends::testing::TestDatabase> primary_db_;
  std::unique_ptr<RawConnection> primary_, standby_;
  std::unique_ptr<TestServer> server_;
  std::string token_;
};

TEST_F(ReplicaTest, StatisticsReadTheStandbyWritesThePrimary) {
  ASSERT_NO_FATAL_FAILURE(WaitForReplay(*primary_, *standby_));
  EXPECT_EQ(PersonsInStats(), 1);
  EXPECT_EQ(PersonsInCoverage(), 1);

  // Replay paused: a person added on the primary is found there at once,
  // but the statistics (read from the standby) do not count them yet.
  ASSERT_TRUE(standby_->Exec("SELECT pg_wal_replay_pause()").ok());
  ASSERT_NO_FATAL_FAILURE(
      WaitFor(*standby_, "pg_get_wal_replay_pause_state() = 'paused'"));
  {
    auto s = primary_db_->Connect();
    ASSERT_TRUE(s.ok());
    registry::Person child = TestHead("ИЗ17210120", "T1", "2017-01-01");
    child.relation = registry::Relation::kChild;
    ASSERT_TRUE((*s)->Get<registry::Repository>()
                    .Upsert({}, {child}, {"test", ""})
                    .ok());
  }
  EXPECT_EQ(server_->Call(token_, "GET", "/api/v1/persons/ИЗ17210120").status,
            200);
  EXPECT_EQ(PersonsInStats(), 1);
  EXPECT_EQ(PersonsInCoverage(), 1);

  // Replay resumed and caught up: the statistics count them.
  ASSERT_TRUE(standby_->Exec("SELECT pg_wal_replay_resume()").ok());
  ASSERT_NO_FATAL_FAILURE(WaitForReplay(*primary_, *standby_));
  EXPECT_EQ(PersonsInStats(), 2);
  EXPECT_EQ(PersonsInCoverage(), 2);
}

}  // namespace
}  // namespace malchin::api
