// How many messages the SMS outbox holds, in every state (the notice and
// broadcast conformance tests count what a change queued).
#pragma once

#include <gtest/gtest.h>

#include "channel/repository.h"
#include "store/session.h"

namespace malchin::conformance {

inline int64_t OutboxMessages(store::Session& session) {
  auto counts = session.Get<channel::Repository>().CountByState();
  EXPECT_TRUE(counts.ok()) << counts.status().ToString();
  int64_t n = 0;
  if (counts.ok()) {
    for (const auto& [state, count] : *counts) n += count;
  }
  return n;
}

}  // namespace malchin::conformance
