// libFuzzer target (build with -DMALCHIN_FUZZ=ON, clang): an XLSForm
// worksheet's XML.
#include "pdm/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::pdm::fuzz::XlsFormSheet(data, size);
  return 0;
}
