#include "backends/testing/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <pqxx/pqxx>
#include <random>

#include "backends/postgres/connection.h"
#include "backends/postgres/open.h"

namespace malchin::backends::testing {
namespace {

std::string ClusterUrl() {
  const char* url = std::getenv("MALCHIN_TEST_PG_URL");
  return url ? url : "";
}

// A name no other test (process) uses: prefix, process, counter, random.
std::string UniqueName(std::string_view prefix) {
  static std::atomic<int> counter{0};
  static const uint32_t salt = std::random_device{}();
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.*s_%d_%d_%08x",
                static_cast<int>(prefix.size()), prefix.data(),
                static_cast<int>(getpid()), counter.fetch_add(1), salt);
  return buf;
}

// Runs `fn` on a connection to the cluster's own database, outside any
// transaction (CREATE DATABASE cannot run in one); its status, or the
// Status of what libpqxx threw.
Status OnCluster(const std::function<Status(pqxx::nontransaction&)>& fn) {
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl url,
                           store::ParseDatabaseUrl(ClusterUrl()));
  postgres::PgTarget target = postgres::PgTarget::From(url);
  try {
    pqxx::connection c(target.conninfo);
    pqxx::nontransaction n(c);
    return fn(n);
  } catch (const std::exception& e) {
    return postgres::PgError(e, "test cluster", target);
  }
}

Status Run(const std::string& sql) {
  return OnCluster([&](pqxx::nontransaction& n) {
    n.exec(sql);
    return Status::Ok();
  });
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

Result<std::unique_ptr<store::Database>> OpenPg(
    const std::string& url, const store::OpenOptions& options) {
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl parsed,
                           store::ParseDatabaseUrl(url));
  return postgres::OpenPostgresDatabase(parsed, options);
}

// The template's name: one per set of migrations (their checksums).
std::string TemplateName() {
  std::string sums;
  for (const store::Migration& m : postgres::Migrations()) {
    sums += m.Checksum();
  }
  return "malchin_tpl_" + store::Sha256Hex(sums).substr(0, 16);
}

// Makes the template database once per cluster and set of migrations:
// under a cluster-wide advisory lock (the connection's, held while
// migrating), migrated under a draft name and renamed when complete, so a
// half-made template is never cloned. Nobody connects to it afterwards
// (ALLOW_CONNECTIONS false): CREATE DATABASE ... TEMPLATE needs it idle.
Status EnsureTemplate() {
  static std::mutex mu;
  static bool ready = false;
  std::lock_guard<std::mutex> lock(mu);
  if (ready) return Status::Ok();
  const std::string name = TemplateName();
  MALCHIN_RETURN_IF_ERROR(OnCluster([&](pqxx::nontransaction& n) -> Status {
    n.exec_params("SELECT pg_advisory_lock($1, $2)", postgres::kLockClass,
                  postgres::kLockTestTemplate);
    if (!n.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name)
             .empty()) {
      return Status::Ok();
    }
    const std::string draft = UniqueName(name + "_draft");
    n.exec("CREATE DATABASE " + Quoted(draft));
    Result<std::unique_ptr<store::Database>> db =
        OpenPg(WithDatabase(ClusterUrl(), draft), {});
    if (!db.ok()) {
      n.exec("DROP DATABASE " + Quoted(draft));
      return db.status().WithContext("making the test template");
    }
    db->reset();
    n.exec("ALTER DATABASE " + Quoted(draft) + " RENAME TO " + Quoted(name));
    n.exec("ALTER DATABASE " + Quoted(name) + " WITH ALLOW_CONNECTIONS false");
    return Status::Ok();
  }));
  ready = true;
  return Status::Ok();
}

class PgTestDatabase final : public TestDatabase {
 public:
  explicit PgTestDatabase(std::string name) : name_(std::move(name)) {
    url_ = WithDatabase(ClusterUrl(), name_);
  }
  ~PgTestDatabase() override {
    db_.reset();
    (void)Run("DROP DATABASE IF EXISTS " + Quoted(name_) + " WITH (FORCE)");
  }

