// `malchin channel broadcast draft|preview|approve|send|cancel|report`: SMS
// broadcasts from the command line (docs/channel.md). `--user NAME` acts
// as that register account (its role and area): maker-checker needs two.
#include <nlohmann/json.hpp>

#include "channel/broadcast.h"
#include "channel/template_texts.h"
#include "channel/templates.h"
#include "cli/channel_cli.h"
#include "cli/command.h"
#include "params/parameters.h"
#include "response/plan.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

// An open store acting as --user (if given) and what a broadcast reads.
struct BroadcastDb {
  std::unique_ptr<CliDb> db;
  channel::BroadcastContext ctx;
  std::optional<rules::EventContext> event;
  store::Session& session() { return db->session(); }
};

Result<BroadcastDb> Open(const po::variables_map& vm) {
  BroadcastDb d;
  MALCHIN_ASSIGN_OR_RETURN(d.db, OpenStore(vm, false));
  if (vm.count("user")) {
    MALCHIN_RETURN_IF_ERROR(ActAs(*d.db, vm["user"].as<std::string>()));
  }
  MALCHIN_ASSIGN_OR_RETURN(d.ctx.catalogue,
                           channel::CatalogueInForce(d.db->session()));
  MALCHIN_ASSIGN_OR_RETURN(d.ctx.parameters, params::ParameterSet::Embedded());
  return d;
}

// The broadcast --id, with its event bound into d.ctx.
Result<channel::Broadcast> Load(const po::variables_map& vm, BroadcastDb& d) {
  MALCHIN_ASSIGN_OR_RETURN(
      channel::Broadcast b,
      channel::FindBroadcast(d.session(), vm["id"].as<int64_t>()));
  if (!b.event_code.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        d.event, response::LoadEventContext(d.session(), b.event_code));
    d.ctx.event = &*d.event;
  }
  return b;
}

Status Print(const po::variables_map& vm, Io& io, const std::string& text) {
  json j = json::parse(text);
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  for (const auto& [k, v] : j.items()) {
    io.out << k << "\t" << (v.is_string() ? v.get<std::string>() : v.dump())
           << "\n";
  }
  return Status::Ok();
}

Status Draft(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(BroadcastDb d, Open(vm));
  channel::DraftRequest r;
  r.title = vm["title"].as<std::string>();
  r.target = vm["target"].as<std::string>();
  r.template_id = vm["template"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(r.values, TemplateParamOptions(vm));
  if (vm.count("event")) {
    r.event_code = vm["event"].as<std::string>();
    MALCHIN_ASSIGN_OR_RETURN(
        d.event, response::LoadEventContext(d.session(), r.event_code));
    d.ctx.event = &*d.event;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto b,
                           channel::DraftBroadcast(d.session(), d.ctx, r));
  return Print(vm, io, channel::ToJson(b));
}

Status Preview(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(BroadcastDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto b, Load(vm, d));
  MALCHIN_ASSIGN_OR_RETURN(auto p,
                           channel::PreviewBroadcast(d.session(), d.ctx, b.id));
  return Print(vm, io, channel::ToJson(p));
}

Status Approve(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(BroadcastDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto b, channel::ApproveBroadcast(d.session(), vm["id"].as<int64_t>()));
  return Print(vm, io, channel::ToJson(b));
}

Status Send(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(BroadcastDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto b, Load(vm, d));
  MALCHIN_ASSIGN_OR_RETURN(b, channel::SendBroadcast(d.session(), d.ctx, b.id,
                                                     vm["batch"].as<int>()));
  return Print(vm, io, channel::ToJson(b));
}

Status Cancel(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(BroadcastDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto b, channel::CancelBroadcast(d.session(), vm["id"].as<int64_t>()));
  return Print(vm, io, channel::ToJson(b));
}

Status Report(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(BroadcastDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto r, channel::ReportBroadcast(d.session(), vm["id"].as<int64_t>()));
  return Print(vm, io, channel::ToJson(r));
}

void Common(po::options_description& d, bool id) {
  DbOption(d);
  d.add_options()("user", po::value<std::string>(),
                  "act as this account (its role and area)")("json",
                                                             "print JSON");
  if (id) {
    d.add_options()("id", po::value<int64_t>()->required(), "broadcast id");
  }
}

}  // namespace

void AddBroadcastCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"channel broadcast draft",
       "draft an SMS broadcast to the households a rule selects",
       [](po::options_description& d) {
         Common(d, false);
         d.add_options()("title", po::value<std::string>()->required(),
                         "what it is about")(
             "target", po::value<std::string>()->required(),
             "household condition, e.g. 'household.herder and "
             "event.severity >= high'")("event", po::value<std::string>(),
                                        "shock event code the target reads")(
             "template", po::value<std::string>()->required(), "template id")(
             "param", po::value<std::vector<std::string>>()->composing(),
             "NAME=VALUE of the template, repeated");
       },
       Draft, ""});
  commands->push_back({"channel broadcast preview",
                       "recipients, cost and counts by soum x sex of head",
                       [](po::options_description& d) { Common(d, true); },
                       Preview, ""});
  commands->push_back({"channel broadcast approve",
                       "approve a draft (a second officer, not its maker)",
                       [](po::options_description& d) { Common(d, true); },
                       Approve, ""});
  commands->push_back(
      {"channel broadcast send",
       "freeze the recipients and queue every message once",
       [](po::options_description& d) {
         Common(d, true);
         d.add_options()("batch", po::value<int>()->default_value(500),
                         "messages queued per transaction");
       },
       Send,
       "\nA draft over sms.broadcast_approval_recipients or "
       "sms.broadcast_approval_cost\nneeds `approve` by another officer "
       "first. Sending again continues an interrupted\nbroadcast and queues "
       "nobody twice.\n"});
  commands->push_back(
      {"channel broadcast cancel", "cancel a draft or approved broadcast",
       [](po::options_description& d) { Common(d, true); }, Cancel, ""});
  commands->push_back({"channel broadcast report",
                       "progress and delivery by soum x sex of head",
                       [](po::options_description& d) { Common(d, true); },
                       Report, ""});
}

}  // namespace malchin::cli
