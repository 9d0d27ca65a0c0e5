#include "http/jobs.h"

#include <sodium.h>

namespace malchin::http {

void JobProgress::Set(double fraction, std::string phase) {
  std::lock_guard<std::mutex> lock(mu_);
  fraction_ = fraction;
  phase_ = std::move(phase);
}
void JobProgress::SetReport(std::string json) {
  std::lock_guard<std::mutex> lock(mu_);
  report_ = std::move(json);
}

std::string JobProgress::report() const {
  std::lock_guard<std::mutex> lock(mu_);
  return report_;
}

double JobProgress::fraction() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fraction_;
}
std::string JobProgress::phase() const {
  std::lock_guard<std::mutex> lock(mu_);
  return phase_;
}

JobPool::JobPool(int threads, size_t max_queued,
                 std::function<std::unique_ptr<WorkerContext>()> make_context,
                 size_t keep)
    : max_queued_(max_queued), keep_(keep) {
  for (int i = 0; i < threads; ++i) {
    contexts_.push_back(make_context());
  }
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, i] { Run(contexts_[i].get()); });
  }
}

JobPool::~JobPool() { Shutdown(); }

void JobPool::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    for (auto& j : queue_) {
      j->info.state = "failed";
      j->info.error = Status::Unavailable("the server shut down");
    }
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

Result<std::string> JobPool::Submit(std::string kind, std::string owner,
                                    JobFunction fn) {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  static const char* kHex = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  auto job = std::make_shared<Job>();
  job->info = {id, std::move(kind), std::move(owner), "queued", 0, "queued",
               "", Status()};
  job->fn = std::move(fn);
  job->progress.job_id_ = id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Status::Unavailable("the server is shutting down");
    if (queue_.size() >= max_queued_) {
      return Status::Unavailable("too many jobs are waiting; try again later");
    }
    queue_.push_back(job);
    jobs_[id] = job;
  }
  cv_.notify_one();
  return id;
}

std::optional<JobInfo> JobPool::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  JobInfo info = it->second->info;
  if (info.state == "running") {
    info.progress = it->second->progress.fraction();
    info.phase = it->second->progress.phase();
  }
  return info;
}

void JobPool::Run(WorkerContext* ctx) {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      job = queue_.front();
      queue_.pop_front();
      job->info.state = "running";
    }
    job->progress.Set(0, "running");
    Result<std::string> r = job->fn(*ctx, job->progress);
    std::lock_guard<std::mutex> lock(mu_);
    if (r.ok()) {
      job->info.state = "done";
      job->info.result_json = std::move(*r);
      job->info.progress = 1;
      job->info.phase = "done";
    } else {
      job->info.state = "failed";
      job->info.error = r.status();
      job->info.result_json = job->progress.report();
      job->info.phase = "failed";
    }
    job->fn = nullptr;
    finished_order_.push_back(job->info.id);
    while (finished_order_.size() > keep_) {
      jobs_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  }
}

}  // namespace malchin::http
