// Connections of the PostgreSQL engine: where a database lives and how to
// speak of it without its password (PgTarget), opening a connection
// (Connect), turning libpqxx's exceptions into Status values (PgError) and
// the advisory lock keys (LockKey, kLockClass).
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "backends/postgres/contract.h"
#include "core/status.h"

namespace malchin::backends::postgres {

// A PostgreSQL database named by a URL. `conninfo` goes to libpq and
// nowhere else: it may hold a password. Every message names `redacted`,
// and passes through Scrub.
struct PgTarget {
  std::string conninfo;
  std::string redacted;
  // The URL's password, raw and percent-decoded (empty: none).
  std::vector<std::string> secrets;

  static PgTarget From(const store::DatabaseUrl& url);
  // `message` with every secret replaced by "***".
  std::string Scrub(std::string message) const;
};

// The Status for an exception thrown by libpqxx while doing `what` on
// `target`: "what on <redacted url>: <server message, first line>".
// Codes by SQLSTATE: 23505 kAlreadyExists; other integrity violations
// (23xxx) and refusals by the schema's triggers (P0001) kFailedPrecondition;
// 40001 serialization failure and 40P01 deadlock kUnavailable, and
// *retryable set; 25006 (a write in a read-only transaction)
// kFailedPrecondition; 22xxx kInvalidArgument; 3D000 (no such database)
// kNotFound; 28xxx and 42501 kPermissionDenied; lost connections, shutdowns,
// cancellations, lock timeouts and too many connections kUnavailable;
// 53xxx otherwise kResourceExhausted; anything else kInternal.
Status PgError(const std::exception& e, std::string_view what,
               const PgTarget& target, bool* retryable = nullptr);

// A new connection to `target`, with the session settings every Malchin
// connection has: DateStyle ISO, TimeZone UTC, client_encoding UTF8,
// application_name malchin (and default_transaction_read_only when
// `read_only`). Errors name the redacted URL only.
Result<std::unique_ptr<pqxx::connection>> Connect(const PgTarget& target,
                                                  bool read_only = false);

// The advisory lock key of Session::Lock(name): the first 8 bytes of the
// SHA-256 of the name's UTF-8 bytes, read big-endian as a signed 64-bit
// integer. Stable across versions, platforms and engines' clients; in SQL:
//   ('x' || left(encode(sha256(convert_to(NAME, 'UTF8')), 'hex'), 16))
//     ::bit(64)::bigint
// Two names sharing a key (about one chance in 2^64) only serialize more.
int64_t LockKey(std::string_view name);

// The engine's own advisory locks use the two-integer form
// pg_advisory_[xact_]lock(kLockClass, object), a key space apart from
// LockKey's single 64-bit keys.
inline constexpr int32_t kLockClass = 0x4d4c4348;  // "MLCH"
inline constexpr int32_t kLockAuditChain = 1;      // Appending to audit_log.
inline constexpr int32_t kLockMigrations = 2;      // Migrating a database.
inline constexpr int32_t kLockTestTemplate = 3;    // Tests: the template.

}  // namespace malchin::backends::postgres
