// Opening a Malchin database on PostgreSQL (store/database.h). This header
// is the engine's whole public face: the composition (backends::OpenDatabase)
// and tests open a database here; everything else in this folder is the
// engine's inside, and libpqxx stays in it (linked privately).
#pragma once

#include <memory>
#include <vector>

#include "backends/postgres/contract.h"
#include "core/status.h"

namespace malchin::backends::postgres {

// Connects to the database named by `url` (engine kPostgres), checks that it
// can hold Malchin's data (UTF8 encoding, C collation: text compares byte by
// byte, as in SQLite), and applies the pending migrations (Migrate in
// migrate.h: serialized across app servers opening at once). The password
// comes from the URL, PGPASSWORD or ~/.pgpass (libpq's rules) and appears
// in no message: messages name the redacted URL.
// `options.create` does not create a PostgreSQL database (an administrator
// does, docs/deployment.md); `options.read_only` refuses writes and a
// pending migration; `options.clock` is given to every session.
// Errors: kInvalidArgument (not a postgresql:// URL); kUnavailable (server
// unreachable); kPermissionDenied (authentication); kNotFound (no such
// database); kFailedPrecondition (encoding or collation; read-only with a
// pending migration); kDataLoss (a newer Malchin's schema, or other
// migration content).
Result<std::unique_ptr<store::Database>> OpenPostgresDatabase(
    const store::DatabaseUrl& url, const store::OpenOptions& options = {});

// This engine's migrations (src/backends/postgres/migrations/*.sql,
// embedded), in order.
const std::vector<store::Migration>& Migrations();

}  // namespace malchin::backends::postgres
