// libFuzzer target: the CSV import (build with -DMALCHIN_FUZZ=ON, clang).
// Input: households.csv, a NUL byte, persons.csv.
#include "api/fuzz/fuzz_inputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  malchin::api::fuzz::ImportCsv(data, size);
  return 0;
}
