// A thin RAII layer over the SQLite C API, private to the SQLite backend: a
// connection, prepared statements with typed binding, and a transaction
// guard that rolls back unless committed. Errors become Status values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin::backends::sqlite {

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Db* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  // Binding (1-based indexes). Chainable; errors surface at Step().
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view v);  // Copied (SQLITE_TRANSIENT).
  Stmt& Bind(int i, const std::string& v) {
    return Bind(i, std::string_view(v));
  }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view bytes);  // A BLOB, copied.
  Stmt& Bind(int i, const std::optional<double>& v);
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& BindNull(int i);
  // Binds a named parameter (":area"); nothing if the statement has none.
  Stmt& BindNamed(const char* name, int64_t v);

  // true: a row is ready; false: done. Resets the statement when done.
  Result<bool> Step();
  // Runs to completion (for writes); resets the statement.
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  int ColumnType(int col) const { return sqlite3_column_type(s_, col); }
  bool IsNull(int col) const {
    return sqlite3_column_type(s_, col) == SQLITE_NULL;
  }
  std::string_view Text(int col) const;

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int flags);
  ~Db();

  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // A Status for the last error on this connection.
  Status Error(std::string_view what) const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// Registers Malchin's SQL functions on `db`: malchin_name_key(text), the
// text::NameKey that migration 7's name index is built on (deterministic,
// innocuous). Every connection needs it before it writes persons.
Status RegisterSqlFunctions(Db& db);

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless
// Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Db* db);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
  bool done_ = false;
};

}  // namespace malchin::backends::sqlite
