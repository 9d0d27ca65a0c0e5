// Opening a SQLite database: the connection's settings, the name-key SQL
// function, and the migrations.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "backends/sqlite/session.h"
#include "store/migrations.h"

namespace malchin::backends::sqlite {

const std::vector<store::Migration>& Migrations();  // Generated.

namespace {

// Opens one connection with this engine's settings.
Result<std::unique_ptr<Db>> Connect(const std::string& path, int flags,
                                    bool read_only) {
  MALCHIN_ASSIGN_OR_RETURN(auto db, Db::Open(path, flags));
  // A file that is not a database fails on the first read.
  Status probe = db->Exec("SELECT count(*) FROM sqlite_master");
  if (!probe.ok()) {
    return Status::DataLoss(path + " is not a Malchin database (" +
                            probe.message() + ")");
  }
  if (!read_only) MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  // Reads map the file instead of copying each page in with pread(): the
  // server's lookups spend far less time in the kernel (docs/server.md).
  // SQLite caps this at its compile-time limit (2 GiB on Debian).
  MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA mmap_size=2147418112"));
  // A mapped file that grows page by page (the audit trail of reads grows
  // it at every checkpoint) is remapped by every connection each time; a
  // large register grows in 32 MiB steps instead. Small files (tests, a
  // soum's register) keep growing exactly.
  if (struct stat st{};
      ::stat(path.c_str(), &st) == 0 && st.st_size >= (int64_t{256} << 20)) {
    int chunk = 32 << 20;
    sqlite3_file_control(db->raw(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
  }
  MALCHIN_RETURN_IF_ERROR(RegisterSqlFunctions(*db));
  MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  return db;
}

// The triggers now in the schema (name, sql).
Result<std::vector<std::pair<std::string, std::string>>> Triggers(Db& db) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt t,
      db.Prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"));
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, t.Step());
    if (!row) return out;
    out.emplace_back(t.Text(0), t.Text(1));
  }
}

// A migration that rebuilds a table (DROP + RENAME) drops its triggers;
// those of earlier migrations are put back unless it drops them by name.
Status RestoreTriggers(
    Db& db, const store::Migration& m,
    const std::vector<std::pair<std::string, std::string>>& before) {
  MALCHIN_ASSIGN_OR_RETURN(auto after, Triggers(db));
  for (const auto& trigger : before) {
    const std::string& name = trigger.first;
    const std::string& sql = trigger.second;
    if (m.sql.find("DROP TRIGGER " + name) != std::string_view::npos) continue;
    bool still = std::any_of(after.begin(), after.end(),
                             [&](const auto& t) { return t.first == name; });
    if (!still) {
      MALCHIN_RETURN_IF_ERROR(
          db.Exec(sql).WithContext("migration " + std::to_string(m.version) +
                                   ": restoring trigger " + name));
    }
  }
  return Status::Ok();
}

// Migrations run with foreign keys off (SQLite's way to rebuild a table
// that others refer to); one that drops a table must leave every reference
// intact (the check reads every referring row, so only then).
Status CheckReferences(Db& db, const store::Migration& m) {
  if (m.sql.find("DROP TABLE") == std::string_view::npos) return Status::Ok();
  MALCHIN_ASSIGN_OR_RETURN(Stmt fk, db.Prepare("PRAGMA foreign_key_check"));
  MALCHIN_ASSIGN_OR_RETURN(bool broken, fk.Step());
  if (!broken) return Status::Ok();
  std::string where = std::string(fk.Text(0)) + " row " +
                      std::to_string(fk.Int(1)) + " refers to a missing " +
                      std::string(fk.Text(2));
  fk.Reset();
  return Status::DataLoss(
      db.path() + ": migration " + std::to_string(m.version) + " (" +
      std::string(m.name) + ") would break a reference: " + where +
      "; nothing was changed");
}

Status Apply(Db& db, const store::Migration& m) {
  MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(&db));
  MALCHIN_ASSIGN_OR_RETURN(auto triggers, Triggers(db));
  MALCHIN_RETURN_IF_ERROR(
      db.Exec(m.sql).WithContext("migration " + std::to_string(m.version)));
  MALCHIN_RETURN_IF_ERROR(RestoreTriggers(db, m, triggers));
  MALCHIN_RETURN_IF_ERROR(CheckReferences(db, m));
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt ins, db.Prepare("INSERT INTO schema_migrations VALUES (?1, ?2, ?3, "
                           "datetime('now'))"));
  MALCHIN_RETURN_IF_ERROR(ins.Bind(1, m.version)
                              .Bind(2, m.name)
                              .Bind(3, std::string_view(m.Checksum()))
                              .Run());
  return tx->Commit();
}

