// The HTTP API: handlers that decode JSON strictly, check who is asking,
// call the capabilities on the worker's store::Session (its caller set to
// who is asking: the one place area scoping happens) and encode JSON. No
// SQL here, and no network library.
//
// Each capability adds its routes in its own file
// src/api/<capability>_routes.cpp defining `void Add<Capability>Routes(Api*
// api)` (found by the build, like the CLI's *_commands.cpp). Routes are
// versioned under /api/v1/.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/roles.h"
#include "auth/sessions.h"
#include "core/status.h"
#include "geo/geography.h"
#include "http/jobs.h"
#include "http/message.h"
#include "http/router.h"
#include "http/server_state.h"
#include "registry/repository.h"

namespace malchin::api {

// What each worker thread (request or job) owns: its own database session,
// and one on the read replica when the server has one (serve --read-db).
class Worker : public http::WorkerContext {
 public:
  explicit Worker(std::unique_ptr<store::Session> session,
                  std::unique_ptr<store::Session> replica = nullptr)
      : session_(std::move(session)), replica_(std::move(replica)) {}
  store::Session& session() { return *session_; }
  // Where reports read: the replica if there is one, else the session.
  store::Session& reports() { return replica_ ? *replica_ : *session_; }

 private:
  std::unique_ptr<store::Session> session_;
  std::unique_ptr<store::Session> replica_;
};

// Records reads of personal data. Implementations may batch, but never drop:
// Record blocks when their buffer is full. Thread-safe.
class ReadRecorder {
 public:
  virtual ~ReadRecorder() = default;
  virtual Status Record(std::vector<store::PersonRead> reads) = 0;
};

// Group commit of reads: a background writer with its own session commits
// the reads of many requests in one transaction, so recording reads does not
// serialize lookups on the database's write lock. Record() returns only
// when the batch holding its reads is committed: no personal data is served
// before its read is durable. A batch that cannot be written (a full disk)
// fails the reads in it with kUnavailable, and the next batch tries again:
// the server recovers by itself once the disk has room.
class BatchingReadRecorder : public ReadRecorder {
 public:
  static Result<std::unique_ptr<BatchingReadRecorder>> Open(
      std::function<Result<std::unique_ptr<store::Session>>()> open_session,
      size_t max_pending = 100000);
  // The same with the batch writer given (tests).
  using Writer =
      std::function<Status(const std::vector<store::PersonRead>& batch)>;
  static std::unique_ptr<BatchingReadRecorder> WithWriter(
      Writer write, size_t max_pending = 100000);
  ~BatchingReadRecorder() override;
  Status Record(std::vector<store::PersonRead> reads) override;
  void Flush();

 private:
  BatchingReadRecorder() = default;
  struct State;
  std::unique_ptr<State> s_;
};

// Shared by all handlers; everything in it is thread-safe. It must outlive
// the router (handlers keep a pointer to it); the Api object need not.
struct Services {
  auth::Authenticator* auth = nullptr;
  std::shared_ptr<const geo::Geography> geo;
  http::JobPool* jobs = nullptr;
  http::ServerState* state = nullptr;  // For /ready; may be null in tests.
  ReadRecorder* reads = nullptr;  // Null: written with the request's store.
  std::string export_dir;         // Where export jobs write files.
  // Add "Secure" to the session cookie always (it is added anyway to
  // requests that came over TLS: http::Request::secure).
  bool secure_cookies = false;
  // The SMS gateway's callbacks (channel_routes.cpp): the shared token
  // Kannel sends (empty: the callbacks answer 404) and the short code
  // herders text, named in answers.
  std::string sms_token;
  std::string sms_short_code = "1234";
  // The server secret mixed into the hash of every herder sign-in code
  // (herder/signin.h; malchin serve --herder-pepper): at least 32
  // characters, the same on every app server. Empty: the herders' sign-in
  // routes answer 503.
  std::string herder_pepper;
};

// What a handler gets: the request, who is asking, and the worker's
// session with its caller set to them (reads see their area only).
// `reports` is where read-only aggregates (statistics, coverage, analytics)
// read: a hot standby when the server runs with --read-db (it may lag the
// primary by the replication delay), else `session` itself.
struct Call {
  http::Request& request;
  auth::Principal who;
  store::Session& session;
  store::Session& reports;
  registry::Repository& Register() {
    return session.Get<registry::Repository>();
  }
};

// Bodies up to this size are received into memory; larger ones (routes
// declaring a larger max_body) into a temporary file.
inline constexpr size_t kMaxBodyInMemory = size_t{8} << 20;

class Api {
 public:
  Api(http::Router* router, Services* services)
      : router_(router), services_(services) {}

