// Helpers shared by the SQLite implementations of the coop repositories
// (coop_repository.cpp, coop_distribution_repository.cpp,
// coop_training_repository.cpp). Internal to this engine.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/sqlite/session.h"
#include "coop/repository.h"

namespace malchin::backends::sqlite::coopsql {

// A statement prepared once per connection under `name` (plus the area
// clause's key, when it has one), reset and with bindings cleared. An area
// clause must come last in the SQL so that ?1..?N keep their numbers.
inline Result<Stmt*> Prep(SqliteSession& s, const std::string& name,
                          const std::string& sql,
                          const AreaClause* area = nullptr) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt * st,
                           s.Prepared(area ? name + area->key : name, sql));
  st->Reset();
  if (area) area->Bind(*st);
  return st;
}

// Calls `fn` for each row of `st` (already bound).
inline Status ForRows(Stmt& st, const std::function<Status(Stmt&)>& fn) {
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    Status s = fn(st);
    if (!s.ok()) {
      st.Reset();
      return s;
    }
  }
}

// The first row read by `read`, or nullopt.
template <class T>
Result<std::optional<T>> FirstRow(Stmt& st,
                                  const std::function<Result<T>(Stmt&)>& read) {
  MALCHIN_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<T>();
  Result<T> v = read(st);
  st.Reset();
  if (!v.ok()) return v.status();
  return std::optional<T>(std::move(*v));
}

// Every row of `st` read by `read`.
template <class T>
Result<std::vector<T>> All(Stmt& st, Result<T> (*read)(Stmt&)) {
  std::vector<T> out;
  MALCHIN_RETURN_IF_ERROR(ForRows(st, [&](Stmt& s) -> Status {
    MALCHIN_ASSIGN_OR_RETURN(T v, read(s));
    out.push_back(std::move(v));
    return Status::Ok();
  }));
  return out;
}

inline std::string Text(const Stmt& s, int col) {
  return std::string(s.Text(col));
}
inline std::optional<Date> OptDate(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  auto d = Date::Parse(s.Text(col));
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}
inline Date DateOf(const Stmt& s, int col) {
  return OptDate(s, col).value_or(Date());
}
inline registry::Sex SexOf(const Stmt& s, int col) {
  return s.Text(col) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
}
inline std::string_view SexLetter(registry::Sex sex) {
  return sex == registry::Sex::kMale ? "M" : "F";
}
// NULL for 0 / "" (optional references and keys).
inline void BindId(Stmt& s, int i, int64_t v) {
  if (v) {
    s.Bind(i, v);
  } else {
    s.BindNull(i);
  }
}
inline void BindOptText(Stmt& s, int i, std::string_view v) {
  if (v.empty()) {
    s.BindNull(i);
  } else {
    s.Bind(i, v);
  }
}

// The columns of a person (alias p) and their household (alias h), read by
// ReadPerson from column `c`.
inline constexpr const char* kPersonColumns =
    "p.pid, p.register_no, h.id, p.father_name || ' ' || p.given_name, "
    "h.soum_code, p.sex, p.born, "
    "(p.deactivated_on IS NULL AND h.deactivated_on IS NULL)";
inline coop::PersonRef ReadPerson(const Stmt& s, int c = 0) {
  coop::PersonRef p;
  p.pid = s.Int(c);
  p.register_no = Text(s, c + 1);
  p.household_id = Text(s, c + 2);
  p.name = Text(s, c + 3);
  p.soum_code = static_cast<int32_t>(s.Int(c + 4));
  p.sex = SexOf(s, c + 5);
  p.birth_date = Date::FromDays(static_cast<int32_t>(s.Int(c + 6)));
  p.active = s.Int(c + 7) != 0;
  return p;
}

// A JSON array of integers, for `IN (SELECT value FROM json_each(?))`.
inline std::string JsonInts(const std::vector<int32_t>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    out += (i ? "," : "") + std::to_string(v[i]);
  }
  return out + "]";
}

}  // namespace malchin::backends::sqlite::coopsql
