// Test databases on a throwaway PostgreSQL cluster (MALCHIN_TEST_PG_URL):
// a template database with every migration applied, made once per set of
// migrations, cloned per test.
#include "backends/testing/pg_hooks.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <pqxx/pqxx>
#include <random>

#include "backends/postgres/connection.h"
#include "backends/postgres/open.h"
#include "backends/postgres/session.h"

namespace malchin::backends::testing {
namespace {

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
// transaction (CREATE DATABASE cannot run in one).
Status OnCluster(const std::function<Status(pqxx::nontransaction&)>& fn) {
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl url,
                           store::ParseDatabaseUrl(PgClusterUrl()));
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

// The template's name: one per set of migrations (their checksums).
std::string TemplateName() {
  std::string sums;
  for (const store::Migration& m : postgres::Migrations()) {
    sums += m.Checksum();
  }
  return "malchin_tpl_" + store::Sha256Hex(sums).substr(0, 16);
}

// Makes the template once per cluster and set of migrations: under a
// cluster-wide advisory lock, migrated under a draft name and renamed when
// complete, so a half-made template is never cloned. Nobody connects to it
// afterwards (CREATE DATABASE ... TEMPLATE needs it idle).
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
    MALCHIN_ASSIGN_OR_RETURN(
        store::DatabaseUrl url,
        store::ParseDatabaseUrl(WithDatabase(PgClusterUrl(), draft)));
    auto db = postgres::OpenPostgresDatabase(url, {});
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

// A raw connection: what the database itself refuses (integrity
// violations, the schema's triggers) comes as kAlreadyExists, as from
// SQLite's.
class PgRawConnection final : public RawConnection {
 public:
  PgRawConnection(postgres::PgTarget target,
                  std::unique_ptr<pqxx::connection> c)
      : target_(std::move(target)), c_(std::move(c)) {}
  Status Exec(std::string_view sql) override {
    return Guard([&] {
      pqxx::nontransaction n(*c_);
      n.exec(std::string(sql));
    });
  }
  Result<std::vector<std::vector<std::string>>> Query(
      std::string_view sql) override {
    std::vector<std::vector<std::string>> out;
    MALCHIN_RETURN_IF_ERROR(Guard([&] {
      pqxx::nontransaction n(*c_);
      for (const auto& row : n.exec(std::string(sql))) {
        std::vector<std::string> cells;
        for (const auto& f : row) {
          cells.push_back(f.is_null() ? "NULL" : f.c_str());
        }
        out.push_back(std::move(cells));
      }
    }));
    return out;
  }

 private:
  Status Guard(const std::function<void()>& fn) {
    try {
      fn();
      return Status::Ok();
    } catch (const pqxx::sql_error& e) {
      std::string state = e.sqlstate();
      if (state.rfind("23", 0) == 0 || state == "P0001") {
        return Status::AlreadyExists(target_.Scrub(e.what()));
      }
      return postgres::PgError(e, "raw SQL", target_);
    } catch (const std::exception& e) {
      return postgres::PgError(e, "raw SQL", target_);
    }
  }
  postgres::PgTarget target_;
  std::unique_ptr<pqxx::connection> c_;
};

}  // namespace

std::string PgClusterUrl() {
  const char* url = std::getenv("MALCHIN_TEST_PG_URL");
  return url ? url : "";
}

Result<std::string> CreatePgTestDatabase() {
  MALCHIN_RETURN_IF_ERROR(EnsureTemplate());
  std::string name = UniqueName("malchin_t");
  MALCHIN_RETURN_IF_ERROR(Run("CREATE DATABASE " + Quoted(name) + " TEMPLATE " +
                              Quoted(TemplateName())));
  return name;
}

void DropPgTestDatabase(const std::string& name) {
  (void)Run("DROP DATABASE IF EXISTS " + Quoted(name) + " WITH (FORCE)");
}

Status EmptyPgTestDatabase(const std::string& name) {
  MALCHIN_RETURN_IF_ERROR(
      Run("DROP DATABASE IF EXISTS " + Quoted(name) + " WITH (FORCE)"));
  return Run("CREATE DATABASE " + Quoted(name));
}

const std::vector<store::Migration>& PgMigrations() {
  return postgres::Migrations();
}

Result<std::unique_ptr<RawConnection>> OpenPgRawConnection(
    const std::string& url) {
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl u, store::ParseDatabaseUrl(url));
  postgres::PgTarget target = postgres::PgTarget::From(u);
  MALCHIN_ASSIGN_OR_RETURN(auto c, postgres::Connect(target));
  return std::unique_ptr<RawConnection>(
      new PgRawConnection(std::move(target), std::move(c)));
}

Result<std::vector<std::string>> PgPreparedQueryPlans(
    store::Session& session, std::string_view pattern) {
  auto* s = dynamic_cast<postgres::PgSession*>(&session);
  if (s == nullptr) return Status::Internal("not a PostgreSQL session");
  if (s->in_transaction()) {
    return Status::Internal("query plans are read outside a transaction");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result statements,
      s->ExecuteOnce("SELECT name, statement, cardinality(parameter_types) "
                     "FROM pg_prepared_statements WHERE statement LIKE "
                     "'SELECT %' ORDER BY name"));
  MALCHIN_RETURN_IF_ERROR(
      s->ExecuteOnce("SET plan_cache_mode = force_generic_plan").status());
  std::vector<std::string> plans;
  Status status = Status::Ok();
  for (const pqxx::row& row : statements) {
    std::string sql = row[1].c_str();
    if (sql.find(pattern) == std::string::npos) continue;
    std::string explain =
        "EXPLAIN EXECUTE \"" + std::string(row[0].c_str()) + "\"";
    for (int i = 0, n = row[2].as<int>(); i < n; ++i) {
      explain += i == 0 ? "(NULL" : ", NULL";
      if (i == n - 1) explain += ")";
    }
    Result<pqxx::result> lines = s->ExecuteOnce(explain);
    if (!lines.ok()) {
      status = lines.status();
      break;
    }
    std::string plan = sql + "\n";
    for (const pqxx::row& line : *lines) {
      plan += "  " + std::string(line[0].c_str()) + "\n";
    }
    plans.push_back(std::move(plan));
  }
  MALCHIN_RETURN_IF_ERROR(s->ExecuteOnce("RESET plan_cache_mode").status());
  MALCHIN_RETURN_IF_ERROR(status);
  return plans;
}

Result<std::unique_ptr<EmptyPgDatabase>> EmptyPgDatabase::Create() {
  auto db = std::unique_ptr<EmptyPgDatabase>(new EmptyPgDatabase());
  db->name_ = UniqueName("malchin_empty");
  db->url_ = WithDatabase(PgClusterUrl(), db->name_);
  MALCHIN_RETURN_IF_ERROR(Run("CREATE DATABASE " + Quoted(db->name_)));
  return db;
}

EmptyPgDatabase::~EmptyPgDatabase() { DropPgTestDatabase(name_); }

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
