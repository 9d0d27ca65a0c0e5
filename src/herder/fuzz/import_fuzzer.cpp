// libFuzzer target for the herders' import parsers (build with
// -DMALCHIN_FUZZ=ON and clang; see import_fuzz.h). A broken invariant
// aborts, so the fuzzer reports it like a crash.
#include <cstdio>
#include <cstdlib>

#include "herder/fuzz/import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = malchin::herder::fuzz::CheckParsers(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
