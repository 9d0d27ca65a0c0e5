// Session: one connection to the database, used by one thread, carrying the
// caller (who acts, with which role, over which part of the country).
//
// This is the one place area scoping happens. Every repository reads the
// caller's area from its session: a read sees only households registered
// in Scope(requested) (the caller's area intersected with what the method
// was asked for), and a record outside it does not exist. Nobody widens a
// session's area except through a SystemScope, which says why in code.
//
// Transactions belong to the capabilities' services:
//
//   MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
//     auto& plans = session.Get<response::Repository>();
//     MALCHIN_RETURN_IF_ERROR(session.Lock("plan:" + code));
//     ...decide, write, session.Audit({...})...
//     return Status::Ok();
//   }));
//
// - Write runs `body` in one transaction that writes: committed if body
//   returns OK, rolled back otherwise. A Write (or Read) inside a Write joins
//   it. On PostgreSQL a transaction that lost a serialization race or a
//   deadlock is rolled back and `body` runs again (at most a few times), so
//   a body must be safe to run more than once: it may keep no state from
//   an earlier run that it does not reset.
// - Read runs `body` on one consistent snapshot.
// - Lock(name) serializes, across every app server, the transactions that
//   take the same name, until they end: take it before a decision that
//   depends on a read (is the plan approved? is the payroll there?). The
//   database's constraints stay the last line: one payroll line per
//   beneficiary and installment, idempotency keys, register numbers.
//
// Repositories: session.Get<response::Repository>() returns the engine's
// implementation of a capability's repository interface, on this session's
// connection, made once per session.
//
// Thread-safety: one thread at a time per session; open one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/area.h"
#include "store/audit.h"
#include "store/notices.h"

namespace malchin::store {

enum class Engine { kSqlite, kPostgres };
std::string_view EngineName(Engine e);  // "sqlite" | "postgresql"

// Base of every repository interface (each capability declares its own in
// <capability>/repository.h; each engine implements it in
// src/backends/<engine>/).
class Repository {
 public:
  virtual ~Repository() = default;
};

// Who is asking. `area` is what they may see (national when empty).
struct Caller {
  std::string actor = "system";  // User name, "cli:<os user>", "system".
  std::string role;              // auth role name; empty for system/CLI.
  AreaFilter area;
};

class Session {
 public:
  virtual ~Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  virtual Engine engine() const = 0;
  // The database's identity (engine, file or host/port/name; never a
  // password), equal for every session of the same database.
  virtual const std::string& database_key() const = 0;

  // --- The caller --------------------------------------------------------
  const Caller& caller() const { return caller_; }
  void SetCaller(Caller caller) { caller_ = std::move(caller); }
  // The caller's area intersected with `requested`; nullopt when they do
  // not overlap (then nothing is visible).
  std::optional<AreaFilter> Scope(const AreaFilter& requested = {}) const {
    return caller_.area.Intersect(requested);
  }
  // The same as an area filter: when the two do not overlap, an area no
  // household is in (soum -1), so a query on it finds nothing.
  AreaFilter Visible(const AreaFilter& requested = {}) const {
    return Scope(requested).value_or(AreaFilter{0, -1});
  }
  const Clock& clock() const { return *clock_; }
  void SetClock(const Clock* clock) {
    clock_ = clock ? clock : &SystemClock::Instance();
  }
  // Where capabilities send notices to households (store/notices.h); null:
  // none are sent. Set by the composition; must outlive the session.
  Notices* notices() const { return notices_; }
  void SetNotices(Notices* notices) { notices_ = notices; }

  // --- Transactions ------------------------------------------------------
  Status Write(const std::function<Status()>& body);
  Status Read(const std::function<Status()>& body);
  bool in_transaction() const { return depth_ > 0; }

  // A write transaction held open across calls, for streaming writers (an
  // import written row by row): Commit() ends it; destroyed without a
  // successful Commit() it rolls back. It is never retried. Inside a Write
  // it joins it (Commit does nothing; the outer transaction decides).
  // REQUIRES: the session outlives it.
  class HeldWrite {
   public:
    ~HeldWrite();
    Status Commit();
    HeldWrite(const HeldWrite&) = delete;
    HeldWrite& operator=(const HeldWrite&) = delete;

