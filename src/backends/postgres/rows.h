// Reading a result's rows into values, for this engine's repositories:
//
//   MALCHIN_ASSIGN_OR_RETURN(pqxx::result r, s.Prepared(...));
//   return ReadAll<Visit>(r, ReadVisit);
//
// `read(row)` returns T or Result<T>; the first error stops the reading.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <vector>

#include "core/status.h"

namespace malchin::backends::postgres {

template <class T, class Read>
Result<std::vector<T>> ReadAll(const pqxx::result& rows, Read read) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const pqxx::row& r : rows) {
    Result<T> t = read(r);
    if (!t.ok()) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
}

// The first row's value, or nullopt when there is none.
template <class T, class Read>
Result<std::optional<T>> ReadFirst(const pqxx::result& rows, Read read) {
  if (rows.empty()) return std::optional<T>();
  Result<T> t = read(rows[0]);
  if (!t.ok()) return t.status();
  return std::optional<T>(std::move(*t));
}

}  // namespace malchin::backends::postgres
