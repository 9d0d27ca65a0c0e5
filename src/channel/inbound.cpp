#include "channel/inbound.h"

#include <array>
#include <cctype>
#include <utility>

#include "channel/outbox.h"
#include "core/text.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace malchin::channel {
namespace {

constexpr std::array<std::pair<std::string_view, Keyword>, 15> kKeywords = {{
    {"зогс", Keyword::kStop},
    {"зогсоох", Keyword::kStop},
    {"stop", Keyword::kStop},
    {"эхлэх", Keyword::kStart},
    {"эхэл", Keyword::kStart},
    {"start", Keyword::kStart},
    {"даатгал", Keyword::kInsurance},
    {"daatgal", Keyword::kInsurance},
    {"insurance", Keyword::kInsurance},
    {"төлбөр", Keyword::kPayment},
    {"tulbur", Keyword::kPayment},
    {"payment", Keyword::kPayment},
    {"гомдол", Keyword::kComplaint},
    {"gomdol", Keyword::kComplaint},
    {"complaint", Keyword::kComplaint},
}};

// `text` after its first word, trimmed, or "".
std::string AfterFirstWord(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t b = text.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  b = text.find_first_not_of(kSpace, text.find_first_of(kSpace, b));
  if (b == std::string_view::npos) return "";
  size_t e = text.find_last_not_of(kSpace);
  return std::string(text.substr(b, e + 1 - b));
}

// The second word of `text`, or "".
std::string SecondWord(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t b = text.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  b = text.find_first_not_of(kSpace, text.find_first_of(kSpace, b));
  if (b == std::string_view::npos) return "";
  size_t e = text.find_first_of(kSpace, b);
  return std::string(text.substr(b, e == std::string_view::npos ? e : e - b));
}

// The idempotency key of the answer to Kannel's message `kannel_id`.
std::string ReplyKey(std::string_view kannel_id) {
  std::string key = "in-";
  for (char c : kannel_id) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
              c == '_' || c == '.';
    key += ok ? c : '_';
  }
  return key.substr(0, 64);
}

// True if `register_no` names an active person whose phone, or whose
// household's phone, is `phone8`.
Result<bool> PhoneIsOnRegister(store::Session& session,
                               std::string_view register_no,
                               const std::string& phone8) {
  auto& registry = session.Get<registry::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto person, registry.FindPerson(register_no));
  if (!person || person->deactivated) return false;
  if (person->phone == phone8) return true;
  MALCHIN_ASSIGN_OR_RETURN(auto household,
                           registry.FindHousehold(person->household_id));
  return household && !household->deactivated && household->phone == phone8;
}

struct Answer {
  std::string template_id;
  TemplateValues values;
};

// The answer to a status keyword from `phone8`.
Result<Answer> StatusAnswer(store::Session& session,
                            const InboundContext& context, Keyword keyword,
                            const std::string& register_no,
                            const std::string& phone8) {
  Answer none{"inbound.not_registered", {{"short_code", context.short_code}}};
  if (register_no.empty()) return none;
  MALCHIN_ASSIGN_OR_RETURN(bool own,
                           PhoneIsOnRegister(session, register_no, phone8));
  if (!own) return none;
  std::optional<TemplateValues> facts;
  if (context.facts && keyword == Keyword::kInsurance) {
    MALCHIN_ASSIGN_OR_RETURN(facts,
                             context.facts->Insurance(session, register_no));
  } else if (context.facts) {
    MALCHIN_ASSIGN_OR_RETURN(facts,
                             context.facts->Payment(session, register_no));
  }
  if (!facts) {
    return Answer{"inbound.no_information",
                  {{"short_code", context.short_code}}};
  }
  return Answer{keyword == Keyword::kInsurance ? "inbound.insurance_status"
                                               : "inbound.payment_status",
                std::move(*facts)};
}

