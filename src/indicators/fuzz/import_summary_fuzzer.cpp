// libFuzzer target (build with -DMALCHIN_FUZZ=ON, clang): indicators::
// fuzz::ImportSummary (fuzz_inputs.h).
#include "indicators/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::indicators::fuzz::ImportSummary(data, size);
  return 0;
}
