// The SQL of a register search (registry::SearchQuery), private to the
// SQLite backend's registry repository.
#pragma once

#include <string>
#include <string_view>

#include "backends/sqlite/db.h"
#include "registry/repository.h"

namespace malchin::backends::sqlite {

// The WHERE clause of a search and its parameters; see registry_search.cpp.
struct SearchSql {
  std::string where;       // All matches (for the total).
  std::string page_where;  // The page's: `where` and the keyset bound.
  int32_t soum = 0, aimag = 0, herder = 0;
  std::string text, key_lo, key_hi, full_lo, full_hi, after;
  int64_t limit = 50, offset = 0;
  void Bind(Stmt& s) const;
};

// The search over households h (and persons p when `persons`) in `area`
// (already intersected with the caller's). InvalidArgument (field "q") for
// a text that is no register number, household id or name.
Result<SearchSql> BuildSearch(const store::AreaFilter& area,
                              const registry::SearchQuery& q, bool persons);

}  // namespace malchin::backends::sqlite
