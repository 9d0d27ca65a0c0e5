#include "grievance/model.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/text.h"

namespace malchin::grievance {
namespace {

// The names of an enum's values, in the enum's order, and their parsing:
// InvalidArgument listing every name (field `what`).
template <class E, size_t N>
struct Names {
  const char* what;
  std::array<std::string_view, N> names;

  std::string_view Of(E e) const {
    auto i = static_cast<size_t>(e);
    return i < N ? names[i] : "unknown";
  }
  Result<E> Parse(std::string_view s) const {
    for (size_t i = 0; i < N; ++i) {
      if (names[i] == s) return static_cast<E>(i);
    }
    std::string expected;
    for (size_t i = 0; i < N; ++i) {
      expected += (i == 0 ? "" : (i + 1 == N ? " or " : ", "));
      expected += names[i];
    }
    return Status::InvalidArgument(
        std::string(what) + " '" + std::string(s) + "': expected " + expected,
        what);
  }
};

constexpr Names<Channel, 5> kChannels{
    "channel", {"office", "hotline", "web", "sms", "batch"}};
constexpr Names<CaseState, 7> kStates{
    "state",
    {"received", "acknowledged", "under_review", "resolved", "referred",
     "rejected", "closed"}};
constexpr Names<Level, 3> kLevels{"level", {"soum", "aimag", "national"}};
constexpr Names<SubjectKind, 7> kSubjects{
    "subject_kind",
    {"none", "person", "household", "payment", "plan", "insurance_entry",
     "officer"}};
constexpr Names<Action, 7> kActions{"action",
                                    {"acknowledge", "start_review", "resolve",
                                     "refer", "reject", "close", "reopen"}};
constexpr Names<Contact, 3> kContacts{"contact", {"none", "letter", "sms"}};
constexpr Names<EventKind, 12> kEvents{
    "event",
    {"received", "transition", "assigned", "escalated", "note", "attachment",
     "consent", "referral", "fix", "notice", "confidential", "category"}};
constexpr Names<NoticeKind, 2> kNoticeKinds{"notice_kind",
                                            {"acknowledgement", "outcome"}};
constexpr Names<NoticeChannel, 2> kNoticeChannels{"notice_channel",
                                                  {"letter", "sms"}};
constexpr Names<NoticeStatus, 4> kNoticeStatuses{
    "notice_status", {"to_print", "printed", "awaiting_channel", "queued"}};
constexpr Names<FixKind, 4> kFixKinds{
    "fix_kind",
    {"register_correction", "insurance_correction", "payment_hold",
     "payment_reissue"}};

}  // namespace

bool IsDecided(CaseState s) {
  return s == CaseState::kResolved || s == CaseState::kReferred ||
         s == CaseState::kRejected;
}

bool IsOpen(CaseState s) { return !IsDecided(s) && s != CaseState::kClosed; }

std::string_view ChannelName(Channel c) { return kChannels.Of(c); }
Result<Channel> ParseChannel(std::string_view s) { return kChannels.Parse(s); }
std::string_view CaseStateName(CaseState s) { return kStates.Of(s); }
Result<CaseState> ParseCaseState(std::string_view s) {
  return kStates.Parse(s);
}
std::string_view LevelName(Level l) { return kLevels.Of(l); }
Result<Level> ParseLevel(std::string_view s) { return kLevels.Parse(s); }
std::string_view SubjectKindName(SubjectKind k) { return kSubjects.Of(k); }
Result<SubjectKind> ParseSubjectKind(std::string_view s) {
  return kSubjects.Parse(s);
}
std::string_view ActionName(Action a) { return kActions.Of(a); }
Result<Action> ParseAction(std::string_view s) { return kActions.Parse(s); }
std::string_view ContactName(Contact c) { return kContacts.Of(c); }
Result<Contact> ParseContact(std::string_view s) { return kContacts.Parse(s); }
std::string_view EventKindName(EventKind k) { return kEvents.Of(k); }
Result<EventKind> ParseEventKind(std::string_view s) {
  return kEvents.Parse(s);
}
std::string_view NoticeKindName(NoticeKind k) { return kNoticeKinds.Of(k); }
std::string_view NoticeChannelName(NoticeChannel c) {
  return kNoticeChannels.Of(c);
}
std::string_view NoticeStatusName(NoticeStatus s) {
  return kNoticeStatuses.Of(s);
}
Result<NoticeKind> ParseNoticeKind(std::string_view s) {
  return kNoticeKinds.Parse(s);
}
Result<NoticeChannel> ParseNoticeChannel(std::string_view s) {
  return kNoticeChannels.Parse(s);
}
Result<NoticeStatus> ParseNoticeStatus(std::string_view s) {
  return kNoticeStatuses.Parse(s);
}
std::string_view FixKindName(FixKind k) { return kFixKinds.Of(k); }
Result<FixKind> ParseFixKind(std::string_view s) { return kFixKinds.Parse(s); }

std::string_view FixCapability(FixKind k) {
  switch (k) {
    case FixKind::kRegisterCorrection:
      return "registry";
    case FixKind::kInsuranceCorrection:
      return "insurance";
    case FixKind::kPaymentHold:
    case FixKind::kPaymentReissue:
      return "response";
  }
  return "unknown";
}

std::string MakeReference(int year, int64_t id) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "G-%04d-%05lld", year,
                static_cast<long long>(id));
  return buf;
}

Status CheckFreeText(const std::string& field, const std::string& v, size_t max,
                     bool multiline) {
  if (v.size() > max) {
    return Status::InvalidArgument(field + ": " + std::to_string(v.size()) +
                                       " bytes; expected at most " +
                                       std::to_string(max),
                                   field);
  }
  if (auto at = text::FindInvalidUtf8(v)) {
    return Status::InvalidArgument(
        field + ": not valid UTF-8 at byte " + std::to_string(*at), field);
  }
  bool control = std::any_of(v.begin(), v.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 &&
            !(multiline && (c == '\n' || c == '\r' || c == '\t'))) ||
           u == 0x7F;
  });
  if (control) {
    return Status::InvalidArgument(
        field + ": holds a control character; expected text", field);
  }
  return Status::Ok();
}

}  // namespace malchin::grievance
