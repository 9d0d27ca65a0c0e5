#include "net/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "net/client.h"
#include "net/log.h"

namespace malchin::net {
namespace {

using namespace std::chrono_literals;

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

}  // namespace
}  // namespace malchin::net
