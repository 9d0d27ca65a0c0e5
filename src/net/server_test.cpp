#include "net/server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>  // Before Asio (g++ 12 and std::exchange).

#include "net/client.h"
#include "net/log.h"

namespace malchin::net {
namespace {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

// A raw blocking connection, to send a request in pieces.
class Raw {
 public:
  explicit Raw(uint16_t port) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv,
                 sizeof tv);
  }
  void Write(const std::string& bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
  }
  // What arrives until `until` is seen, the peer closes or 5 s pass.
  std::string ReadUntil(const std::string& until) {
    std::string got;
    char buf[4096];
    while (got.find(until) == std::string::npos) {
      boost::system::error_code ec;
      size_t n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec) break;
      got.append(buf, n);
    }
    return got;
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
};

std::string Post(const std::string& path, size_t length,
                 const std::string& extra_headers = "") {
  return "POST " + path +
         " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) +
         "\r\n" + extra_headers + "\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions o = {}) {
    SetLogLevel(LogLevel::kOff);
    o.port = 0;
    http::Route hello;
    hello.method = "GET";
    hello.pattern = "/hello/{name}";
    hello.handler = [](http::Request& r) {
      return http::Response::Text(200, "hello " + r.params["name"]);
    };
    router_.Add(hello);
    http::Route slow;
    slow.method = "GET";
    slow.pattern = "/slow";
    slow.handler = [this](http::Request&) {
      entered_++;
      while (!release_) std::this_thread::sleep_for(1ms);
      return http::Response::Text(200, "done");
    };
    router_.Add(slow);
    http::Route echo;
    echo.method = "POST";
    echo.pattern = "/echo";
    echo.max_body = 100;
    echo.handler = [](http::Request& r) {
      return http::Response::Text(200, r.body);
    };
    router_.Add(echo);
    http::Route upload;  // Needs "Authorization: ok" (checked on the head).
    upload.method = "POST";
    upload.pattern = "/upload";
    upload.max_body = 1 << 20;
    upload.head_check =
        [this](const http::Request& r) -> std::optional<http::Response> {
      head_checks_++;
      if (r.worker == nullptr) return http::Response::Text(500, "no worker");
      if (r.Header("authorization") == "ok") return std::nullopt;
      return http::Response::Text(401, "who are you?");
    };
    upload.handler = [this](http::Request& r) {
      uploads_++;
      return http::Response::Text(200, std::to_string(r.body.size()));
    };
    router_.Add(upload);
    http::Route spool = upload;
    spool.pattern = "/spool";
    spool.spool_body = true;
    spool.head_check = nullptr;
    router_.Add(spool);
    http::Route who;
    who.method = "GET";
    who.pattern = "/who";
    who.handler = [](http::Request& r) {
      return http::Response::Text(
          200, r.remote_address + (r.secure ? " secure" : " plain"));
    };
    router_.Add(who);
    http::Route ready;
    ready.method = "GET";
    ready.pattern = "/ready";
    ready.dispatch = http::Dispatch::kInline;
    ready.handler = [this](http::Request&) {
      bool draining = server_->state().draining;
      return http::Response::Text(draining ? 503 : 200,
                                  draining ? "draining" : "ready");
    };
    router_.Add(ready);
    http::Route health;
    health.method = "GET";
    health.pattern = "/health";
    health.dispatch = http::Dispatch::kInline;
    health.handler = [](http::Request&) {
      return http::Response::Json(200, "{\"status\":\"ok\"}");
    };
    router_.Add(health);
    server_ = std::make_unique<Server>(o, router_, [] {
      return Result<std::unique_ptr<http::WorkerContext>>(
          std::make_unique<http::WorkerContext>());
    });
    ASSERT_TRUE(server_->Start().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    release_ = true;
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  uint16_t port() { return server_->port(); }

  http::Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> release_{false};
  std::atomic<int> entered_{0};
  std::atomic<int> head_checks_{0};
  std::atomic<int> uploads_{0};
};

TEST_F(ServerTest, ServesRoutesKeepAliveAnd404And405) {
  StartServer();
  Client c("127.0.0.1", port());
  auto r = c.Send("GET", "/hello/bold");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello bold");
  EXPECT_FALSE(r->GetHeader("X-Request-Id").empty());
  r = c.Send("GET", "/hello/x", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r->GetHeader("X-Request-Id"), "abc-123");
  EXPECT_EQ(c.Send("GET", "/nothing")->status, 404);
  r = c.Send("DELETE", "/hello/x");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->GetHeader("Allow"), "GET");
  EXPECT_EQ(c.Send("GET", "/health")->status, 200);
  EXPECT_EQ(c.Send("GET", "/hello/%ZZ")->status, 400);
}

