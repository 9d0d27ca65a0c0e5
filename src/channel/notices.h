// channel::OutboxNotices: the SMS implementation of store::Notices (the
// transactional outbox of the other capabilities' notices). A notice
// becomes an information SMS from its template, in Mongolian, to the
// household's phone on the register, queued once by the notice's key in
// the caller's open Write; nothing is queued when the household has no
// valid phone or the phone opted out (the sender checks opt-out again at
// send time). Amounts are written as "300,000".
//
// The composition (src/api, src/cli) gives every session Shared().
//
// Thread-safety: immutable; Notify may run concurrently on different
// sessions.
#pragma once

#include <memory>

#include "channel/templates.h"
#include "params/parameters.h"
#include "store/notices.h"
#include "store/session.h"

namespace malchin::channel {

class OutboxNotices final : public store::Notices {
 public:
  OutboxNotices(std::shared_ptr<const TemplateCatalogue> catalogue,
                std::shared_ptr<const params::ParameterSet> parameters);
  // The process's, with the embedded catalogue and parameters; null if they
  // cannot be read (then no notice is sent).
  static OutboxNotices* Shared();

  // FailedPrecondition outside a Write; errors of channel::Queue.
  Status Notify(store::Session& session, const store::Notice& n) override;

 private:
  std::shared_ptr<const TemplateCatalogue> catalogue_;
  std::shared_ptr<const params::ParameterSet> parameters_;
};

}  // namespace malchin::channel
