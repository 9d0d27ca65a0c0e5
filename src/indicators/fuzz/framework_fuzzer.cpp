// libFuzzer target (build with -DMALCHIN_FUZZ=ON, clang): indicators::
// fuzz::FrameworkFile (fuzz_inputs.h).
#include "indicators/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::indicators::fuzz::FrameworkFile(data, size);
  return 0;
}
