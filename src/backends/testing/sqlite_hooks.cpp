#include "backends/testing/sqlite_hooks.h"

#include "backends/sqlite/session.h"

namespace malchin::backends {
namespace sqlite {
const std::vector<store::Migration>& Migrations();  // Generated.
}  // namespace sqlite

namespace testing {
namespace {

class SqliteRawConnection final : public RawConnection {
 public:
  explicit SqliteRawConnection(std::unique_ptr<sqlite::Db> db)
      : db_(std::move(db)) {}
  Status Exec(std::string_view sql) override { return db_->Exec(sql); }
  Result<std::vector<std::vector<std::string>>> Query(
      std::string_view sql) override {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db_->raw(), sql.data(), static_cast<int>(sql.size()),
                           &q, nullptr) != SQLITE_OK) {
      return db_->Error("prepare");
    }
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      std::vector<std::string> cells;
      for (int c = 0; c < sqlite3_column_count(q); ++c) {
        const unsigned char* t = sqlite3_column_text(q, c);
        cells.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
      }
      rows.push_back(std::move(cells));
    }
    Status s = rc == SQLITE_DONE ? Status::Ok() : db_->Error("query");
    sqlite3_finalize(q);
    if (!s.ok()) return s;
    return rows;
  }

 private:
  std::unique_ptr<sqlite::Db> db_;
};

}  // namespace

const std::vector<store::Migration>& SqliteMigrations() {
  return sqlite::Migrations();
}

Result<std::unique_ptr<RawConnection>> OpenSqliteRawConnection(
    const std::string& path, bool engine_functions) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto db,
      sqlite::Db::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  if (engine_functions) {
    MALCHIN_RETURN_IF_ERROR(sqlite::RegisterSqlFunctions(*db));
  }
  return std::unique_ptr<RawConnection>(new SqliteRawConnection(std::move(db)));
}

Result<std::vector<std::string>> SqlitePreparedQueryPlans(
    store::Session& session, std::string_view pattern) {
  auto* s = dynamic_cast<sqlite::SqliteSession*>(&session);
  if (s == nullptr) return Status::Internal("not a SQLite session");
  sqlite::Db& db = s->db();
  std::vector<std::string> sqls;
  for (sqlite3_stmt* st = sqlite3_next_stmt(db.raw(), nullptr); st != nullptr;
       st = sqlite3_next_stmt(db.raw(), st)) {
    std::string sql = sqlite3_sql(st);
    if (sql.find(pattern) != std::string::npos) sqls.push_back(sql);
  }
  std::vector<std::string> plans;
  for (const std::string& sql : sqls) {
    MALCHIN_ASSIGN_OR_RETURN(sqlite::Stmt q,
                             db.Prepare("EXPLAIN QUERY PLAN " + sql));
    std::string plan = sql + "\n";
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      plan += "  " + std::string(q.Text(3)) + "\n";
    }
    plans.push_back(plan);
  }
  return plans;
}

}  // namespace testing
}  // namespace malchin::backends
