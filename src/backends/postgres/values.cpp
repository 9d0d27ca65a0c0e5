#include "backends/postgres/values.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace malchin::backends::postgres {

PgValue ToPg(double v) {
  if (std::isnan(v)) return std::string("NaN");
  if (std::isinf(v)) return std::string(v > 0 ? "Infinity" : "-Infinity");
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 32 bytes hold any double's shortest form.
  return std::string(buf, end);
}

int64_t PgInt(const pqxx::field& f) { return PgOptInt(f).value_or(0); }
double PgReal(const pqxx::field& f) { return PgOptReal(f).value_or(0.0); }
bool PgBool(const pqxx::field& f) {
  return !f.is_null() && f.c_str()[0] == 't';
}
std::string PgText(const pqxx::field& f) {
  if (f.is_null()) return {};
  return std::string(f.c_str(), f.size());
}
Date PgDate(const pqxx::field& f) { return PgOptDate(f).value_or(Date()); }

std::optional<int64_t> PgOptInt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  const char* s = f.c_str();
  int64_t v = 0;
  std::from_chars(s, s + std::strlen(s), v);
  return v;
}

std::optional<double> PgOptReal(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  std::string_view s = f.c_str();
  if (s == "NaN") return std::nan("");
  if (s == "Infinity") return HUGE_VAL;
  if (s == "-Infinity") return -HUGE_VAL;
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<std::string> PgOptText(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return PgText(f);
}

std::optional<Date> PgOptDate(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  Result<Date> d = Date::Parse(f.c_str());
  return d.ok() ? *d : Date();
}

}  // namespace malchin::backends::postgres
