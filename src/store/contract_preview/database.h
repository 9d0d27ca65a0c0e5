// Database: a Malchin database on one engine, named by a URL, from which
// each thread opens its own Session.
//
//   sqlite:var/malchin.db   or a plain path   the embedded engine (default)
//   sqlite::memory:                          a private in-memory database
//   postgresql://user@host:port/dbname       PostgreSQL (libpq's URI; the
//                                            password from PGPASSWORD,
//                                            ~/.pgpass or the URL, never
//                                            logged or echoed)
//
// backends::OpenDatabase (src/backends/open.h) opens one; only api/ and
// cli/ (the composition) and tests call it. Opening applies the engine's
// pending migrations (numbered SQL files per engine, checksummed): a
// database written by a newer Malchin, or whose applied migrations differ
// from this program's, is refused with kDataLoss.
//
// Thread-safety: a Database may be shared by threads; its sessions may not.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::store {

struct OpenOptions {
  bool create = true;      // Create the database (file) if missing.
  bool read_only = false;  // Refuse writes; refuse a pending migration.
  const Clock* clock = nullptr;  // For sessions; null: the system clock.
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  // The URL it was opened with, without any password.
  virtual const std::string& url() const = 0;
  // A new session on its own connection, as `system` with a national area.
  virtual Result<std::unique_ptr<Session>> Connect() = 0;
  // The newest schema version applied.
  virtual int schema_version() const = 0;
  // Bytes on disk (SQLite: file + WAL; PostgreSQL: pg_database_size).
  virtual Result<int64_t> SizeBytes() = 0;
};

}  // namespace malchin::store
