// The PostgreSQL side of the test hooks (test_database.h), private to
// src/backends/testing.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backends/testing/test_database.h"

namespace malchin::backends::testing {

// MALCHIN_TEST_PG_URL, or empty.
std::string PgClusterUrl();
// A new database cloned from the migrated template: its name.
Result<std::string> CreatePgTestDatabase();
// Drops it (connections included). Never fails the caller.
void DropPgTestDatabase(const std::string& name);
// Drops it and creates it again empty (no schema).
Status EmptyPgTestDatabase(const std::string& name);
const std::vector<store::Migration>& PgMigrations();
Result<std::unique_ptr<RawConnection>> OpenPgRawConnection(
    const std::string& url);
Result<std::vector<std::string>> PgPreparedQueryPlans(store::Session& session,
                                                      std::string_view pattern);

}  // namespace malchin::backends::testing
