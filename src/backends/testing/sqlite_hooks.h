// The SQLite side of the test hooks (test_database.h), private to
// src/backends/testing.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backends/testing/test_database.h"

namespace malchin::backends::testing {

const std::vector<store::Migration>& SqliteMigrations();
Result<std::unique_ptr<RawConnection>> OpenSqliteRawConnection(
    const std::string& path, bool engine_functions);
Result<std::vector<std::string>> SqlitePreparedQueryPlans(
    store::Session& session, std::string_view pattern);

}  // namespace malchin::backends::testing
