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
// idle_timeout. A route's max_body bounds its body (413 beyond it). Beyond
// max_connections, new connections get 503 and are closed. Stop() (or
// SIGTERM/SIGINT when handle_signals) stops accepting, answers in-flight
// requests (with Connection: close), closes idle connections and returns
// from Run() once all are done or shutdown_grace has passed.
// Every request is logged as one JSON line with its request id (taken from
// a well-formed X-Request-Id header, or made), the route pattern (never the
// concrete path or query, which may hold personal data), status and time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

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
