// Moving a whole Malchin database between engines (SQLite <-> PostgreSQL),
// audit trail included: `malchin copy --from URL --to URL`.
//
// The target must be new: migrated (opening does that) and holding no
// data. Every table both engines share is copied in one transaction of the
// target, in an order that satisfies the foreign keys; then each table's
// rows are counted and checksummed on both sides (SHA-256 over the copied
// columns in key order, values in the form both engines share): any
// difference rolls everything back. The audit chain arrives intact (its
// entries are copied, not re-made), and one entry "database.copy" naming
// the source (without password) is appended to it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace malchin::backends {

struct CopiedTable {
  std::string name;
  int64_t rows = 0;
  std::string checksum;  // Hex SHA-256, equal on both sides.
};

struct CopyReport {
  std::string from, to;  // Redacted URLs.
  std::vector<CopiedTable> tables;
  int64_t rows() const;
};

// Copies `from` into `to` (both URLs). FailedPrecondition if the target
// holds data; DataLoss if a table's count or checksum differs after the
// copy (nothing is kept then); InvalidArgument if the source has a table
// with rows the target's schema lacks. `progress(fraction, table)` is
// called as tables are done. `actor` is recorded with the copy.
Result<CopyReport> CopyDatabase(
    const std::string& from, const std::string& to, const std::string& actor,
    const std::function<void(double, const std::string&)>& progress = {});

}  // namespace malchin::backends
