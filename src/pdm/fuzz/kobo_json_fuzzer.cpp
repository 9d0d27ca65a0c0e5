// libFuzzer target (build with -DMALCHIN_FUZZ=ON, clang): a KoBoToolbox data
// API JSON page.
#include "pdm/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::pdm::fuzz::KoboJson(data, size);
  return 0;
}
