// Which engine the end-to-end tests (API, CLI) run on: MALCHIN_TEST_ENGINE
// ("sqlite", the default, or "postgresql"). scripts/test.sh runs those
// tests once per engine.
#pragma once

#include "store/session.h"

namespace malchin::backends::testing {

store::Engine ApiTestEngine();

}  // namespace malchin::backends::testing
