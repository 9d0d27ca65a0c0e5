// `malchin channel queue|send|status|inbox`: the SMS outbox from the
// command line (docs/channel.md). `send` is the sending worker: run one or
// several, on one or several hosts, against the same database.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <thread>

#include "channel/outbox.h"
#include "channel/repository.h"
#include "channel/sender.h"
#include "channel/template_texts.h"
#include "channel/templates.h"
#include "cli/channel_cli.h"
#include "cli/command.h"
#include "net/client.h"
#include "params/parameters.h"

namespace malchin::cli {

Result<channel::TemplateValues> TemplateParamOptions(
    const po::variables_map& vm) {
  channel::TemplateValues values;
  if (!vm.count("param")) return values;
  for (const auto& p : vm["param"].as<std::vector<std::string>>()) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument(
          "--param '" + p + "': expected NAME=VALUE / NAME=УТГА хэлбэртэй",
          "param");
    }
    values[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return values;
}

namespace {

// The secret from the environment variable, else the first line of the
// file option (never from argv, which other users can see).
Result<std::string> Secret(const po::variables_map& vm, const char* env,
                           const char* file_option) {
  if (vm.count(file_option)) {
    std::string path = vm[file_option].as<std::string>();
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return Status::InvalidArgument(std::string("--") + file_option + " " +
                                         path + ": cannot read the first line",
                                     file_option);
    }
    return line;
  }
  const char* v = std::getenv(env);
  return std::string(v ? v : "");
}

}  // namespace

