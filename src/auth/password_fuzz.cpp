// libFuzzer target: the password rules on any bytes (build with
// -DMALCHIN_FUZZ=ON, clang). The first byte splits user name and password.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "auth/password.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t cut = size == 0 ? 0 : static_cast<uint8_t>(all[0]) % (size + 1);
  auto problem = malchin::auth::FindPasswordProblem(
      all.substr(cut), all.substr(size == 0 ? 0 : 1, cut > 0 ? cut - 1 : 0));
  if (problem && (problem->english.empty() || problem->mongolian.empty())) {
    __builtin_trap();
  }
  return 0;
}
