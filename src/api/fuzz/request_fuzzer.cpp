// libFuzzer target: request decoding (build with -DMALCHIN_FUZZ=ON, clang).
#include "api/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::api::fuzz::DecodeRequest(data, size);
  return 0;
}
