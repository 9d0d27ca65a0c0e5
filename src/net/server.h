// The HTTP server (Boost.Beast/Asio, which never leave this folder).
//
//   network thread(s)  accept, parse, timeouts, body limits, connection cap,
//                      inline routes (health, static files)
//   worker pool        blocking handlers, one store connection per worker;
//                      full -> 503 with Retry-After at once
//   job pool           (http::JobPool, owned by the caller) long jobs
//
// Timeouts: the request head must arrive within header_timeout; the body
// within body_timeout; an idle keep-alive connection is closed after
// idle_timeout. Beyond max_connections, new connections get 503 and are
// closed.
//
// Bodies: nothing of a body is read before the head has been judged. A
// route's max_body bounds its body (413 beyond it, on the declared length
// before reading). A route with a head_check (authentication and permission)
// runs it on a worker with the head only; a refusal is sent at once and the
// body is never read. Then the body's bytes (its declared length, or the
// route's max_body when chunked) are reserved from a budget shared by all
// connections: max_body_memory for bodies received into memory,
// max_body_spool for routes with spool_body, whose bodies go to a temporary
// file (mode 0600, unlinked at once, closed once answered); a spooled body
// is loaded for its handler against max_body_memory. A body beyond its
// budget gets 503 with Retry-After. "Expect: 100-continue" is answered only
// once the body is admitted. Every answer carries http::AddSecurityHeaders.
//
// Proxies: a request from an address in trusted_proxies takes its client
// address from the last X-Forwarded-For entry and is `secure` when
// X-Forwarded-Proto is "https"; other clients' forwarding headers are
// ignored.
//
// Stop() (or SIGTERM/SIGINT when handle_signals) begins draining: /ready
// answers 503 (ServerState::draining), new connections are still accepted
// and answered with Connection: close, in-flight requests are finished,
// idle connections are closed; Run() returns (and the port is closed) once
// nothing is left or shutdown_grace has passed.
// Every request is logged as one JSON line with its request id (taken from
// a well-formed X-Request-Id header, or made), the route pattern (never the
// concrete path or query, which may hold personal data), status and time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/router.h"
#include "http/server_state.h"
#include "http/static_files.h"
#include "net/worker_pool.h"

namespace malchin::net {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port (see Server::port()).
  int io_threads = 1;
  int workers = 4;
  size_t queue_per_worker = 64;  // Waiting requests per worker before 503.
  int max_connections = 10000;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds shutdown_grace{30000};
  size_t max_header_bytes = 16 * 1024;
  // Bytes of request bodies in memory at once, across all connections.
  int64_t max_body_memory = int64_t{512} << 20;
  // Bytes of request bodies spooled to temporary files at once.
  int64_t max_body_spool = int64_t{4} << 30;
  std::string spool_dir;  // Empty: the system's temporary directory.
  // Peer addresses (e.g. "127.0.0.1" for a local nginx) whose
  // X-Forwarded-For and X-Forwarded-Proto headers are believed.
  std::vector<std::string> trusted_proxies;
  bool handle_signals = false;  // SIGTERM/SIGINT -> graceful Stop().
};

class Server {
 public:
  Server(ServerOptions options, const http::Router& router,
         WorkerPool::ContextFactory make_worker_context,
         const http::StaticFiles* static_files = nullptr);
  ~Server();

  // Binds and listens, starts the workers. Errors: the address is in use or
  // invalid, or a worker could not open its context.
  Status Start();
  // The bound port (after Start).
  uint16_t port() const;
  // Serves until stopped. REQUIRES: Start() succeeded.
  void Run();
  // Graceful stop; safe from any thread and from signal-driven code paths.
  void Stop();

  http::ServerState& state();

 public:
  class Impl;  // Internal (server.cpp).

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace malchin::net
