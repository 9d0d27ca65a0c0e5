// The hash-chained audit trail, internal to the store implementations.
//
// Every repository appends its entries with AppendAudit inside the same
// transaction as the change it records, so a change and its entry land
// together or not at all. Entry n carries prev_hash = hash of entry n-1
// (64 zeros for the first) and hash = SHA-256 over its own fields and
// prev_hash (see CanonicalAuditText). Editing, deleting or reordering any
// entry breaks the chain at that point, which VerifyAuditChain reports; the
// table's triggers also refuse UPDATE and DELETE.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/sqlite_db.h"

namespace malchin::store {

struct AuditEntry {
  std::string actor;        // user name, or "cli:<os user>", "system".
  std::string action;       // e.g. "household.update", "plan.approve".
  std::string entity_type;  // e.g. "household", "person", "plan".
  std::string entity_id;
  std::optional<std::string> register_no;  // The person concerned, if any.
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string at;  // ISO-8601 UTC; empty: now.
};

// The text hashed for an entry: each field length-prefixed, so no two
// different entries share a text. Exposed for tests.
std::string CanonicalAuditText(int64_t seq, const AuditEntry& e,
                               const std::string& prev_hash);

// Appends `e` as the next entry. REQUIRES: a transaction is open on `db`
// (the caller's, around the change being recorded). Returns its seq.
Result<int64_t> AppendAudit(sqlite::Db* db, const AuditEntry& e);

struct AuditVerification {
  int64_t entries = 0;
  // The first entry whose hash or link does not match, if any.
  std::optional<int64_t> first_bad_seq;
  std::string problem;  // What is wrong there, for a person to read.
  bool ok() const { return !first_bad_seq.has_value(); }
};

// Recomputes the whole chain. A broken chain is a value (ok() false), not an
// error; errors are for an unreadable database.
Result<AuditVerification> VerifyAuditChain(sqlite::Db* db);

// Lower-case hex SHA-256 of `text` (audit hashes, migration checksums,
// session token hashes).
std::string Sha256Hex(std::string_view text);

// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcNowIso();

}  // namespace malchin::store
