// Store: where the register lives. Domain code talks to this interface only;
// SQL stays inside the implementations (SQLite now, PostgreSQL later).
//
// Guarantees every implementation gives:
// - Each multi-row change is one transaction: it happens whole or not at all.
// - Households and persons are never deleted, only deactivated.
// - Register numbers and household ids are unique in the database itself.
//
// Thread-safety: a Store object is used by one thread at a time. Open one per
// thread (SQLite in WAL mode lets readers run beside the one writer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "registry/model.h"
#include "registry/population.h"

namespace malchin::store {

namespace sqlite {
class Db;  // sqlite_db.h; only store implementations see it.
}

// Which part of the register an operation sees. Zero fields mean "all".
// A soum code restricts to households registered in that soum; an aimag code
// to those of its soums.
struct AreaFilter {
  int32_t aimag_code = 0;
  int32_t soum_code = 0;
  bool Matches(int32_t household_soum) const;
};

// What an upsert did. `unchanged` rows were identical to what was stored.
struct WriteCounts {
  int64_t households_inserted = 0;
  int64_t households_updated = 0;
  int64_t households_unchanged = 0;
  int64_t persons_inserted = 0;
  int64_t persons_updated = 0;
  int64_t persons_unchanged = 0;
  bool operator==(const WriteCounts&) const = default;
};

// Who made a change and from what, recorded with it.
struct ChangeContext {
  std::string actor;   // User name, or "cli" / "generator".
  std::string source;  // E.g. the imported file names.
};

// A person in the store who may be the same as an incoming one.
struct NameProbe {
  std::string name_key;  // text::NameKey(father_name + " " + given_name).
  Date birth_date;
  std::string register_no;  // The incoming number (excluded from matches).
  // text::NameKey(given_name): the store looks names up by it (one index on
  // the given-name key and birth date). Required.
  std::string given_key;
};

// Streaming writer for loading a large register into an EMPTY store (the
// demo generator). Rows are buffered and written in one transaction; indexes
// are built at Finish(). Nothing is visible until Finish() succeeds; if the
// loader is destroyed without Finish(), nothing is written.
class BulkLoader {
 public:
  virtual ~BulkLoader() = default;
  // REQUIRES: a person's household was added before the person.
  virtual Status AddHousehold(const registry::Household& h) = 0;
  virtual Status AddPerson(const registry::Person& p) = 0;
  virtual Status Finish() = 0;
};

// A streaming Upsert, for imports too large to hold in memory: rows are
// written as they come, all in one transaction that Commit() ends, with the
// same rules, counts and audit entries as Store::Upsert (households first:
// a person's household must have been added before it, or be stored).
// If the writer is destroyed without a successful Commit(), nothing is
// written. While it is open, call no other method of its store.
class UpsertWriter {
 public:
  virtual ~UpsertWriter() = default;
  virtual Status AddHousehold(const registry::Household& h) = 0;
  virtual Status AddPerson(const registry::Person& p) = 0;
  virtual Result<WriteCounts> Commit() = 0;
};

struct OpenOptions {
  bool create = true;  // Create the file if missing.
  bool read_only = false;
};

// Storage summary for benchmarks and `malchin stats`.
struct StoreInfo {
  int64_t households = 0;  // Active.
  int64_t persons = 0;     // Active.
  int64_t bytes = 0;       // Database file size (main file + WAL).
  int schema_version = 0;
};

// An account. The password is only ever stored as an Argon2id hash string.
struct UserRecord {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::string role;       // admin, national_officer, aimag_officer, ...
  int32_t area_code = 0;  // 0 national, 3-digit aimag, 5-digit soum.
  bool disabled = false;
  std::string created_at;  // ISO 8601 UTC, e.g. 2026-11-22T14:00:00Z.
  std::string updated_at;
};

// One entry of the hash-chained audit trail, as stored.
struct AuditRecord {
  int64_t seq = 0;
  std::string at;           // ISO 8601 UTC.
  std::string actor;        // User name, "cli", "system", ...
  std::string action;       // "household.update", "person.read", "login", ...
  std::string entity_type;  // "household", "person", "user", "session".
  std::string entity_id;
  std::optional<std::string> register_no;  // The person concerned, if any.
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string prev_hash;
  std::string hash;
};

// Which audit entries to list. Empty fields match everything; entries come
// in seq order, at most `limit` of them after `after_seq`.
struct AuditQuery {
  std::string actor;
  std::string register_no;   // Entries about this person.
  std::string household_id;  // Entries about this household.
  std::string from;          // Inclusive lower bound on `at` (ISO 8601).
  std::string to;            // Inclusive upper bound on `at`.
  int64_t after_seq = 0;
  int limit = 100;  // 1..1000; larger values are clamped.
};

// The result of recomputing the whole audit chain. A broken chain is a value.
struct AuditCheck {
  int64_t entries = 0;
  std::optional<int64_t> first_bad_seq;
  std::string problem;
  bool ok() const { return !first_bad_seq.has_value(); }
};

// A read of a person's personal data, to be recorded as "person.read".
struct PersonRead {
  std::string actor;
  std::string register_no;
  std::string household_id;
  std::string purpose;  // E.g. "GET /api/v1/persons/{register_no}".
  std::string at;       // ISO 8601 UTC; empty: now.
};

// A register search. `text` is a register number (exact), a household id
// (households) or a name in Cyrillic or Latin, matched case-insensitively
// through text::NameKey: one word is the start of the given name ("Хонг",
// "Khongor"); with more words the last is the start of the given name and
// the words before it start the father's name ("Дорж Хонгорзул", "Д.
// Хонгор"). Name matches are index-driven in the SQLite store.
struct SearchQuery {
  int32_t soum_code = 0;  // 0: any soum (the area still applies).
  std::string text;       // Empty: no text condition.
  std::optional<bool> herder;
  bool include_inactive = false;
  int page = 1;        // 1-based.
  int page_size = 50;  // 1..500; larger values are clamped.
  // Keyset paging: when set, the page holds the first items sorted after
  // this household id (persons: register number), and `page` is ignored.
  // Pass the last item of the previous page; it costs the same at any depth.
  std::string after;
};

// One page of results, sorted by household id (persons: register number),
// and how many match in all.
struct HouseholdPage {
  std::vector<registry::Household> items;
  int64_t total = 0;
};
struct PersonPage {
  std::vector<registry::Person> items;
  int64_t total = 0;
};

// A login session; only a hash of its token is stored.
struct SessionRecord {
  std::string token_hash;
  int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens (or creates) a SQLite store at `path`, applying any pending
  // migrations. Refuses with kDataLoss a database written by a newer Malchin
  // or whose applied migrations do not match this binary's (checksums).
  static Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path,
                                                   const OpenOptions& options);

