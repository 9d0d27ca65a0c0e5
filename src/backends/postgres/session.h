// The PostgreSQL engine's Session (store/session.h), private to
// src/backends/postgres. This engine's repositories reach the database
// through PgSession:
//
//   class PgPlans final : public response::Repository {
//    public:
//     explicit PgPlans(PgSession& s) : s_(s) {}
//     Result<Plan> Get(std::string_view code) override {
//       PgArea area = s_.Area({}, "e.soum_code", 2);
//       MALCHIN_ASSIGN_OR_RETURN(pqxx::result r, s_.Prepared(
//           "response.plan_get" + area.key,
//           "SELECT ... WHERE p.code = $1 AND " + area.sql, code, area.value));
//       ...
//
// Transactions: Begin(write) opens READ COMMITTED read-write, Begin(read)
// REPEATABLE READ READ ONLY (one snapshot for the whole Read). A statement
// that fails with a serialization failure (40001) or a deadlock (40P01)
// marks the transaction retryable, and Session::Write runs the body again.
// In PostgreSQL a failed statement aborts the whole transaction: a
// repository that expects a conflict writes ON CONFLICT instead of catching
// the error, and a transaction in which a statement failed never commits
// (Commit rolls back and says so).
//
// Thread-safety: one thread at a time, like every Session.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "backends/postgres/connection.h"
#include "backends/postgres/contract.h"
#include "backends/postgres/values.h"

namespace malchin::backends::postgres {

class PgSession;

// How this engine makes each capability's repository. Every
// src/backends/postgres/<capability>_repository.cpp defines
//   void Register<Capability>Repositories(PgFactories* f) {
//     f->Add<response::Repository>(
//         [](PgSession& s) { return std::make_unique<PgPlans>(s); });
//   }
// and the build calls them all (all_repositories.cpp, generated), so a new
// capability adds its file and edits nothing else.
class PgFactories {
 public:
  using Make = std::function<std::unique_ptr<store::Repository>(PgSession&)>;

  // `make(session)` returns a std::unique_ptr to an implementation of
  // `Interface`. A second Add for the same interface replaces the first.
  template <class Interface, class F>
  void Add(F make) {
    static_assert(std::is_base_of_v<store::Repository, Interface>,
                  "a repository interface derives from store::Repository");
    table_[std::type_index(typeid(Interface))] =
        [make](PgSession& s) -> std::unique_ptr<store::Repository> {
      std::unique_ptr<Interface> r = make(s);
      return r;
    };
  }
  // Null when nothing makes `type`.
  const Make* Find(std::type_index type) const;
  // Every <capability>_repository.cpp of this folder, registered once.
  static const PgFactories& All();

 private:
  std::unordered_map<std::type_index, Make> table_;
};

// The one area-scoping fragment of this engine: the condition on a
// household soum column for the session's caller area intersected with the
// area asked for. `sql` uses the parameter $<param> exactly once whatever
// the shape, so the statement's other parameters keep their numbers; bind
// `value` there and prepare the statement under `name + key` (four shapes
// at most, each with its own plan):
//   "#n" national  `$k::integer = 0`        (true)
//   "#0" none      `$k::integer IS NULL`    (false: the areas do not meet)
//   "#s" a soum    `col = $k`
//   "#a" an aimag  `col BETWEEN $k * 100 AND $k * 100 + 99` (index range)
struct PgArea {
  std::string sql;
  std::string key;
  int32_t value = 0;
};

class PgSession final : public store::Session {
 public:
  // On `conn`, an open connection to `target` (see Connect). `key` is the
  // database's identity (database_key). `read_only`: Begin(write) is
  // refused. `factories`: where repositories come from (tests give their
  // own).
  PgSession(std::unique_ptr<pqxx::connection> conn,
            std::shared_ptr<const PgTarget> target, std::string key,
            bool read_only, const PgFactories* factories = &PgFactories::All());
  ~PgSession() override;

