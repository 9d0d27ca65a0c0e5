#include "backends/open.h"

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
      break;
  }
  return Status::Unavailable("database " + u.redacted +
                             ": this build has no PostgreSQL engine");
}

}  // namespace malchin::backends
