// Long jobs (imports, analytics, payroll runs) on their own small pool, so
// they never take the interactive workers. A job reports progress that the
// API can poll; its result is a JSON document.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace malchin::http {

// What a running job may report.
class JobProgress {
 public:
  // Fraction done in [0, 1] and a short phase name ("validating").
  void Set(double fraction, std::string phase);
  double fraction() const;
  std::string phase() const;
  // The id of the job being run.
  const std::string& job_id() const { return job_id_; }
  // What a job that fails has to show besides its error (e.g. an import's
  // report of every refused row): the failed job's `result`.
  void SetReport(std::string json);
  std::string report() const;

 private:
  friend class JobPool;
  std::string job_id_;
  std::string report_;
  mutable std::mutex mu_;
  double fraction_ = 0;
  std::string phase_ = "queued";
};

struct JobInfo {
  std::string id;
  std::string kind;   // e.g. "import".
  std::string owner;  // User name; only the owner sees it.
  std::string state;  // "queued", "running", "done", "failed".
  double progress = 0;
  std::string phase;
  std::string result_json;  // When done: the job's result document; when
                            // failed, its report if it set one (or empty).
  Status error;             // When failed.
};

using JobFunction =
    std::function<Result<std::string>(WorkerContext&, JobProgress&)>;

class JobPool {
 public:
  // `threads` workers, each with a context from `make_context`; at most
  // `max_queued` jobs wait. Finished jobs are kept for `keep` most recent.
  JobPool(int threads, size_t max_queued,
          std::function<std::unique_ptr<WorkerContext>()> make_context,
          size_t keep = 1000);
  ~JobPool();  // Finishes running jobs, drops queued ones.

  // The new job's id; kUnavailable if the queue is full.
  Result<std::string> Submit(std::string kind, std::string owner,
                             JobFunction fn);
  std::optional<JobInfo> Get(const std::string& id) const;
  void Shutdown();

 private:
  struct Job {
    JobInfo info;
    JobFunction fn;
    JobProgress progress;
  };
  void Run(WorkerContext* ctx);

  size_t max_queued_;
  size_t keep_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;            // GUARDED_BY(mu_)
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // GUARDED_BY(mu_)
  std::deque<std::string> finished_order_;            // GUARDED_BY(mu_)
  bool stopping_ = false;                             // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<WorkerContext>> contexts_;
};

}  // namespace malchin::http
