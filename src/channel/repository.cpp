// Names of the channel's stored enums (repository.h).
#include "channel/repository.h"

#include <array>

namespace malchin::channel {
namespace {

constexpr std::array<std::string_view, 6> kStates = {
    "queued", "sending", "sent", "delivered", "failed", "expired"};
constexpr std::array<std::string_view, 3> kKinds = {"info", "reply", "otp"};
constexpr std::array<std::string_view, 3> kHandlings = {"answered", "inbox",
                                                        "ignored"};

template <class E, size_t N>
Result<E> ParseName(const std::array<std::string_view, N>& names,
                    std::string_view name, const char* what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return Status::InvalidArgument(std::string(what) + ": '" + std::string(name) +
                                 "' is not one of the " + what + "s");
}

}  // namespace

std::string_view Name(OutboxState s) { return kStates[static_cast<size_t>(s)]; }
Result<OutboxState> ParseOutboxState(std::string_view name) {
  return ParseName<OutboxState>(kStates, name, "SMS state");
}
bool IsFinal(OutboxState s) {
  return s == OutboxState::kDelivered || s == OutboxState::kFailed ||
         s == OutboxState::kExpired;
}
std::string_view Name(MessageKind k) { return kKinds[static_cast<size_t>(k)]; }
Result<MessageKind> ParseMessageKind(std::string_view name) {
  return ParseName<MessageKind>(kKinds, name, "SMS kind");
}
std::string_view Name(InboundHandling h) {
  return kHandlings[static_cast<size_t>(h)];
}

}  // namespace malchin::channel
