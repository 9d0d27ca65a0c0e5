// The outbox's sending worker as a background thread of `malchin serve`:
// rounds of Sender::RunUntilIdle every `interval`, on a session of its own,
// until stopped. Several app servers may each run one on the same
// database: the sender's leases keep each message to one worker
// (sender.h states the guarantee).
//
// A round that fails (the database away, Kannel refusing the account) is
// counted and its message kept in stats(); the worker tries again after
// the interval. Stop() (and the destructor) wakes the thread, lets the
// round in progress end, and joins it: a message being sent is recorded.
//
// Waiting (the interval, and the sender's rate limit) goes through `wait`
// when given, else a condition variable that Stop() and Wake() interrupt;
// time comes from `clock` when given (else the session's own). Tests call
// Wake() and WaitForRounds(n), which block on the worker's progress, not on
// wall time.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "channel/kannel.h"
#include "channel/sender.h"
#include "core/clock.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::channel {

struct SenderWorkerOptions {
  SenderOptions sender;
  std::chrono::milliseconds interval{5000};  // Between idle looks.
  const Clock* clock = nullptr;              // Null: the session's clock.
  Wait wait = nullptr;                       // Null: an interruptible wait.
};

struct SenderWorkerStats {
  int64_t rounds = 0;  // Completed RunUntilIdle calls, failed ones too.
  int64_t sent = 0, retried = 0, failed = 0, unknown = 0;
  int64_t errors = 0;
  std::string last_error;
};

using SessionFactory = std::function<Result<std::unique_ptr<store::Session>>()>;

class SenderWorker {
 public:
  // Starts the thread. REQUIRES: `client` outlives the worker. The session
  // is opened by the thread (an error there counts as a failed round and
  // is tried again after the interval).
  SenderWorker(SessionFactory connect, std::unique_ptr<KannelClient> client,
               std::shared_ptr<const params::ParameterSet> parameters,
               SenderWorkerOptions options);
  ~SenderWorker();
  SenderWorker(const SenderWorker&) = delete;
  SenderWorker& operator=(const SenderWorker&) = delete;

  // Runs a round now instead of at the end of the interval.
  void Wake();
  // Stops and joins the thread; idempotent.
  void Stop();
  // Blocks until at least `n` rounds have completed (or the worker stopped).
  void WaitForRounds(int64_t n);
  SenderWorkerStats stats() const;

 private:
  void Run();
  void Round(Sender& sender);
  bool Pause(std::chrono::milliseconds d);  // False: stopping.

  SessionFactory connect_;
  std::unique_ptr<KannelClient> client_;
  std::shared_ptr<const params::ParameterSet> parameters_;
  SenderWorkerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;    // GUARDED_BY(mu_)
  bool woken_ = false;       // GUARDED_BY(mu_)
  SenderWorkerStats stats_;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace malchin::channel
