#include "backends/postgres/migrate.h"

#include <algorithm>
#include <pqxx/pqxx>

namespace malchin::backends::postgres {
namespace {

// Holds the migration lock for its lifetime (a session lock: released
// when the connection closes, should the process die).
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& conn) : conn_(conn) {}
  Status Take(const PgTarget& target) {
    try {
      pqxx::nontransaction n(conn_);
      n.exec_params("SELECT pg_advisory_lock($1, $2)", kLockClass,
                    kLockMigrations);
      held_ = true;
      return Status::Ok();
    } catch (const std::exception& e) {
      return PgError(e, "waiting for the migration lock", target);
    }
  }
  ~MigrationLock() {
    if (!held_) return;
    try {
      pqxx::nontransaction n(conn_);
      n.exec_params("SELECT pg_advisory_unlock($1, $2)", kLockClass,
                    kLockMigrations);
    } catch (const std::exception&) {
      // The connection is gone, and the lock with it.
    }
  }

 private:
  pqxx::connection& conn_;
  bool held_ = false;
};

Result<std::vector<store::AppliedMigration>> ReadApplied(pqxx::connection& conn,
                                                         const PgTarget& target,
                                                         bool read_only) {
  std::vector<store::AppliedMigration> applied;
  try {
    pqxx::nontransaction n(conn);
    // Created only when missing: an application role without the right to
    // create tables can open a migrated database.
    if (n.exec("SELECT to_regclass('schema_migrations')")[0][0].is_null()) {
      if (read_only) return applied;
      n.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
          "PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
          "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    }
    pqxx::result r = n.exec(
        "SELECT version, checksum FROM schema_migrations ORDER BY version");
    for (const pqxx::row& row : r) {
      applied.push_back({row[0].as<int>(), row[1].as<std::string>()});
    }
  } catch (const std::exception& e) {
    return PgError(e, "reading schema_migrations", target);
  }
  return applied;
}

Status Apply(pqxx::connection& conn, const PgTarget& target,
             const store::Migration& m) {
  try {
    pqxx::work w(conn);
    w.exec(std::string(m.sql));
    w.exec_params(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, "
        "$2, $3)",
        m.version, std::string(m.name), m.Checksum());
    w.commit();
  } catch (const std::exception& e) {
    return PgError(e,
                   "migration " + std::to_string(m.version) + " (" +
                       std::string(m.name) + ")",
                   target);
  }
  return Status::Ok();
}

}  // namespace

Result<int> Migrate(pqxx::connection& conn, const PgTarget& target,
                    const std::vector<store::Migration>& all, bool read_only) {
  MigrationLock lock(conn);
  MALCHIN_RETURN_IF_ERROR(lock.Take(target));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<store::AppliedMigration> applied,
                           ReadApplied(conn, target, read_only));
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<const store::Migration*> pending,
      store::PendingMigrations(all, applied, target.redacted));
  if (!pending.empty() && read_only) {
    return Status::FailedPrecondition(target.redacted +
                                      " needs schema migration " +
                                      std::to_string(pending.front()->version) +
                                      "; open it once without read-only");
  }
  int newest = 0;
  for (const store::AppliedMigration& a : applied) {
    newest = std::max(newest, a.version);
  }
  for (const store::Migration* m : pending) {
    MALCHIN_RETURN_IF_ERROR(Apply(conn, target, *m));
    newest = std::max(newest, m->version);
  }
  return newest;
}

}  // namespace malchin::backends::postgres
