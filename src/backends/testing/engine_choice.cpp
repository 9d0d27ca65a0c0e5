#include "backends/testing/engine_choice.h"

#include <cstdlib>
#include <string_view>

namespace malchin::backends::testing {

store::Engine ApiTestEngine() {
  const char* e = std::getenv("MALCHIN_TEST_ENGINE");
  if (e != nullptr && (std::string_view(e) == "postgresql" ||
                       std::string_view(e) == "postgres")) {
    return store::Engine::kPostgres;
  }
  return store::Engine::kSqlite;
}

}  // namespace malchin::backends::testing
