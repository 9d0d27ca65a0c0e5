#include "backends/testing/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "backends/open.h"
#include "backends/testing/pg_hooks.h"
#include "backends/testing/sqlite_hooks.h"
#include "store/url.h"

namespace malchin::backends::testing {

std::vector<store::Engine> TestEngines() {
  return {store::Engine::kSqlite, store::Engine::kPostgres};
}

std::string EngineUnavailable(store::Engine engine) {
  if (engine == store::Engine::kPostgres && PgClusterUrl().empty()) {
    return "PostgreSQL tests need MALCHIN_TEST_PG_URL (a cluster where the "
           "user may create databases; scripts/pg_test_cluster.sh start DIR "
           "makes one and prints it)";
  }
  return "";
}

std::string EngineName(const ::testing::TestParamInfo<store::Engine>& info) {
  return std::string(store::EngineName(info.param));
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::Make(
    store::Engine engine, const store::OpenOptions& options) {
  std::unique_ptr<TestDatabase> t(new TestDatabase());
  t->engine_ = engine;
  static std::atomic<int> next{0};
  std::string unique =
      std::to_string(::getpid()) + "_" + std::to_string(next++);
  if (engine == store::Engine::kSqlite) {
    t->dir_ =
        (std::filesystem::temp_directory_path() / ("malchin_test_" + unique))
            .string();
    std::filesystem::remove_all(t->dir_);
    std::filesystem::create_directories(t->dir_);
    t->path_ = t->dir_ + "/test.db";
    t->url_ = "sqlite:" + t->path_;
  } else {
    if (std::string why = EngineUnavailable(engine); !why.empty()) {
      return Status::FailedPrecondition(why);
    }
    MALCHIN_ASSIGN_OR_RETURN(t->pg_name_, CreatePgTestDatabase());
    t->url_ = WithDatabase(PgClusterUrl(), t->pg_name_);
  }
  MALCHIN_ASSIGN_OR_RETURN(t->db_, OpenDatabase(t->url_, options));
  return t;
}

Status TestDatabase::Reopen(const store::OpenOptions& options) {
  db_.reset();
  MALCHIN_ASSIGN_OR_RETURN(db_, OpenDatabase(url_, options));
  return Status::Ok();
}

Status TestDatabase::Discard() {
  db_.reset();
  if (engine_ == store::Engine::kPostgres) return EmptyPgTestDatabase(pg_name_);
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path_ + suffix, ec);
    if (ec) return Status::Internal("removing " + path_ + suffix);
  }
  return Status::Ok();
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!pg_name_.empty()) DropPgTestDatabase(pg_name_);
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Result<TestStore> OpenTestStore(store::Engine engine) {
  TestStore t;
  MALCHIN_ASSIGN_OR_RETURN(t.database, TestDatabase::Make(engine));
  MALCHIN_ASSIGN_OR_RETURN(t.session, t.database->Connect());
  return t;
}

void EngineTest::SetUp() {
  MALCHIN_SKIP_WITHOUT_ENGINE(GetParam());
  auto t = OpenTestStore(GetParam());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  test_ = std::move(*t);
}

void EngineTest::TearDown() {
  test_.session.reset();
  test_.database.reset();
}

std::unique_ptr<store::Session> EngineTest::Connect(
    const store::AreaFilter& area, const std::string& actor) {
  auto s = database().Connect();
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return nullptr;
  (*s)->SetCaller({actor, "", area});
  return std::move(*s);
}

Status EngineTest::Reconnect(const store::OpenOptions& options) {
  test_.session.reset();
  MALCHIN_RETURN_IF_ERROR(database().Reopen(options));
  MALCHIN_ASSIGN_OR_RETURN(test_.session, database().Connect());
  return Status::Ok();
}

const std::vector<store::Migration>& EngineMigrations(store::Engine engine) {
  static const std::vector<store::Migration> kNone;
  if (engine == store::Engine::kSqlite) return SqliteMigrations();
  if (engine == store::Engine::kPostgres) return PgMigrations();
  return kNone;
}

Result<std::unique_ptr<RawConnection>> RawConnection::Open(
    TestDatabase& db, bool engine_functions) {
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl u,
                           store::ParseDatabaseUrl(db.url()));
  if (u.engine == store::Engine::kSqlite) {
    return OpenSqliteRawConnection(u.path, engine_functions);
  }
  if (u.engine == store::Engine::kPostgres)
    return OpenPgRawConnection(db.url());
  return Status::Unavailable("no raw connection to " + u.redacted);
}

Status ExecRawSql(TestDatabase& db, std::string_view sql) {
  MALCHIN_ASSIGN_OR_RETURN(auto raw, RawConnection::Open(db));
  return raw->Exec(sql);
}

Result<std::vector<std::vector<std::string>>> QueryRawSql(
    TestDatabase& db, std::string_view sql) {
  MALCHIN_ASSIGN_OR_RETURN(auto raw, RawConnection::Open(db));
  return raw->Query(sql);
}

::testing::AssertionResult RawSqlRefused(TestDatabase& db,
                                         std::string_view sql) {
  auto raw = RawConnection::Open(db);
  if (!raw.ok()) {
    return ::testing::AssertionFailure() << raw.status().ToString();
  }
  Status s = (*raw)->Exec(sql);
  if (s.ok()) {
    return ::testing::AssertionFailure() << "the database ran: " << sql;
  }
  if (s.code() != StatusCode::kAlreadyExists) {
    return ::testing::AssertionFailure()
           << "failed, but not by a constraint: " << s.ToString();
  }
  return ::testing::AssertionSuccess() << s.ToString();
}

Result<std::vector<std::string>> PreparedQueryPlans(store::Session& session,
                                                    std::string_view pattern) {
  if (session.engine() == store::Engine::kSqlite) {
    return SqlitePreparedQueryPlans(session, pattern);
  }
  return PgPreparedQueryPlans(session, pattern);
}

}  // namespace malchin::backends::testing
