// HTTP requests and responses as plain values, independent of the network
// library (Boost.Beast stays inside src/net), so routers and handlers are
// unit-testable without sockets.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace malchin::http {

// Per-thread state a server worker gives handlers (e.g. its own database
// connection). Capabilities derive from it; see api/context.h.
class WorkerContext {
 public:
  virtual ~WorkerContext() = default;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // As received: path and query.
  std::string path;    // Percent-decoded path, without the query.
  std::multimap<std::string, std::string> query;  // Decoded parameters.
  std::map<std::string, std::string> headers;     // Lower-case names.
  std::string body;
  // The client's address: the peer's, or the one a trusted proxy reports
  // (net::ServerOptions::trusted_proxies).
  std::string remote_address;
  // Reached over TLS: through a trusted proxy that says so
  // (X-Forwarded-Proto: https). Decides the session cookie's Secure flag.
  bool secure = false;
  std::string request_id;
  std::map<std::string, std::string> params;  // From the route's {names}.
  WorkerContext* worker = nullptr;            // The worker running the handler.

  // The header's value, or empty.
  std::string_view Header(std::string_view lower_name) const;
  // The first value of a query parameter, if present.
  std::optional<std::string> Query(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set when the response concerns a user (for the request log).
  std::string log_user;

  void SetHeader(std::string name, std::string value);
  std::string_view GetHeader(std::string_view name) const;

  // `json` is a serialized JSON document.
  static Response Json(int status, std::string json);
  static Response Text(int status, std::string text,
                       std::string content_type = "text/plain; charset=utf-8");
};

// {"error":{"code":"INVALID_ARGUMENT","message":...,"field":...}} with the
// HTTP status from core/error_mapping.h. Internal errors are replaced by a
// generic message carrying `request_id` (the detail belongs in the log, not
// in the answer).
Response ErrorResponse(const Status& status, std::string_view request_id = {});
// The same body with an explicit HTTP status (405, 412, 429, ...).
Response ErrorResponseWithStatus(int http_status, const Status& status);

// Splits "path?query": percent-decodes the path and parameters ('+' is a
// space in the query). InvalidArgument for a bad escape or a path that is
// not valid UTF-8 or does not start with '/'.
Status ParseTarget(std::string_view target, std::string* path,
                   std::multimap<std::string, std::string>* query);

// The Content-Security-Policy every answer carries: scripts, styles, images,
// fonts and requests only from this origin (no inline script, no eval),
// style attributes allowed (they carry no script), no framing, no plugins.
extern const char kContentSecurityPolicy[];

// Adds, where the response has not set them itself, the headers that keep
// browsers from misusing an answer: Content-Security-Policy,
// X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Referrer-Policy:
// no-referrer, Cross-Origin-Opener-Policy: same-origin; and, when
// `secure`, Strict-Transport-Security (a year).
void AddSecurityHeaders(Response* response, bool secure);

// The reason phrase for a status code ("Not Found").
std::string_view ReasonPhrase(int status);

}  // namespace malchin::http
