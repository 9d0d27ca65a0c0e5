// CLI commands of the server: serve, user add|list|disable|set-role|
// reset-password, audit verify|show.
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/api.h"
#include "api/grievance_json.h"
#include "auth/accounts.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "auth/sessions.h"
#include "backends/open.h"
#include "channel/kannel.h"
#include "channel/sender_worker.h"
#include "cli/audit_checkpointer.h"
#include "cli/channel_cli.h"
#include "cli/command.h"
#include "geo/geography.h"
#include "grievance/audit_view.h"
#include "grievance/service.h"
#include "http/jobs.h"
#include "http/static_files.h"
#include "net/log.h"
#include "net/server.h"
#include "store/audit_checkpoint.h"
#include "store/url.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

// The password from the first line of stdin (never from argv, which other
// users can see).
Result<std::string> ReadPassword(Io& io) {
  if (::isatty(STDIN_FILENO) && &io.in == &std::cin) {
    io.err << "password (visible as you type; better piped in): ";
  }
  std::string line;
  if (!std::getline(io.in, line)) {
    return Status::InvalidArgument(
        "give the password on standard input, e.g. "
        "`printf '%s\\n' \"$PASSWORD\" | malchin user add ...`",
        "password");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  MALCHIN_RETURN_IF_ERROR(auth::CheckPasswordPolicy(line));
  return line;
}

Result<int32_t> AreaCode(const po::variables_map& vm) {
  if (!vm.count("area")) return 0;
  std::string text = vm["area"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  if (text == "0") return 0;
  MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u, geo->Resolve(text));
  return u->code;
}

Result<auth::UserRecord> FindUserOrFail(auth::AccountRepository& s,
                                        const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(auto u, s.FindUser(name));
  if (!u) return Status::NotFound("no user '" + name + "'");
  return *u;
}

// --- serve ------------------------------------------------------------------

// Where the audit checkpoints and their key live: --checkpoints/--key, else
// beside a SQLite register (FILE.audit-checkpoints, FILE.audit-key), else
// under var/ for a server database.
Result<std::pair<std::string, std::string>> CheckpointFiles(
    const po::variables_map& vm) {
  MALCHIN_ASSIGN_OR_RETURN(std::string url, DbUrl(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl u, store::ParseDatabaseUrl(url));
  std::string base =
      u.engine == store::Engine::kSqlite ? u.path : std::string("var/malchin");
  std::string file = vm.count("checkpoints")
                         ? vm["checkpoints"].as<std::string>()
                         : base + ".audit-checkpoints";
  std::string key =
      vm.count("key") ? vm["key"].as<std::string>() : base + ".audit-key";
  return std::make_pair(file, key);
}

void ServeOptions(po::options_description& d) {
  DbOption(d);
  KannelOptions(d, /*user_required=*/false);
  d.add_options()("checkpoints", po::value<std::string>(),
                  "the audit checkpoint file (default: beside a SQLite "
                  "register, FILE.audit-checkpoints; env "
                  "MALCHIN_CHECKPOINTS)")(
      "key", po::value<std::string>(),
      "the key that signs audit checkpoints (default FILE.audit-key; env "
      "MALCHIN_KEY)")(
      "checkpoint-minutes", po::value<int>()->default_value(60),
      "minutes between audit checkpoints (env MALCHIN_CHECKPOINT_MINUTES)")(
      "read-db", po::value<std::string>(),
      "a hot standby of the database (postgresql://...) for "
      "reports and analytics (env MALCHIN_READ_DB)")(
      "address", po::value<std::string>()->default_value("127.0.0.1"),
      "IP address to listen on (env MALCHIN_ADDRESS)")(
      "port", po::value<int>()->default_value(8080),
      "TCP port; 0 picks a free one (env MALCHIN_PORT)")(
      "workers", po::value<int>()->default_value(4),
      "worker threads for store work, one connection each (env "
      "MALCHIN_WORKERS)")("io-threads", po::value<int>()->default_value(1),
                          "network threads (env MALCHIN_IO_THREADS)")(
      "queue-per-worker", po::value<int>()->default_value(64),
      "requests waiting per worker before 503 (env "
      "MALCHIN_QUEUE_PER_WORKER)")(
      "max-connections", po::value<int>()->default_value(10000),
      "open connections beyond which new ones get 503 (env "
      "MALCHIN_MAX_CONNECTIONS)")("jobs", po::value<int>()->default_value(1),
                                  "threads for long jobs (env MALCHIN_JOBS)")(
      "static", po::value<std::string>(),
      "serve the web front end's build from this folder (env MALCHIN_STATIC)")(
      "export-dir", po::value<std::string>(),
      "where export jobs write files (default: <db>.exports; env "
      "MALCHIN_EXPORT_DIR)")("log-level",
                             po::value<std::string>()->default_value("info"),
                             "debug, info, warn, error or off (env "
                             "MALCHIN_LOG_LEVEL)")(
      "secure-cookies", po::value<bool>()->default_value(false),
      "mark the session cookie Secure (behind HTTPS; env "
      "MALCHIN_SECURE_COOKIES)")(
      "trusted-proxy", po::value<std::string>()->default_value(""),
      "comma-separated addresses of reverse proxies (e.g. 127.0.0.1 for a "
      "local nginx) whose X-Forwarded-For and X-Forwarded-Proto are "
      "believed (env MALCHIN_TRUSTED_PROXY)")(
      "spool-dir", po::value<std::string>(),
      "where large uploads are received (default: the system's temporary "
      "folder; env MALCHIN_SPOOL_DIR)")(
      "escalate-every", po::value<int>()->default_value(60),
      "minutes between runs of complaint escalation on the job pool; 0 "
      "never (env MALCHIN_ESCALATE_EVERY)")(
      "max-body-memory", po::value<int>()->default_value(512),
      "MiB of request bodies held in memory at once, beyond which uploads "
      "get 503 (env MALCHIN_MAX_BODY_MEMORY)")(
      "sms-token", po::value<std::string>(),
      "the token Kannel's callbacks carry (16-128 of A-Z a-z 0-9 _ -; "
      "better in env MALCHIN_SMS_TOKEN or --config than on the command "
      "line); none: the SMS callback routes answer 404")(
      "sms-short-code", po::value<std::string>()->default_value("1234"),
      "the number herders text, named in answers (env "
      "MALCHIN_SMS_SHORT_CODE)")(
      "herder-pepper", po::value<std::string>(),
      "the secret (32 or more characters, the same on every app server) "
      "mixed into the hash of herders' sign-in codes (better in env "
      "MALCHIN_HERDER_PEPPER or --config); none: the herders' sign-in "
      "answers 503")(
      "sms-sender", po::value<bool>()->default_value(false),
      "run the SMS outbox's sending worker inside the server, through the "
      "Kannel of --kannel-* (env MALCHIN_SMS_SENDER; several servers may)")(
      "sms-interval-ms", po::value<int>()->default_value(5000),
      "milliseconds between the sender's looks at an idle outbox (env "
      "MALCHIN_SMS_INTERVAL_MS)")(
      "config", po::value<std::string>(),
      "a file of option=value lines (flags win over the environment, which "
      "wins over the file)");
}

// Submits complaint escalation (grievance::Service::Escalate, as the
// system) to the job pool every `minutes` until destroyed; the first run
// when the server starts.
class PeriodicEscalation {
 public:
  PeriodicEscalation(http::JobPool* jobs, int minutes) {
    if (minutes <= 0) return;
    thread_ = std::thread([this, jobs, minutes] {
      std::unique_lock<std::mutex> lock(mu_);
      do {
        (void)jobs->Submit(
            "grievance.escalate", "system",
            [](http::WorkerContext& ctx,
               http::JobProgress&) -> Result<std::string> {
              auth::Principal system;
              system.username = "system";
              system.role = auth::Role::kNationalOfficer;
              MALCHIN_ASSIGN_OR_RETURN(store::Session * s,
                                       api::JobSession(ctx, system));
              s->SetCaller({"system", "", {}});
              MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* gc,
                                       api::GrievanceContext());
              MALCHIN_ASSIGN_OR_RETURN(auto r,
                                       grievance::Service(*s, *gc).Escalate());
              return json({{"checked", r.checked}, {"escalated", r.escalated}})
                  .dump();
            });
      } while (!cv_.wait_for(lock, std::chrono::minutes(minutes),
                             [this] { return stop_; }));
    });
  }
  ~PeriodicEscalation() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

// The SMS sending worker inside the server (--sms-sender), or null.
Result<std::unique_ptr<channel::SenderWorker>> StartSmsSender(
    const po::variables_map& m, std::shared_ptr<store::Database> database,
    const std::string& token) {
  if (!m["sms-sender"].as<bool>()) {
    return std::unique_ptr<channel::SenderWorker>();
  }
  if (!m.count("kannel-user")) {
    return Status::InvalidArgument(
        "--sms-sender needs the gateway: --kannel-user (and --kannel-host, "
        "--kannel-port, MALCHIN_KANNEL_PASSWORD) / SMS илгээхэд Kannel-ийн "
        "тохиргоо шаардлагатай",
        "kannel-user");
  }
  int interval = m["sms-interval-ms"].as<int>();
  if (interval < 10 || interval > 3600000) {
    return Status::InvalidArgument("--sms-interval-ms " +
                                       std::to_string(interval) +
                                       ": expected 10..3600000",
                                   "sms-interval-ms");
  }
  MALCHIN_ASSIGN_OR_RETURN(channel::KannelClient client,
                           KannelFromOptions(m, token));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  channel::SenderWorkerOptions o;
  o.sender.owner = DefaultOwner() + ":serve";
  o.interval = std::chrono::milliseconds(interval);
  return std::make_unique<channel::SenderWorker>(
      [database] { return database->Connect(); },
      std::make_unique<channel::KannelClient>(std::move(client)), parameters,
      o);
}

Status Serve(const po::variables_map& cli_vm, Io& io) {
  // Flags first, then the environment, then the config file: po::store
  // keeps the first value it is given.
  po::options_description desc;
  ServeOptions(desc);
  po::variables_map vm;
  try {
    po::store(po::parse_environment(
                  desc,
                  [&desc](const std::string& env) -> std::string {
                    if (env.rfind("MALCHIN_", 0) != 0) return "";
                    std::string name = env.substr(8);
                    for (char& c : name) {
                      c = c == '_' ? '-' : static_cast<char>(tolower(c));
                    }
                    if (name == "config" || !desc.find_nothrow(name, false)) {
                      return "";
                    }
                    return name;
                  }),
              vm);
  } catch (const po::error& e) {
    return Status::InvalidArgument(std::string("environment: ") + e.what());
  }
  po::variables_map merged;
  for (const auto& [k, v] : cli_vm) {
    if (!v.defaulted()) merged.insert({k, v});
  }
  for (const auto& [k, v] : vm) merged.insert({k, v});
  if (cli_vm.count("config")) {
    std::string path = cli_vm["config"].as<std::string>();
    try {
      po::variables_map file_vm;
      po::store(po::parse_config_file(path.c_str(), desc), file_vm);
      for (const auto& [k, v] : file_vm) merged.insert({k, v});
    } catch (const po::error& e) {
      return Status::InvalidArgument("--config " + path + ": " + e.what(),
                                     "config");
    }
  }
  for (const auto& [k, v] : cli_vm) merged.insert({k, v});  // Defaults.
  if (!merged.count("db")) {
    return Status::InvalidArgument(
        "give the database with --db FILE or MALCHIN_DB", "db");
  }
  std::string db = merged["db"].as<std::string>();
  net::LogLevel level;
  if (!net::ParseLogLevel(merged["log-level"].as<std::string>(), &level)) {
    return Status::InvalidArgument(
        "--log-level: expected debug, info, warn, "
        "error or off");
  }
  net::SetLogLevel(level);
  auto positive = [&merged](const char* name, int max) -> Result<int> {
    int v = merged[name].as<int>();
    if (v < 1 || v > max) {
      return Status::InvalidArgument("--" + std::string(name) + " " +
                                         std::to_string(v) + ": expected 1.." +
                                         std::to_string(max),
                                     name);
    }
    return v;
  };
  net::ServerOptions o;
  o.address = merged["address"].as<std::string>();
  int port = merged["port"].as<int>();
  if (port < 0 || port > 65535) {
    return Status::InvalidArgument("--port: expected 0..65535", "port");
  }
  o.port = static_cast<uint16_t>(port);
  MALCHIN_ASSIGN_OR_RETURN(o.workers, positive("workers", 256));
  MALCHIN_ASSIGN_OR_RETURN(o.io_threads, positive("io-threads", 64));
  MALCHIN_ASSIGN_OR_RETURN(int queue, positive("queue-per-worker", 100000));
  o.queue_per_worker = static_cast<size_t>(queue);
  MALCHIN_ASSIGN_OR_RETURN(o.max_connections,
                           positive("max-connections", 1000000));
  MALCHIN_ASSIGN_OR_RETURN(int job_threads, positive("jobs", 64));
  o.handle_signals = true;
  for (std::string_view list = merged["trusted-proxy"].as<std::string>();
       !list.empty();) {
    size_t comma = list.find(',');
    std::string address(list.substr(0, comma));
    if (!address.empty()) o.trusted_proxies.push_back(address);
    list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
  }
  if (merged.count("spool-dir")) {
    o.spool_dir = merged["spool-dir"].as<std::string>();
  }
  MALCHIN_ASSIGN_OR_RETURN(int body_mib, positive("max-body-memory", 1 << 20));
  o.max_body_memory = int64_t{body_mib} << 20;

  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl url, store::ParseDatabaseUrl(db));
  if (url.engine == store::Engine::kSqlite &&
      !std::filesystem::exists(url.path)) {
    return Status::NotFound("no register at " + url.path +
                            "; create one with: malchin init --db " + db);
  }
  // Migrations run once here, before the workers open their connections.
  store::OpenOptions open;
  open.create = false;
  MALCHIN_ASSIGN_OR_RETURN(std::shared_ptr<store::Database> database,
                           backends::OpenDatabase(db, open));
  auto open_store = [database]() { return database->Connect(); };
  // Reports and analytics read a hot standby when there is one.
  std::shared_ptr<store::Database> replica;
  if (merged.count("read-db")) {
    store::OpenOptions ro;
    ro.create = false;
    ro.read_only = true;
    MALCHIN_ASSIGN_OR_RETURN(
        replica,
        backends::OpenDatabase(merged["read-db"].as<std::string>(), ro));
  }
  auto make_worker =
      [open_store, replica]() -> Result<std::unique_ptr<http::WorkerContext>> {
    MALCHIN_ASSIGN_OR_RETURN(auto s, open_store());
    std::unique_ptr<store::Session> r;
    if (replica) {
      MALCHIN_ASSIGN_OR_RETURN(r, replica->Connect());
    }
    return std::unique_ptr<http::WorkerContext>(
        std::make_unique<api::Worker>(std::move(s), std::move(r)));
  };

  api::Services services;
  MALCHIN_ASSIGN_OR_RETURN(services.geo, geo::Geography::Load());
  auth::Authenticator authenticator;
  services.auth = &authenticator;
  services.export_dir =
      merged.count("export-dir")
          ? merged["export-dir"].as<std::string>()
          : (url.engine == store::Engine::kSqlite ? url.path + ".exports"
                                                  : std::string("var/exports"));
  services.secure_cookies = merged["secure-cookies"].as<bool>();
  if (merged.count("sms-token")) {
    services.sms_token = merged["sms-token"].as<std::string>();
    MALCHIN_RETURN_IF_ERROR(channel::CheckCallbackToken(services.sms_token));
  }
  services.sms_short_code = merged["sms-short-code"].as<std::string>();
  // The number the other capabilities' notices name (channel/notices.h),
  // before any session is opened.
  ::setenv("MALCHIN_SMS_SHORT_CODE", services.sms_short_code.c_str(), 1);
  if (merged.count("herder-pepper")) {
    services.herder_pepper = merged["herder-pepper"].as<std::string>();
    if (services.herder_pepper.size() < 32) {
      return Status::InvalidArgument(
          "herder-pepper: expected at least 32 characters", "herder-pepper");
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto reads,
                           api::BatchingReadRecorder::Open(open_store));
  services.reads = reads.get();
  http::JobPool jobs(job_threads, 64, [&make_worker]() {
    auto w = make_worker();
    return w.ok() ? std::move(*w) : std::make_unique<http::WorkerContext>();
  });
  services.jobs = &jobs;
  http::StaticFiles files;
  if (merged.count("static")) {
    MALCHIN_RETURN_IF_ERROR(
        files.LoadDirectory(merged["static"].as<std::string>()));
  }
  http::Router router;
  api::BuildApi(&router, &services);
  net::Server server(o, router, make_worker,
                     files.size() > 0 ? &files : nullptr);
  services.state = &server.state();
  // The audit trail's end, anchored outside the database every hour and at
  // shutdown (docs/security.md).
  MALCHIN_ASSIGN_OR_RETURN(auto anchor, CheckpointFiles(merged));
  MALCHIN_ASSIGN_OR_RETURN(std::string audit_key,
                           store::LoadOrCreateAuditKey(anchor.second));
  AuditCheckpointer checkpointer(
      *database, anchor.first, audit_key,
      std::chrono::minutes(merged["checkpoint-minutes"].as<int>()));
  // The SMS sender (--sms-sender) stops after the server, before the store.
  MALCHIN_ASSIGN_OR_RETURN(
      auto sms_sender, StartSmsSender(merged, database, services.sms_token));
  MALCHIN_RETURN_IF_ERROR(server.Start());
  if (sms_sender) io.err << "malchin serve: sending SMS from the outbox\n";
  io.err << "malchin serve: listening on http://" << o.address << ":"
         << server.port() << " (" << o.workers << " workers, "
         << database->url()
         << (replica ? ", reports from " + replica->url() : "") << ")\n";
  {
    PeriodicEscalation escalation(&jobs, merged["escalate-every"].as<int>());
    MALCHIN_ASSIGN_OR_RETURN(
        auto sms_sender, StartSmsSender(merged, database, services.sms_token));
    if (sms_sender) io.err << "malchin serve: sending SMS from the outbox\n";
    server.Run();
  }
  sms_sender.reset();
  jobs.Shutdown();
  reads->Flush();
  return Status::Ok();
}

// --- user
// ---------------------------------------------------------------------

Status UserAdd(const po::variables_map& vm, Io& io) {
  std::string name = vm["username"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(auth::Role role,
                           auth::ParseRole(vm["role"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(int32_t area, AreaCode(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  MALCHIN_RETURN_IF_ERROR(auth::CheckArea(role, area, *geo));
  MALCHIN_ASSIGN_OR_RETURN(std::string password, ReadPassword(io));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  auth::UserRecord u;
  u.username = name;
  u.role = std::string(auth::RoleName(role));
  u.area_code = area;
  u.created_at = auth::Authenticator::IsoTime();
  MALCHIN_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(password));
  MALCHIN_ASSIGN_OR_RETURN(
      auto made,
      store->Get<auth::AccountRepository>().CreateUser(u, {CliActor(), "cli"}));
  io.out << "user " << made.username << " (" << made.role << ", area "
         << made.area_code << ") created\n";
  return Status::Ok();
}

Status UserList(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto users,
                           store->Get<auth::AccountRepository>().ListUsers());
  io.out << std::left << std::setw(24) << "username" << std::setw(18) << "role"
         << std::setw(8) << "area" << std::setw(10) << "state"
         << "created\n";
  for (const auto& u : users) {
    io.out << std::setw(24) << u.username << std::setw(18) << u.role
           << std::setw(8) << u.area_code << std::setw(10)
           << (u.disabled ? "disabled" : "active") << u.created_at << "\n";
  }
  return Status::Ok();
}

Status UserDisable(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto u,
                           FindUserOrFail(store->Get<auth::AccountRepository>(),
                                          vm["username"].as<std::string>()));
  u.disabled = !vm.count("enable");
  u.updated_at = auth::Authenticator::IsoTime();
  MALCHIN_RETURN_IF_ERROR(
      store->Get<auth::AccountRepository>().UpdateUser(u, {CliActor(), "cli"}));
  if (u.disabled) {
    MALCHIN_RETURN_IF_ERROR(
        store->Get<auth::AccountRepository>().RevokeSessions(u.id, "",
                                                             u.updated_at));
  }
  io.out << "user " << u.username << (u.disabled ? " disabled" : " enabled")
         << "\n";
  return Status::Ok();
}

Status UserSetRole(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auth::Role role,
                           auth::ParseRole(vm["role"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(int32_t area, AreaCode(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  MALCHIN_RETURN_IF_ERROR(auth::CheckArea(role, area, *geo));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto u,
                           FindUserOrFail(store->Get<auth::AccountRepository>(),
                                          vm["username"].as<std::string>()));
  u.role = std::string(auth::RoleName(role));
  u.area_code = area;
  u.updated_at = auth::Authenticator::IsoTime();
  MALCHIN_RETURN_IF_ERROR(
      store->Get<auth::AccountRepository>().UpdateUser(u, {CliActor(), "cli"}));
  MALCHIN_RETURN_IF_ERROR(store->Get<auth::AccountRepository>().RevokeSessions(
      u.id, "", u.updated_at));
  io.out << "user " << u.username << " is now " << u.role << " (area "
         << u.area_code << "); their sessions were ended\n";
  return Status::Ok();
}

Status UserResetPassword(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(std::string password, ReadPassword(io));
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto u,
                           FindUserOrFail(store->Get<auth::AccountRepository>(),
                                          vm["username"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(password));
  u.updated_at = auth::Authenticator::IsoTime();
  MALCHIN_RETURN_IF_ERROR(
      store->Get<auth::AccountRepository>().UpdateUser(u, {CliActor(), "cli"}));
  MALCHIN_RETURN_IF_ERROR(store->Get<auth::AccountRepository>().RevokeSessions(
      u.id, "", u.updated_at));
  io.out << "password of " << u.username
         << " changed; their sessions were ended\n";
  return Status::Ok();
}

// --- audit
// --------------------------------------------------------------------

void CheckpointOptions(po::options_description& d) {
  DbOption(d);
  d.add_options()("checkpoints", po::value<std::string>(),
                  "the append-only checkpoint file (default: beside a SQLite "
                  "register, FILE.audit-checkpoints)")(
      "key", po::value<std::string>(),
      "the key that signs checkpoints, kept outside the database (default: "
      "FILE.audit-key; made if missing)");
}

Status AuditVerify(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto files, CheckpointFiles(vm));
  bool anchored = std::filesystem::exists(files.first);
  store::AuditCheck v;
  if (anchored) {
    MALCHIN_ASSIGN_OR_RETURN(std::string key,
                             store::LoadOrCreateAuditKey(files.second));
    MALCHIN_ASSIGN_OR_RETURN(v, store::VerifyAuditWithCheckpoints(
                                    store->session(), files.first, key));
  } else {
    MALCHIN_ASSIGN_OR_RETURN(v, store->session().VerifyAudit());
  }
  if (!v.ok()) {
    return Status::DataLoss("the audit trail is broken at entry " +
                            std::to_string(*v.first_bad_seq) + " of " +
                            std::to_string(v.entries) + ": " + v.problem);
  }
  io.out << "audit trail intact: " << v.entries << " entries, chain verified"
         << (anchored ? ", and it still holds the latest checkpoint (" +
                            files.first + ")"
                      : "; no checkpoint file (" + files.first +
                            "): a trail cut short would not show")
         << "\n";
  return Status::Ok();
}

Status AuditCheckpoint(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto files, CheckpointFiles(vm));
  MALCHIN_ASSIGN_OR_RETURN(std::string key,
                           store::LoadOrCreateAuditKey(files.second));
  MALCHIN_ASSIGN_OR_RETURN(
      store::AuditCheckpoint c,
      store::WriteAuditCheckpoint(store->session(), files.first, key));
  io.out << "audit checkpoint " << c.seq << " " << c.hash << " " << c.at
         << " -> " << files.first << "\n";
  return Status::Ok();
}

Status AuditShow(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  store::AuditQuery q;
  if (vm.count("user")) q.actor = vm["user"].as<std::string>();
  if (vm.count("person")) q.register_no = vm["person"].as<std::string>();
  if (vm.count("household")) q.household_id = vm["household"].as<std::string>();
  if (vm.count("from")) q.from = vm["from"].as<std::string>();
  if (vm.count("to")) q.to = vm["to"].as<std::string>();
  q.after_seq = vm["after"].as<int64_t>();
  q.limit = vm["limit"].as<int>();
  MALCHIN_ASSIGN_OR_RETURN(auto entries, store->session().ListAudit(q));
  // As on the API: entries about a complaint the operator may not see in
  // detail (confidential, for the operator's account of no role) keep
  // their place without the case's id or content.
  MALCHIN_RETURN_IF_ERROR(
      grievance::MaskAuditTrail(store->session(), &entries));
  bool as_json = vm.count("json") > 0;
  json all = json::array();
  for (const auto& e : entries) {
    if (as_json) {
      all.push_back(
          {{"seq", e.seq},
           {"at", e.at},
           {"actor", e.actor},
           {"action", e.action},
           {"entity_type", e.entity_type},
           {"entity_id", e.entity_id},
           {"register_no",
            e.register_no ? json(*e.register_no) : json(nullptr)},
           {"before", e.before_json ? json(*e.before_json) : json(nullptr)},
           {"after", e.after_json ? json(*e.after_json) : json(nullptr)},
           {"hash", e.hash}});
    } else {
      io.out << e.seq << "  " << e.at << "  " << e.actor << "  " << e.action
             << "  " << e.entity_type << " " << e.entity_id << "\n";
    }
  }
  if (as_json) io.out << all.dump(2) << "\n";
  return Status::Ok();
}

}  // namespace

void AddServerCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"serve", "run the HTTP API server", ServeOptions, Serve,
       "\nEvery option can also come from the environment (MALCHIN_DB, "
       "MALCHIN_PORT, ...)\nor from --config FILE (lines like `port = "
       "8080`). SIGTERM stops gracefully:\nin-flight requests finish, then "
       "the server exits. Logs are JSON lines on stderr.\n"});
  commands->push_back(
      {"user add", "create an account (password read from stdin)",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("username", po::value<std::string>()->required(),
                         "account name")(
             "role", po::value<std::string>()->required(),
             "admin, national_officer, aimag_officer, soum_officer, analyst "
             "or auditor")("area", po::value<std::string>(),
                           "aimag (officers) or soum code or name; national "
                           "roles: none");
       },
       UserAdd,
       "\nThe password is the first line of standard input (at least 10 "
       "characters);\nit is never taken from the command line.\n"});
  commands->push_back({"user list", "list accounts", DbOption, UserList, ""});
  commands->push_back(
      {"user disable", "disable an account and end its sessions",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("username", po::value<std::string>()->required(),
                         "account name")("enable", "enable it again instead");
       },
       UserDisable, ""});
  commands->push_back(
      {"user set-role", "change an account's role and area",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("username", po::value<std::string>()->required(),
                         "account name")(
             "role", po::value<std::string>()->required(), "the new role")(
             "area", po::value<std::string>(), "the new area");
       },
       UserSetRole, ""});
  commands->push_back(
      {"user reset-password", "set a new password (read from stdin)",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("username", po::value<std::string>()->required(),
                         "account name");
       },
       UserResetPassword, ""});
  commands->push_back(
      {"audit verify",
       "check the audit trail's hash chain and its latest checkpoint",
       CheckpointOptions, AuditVerify,
       "\nExit code 9 if an entry was altered, removed or reordered, or if "
       "the trail\nends before, or differs at, its latest checkpoint "
       "(docs/security.md).\n"});
  commands->push_back(
      {"audit checkpoint",
       "anchor the audit trail's end in the signed checkpoint file",
       CheckpointOptions, AuditCheckpoint,
       "\nRun it daily (cron) besides the server's own checkpoints; copy the "
       "file off\nthe machine. The key must not be readable by whoever "
       "administers the database.\n"});
  commands->push_back(
      {"audit show",
       "list audit entries (filters: user, person, household, "
       "time)",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("user", po::value<std::string>(), "actor")(
             "person", po::value<std::string>(), "register number")(
             "household", po::value<std::string>(), "household id")(
             "from", po::value<std::string>(), "ISO 8601 UTC, inclusive")(
             "to", po::value<std::string>(), "ISO 8601 UTC, inclusive")(
             "after", po::value<int64_t>()->default_value(0),
             "entries after this seq")("limit",
                                       po::value<int>()->default_value(100),
                                       "at most 1000")("json", "print JSON");
       },
       AuditShow, ""});
}

}  // namespace malchin::cli