Result<channel::KannelClient> KannelFromOptions(const po::variables_map& vm,
                                                std::string_view token) {
  channel::KannelAccount a;
  a.host = vm["kannel-host"].as<std::string>();
  int port = vm["kannel-port"].as<int>();
  if (port < 1 || port > 65535) {
    return Status::InvalidArgument(
        "--kannel-port " + std::to_string(port) + ": expected 1-65535",
        "kannel-port");
  }
  a.port = static_cast<uint16_t>(port);
  a.username = vm["kannel-user"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(a.password, Secret(vm, "MALCHIN_KANNEL_PASSWORD",
                                              "kannel-password-file"));
  if (a.password.empty()) {
    // Without it every message would fail: refuse before claiming any.
    return Status::InvalidArgument(
        "no Kannel password: set MALCHIN_KANNEL_PASSWORD or give "
        "--kannel-password-file / Kannel-ийн нууц үг алга",
        "kannel-password-file");
  }
  if (vm.count("from")) a.from = vm["from"].as<std::string>();
  if (vm.count("smsc")) a.smsc = vm["smsc"].as<std::string>();
  std::optional<channel::CallbackConfig> callbacks;
  if (vm.count("dlr-url")) {
    callbacks.emplace();
    callbacks->dlr_url = vm["dlr-url"].as<std::string>();
    MALCHIN_ASSIGN_OR_RETURN(callbacks->token,
                             Secret(vm, "MALCHIN_SMS_TOKEN", "sms-token-file"));
    if (callbacks->token.empty()) callbacks->token = std::string(token);
  }
  std::string host = a.host;
  uint16_t p = a.port;
  channel::HttpGet get =
      [host, p](const std::string& target) -> Result<channel::HttpAnswer> {
    net::Client client(host, p, std::chrono::seconds(10));
    MALCHIN_ASSIGN_OR_RETURN(http::Response r, client.Send("GET", target));
    return channel::HttpAnswer{r.status, r.body};
  };
  return channel::KannelClient(std::move(a), std::move(callbacks),
                               std::move(get));
}

std::string DefaultOwner() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

void KannelOptions(po::options_description& d, bool user_required) {
  auto user = po::value<std::string>();
  if (user_required) user->required();
  d.add_options()(
      "kannel-host", po::value<std::string>()->default_value("127.0.0.1"),
      "smsbox's host")("kannel-port", po::value<int>()->default_value(13013),
                       "smsbox's sendsms-port")("kannel-user", user,
                                                "the sendsms-user's username")(
      "kannel-password-file", po::value<std::string>(),
      "file whose first line is the sendsms-user's password (default: env "
      "MALCHIN_KANNEL_PASSWORD)")("from", po::value<std::string>(),
                                  "sender shown on the phone")(
      "smsc", po::value<std::string>(), "smsc-id to route through")(
      "dlr-url", po::value<std::string>(),
      "Malchin's delivery-report route as Kannel reaches it, e.g. "
      "http://10.0.0.5:8080/api/v1/sms/dlr (none: no reports)")(
      "sms-token-file", po::value<std::string>(),
      "file whose first line is the callback token (default: env "
      "MALCHIN_SMS_TOKEN; must match serve's --sms-token)");
}

namespace {

using nlohmann::json;

// --- queue ------------------------------------------------------------------

Status Queue(const po::variables_map& vm, Io& io) {
  channel::QueueRequest q;
  q.idempotency_key = vm["key"].as<std::string>();
  q.phone = vm["phone"].as<std::string>();
  q.template_id = vm["template"].as<std::string>();
  if (vm.count("household")) q.household_id = vm["household"].as<std::string>();
  if (vm.count("person")) q.register_no = vm["person"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(
      q.kind, channel::ParseMessageKind(vm["kind"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(
      q.language, channel::ParseLanguage(vm["lang"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(q.values, TemplateParamOptions(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto catalogue,
                           channel::CatalogueInForce(store->session()));
  MALCHIN_ASSIGN_OR_RETURN(
      channel::QueueResult r,
      channel::Queue(store->session(), *catalogue, *parameters, q));
  const auto& m = r.message;
  io.out << (r.queued ? "queued " : "already queued (nothing done) ")
         << m.idempotency_key << " to " << m.phone << ": " << m.segments
         << " segment(s), "
         << (m.coding == channel::SmsCoding::kUcs2 ? "UCS-2" : "GSM-7") << ", "
         << m.cost << " MNT, " << channel::Name(m.state) << "\n";
  return Status::Ok();
}

// --- send -------------------------------------------------------------------

void Add(channel::SendRound* total, const channel::SendRound& r) {
  total->claimed += r.claimed;
  total->sent += r.sent;
  total->retried += r.retried;
  total->failed += r.failed;
  total->in_doubt += r.in_doubt;
  total->quiet = r.quiet;
}

void PrintRound(const channel::SendRound& r, Io& io) {
  io.out << "claimed " << r.claimed << ", sent " << r.sent << ", retried "
         << r.retried << ", failed " << r.failed << ", in doubt " << r.in_doubt
         << (r.quiet ? " (quiet hours: information messages held)" : "") << "\n"
         << std::flush;
}

// Messages still to go (queued or sending), for --until-empty.
Result<int64_t> Pending(store::Session& session) {
  MALCHIN_ASSIGN_OR_RETURN(auto counts,
                           session.Get<channel::Repository>().CountByState());
  return counts[channel::OutboxState::kQueued] +
         counts[channel::OutboxState::kSending];
}

Status Send(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(channel::KannelClient client,
                           KannelFromOptions(vm, ""));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  channel::SenderOptions o;
  o.owner = vm.count("owner") ? vm["owner"].as<std::string>() : DefaultOwner();
  o.batch = vm["batch"].as<int>();
  o.lease_seconds = vm["lease-seconds"].as<int>();
  o.in_doubt_seconds = vm["in-doubt-seconds"].as<int>();
  o.quiet_hours = vm.count("ignore-quiet-hours") == 0;
  if (o.batch < 1 || o.batch > 1000) {
    return Status::InvalidArgument("--batch: expected 1-1000", "batch");
  }
  channel::Sender sender(
      store->session(), client, *parameters, o,
      [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); });
  const bool once = vm.count("once") > 0;
  const bool until_empty = vm.count("until-empty") > 0;
  const auto poll = std::chrono::milliseconds(vm["poll-ms"].as<int>());
  io.err << "sending as " << o.owner << " through "
         << channel::DescribeAccount(client.account()) << "\n";
  channel::SendRound total;
  while (true) {
    MALCHIN_ASSIGN_OR_RETURN(channel::SendRound r, sender.RunUntilIdle());
    Add(&total, r);
    if (r.claimed > 0 && !once) PrintRound(r, io);
    if (once) break;
    if (until_empty) {
      MALCHIN_ASSIGN_OR_RETURN(int64_t pending, Pending(store->session()));
      if (pending == 0) break;
    }
    std::this_thread::sleep_for(poll);
  }
  PrintRound(total, io);
  return Status::Ok();
}

void SendOptions(po::options_description& d) {
  DbOption(d);
  KannelOptions(d, /*user_required=*/true);
  d.add_options()("owner", po::value<std::string>(),
                  "this worker's name (default host:pid)")(
      "batch", po::value<int>()->default_value(50),
      "messages claimed per transaction")(
      "lease-seconds", po::value<int>()->default_value(-1),
      "override sms.lease_seconds (-1: the parameter)")(
      "in-doubt-seconds", po::value<int>()->default_value(-1),
      "override sms.in_doubt_seconds (-1: the parameter)")(
      "ignore-quiet-hours", "send information messages in quiet hours too")(
      "once", "send what is due, then stop")(
      "until-empty", "keep going until nothing is queued or being sent")(
      "poll-ms", po::value<int>()->default_value(5000),
      "milliseconds between looks at the outbox when it is idle");
}

// --- status and inbox -------------------------------------------------------

Status StatusCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  auto& repo = store->Get<channel::Repository>();
  const bool as_json = vm.count("json") > 0;
  if (!vm.count("key")) {
    MALCHIN_ASSIGN_OR_RETURN(auto counts, repo.CountByState());
    json j = json::object();
    for (const auto& [state, n] : counts) {
      j[std::string(channel::Name(state))] = n;
      if (!as_json) io.out << channel::Name(state) << "\t" << n << "\n";
    }
    if (as_json) io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  std::string key = vm["key"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(auto m, repo.FindByKey(key));
  if (!m) return Status::NotFound("no message with the key '" + key + "'");
  MALCHIN_ASSIGN_OR_RETURN(auto reports, repo.Reports(key));
  json j = {{"key", m->idempotency_key},
            {"phone", m->phone},
            {"state", channel::Name(m->state)},
            {"attempts", m->attempts},
            {"segments", m->segments},
            {"cost", m->cost},
            {"last_report", m->last_report},
            {"last_answer", m->last_answer},
            {"delivery_unknown_since", m->unknown_at},
            {"text", m->text},
            {"reports", reports.size()}};
  if (as_json) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  for (const auto& [k, v] : j.items()) io.out << k << "\t" << v << "\n";
  return Status::Ok();
}

Status Inbox(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto rows, store->Get<channel::Repository>().Inbox(
                                          vm["limit"].as<int>()));
  json all = json::array();
  for (const auto& r : rows) {
    if (vm.count("json")) {
      all.push_back({{"id", r.id},
                     {"from", r.sms.from},
                     {"text", r.sms.text},
                     {"received_at", r.received_at}});
    } else {
      io.out << r.id << "\t" << r.received_at << "\t" << r.sms.from << "\t"
             << r.sms.text << "\n";
    }
  }
  if (vm.count("json")) io.out << all.dump(2) << "\n";
  return Status::Ok();
}

}  // namespace

void AddChannelCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"channel queue", "queue one templated SMS once (by its key)",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("key", po::value<std::string>()->required(),
                         "idempotency key: queueing it again does nothing")(
             "phone", po::value<std::string>()->required(),
             "the recipient (8 digits, 976... or +976...)")(
             "template", po::value<std::string>()->required(),
             "template id (src/channel/data/sms_templates.json)")(
             "param", po::value<std::vector<std::string>>()->composing(),
             "NAME=VALUE of the template, repeated")(
             "household", po::value<std::string>(), "household id")(
             "person", po::value<std::string>(), "register number")(
             "kind", po::value<std::string>()->default_value("info"),
             "info, reply or otp")(
             "lang", po::value<std::string>()->default_value("mn"), "mn or en");
       },
       Queue, ""});
  commands->push_back(
      {"channel send",
       "the sending worker: claims due messages and sends them through Kannel",
       SendOptions, Send,
       "\nWithout --once or --until-empty it runs until stopped. Several "
       "workers may run\nat once; each message is claimed by one "
       "(docs/channel.md states the guarantee).\n"});
  commands->push_back(
      {"channel status", "messages by state, or one message by --key",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("key", po::value<std::string>(),
                         "one message's idempotency key")("json", "print JSON");
       },
       StatusCmd, ""});
  commands->push_back(
      {"channel inbox", "herders' SMS that no keyword answered, newest first",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("limit", po::value<int>()->default_value(100),
                         "at most this many")("json", "print JSON");
       },
       Inbox, ""});
}

}  // namespace malchin::cli
