// What Malchin does with an SMS a herder sends (Kannel's sms-service calls
// the inbound route, which calls HandleInbound).
//
// Keywords (the first word, lower-cased; Mongolian or Latin):
//   ЗОГС / STOP              opt out of information messages (reply says so)
//   ЭХЛЭХ / START            opt back in
//   ДААТГАЛ / INSURANCE <РД> months of social and health insurance
//   ТӨЛБӨР / PAYMENT <РД>    the latest payment
//   ГОМДОЛ / COMPLAINT ...   a complaint case (the reply gives its number)
//                            through InboundContext::complaints, or, when
//                            it cannot be one, the officers' inbox
//   anything else            stored for an officer's inbox; "not understood"
// Answers are the templates inbound.* in Mongolian, queued as replies (they
// go in quiet hours and to opted-out phones: the herder asked).
//
// Nothing personal goes to a phone that is not on the register for the
// person: a status answer is given only if the register number names an
// active person whose own phone, or whose household's phone, is the phone
// that wrote (registry::Repository::FindPerson / FindHousehold); otherwise
// the answer is inbound.not_registered, which names nobody.
//
// A message Kannel delivers twice (same Kannel id) is handled once: the
// second call stores nothing and answers nothing. One transaction.
//
// Thread-safety: like the session, one thread at a time.
#pragma once

#include <string>
#include <string_view>

#include "channel/kannel.h"
#include "channel/repository.h"
#include "channel/templates.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::channel {

// The facts a status answer gives, from the capabilities that own them
// (wired by the composition). Each returns the template's values
// (inbound.insurance_status / inbound.payment_status), or nullopt when
// there is nothing to report.
class HerderFacts {
 public:
  virtual ~HerderFacts() = default;
  virtual Result<std::optional<TemplateValues>> Insurance(
      store::Session& session, std::string_view register_no) = 0;
  virtual Result<std::optional<TemplateValues>> Payment(
      store::Session& session, std::string_view register_no) = 0;
};

// Where a complaint by SMS goes (wired by the composition: grievance's
// SmsComplaintDesk). `text` is the message after the keyword; `phone` the
// sender's, normalized. Returns the complaint's number, or nullopt when it
// cannot be recorded as a case and stays in the officers' inbox. Called
// inside HandleInbound's transaction: an error undoes the whole message.
// Must be idempotent by `kannel_id` (Kannel may deliver twice).
class ComplaintDesk {
 public:
  virtual ~ComplaintDesk() = default;
  virtual Result<std::optional<std::string>> Record(
      store::Session& session, std::string_view phone, std::string_view text,
      std::string_view kannel_id) = 0;
};

struct InboundContext {
  const TemplateCatalogue* catalogue = nullptr;
  const params::ParameterSet* parameters = nullptr;
  HerderFacts* facts = nullptr;  // May be null: status keywords say so.
  std::string short_code = "1234";
  // May be null: every complaint stays in the officers' inbox.
  ComplaintDesk* complaints = nullptr;
};

enum class Keyword { kStop, kStart, kInsurance, kPayment, kComplaint, kOther };
Keyword ParseKeyword(std::string_view keyword);

struct InboundOutcome {
  bool duplicate = false;  // Kannel's id was seen: nothing done.
  Keyword keyword = Keyword::kOther;
  InboundHandling handling = InboundHandling::kInbox;
  std::string reply_key;       // The queued answer's idempotency key.
  std::string reply_template;  // Its template.
};

// Stores `sms`, applies a STOP/START, and queues the answer. Errors: the
// store's (nothing written). A sender number that is not Mongolian is
// stored as ignored and answered with nothing.
Result<InboundOutcome> HandleInbound(store::Session& session,
                                     const InboundContext& context,
                                     const InboundSms& sms);

}  // namespace malchin::channel