TEST_F(ServerTest, BodyLimitsAndMalformedRequests) {
  StartServer();
  Client c("127.0.0.1", port());
  EXPECT_EQ(c.Send("POST", "/echo", std::string(50, 'x'))->status, 200);
  EXPECT_EQ(c.Send("POST", "/echo", std::string(101, 'x'))->status, 413);
  Client raw("127.0.0.1", port(), 2s);
  auto out = raw.SendRaw("GARBAGE\r\n\r\n");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("400"), std::string::npos);
  out =
      raw.SendRaw("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(20000, 'a') +
                  "\r\n\r\n");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("431"), std::string::npos);
  // Chunked body beyond the limit (no Content-Length to check up front).
  out = raw.SendRaw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "c8\r\n" +
      std::string(200, 'y') + "\r\n0\r\n\r\n");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("413"), std::string::npos);
}

TEST_F(ServerTest, FullPoolAnswers503AtOnce) {
  ServerOptions o;
  o.workers = 1;
  o.queue_per_worker = 1;
  StartServer(o);
  std::thread a(
      [&] { (void)Client("127.0.0.1", port()).Send("GET", "/slow").ok(); });
  while (entered_ < 1) std::this_thread::sleep_for(1ms);
  std::thread b(
      [&] { (void)Client("127.0.0.1", port()).Send("GET", "/slow").ok(); });
  // Wait until b is queued.
  while (server_->state().queued < 1) std::this_thread::sleep_for(1ms);
  auto start = std::chrono::steady_clock::now();
  auto r = Client("127.0.0.1", port()).Send("GET", "/slow");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->GetHeader("Retry-After"), "1");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // Inline routes still answer.
  EXPECT_EQ(Client("127.0.0.1", port()).Send("GET", "/health")->status, 200);
  release_ = true;
  a.join();
  b.join();
}

TEST_F(ServerTest, ConnectionCapRefusesExtraConnections) {
  ServerOptions o;
  o.max_connections = 2;
  StartServer(o);
  Client a("127.0.0.1", port()), b("127.0.0.1", port());
  ASSERT_EQ(a.Send("GET", "/hello/a")->status, 200);
  ASSERT_EQ(b.Send("GET", "/hello/b")->status, 200);
  auto r = Client("127.0.0.1", port()).Send("GET", "/hello/c");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequests) {
  StartServer();
  Client idle("127.0.0.1", port());
  ASSERT_EQ(idle.Send("GET", "/hello/x")->status, 200);  // Now idle.
  Result<http::Response> slow = Status::Internal("not run");
  std::thread t(
      [&] { slow = Client("127.0.0.1", port()).Send("GET", "/slow"); });
  while (entered_ < 1) std::this_thread::sleep_for(1ms);
  server_->Stop();
  std::this_thread::sleep_for(50ms);
  release_ = true;
  t.join();
  ASSERT_TRUE(slow.ok()) << slow.status().ToString();
  EXPECT_EQ(slow->status, 200);
  EXPECT_EQ(slow->GetHeader("Connection"), "close");
  thread_.join();  // Run() returned: everything drained.
  EXPECT_FALSE(Client("127.0.0.1", port(), 1s).Send("GET", "/hello/x").ok());
}

TEST_F(ServerTest, IdleKeepAliveConnectionsAreClosed) {
  ServerOptions o;
  o.idle_timeout = 200ms;
  StartServer(o);
  Client c("127.0.0.1", port());
  ASSERT_EQ(c.Send("GET", "/hello/x")->status, 200);
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(server_->state().connections, 0);
}

