// Opening a database by URL (store/database.h) on the engine it names.
// Only the composition (src/api, src/cli) and tests call this; capabilities
// receive sessions.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"
#include "store/database.h"

namespace malchin::backends {

// A path or sqlite:PATH (the embedded engine), or postgresql://... .
// InvalidArgument for an unknown scheme; NotFound for a missing SQLite file
// when !options.create; DataLoss for a newer or altered schema.
Result<std::unique_ptr<store::Database>> OpenDatabase(
    std::string_view url, const store::OpenOptions& options = {});

}  // namespace malchin::backends
