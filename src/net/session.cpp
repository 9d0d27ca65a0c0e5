// One connection of the server (see server.h for what it guarantees).
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/text.h"
#include "net/log.h"
#include "net/server_internal.h"

namespace malchin::net {

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

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (tolower(static_cast<unsigned char>(a[i])) !=
        tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The last (nearest) address of an X-Forwarded-For list, if it is one.
std::string LastForwardedAddress(std::string_view list) {
  size_t comma = list.rfind(',');
  std::string last(TrimSpaces(
      comma == std::string_view::npos ? list : list.substr(comma + 1)));
  beast::error_code ec;
  auto address = asio::ip::make_address(last, ec);
  return ec ? std::string() : address.to_string();
}

// A new temporary file in `dir` for a body: created 0600 by mkstemp and
// unlinked at once, so it disappears with its descriptor even if the
// process dies.
Result<int> NewSpoolFile(const std::string& dir) {
  std::error_code ec;
  std::string base =
      dir.empty() ? std::filesystem::temp_directory_path(ec).string() : dir;
  std::string path = base + "/malchin-body-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    return Status::Unavailable("cannot make a temporary file in " + base +
                               ": " + std::strerror(errno));
  }
  ::unlink(path.c_str());
  return fd;
}

http::Response Busy(std::string message) {
  http::Response r = http::ErrorResponseWithStatus(
      503, Status::Unavailable(std::move(message)));
  r.SetHeader("Retry-After", "1");
  return r;
}

}  // namespace

Session::Session(tcp::socket socket, Server::Impl& server, uint64_t id)
    : stream_(std::move(socket)),
      server_(server),
      id_(id),
      before_stop_(!server.stopping_) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = ep.address().to_string();
}

Session::~Session() {
  ReleaseBody();
  server_.state_.connections--;
  server_.Unregister(id_);
}

void Session::Start() {
  asio::dispatch(stream_.get_executor(),
                 [self = shared_from_this()] { self->ReadHeader(true); });
}

void Session::CloseIfIdle() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    // Idle: waiting for a request that has not begun, after one was served
    // (or, made before Stop(), for its first). One made while draining may
    // still send its one request.
    bool idle = self->waiting_ && self->buffer_.size() == 0 &&
                (!self->first_ || self->before_stop_);
    if (idle) {
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.socket().close(ec);
    }
  });
}

void Session::ReadHeader(bool first) {
  head_.emplace();
  head_->header_limit(
      static_cast<std::uint32_t>(server_.options_.max_header_bytes));
  head_->body_limit(boost::none);  // Checked per route after the head.
  first_ = first;
  waiting_ = true;
  bool idle = !first && buffer_.size() == 0;
  if (server_.stopping_ && idle) return Close();
  stream_.expires_after(first || !idle ? server_.options_.header_timeout
                                       : server_.options_.idle_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *head_,
      [self = shared_from_this()](beast::error_code ec, size_t) {
        self->OnHeader(ec);
      });
}

// The request's head as plain values: method, target, headers, the client's
// address and whether it came over TLS (through a trusted proxy).
void Session::TakeHead() {
  auto& h = head_->get();
  request_ = http::Request();
  request_.method = std::string(h.method_string());
  request_.target = std::string(h.target());
  std::string_view rid = h["X-Request-Id"];
  request_.request_id =
      WellFormedRequestId(rid) ? std::string(rid) : NewRequestId();
  for (const auto& f : h) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(tolower(c));
    std::string& v = request_.headers[name];
    if (!v.empty()) v += ", ";
    v += std::string(f.value());
  }
  request_.remote_address = remote_;
  if (server_.IsTrustedProxy(remote_)) {
    std::string client =
        LastForwardedAddress(request_.Header("x-forwarded-for"));
    if (!client.empty()) request_.remote_address = client;
    request_.secure =
        EqualsIgnoreCase(request_.Header("x-forwarded-proto"), "https");
  }
  keep_alive_ = h.keep_alive();
}

