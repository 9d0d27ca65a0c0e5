// Reading a statement's rows into values, for this engine's repositories:
//
//   MALCHIN_ASSIGN_OR_RETURN(auto v, ReadAll<Visit>(*s, ReadVisit));
//
// `read(stmt)` returns T or Result<T> for the current row; the first error
// stops the reading (the statement is reset).
#pragma once

#include <optional>
#include <type_traits>
#include <vector>

#include "backends/sqlite/db.h"

namespace malchin::backends::sqlite {

template <class T, class Read>
Result<std::vector<T>> ReadAll(Stmt& s, Read read) {
  std::vector<T> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    Result<T> t = read(static_cast<const Stmt&>(s));
    if (!t.ok()) {
      s.Reset();
      return t.status();
    }
    out.push_back(std::move(*t));
  }
  return out;
}

// The first row's value, or nullopt when there is none (the statement is
// reset either way).
template <class T, class Read>
Result<std::optional<T>> ReadFirst(Stmt& s, Read read) {
  MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<T>();
  Result<T> t = read(static_cast<const Stmt&>(s));
  s.Reset();
  if (!t.ok()) return t.status();
  return std::optional<T>(std::move(*t));
}

}  // namespace malchin::backends::sqlite
