// Test support: the real API server on loopback against a fresh database,
// shared by the end-to-end tests of src/api (not part of the product). The
// engine is SQLite, or the one MALCHIN_TEST_ENGINE names (postgresql: a new
// database in the cluster of MALCHIN_TEST_PG_URL), so scripts/test.sh runs
// the same tests on both engines.
//
// Contract:
// - TestServer(prefix) makes an empty directory
//   <temp>/<prefix>_<pid>[_<current test name>] (the test name when built
//   inside a test, not in SetUpTestSuite) and loads the geography; db() is
//   the SQLite file in it.
// - Start(accounts, seed) opens a session on db(), runs `seed` on it (if
//   given), creates the named TestAccounts() (minimum hashing cost; an
//   unknown name fails the test) and closes it; then starts a job pool (1
//   thread, queue 8) and the server (2 workers, 127.0.0.1, ephemeral port),
//   each worker with its own session on db(). A fatal failure in any step (also
//   inside `seed`) stops it there; wrap the call in ASSERT_NO_FATAL_FAILURE.
// - Login/Call/WaitJob expect what a healthy server answers: Login a 201
//   with a token; Call any answer below 500; WaitJob a job that is done or
//   failed within TestServerOptions::job_tries polls job_poll apart (else a
//   test failure and {}).
// - The destructor stops the server, joins its thread, drops the job pool
//   and removes the directory.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/api.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "net/client.h"
#include "net/server.h"

namespace malchin::api {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The test accounts Start() can create, by name; each has the password
// "<name>-password": admin (admin), nat, maker, checker (national_officer),
// zav (aimag_officer, Zavkhan 181), ark (aimag_officer, Arkhangai 265), tos
// (soum_officer, Tosontsengel 18140), ikh (soum_officer, Ikh-Uul 18125), ana
// (analyst), aud (auditor), hot (hotline_operator), fp (gbv_focal_point,
// Zavkhan 181), fp_ark (gbv_focal_point, Arkhangai 265).
struct TestUser {
  const char* name;
  const char* role;
  int32_t area;  // Aimag or soum code; 0 for national roles.
};
const std::vector<TestUser>& TestAccounts();

// A herder household living in the soum it is registered in.
registry::Household TestHousehold(const char* id, int32_t soum);
// The head of household `hh`, a woman born on `born` (YYYY-MM-DD): Сараа,
// Бат's daughter.
registry::Person TestHead(const char* rn, const char* hh, const char* born);

struct TestServerOptions {
  bool export_dir = true;  // Services::export_dir = <dir>/exports.
  int job_tries = 3000;    // WaitJob polls at most this many times,
  std::chrono::milliseconds job_poll{10};  // this far apart.
  // Changes to the server's options (after port 0 and 2 workers are set).
  std::function<void(net::ServerOptions&)> server_options = nullptr;
  // Serve this database (its URL) instead of a fresh one: a second app
  // server on the first one's database. Start() then seeds and creates
  // accounts only when asked.
  std::string database_url = {};
  // Statistics and analytics read this database (serve --read-db: a hot
  // standby), opened read-only without migrating.
  std::string read_database_url = {};
};

class TestServer {
 public:
  explicit TestServer(const std::string& prefix,
                      TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  const std::string& db() const { return db_; }
  const std::shared_ptr<const geo::Geography>& geo() const {
    return services_.geo;
  }
  Services& services() { return services_; }
  uint16_t port() const { return server_->port(); }
  http::ServerState& state() { return server_->state(); }

  void Start(const std::vector<std::string>& accounts,
             const std::function<void(store::Session&)>& seed = {});
  backends::testing::TestDatabase& database() { return *database_; }
  store::Database& db_handle() { return shared_ ? *shared_ : database_->db(); }

  net::Client NewClient() const;
  std::string Login(const std::string& user);
  http::Response Call(const std::string& token, const std::string& method,
                      const std::string& target, const std::string& body = "",
                      Headers headers = {});
  nlohmann::json WaitJob(const std::string& token, const std::string& id);

 private:
  TestServerOptions options_;
  std::filesystem::path dir_;
  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::unique_ptr<store::Database> shared_;   // With database_url.
  std::unique_ptr<store::Database> replica_;  // With read_database_url.
  std::string db_;
  auth::Authenticator auth_;
  Services services_;
  http::Router router_;
  std::unique_ptr<http::JobPool> jobs_;
  std::unique_ptr<net::Server> server_;
  std::thread thread_;
};

// A gtest fixture base whose Login/Call/NewClient/WaitJob go to Server().
class TestServerFixture : public ::testing::Test {
 protected:
  virtual TestServer& Server() = 0;
  net::Client NewClient() { return Server().NewClient(); }
  std::string Login(const std::string& user) { return Server().Login(user); }
  http::Response Call(const std::string& token, const std::string& method,
                      const std::string& target, const std::string& body = "",
                      Headers headers = {}) {
    return Server().Call(token, method, target, body, std::move(headers));
  }
  nlohmann::json WaitJob(const std::string& token, const std::string& id) {
    return Server().WaitJob(token, id);
  }
};

}  // namespace malchin::api