  Services& services() { return *services_; }
  http::Router& router() { return *router_; }

  using CallHandler = std::function<Result<http::Response>(Call&)>;
  using PublicHandler = std::function<Result<http::Response>(http::Request&)>;

  // An authenticated route on the worker pool: the caller must hold a valid
  // session (Bearer token or the session cookie) and `permission`. Errors
  // become JSON error bodies with their HTTP status. The check runs on the
  // request head too (http::Route::head_check), so that a body is read only
  // for a caller allowed to send it; a route taking more than
  // kMaxBodyInMemory bytes (imports) has its body spooled to a temporary
  // file while it arrives.
  void Add(std::string method, std::string pattern, http::RouteDoc doc,
           std::optional<auth::Permission> permission, CallHandler handler,
           size_t max_body = 1 << 20);
  // A route without authentication.
  void AddPublic(std::string method, std::string pattern, http::RouteDoc doc,
                 PublicHandler handler,
                 http::Dispatch dispatch = http::Dispatch::kWorker,
                 size_t max_body = 1 << 20);

 private:
  http::Router* router_;
  Services* services_;
};

// Records that the caller read these persons' personal data (person.read),
// through services.reads or else with the call's own store.
Status RecordReads(Services& services, Call& call,
                   const std::vector<registry::Person>& persons,
                   std::string_view purpose);

// The session of a job's worker, acting for `who` (their area scopes every
// read of the job). Internal if `ctx` is not a Worker.
Result<store::Session*> JobSession(http::WorkerContext& ctx,
                                   const auth::Principal& who);

// Builds the whole API: every capability's routes, /health, /ready and
// /api/openapi.json (generated from the router, so it cannot drift).
void BuildApi(http::Router* router, Services* services);

// The OpenAPI 3.0 document of `router`.
std::string OpenApiDocument(const http::Router& router);

// The session token of a request: "Authorization: Bearer <token>", or the
// malchin_session cookie. Empty if none.
std::string SessionToken(const http::Request& request);

// JSON response helpers.
http::Response JsonResponse(int status, const nlohmann::json& body);
// CSV instead of JSON: ?format=csv|json, else the Accept header (text/csv),
// else JSON. InvalidArgument (field "format") for another format.
Result<bool> WantsCsv(const http::Request& r);
// 200 text/csv (UTF-8).
http::Response CsvResponse(std::string body);
// A CSV download: text/csv with Content-Disposition attachment `file`.
http::Response CsvAttachment(std::string body, const std::string& file);
// Query parameter as an integer in [min, max] (InvalidArgument naming it).
Result<std::optional<int64_t>> QueryInt(const http::Request& r,
                                        const std::string& name, int64_t min,
                                        int64_t max);
Result<std::optional<bool>> QueryBool(const http::Request& r,
                                      const std::string& name);
// The request's Idempotency-Key header (1-100 printable ASCII characters),
// required of writes that move money or goods so that a retry or a double
// click never records them twice; InvalidArgument (field
// "Idempotency-Key") when missing or malformed.
Result<std::string> IdempotencyKey(const http::Request& r);

// InvalidArgument naming the first query parameter not in `known`.
Status CheckQuery(const http::Request& r,
                  std::initializer_list<const char*> known);

}  // namespace malchin::api
