#include "api/test_server.h"

#include <unistd.h>

#include <algorithm>

#include "auth/accounts.h"
#include "auth/password.h"
#include "backends/open.h"
#include "net/log.h"

namespace malchin::api {

using nlohmann::json;

TestServer::TestServer(const std::string& prefix, TestServerOptions options)
    : options_(options) {
  net::SetLogLevel(net::LogLevel::kOff);
  std::string name = prefix + "_" + std::to_string(::getpid());
  if (const auto* test =
          ::testing::UnitTest::GetInstance()->current_test_info())
    name += std::string("_") + test->name();
  dir_ = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  services_.geo = geo::Geography::Load().value();
  if (!options_.read_database_url.empty()) {
    store::OpenOptions ro;
    ro.create = false;
    ro.read_only = true;
    auto replica = backends::OpenDatabase(options_.read_database_url, ro);
    if (!replica.ok()) {
      ADD_FAILURE() << "replica: " << replica.status().ToString();
      return;
    }
    replica_ = std::move(*replica);
  }
  if (!options_.database_url.empty()) {
    auto shared = backends::OpenDatabase(options_.database_url);
    if (!shared.ok()) {
      ADD_FAILURE() << "test database: " << shared.status().ToString();
      return;
    }
    shared_ = std::move(*shared);
    db_ = options_.database_url;
    return;
  }
  auto db =
      backends::testing::TestDatabase::Make(backends::testing::ApiTestEngine());
  if (db.ok()) {
    database_ = std::move(*db);
    db_ = database_->url();
  } else {
    ADD_FAILURE() << "test database: " << db.status().ToString();
  }
}

TestServer::~TestServer() {
  if (server_) {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  jobs_.reset();
  server_.reset();
  shared_.reset();
  database_.reset();
  std::filesystem::remove_all(dir_);
}

const std::vector<TestUser>& TestAccounts() {
  static const std::vector<TestUser> accounts = {
      {"admin", "admin", 0},
      {"nat", "national_officer", 0},
      {"maker", "national_officer", 0},
      {"checker", "national_officer", 0},
      {"zav", "aimag_officer", 181},
      {"ark", "aimag_officer", 265},
      {"tos", "soum_officer", 18140},
      {"ikh", "soum_officer", 18125},
      {"ana", "analyst", 0},
      {"aud", "auditor", 0},
      {"hot", "hotline_operator", 0},
      {"fp", "gbv_focal_point", 181},
      {"fp_ark", "gbv_focal_point", 265}};
  return accounts;
}

registry::Household TestHousehold(const char* id, int32_t soum) {
  registry::Household h;
  h.id = id;
  h.soum_code = soum;
  h.current_soum_code = soum;
  h.herder = true;
  return h;
}

registry::Person TestHead(const char* rn, const char* hh, const char* born) {
  registry::Person p;
  p.register_no = rn;
  p.household_id = hh;
  p.father_name = "Бат";
  p.given_name = "Сараа";
  p.sex = registry::Sex::kFemale;
  p.birth_date = *Date::Parse(born);
  p.relation = registry::Relation::kHead;
  return p;
}

void TestServer::Start(const std::vector<std::string>& accounts,
                       const std::function<void(store::Session&)>& seed) {
  ASSERT_TRUE(database_ != nullptr || shared_ != nullptr);
  if (database_ || seed || !accounts.empty()) {
    auto s = db_handle().Connect();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    if (seed) seed(**s);
    if (::testing::Test::HasFatalFailure()) return;
    for (const std::string& name : accounts) {
      auto user =
          std::find_if(TestAccounts().begin(), TestAccounts().end(),
                       [&](const TestUser& a) { return a.name == name; });
      ASSERT_NE(user, TestAccounts().end()) << "no test account " << name;
      auth::UserRecord u;
      u.username = name;
      u.role = user->role;
      u.area_code = user->area;
      u.password_hash =
          *auth::HashPassword(name + "-password", auth::PasswordCost::kMinimum);
      u.created_at = auth::Authenticator::IsoTime();
      ASSERT_TRUE((*s)->Get<auth::AccountRepository>()
                      .CreateUser(u, {"seed", ""})
                      .ok());
    }
  }
  auto make_worker = [db = &db_handle(), replica = replica_.get()]()
      -> Result<std::unique_ptr<http::WorkerContext>> {
    MALCHIN_ASSIGN_OR_RETURN(auto s, db->Connect());
    std::unique_ptr<store::Session> r;
    if (replica) {
      MALCHIN_ASSIGN_OR_RETURN(r, replica->Connect());
    }
    return std::unique_ptr<http::WorkerContext>(
        std::make_unique<Worker>(std::move(s), std::move(r)));
  };
  jobs_ = std::make_unique<http::JobPool>(
      1, 8, [make_worker] { return std::move(make_worker().value()); });
  services_.auth = &auth_;
  services_.jobs = jobs_.get();
  if (options_.export_dir) services_.export_dir = (dir_ / "exports").string();
  BuildApi(&router_, &services_);
  net::ServerOptions o;
  o.port = 0;
  o.workers = 2;
  if (options_.server_options) options_.server_options(o);
  server_ = std::make_unique<net::Server>(o, router_, make_worker);
  services_.state = &server_->state();
  ASSERT_TRUE(server_->Start().ok());
  thread_ = std::thread([this] { server_->Run(); });
}

net::Client TestServer::NewClient() const {
  return net::Client("127.0.0.1", server_->port());
}

std::string TestServer::Login(const std::string& user) {
  auto c = NewClient();
  auto r = c.Send(
      "POST", "/api/v1/session",
      json({{"username", user}, {"password", user + "-password"}}).dump());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r->status, 201) << r->body;
  return json::parse(r->body)["token"];
}

http::Response TestServer::Call(const std::string& token,
                                const std::string& method,
                                const std::string& target,
                                const std::string& body, Headers headers) {
  auto c = NewClient();
  headers.emplace_back("Authorization", "Bearer " + token);
  auto r = c.Send(method, target, body, headers);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_LT(r->status, 500) << method << " " << target << ": " << r->body;
  return *r;
}

json TestServer::WaitJob(const std::string& token, const std::string& id) {
  for (int i = 0; i < options_.job_tries; ++i) {
    auto r = Call(token, "GET", "/api/v1/jobs/" + id);
    json j = json::parse(r.body);
    if (j["state"] == "done" || j["state"] == "failed") return j;
    std::this_thread::sleep_for(options_.job_poll);
  }
  ADD_FAILURE() << "job " << id << " did not finish";
  return {};
}

}  // namespace malchin::api
