// Broadcasts: one templated SMS to every household a rule selects (e.g.
// "household.herder and event.severity >= high"), with a preview of the
// recipients and the cost, maker-checker above a threshold, sending
// through the outbox once per household, progress and a delivery report
// by soum x sex of the household's head.
//
// Lifecycle (BroadcastState): draft -> approved (a second officer, never
// the maker) -> sending (recipients frozen, messages being queued) ->
// queued (every recipient's message is in the outbox); draft -> sending
// directly when the maker sends a broadcast under the thresholds
// `sms.broadcast_approval_recipients` and `sms.broadcast_approval_cost`
// (data/parameters.json, dated). A draft or an approved broadcast may be
// cancelled.
//
// Recipients: active households in the broadcast's area (the maker's area
// intersected with the caller's: the session scopes every read) that the
// target selects (a household rule, tested on its head), with a phone on
// the register (the household's), whose phone has not opted out. Each
// gets the template in the recipient's language (Mongolian: the register
// keeps no language, so every recipient is "mn" until it does).
//
// Sending freezes the recipients in one transaction, then queues their
// messages in batches, each batch one transaction with the broadcast's
// lock; each message's idempotency key is "broadcast.<id>.<household>",
// UNIQUE in the outbox, so a crash midway and a second Send queue nobody
// twice (Send continues a broadcast left in `sending`).
//
// Every function runs its own transactions on `session` and reads the time
// from the session's clock. Errors leave the stored broadcast unchanged
// (Send: batches already committed stay queued; Send again continues).
// Thread-safety: like the session, one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channel/repository.h"
#include "channel/templates.h"
#include "core/status.h"
#include "params/parameters.h"
#include "registry/model.h"
#include "rules/event.h"
#include "store/session.h"

