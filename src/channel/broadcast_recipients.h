// Internal to channel: who a broadcast reaches (broadcast.h says who).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "channel/broadcast.h"
#include "core/status.h"
#include "rules/rule.h"
#include "store/session.h"

namespace malchin::channel {

struct Selection {
  int64_t selected = 0;
  int64_t no_phone = 0;
  int64_t opted_out = 0;
  std::vector<BroadcastRecipient> recipients;  // In register order.
};

// The target as a household rule; InvalidArgument (field "target") with
// the rule's first problem.
Result<rules::Rule> CompileTarget(
    std::string_view target,
    std::shared_ptr<const params::ParameterSet> parameters);

// Reads the register in `b`'s area (intersected with the caller's) in one
// Read and selects the recipients on the clock's date.
Result<Selection> SelectRecipients(store::Session& session,
                                   const BroadcastContext& ctx,
                                   const Broadcast& b);

std::vector<SoumSexCount> CountBySoumSex(
    const std::vector<BroadcastRecipient>& recipients);

}  // namespace malchin::channel
