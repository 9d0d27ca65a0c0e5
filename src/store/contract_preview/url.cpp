#include "store/url.h"

namespace malchin::store {
namespace {

bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Drops "password=..." from a query string ("a=1&password=x&b=2").
std::string DropPasswordParam(std::string_view query) {
  std::string out;
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view kv = query.substr(i, amp - i);
    if (!kv.empty() && !StartsWith(kv, "password=")) {
      if (!out.empty()) out += '&';
      out += kv;
    }
    i = amp + 1;
  }
  return out;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t auth_start = scheme + 3;
  size_t slash = url.find('/', auth_start);
  size_t q = url.find('?', auth_start);
  size_t auth_end = std::min(slash, q);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  std::string out(url.substr(0, auth_start));
  std::string_view authority = url.substr(auth_start, auth_end - auth_start);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    out += userinfo.substr(0, colon);
    out += authority.substr(at);
  } else {
    out += authority;
  }
  if (q != std::string_view::npos) {
    out += url.substr(auth_end, q - auth_end);
    std::string kept = DropPasswordParam(url.substr(q + 1));
    if (!kept.empty()) out += "?" + kept;
  } else {
    out += url.substr(auth_end);
  }
  return out;
}

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view text) {
  DatabaseUrl u;
  if (text.empty()) {
    return Status::InvalidArgument(
        "no database given: expected a path, sqlite:PATH or "
        "postgresql://user@host:port/dbname",
        "db");
  }
  if (StartsWith(text, "postgresql://") || StartsWith(text, "postgres://")) {
    u.engine = Engine::kPostgres;
    u.conninfo = std::string(text);
    u.redacted = RedactUrl(text);
    return u;
  }
  if (StartsWith(text, "sqlite:")) {
    text.remove_prefix(7);
    if (StartsWith(text, "//")) text.remove_prefix(2);
    if (text.empty()) {
      return Status::InvalidArgument(
          "sqlite: URL without a file: expected sqlite:PATH", "db");
    }
  } else {
    size_t colon = text.find("://");
    if (colon != std::string_view::npos) {
      return Status::InvalidArgument(
          "database '" + RedactUrl(text) +
              "': unknown engine; expected a path, sqlite:PATH or "
              "postgresql://user@host:port/dbname",
          "db");
    }
  }
  u.engine = Engine::kSqlite;
  u.path = std::string(text);
  u.redacted = "sqlite:" + u.path;
  return u;
}

}  // namespace malchin::store
