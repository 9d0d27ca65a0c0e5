// The `malchin` command line: one binary, subcommands, `--help` everywhere.
//
// RunCli is the whole program minus process start-up, so tests run
// commands in-process. Exit codes come from core/error_mapping.h (the one
// table): 0 success, 1 usage, 2 invalid input, 3 not found, 4 conflict,
// 5 failed precondition, 6 not allowed, 7 too large, 8 unavailable,
// 9 damaged or newer data, 10 internal error.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace malchin::cli {

struct Io {
  std::istream& in;
  std::ostream& out;  // Results (tables, JSON).
  std::ostream& err;  // Messages, warnings, errors.
};

// `args` excludes the program name: {"stats", "--db", "x.db"}.
int RunCli(const std::vector<std::string>& args, Io& io);

}  // namespace malchin::cli
