#include "cli/audit_checkpointer.h"

#include "net/log.h"
#include "store/audit_checkpoint.h"

namespace malchin::cli {

AuditCheckpointer::AuditCheckpointer(store::Database& database,
                                     std::string file, std::string key,
                                     std::chrono::minutes interval)
    : database_(database),
      file_(std::move(file)),
      key_(std::move(key)),
      interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

AuditCheckpointer::~AuditCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  WriteOne();
}

void AuditCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (cv_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    lock.unlock();
    WriteOne();
    lock.lock();
  }
}

void AuditCheckpointer::WriteOne() {
  auto session = database_.Connect();
  if (!session.ok()) {
    net::Log(net::LogLevel::kError,
             "audit checkpoint: " + session.status().message());
    return;
  }
  auto c = store::WriteAuditCheckpoint(**session, file_, key_);
  if (!c.ok()) {
    if (c.status().code() != StatusCode::kFailedPrecondition) {  // Empty.
      net::Log(net::LogLevel::kError,
               "audit checkpoint: " + c.status().message());
    }
    return;
  }
  net::Log(net::LogLevel::kInfo, "audit checkpoint",
           {{"seq", std::to_string(c->seq)},
            {"hash", c->hash},
            {"at", c->at},
            {"file", file_}});
}

}  // namespace malchin::cli
