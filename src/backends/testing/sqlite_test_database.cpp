// MERGE: the SQLite side of OpenTestDatabase, to wire to the SQLite engine
// (e.g. return backends::sqlite::OpenSqliteDatabase(path, options);) and to
// link malchin::backend_sqlite in CMakeLists.txt. Until then SQLite test
// databases report that they are not available.
#include "backends/testing/test_database.h"

namespace malchin::backends::testing {

Result<std::unique_ptr<store::Database>> OpenSqliteTestDatabase(
    const std::string& path, const store::OpenOptions& options) {
  (void)options;
  return Status::FailedPrecondition(
      "SQLite test databases are not wired yet (" + path +
      "): see src/backends/testing/sqlite_test_database.cpp");
}

}  // namespace malchin::backends::testing
