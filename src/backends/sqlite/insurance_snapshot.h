// The SQLite engine's insurance snapshot (insurance::Repository::
// LoadSnapshot), private to src/backends/sqlite.
#pragma once

#include "backends/sqlite/session.h"
#include "insurance/repository.h"

namespace malchin::backends::sqlite {

// See insurance::Repository::LoadSnapshot: the area is intersected with
// the session's caller's.
Result<insurance::InsuranceSnapshot> LoadInsuranceSnapshot(
    SqliteSession& session, const store::AreaFilter& area,
    const insurance::SnapshotOptions& options);

}  // namespace malchin::backends::sqlite
