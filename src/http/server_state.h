// What the network layer tells handlers about the server's state (for
// /health and /ready), without exposing the network library.
// Thread-safety: atomics; written by the server, read by anyone.
#pragma once

#include <atomic>
#include <cstdint>

namespace malchin::http {

struct ServerState {
  std::atomic<bool> ready{false};     // Accepting and workers up.
  std::atomic<bool> draining{false};  // Shutting down.
  std::atomic<int64_t> connections{0};
  std::atomic<int64_t> queued{0};     // Requests waiting for a worker.
  std::atomic<int64_t> in_flight{0};  // Requests being handled.
  std::atomic<int64_t> requests{0};   // Handled since start.
  std::atomic<int64_t> rejected{0};   // 503 because the pool was full.
  // Request bodies held in memory / spooled to temporary files, in bytes
  // (reserved when a body is admitted, given back once it is answered).
  std::atomic<int64_t> body_memory{0};
  std::atomic<int64_t> body_spooled{0};
  int workers = 0;
  int64_t queue_capacity = 0;
};

}  // namespace malchin::http
