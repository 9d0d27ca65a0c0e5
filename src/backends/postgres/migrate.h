// Applying this engine's migrations (store/migrations.h) to a database.
#pragma once

#include <pqxx/pqxx>
#include <vector>

#include "backends/postgres/connection.h"
#include "backends/postgres/contract.h"

namespace malchin::backends::postgres {

// Brings the database on `conn` (of `target`) to the newest of `all`:
// reads schema_migrations (version, name, checksum, applied_at), lets
// store::PendingMigrations decide, and applies each pending migration in
// its own transaction together with its record, so a failing one leaves
// nothing of itself (the ones before it stay). The whole procedure holds
// the session advisory lock (kLockClass, kLockMigrations): app servers
// opening the same database at once wait for the first, then find nothing
// to do. Returns the newest version applied.
// Errors: kDataLoss for a database written by a newer Malchin or with other
// migration content; kFailedPrecondition when `read_only` and a migration
// is pending; a failing migration's error, naming it.
Result<int> Migrate(pqxx::connection& conn, const PgTarget& target,
                    const std::vector<store::Migration>& all, bool read_only);

}  // namespace malchin::backends::postgres
