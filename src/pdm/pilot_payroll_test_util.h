// Test support for the PDM CLI and API tests: phase 1 of the Zavkhan pilot
// (children under 6 in Tosontsengel, MNT 40,000 once) paid through the
// `malchin` commands on a register that has the officers `maker` and
// `checker`: plan "p1", installment 1, one payment in ten failed, the
// others paid. Gtest assertions; header-only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace malchin::pdm::testing {

// Split on commas, no quoting (the files read here have none).
inline std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream s(line);
  for (std::string f; std::getline(s, f, ',');) out.push_back(f);
  return out;
}

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// `malchin WORD WORD --db DB ARGS...` must succeed.
inline void RunOk(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin() + 2, {"--db", db});
  std::istringstream in;
  std::ostringstream out, err;
  cli::Io io{in, out, err};
  ASSERT_EQ(cli::RunCli(args, io), 0)
      << args[0] << " " << args[1] << ": " << err.str();
}

// The bank's answer to a payment file: every tenth row failed.
inline std::string BankAnswer(const std::filesystem::path& payment_file) {
  std::stringstream in(Slurp(payment_file));
  std::string line, out = "reference,status,amount,reason\n";
  std::getline(in, line);
  for (int n = 1; std::getline(in, line); ++n) {
    auto f = Fields(line);
    if (f[0] == "TOTAL") continue;
    out += f[0] + (n % 10 == 0 ? ",failed," + f[5] + ",closed\n"
                               : ",paid," + f[5] + ",\n");
  }
  return out;
}

// Pays phase 1 on `db`, writing its files under `dir` (which must exist).
inline void PayPilotPhaseOne(const std::string& db,
                             const std::filesystem::path& dir) {
  std::ofstream(dir / "soums.csv") << "soum_code,severity\n18140,very_high\n";
  const std::string soums = (dir / "soums.csv").string();
  ASSERT_NO_FATAL_FAILURE(
      RunOk(db, {"event",      "create",  "--user",      "maker",  "--event",
                 "dz",         "--type",  "dzud",        "--name", "dzud",
                 "--source",   "NAMEM",   "--reference", "r",      "--declared",
                 "2019-12-01", "--start", "2019-12-01",  "--end",  "2020-04-30",
                 "--soums",    soums}));
  ASSERT_NO_FATAL_FAILURE(
      RunOk(db, {"plan",           "create",
                 "--user",         "maker",
                 "--plan",         "p1",
                 "--event",        "dz",
                 "--programme",    "child_money",
                 "--name",         "Phase 1",
                 "--eligibility",  "age < 6 and event.severity == very_high",
                 "--amount",       "40000",
                 "--cutoff",       "2019-12-01",
                 "--installments", "2019-12-20"}));
  const std::vector<std::vector<std::string>> steps = {
      {"plan", "approve", "--user", "checker", "--plan", "p1"},
      {"payroll", "generate", "--user", "maker", "--plan", "p1",
       "--installment", "1"},
      {"payroll", "approve", "--user", "checker", "--plan", "p1",
       "--installment", "1"},
      {"payroll", "export", "--user", "maker", "--plan", "p1", "--installment",
       "1", "--out", (dir / "pay").string()}};
  for (const auto& s : steps) ASSERT_NO_FATAL_FAILURE(RunOk(db, s));
  for (const auto& e : std::filesystem::directory_iterator(dir / "pay")) {
    std::ofstream(dir / "result.csv") << BankAnswer(e.path());
    ASSERT_NO_FATAL_FAILURE(
        RunOk(db, {"reconcile", "import", "--user", "maker", "--file",
                   (dir / "result.csv").string()}));
  }
}

}  // namespace malchin::pdm::testing