  virtual Result<StoreInfo> Info() = 0;

  // Active households and persons in `area`.
  struct Counts {
    int64_t households = 0;
    int64_t persons = 0;
  };
  virtual Result<Counts> CountActive(const AreaFilter& area) = 0;

  // --- Reads (active and deactivated records alike) -----------------------
  virtual Result<std::optional<registry::Household>> FindHousehold(
      std::string_view id) = 0;
  virtual Result<std::optional<registry::Person>> FindPerson(
      std::string_view register_no) = 0;
  // Members of a household, head first, then by birth date.
  virtual Result<std::vector<registry::Person>> Members(
      std::string_view household_id) = 0;
  // Stored persons with the same name key and birth date as a probe but a
  // different register number; one vector per probe, in order.
  virtual Result<std::vector<std::vector<registry::Person>>> FindNameMatches(
      const std::vector<NameProbe>& probes) = 0;

  // Active households / persons in the area, ordered by id / register
  // number. Stops at and returns the first error from the callback.
  virtual Status ForEachHousehold(
      const AreaFilter& area,
      const std::function<Status(const registry::Household&)>& fn) = 0;
  virtual Status ForEachPerson(
      const AreaFilter& area,
      const std::function<Status(const registry::Person&)>& fn) = 0;

  // A columnar snapshot of the active register in the area.
  virtual Result<registry::Population> LoadPopulation(
      const AreaFilter& area) = 0;

  // --- Writes --------------------------------------------------------------
  // Inserts or updates all of them in one transaction (keyed by household
  // id and register number); a person whose household changes is moved.
  // Households come first so persons may refer to them. On any error
  // nothing is written.
  // The change is recorded (who, when, from what, counts) in the same
  // transaction.
  virtual Result<WriteCounts> Upsert(
      const std::vector<registry::Household>& households,
      const std::vector<registry::Person>& persons,
      const ChangeContext& context) = 0;
  // The same as a streaming writer (see UpsertWriter). The SQLite store
  // writes rows as they come (bounded memory); this default, used by other
  // back ends and by ScopeTo views, collects them and calls Upsert at
  // Commit(), so every check of Upsert applies.
  virtual Result<std::unique_ptr<UpsertWriter>> BeginUpsert(
      const ChangeContext& context);

  // Marks a record inactive (never deletes). NotFound if there is none;
  // FailedPrecondition if it is already inactive. Recorded in the audit
  // trail (before/after) in the same transaction, as `context.actor`
  // ("system" when empty).
  virtual Status DeactivateHousehold(std::string_view id,
                                     const registry::Deactivation& d,
                                     const ChangeContext& context = {}) = 0;
  virtual Status DeactivatePerson(std::string_view register_no,
                                  const registry::Deactivation& d,
                                  const ChangeContext& context = {}) = 0;

