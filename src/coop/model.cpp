#include "coop/model.h"

#include <span>

namespace malchin::coop {
namespace {

constexpr std::string_view kGroupTypes[] = {"cooperative",
                                            "pasture_user_group"};
constexpr std::string_view kRoles[] = {"member", "chair", "board", "treasurer",
                                       "auditor"};
constexpr std::string_view kBooks[] = {"fund", "seed"};
constexpr std::string_view kEntryKinds[] = {
    "contribution", "sales",     "payout",  "insurance",
    "grant",        "repayment", "reversal"};
constexpr std::string_view kMethods[] = {"", "cash", "bank", "in_kind"};
constexpr std::string_view kFeedTypes[] = {"hay", "fodder"};
constexpr std::string_view kMovementKinds[] = {"received", "distributed",
                                               "loss", "reversal"};
constexpr std::string_view kDistributionKinds[] = {"payout", "feed", "in_kind"};
constexpr std::string_view kStatuses[] = {"prepared", "approved"};
constexpr std::string_view kTopics[] = {"life_skills", "entrepreneurship",
                                        "other"};

// The enum value named `s` among `names` (index = value), or
// InvalidArgument naming `what` and every accepted name.
template <class E>
Result<E> ParseName(std::span<const std::string_view> names, std::string_view s,
                    const char* what) {
  std::string accepted;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s && !s.empty()) return static_cast<E>(i);
    if (names[i].empty()) continue;
    accepted += (accepted.empty() ? "" : ", ") + std::string(names[i]);
  }
  return Status::InvalidArgument(
      std::string(what) + " '" + std::string(s) + "': expected " + accepted,
      what);
}

template <class E, size_t N>
std::string_view NameOf(const std::string_view (&names)[N], E e) {
  size_t i = static_cast<size_t>(e);
  return i < N ? names[i] : "?";
}

}  // namespace

std::string_view GroupTypeName(GroupType t) { return NameOf(kGroupTypes, t); }
Result<GroupType> ParseGroupType(std::string_view s) {
  return ParseName<GroupType>(kGroupTypes, s, "type");
}
std::string_view MemberRoleName(MemberRole r) { return NameOf(kRoles, r); }
Result<MemberRole> ParseMemberRole(std::string_view s) {
  return ParseName<MemberRole>(kRoles, s, "role");
}
std::string_view BookName(Book b) { return NameOf(kBooks, b); }
std::string_view EntryKindName(EntryKind k) { return NameOf(kEntryKinds, k); }
Result<EntryKind> ParseEntryKind(std::string_view s) {
  return ParseName<EntryKind>(kEntryKinds, s, "kind");
}
bool IsInflow(EntryKind k) {
  return k == EntryKind::kContribution || k == EntryKind::kSales ||
         k == EntryKind::kGrant;
}
std::string_view MethodName(Method m) { return NameOf(kMethods, m); }
Result<Method> ParseMethod(std::string_view s) {
  return ParseName<Method>(kMethods, s, "method");
}
std::string_view FeedTypeName(FeedType f) { return NameOf(kFeedTypes, f); }
Result<FeedType> ParseFeedType(std::string_view s) {
  return ParseName<FeedType>(kFeedTypes, s, "feed");
}
std::string_view MovementKindName(MovementKind k) {
  return NameOf(kMovementKinds, k);
}
Result<MovementKind> ParseMovementKind(std::string_view s) {
  return ParseName<MovementKind>(kMovementKinds, s, "kind");
}
std::string_view DistributionKindName(DistributionKind k) {
  return NameOf(kDistributionKinds, k);
}
Result<DistributionKind> ParseDistributionKind(std::string_view s) {
  return ParseName<DistributionKind>(kDistributionKinds, s, "kind");
}
std::string_view DistributionStatusName(DistributionStatus s) {
  return NameOf(kStatuses, s);
}
std::string_view TrainingTopicName(TrainingTopic t) {
  return NameOf(kTopics, t);
}
Result<TrainingTopic> ParseTrainingTopic(std::string_view s) {
  return ParseName<TrainingTopic>(kTopics, s, "topic");
}

Status CheckCode(std::string_view code, const char* field) {
  bool ok = code.size() >= 2 && code.size() <= 40 && code.front() != '-';
  for (char c : code) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  }
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      std::string(field) + " '" + std::string(code) +
          "': expected 2-40 lower-case letters, digits or '-', not starting "
          "with '-'",
      field);
}

Status CheckText(std::string_view text, const char* field, size_t max,
                 bool optional) {
  if (text.empty() && !optional) {
    return Status::InvalidArgument(std::string(field) + " is required", field);
  }
  if (text.size() > max) {
    return Status::InvalidArgument(
        std::string(field) + " is " + std::to_string(text.size()) +
            " bytes long; at most " + std::to_string(max) + " are allowed",
        field);
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument(
          std::string(field) + " contains a control character", field);
    }
  }
  return Status::Ok();
}

}  // namespace malchin::coop
