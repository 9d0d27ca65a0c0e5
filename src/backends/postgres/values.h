// Values between C++ and PostgreSQL for this engine's repositories:
// statement parameters and COPY fields in PostgreSQL's text form (ToPg), and
// readers of result fields that never throw (PgInt, PgText, ...).
//
//   s.Prepared("hh.get", "SELECT hh, lat FROM households WHERE id = $1", id)
//   PgInt(row[0]); PgOptReal(row[1]);
//
// NULL is std::nullopt both ways: an empty optional parameter is NULL, and
// the Opt readers return nullopt for NULL. Text never holds a NUL byte
// (PostgreSQL refuses it); dates are 'YYYY-MM-DD' (sessions use DateStyle
// ISO); booleans 't'/'f'.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "core/date.h"

namespace malchin::backends::postgres {

// One parameter or COPY field as text; nullopt is NULL.
using PgValue = std::optional<std::string>;

template <class T>
requires std::integral<T> &&(!std::same_as<T, bool>)PgValue ToPg(T v) {
  return std::to_string(v);
}
inline PgValue ToPg(bool v) { return std::string(v ? "t" : "f"); }
// Shortest text that reads back as the same double; NaN and infinities as
// PostgreSQL spells them.
PgValue ToPg(double v);
inline PgValue ToPg(std::string_view v) { return std::string(v); }
inline PgValue ToPg(const std::string& v) { return v; }
inline PgValue ToPg(const char* v) { return std::string(v); }
inline PgValue ToPg(const Date& d) { return d.ToString(); }
inline PgValue ToPg(std::nullopt_t) { return std::nullopt; }
inline PgValue ToPg(const PgValue& v) { return v; }
template <class T>
PgValue ToPg(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return ToPg(*v);
}

// Readers. A NULL reads as 0, "", false or 1970-01-01 (use the Opt forms
// where NULL means something); text that does not parse reads the same.
int64_t PgInt(const pqxx::field& f);
double PgReal(const pqxx::field& f);
bool PgBool(const pqxx::field& f);
std::string PgText(const pqxx::field& f);
Date PgDate(const pqxx::field& f);
std::optional<int64_t> PgOptInt(const pqxx::field& f);
std::optional<double> PgOptReal(const pqxx::field& f);
std::optional<std::string> PgOptText(const pqxx::field& f);
std::optional<Date> PgOptDate(const pqxx::field& f);

}  // namespace malchin::backends::postgres
