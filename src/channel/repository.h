// channel::Repository: where the SMS channel is stored (the outbox with
// each message's state, the delivery reports Kannel sent about them, the
// opt-outs per phone with their history, and inbound messages). DATA
// ACCESS ONLY: the rules (when a message is due, what a report changes,
// who is opted out, how a keyword is answered) and the transactions are
// the channel's own (outbox.h, sender.h, inbound.h). Each engine
// implements it (src/backends/<engine>/channel_repository.cpp).
//
// Every write method REQUIRES an open Session::Write of its session and
// leaves the transaction to the caller. The database guarantees in every
// engine's schema: an idempotency key is queued once (UNIQUE), a Kannel
// inbound id is stored once (UNIQUE), states and kinds are from the lists
// below (CHECK), delivery reports and opt-out history are append-only.
//
// Times are Unix seconds (UTC) taken from the session's clock by the
// caller; the repository never reads a clock.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channel/kannel.h"
#include "channel/sms_text.h"
#include "channel/templates.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::channel {

// Where an outgoing message stands. queued -> sending (claimed by a worker
// under a lease) -> sent (Kannel took it) -> delivered; failed (refused,
// out of attempts, opted out, undelivered) and expired (too old to send)
// are final, like delivered.
enum class OutboxState : uint8_t {
  kQueued,
  kSending,
  kSent,
  kDelivered,
  kFailed,
  kExpired
};
std::string_view Name(OutboxState s);  // "queued", "sending", ...
// InvalidArgument for any other text.
Result<OutboxState> ParseOutboxState(std::string_view name);
bool IsFinal(OutboxState s);

// Why a message goes: `info` (the ministry tells the herder something:
// honours opt-out and quiet hours), `reply` (an answer to the herder's own
// SMS) and `otp` (a code the herder asked for) go even to an opted-out
// phone and in quiet hours.
enum class MessageKind : uint8_t { kInfo, kReply, kOtp };
std::string_view Name(MessageKind k);  // "info" | "reply" | "otp"
Result<MessageKind> ParseMessageKind(std::string_view name);

struct OutboxMessage {
  int64_t id = 0;  // Assigned by the database.
  // Unique purpose of the message (e.g. "payment.sent:P1:3:ИЗ15220111" made
  // safe), 1 to 64 of A-Z a-z 0-9 . _ -: Kannel's message id in the
  // dlr-url, so every report names it.
  std::string idempotency_key;
  MessageKind kind = MessageKind::kInfo;
  std::string phone;  // "+976" and 8 digits.
  std::string household_id;
  std::string register_no;  // The person it is for; may be empty.
  std::string template_id;
  std::string parameters;  // JSON object of the template's values.
  Language language = Language::kMongolian;
  std::string text;  // Rendered.
  SmsCoding coding = SmsCoding::kGsm7;
  int segments = 1;
  int64_t cost = 0;  // MNT, sms.cost_per_segment on the day it was queued.
  OutboxState state = OutboxState::kQueued;
  int attempts = 0;
  int64_t next_attempt_at = 0;  // Not sent before this time.
  std::string lease_owner;      // The worker holding it while sending.
  int64_t lease_until = 0;
  int last_report = 0;      // Last dlr-mask bit reported (0: none).
  std::string last_answer;  // Kannel's answer or the reason it failed.
  std::string created_by;
  int64_t created_at = 0;
  int64_t sent_at = 0;   // When Kannel took it (0: not yet).
  int64_t final_at = 0;  // When it became final (0: not yet).
  // When it was marked unknown: sent, and no final report came within
  // sms.unknown_after_hours (0: not marked). The state stays sent.
  int64_t unknown_at = 0;
};

// What a claim may take: queued messages due by `now`, and messages left in
// `sending` whose lease ended by `doubt_before` with no report received;
// of kind info only if `info` (quiet hours leave them).
struct ClaimRequest {
  int64_t now = 0;
  int64_t doubt_before = 0;
  std::string owner;
  int64_t lease_until = 0;
  int limit = 50;
  bool info = true;
};

