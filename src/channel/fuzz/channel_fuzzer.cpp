// libFuzzer target for the channel's parsers of outside input (build with
// -DMALCHIN_FUZZ=ON and clang; see channel_fuzz.h). A broken invariant
// aborts, so the fuzzer reports it like a crash.
#include <cstdio>
#include <cstdlib>

#include "channel/fuzz/channel_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = malchin::channel::fuzz::CheckParsers(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
