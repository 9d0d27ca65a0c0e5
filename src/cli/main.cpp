#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  malchin::cli::Io io{std::cin, std::cout, std::cerr};
  return malchin::cli::RunCli(args, io);
}
