// The SMS outbox's rules: queueing a templated message once, what a
// delivery report changes, and opt-out by phone. Sending is sender.h,
// inbound messages inbound.h. Every function runs its own transaction on
// `session` (joining the caller's Write if there is one) and reads the
// time from the session's clock.
//
// Thread-safety: like the session, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "channel/kannel.h"
#include "channel/repository.h"
#include "channel/templates.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::channel {

// "+976" and the 8 digits of a Mongolian number, from 8 digits (as the
// register keeps them), "976" + 8 digits or "+976" + 8 digits (spaces and
// dashes ignored). InvalidArgument naming the value otherwise.
Result<std::string> NormalizePhone(std::string_view phone);
// The 8 digits the register keeps. REQUIRES: a NormalizePhone result.
std::string RegisterPhone(std::string_view normalized);

// A template's values as a JSON object (stored with each message).
std::string TemplateValuesJson(const TemplateValues& values);
// The reverse; InvalidArgument unless a JSON object of strings.
Result<TemplateValues> ParseTemplateValuesJson(std::string_view json);

// Unix seconds of the session clock's now.
int64_t UnixNow(const store::Session& session);

struct QueueRequest {
  // The message's purpose, 1 to 64 of A-Z a-z 0-9 . _ - (see
  // OutboxMessage::idempotency_key): queueing it again does nothing.
  std::string idempotency_key;
  MessageKind kind = MessageKind::kInfo;
  std::string phone;  // Any form NormalizePhone reads.
  std::string household_id;
  std::string register_no;
  std::string template_id;
  TemplateValues values;
  Language language = Language::kMongolian;
};

struct QueueResult {
  bool queued = false;  // False: the key was queued before (nothing done).
  OutboxMessage message;
};

// Renders, plans and prices the message on today's parameters and queues
// it, due now. InvalidArgument (naming the field) for a bad key, phone or
// template value; ResourceExhausted if the text is over sms.max_segments.
// On any error nothing is written. The caller's actor is created_by.
Result<QueueResult> Queue(store::Session& session,
                          const TemplateCatalogue& catalogue,
                          const params::ParameterSet& parameters,
                          const QueueRequest& request);

// Applies a delivery report to its message and keeps the report: 1 makes
// the message delivered, 2 and 16 failed (final); 4 and 8 make a message
// that is not final sent. A final state never changes again (a late or
// repeated report is only kept). NotFound (nothing written) if no message
// has the report's id. Safe to call twice with the same report.
Status ApplyDeliveryReport(store::Session& session,
                           const DeliveryReport& report);

// Records that `phone` opts out (true) or back in (false); `source` says
// how ("sms", "officer:<name>"). Writes history even if nothing changes.
Status SetOptOut(store::Session& session, std::string_view phone,
                 bool opted_out, std::string_view source);

}  // namespace malchin::channel