Status Migrate(Db& db, bool read_only) {
  MALCHIN_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
      "PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at "
      "TEXT NOT NULL)"));
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt q, db.Prepare("SELECT version, checksum FROM schema_migrations "
                         "ORDER BY version"));
  std::vector<store::AppliedMigration> applied;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    applied.push_back({static_cast<int>(q.Int(0)), std::string(q.Text(1))});
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto pending, store::PendingMigrations(Migrations(), applied, db.path()));
  if (!pending.empty() && read_only) {
    return Status::FailedPrecondition(
        db.path() + " needs a schema upgrade; open it once without read-only");
  }
  if (pending.empty()) return Status::Ok();
  MALCHIN_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=OFF"));
  for (const store::Migration* m : pending) {
    Status s = Apply(db, *m);
    if (!s.ok()) {
      (void)db.Exec("PRAGMA foreign_keys=ON");
      return s;
    }
  }
  return db.Exec("PRAGMA foreign_keys=ON");
}

class SqliteDatabase final : public store::Database {
 public:
  SqliteDatabase(std::string path, std::string open_path, int flags,
                 store::OpenOptions options, std::unique_ptr<Db> keep)
      : path_(std::move(path)),
        open_path_(std::move(open_path)),
        url_("sqlite:" + path_),
        flags_(flags),
        options_(options),
        keep_(std::move(keep)) {}

  store::Engine engine() const override { return store::Engine::kSqlite; }
  const std::string& url() const override { return url_; }
  int schema_version() const override {
    return Migrations().empty() ? 0 : Migrations().back().version;
  }

  Result<std::unique_ptr<store::Session>> Connect() override {
    MALCHIN_ASSIGN_OR_RETURN(
        auto db, sqlite::Connect(open_path_, flags_, options_.read_only));
    auto s = std::make_unique<SqliteSession>(std::move(db), url_);
    s->SetClock(options_.clock);
    return std::unique_ptr<store::Session>(std::move(s));
  }

  Result<int64_t> SizeBytes() override {
    int64_t bytes = 0;
    for (const char* suffix : {"", "-wal"}) {
      struct stat st;
      if (::stat((path_ + suffix).c_str(), &st) == 0) bytes += st.st_size;
    }
    return bytes;
  }

 private:
  std::string path_, open_path_, url_;
  int flags_;
  store::OpenOptions options_;
  std::unique_ptr<Db> keep_;  // Keeps a shared in-memory database alive.
};

}  // namespace

Result<std::unique_ptr<store::Database>> OpenSqliteDatabase(
    const std::string& path, const store::OpenOptions& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE |
                                      (options.create ? SQLITE_OPEN_CREATE : 0);
  std::string open_path = path;
  if (path == ":memory:") {
    // Every session of one in-memory database shares it (a named shared
    // cache, private to this Database).
    static std::atomic<int> next{0};
    open_path = "file:malchin-mem-" + std::to_string(::getpid()) + "-" +
                std::to_string(next++) + "?mode=memory&cache=shared";
    flags |= SQLITE_OPEN_URI;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto first,
                           Connect(open_path, flags, options.read_only));
  MALCHIN_RETURN_IF_ERROR(Migrate(*first, options.read_only));
  if (path != ":memory:") first.reset();
  return std::unique_ptr<store::Database>(
      new SqliteDatabase(path, open_path, flags, options, std::move(first)));
}

}  // namespace malchin::backends::sqlite
