// Internal to the CLI: how subcommands are declared and share helpers.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "core/status.h"
#include "geo/geography.h"
#include "registry/repository.h"
#include "store/database.h"
#include "store/session.h"

namespace malchin::cli {

namespace po = boost::program_options;

struct Command {
  std::string name;     // e.g. "import", or "user add"
  std::string summary;  // One line for `malchin --help`.
  // Declares the options; `--help` is added for every command.
  std::function<void(po::options_description&)> options;
  // Runs with the parsed options; returns the exit code.
  std::function<Status(const po::variables_map&, Io&)> run;
  std::string usage;  // Extra text after the options in `--help`.
};

// Each capability defines Add<Capability>Commands in
// src/cli/<capability>_commands.cpp; the build generates AddAllCommands,
// which calls them all in file-name order.
void AddAllCommands(std::vector<Command>* commands);

// An open database and one session on it, acting as the person at the
// keyboard ("cli:<OS user>", national: the command line runs on the
// server, as its operator).
class CliDb {
 public:
  CliDb(std::unique_ptr<store::Database> database,
        std::unique_ptr<store::Session> session)
      : database_(std::move(database)), session_(std::move(session)) {}
  store::Database& database() { return *database_; }
  store::Session& session() { return *session_; }
  registry::Repository& Register() {
    return session_->Get<registry::Repository>();
  }
  template <class R>
  R& Get() {
    return session_->Get<R>();
  }

 private:
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::Session> session_;
};

// Declares --db: a path or sqlite:PATH (the embedded engine) or
// postgresql://user@host:port/db; MALCHIN_DB when not given.
void DbOption(po::options_description& d);
// The same, naming what the database is for in the help text.
void DbOptionFor(po::options_description& d, const char* what);

// The database URL of --db, else MALCHIN_DB; InvalidArgument (field "db")
// if neither is given.
Result<std::string> DbUrl(const po::variables_map& vm);

// Opens the database named by --db / MALCHIN_DB. `create`: make a new
// SQLite file if missing; otherwise a missing file is NotFound with a hint
// to run `malchin init`.
Result<std::unique_ptr<CliDb>> OpenStore(const po::variables_map& vm,
                                         bool create);

// "cli:<OS user>", the actor of commands run without --user.
std::string CliActor();

// Makes the session act as the register's account `name`, with its role
// and area (commands whose reads depend on who asks, e.g. complaints):
// NotFound if there is no such account, PermissionDenied if disabled.
Status ActAs(CliDb& db, const std::string& name);

// The area named by --soum or --aimag (code or name, either script); none
// of them: the whole country. Both, or a soum given as --aimag (or the
// reverse), is InvalidArgument.
Result<store::AreaFilter> AreaOption(const po::variables_map& vm,
                                     const geo::Geography& geo);

}  // namespace malchin::cli
