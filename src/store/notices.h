// Notices: how a capability asks that a household be told of a change (a
// payment sent or failed, a contribution recorded, an event declared for
// its soum) in the SAME transaction as the change (a transactional
// outbox), without depending on how messages travel. The composition (api,
// cli) gives each session an implementation (channel::OutboxNotices: an SMS
// from a template to the household's phone on the register, once per key,
// honouring opt-out); a session without one sends nothing.
//
//   if (store::Notices* n = session.notices()) {
//     MALCHIN_RETURN_IF_ERROR(n->Notify(session, {...}));  // In the Write.
//   }
//
// Thread-safety: an implementation is shared by the sessions of a process
// and must allow concurrent calls, each on its own session.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/status.h"

namespace malchin::store {

class Session;

struct Notice {
  // Once per cause: the same key again does nothing ("insurance.entry.42").
  // 1 to 64 of A-Z a-z 0-9 . _ -.
  std::string key;
  std::string household_id;  // Whose phone on the register is told.
  std::string register_no;   // The person it is about; may be empty.
  std::string template_id;   // A message template (e.g. "payment.sent").
  std::map<std::string, std::string, std::less<>> values;
  // Values that are MNT amounts, written by the messenger in its own way
  // ("300,000" in an SMS).
  std::map<std::string, int64_t, std::less<>> amounts;
};

class Notices {
 public:
  virtual ~Notices() = default;
  // Queues the notice inside `session`'s open Write (REQUIRES one), so it
  // is kept only if the change is. OK without queueing anything when the
  // household has no valid phone or its phone opted out. Errors (a bad
  // template value, the store's) fail the caller's transaction.
  virtual Status Notify(Session& session, const Notice& notice) = 0;
};

}  // namespace malchin::store
