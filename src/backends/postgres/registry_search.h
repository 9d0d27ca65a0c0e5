// The SQL of a register search (registry::SearchQuery) on PostgreSQL,
// private to this engine's registry repository.
#pragma once

#include <string>
#include <vector>

#include "backends/postgres/session.h"
#include "registry/repository.h"

namespace malchin::backends::postgres {

// The WHERE clauses of a search and their parameters; see
// registry_search.cpp.
struct PgSearch {
  // The search's shape (which conditions it has), the same for every query
  // of that shape: statement names end with it, so each shape is prepared
  // once, with its own plan.
  std::string shape;
  std::string where;  // All matches (for the total), with `params`.
  std::vector<PgValue> params;
  // The page's: `where`, the keyset bound, then LIMIT and OFFSET's
  // parameters (`limit`, `offset`), with `page_params`.
  std::string page_where;
  std::string limit, offset;
  std::vector<PgValue> page_params;
};

// The search over households h (and persons p when `persons`) in `area`,
// scoped by the session (PgSession::Area). InvalidArgument (field "q") for a
// text that is no register number, household id or name.
Result<PgSearch> BuildPgSearch(const PgSession& s,
                               const store::AreaFilter& area,
                               const registry::SearchQuery& q, bool persons);

}  // namespace malchin::backends::postgres
