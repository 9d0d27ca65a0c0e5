// A texted complaint made a case: see sms_desk.h.
#include "grievance/sms_desk.h"

#include <set>

#include "channel/outbox.h"
#include "registry/repository.h"

namespace malchin::grievance {
namespace {

// Households looked at to decide the soum; more than this many with one
// phone is not one family's phone.
constexpr int kMostHouseholds = 20;

// The one soum whose households have `phone8`, or 0.
Result<int32_t> SoumOfPhone(store::Session& session,
                            const std::string& phone8) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto households, session.Get<registry::Repository>().HouseholdsWithPhone(
                           phone8, kMostHouseholds));
  std::set<int32_t> soums;
  for (const auto& h : households) soums.insert(h.soum_code);
  return soums.size() == 1 ? *soums.begin() : 0;
}

}  // namespace

Result<std::optional<std::string>> SmsComplaintDesk::Record(
    store::Session& session, std::string_view phone, std::string_view text,
    std::string_view kannel_id) {
  const std::string summary(text);
  if (summary.empty() ||
      !CheckFreeText("summary", summary, kMaxSummaryBytes, true).ok()) {
    return std::optional<std::string>();
  }
  const std::string phone8 = channel::RegisterPhone(phone);
  MALCHIN_ASSIGN_OR_RETURN(int32_t soum, SoumOfPhone(session, phone8));
  if (soum == 0) return std::optional<std::string>();
  Service service(session, context_);
  MALCHIN_ASSIGN_OR_RETURN(
      IntakeReceipt receipt,
      service.IntakeSms(phone8, summary, std::string(kannel_id), soum));
  if (receipt.reference.empty()) return std::optional<std::string>();
  return std::optional<std::string>(receipt.reference);
}

}  // namespace malchin::grievance
