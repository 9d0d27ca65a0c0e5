// Test support for the command line (not part of the product): running
// `malchin` in-process with its output captured, and a fresh folder per
// test. Every capability's CLI test uses these.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace malchin::cli::testing {

struct CliRun {
  int code = 0;  // The exit code.
  std::string out, err;
};

// Runs `malchin args...` in this process, `input` on its standard input.
CliRun Run(const std::vector<std::string>& args, const std::string& input = "");

// An empty folder <temp>/<prefix>-<pid>-<running test's name>, made anew
// (whatever an earlier run left there is removed).
std::filesystem::path FreshTestDir(const std::string& prefix);

}  // namespace malchin::cli::testing
