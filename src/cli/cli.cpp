#include "cli/cli.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "auth/accounts.h"
#include "backends/open.h"
#include "channel/notices.h"
#include "cli/command.h"
#include "core/error_mapping.h"
#include "geo/geography.h"
#include "store/url.h"

namespace malchin::cli {
namespace {

std::vector<Command> AllCommands() {
  std::vector<Command> c;
  AddAllCommands(&c);
  return c;
}

void PrintOverview(const std::vector<Command>& commands, std::ostream& out) {
  out << "Malchin - social protection for herder households\n\n"
         "Usage: malchin <command> [options]   (malchin <command> --help)\n\n"
         "Commands:\n";
  for (const Command& c : commands) {
    out << "  " << c.name
        << std::string(c.name.size() < 16 ? 16 - c.name.size() : 1, ' ')
        << c.summary << "\n";
  }
  out << "\nExit codes: 0 success, 1 usage error, 2 invalid input, 3 not "
         "found,\n  4 already exists or conflict, 5 wrong state, 6 not "
         "allowed, 7 too large,\n  8 unavailable, 9 damaged or newer data, "
         "10 internal error.\n";
}

}  // namespace

Result<store::AreaFilter> AreaOption(const po::variables_map& vm,
                                     const geo::Geography& geo) {
  store::AreaFilter area;
  if (vm.count("soum") && vm.count("aimag")) {
    return Status::InvalidArgument("give --soum or --aimag, not both");
  }
  if (vm.count("soum")) {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u,
                             geo.Resolve(vm["soum"].as<std::string>()));
    if (u->is_aimag_level()) {
      return Status::InvalidArgument("--soum " + vm["soum"].as<std::string>() +
                                     " is an aimag; use --aimag");
    }
    area.soum_code = u->code;
  }
  if (vm.count("aimag")) {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u,
                             geo.Resolve(vm["aimag"].as<std::string>()));
    if (!u->is_aimag_level()) {
      return Status::InvalidArgument("--aimag " +
                                     vm["aimag"].as<std::string>() +
                                     " is a soum; use --soum");
    }
    area.aimag_code = u->code;
  }
  return area;
}

void DbOptionFor(po::options_description& d, const char* what) {
  d.add_options()("db", po::value<std::string>(),
                  (std::string(what) +
                   ": a path or sqlite:PATH (embedded), or "
                   "postgresql://user@host:port/db; default $MALCHIN_DB")
                      .c_str());
}

void DbOption(po::options_description& d) { DbOptionFor(d, "the register"); }

Result<std::string> DbUrl(const po::variables_map& vm) {
  if (vm.count("db")) return vm["db"].as<std::string>();
  const char* env = std::getenv("MALCHIN_DB");
  if (env != nullptr && *env != '\0') return std::string(env);
  return Status::InvalidArgument(
      "give the database with --db (a path, sqlite:PATH or "
      "postgresql://user@host:port/db) or MALCHIN_DB",
      "db");
}

std::string CliActor() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') user = std::getenv("LOGNAME");
  if (user == nullptr || *user == '\0') {
    if (const passwd* pw = getpwuid(geteuid())) user = pw->pw_name;
  }
  if (user == nullptr || *user == '\0') {
    return "cli:uid" + std::to_string(geteuid());  // Never "unknown".
  }
  return std::string("cli:") + user;
}

Result<std::unique_ptr<CliDb>> OpenStore(const po::variables_map& vm,
                                         bool create) {
  MALCHIN_ASSIGN_OR_RETURN(std::string url, DbUrl(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::DatabaseUrl parsed,
                           store::ParseDatabaseUrl(url));
  if (!create && parsed.engine == store::Engine::kSqlite &&
      parsed.path != ":memory:" && !std::filesystem::exists(parsed.path)) {
    return Status::NotFound("no register at " + parsed.path +
                            "; create one with: malchin init --db " + url);
  }
  store::OpenOptions options;
  options.create = create;
  auto db = backends::OpenDatabase(url, options);
  if (db.status().code() == StatusCode::kNotFound &&
      parsed.engine == store::Engine::kPostgres) {
    // The message names the database without its password; so does the
    // hint.
    return Status::NotFound(
        db.status().message() +
        "; create the database (docs/deployment.md), then run: malchin "
        "init --db <the same URL> / өгөгдлийн санг үүсгээд (docs/"
        "deployment.md) ажиллуулна уу: malchin init --db <ижил URL>");
  }
  MALCHIN_RETURN_IF_ERROR(db.status());
  MALCHIN_ASSIGN_OR_RETURN(auto session, (*db)->Connect());
  session->SetCaller(store::Caller{CliActor(), "", store::AreaFilter{}});
  // Capabilities queue their notices to households (store/notices.h).
  session->SetNotices(channel::OutboxNotices::Shared());
  return std::make_unique<CliDb>(std::move(*db), std::move(session));
}

Status ActAs(CliDb& db, const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(auto user,
                           db.Get<auth::AccountRepository>().FindUser(name));
  if (!user) {
    return Status::NotFound("no account '" + name + "' in this register");
  }
  if (user->disabled) {
    return Status::PermissionDenied("account " + name + " is disabled");
  }
  db.session().SetCaller(
      {name, user->role, store::AreaFilter::FromCode(user->area_code)});
  return Status::Ok();
}

int RunCli(const std::vector<std::string>& args, Io& io) {
  std::vector<Command> commands = AllCommands();
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    PrintOverview(commands, args.empty() ? io.err : io.out);
    return args.empty() ? kExitUsage : 0;
  }
  // Longest matching command name ("user add" before "user").
  const Command* cmd = nullptr;
  size_t words = 0;
  for (const Command& c : commands) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t sp; (sp = c.name.find(' ', start)) != std::string::npos;
         start = sp + 1) {
      parts.push_back(c.name.substr(start, sp - start));
    }
    parts.push_back(c.name.substr(start));
    if (parts.size() > args.size() || parts.size() <= words) continue;
    if (std::equal(parts.begin(), parts.end(), args.begin())) {
      cmd = &c;
      words = parts.size();
    }
  }
  if (!cmd) {
    io.err << "malchin: unknown command '" << args[0]
           << "'; see malchin --help\n";
    return kExitUsage;
  }
  po::options_description desc("Options for malchin " + cmd->name);
  desc.add_options()("help,h", "show this help");
  cmd->options(desc);
  po::variables_map vm;
  std::vector<std::string> rest(args.begin() + words, args.end());
  try {
    po::store(po::command_line_parser(rest).options(desc).run(), vm);
    if (vm.count("help")) {
      io.out << "malchin " << cmd->name << ": " << cmd->summary << "\n\n"
             << desc << cmd->usage;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    io.err << "malchin " << cmd->name << ": " << e.what() << "\n(see malchin "
           << cmd->name << " --help)\n";
    return kExitUsage;
  }
  Status st;
  try {
    st = cmd->run(vm, io);
  } catch (const std::exception& e) {  // A bug, never user input.
    st = Status::Internal(std::string("unexpected error: ") + e.what());
  }
  if (!st.ok()) {
    io.err << "malchin " << cmd->name << ": " << st.message() << "\n";
    return ExitCodeFor(st.code());
  }
  return 0;
}

}  // namespace malchin::cli