  // --- Versions (optimistic concurrency) -----------------------------------
  // The version of a household: it grows by one at every change of the
  // household's row. NotFound if there is none.
  virtual Result<int64_t> HouseholdVersion(std::string_view id) = 0;
  // Creates a household with its members. AlreadyExists if the id is taken;
  // otherwise like Upsert. Returns the new version (1).
  virtual Result<int64_t> CreateHousehold(
      const registry::Household& household,
      const std::vector<registry::Person>& members,
      const ChangeContext& context) = 0;
  // Updates a household (and upserts the given members) only if its version
  // is still `expected_version`: otherwise kConflict naming the current
  // version, and nothing is written. NotFound if there is none. Returns the
  // version after the change (unchanged if nothing differed).
  virtual Result<int64_t> UpdateHousehold(
      const registry::Household& household,
      const std::vector<registry::Person>& members, int64_t expected_version,
      const ChangeContext& context) = 0;

  // --- Search ---------------------------------------------------------------
  // Households / persons in `area` matching `query`, one page of them.
  // Active records only unless query.include_inactive.
  virtual Result<HouseholdPage> SearchHouseholds(const AreaFilter& area,
                                                 const SearchQuery& query) = 0;
  virtual Result<PersonPage> SearchPersons(const AreaFilter& area,
                                           const SearchQuery& query) = 0;

  // FailedPrecondition unless the register is empty.
  virtual Result<std::unique_ptr<BulkLoader>> BeginBulkLoad() = 0;

  // --- Accounts and sessions ------------------------------------------------
  // Account changes, session creation ("login") and revocation ("logout")
  // are recorded in the audit trail in the same transaction (password
  // hashes never appear in it).
  // AlreadyExists if the username is taken. Returns the record with its id.
  virtual Result<UserRecord> CreateUser(const UserRecord& user,
                                        const ChangeContext& context = {}) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(
      std::string_view username) = 0;
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  // Updates password_hash, role, area_code, disabled and updated_at of the
  // user with `user.id`. NotFound if there is none.
  virtual Status UpdateUser(const UserRecord& user,
                            const ChangeContext& context = {}) = 0;
  virtual Result<std::optional<UserRecord>> FindUserById(int64_t id) = 0;
  virtual Status CreateSession(const SessionRecord& session) = 0;
  // The session and its user, whatever their state (callers check expiry,
  // revocation and disabled accounts).
  virtual Result<std::optional<std::pair<SessionRecord, UserRecord>>>
  FindSession(std::string_view token_hash) = 0;
  // Revokes one session, or all of a user's (token_hash empty).
  virtual Status RevokeSessions(int64_t user_id, std::string_view token_hash,
                                std::string_view at) = 0;

  // --- Audit trail ---------------------------------------------------------
  // Records reads of personal data ("person.read"), all in one transaction.
  virtual Status RecordPersonReads(const std::vector<PersonRead>& reads) = 0;
  // Entries matching `query`, in seq order. Not area-scoped: only auditors
  // (and admins) may call it; the API checks the role.
  virtual Result<std::vector<AuditRecord>> ListAudit(
      const AuditQuery& query) = 0;
  // Recomputes the whole chain.
  virtual Result<AuditCheck> VerifyAudit() = 0;

  // Small key/value facts about the register (e.g. "demo.seed").
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
  virtual Status SetMeta(std::string_view key, std::string_view value) = 0;

  // For the SQLite repositories of other capabilities (sqlite_*_store.cpp in
  // this folder) that share this store's connection and transactions; null
  // for other back ends. Never used outside src/store.
  virtual sqlite::Db* SqliteConnection() { return nullptr; }
};

// Returns a view of `inner` that sees and changes only households (and their
// members) registered in `scope`. This is THE place where area scoping is
// enforced: every read, count, export, import and deactivation goes through
// it, so a soum officer's view can never include another soum.
//   - A household or person outside the scope does not exist (NotFound /
//     nullopt), so an API answers 404 rather than revealing it.
//   - Iteration, population snapshots and counts are intersected with the
//     scope.
//   - Writes that would create, move or change anything outside the scope
//     are refused with kPermissionDenied naming the soum; nothing is written.
// An empty scope (AreaFilter{}) is national: the view passes everything.
// REQUIRES: `inner` outlives the view.
std::unique_ptr<Store> ScopeTo(Store& inner, const AreaFilter& scope);

}  // namespace malchin::store