 private:
  std::string name_;
};

class SqliteTestDatabase final : public TestDatabase {
 public:
  explicit SqliteTestDatabase(std::string path) { url_ = std::move(path); }
  ~SqliteTestDatabase() override {
    db_.reset();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(url_ + suffix, ignored);
    }
  }
};

Result<std::unique_ptr<TestDatabase>> OpenPgTestDatabase(
    const store::OpenOptions& options) {
  MALCHIN_RETURN_IF_ERROR(EnsureTemplate());
  auto db = std::make_unique<PgTestDatabase>(UniqueName("malchin_t"));
  const std::string name = db->url().substr(db->url().rfind('/') + 1);
  MALCHIN_RETURN_IF_ERROR(Run("CREATE DATABASE " + Quoted(name) + " TEMPLATE " +
                              Quoted(TemplateName())));
  MALCHIN_RETURN_IF_ERROR(db->Reopen(options));
  return std::unique_ptr<TestDatabase>(std::move(db));
}

}  // namespace

std::unique_ptr<store::Session> TestDatabase::Connect() {
  Result<std::unique_ptr<store::Session>> s = db_->Connect();
  if (!s.ok()) {
    ADD_FAILURE() << "cannot connect to a test database: "
                  << s.status().ToString();
    return nullptr;
  }
  return std::move(*s);
}

Status TestDatabase::Reopen(const store::OpenOptions& options) {
  db_.reset();
  Result<std::unique_ptr<store::Database>> db =
      url_.rfind("postgresql://", 0) == 0
          ? OpenPg(url_, options)
          : OpenSqliteTestDatabase(url_, options);
  if (!db.ok()) return db.status();
  db_ = std::move(*db);
  return Status::Ok();
}

Result<std::unique_ptr<TestDatabase>> OpenTestDatabase(
    store::Engine engine, const store::OpenOptions& options) {
  if (std::string why = EngineUnavailable(engine); !why.empty()) {
    return Status::FailedPrecondition(why);
  }
  if (engine == store::Engine::kPostgres) return OpenPgTestDatabase(options);
  auto db = std::make_unique<SqliteTestDatabase>(
      (std::filesystem::temp_directory_path() /
       (UniqueName("malchin_test") + ".db"))
          .string());
  MALCHIN_RETURN_IF_ERROR(db->Reopen(options));
  return std::unique_ptr<TestDatabase>(std::move(db));
}

std::vector<store::Engine> TestEngines() {
  return {store::Engine::kSqlite, store::Engine::kPostgres};
}

std::string EngineName(const ::testing::TestParamInfo<store::Engine>& info) {
  return std::string(store::EngineName(info.param));
}

std::string EngineUnavailable(store::Engine engine) {
  if (engine == store::Engine::kPostgres && ClusterUrl().empty()) {
    return "PostgreSQL tests need MALCHIN_TEST_PG_URL (a cluster where the "
           "user may create databases; scripts/pg_test_cluster.sh start DIR "
           "makes one and prints it)";
  }
  return "";
}

Result<std::unique_ptr<EmptyPgDatabase>> EmptyPgDatabase::Create() {
  auto db = std::unique_ptr<EmptyPgDatabase>(new EmptyPgDatabase());
  db->name_ = UniqueName("malchin_empty");
  db->url_ = WithDatabase(ClusterUrl(), db->name_);
  MALCHIN_RETURN_IF_ERROR(Run("CREATE DATABASE " + Quoted(db->name_)));
  return db;
}

EmptyPgDatabase::~EmptyPgDatabase() {
  (void)Run("DROP DATABASE IF EXISTS " + Quoted(name_) + " WITH (FORCE)");
}

std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t q = url.find('?', start);
  size_t end = q == std::string::npos ? url.size() : q;
  size_t slash = url.find('/', start);
  if (slash == std::string::npos || slash > end) {
    return url.substr(0, end) + "/" + name + url.substr(end);
  }
  return url.substr(0, slash + 1) + name + url.substr(end);
}

}  // namespace malchin::backends::testing
