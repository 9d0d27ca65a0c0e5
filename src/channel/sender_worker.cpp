#include "channel/sender_worker.h"

namespace malchin::channel {

SenderWorker::SenderWorker(
    SessionFactory connect, std::unique_ptr<KannelClient> client,
    std::shared_ptr<const params::ParameterSet> parameters,
    SenderWorkerOptions options)
    : connect_(std::move(connect)),
      client_(std::move(client)),
      parameters_(std::move(parameters)),
      options_(std::move(options)) {
  thread_ = std::thread([this] { Run(); });
}

SenderWorker::~SenderWorker() { Stop(); }

void SenderWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void SenderWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SenderWorker::WaitForRounds(int64_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return stats_.rounds >= n || stopping_; });
}

SenderWorkerStats SenderWorker::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

bool SenderWorker::Pause(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopping_ || woken_; });
  woken_ = false;
  return !stopping_;
}

void SenderWorker::Round(Sender& sender) {
  Result<SendRound> r = sender.RunUntilIdle();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.rounds;
    if (r.ok()) {
      stats_.sent += r->sent;
      stats_.retried += r->retried;
      stats_.failed += r->failed;
      stats_.unknown += r->unknown;
    } else {
      ++stats_.errors;
      stats_.last_error = r.status().ToString();
    }
  }
  cv_.notify_all();
}

void SenderWorker::Run() {
  std::unique_ptr<store::Session> session;
  do {
    if (!session) {
      Result<std::unique_ptr<store::Session>> s = connect_();
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        ++stats_.rounds;
        ++stats_.errors;
        stats_.last_error = s.status().ToString();
        cv_.notify_all();
        continue;
      }
      session = std::move(*s);
      session->SetCaller({"system:sms-sender", "", {}});
      if (options_.clock) session->SetClock(options_.clock);
    }
    Wait wait =
        options_.wait ? options_.wait : [this](std::chrono::milliseconds d) {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait_for(lock, d, [this] { return stopping_; });
        };
    Sender sender(*session, *client_, *parameters_, options_.sender, wait);
    Round(sender);
  } while (Pause(options_.interval));
}

}  // namespace malchin::channel
