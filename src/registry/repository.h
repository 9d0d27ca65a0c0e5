// registry::Repository: where the register of households and persons lives.
// Each engine implements it (src/backends/<engine>/registry_repository.cpp);
// domain code talks to this interface only, on a store::Session.
//
// Guarantees every engine gives:
// - Each multi-row change is one transaction: whole or not at all (a call
//   inside the caller's Session::Write joins it).
// - Households and persons are never deleted, only deactivated.
// - Register numbers and household ids are unique in the database itself.
// - Every change is in the audit trail, in the same transaction.
//
// Area scoping (the session's caller, store/session.h): reads see only
// households registered in the caller's area (intersected with the `area`
// a method is asked for): a household or person outside it does not exist
// (nullopt / NotFound), so an API answers 404 rather than revealing it.
// Writes that would create, move or change anything outside the caller's
// area are refused with kPermissionDenied, and the message never says
// where the record is registered. These write checks are the capability's
// own rules: the public write methods apply them (this file's .cpp) and
// then call the engine's Do* method.
//
// Thread-safety: like its session, one thread at a time.
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
#include "store/area.h"
#include "store/audit.h"
#include "store/session.h"

namespace malchin::registry {

using store::AreaFilter;
using store::ChangeContext;

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

// A person in the register who may be the same as an incoming one.
struct NameProbe {
  std::string name_key;  // text::NameKey(father_name + " " + given_name).
  Date birth_date;
  std::string register_no;  // The incoming number (excluded from matches).
  // text::NameKey(given_name): the register looks names up by it (one index
  // on the given-name key and birth date). Required.
  std::string given_key;
};

// Streaming writer for loading a large register into an EMPTY database (the
// demo generator). Rows are written in one transaction; indexes are built at
// Finish(). Nothing is visible until Finish() succeeds; if the loader is
// destroyed without Finish(), nothing is written.
class BulkLoader {
 public:
  virtual ~BulkLoader() = default;
  // REQUIRES: a person's household was added before the person.
  virtual Status AddHousehold(const Household& h) = 0;
  virtual Status AddPerson(const Person& p) = 0;
  virtual Status Finish() = 0;
};

// A streaming Upsert, for imports too large to hold in memory: rows are
// written as they come, all in one transaction that Commit() ends, with the
// same rules, counts and audit entries as Repository::Upsert (households
// first). If the writer is destroyed without a successful Commit(), nothing
// is written. While it is open, use the session for nothing else.
class UpsertWriter {
 public:
  virtual ~UpsertWriter() = default;
  virtual Status AddHousehold(const Household& h) = 0;
  virtual Status AddPerson(const Person& p) = 0;
  virtual Result<WriteCounts> Commit() = 0;
};

// How an engine writes a streaming upsert (Repository::HeldUpsertWriter):
// each row goes to `household` / `person`, which write, count and audit it
// as Upsert does; Commit() calls `finish` (which records the import) and
// then commits.
struct UpsertRows {
  std::function<Status(const Household&, WriteCounts*)> household;
  std::function<Status(const Person&, WriteCounts*)> person;
  std::function<Status(const WriteCounts&)> finish;
};

// A register search. `text` is a register number (exact), a household id
// (households) or a name in Cyrillic or Latin, matched case-insensitively
// through text::NameKey: one word is the start of the given name ("Хонг",
// "Khongor"); with more words the last is the start of the given name and
// the words before it start the father's name ("Дорж Хонгорзул", "Д.
// Хонгор"). Name matches are index-driven.
struct SearchQuery {
  int32_t soum_code = 0;  // 0: any soum (the area still applies).
  std::string text;       // Empty: no text condition.
  std::optional<bool> herder;
  bool include_inactive = false;
  int page = 1;        // 1-based.
  int page_size = 50;  // 1..500; larger values are clamped.
  // Keyset paging: when set, the page holds the first items sorted after
  // this household id (persons: register number), and `page` is ignored.
  std::string after;
};

// One page of results, sorted by household id (persons: register number),
// and how many match in all.
struct HouseholdPage {
  std::vector<Household> items;
  int64_t total = 0;
};
struct PersonPage {
  std::vector<Person> items;
  int64_t total = 0;
};

// The register at one moment, as rules and a plan's approval see it: a
// Population and, per person index, the person's id in the database (so a
// snapshot copies identity and account by id, whatever the order of rows)
// and whether they have a bank account.
struct Roster {
  Population population;
  std::vector<int64_t> person_row;  // Database ids of persons, per index.
  std::vector<uint8_t> has_account;
};

// The version of the register: equal versions of the same database mean
// households and persons are unchanged. Any insertion, update or deletion
// of a household or person, by any connection, process or app server, gives
// a new version.
struct RegisterVersion {
  std::string database;  // Session::database_key().
  std::string token;
  bool operator==(const RegisterVersion&) const = default;
};

class Repository : public store::Repository {
 public:
  explicit Repository(store::Session& session) : session_(session) {}

