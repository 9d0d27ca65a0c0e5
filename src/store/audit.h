// The hash-chained audit trail: what every capability records about a
// change, and how the chain is computed and checked, whatever the engine.
//
// Every change appends its entries through Session::Audit inside the same
// transaction, so a change and its entry land together or not at all. Entry
// n carries prev_hash = hash of entry n-1 (64 zeros for the first) and hash
// = SHA-256 over its own fields and prev_hash (CanonicalAuditText). Editing,
// deleting or reordering any entry breaks the chain at that point, which
// VerifyAudit reports; each engine's schema also refuses UPDATE and DELETE.
//
// The engine stores rows (AuditRows); the chain itself is computed here,
// once, for every engine.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/area.h"

namespace malchin::store {

// Who made a change and from what, recorded with it.
struct ChangeContext {
  std::string actor;   // User name, or "cli:<os user>" / "generator". Empty:
                       // the session's caller.
  std::string source;  // E.g. the imported file names.
};

// One entry, as a capability writes it.
struct AuditEntry {
  std::string actor;        // Empty: the session's caller.
  std::string action;       // e.g. "household.update", "plan.approve".
  std::string entity_type;  // e.g. "household", "person", "plan".
  std::string entity_id;
  std::optional<std::string> register_no;  // The person concerned, if any.
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string at;  // ISO-8601 UTC; empty: the session clock's now.
};

// One entry as stored, with its place in the chain.
struct AuditRecord {
  int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::optional<std::string> register_no;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string prev_hash;
  std::string hash;
};

// Which entries to list. Empty fields match everything; entries come in seq
// order, at most `limit` of them after `after_seq` (oldest first), or, with
// `newest_first`, in descending seq order below `before_seq` (0: from the
// newest) and above `after_seq`.
struct AuditQuery {
  std::string actor;
  std::string register_no;   // Entries about this person.
  std::string household_id;  // Entries about this household.
  std::string from;          // Inclusive lower bound on `at` (ISO 8601).
  std::string to;            // Inclusive upper bound on `at`.
  int64_t after_seq = 0;
  int limit = 100;  // 1..1000; larger values are clamped.
  bool newest_first = false;
  int64_t before_seq = 0;
  // Entries whose action is `action` or begins with `action` + "." (so
  // "person" finds person.read, person.update, ...).
  std::string action;
  // Entries about a person or household of this area, or made by an officer
  // whose account belongs to it (an aimag's officers belong to the aimag,
  // not to its soums). National: no condition. The caller's own area
  // narrows the person/household part as everywhere (Session::Area).
  AreaFilter area;
};

// The result of recomputing the whole chain. A broken chain is a value.
struct AuditCheck {
  int64_t entries = 0;
  std::optional<int64_t> first_bad_seq;
  std::string problem;    // What is wrong there, for a person to read.
  int64_t last_seq = 0;   // The chain's end as stored (0: empty).
  std::string last_hash;  // Its hash (empty when empty).
  bool ok() const { return !first_bad_seq.has_value(); }
};

// A read of a person's personal data, recorded as "person.read".
struct PersonRead {
  std::string actor;
  std::string register_no;
  std::string household_id;
  std::string purpose;  // E.g. "GET /api/v1/persons/{register_no}".
  std::string at;       // ISO 8601 UTC; empty: now.
};

// The text hashed for an entry: each field length-prefixed, so no two
// different entries share a text.
std::string CanonicalAuditText(int64_t seq, const AuditEntry& e,
                               const std::string& prev_hash);
// The record entry `seq` becomes after `prev_hash`, with its hash.
AuditRecord ChainedRecord(int64_t seq, const AuditEntry& e,
                          const std::string& prev_hash);
// 64 zeros: the prev_hash of the first entry.
const std::string& AuditGenesis();

// Checks records given in seq order, one at a time. Feed every stored
// record, then read the result.
class AuditChainChecker {
 public:
  void Add(const AuditRecord& r);
  const AuditCheck& result() const { return check_; }

 private:
  AuditCheck check_;
  std::string expected_prev_ = AuditGenesis();
  int64_t expected_seq_ = 1;
};

// Lower-case hex SHA-256 of `text` (audit hashes, migration checksums,
// session token hashes).
std::string Sha256Hex(std::string_view text);

// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (system clock). Prefer a
// session's clock.
std::string UtcNowIso();

}  // namespace malchin::store
