#include "channel/kannel_fixture.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "net/client.h"

namespace malchin::channel {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr char kBearerbox[] = "/usr/sbin/bearerbox";
constexpr char kSmsbox[] = "/usr/sbin/smsbox";
constexpr char kFakesmsc[] = "/usr/lib/kannel/test/fakesmsc";
constexpr char kUsername[] = "malchin";
constexpr char kSender[] = "1234";

std::string RandomHex(int bytes) {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    out += "0123456789abcdef"[rd() % 16];
    out += "0123456789abcdef"[rd() % 16];
  }
  return out;
}

// Distinct free loopback ports: all are bound at once, then released.
Result<std::array<uint16_t, 4>> FreePorts() {
  std::array<int, 4> fds{-1, -1, -1, -1};
  std::array<uint16_t, 4> ports{};
  Status status;
  for (size_t i = 0; i < fds.size() && status.ok(); ++i) {
    fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (fds[i] < 0 || bind(fds[i], reinterpret_cast<sockaddr*>(&a), len) ||
        getsockname(fds[i], reinterpret_cast<sockaddr*>(&a), &len)) {
      status = Status::Internal("cannot find a free loopback port");
    }
    ports[i] = ntohs(a.sin_port);
  }
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
  if (!status.ok()) return status;
  return ports;
}

bool Exited(pid_t pid) {
  int st = 0;
  return pid > 0 && waitpid(pid, &st, WNOHANG) == pid;
}

void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  for (auto end = Clock::now() + 3s; Clock::now() < end;) {
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) != 0) return;
    std::this_thread::sleep_for(10ms);
  }
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
}

std::string Tail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size();
       ++i) {
    out += "  " + all[i] + "\n";
  }
  return out;
}

}  // namespace

std::string KannelFixture::MissingBinaries() {
  std::string missing;
  for (const char* path : {kBearerbox, kSmsbox, kFakesmsc}) {
    if (access(path, X_OK) != 0) missing += std::string(" ") + path;
  }
  if (missing.empty()) return "";
  return "Kannel is not installed (missing" + missing +
         "); run scripts/setup.sh (Debian packages kannel and kannel-extras)";
}

Result<std::unique_ptr<KannelFixture>> KannelFixture::Start(
    KannelFixtureOptions options) {
  if (std::string missing = MissingBinaries(); !missing.empty()) {
    return Status::FailedPrecondition(missing);
  }
  Status last;
  // A port taken between FreePorts() and bearerbox's bind: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::unique_ptr<KannelFixture> f(new KannelFixture());
    last = f->Launch(options);
    if (last.ok()) return f;
  }
  return last;
}

Status KannelFixture::Launch(const KannelFixtureOptions& options) {
  std::string base = (fs::temp_directory_path() / "malchin-kannel-XXXXXX");
  if (mkdtemp(base.data()) == nullptr) {
    return Status::Internal("cannot create a folder under " + base);
  }
  folder_ = base;
  MALCHIN_ASSIGN_OR_RETURN(auto ports, FreePorts());
  ports_ = {ports[0], ports[1], ports[2], ports[3]};
  admin_password_ = RandomHex(12);
  sendsms_password_ = RandomHex(12);
  MALCHIN_RETURN_IF_ERROR(WriteConfig(options));
  std::string conf = folder_ + "/kannel.conf";
  auto deadline = Clock::now() + options.start_timeout;
  MALCHIN_RETURN_IF_ERROR(Spawn(&bearerbox_, {kBearerbox, conf}, false));
  while (!AdminStatus().ok()) {
    if (Exited(bearerbox_.pid)) bearerbox_.pid = -1;
    if (bearerbox_.pid < 0 || Clock::now() > deadline) {
      return Status::Unavailable("bearerbox did not start\n" + LogTail());
    }
    std::this_thread::sleep_for(20ms);
  }
  MALCHIN_RETURN_IF_ERROR(Spawn(&smsbox_, {kSmsbox, conf}, false));
  return WaitUntilUp(deadline);
}

Status KannelFixture::WriteConfig(const KannelFixtureOptions& options) const {
  std::string get_url;
  if (!options.inbound_url.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        get_url, InboundUrl(options.inbound_url, options.callback_token));
  }
  std::ofstream c(folder_ + "/kannel.conf");
  c << "group = core\n"
    << "admin-port = " << ports_.admin << "\n"
    << "admin-password = " << admin_password_ << "\n"
    << "admin-deny-ip = \"*.*.*.*\"\nadmin-allow-ip = \"127.0.0.1\"\n"
    << "smsbox-port = " << ports_.smsbox << "\n"
    << "smsbox-interface = 127.0.0.1\n"
    << "box-deny-ip = \"*.*.*.*\"\nbox-allow-ip = \"127.0.0.1\"\n"
    << "log-file = \"" << folder_ << "/bearerbox.log\"\nlog-level = 0\n"
    << "access-log = \"" << folder_ << "/access.log\"\n"
    << "dlr-storage = internal\n\n"
    << "group = smsc\nsmsc = fake\nsmsc-id = FAKE\n"
    << "port = " << ports_.smsc << "\n"
    << "connect-allow-ip = 127.0.0.1\n\n"
    << "group = smsbox\nbearerbox-host = 127.0.0.1\n"
    << "bearerbox-port = " << ports_.smsbox << "\n"
    << "sendsms-port = " << ports_.sendsms << "\n"
    << "sendsms-interface = 127.0.0.1\n"
    << "log-file = \"" << folder_ << "/smsbox.log\"\nlog-level = 0\n"
    << "mo-recode = true\n"
    << "http-request-retry = " << options.callback_retries << "\n"
    << "http-queue-delay = 1\n\n"
    << "group = sendsms-user\n"
    << "username = " << kUsername << "\n"
    << "password = " << sendsms_password_ << "\n"
    << "user-allow-ip = \"127.0.0.1\"\n"
    << "max-messages = " << options.max_messages << "\n"
    << "concatenation = true\n\n"
    << "group = sms-service\nkeyword = default\ncatch-all = true\n"
    << "max-messages = 0\n"
    << (get_url.empty() ? "text = \"ok\"\n"
                        : "get-url = \"" + get_url + "\"\n");
  c.close();
  if (!c) return Status::Internal("cannot write " + folder_ + "/kannel.conf");
  return Status::Ok();
}

