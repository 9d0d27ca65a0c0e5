#include "backends/sqlite/db.h"

#include <memory>

#include "core/text.h"

namespace malchin::backends::sqlite {

namespace {

// malchin_name_key(text): text::NameKey.
void NameKeyFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const unsigned char* t = sqlite3_value_text(argv[0]);
  if (t == nullptr) {
    sqlite3_result_null(ctx);
    return;
  }
  std::string key = text::NameKey(
      std::string_view(reinterpret_cast<const char*>(t),
                       static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, key.data(), static_cast<int>(key.size()),
                      SQLITE_TRANSIENT);
}

}  // namespace

Status RegisterSqlFunctions(Db& db) {
  if (sqlite3_create_function_v2(
          db.raw(), "malchin_name_key", 1,
          SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
          NameKeyFunction, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return db.Error("registering malchin_name_key");
  }
  return Status::Ok();
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob64(s_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<double>& v) {
  return v ? Bind(i, *v) : BindNull(i);
}
Stmt& Stmt::Bind(int i, const std::optional<std::string>& v) {
  return v ? Bind(i, std::string_view(*v)) : BindNull(i);
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Stmt& Stmt::BindNamed(const char* name, int64_t v) {
  int i = sqlite3_bind_parameter_index(s_, name);
  if (i > 0) sqlite3_bind_int64(s_, i, v);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    Reset();
    return false;
  }
  Status st = db_->Error("step");
  Reset();
  return st;
}

Status Stmt::Run() {
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string_view Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p),
          static_cast<size_t>(sqlite3_column_bytes(s_, col))};
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int flags) {
  // Once per process, before any connection: no global memory statistics
  // (they take a process-wide mutex on every allocation).
  static const bool kConfigured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)kConfigured;
  auto db = std::make_unique<Db>();
  db->path_ = path;
  // A connection is used by one thread at a time (store.h), so it needs no
  // mutex of its own.
  int rc = sqlite3_open_v2(path.c_str(), &db->db_, flags | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db->db_ ? sqlite3_errmsg(db->db_) : sqlite3_errstr(rc);
    return Status(
        rc == SQLITE_CANTOPEN ? StatusCode::kNotFound : StatusCode::kInternal,
        "cannot open database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db->db_, 10000);
  sqlite3_extended_result_codes(db->db_, 1);
  return db;
}

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Status Db::Error(std::string_view what) const {
  int rc = sqlite3_extended_errcode(db_);
  std::string msg =
      std::string(what) + " on " + path_ + ": " + sqlite3_errmsg(db_);
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      return Status(StatusCode::kAlreadyExists, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::DataLoss(msg);
    case SQLITE_READONLY:
      return Status::FailedPrecondition(msg);
    case SQLITE_FULL:
      return Status::ResourceExhausted(msg);
    default:
      return Status::Internal(msg);
  }
}

Status Db::Exec(std::string_view sql) {
  std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("exec");
  }
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
    return Error("prepare");
  }
  return Stmt(this, s);
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Db* db) {
  MALCHIN_RETURN_IF_ERROR(db->Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  MALCHIN_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  done_ = true;
  return Status::Ok();
}

}  // namespace malchin::backends::sqlite
