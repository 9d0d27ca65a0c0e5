// The one place where Status codes become process exit codes and HTTP
// statuses. Every CLI command and every HTTP handler goes through these.
//
// Exit codes (documented in `malchin --help` and the README):
//   0 success, 1 usage error, 2 invalid input, 3 not found,
//   4 already exists / conflict, 5 failed precondition, 6 not allowed,
//   7 too large, 8 unavailable, 9 damaged or newer data, 10 internal error.
#pragma once

#include "core/status.h"

namespace malchin {

inline constexpr int kExitUsage = 1;

int ExitCodeFor(StatusCode code);
int HttpStatusFor(StatusCode code);

}  // namespace malchin