Status KannelFixture::Spawn(Child* child, const std::vector<std::string>& argv,
                            bool with_stdin) {
  // Everything the child needs is made before fork (only async-signal-safe
  // calls after it).
  std::string out = folder_ + "/" + child->name + ".out";
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int sv[2] = {-1, -1};  // A socket, so a write to a dead child gets EPIPE.
  if (with_stdin && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
    return Status::Internal("socketpair failed");
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int in = with_stdin ? sv[1] : open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || in < 0) _exit(127);
    dup2(fd, 1);
    dup2(fd, 2);
    dup2(in, 0);
    execv(args[0], args.data());
    _exit(127);
  }
  if (with_stdin) {
    close(sv[1]);
    if (pid < 0) close(sv[0]);
  }
  if (pid < 0)
    return Status::Internal(std::string("fork failed for ") + child->name);
  child->pid = pid;
  if (with_stdin) fakesmsc_stdin_ = sv[0];
  return Status::Ok();
}

Status KannelFixture::WaitUntilUp(Clock::time_point deadline) {
  for (int sleep_ms = 0;; sleep_ms = 20) {
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    if (Exited(bearerbox_.pid)) bearerbox_.pid = -1;
    if (Exited(smsbox_.pid)) smsbox_.pid = -1;
    if (bearerbox_.pid < 0 || smsbox_.pid < 0 || Clock::now() > deadline) {
      return Status::Unavailable("Kannel did not come up in " + folder_ + "\n" +
                                 LogTail());
    }
    // fakesmsc gives up if the fake SMSC port is not open yet: start again.
    if (fakesmsc_.pid < 0 || Exited(fakesmsc_.pid)) {
      if (fakesmsc_stdin_ >= 0) close(fakesmsc_stdin_);
      fakesmsc_stdin_ = -1;
      MALCHIN_RETURN_IF_ERROR(
          Spawn(&fakesmsc_,
                {kFakesmsc, "-H", "127.0.0.1", "-r",
                 std::to_string(ports_.smsc), "-i", "0", "-v", "0"},
                true));
      continue;
    }
    auto status = AdminStatus();
    if (!status.ok() || status->find("smsbox:") == std::string::npos ||
        status->find("(online") == std::string::npos) {
      continue;
    }
    net::Client client("127.0.0.1", ports_.sendsms, 2s);
    if (client.Send("GET", "/cgi-bin/sendsms").ok()) return Status::Ok();
  }
}

KannelFixture::~KannelFixture() {
  StopAll();
  if (folder_.empty()) return;
  if (std::getenv("MALCHIN_KEEP_KANNEL") != nullptr) {
    std::cerr << "Kannel fixture kept in " << folder_ << "\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

void KannelFixture::StopAll() {
  if (fakesmsc_stdin_ >= 0) close(fakesmsc_stdin_);  // EOF: fakesmsc ends.
  fakesmsc_stdin_ = -1;
  for (Child* c : {&fakesmsc_, &smsbox_, &bearerbox_}) {
    Stop(c->pid);
    c->pid = -1;
  }
}

KannelAccount KannelFixture::account() const {
  KannelAccount a;
  a.host = "127.0.0.1";
  a.port = ports_.sendsms;
  a.username = kUsername;
  a.password = sendsms_password_;
  a.from = kSender;
  return a;
}

Result<std::string> KannelFixture::AdminStatus() const {
  net::Client client("127.0.0.1", ports_.admin, 2s);
  MALCHIN_ASSIGN_OR_RETURN(
      http::Response r,
      client.Send("GET", "/status.txt?password=" + admin_password_));
  if (r.status != 200) {
    return Status::Unavailable("Kannel status: HTTP " +
                               std::to_string(r.status));
  }
  return r.body;
}

std::string KannelFixture::LogTail() const {
  // Standard error holds what the log files hold and the errors from
  // before they open (a bad kannel.conf).
  std::ostringstream out;
  out << "(set MALCHIN_KEEP_KANNEL=1 to keep the whole folder)\n";
  for (const char* name : {"bearerbox.out", "smsbox.out", "fakesmsc.out"}) {
    out << "== " << folder_ << "/" << name << "\n"
        << Tail(folder_ + "/" + name, 15);
  }
  return out.str();
}

}  // namespace malchin::channel
