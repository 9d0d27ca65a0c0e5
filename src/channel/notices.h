// channel::OutboxNotices: the SMS implementation of store::Notices (the
// transactional outbox of the other capabilities' notices). A notice
// becomes an information SMS from its template, in Mongolian, to the
// household's phone on the register, queued once by the notice's key in
// the caller's open Write; nothing is queued when the household has no
// valid phone or the phone opted out (the sender checks opt-out again at
// send time). Amounts are written as "300,000". A template's `phone`
// parameter the notice leaves out is the number herders text or call
// (`contact_number`: serve's --sms-short-code, MALCHIN_SMS_SHORT_CODE, else
// 1234). A value longer than its parameter allows is cut to fit (a long
// plan name must not stop a reconciliation; the ministry keeps names short).
//
// The composition (src/api, src/cli) gives every session Shared().
//
// Thread-safety: immutable; Notify may run concurrently on different
// sessions.
#pragma once

#include <memory>
#include <string>

#include "channel/templates.h"
#include "params/parameters.h"
#include "store/notices.h"
#include "store/session.h"

namespace malchin::channel {

class OutboxNotices final : public store::Notices {
 public:
  OutboxNotices(std::shared_ptr<const TemplateCatalogue> catalogue,
                std::shared_ptr<const params::ParameterSet> parameters,
                std::string contact_number = "1234");
  // The process's, with the embedded catalogue and parameters and the
  // contact number from MALCHIN_SMS_SHORT_CODE (read on first use; serve
  // sets it from --sms-short-code before); null if they cannot be read
  // (then no notice is sent).
  static OutboxNotices* Shared();

  // FailedPrecondition outside a Write; errors of channel::Queue.
  Status Notify(store::Session& session, const store::Notice& n) override;

 private:
  // Adds the contact number as a missing `phone`; cuts values to fit.
  void FitValues(const TemplateCatalogue& catalogue,
                 std::string_view template_id, TemplateValues& values) const;

  std::shared_ptr<const TemplateCatalogue> catalogue_;
  std::shared_ptr<const params::ParameterSet> parameters_;
  std::string contact_number_;
};

}  // namespace malchin::channel
