#include "store/migrations.h"

#include <algorithm>

#include "store/audit.h"

namespace malchin::store {

std::string Migration::Checksum() const { return Sha256Hex(sql); }

Result<std::vector<const Migration*>> PendingMigrations(
    const std::vector<Migration>& all,
    const std::vector<AppliedMigration>& applied, std::string_view where) {
  int newest = all.empty() ? 0 : all.back().version;
  for (const AppliedMigration& a : applied) {
    auto m = std::find_if(all.begin(), all.end(), [&](const Migration& x) {
      return x.version == a.version;
    });
    if (m == all.end()) {
      return Status::DataLoss(
          std::string(where) +
          " was written by a newer Malchin (schema version " +
          std::to_string(a.version) + "; this program knows versions up to " +
          std::to_string(newest) + "); upgrade Malchin to open it");
    }
    if (a.checksum != m->Checksum()) {
      return Status::DataLoss(
          std::string(where) + ": migration " + std::to_string(a.version) +
          " (" + std::string(m->name) +
          ") was applied with different content than this program's; the "
          "database was made by an incompatible build");
    }
  }
  std::vector<const Migration*> pending;
  for (const Migration& m : all) {
    bool done = std::any_of(applied.begin(), applied.end(),
                            [&](const auto& a) { return a.version == m.version; });
    if (!done) pending.push_back(&m);
  }
  return pending;
}

}  // namespace malchin::store