namespace malchin::channel {

enum class BroadcastState : uint8_t {
  kDraft,
  kApproved,
  kSending,
  kQueued,
  kCancelled
};
std::string_view Name(BroadcastState s);  // "draft", "approved", ...
Result<BroadcastState> ParseBroadcastState(std::string_view name);

struct Broadcast {
  int64_t id = 0;  // Assigned by the database.
  std::string title;
  // A household condition in the rule language (docs/rules.md).
  std::string target;
  std::string event_code;  // The shock event the target reads; may be "".
  std::string template_id;
  TemplateValues values;
  int32_t area_code = 0;  // The maker's area: 0, an aimag or a soum.
  BroadcastState state = BroadcastState::kDraft;
  int64_t recipients = 0;  // Frozen count (0 until sending).
  int segments = 0;        // Per message.
  int64_t cost = 0;        // MNT in total, frozen with the recipients.
  std::string created_by;
  int64_t created_at = 0;
  std::string approved_by;  // "" unless approved.
  int64_t approved_at = 0;
};

struct BroadcastRecipient {
  std::string household_id;
  std::string phone;  // "+976" and 8 digits.
  int32_t soum_code = 0;
  registry::Sex head_sex = registry::Sex::kFemale;
  Language language = Language::kMongolian;
};

// Counts by soum of registration x sex of the household's head.
struct SoumSexCount {
  int32_t soum_code = 0;
  registry::Sex head_sex = registry::Sex::kFemale;
  int64_t households = 0;
};

struct BroadcastPreview {
  int64_t selected = 0;          // Households the target selects in the area.
  int64_t no_phone = 0;          // Of those, without a valid phone.
  int64_t opted_out = 0;         // Of those, whose phone opted out.
  int64_t recipients = 0;        // Who would get the message.
  std::string text;              // The message (Mongolian).
  int segments = 0;              // Per message.
  int64_t cost_per_message = 0;  // MNT.
  int64_t cost = 0;              // MNT, recipients x cost_per_message.
  bool needs_approval = false;   // Above a threshold.
  std::vector<SoumSexCount> by_soum_sex;  // By soum, then sex.
};

// Where the broadcast's messages stand: "not_queued" (frozen, not yet in
// the outbox) and the outbox states, with "unknown" for a message sent
// whose delivery report never came (outbox.h MarkUnknown).
struct DeliveryCount {
  int32_t soum_code = 0;
  registry::Sex head_sex = registry::Sex::kFemale;
  std::string state;
  int64_t messages = 0;
};
struct BroadcastReport {
  std::map<std::string, int64_t> progress;  // State -> messages.
  std::vector<DeliveryCount> by_soum_sex;   // By soum, sex, state.
};

// What a broadcast reads besides the store.
struct BroadcastContext {
  std::shared_ptr<const TemplateCatalogue> catalogue;
  std::shared_ptr<const params::ParameterSet> parameters;
  // The event named by the broadcast's event_code, as rules see it (the
  // composition reads it from response); nullptr: no event.
  const rules::EventContext* event = nullptr;
};

// Data access for broadcasts (each engine's broadcast_repository.cpp).
// Write methods REQUIRE an open Session::Write. Delivery counts only
// recipients in the session's caller area.
class BroadcastRepository : public store::Repository {
 public:
  virtual Result<int64_t> Insert(const Broadcast& b) = 0;
  virtual Result<std::optional<Broadcast>> Find(int64_t id) = 0;
  // Up to `limit` broadcasts of every area with an id below `before_id`
  // (0: no bound), newest (highest id) first. The caller's area is the
  // service's to apply (ListBroadcasts).
  virtual Result<std::vector<Broadcast>> List(int64_t before_id, int limit) = 0;
  // Writes state, recipients, segments, cost, approved_by/at of `b.id`.
  virtual Status Update(const Broadcast& b) = 0;
  // Every phone whose current choice is opted out.
  virtual Result<std::vector<std::string>> OptedOutPhones() = 0;
  virtual Status InsertRecipients(
      int64_t id, const std::vector<BroadcastRecipient>& recipients) = 0;
  // Up to `limit` recipients whose message is not queued, by household.
  virtual Result<std::vector<BroadcastRecipient>> Unqueued(int64_t id,
                                                           int limit) = 0;
  virtual Status MarkQueued(int64_t id,
                            const std::vector<std::string>& households) = 0;
  virtual Result<std::vector<DeliveryCount>> Delivery(int64_t id) = 0;
};

struct DraftRequest {
  std::string title;
  std::string target;
  std::string event_code;
  std::string template_id;
  TemplateValues values;
};

// Checks the target (compiles it), the template and its values, and stores
// a draft in the caller's area. InvalidArgument naming the field.
Result<Broadcast> DraftBroadcast(store::Session& session,
                                 const BroadcastContext& ctx,
                                 const DraftRequest& request);

// The broadcast, if the caller's area covers its area; NotFound otherwise.
Result<Broadcast> FindBroadcast(store::Session& session, int64_t id);

// The broadcasts the caller sees (exactly those FindBroadcast finds),
// newest first: up to `limit` (REQUIRES: limit > 0) with an id below
// `before` (0: from the newest). Writes nothing.
Result<std::vector<Broadcast>> ListBroadcasts(store::Session& session,
                                              int64_t before, int limit);

// Who would receive it now, and the cost. Writes nothing.
Result<BroadcastPreview> PreviewBroadcast(store::Session& session,
                                          const BroadcastContext& ctx,
                                          int64_t id);

// A second officer approves a draft. PermissionDenied if the caller made
// it; FailedPrecondition unless it is a draft.
Result<Broadcast> ApproveBroadcast(store::Session& session, int64_t id);

// Freezes the recipients (draft or approved) and queues every message in
// batches of `batch`. FailedPrecondition if a draft needs approval (naming
// the threshold it is over) or the caller of a draft is not its maker; a
// broadcast in `sending` continues; `queued` does nothing more.
Result<Broadcast> SendBroadcast(store::Session& session,
                                const BroadcastContext& ctx, int64_t id,
                                int batch = 500);

Result<Broadcast> CancelBroadcast(store::Session& session, int64_t id);

// Progress and the delivery report by soum x sex of head.
Result<BroadcastReport> ReportBroadcast(store::Session& session, int64_t id);

// JSON objects (UTF-8 text) the CLI and the API give: the broadcast (id,
// title, target, event, template, values, state, recipients, segments,
// cost, created_by, approved_by), the preview (counts, text, cost,
// needs_approval, by_soum_sex: soum, head_sex F|M, households) and the
// report (progress: state -> messages; by_soum_sex: soum, head_sex,
// state, messages).
std::string ToJson(const Broadcast& b);
std::string ToJson(const BroadcastPreview& p);
std::string ToJson(const BroadcastReport& r);

// The idempotency key of a recipient's message.
std::string BroadcastMessageKey(int64_t id, std::string_view household_id);

}  // namespace malchin::channel
