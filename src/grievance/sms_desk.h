// grievance::SmsComplaintDesk: how a complaint a herder texts (ГОМДОЛ
// <text>, channel/inbound.h) becomes a grievance case. The composition
// gives it to the channel's InboundContext.
//
// The case is made only when the sender's phone is on the register for
// households of exactly one soum (registry::Repository::HouseholdsWithPhone,
// in the session's area): that soum's office handles it, category "other"
// until an officer reclassifies, answer by SMS to that phone. Otherwise (an
// unknown phone, households in several soums, an empty or unusable text)
// Record returns nullopt and the message stays in the officers' inbox,
// where an officer records it by hand. A message Kannel delivers twice
// makes one case (the Kannel id is the case's external id).
//
// Thread-safety: none needed (no state besides the shared context).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "channel/inbound.h"
#include "grievance/service.h"

namespace malchin::grievance {

class SmsComplaintDesk final : public channel::ComplaintDesk {
 public:
  explicit SmsComplaintDesk(Context context) : context_(std::move(context)) {}

  Result<std::optional<std::string>> Record(
      store::Session& session, std::string_view phone, std::string_view text,
      std::string_view kannel_id) override;

 private:
  Context context_;
};

}  // namespace malchin::grievance