TEST_F(ServerTest, HeadCheckRefusesBeforeAnyBodyIsRead) {
  StartServer();
  // Refused on the head: no "100 Continue", the answer comes while the
  // client still holds its whole body back.
  Raw anonymous(port());
  anonymous.Write(Post("/upload", 500000, "Expect: 100-continue\r\n"));
  std::string got = anonymous.ReadUntil("who are you?");
  EXPECT_EQ(got.find("100 Continue"), std::string::npos) << got;
  EXPECT_NE(got.find("HTTP/1.1 401"), std::string::npos) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  // Without Expect too: the answer does not wait for the body.
  Raw eager(port());
  eager.Write(Post("/upload", 500000) + std::string(1000, 'x'));
  EXPECT_NE(eager.ReadUntil("who are you?").find("HTTP/1.1 401"),
            std::string::npos);
  EXPECT_EQ(uploads_, 0);
  EXPECT_EQ(server_->state().body_memory, 0);
  // Allowed: "100 Continue", then the body is read and handled.
  Raw allowed(port());
  allowed.Write(
      Post("/upload", 3, "Authorization: ok\r\nExpect: 100-continue\r\n"));
  EXPECT_NE(allowed.ReadUntil("\r\n\r\n").find("HTTP/1.1 100 Continue"),
            std::string::npos);
  allowed.Write("abc");
  got = allowed.ReadUntil("\r\n\r\n3");
  EXPECT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  EXPECT_EQ(uploads_, 1);
  // A request without a body needs no head check.
  Client c("127.0.0.1", port());
  EXPECT_EQ(c.Send("POST", "/upload", "", {{"Authorization", "ok"}})->status,
            200);
  EXPECT_EQ(head_checks_, 3);
}