  // Active households and persons in the area.
  struct Counts {
    int64_t households = 0;
    int64_t persons = 0;
  };
  virtual Result<Counts> CountActive(const AreaFilter& area = {}) = 0;

  // --- Reads (active and deactivated records alike) -----------------------
  virtual Result<std::optional<Household>> FindHousehold(
      std::string_view id) = 0;
  virtual Result<std::optional<Person>> FindPerson(
      std::string_view register_no) = 0;
  // Members of a household, head first, then by birth date.
  virtual Result<std::vector<Person>> Members(
      std::string_view household_id) = 0;
  // Active households, in the session's area, whose own phone is `phone8`
  // (the 8 digits the register keeps) or that have an active member with
  // that phone; by household id, at most `limit`. Indexed on both phones.
  virtual Result<std::vector<Household>> HouseholdsWithPhone(
      std::string_view phone8, int limit) = 0;
  // Persons with the same name key and birth date as a probe but a
  // different register number; one vector per probe, in order.
  virtual Result<std::vector<std::vector<Person>>> FindNameMatches(
      const std::vector<NameProbe>& probes) = 0;

  // Active households / persons in the area, ordered by id / register
  // number. Stops at and returns the first error from the callback.
  virtual Status ForEachHousehold(
      const AreaFilter& area,
      const std::function<Status(const Household&)>& fn) = 0;
  virtual Status ForEachPerson(
      const AreaFilter& area,
      const std::function<Status(const Person&)>& fn) = 0;

  // The one reader of the register as a whole: the active register in the
  // area, columnar, with each person's database id and whether they have a
  // bank account.
  virtual Result<Roster> LoadRoster(const AreaFilter& area = {}) = 0;
  // LoadRoster's population.
  Result<Population> LoadPopulation(const AreaFilter& area = {});

  // The register's version now; nullopt if this database cannot tell, in
  // which case nothing computed from the register may be reused. Cheap.
  // Read it BEFORE loading what it versions.
  virtual Result<std::optional<RegisterVersion>> ReadRegisterVersion() = 0;

  // The version of a household: it grows by one at every change of the
  // household's row. NotFound if there is none (in the area).
  virtual Result<int64_t> HouseholdVersion(std::string_view id) = 0;

  // --- Search ---------------------------------------------------------------
  // Active records only unless query.include_inactive.
  virtual Result<HouseholdPage> SearchHouseholds(const AreaFilter& area,
                                                 const SearchQuery& query) = 0;
  virtual Result<PersonPage> SearchPersons(const AreaFilter& area,
                                           const SearchQuery& query) = 0;

