// Schema migrations: numbered SQL files per engine
// (src/backends/<engine>/migrations/NNNN_name.sql), embedded in the binary
// and recorded with a checksum when applied. This file holds what every
// engine shares: the record of a migration and the decision which ones to
// run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // Hex SHA-256 of `sql`, recorded when applied and checked at every open.
  std::string Checksum() const;
};

struct AppliedMigration {
  int version = 0;
  std::string checksum;
};

// The migrations of `all` (in order) not yet applied. kDataLoss, naming
// `where` (the database), when a version applied there is unknown to this
// program (a newer Malchin wrote it) or was applied with other content.
Result<std::vector<const Migration*>> PendingMigrations(
    const std::vector<Migration>& all,
    const std::vector<AppliedMigration>& applied, std::string_view where);

}  // namespace malchin::store