TEST_F(ServerTest, BodiesInFlightShareOneMemoryBudget) {
  ServerOptions o;
  o.max_body_memory = 1000;
  StartServer(o);
  Raw first(port());
  first.Write(Post("/upload", 800, "Authorization: ok\r\n") + "part");
  while (server_->state().body_memory < 800) std::this_thread::sleep_for(1ms);
  // A second body that does not fit: 503 at once, before it is read.
  Client c("127.0.0.1", port());
  auto r = c.Send("POST", "/upload", std::string(800, 'y'),
                  {{"Authorization", "ok"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->GetHeader("Retry-After"), "1");
  // Small bodies still fit; the first completes, and its bytes come back.
  EXPECT_EQ(Client("127.0.0.1", port())
                .Send("POST", "/upload", "tiny", {{"Authorization", "ok"}})
                ->status,
            200);
  first.Write(std::string(796, 'z'));
  EXPECT_NE(first.ReadUntil("\r\n\r\n800").find("200"), std::string::npos);
  while (server_->state().body_memory != 0) std::this_thread::sleep_for(1ms);
  r = Client("127.0.0.1", port())
          .Send("POST", "/upload", std::string(800, 'y'),
                {{"Authorization", "ok"}});
  EXPECT_EQ(r->status, 200);
}

// The descriptors of this process open on a deleted file in `dir`, with
// their mode.
std::vector<mode_t> DeletedFilesIn(const std::filesystem::path& dir) {
  std::vector<mode_t> modes;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
    if (ec || target.rfind(dir.string() + "/malchin-body-", 0) != 0 ||
        target.find(" (deleted)") == std::string::npos) {
      continue;
    }
    struct stat st {};
    if (::stat(fd.path().c_str(), &st) == 0) modes.push_back(st.st_mode);
  }
  return modes;
}

TEST_F(ServerTest, LargeBodiesAreSpooledToAPrivateTemporaryFile) {
  auto dir = std::filesystem::temp_directory_path() /
             ("malchin_spool_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ServerOptions o;
  o.spool_dir = dir.string();
  o.max_body_memory = 100;  // The spooled body still arrives whole.
  o.max_body_spool = 1 << 20;
  StartServer(o);
  Raw upload(port());
  upload.Write(Post("/spool", 50000) + std::string(20000, 's'));
  while (DeletedFilesIn(dir).empty()) std::this_thread::sleep_for(1ms);
  // Written to a file that has no name (unlinked) and only its owner could
  // have opened; nothing of it in memory yet.
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  auto modes = DeletedFilesIn(dir);
  ASSERT_EQ(modes.size(), 1u);
  EXPECT_EQ(modes[0] & 0777, 0600u);
  EXPECT_EQ(server_->state().body_spooled, 50000);
  EXPECT_EQ(server_->state().body_memory, 0);
  upload.Write(std::string(30000, 's'));
  std::string got = upload.ReadUntil("}}");
  // Loading it for the handler needs memory: 100 bytes are not enough.
  EXPECT_NE(got.find("HTTP/1.1 503"), std::string::npos) << got;
  while (server_->state().body_spooled != 0) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(DeletedFilesIn(dir).empty());
  std::filesystem::remove_all(dir);
}

TEST_F(ServerTest, SpooledBodiesReachTheHandlerWhole) {
  ServerOptions o;
  o.max_body_spool = 60000;
  StartServer(o);
  Client c("127.0.0.1", port());
  auto r = c.Send("POST", "/spool", std::string(50000, 'q'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "50000");
  // Beyond the spool budget: 503.
  EXPECT_EQ(c.Send("POST", "/spool", std::string(60001, 'q'))->status, 503);
  EXPECT_EQ(server_->state().body_memory, 0);
  EXPECT_EQ(server_->state().body_spooled, 0);
}

TEST_F(ServerTest, EveryAnswerCarriesSecurityHeaders) {
  StartServer();
  Client c("127.0.0.1", port());
  for (const char* path : {"/hello/x", "/nothing", "/health"}) {
    auto r = c.Send("GET", path);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->GetHeader("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(r->GetHeader("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(r->GetHeader("Referrer-Policy"), "no-referrer") << path;
    std::string csp(r->GetHeader("Content-Security-Policy"));
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << path;
    EXPECT_TRUE(r->GetHeader("Strict-Transport-Security").empty()) << path;
  }
}

TEST_F(ServerTest, ForwardingHeadersCountOnlyFromTrustedProxies) {
  StartServer();
  Client c("127.0.0.1", port());
  Headers forwarded = {{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"},
                       {"X-Forwarded-Proto", "https"}};
  EXPECT_EQ(c.Send("GET", "/who", "", forwarded)->body, "127.0.0.1 plain");
  TearDown();
  router_ = http::Router();
  ServerOptions o;
  o.trusted_proxies = {"127.0.0.1"};
  StartServer(o);
  Client p("127.0.0.1", port());
  auto r = p.Send("GET", "/who", "", forwarded);
  EXPECT_EQ(r->body, "203.0.113.7 secure");
  EXPECT_FALSE(r->GetHeader("Strict-Transport-Security").empty());
  EXPECT_EQ(p.Send("GET", "/who", "", {{"X-Forwarded-For", "junk"}})->body,
            "127.0.0.1 plain");
}

TEST(ServerOptionsTest, TrustedProxiesMustBeAddresses) {
  http::Router router;
  ServerOptions o;
  o.port = 0;
  o.trusted_proxies = {"localhost"};
  Server server(o, router, [] {
    return Result<std::unique_ptr<http::WorkerContext>>(
        std::make_unique<http::WorkerContext>());
  });
  Status st = server.Start();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "trusted-proxy");
}

TEST_F(ServerTest, ReadyAnswers503WhileDraining) {
  StartServer();
  EXPECT_EQ(Client("127.0.0.1", port()).Send("GET", "/ready")->status, 200);
  Result<http::Response> slow = Status::Internal("not run");
  std::thread t(
      [&] { slow = Client("127.0.0.1", port()).Send("GET", "/slow"); });
  while (entered_ < 1) std::this_thread::sleep_for(1ms);
  server_->Stop();
  while (!server_->state().draining) std::this_thread::sleep_for(1ms);
  // A new connection is answered, not refused.
  auto r = Client("127.0.0.1", port(), 2s).Send("GET", "/ready");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->GetHeader("Connection"), "close");
  release_ = true;
  t.join();
  EXPECT_EQ(slow->status, 200);
  thread_.join();
  EXPECT_FALSE(Client("127.0.0.1", port(), 1s).Send("GET", "/ready").ok());
}

}  // namespace
}  // namespace malchin::net
