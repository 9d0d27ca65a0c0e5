// The SQLite engine's Session and Database (store/session.h,
// store/database.h), private to src/backends/sqlite. Repositories of this
// engine reach the connection through SqliteSession: statements prepared
// once per connection by name (Prepared), the one area-scoping fragment
// (AreaCondition) and the session's transactions.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>

#include "backends/sqlite/db.h"
#include "store/database.h"
#include "store/session.h"

namespace malchin::backends::sqlite {

class SqliteSession;

// A condition restricting a soum column to an area, in one of four shapes:
// "1" (national), "0" (nothing: the areas do not overlap), the soum
// (`col = :area`) or the aimag's soums (a range on `col`, index-friendly).
// A statement using it is prepared under `name + key` (at most four
// variants) and bound with Bind. Place it after every numbered parameter
// (?N) of the statement: SQLite gives :area the index after the largest it
// has seen so far, so a ?N written after it may share its index (use named
// parameters, e.g. :limit, after it).
struct AreaClause {
  std::string sql;
  std::string key;  // "#n", "#0", "#s" or "#a".
  int32_t code = 0;
  void Bind(Stmt& s) const {
    if (code) s.BindNamed(":area", code);
  }
};

// How this engine makes each capability's repository. Every
// <capability>_repository.cpp of this folder defines
// `void Register<Capability>Repositories(Factories* f)`; the build finds the
// files and calls them all (all_repositories.cpp).
class Factories {
 public:
  using Make =
      std::function<std::unique_ptr<store::Repository>(SqliteSession&)>;
  template <class Interface, class Impl>
  void Add() {
    table_[std::type_index(typeid(Interface))] = [](SqliteSession& s) {
      return std::unique_ptr<store::Repository>(new Impl(s));
    };
  }
  const Make* Find(std::type_index t) const;
  // Every engine's table, filled once.
  static const Factories& All();

 private:
  std::unordered_map<std::type_index, Make> table_;
};

class SqliteSession final : public store::Session {
 public:
  SqliteSession(std::unique_ptr<Db> db, std::string key);

  store::Engine engine() const override { return store::Engine::kSqlite; }
  const std::string& database_key() const override { return key_; }
  Status Lock(std::string_view) override;
  Result<std::vector<store::AuditRecord>> ListAudit(
      const store::AuditQuery& query) override;
  Result<std::optional<std::string>> GetMeta(std::string_view key) override;
  Status SetMeta(std::string_view key, std::string_view value) override;

  Db& db() { return *db_; }
  // The statement `name`, prepared on first use on this connection and
  // reused (reset, bindings cleared) afterwards.
  Result<Stmt*> Prepared(const std::string& name, std::string_view sql);

  // The one area-scoping fragment of this engine: the condition on a
  // household soum column for the caller's area intersected with
  // `requested` (see AreaClause).
  AreaClause Area(const store::AreaFilter& requested = {},
                  std::string_view soum_column = "h.soum_code") const;

 protected:
  Status Begin(bool write) override;
  Status Commit() override;
  void Rollback() override;
  Result<std::optional<std::pair<int64_t, std::string>>> AuditHead() override;
  Status InsertAudit(const store::AuditRecord& record) override;
  Status ForEachAudit(
      const std::function<void(const store::AuditRecord&)>& fn) override;
  std::unique_ptr<store::Repository> MakeRepository(
      std::type_index type) override;

 private:
  std::unique_ptr<Db> db_;
  std::string key_;
  std::map<std::string, Stmt> prepared_;
};

AreaClause AreaSql(const std::optional<store::AreaFilter>& area,
                   std::string_view column = "h.soum_code");

// Opens (or creates) a SQLite database at `path` and applies pending
// migrations (store/database.h).
Result<std::unique_ptr<store::Database>> OpenSqliteDatabase(
    const std::string& path, const store::OpenOptions& options);

}  // namespace malchin::backends::sqlite
