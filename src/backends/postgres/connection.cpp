#include "backends/postgres/connection.h"

#include <pqxx/pqxx>

namespace malchin::backends::postgres {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 &&
        HexDigit(s[i + 2]) >= 0) {
      out.push_back(
          static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The password written in a postgresql:// URL: "user:PASSWORD@" in the
// authority, or a "password=" parameter.
std::vector<std::string> PasswordsIn(std::string_view url) {
  std::vector<std::string> out;
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return out;
  size_t start = scheme + 3;
  size_t end = std::min(url.find('/', start), url.find('?', start));
  if (end == std::string_view::npos) end = url.size();
  std::string_view authority = url.substr(start, end - start);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) {
      out.emplace_back(userinfo.substr(colon + 1));
    }
  }
  size_t q = url.find('?', start);
  while (q != std::string_view::npos && q < url.size()) {
    size_t amp = url.find('&', q + 1);
    std::string_view kv =
        url.substr(q + 1, amp == std::string_view::npos ? std::string_view::npos
                                                        : amp - q - 1);
    if (kv.substr(0, 9) == "password=") out.emplace_back(kv.substr(9));
    q = amp;
  }
  std::vector<std::string> all;
  for (const std::string& p : out) {
    if (p.empty()) continue;
    all.push_back(p);
    std::string decoded = PercentDecode(p);
    if (decoded != p) all.push_back(decoded);
  }
  return all;
}

std::string FirstLine(std::string_view text) {
  if (text.substr(0, 7) == "ERROR: ") text.remove_prefix(7);
  if (text.substr(0, 7) == "FATAL: ") text.remove_prefix(7);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  size_t nl = text.find('\n');
  return std::string(text.substr(0, nl));
}

StatusCode CodeOfState(const std::string& state) {
  auto cls = state.substr(0, 2);
  if (state == "23505") return StatusCode::kAlreadyExists;
  if (cls == "23" || state == "P0001" || state == "25006") {
    return StatusCode::kFailedPrecondition;
  }
  if (cls == "40" || cls == "08" || cls == "57" || state == "55P03" ||
      state == "53300") {
    return StatusCode::kUnavailable;
  }
  if (cls == "53") return StatusCode::kResourceExhausted;
  if (cls == "22") return StatusCode::kInvalidArgument;
  if (state == "3D000") return StatusCode::kNotFound;
  if (cls == "28" || state == "42501") return StatusCode::kPermissionDenied;
  return StatusCode::kInternal;
}

// The SQLSTATE of `e`, or "". libpqxx 6 derives its transaction_rollback
// family from failure, not from sql_error, and keeps no state there.
std::string StateOf(const std::exception& e) {
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&e)) {
    return "42501";  // libpqxx 6.4 leaves its state empty.
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return sql->sqlstate();
  }
  if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) {
    return "40003";
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) return "40000";
  return "";
}

// A connection that failed before the server gave an SQLSTATE: only the
// server's words say why (best effort; they are English unless the server
// is told otherwise).
StatusCode CodeOfConnectFailure(std::string_view message) {
  if (message.find("authentication failed") != std::string_view::npos ||
      message.find("no password supplied") != std::string_view::npos) {
    return StatusCode::kPermissionDenied;
  }
  if (message.find("database \"") != std::string_view::npos &&
      message.find("does not exist") != std::string_view::npos) {
    return StatusCode::kNotFound;
  }
  return StatusCode::kUnavailable;
}

}  // namespace

PgTarget PgTarget::From(const store::DatabaseUrl& url) {
  PgTarget t;
  t.conninfo = url.conninfo;
  t.redacted =
      url.redacted.empty() ? store::RedactUrl(url.conninfo) : url.redacted;
  t.secrets = PasswordsIn(url.conninfo);
  return t;
}

std::string PgTarget::Scrub(std::string message) const {
  for (const std::string& s : secrets) {
    for (size_t at = message.find(s); at != std::string::npos;
         at = message.find(s, at + 3)) {
      message.replace(at, s.size(), "***");
    }
  }
  return message;
}

Status PgError(const std::exception& e, std::string_view what,
               const PgTarget& target, bool* retryable) {
  std::string detail = FirstLine(e.what());
  StatusCode code = StatusCode::kInternal;
  if (const std::string state = StateOf(e); !state.empty()) {
    code = CodeOfState(state);
    if (retryable && (state == "40001" || state == "40P01")) *retryable = true;
  } else if (dynamic_cast<const pqxx::broken_connection*>(&e)) {
    code = CodeOfConnectFailure(detail);
  } else if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    code = StatusCode::kUnavailable;
    detail =
        "the connection broke during commit; whether the transaction "
        "committed is unknown (" +
        detail + ")";
  }
  return Status(code, target.Scrub(std::string(what) + " on " +
                                   target.redacted + ": " + detail));
}

Result<std::unique_ptr<pqxx::connection>> Connect(const PgTarget& target,
                                                  bool read_only) {
  try {
    auto c = std::make_unique<pqxx::connection>(target.conninfo);
    c->set_client_encoding("UTF8");
    c->set_variable("DateStyle", "ISO");
    c->set_variable("TimeZone", "UTC");
    c->set_variable("application_name", "malchin");
    if (read_only) c->set_variable("default_transaction_read_only", "on");
    return c;
  } catch (const std::exception& e) {
    return PgError(e, "cannot connect", target);
  }
}

int64_t LockKey(std::string_view name) {
  std::string hex = store::Sha256Hex(name);
  uint64_t key = 0;
  for (int i = 0; i < 16; ++i) key = key << 4 | HexDigit(hex[i]);
  return static_cast<int64_t>(key);
}

}  // namespace malchin::backends::postgres
