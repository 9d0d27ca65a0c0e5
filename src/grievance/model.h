// The grievance redress model: complaints ("cases") from every channel, their
// states, the people in them, and what is done about them (docs/grievance.md).
//
// A case belongs to one soum (or Ulaanbaatar district): where the matter
// arose or the complainant lives. That soum decides who sees it, like a
// household's soum of registration does for the register. A case is
// confidential when its category is sensitive (gender-based violence,
// sexual harassment, child protection, ...) or when whoever took it said so;
// confidentiality is raised, never lowered. Who may see what is one rule,
// grievance/visibility.h.
//
// States (docs/grievance.md has the diagram):
//   received -> acknowledged -> under_review -> resolved | referred | rejected
//   -> closed; a decided or closed case can be reopened (back to
//   under_review); a case can be rejected (with a reason) before review.
// The allowed moves are grievance/workflow.h's NextState.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "registry/register_number.h"

namespace malchin::grievance {

// How a complaint reached the ministry.
enum class Channel {
  kOffice,   // "office": walk-in at the soum office, recorded by the officer.
  kHotline,  // "hotline": by phone, recorded by an operator.
  kWeb,      // "web": the web form of the herders' page.
  kSms,      // "sms": a text message through the herders' channel.
  kBatch,    // "batch": a paper form or KoBo submission imported in a batch.
};
inline constexpr int kChannelCount = 5;

enum class CaseState {
  kReceived,
  kAcknowledged,
  kUnderReview,
  kResolved,
  kReferred,
  kRejected,
  kClosed,
};
inline constexpr int kCaseStateCount = 7;
// resolved, referred or rejected: a decision was made.
bool IsDecided(CaseState s);
// Neither decided nor closed: its deadlines still run.
bool IsOpen(CaseState s);

// Who handles a case now: it starts at the soum and escalates one level
// each time a deadline passes (workflow.h, EscalationDue).
enum class Level { kSoum, kAimag, kNational };

// What a complaint is about.
enum class SubjectKind {
  kNone,
  kPerson,          // A register number.
  kHousehold,       // A household id.
  kPayment,         // A payment reference (response capability).
  kPlan,            // A response plan code.
  kInsuranceEntry,  // An insurance ledger entry id.
  kOfficer,         // A user name: that officer may never see the case.
};

// Moves of the workflow.
enum class Action {
  kAcknowledge,
  kStartReview,
  kResolve,
  kRefer,
  kReject,
  kClose,
  kReopen,
};

// How the complainant wants to be told (acknowledgement and outcome).
enum class Contact {
  kNone,    // Anonymous, or no way to reach them.
  kLetter,  // A printed letter (handed over or posted).
  kSms,     // SMS through the herders' channel, and a letter meanwhile.
};

std::string_view ChannelName(Channel c);  // office, hotline, web, sms, batch
Result<Channel> ParseChannel(std::string_view s);
std::string_view CaseStateName(CaseState s);  // received, ..., closed
Result<CaseState> ParseCaseState(std::string_view s);
std::string_view LevelName(Level l);  // soum, aimag, national
Result<Level> ParseLevel(std::string_view s);
std::string_view SubjectKindName(SubjectKind k);  // none, person, ...
Result<SubjectKind> ParseSubjectKind(std::string_view s);
std::string_view ActionName(Action a);  // acknowledge, start_review, ...
Result<Action> ParseAction(std::string_view s);
std::string_view ContactName(Contact c);  // none, letter, sms
Result<Contact> ParseContact(std::string_view s);

// The person who complains. Anonymous: no name, register number, phone or
// address is kept, and they cannot be told the outcome except through the
// web form's tracking code.
struct Complainant {
  bool anonymous = false;
  std::string register_no;  // Normalized, or empty.
  std::string name;         // As given, or empty.
  std::string phone;        // 8 digits, or empty.
  std::string address;      // For letters, or empty.
  std::optional<registry::Sex> sex;
  int32_t birth_year = 0;  // 0: unknown. From the register number if given.
  bool staff = false;      // One of the sector's own staff.
  Contact contact = Contact::kNone;
  bool operator==(const Complainant&) const = default;
};

struct Case {
  int64_t id = 0;         // Assigned by the store.
  std::string reference;  // "G-2026-00042": set by the store from the id.
  Channel channel = Channel::kOffice;
  std::string category;  // A category code (grievance/catalogue.h).
  bool confidential = false;
  CaseState state = CaseState::kReceived;
  Level level = Level::kSoum;
  int32_t soum_code = 0;  // The case's area (a soum or district).
  Complainant complainant;
  SubjectKind subject_kind = SubjectKind::kNone;
  std::string subject_ref;
  // The user name of the officer the complaint is about (subject kOfficer),
  // or empty. That officer can never see the case.
  std::string accused_officer;
  std::string summary;  // The complaint in the complainant's words.
  // The channel's own id, for intake that may repeat (a KoBo _uuid, an SMS
  // id, a web form's key): unique per channel; empty when none.
  std::string external_id;
  std::string received_at;  // ISO 8601 UTC.
  Date received_on;
  std::string recorded_by;
  std::string assigned_to;  // A user name, or empty.
  Date acknowledge_by;      // Deadlines, fixed at intake from the
  Date resolve_by;          // parameters in force on received_on.
  std::optional<Date> acknowledged_on;
  std::optional<Date> decided_on;  // Resolved, referred or rejected.
  std::optional<Date> closed_on;
  std::optional<Date> escalated_on;  // Last escalation.
  std::string outcome;  // The resolution, referral or rejection reason.
  // SHA-256 of the tracking code given to a web complainant (never the code).
  std::string tracking_hash;
  int64_t version = 1;  // Grows by one at every change of the row.
  bool operator==(const Case&) const = default;
};

// What happened to a case, in order: its timeline (also in the audit trail).
enum class EventKind {
  kReceived,
  kTransition,  // from -> to, with the text given (reason, resolution).
  kAssigned,
  kEscalated,
  kNote,
  kAttachment,
  kConsent,
  kReferral,
  kFix,
  kNotice,
  kConfidential,  // Confidentiality raised.
  kCategory,      // Category changed.
};
std::string_view EventKindName(EventKind k);  // received, transition, ...
Result<EventKind> ParseEventKind(std::string_view s);

struct CaseEvent {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string at;  // ISO 8601 UTC.
  std::string actor;
  EventKind kind = EventKind::kNote;
  std::optional<CaseState> from, to;
  std::string text;
  bool operator==(const CaseEvent&) const = default;
};

struct Attachment {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string file_name;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
  std::string added_by;
  std::string added_at;
  bool operator==(const Attachment&) const = default;
};

// A letter or SMS telling the complainant of the acknowledgement or the
// outcome, rendered when the case moved (grievance/notices.h).
enum class NoticeKind { kAcknowledgement, kOutcome };
enum class NoticeChannel { kLetter, kSms };
enum class NoticeStatus {
  kToPrint,          // A letter not yet printed.
  kPrinted,          // Printed (handed over or posted).
  kAwaitingChannel,  // An SMS kept before the herders' channel existed.
  kQueued,           // An SMS in the channel's outbox (its delivery is
                     // tracked there, key "grievance.notice.<id>").
};
std::string_view NoticeKindName(NoticeKind k);  // acknowledgement, outcome
std::string_view NoticeChannelName(NoticeChannel c);  // letter, sms
std::string_view NoticeStatusName(NoticeStatus s);
Result<NoticeKind> ParseNoticeKind(std::string_view s);
Result<NoticeChannel> ParseNoticeChannel(std::string_view s);
Result<NoticeStatus> ParseNoticeStatus(std::string_view s);

struct Notice {
  int64_t id = 0;
  int64_t case_id = 0;
  NoticeKind kind = NoticeKind::kAcknowledgement;
  NoticeChannel channel = NoticeChannel::kLetter;
  std::string language;  // "mn" (always) or "en".
  std::string text;
  NoticeStatus status = NoticeStatus::kToPrint;
  std::string created_at;
  std::string created_by;
  bool operator==(const Notice&) const = default;
};

// The survivor's (or complainant's) consent, recorded before a referral
// shares anything about them with a service.
struct Consent {
  int64_t id = 0;
  int64_t case_id = 0;
  bool given = false;
  bool share_contact = false;  // Name and phone may go to the service.
  bool share_details = false;  // What happened may go to the service.
  std::string how;             // "verbal" or "written".
  std::string note;
  std::string recorded_by;
  std::string recorded_at;
  bool operator==(const Consent&) const = default;
};

// A referral to a service of the directory (grievance/catalogue.h).
struct Referral {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string service_code;
  bool shares_contact = false;
  bool shares_details = false;
  int64_t consent_id = 0;  // The consent it rests on; 0 if nothing shared.
  std::string note;
  std::string referred_by;
  std::string referred_at;
  bool operator==(const Referral&) const = default;
};

// The fix a resolution needs, asked of the capability that owns the record
// (never done behind its back; docs/grievance.md "Fixes").
enum class FixKind {
  kRegisterCorrection,   // registry: a correction proposal (maker-checker).
  kInsuranceCorrection,  // insurance: a correction request (maker-checker).
  kPaymentHold,          // response: recorded for the response capability.
  kPaymentReissue,       // response: recorded for the response capability.
};
std::string_view FixKindName(FixKind k);
Result<FixKind> ParseFixKind(std::string_view s);
// "registry", "insurance" or "response".
std::string_view FixCapability(FixKind k);

struct Fix {
  int64_t id = 0;
  int64_t case_id = 0;
  FixKind kind = FixKind::kRegisterCorrection;
  std::string target;       // Household id, entry id or payment reference.
  int64_t external_id = 0;  // The owner's proposal/request id; 0 if none yet.
  std::string note;
  std::string requested_by;
  std::string requested_at;
  bool operator==(const Fix&) const = default;
};

// "G-<year>-<id, at least 5 digits>".
std::string MakeReference(int year, int64_t id);

// The longest complaint text kept (bytes of UTF-8).
inline constexpr size_t kMaxSummaryBytes = 4000;

// InvalidArgument naming `field` unless `value` is UTF-8 of at most `max`
// bytes without control characters (line breaks allowed when `multiline`):
// the check of every free text a person types into a case.
Status CheckFreeText(const std::string& field, const std::string& value,
                     size_t max, bool multiline);

}  // namespace malchin::grievance
