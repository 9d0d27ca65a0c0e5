#include "net/server.h"

#include <thread>
#include <vector>

#include "net/log.h"
#include "net/server_internal.h"

namespace malchin::net {

Server::Impl::Impl(ServerOptions options, const http::Router& router,
                   WorkerPool::ContextFactory make_ctx,
                   const http::StaticFiles* files)
    : options_(std::move(options)),
      router_(router),
      make_ctx_(std::move(make_ctx)),
      files_(files),
      ioc_(std::max(1, options_.io_threads)),
      acceptor_(asio::make_strand(ioc_)),
      signals_(ioc_),
      drain_timer_(ioc_),
      pool_(std::max(1, options_.workers),
            std::max<size_t>(1, options_.queue_per_worker) *
                std::max(1, options_.workers)),
      body_memory_(&state_.body_memory,
                   std::max<int64_t>(0, options_.max_body_memory)),
      body_spool_(&state_.body_spooled,
                  std::max<int64_t>(0, options_.max_body_spool)) {
  state_.workers = std::max(1, options_.workers);
  state_.queue_capacity = static_cast<int64_t>(
      std::max<size_t>(1, options_.queue_per_worker) * state_.workers);
}

bool Server::Impl::IsTrustedProxy(const std::string& address) const {
  for (const std::string& p : options_.trusted_proxies) {
    if (p == address) return true;
  }
  return false;
}

Status Server::Impl::Start() {
  for (const std::string& proxy : options_.trusted_proxies) {
    beast::error_code ec;
    auto address = asio::ip::make_address(proxy, ec);
    if (ec || address.to_string() != proxy) {
      return Status::InvalidArgument(
          "--trusted-proxy '" + proxy + "': expected an IP address as " +
              (ec ? std::string("127.0.0.1") : address.to_string()),
          "trusted-proxy");
    }
  }
  MALCHIN_RETURN_IF_ERROR(pool_.Start(make_ctx_));
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    pool_.Stop();
    return Status::InvalidArgument(
        "--address '" + options_.address + "' is not an IP address", "address");
  }
  tcp::endpoint ep(address, options_.port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    pool_.Stop();
    return Status::Unavailable("cannot listen on " + options_.address + ":" +
                               std::to_string(options_.port) + ": " +
                               ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  if (options_.handle_signals) {
    signals_.add(SIGTERM);
    signals_.add(SIGINT);
    signals_.async_wait([this](beast::error_code ec, int sig) {
      if (ec) return;
      Log(LogLevel::kInfo, "signal; shutting down gracefully",
          {{"signal", std::to_string(sig)}});
      Stop();
    });
  }
  Accept();
  state_.ready = true;
  Log(LogLevel::kInfo, "listening",
      {{"address", JsonString(options_.address)},
       {"port", std::to_string(port_)},
       {"workers", std::to_string(state_.workers)},
       {"max_connections", std::to_string(options_.max_connections)}});
  return Status::Ok();
}

void Server::Impl::Accept() {
  acceptor_.async_accept(
      asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
        if (ec) {
          if (ec == asio::error::operation_aborted || stopping_) return;
          // E.g. out of file descriptors: back off briefly, keep serving.
          Log(LogLevel::kWarn, "accept failed",
              {{"error", JsonString(ec.message())}});
          auto t = std::make_shared<asio::steady_timer>(
              ioc_, std::chrono::milliseconds(50));
          t->async_wait([this, t](beast::error_code) { Accept(); });
          return;
        }
        if (state_.connections >= options_.max_connections) {
          // Over the cap: a short 503 and close.
          auto sock = std::make_shared<tcp::socket>(std::move(s));
          static const std::string kBusy = [] {
            std::string body =
                "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"too many "
                "connections; try again shortly\",\"field\":null}}";
            return "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                   "Content-Type: application/json\r\nConnection: close\r\n"
                   "X-Content-Type-Options: nosniff\r\n"
                   "Content-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body;
          }();
          asio::async_write(*sock, asio::buffer(kBusy),
                            [sock](beast::error_code, size_t) {
                              beast::error_code ec2;
                              sock->close(ec2);
                            });
        } else {
          state_.connections++;
          uint64_t id = ++next_session_;
          auto session = std::make_shared<Session>(std::move(s), *this, id);
          Register(id, session);
          session->Start();
        }
        Accept();
      });
}

void Server::Impl::Run() {
  std::vector<std::thread> extra;
  for (int i = 1; i < options_.io_threads; ++i) {
    extra.emplace_back([this] { ioc_.run(); });
  }
  ioc_.run();
  for (auto& t : extra) t.join();
  pool_.Stop();
  state_.ready = false;
  Log(LogLevel::kInfo, "stopped");
}

void Server::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(ioc_, [this] {
    // The port stays open while draining, so that /ready answers 503
    // rather than refusing the connection.
    state_.ready = false;
    state_.draining = true;
    beast::error_code ec;
    signals_.cancel(ec);
    stop_deadline_ = std::chrono::steady_clock::now() + options_.shutdown_grace;
    CheckDrained();
  });
}

void Server::Impl::CloseIdleSessions() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    for (auto& [id, w] : sessions_) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->CloseIfIdle();
}

void Server::Impl::CheckDrained() {
  if ((state_.connections == 0 && state_.in_flight == 0 &&
       state_.queued == 0) ||
      std::chrono::steady_clock::now() >= stop_deadline_) {
    beast::error_code ec;
    acceptor_.close(ec);
    ioc_.stop();
    return;
  }
  CloseIdleSessions();  // Also those that became idle since the last pass.
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this](beast::error_code) { CheckDrained(); });
}

Server::Server(ServerOptions options, const http::Router& router,
               WorkerPool::ContextFactory make_worker_context,
               const http::StaticFiles* static_files)
    : impl_(std::make_unique<Impl>(std::move(options), router,
                                   std::move(make_worker_context),
                                   static_files)) {}

Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port_; }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
http::ServerState& Server::state() { return impl_->state_; }

}  // namespace malchin::net