// How a send attempt ended, recorded only while `owner` holds the lease.
struct SendOutcome {
  OutboxState state = OutboxState::kSent;  // kSent, kQueued or kFailed.
  int64_t next_attempt_at = 0;             // For kQueued.
  std::string answer;
  int64_t at = 0;
};

struct StoredReport {
  std::string idempotency_key;
  DeliveryReport report;
  int64_t received_at = 0;
};

enum class InboundHandling : uint8_t { kAnswered, kInbox, kIgnored };
std::string_view Name(InboundHandling h);  // "answered" | "inbox" | ...

struct InboundRecord {
  int64_t id = 0;
  InboundSms sms;
  std::string register_no;  // Named in the text and matched, else empty.
  InboundHandling handling = InboundHandling::kInbox;
  std::string reply_key;  // Idempotency key of the answer, if any.
  int64_t received_at = 0;
};

class Repository : public store::Repository {
 public:
  // Queues `m` (id, state, attempts, lease and report fields ignored: a
  // new message is queued). False, and nothing written, if a message with
  // its idempotency key exists.
  virtual Result<bool> Enqueue(const OutboxMessage& m) = 0;
  virtual Result<std::optional<OutboxMessage>> FindByKey(
      std::string_view idempotency_key) = 0;
  // Moves up to `r.limit` claimable messages (see ClaimRequest) to sending
  // under `r.owner` until `r.lease_until`, adding one attempt to each, and
  // returns them by next_attempt_at then id. On PostgreSQL rows another
  // transaction is claiming are skipped (FOR UPDATE SKIP LOCKED); on
  // SQLite the Write's immediate transaction serializes claims.
  virtual Result<std::vector<OutboxMessage>> Claim(const ClaimRequest& r) = 0;
  // Records the attempt's end if message `id` is still in sending under
  // `owner`; false (nothing written) otherwise.
  virtual Result<bool> RecordSend(int64_t id, std::string_view owner,
                                  const SendOutcome& outcome) = 0;
  // Sets the state, last report and final time of message `id`
  // (sent_at too, when `sent_at` is not 0 and none is recorded).
  virtual Status SetDeliveryState(int64_t id, OutboxState state, int report,
                                  int64_t sent_at, int64_t final_at) = 0;
  virtual Status AppendReport(const StoredReport& r) = 0;
  virtual Result<std::vector<StoredReport>> Reports(
      std::string_view idempotency_key) = 0;
  // Queued messages created before `before` become expired; their count.
  virtual Result<int64_t> ExpireQueued(int64_t before, int64_t at) = 0;
  // Messages in state sent (Kannel took them) since before `sent_before`
  // with no final report and not yet marked get unknown_at = `at`: their
  // delivery is unknown (they stay sent, so a late report still counts;
  // never retried). Their count.
  virtual Result<int64_t> MarkUnknown(int64_t sent_before, int64_t at) = 0;
  // How many messages are in each state.
  virtual Result<std::map<OutboxState, int64_t>> CountByState() = 0;

  // Opt-out: the current answer per phone and its append-only history.
  virtual Status SetOptOut(std::string_view phone, bool opted_out,
                           std::string_view source, int64_t at) = 0;
  virtual Result<bool> IsOptedOut(std::string_view phone) = 0;
  // "stop"/"start" and the time of each change for `phone`, oldest first.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> OptOutHistory(
      std::string_view phone) = 0;

  // Stores an inbound message; false (nothing written) if its Kannel id
  // is stored already.
  virtual Result<bool> InsertInbound(const InboundRecord& r) = 0;
  // Inbound messages with handling inbox, newest first, at most `limit`.
  virtual Result<std::vector<InboundRecord>> Inbox(int limit) = 0;
};

}  // namespace malchin::channel
