#include "net/worker_pool.h"

namespace malchin::net {

WorkerPool::WorkerPool(int threads, size_t capacity)
    : threads_n_(threads), capacity_(capacity) {}

WorkerPool::~WorkerPool() { Stop(); }

Status WorkerPool::Start(const ContextFactory& make_context) {
  contexts_.resize(threads_n_);
  std::vector<Status> errors(threads_n_);
  // Contexts are made on the workers' own threads (a SQLite connection is
  // best used by the thread that opened it).
  std::mutex start_mu;
  std::condition_variable start_cv;
  int started = 0;
  bool failed = false;
  for (int i = 0; i < threads_n_; ++i) {
    threads_.emplace_back([&, i] {
      auto ctx = make_context();
      bool ok = ctx.ok();
      http::WorkerContext* mine = nullptr;
      {
        std::lock_guard<std::mutex> lock(start_mu);
        if (ok) {
          contexts_[i] = std::move(*ctx);
          mine = contexts_[i].get();
        } else {
          errors[i] = ctx.status();
          failed = true;
        }
        ++started;
        // The locals of Start() may be gone once `started` is complete:
        // notify while holding the lock and touch none of them afterwards.
        start_cv.notify_all();
      }
      if (ok) Run(mine);
    });
  }
  {
    std::unique_lock<std::mutex> lock(start_mu);
    start_cv.wait(lock, [&] { return started == threads_n_; });
  }
  if (failed) {
    Stop();
    for (const Status& s : errors) {
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

bool WorkerPool::TrySubmit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WorkerPool::Run(http::WorkerContext* ctx) {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Stopping and drained.
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(*ctx);
  }
}

void WorkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  contexts_.clear();
}

}  // namespace malchin::net