void Session::OnHeader(beast::error_code ec) {
  waiting_ = false;
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
  if (ec) return Fail(400, "malformed HTTP request: " + ec.message());
  TakeHead();
  Status st =
      http::ParseTarget(request_.target, &request_.path, &request_.query);
  if (!st.ok()) return Respond(http::ErrorResponse(st), false);
  match_ = server_.router_.Find(request_.method, request_.path);
  if (head_->is_done()) return Dispatch();  // No body.
  // A body follows. Without a route it is never read.
  if (!match_.route) {
    keep_alive_ = false;
    return Dispatch();
  }
  body_limit_ = match_.route->max_body;
  if (auto length = head_->content_length(); length && *length > body_limit_) {
    return Refuse(413, Status::ResourceExhausted(
                           "the request body has " + std::to_string(*length) +
                           " bytes; this endpoint accepts at most " +
                           std::to_string(body_limit_)));
  }
  if (match_.route->head_check) return CheckHead(*match_.route);
  AdmitBody();
}

void Session::CheckHead(const http::Route& route) {
  auto self = shared_from_this();
  bool accepted = SubmitToWorker([self, &route](http::WorkerContext& ctx) {
    self->request_.worker = &ctx;
    std::optional<http::Response> refusal;
    try {
      refusal = route.head_check(self->request_);
    } catch (const std::exception& e) {
      refusal = http::ErrorResponse(Status::Internal(e.what()),
                                    self->request_.request_id);
    }
    self->request_.worker = nullptr;
    asio::post(self->stream_.get_executor(),
               [self, refusal = std::move(refusal)]() mutable {
                 if (!refusal) return self->AdmitBody();
                 self->route_ = self->match_.route->pattern;
                 self->Respond(std::move(*refusal), false);
               });
  });
  if (!accepted) {
    Respond(Busy("the server is busy; try again shortly"), false);
  }
}

// Reserves the body's bytes from the shared budget, says "100 Continue" if
// the client waits for it, and reads the body.
void Session::AdmitBody() {
  const http::Route& route = *match_.route;
  auto length = head_->content_length();
  int64_t bytes = static_cast<int64_t>(length ? *length : body_limit_);
  ByteBudget& budget =
      route.spool_body ? server_.body_spool_ : server_.body_memory_;
  if (!budget.TryTake(bytes)) {
    route_ = route.pattern;
    return Respond(Busy("the server is receiving too much data; try again "
                        "shortly"),
                   false);
  }
  (route.spool_body ? spool_taken_ : memory_taken_) += bytes;
  if (route.spool_body) {
    auto fd = NewSpoolFile(server_.options_.spool_dir);
    if (!fd.ok()) {
      Log(LogLevel::kError, "cannot spool a request body",
          {{"error", JsonString(fd.status().message())}});
      route_ = route.pattern;
      return Respond(http::ErrorResponse(fd.status()), false);
    }
    spool_.emplace(std::move(*head_));
    beast::file f;
    f.native_handle(*fd);
    beast::error_code ec;
    spool_->get().body().reset(std::move(f), ec);
    spool_->body_limit(body_limit_);
  } else {
    body_.emplace(std::move(*head_));
    body_->body_limit(body_limit_);
  }
  head_.reset();
  if (!EqualsIgnoreCase(request_.Header("expect"), "100-continue")) {
    return ReadBody();
  }
  static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(server_.options_.write_timeout);
  asio::async_write(stream_, asio::buffer(kContinue),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      if (ec) return self->Close();
                      self->ReadBody();
                    });
}

void Session::ReadBody() {
  stream_.expires_after(server_.options_.body_timeout);
  auto done = [self = shared_from_this()](beast::error_code ec, size_t) {
    self->OnBody(ec);
  };
  if (spool_) return bhttp::async_read(stream_, buffer_, *spool_, done);
  bhttp::async_read(stream_, buffer_, *body_, done);
}