   private:
    friend class Session;
    HeldWrite(Session* s, bool owner) : session_(s), owner_(owner) {}
    Session* session_;
    bool owner_;
    bool done_ = false;
  };
  Result<std::unique_ptr<HeldWrite>> HoldWrite();
  bool in_write() const { return depth_ > 0 && writing_; }
  // REQUIRES: inside Write. See above.
  virtual Status Lock(std::string_view name) = 0;

  // --- Audit trail -------------------------------------------------------
  // Appends an entry (actor: the caller's if empty; at: the clock's now if
  // empty). REQUIRES: inside Write. Returns its seq.
  Result<int64_t> Audit(AuditEntry entry);
  // Records reads of personal data ("person.read"), in one transaction.
  Status RecordPersonReads(const std::vector<PersonRead>& reads);
  // Entries matching `query`, in seq order (not area-scoped: the API lets
  // only auditors and admins call it).
  virtual Result<std::vector<AuditRecord>> ListAudit(
      const AuditQuery& query) = 0;
  // Recomputes the whole chain.
  Result<AuditCheck> VerifyAudit();

  // --- Small facts about the database (e.g. "demo.seed") ---------------
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
  virtual Status SetMeta(std::string_view key, std::string_view value) = 0;

  // --- Repositories ------------------------------------------------------
  template <class R>
  R& Get() {
    auto it = repositories_.find(std::type_index(typeid(R)));
    if (it == repositories_.end()) {
      it = repositories_
               .emplace(std::type_index(typeid(R)),
                        MakeRepository(std::type_index(typeid(R))))
               .first;
    }
    return static_cast<R&>(*it->second);
  }

 protected:
  Session() = default;

  // Engine primitives of the transactions.
  virtual Status Begin(bool write) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // Whether the transaction that just failed may succeed if run again
  // (PostgreSQL: serialization failure or deadlock). Clears the flag.
  virtual bool TakeRetryable() { return false; }

  // Engine primitives of the audit trail. AuditHead: the last entry's seq
  // and hash (nullopt when empty), read so that no other transaction can
  // append before this one ends.
  virtual Result<std::optional<std::pair<int64_t, std::string>>>
  AuditHead() = 0;
  virtual Status InsertAudit(const AuditRecord& record) = 0;
  virtual Status ForEachAudit(
      const std::function<void(const AuditRecord&)>& fn) = 0;

  // The engine's implementation of the repository interface `type`.
  // Aborts (a programming error) if the engine has none: every engine
  // implements every repository, which the conformance tests check.
  virtual std::unique_ptr<Repository> MakeRepository(std::type_index type) = 0;

 private:
  friend class SystemScope;
  Status RunTransaction(bool write, const std::function<Status()>& body);

  Caller caller_;
  const Clock* clock_ = &SystemClock::Instance();
  Notices* notices_ = nullptr;
  int depth_ = 0;
  bool writing_ = false;
  // The chain's end within the current transaction, once read.
  std::optional<std::pair<int64_t, std::string>> head_;
  bool head_known_ = false;
  std::unordered_map<std::type_index, std::unique_ptr<Repository>>
      repositories_;
};

// Widens a session to the whole country for the lifetime of this object,
// for the few decisions that must see beyond the caller's area (why is
// written where it is used, e.g. a plan's approval selects from the whole
// register, then refuses beneficiaries outside the approver's area).
class SystemScope {
 public:
  explicit SystemScope(Session& session)
      : session_(session), saved_(session.caller_.area) {
    session_.caller_.area = AreaFilter{};
  }
  ~SystemScope() { session_.caller_.area = saved_; }
  SystemScope(const SystemScope&) = delete;
  SystemScope& operator=(const SystemScope&) = delete;

 private:
  Session& session_;
  AreaFilter saved_;
};

// Narrows a session to a part of the caller's area for the lifetime of this
// object (e.g. a national officer's report on one soum). Check ok() (or
// use Make): an area outside the caller's is refused with NotFound.
class NarrowScope {
 public:
  static Result<std::unique_ptr<NarrowScope>> Make(Session& session,
                                                   const AreaFilter& area);
  ~NarrowScope();

 private:
  NarrowScope(Session& session, AreaFilter narrowed);
  Session& session_;
  Caller saved_;
};

}  // namespace malchin::store
