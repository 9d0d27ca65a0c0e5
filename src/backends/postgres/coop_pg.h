// Helpers shared by the PostgreSQL implementations of the coop repositories
// (coop_repository.cpp, coop_distribution_repository.cpp,
// coop_training_repository.cpp). Internal to this engine.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/postgres/session.h"
#include "coop/repository.h"

namespace malchin::backends::postgres::coopsql {

// NULL for 0 / "" (optional references and keys).
inline std::optional<int64_t> Id(int64_t v) {
  return v ? std::optional<int64_t>(v) : std::nullopt;
}
inline std::optional<std::string> OptText(std::string_view v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}
inline std::optional<std::string> OptDateText(const std::optional<Date>& d) {
  return d ? std::optional<std::string>(d->ToString()) : std::nullopt;
}
inline registry::Sex SexOf(const pqxx::field& f) {
  return PgText(f) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
}
inline std::string_view SexLetter(registry::Sex sex) {
  return sex == registry::Sex::kMale ? "M" : "F";
}
// A PostgreSQL array literal of integers: {18140,18125}.
inline std::string IntArray(const std::vector<int32_t>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    out += (i ? "," : "") + std::to_string(v[i]);
  }
  return out + "}";
}

// Every row of `r` read by `read`.
template <class T>
Result<std::vector<T>> All(const pqxx::result& r,
                           Result<T> (*read)(const pqxx::row&)) {
  std::vector<T> out;
  out.reserve(r.size());
  for (const pqxx::row& row : r) {
    MALCHIN_ASSIGN_OR_RETURN(T v, read(row));
    out.push_back(std::move(v));
  }
  return out;
}
template <class T>
Result<std::optional<T>> First(const pqxx::result& r,
                               Result<T> (*read)(const pqxx::row&)) {
  if (r.empty()) return std::optional<T>();
  MALCHIN_ASSIGN_OR_RETURN(T v, read(r[0]));
  return std::optional<T>(std::move(v));
}
// The id an INSERT ... RETURNING id gave.
inline Result<int64_t> ReturnedId(const pqxx::result& r) {
  if (r.empty()) return Status::Internal("INSERT returned no id");
  return PgInt(r[0][0]);
}

// The columns of a person (alias p) and their household (alias h).
inline constexpr const char* kPersonColumns =
    "p.pid, p.register_no, h.id, p.father_name || ' ' || p.given_name, "
    "h.soum_code, p.sex, p.born, "
    "(p.deactivated_on IS NULL AND h.deactivated_on IS NULL)";
inline Result<coop::PersonRef> ReadPerson(const pqxx::row& r) {
  coop::PersonRef p;
  p.pid = PgInt(r[0]);
  p.register_no = PgText(r[1]);
  p.household_id = PgText(r[2]);
  p.name = PgText(r[3]);
  p.soum_code = static_cast<int32_t>(PgInt(r[4]));
  p.sex = SexOf(r[5]);
  p.birth_date = Date::FromDays(static_cast<int32_t>(PgInt(r[6])));
  p.active = PgBool(r[7]);
  return p;
}

}  // namespace malchin::backends::postgres::coopsql
