#include "backends/open.h"

#include "backends/postgres/open.h"
#include "backends/sqlite/session.h"
#include "store/url.h"

namespace malchin::backends {

Result<std::unique_ptr<store::Database>> OpenDatabase(
    std::string_view url, const store::OpenOptions& options) {
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl u, store::ParseDatabaseUrl(url));
  switch (u.engine) {
    case store::Engine::kSqlite:
      return sqlite::OpenSqliteDatabase(u.path, options);
    case store::Engine::kPostgres:
      return postgres::OpenPostgresDatabase(u, options);
  }
  return Status::InvalidArgument("database " + u.redacted + ": unknown engine",
                                 "db");
}

}  // namespace malchin::backends
