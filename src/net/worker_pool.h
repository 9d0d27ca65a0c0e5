// A bounded pool of worker threads for blocking work (the store). Each
// worker owns a context made once on its own thread (e.g. its own database
// connection: one connection per thread). When `capacity` tasks are already
// waiting, TrySubmit refuses at once instead of queueing without limit.
// Thread-safety: TrySubmit may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace malchin::net {

class WorkerPool {
 public:
  using Task = std::function<void(http::WorkerContext&)>;
  using ContextFactory =
      std::function<Result<std::unique_ptr<http::WorkerContext>>()>;

  WorkerPool(int threads, size_t capacity);
  ~WorkerPool();

  // Starts the threads, each making its context; fails (and stops them all)
  // if any context cannot be made.
  Status Start(const ContextFactory& make_context);
  // false if the queue is full or the pool stopped.
  bool TrySubmit(Task task);
  // Runs what is queued, then joins the threads.
  void Stop();
  size_t queued() const;

 private:
  void Run(http::WorkerContext* ctx);

  int threads_n_;
  size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;   // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<http::WorkerContext>> contexts_;
};

}  // namespace malchin::net
