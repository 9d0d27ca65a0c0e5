// The PostgreSQL engine's bulk paths of insurance::Repository: the snapshot
// (LoadSnapshot) and the demo histories (Seed, by COPY). Private to
// src/backends/postgres.
#pragma once

#include <string_view>

#include "backends/postgres/session.h"
#include "insurance/repository.h"

namespace malchin::backends::postgres {

// See insurance::Repository::LoadSnapshot: the area is intersected with
// the session's caller's. One consistent view (a Read).
Result<insurance::InsuranceSnapshot> LoadInsuranceSnapshot(
    PgSession& session, const store::AreaFilter& area,
    const insurance::SnapshotOptions& options);

// Writes Seed's rows (already checked) with COPY.
// REQUIRES: inside a Write of `session`.
Status CopyInsuranceSeed(PgSession& session,
                         const insurance::InsuranceSnapshot& snapshot,
                         const insurance::Repository::SeedRows& rows,
                         std::string_view recorded_at, std::string_view actor);

}  // namespace malchin::backends::postgres
