// The router: (method, path pattern) -> handler. Pure and unit-testable.
//
// Patterns are literal segments and {name} parameters matching one
// non-empty segment: "/api/v1/households/{household_id}". A literal segment
// wins over a parameter at the same position. Each route also describes
// itself for the OpenAPI document (api/openapi) and tells the server how to
// run it (inline on the network thread, or on the worker pool) and how large
// a body it accepts.
// Thread-safety: routes are added before the server starts; Match is then
// safe from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace malchin::http {

using Handler = std::function<Response(Request&)>;

// Decides on the request head alone (method, path, params, headers, remote
// address; no body yet) whether the server may read the body: nullopt to go
// on, or the answer to send instead (401, 403, ...), after which the body is
// never read. It runs on a worker (request.worker is set), so it may use the
// worker's store; it must not keep the request.
using HeadCheck = std::function<std::optional<Response>(const Request& head)>;

enum class Dispatch {
  kInline,  // Quick and non-blocking (health, static files): network thread.
  kWorker,  // Blocking work (the store): the bounded worker pool.
};

struct Parameter {
  std::string name;
  std::string in;  // "path", "query" or "header".
  std::string description;
  bool required = false;
  std::string type = "string";  // "string", "integer", "boolean".
};

// What a route documents about itself (OpenAPI operation).
struct RouteDoc {
  std::string summary;
  std::string tag;                       // e.g. "registry", "auth".
  std::vector<Parameter> query;          // Path parameters are implied.
  std::string request_schema;            // JSON Schema of the body, or "".
  std::map<int, std::string> responses;  // Status -> description.
  bool authenticated = true;
  std::string permission;  // Informative: who may call it.
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteDoc doc;
  Dispatch dispatch = Dispatch::kWorker;
  size_t max_body = 1 << 20;  // Bytes; larger bodies are refused with 413.
  // Run before a body is read (see HeadCheck); none: bodies are read at once.
  HeadCheck head_check;
  // Receive the body into a temporary file instead of memory (large
  // uploads); the handler still finds it in Request::body.
  bool spool_body = false;
};

class Router {
 public:
  // REQUIRES: pattern starts with '/', no duplicate (method, pattern).
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // Null: see status.
    std::map<std::string, std::string> params;
    int status = 200;   // 404 (no such path) or 405 (wrong method).
    std::string allow;  // For 405: the methods the path has.
  };
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // A route's pattern split at '/' once, when it is added: a segment is a
  // literal or a {parameter} (its name).
  struct Compiled {
    std::vector<std::string> segments;
    std::vector<bool> is_param;
  };
  static bool MatchSegments(const Compiled& pattern,
                            const std::vector<std::string_view>& path,
                            int* literal_score);
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;  // Parallel to routes_.
};

}  // namespace malchin::http