void Session::OnBody(beast::error_code ec) {
  route_ = match_.route->pattern;
  if (ec == bhttp::error::body_limit) {
    return Refuse(413, Status::ResourceExhausted(
                           "the request body is larger than this endpoint "
                           "accepts (" +
                           std::to_string(body_limit_) + " bytes)"));
  }
  if (ec == beast::error::timeout) {
    return Refuse(408, Status::InvalidArgument(
                           "the request body did not arrive in time"));
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
  if (body_) request_.body = std::move(body_->get().body());
  Dispatch();
}

void Session::Dispatch() {
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
                  404, Status::NotFound("no such endpoint: " + request_.path));
    if (match_.status == 405) r.SetHeader("Allow", match_.allow);
    route_ = "-";
    return Respond(std::move(r), keep_alive_);
  }
  route_ = match_.route->pattern;
  request_.params = std::move(match_.params);
  const http::Route* route = match_.route;
  if (route->dispatch == http::Dispatch::kInline) {
    return Respond(RunHandler(*route, request_), keep_alive_);
  }
  auto self = shared_from_this();
  bool accepted = SubmitToWorker([self, route](http::WorkerContext& ctx) {
    Status loaded = self->LoadSpooledBody();
    http::Response r;
    if (loaded.ok()) {
      self->request_.worker = &ctx;
      r = RunHandler(*route, self->request_);
      self->request_.worker = nullptr;
    } else {
      r = Busy(loaded.message());
    }
    asio::post(self->stream_.get_executor(),
               [self, r = std::move(r)]() mutable {
                 self->Respond(std::move(r), self->keep_alive_);
               });
  });
  if (!accepted) {
    server_.state_.rejected++;
    Respond(Busy("the server is busy; try again shortly"), keep_alive_);
  }
}

bool Session::SubmitToWorker(std::function<void(http::WorkerContext&)> work) {
  auto& st = server_.state_;
  st.queued++;
  bool accepted = server_.pool_.TrySubmit(
      [&st, work = std::move(work)](http::WorkerContext& ctx) {
        st.queued--;
        st.in_flight++;
        work(ctx);
        st.in_flight--;
      });
  if (!accepted) st.queued--;
  return accepted;
}

// Reads a spooled body into request_.body, against the memory budget.
Status Session::LoadSpooledBody() {
  if (!spool_) return Status::Ok();
  int fd = spool_->get().body().file().native_handle();
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    return Status::Unavailable("the spooled request body is unreadable");
  }
  int64_t size = info.st_size;
  if (!server_.body_memory_.TryTake(size)) {
    return Status::Unavailable(
        "the server is handling too much data; try again shortly");
  }
  memory_taken_ += size;
  request_.body.resize(static_cast<size_t>(size));
  for (int64_t at = 0; at < size;) {
    ssize_t n = ::pread(fd, request_.body.data() + at,
                        static_cast<size_t>(size - at), at);
    if (n <= 0) {
      return Status::Unavailable("the spooled request body is unreadable");
    }
    at += n;
  }
  return Status::Ok();
}

http::Response Session::RunHandler(const http::Route& route,
                                   http::Request& req) {
  try {
    return route.handler(req);
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "handler threw",
        {{"request_id", JsonString(req.request_id)},
         {"error", JsonString(e.what())}});
    return http::ErrorResponse(Status::Internal(e.what()), req.request_id);
  }
}

void Session::Fail(int status, std::string message) {
  request_ = http::Request();
  request_.request_id = NewRequestId();
  route_ = "-";
  Refuse(status, Status::InvalidArgument(std::move(message)));
}

void Session::Refuse(int status, const Status& why) {
  Respond(http::ErrorResponseWithStatus(status, why), false);
}

// Frees the body (memory and temporary file) and gives its bytes back.
void Session::ReleaseBody() {
  request_.body = std::string();
  body_.reset();
  spool_.reset();  // Closes the (already unlinked) file.
  if (memory_taken_) server_.body_memory_.Give(memory_taken_);
  if (spool_taken_) server_.body_spool_.Give(spool_taken_);
  memory_taken_ = spool_taken_ = 0;
}

void Session::Respond(http::Response r, bool keep_alive) {
  ReleaseBody();
  if (server_.stopping_) keep_alive = false;
  http::AddSecurityHeaders(&r, request_.secure);
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
                   {"remote", JsonString(request_.remote_address.empty()
                                             ? remote_
                                             : request_.remote_address)}};
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
// may still be sending (e.g. a body refused before it was read) until it
// closes, for at most 2 s and 16 MiB. Closing at once with unread data
// would reset the connection, and the client would lose the response.
void Session::Close() {
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

void Session::Drain() {
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

}  // namespace malchin::net
