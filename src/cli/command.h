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
#include "store/store.h"

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

// Opens the store named by --db. `create`: make a new file if missing;
// otherwise a missing file is NotFound with a hint to run `malchin init`.
Result<std::unique_ptr<store::Store>> OpenStore(const po::variables_map& vm,
                                                bool create);

// The area named by --soum or --aimag (code or name, either script); none
// of them: the whole country. Both, or a soum given as --aimag (or the
// reverse), is InvalidArgument.
Result<store::AreaFilter> AreaOption(const po::variables_map& vm,
                                     const geo::Geography& geo);

}  // namespace malchin::cli
