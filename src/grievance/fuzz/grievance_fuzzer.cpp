// libFuzzer target for the grievance capability's parsers of outside input
// (build with -DMALCHIN_FUZZ=ON and clang; see grievance_fuzz.h). A broken
// invariant aborts, so the fuzzer reports it like a crash.
#include <cstdio>
#include <cstdlib>

#include "grievance/fuzz/grievance_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = malchin::grievance::fuzz::CheckParsers(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
