// See testing.h.
#include "cli/testing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "cli/cli.h"

namespace malchin::cli::testing {

CliRun Run(const std::vector<std::string>& args, const std::string& input) {
  std::istringstream in(input);
  std::ostringstream out, err;
  Io io{in, out, err};
  CliRun r;
  r.code = RunCli(args, io);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::filesystem::path FreshTestDir(const std::string& prefix) {
  namespace fs = std::filesystem;
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::temp_directory_path() /
                 (prefix + "-" + std::to_string(::getpid()) + "-" +
                  (test != nullptr ? test->name() : "none"));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace malchin::cli::testing
