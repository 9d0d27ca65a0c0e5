// libFuzzer target (build with -DMALCHIN_FUZZ=ON, clang): a KoBoToolbox CSV
// export.
#include "pdm/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::pdm::fuzz::KoboCsv(data, size);
  return 0;
}
