// Internal to the server (server.cpp, session.cpp): the listening side and
// one connection. Not part of the net target's interface.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>  // Before Asio (g++ 12 and std::exchange).

#include "net/byte_budget.h"
#include "net/server.h"

namespace malchin::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Session;

class Server::Impl {
 public:
  Impl(ServerOptions options, const http::Router& router,
       WorkerPool::ContextFactory make_ctx, const http::StaticFiles* files);

  Status Start();
  void Run();
  void Stop();
  void Accept();
  void CheckDrained();
  void CloseIdleSessions();
  bool IsTrustedProxy(const std::string& address) const;

  void Register(uint64_t id, const std::shared_ptr<Session>& s) {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    sessions_[id] = s;
  }
  void Unregister(uint64_t id) {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    sessions_.erase(id);
  }

  ServerOptions options_;
  const http::Router& router_;
  WorkerPool::ContextFactory make_ctx_;
  const http::StaticFiles* files_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
  WorkerPool pool_;
  http::ServerState state_;
  ByteBudget body_memory_;
  ByteBudget body_spool_;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point stop_deadline_;
  std::mutex sessions_mu_;
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions_;
  std::atomic<uint64_t> next_session_{0};
  uint16_t port_ = 0;
};

// One connection: read a request head, judge it, read its body, run it
// (inline or on the pool), write the answer, repeat while keep-alive. All
// members are used on the connection's strand, except request_ and the
// body members while a worker runs the route (the strand waits for it).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server, uint64_t id);
  ~Session();

  void Start();
  // Closes the connection if it is waiting for a new request.
  void CloseIfIdle();

 private:
  void ReadHeader(bool first);
  void OnHeader(beast::error_code ec);
  void TakeHead();
  void CheckHead(const http::Route& route);
  void AdmitBody();
  void ReadBody();
  void OnBody(beast::error_code ec);
  void Dispatch();
  // Runs `work` on the worker pool (counted as queued, then in flight);
  // false if the pool is full.
  bool SubmitToWorker(std::function<void(http::WorkerContext&)> work);
  Status LoadSpooledBody();
  static http::Response RunHandler(const http::Route& route,
                                   http::Request& req);
  void Fail(int status, std::string message);
  void Refuse(int status, const Status& why);
  void Respond(http::Response r, bool keep_alive);
  void ReleaseBody();
  void Close();
  void Drain();

  beast::tcp_stream stream_;
  Server::Impl& server_;
  uint64_t id_;
  beast::flat_buffer buffer_;
  // The head, then (moved into) the parser of the body's kind.
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::optional<bhttp::request_parser<bhttp::file_body>> spool_;
  int64_t memory_taken_ = 0;  // From server_.body_memory_.
  int64_t spool_taken_ = 0;   // From server_.body_spool_.
  size_t body_limit_ = 0;
  http::Request request_;
  http::Router::Match match_;
  std::string route_ = "-";
  std::string remote_;
  bool keep_alive_ = true;
  bool waiting_ = false;  // Reading a request head.
  bool first_ = true;     // No request has been read yet.
  bool before_stop_;      // Accepted before Stop().
  bool closing_ = false;  // Close() has begun (draining).
  size_t drained_ = 0;
  std::array<char, 8192> drain_;
  std::chrono::steady_clock::time_point started_ =
      std::chrono::steady_clock::now();
};

}  // namespace malchin::net
