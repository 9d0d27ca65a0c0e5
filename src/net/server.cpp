#include "net/server.h"

#include <sodium.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>  // Before Asio (g++ 12 and std::exchange).

#include "core/text.h"
#include "net/log.h"

namespace malchin::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

bool WellFormedRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string NewRequestId() {
  static const std::string prefix = [] {
    unsigned char b[4];
    randombytes_buf(b, sizeof b);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
    return std::string(buf);
  }();
  static std::atomic<uint64_t> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

}  // namespace

class Session;

class Server::Impl {
 public:
  Impl(ServerOptions options, const http::Router& router,
       WorkerPool::ContextFactory make_ctx, const http::StaticFiles* files)
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
                  std::max(1, options_.workers)) {
    state_.workers = std::max(1, options_.workers);
    state_.queue_capacity = static_cast<int64_t>(
        std::max<size_t>(1, options_.queue_per_worker) * state_.workers);
  }

  Status Start();
  void Run();
  void Stop();
  void Accept();
  void CheckDrained();

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
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point stop_deadline_;
  std::mutex sessions_mu_;
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions_;
  std::atomic<uint64_t> next_session_{0};
  uint16_t port_ = 0;
};

// One connection: read a request, run it (inline or on the pool), write the
// answer, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server, uint64_t id)
      : stream_(std::move(socket)), server_(server), id_(id) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() {
    server_.state_.connections--;
    server_.Unregister(id_);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->ReadHeader(true); });
  }

  // Closes the connection if it is waiting for a new request.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void ReadHeader(bool first) {
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(server_.options_.max_header_bytes));
    parser_->body_limit(boost::none);  // Checked per route after the head.
    idle_ = buffer_.size() == 0;
    if (server_.stopping_ && idle_) return Close();
    stream_.expires_after(first || !idle_ ? server_.options_.header_timeout
                                          : server_.options_.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->OnHeader(ec);
        });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    started_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return Close();
    }
    if (ec == bhttp::error::header_limit) {
      return Fail(431, "the request headers are larger than " +
                           std::to_string(server_.options_.max_header_bytes) +
                           " bytes");
    }
    if (ec) {
      return Fail(400, "malformed HTTP request: " + ec.message());
    }
    auto& h = parser_->get();
    request_ = http::Request();
    request_.method = std::string(h.method_string());
    request_.target = std::string(h.target());
    std::string_view rid = h["X-Request-Id"];
    request_.request_id =
        WellFormedRequestId(rid) ? std::string(rid) : NewRequestId();
    Status st =
        http::ParseTarget(request_.target, &request_.path, &request_.query);
    if (!st.ok()) return Respond(http::ErrorResponse(st), false);
    match_ = server_.router_.Find(request_.method, request_.path);
    size_t limit = match_.route ? match_.route->max_body : 64 * 1024;
    auto length = parser_->content_length();
    if (length && *length > limit) {
      return Respond(
          http::ErrorResponseWithStatus(
              413, Status::ResourceExhausted(
                       "the request body has " + std::to_string(*length) +
                       " bytes; this endpoint accepts at most " +
                       std::to_string(limit))),
          false);
    }
    parser_->body_limit(limit);
    stream_.expires_after(server_.options_.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](
                          beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Respond(http::ErrorResponseWithStatus(
                         413, Status::ResourceExhausted(
                                  "the request body is larger than this "
                                  "endpoint accepts")),
                     false);
    }
    if (ec == beast::error::timeout) {
      return Respond(http::ErrorResponseWithStatus(
                         408, Status::InvalidArgument(
                                  "the request body did not arrive in time")),
                     false);
    }
    if (ec) {
      if (ec == asio::error::eof || ec == bhttp::error::end_of_stream ||
          ec == asio::error::connection_reset ||
          ec == asio::error::operation_aborted) {
        return Close();
      }
      return Fail(400, "malformed HTTP request: " + ec.message());
    }
    stream_.expires_never();
    auto msg = parser_->release();
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(tolower(c));
      std::string& v = request_.headers[name];
      if (!v.empty()) v += ", ";
      v += std::string(f.value());
    }
    request_.body = std::move(msg.body());
    request_.remote_address = remote_;
    keep_alive_ = msg.keep_alive();
    Dispatch();
  }

  void Dispatch() {
    auto& st = server_.state_;
    if (!match_.route) {
      if (match_.status == 404 && server_.files_ &&
          (request_.method == "GET" || request_.method == "HEAD")) {
        if (auto r = server_.files_->Serve(request_)) {
          route_ = "static";
          return Respond(std::move(*r), keep_alive_);
        }
      }
      http::Response r =
          match_.status == 405
              ? http::ErrorResponseWithStatus(
                    405, Status::InvalidArgument(request_.method +
                                                 " is not allowed here; use " +
                                                 match_.allow))
              : http::ErrorResponseWithStatus(
                    404,
                    Status::NotFound("no such endpoint: " + request_.path));
      if (match_.status == 405) r.SetHeader("Allow", match_.allow);
      route_ = "-";
      return Respond(std::move(r), keep_alive_);
    }
    route_ = match_.route->pattern;
    request_.params = std::move(match_.params);
    const http::Route* route = match_.route;
    if (route->dispatch == http::Dispatch::kInline) {
      return Respond(RunHandler(*route, request_, request_.request_id),
                     keep_alive_);
    }
    st.queued++;
    auto self = shared_from_this();
    bool accepted =
        server_.pool_.TrySubmit([self, route](http::WorkerContext& ctx) {
          auto& st = self->server_.state_;
          st.queued--;
          st.in_flight++;
          self->request_.worker = &ctx;
          http::Response r =
              RunHandler(*route, self->request_, self->request_.request_id);
          self->request_.worker = nullptr;
          st.in_flight--;
          asio::post(self->stream_.get_executor(),
                     [self, r = std::move(r)]() mutable {
                       self->Respond(std::move(r), self->keep_alive_);
                     });
        });
    if (!accepted) {
      st.queued--;
      st.rejected++;
      http::Response r = http::ErrorResponseWithStatus(
          503, Status::Unavailable("the server is busy; try again shortly"));
      r.SetHeader("Retry-After", "1");
      Respond(std::move(r), keep_alive_);
    }
  }

  static http::Response RunHandler(const http::Route& route, http::Request& req,
                                   const std::string& request_id) {
    try {
      return route.handler(req);
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "handler threw",
          {{"request_id", JsonString(request_id)},
           {"error", JsonString(e.what())}});
      return http::ErrorResponse(Status::Internal(e.what()), request_id);
    }
  }

  void Fail(int status, std::string message) {
    request_ = http::Request();
    request_.request_id = NewRequestId();
    route_ = "-";
    Respond(http::ErrorResponseWithStatus(
                status, Status::InvalidArgument(std::move(message))),
            false);
  }

  void Respond(http::Response r, bool keep_alive) {
    if (server_.stopping_) keep_alive = false;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(r.status));
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->set("X-Request-Id", request_.request_id);
    res->set(bhttp::field::server, "malchin");
    bool head = request_.method == "HEAD";
    size_t body_size = r.body.size();
    res->body() = head ? std::string() : std::move(r.body);
    res->keep_alive(keep_alive);
    res->content_length(body_size);
    if (head) res->body().clear();
    server_.state_.requests++;
    if (LogEnabled(LogLevel::kInfo)) {
      auto ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - started_)
                    .count();
      LogFields f = {{"request_id", JsonString(request_.request_id)},
                     {"method", JsonString(request_.method)},
                     {"route", JsonString(route_)},
                     {"status", std::to_string(r.status)},
                     {"ms", std::to_string(ms)},
                     {"bytes", std::to_string(body_size)},
                     {"remote", JsonString(remote_)}};
      if (!r.log_user.empty()) f.emplace_back("user", JsonString(r.log_user));
      Log(LogLevel::kInfo, "request", f);
    }
    stream_.expires_after(server_.options_.write_timeout);
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, keep_alive](
                           beast::error_code ec, size_t) {
                         if (ec || !keep_alive) return self->Close();
                         self->ReadHeader(false);
                       });
  }

  // A lingering close: stop sending, then read and discard what the client
  // may still be sending (e.g. the rest of a body refused with 413) until it
  // closes, for at most 2 s and 16 MiB. Closing at once with unread data
  // would reset the connection, and the client would lose the response.
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || closing_) {
      stream_.socket().close(ec);
      return;
    }
    closing_ = true;
    stream_.expires_after(std::chrono::seconds(2));
    Drain();
  }

  void Drain() {
    stream_.async_read_some(
        asio::buffer(drain_),
        [self = shared_from_this()](beast::error_code ec, size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > (16u << 20)) {
            beast::error_code ignored;
            self->stream_.socket().close(ignored);
            return;
          }
          self->Drain();
        });
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  http::Request request_;
  http::Router::Match match_;
  std::string route_ = "-";
  std::string remote_;
  bool keep_alive_ = true;
  bool idle_ = false;
  bool closing_ = false;  // Close() has begun (draining).
  size_t drained_ = 0;
  std::array<char, 8192> drain_;
  std::chrono::steady_clock::time_point started_ =
      std::chrono::steady_clock::now();
};

Status Server::Impl::Start() {
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
    state_.ready = false;
    state_.draining = true;
    beast::error_code ec;
    acceptor_.close(ec);
    signals_.cancel(ec);
    stop_deadline_ = std::chrono::steady_clock::now() + options_.shutdown_grace;
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard<std::mutex> lock(sessions_mu_);
      for (auto& [id, w] : sessions_) {
        if (auto s = w.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->CloseIfIdle();
    CheckDrained();
  });
}

void Server::Impl::CheckDrained() {
  if ((state_.connections == 0 && state_.in_flight == 0 &&
       state_.queued == 0) ||
      std::chrono::steady_clock::now() >= stop_deadline_) {
    ioc_.stop();
    return;
  }
  {
    // Connections that became idle since the last pass.
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard<std::mutex> lock(sessions_mu_);
      for (auto& [id, w] : sessions_) {
        if (auto s = w.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->CloseIfIdle();
  }
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
