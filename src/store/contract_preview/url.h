// Database URLs (see database.h): which engine, and where.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "store/session.h"

namespace malchin::store {

struct DatabaseUrl {
  Engine engine = Engine::kSqlite;
  std::string path;      // SQLite: the file (or ":memory:").
  std::string conninfo;  // PostgreSQL: the URI to give libpq, as written.
  std::string redacted;  // For logs and messages: no password.
};

// InvalidArgument (field "db") for an empty URL or an unknown scheme.
Result<DatabaseUrl> ParseDatabaseUrl(std::string_view text);

// `url` with any password removed ("user:secret@" -> "user@", and a
// "password=" parameter dropped).
std::string RedactUrl(std::string_view url);

}  // namespace malchin::store
