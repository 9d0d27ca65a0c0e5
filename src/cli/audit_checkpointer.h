// Internal to the CLI: the server's audit checkpoints (store/
// audit_checkpoint.h), written every `interval` and once more when the
// server stops, each also printed in the server's log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/database.h"

namespace malchin::cli {

class AuditCheckpointer {
 public:
  // REQUIRES: `database` outlives the checkpointer.
  AuditCheckpointer(store::Database& database, std::string file,
                    std::string key, std::chrono::minutes interval);
  // Writes the last checkpoint and stops the thread.
  ~AuditCheckpointer();

 private:
  void Run();
  void WriteOne();

  store::Database& database_;
  std::string file_, key_;
  std::chrono::minutes interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace malchin::cli