  store::Engine engine() const override { return store::Engine::kPostgres; }
  const std::string& database_key() const override { return key_; }
  // pg_advisory_xact_lock(LockKey(name)): held until the transaction ends.
  // REQUIRES: inside Write (kInternal otherwise).
  Status Lock(std::string_view name) override;
  Result<std::vector<store::AuditRecord>> ListAudit(
      const store::AuditQuery& query) override;
  Result<std::optional<std::string>> GetMeta(std::string_view key) override;
  Status SetMeta(std::string_view key, std::string_view value) override;

  // --- For this engine's repositories -----------------------------------
  // Runs the statement `name` with `args` as $1, $2, ... (each through
  // ToPg; an empty optional is NULL) in the current transaction, or alone
  // (autocommit) outside one. The statement is prepared on this connection
  // the first time `name` is used and reused afterwards; one name is one
  // SQL text for the whole program (kInternal if a name comes back with
  // another text). Errors as PgError.
  template <class... Args>
  Result<pqxx::result> Prepared(const std::string& name, std::string_view sql,
                                const Args&... args) {
    return Execute(name, sql, std::vector<PgValue>{ToPg(args)...});
  }
  // The same with parameters built at run time.
  Result<pqxx::result> Execute(const std::string& name, std::string_view sql,
                               const std::vector<PgValue>& params);
  // Runs `sql` (one or more statements, no parameters) without preparing
  // it: DDL and maintenance, never a repository's routine statements.
  Result<pqxx::result> ExecuteOnce(std::string_view sql);

  // See PgArea. The column is trusted SQL (a literal of the repository).
  PgArea Area(const store::AreaFilter& requested = {},
              std::string_view soum_column = "h.soum_code",
              int param = 1) const;

  // `n` new values of the identity column `column` of `table`, drawn from
  // its own sequence, for a bulk load that writes ids itself (PgCopy).
  // REQUIRES: inside Write.
  Result<std::vector<int64_t>> ReserveIds(std::string_view table,
                                          std::string_view column, int64_t n);

  // The open transaction (null outside one), for PgCopy.
  pqxx::transaction_base* transaction() { return tx_.get(); }
  // The Status for `e` while doing `what`; marks the transaction failed
  // (and retryable after a serialization failure or deadlock).
  Status Fail(const std::exception& e, std::string_view what);
  const PgTarget& target() const { return *target_; }
  // How many statements this session has prepared (each name once).
  int prepares() const { return prepares_; }

 protected:
  Status Begin(bool write) override;
  Status Commit() override;
  void Rollback() override;
  bool TakeRetryable() override;
  Result<std::optional<std::pair<int64_t, std::string>>> AuditHead() override;
  Status InsertAudit(const store::AuditRecord& record) override;
  Status ForEachAudit(
      const std::function<void(const store::AuditRecord&)>& fn) override;
  std::unique_ptr<store::Repository> MakeRepository(
      std::type_index type) override;

 private:
  // ListAudit's area condition (AuditQuery::area), its parameter appended.
  void AddAuditArea(const store::AreaFilter& area, std::string* where,
                    std::string* name, std::vector<PgValue>* params) const;

  std::unique_ptr<pqxx::connection> conn_;
  std::shared_ptr<const PgTarget> target_;
  std::string key_;
  bool read_only_;
  const PgFactories* factories_;
  std::unique_ptr<pqxx::dbtransaction> tx_;
  bool tx_failed_ = false;  // A statement of the open transaction failed.
  std::string failure_;     // The first such failure.
  bool retryable_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // name -> SQL
  int prepares_ = 0;
};

// The AuditRecord in a row of the columns kAuditColumns, in that order.
store::AuditRecord AuditRecordOf(const pqxx::row& row);
inline constexpr std::string_view kAuditColumns =
    "seq, at, actor, action, entity_type, entity_id, register_no, "
    "before_json, after_json, prev_hash, hash";

}  // namespace malchin::backends::postgres