Result<Answer> Decide(store::Session& session, const InboundContext& context,
                      Keyword keyword, const InboundRecord& record,
                      const std::string& phone,
                      const std::optional<std::string>& ticket) {
  TemplateValues code{{"short_code", context.short_code}};
  switch (keyword) {
    case Keyword::kStop:
    case Keyword::kStart: {
      bool stop = keyword == Keyword::kStop;
      MALCHIN_RETURN_IF_ERROR(SetOptOut(session, phone, stop, "sms"));
      return Answer{stop ? "inbound.opted_out" : "inbound.opted_in", code};
    }
    case Keyword::kInsurance:
    case Keyword::kPayment:
      return StatusAnswer(session, context, keyword, record.register_no,
                          RegisterPhone(phone));
    case Keyword::kComplaint:
      if (ticket) {
        return Answer{
            "inbound.complaint_recorded",
            {{"ticket", *ticket}, {"short_code", context.short_code}}};
      }
      return Answer{"inbound.complaint_received", code};
    case Keyword::kOther:
      break;
  }
  return Answer{"inbound.not_understood", code};
}

// The stored form of `sms` (handling from the keyword alone).
InboundRecord Record(const InboundSms& sms, Keyword keyword, bool phone_ok,
                     int64_t now) {
  InboundRecord r;
  r.sms = sms;
  r.received_at = now;
  if (!phone_ok) {
    r.handling = InboundHandling::kIgnored;
    return r;
  }
  r.reply_key = ReplyKey(sms.kannel_id);
  bool status = keyword == Keyword::kInsurance || keyword == Keyword::kPayment;
  if (status)
    r.register_no = registry::NormalizeRegisterNumber(SecondWord(sms.text));
  bool inbox = keyword == Keyword::kComplaint || keyword == Keyword::kOther;
  r.handling = inbox ? InboundHandling::kInbox : InboundHandling::kAnswered;
  return r;
}

// A complaint made a case through the context's desk: its number, or
// nullopt (no desk, no usable phone, or the desk cannot make a case).
Result<std::optional<std::string>> RecordComplaint(
    store::Session& session, const InboundContext& context, Keyword keyword,
    const InboundSms& sms, const Result<std::string>& phone) {
  if (keyword != Keyword::kComplaint || context.complaints == nullptr ||
      !phone.ok()) {
    return std::optional<std::string>();
  }
  return context.complaints->Record(session, *phone, AfterFirstWord(sms.text),
                                    sms.kannel_id);
}

}  // namespace

Keyword ParseKeyword(std::string_view keyword) {
  std::string lower = text::ToLower(keyword);
  for (const auto& [word, k] : kKeywords) {
    if (word == lower) return k;
  }
  return Keyword::kOther;
}

Result<InboundOutcome> HandleInbound(store::Session& session,
                                     const InboundContext& context,
                                     const InboundSms& sms) {
  InboundOutcome out;
  out.keyword = ParseKeyword(sms.keyword);
  auto phone = NormalizePhone(sms.from);
  InboundRecord record = Record(sms, out.keyword, phone.ok(), UnixNow(session));
  out.handling = record.handling;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(
        std::optional<std::string> ticket,
        RecordComplaint(session, context, out.keyword, sms, phone));
    if (ticket) record.handling = InboundHandling::kAnswered;
    out.handling = record.handling;
    MALCHIN_ASSIGN_OR_RETURN(bool stored,
                             session.Get<Repository>().InsertInbound(record));
    out.duplicate = !stored;
    if (!stored || !phone.ok()) return Status::Ok();
    MALCHIN_ASSIGN_OR_RETURN(
        Answer answer,
        Decide(session, context, out.keyword, record, *phone, ticket));
    QueueRequest reply;
    reply.idempotency_key = record.reply_key;
    reply.kind = MessageKind::kReply;
    reply.phone = *phone;
    reply.register_no = record.register_no;
    reply.template_id = answer.template_id;
    reply.values = std::move(answer.values);
    MALCHIN_RETURN_IF_ERROR(
        Queue(session, *context.catalogue, *context.parameters, reply)
            .status());
    out.reply_key = record.reply_key;
    out.reply_template = reply.template_id;
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::channel