  // --- Writes (area-checked here, then done by the engine) ----------------
  // Inserts or updates all of them in one transaction (keyed by household
  // id and register number); a person whose household changes is moved.
  // Households come first so persons may refer to them. On any error
  // nothing is written. The change is recorded (who, when, from what,
  // counts) in the same transaction.
  Result<WriteCounts> Upsert(const std::vector<Household>& households,
                             const std::vector<Person>& persons,
                             const ChangeContext& context);
  // The same as a streaming writer (see UpsertWriter). Outside a national
  // area the rows are collected and checked at Commit().
  Result<std::unique_ptr<UpsertWriter>> BeginUpsert(
      const ChangeContext& context);

  // Marks a record inactive (never deletes). NotFound if there is none in
  // the area; FailedPrecondition if it is already inactive. Audited.
  Status DeactivateHousehold(std::string_view id, const Deactivation& d,
                             const ChangeContext& context = {});
  Status DeactivatePerson(std::string_view register_no, const Deactivation& d,
                          const ChangeContext& context = {});

  // Creates a household with its members. AlreadyExists if the id is taken;
  // otherwise like Upsert. Returns the new version (1).
  Result<int64_t> CreateHousehold(const Household& household,
                                  const std::vector<Person>& members,
                                  const ChangeContext& context);
  // Updates a household (and upserts the given members) only if its version
  // is still `expected_version`: otherwise kConflict naming the current
  // version, and nothing is written. NotFound if there is none in the area.
  // Returns the version after the change (unchanged if nothing differed).
  Result<int64_t> UpdateHousehold(const Household& household,
                                  const std::vector<Person>& members,
                                  int64_t expected_version,
                                  const ChangeContext& context);

  // FailedPrecondition unless the register is empty; PermissionDenied
  // unless the caller is national.
  Result<std::unique_ptr<BulkLoader>> BeginBulkLoad();

 protected:
  store::Session& session() { return session_; }

  virtual Result<WriteCounts> DoUpsert(const std::vector<Household>& households,
                                       const std::vector<Person>& persons,
                                       const ChangeContext& context) = 0;
  // A streaming writer (bounded memory); the default collects the rows and
  // calls DoUpsert at Commit().
  virtual Result<std::unique_ptr<UpsertWriter>> DoBeginUpsert(
      const ChangeContext& context);
  virtual Status DoDeactivateHousehold(std::string_view id,
                                       const Deactivation& d,
                                       const ChangeContext& context) = 0;
  virtual Status DoDeactivatePerson(std::string_view register_no,
                                    const Deactivation& d,
                                    const ChangeContext& context) = 0;
  virtual Result<std::unique_ptr<BulkLoader>> DoBeginBulkLoad() = 0;

  // --- The register's rules, for the engines' Do* methods ----------------
  // The audit entry of an upsert's household or person: created when
  // `before` is null, else updated from `before`; `after` as now stored.
  static store::AuditEntry HouseholdAudit(const std::string& actor,
                                          const Household* before,
                                          const Household& after);
  static store::AuditEntry PersonAudit(const std::string& actor,
                                       const Person* before,
                                       const Person& after);
  // The audit entry of deactivating `before` (still active) with `d`.
  static store::AuditEntry DeactivationAudit(const std::string& actor,
                                             const Household& before,
                                             const Deactivation& d);
  static store::AuditEntry DeactivationAudit(const std::string& actor,
                                             const Person& before,
                                             const Deactivation& d);
  // A streaming upsert for the engines' DoBeginUpsert, on the held
  // transaction `tx`, writing through `rows` (see UpsertRows). After a
  // failed call the writer refuses every other, and nothing is written.
  static std::unique_ptr<UpsertWriter> HeldUpsertWriter(
      std::unique_ptr<store::Session::HeldWrite> tx, UpsertRows rows);

 private:
  // PermissionDenied if the write would create, move or change anything
  // outside the caller's area.
  Status CheckWritable(const std::vector<Household>& households,
                       const std::vector<Person>& persons);

  store::Session& session_;
};

// Snapshots recorded as before/after in the audit trail.
std::string HouseholdJson(const Household& h);
std::string PersonJson(const Person& p);

}  // namespace malchin::registry
