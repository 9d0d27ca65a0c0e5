// Closing the loop: the letters (always, in Mongolian) and SMS (through the
// herders' channel, when it exists) that tell a complainant their complaint
// was received and what was decided.
#include "channel/outbox.h"
#include "channel/template_texts.h"
#include "grievance/service.h"

namespace malchin::grievance {
namespace {

using channel::Language;

Language LanguageOf(const std::string& code) {
  return code == "en" ? Language::kEnglish : Language::kMongolian;
}

std::string Decision(CaseState s, bool mn) {
  switch (s) {
    case CaseState::kResolved:
      return mn ? "Шийдвэрлэсэн" : "Resolved";
    case CaseState::kReferred:
      return mn ? "Холбогдох байгууллагад шилжүүлсэн"
                : "Referred to the competent body";
    case CaseState::kRejected:
      return mn ? "Хүлээн аваагүй" : "Not upheld";
    case CaseState::kClosed:
      return mn ? "Хаасан" : "Closed";
    default:
      return mn ? "Шийдвэрлэж байна" : "Being handled";
  }
}

// At most `max` code points of `s` (UTF-8) on one line: line breaks and
// tabs become spaces (a template's value is one line).
std::string Clip(const std::string& s, size_t max) {
  std::string out = channel::ClipCodePoints(s, max);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

}  // namespace

std::string Service::Signature(int32_t soum_code,
                               const std::string& language) const {
  const geo::Unit* u = ctx_.geo->FindSoum(soum_code);
  if (u == nullptr) return OfficeName(soum_code, language);
  bool district = u->level == geo::Level::kDistrict;
  if (language == "en") {
    return "Governor's office of " + u->name_en +
           (district ? " district" : " soum");
  }
  return u->name_mn + (district ? " дүүргийн" : " сумын") +
         " Засаг даргын Тамгын газар";
}

std::string Service::OfficeName(int32_t soum_code,
                                const std::string& language) const {
  const geo::Unit* u = ctx_.geo->FindSoum(soum_code);
  if (u == nullptr) return std::to_string(soum_code);
  bool district = u->level == geo::Level::kDistrict;
  if (language == "en") {
    return u->name_en + (district ? " district, " : " soum, ") + u->aimag_en;
  }
  return u->aimag_mn + (district ? " хот, " : " аймаг, ") + u->name_mn +
         (district ? " дүүрэг" : " сум");
}

Result<std::string> Service::Letter(const Case& c, NoticeKind kind,
                                    const std::string& language,
                                    const std::string& signer) {
  const bool mn = language != "en";
  channel::TemplateValues v;
  v["name"] = Clip(c.complainant.name.empty()
                       ? (mn ? std::string("иргэн") : "Sir or Madam")
                       : c.complainant.name,
                   120);
  v["reference"] = c.reference;
  v["written"] = Today().ToString();
  std::string id = kind == NoticeKind::kAcknowledgement
                       ? "letter.acknowledgement"
                       : "letter.outcome";
  if (c.confidential) {
    if (kind == NoticeKind::kAcknowledgement) {
      v["date"] = c.received_on.ToString();
    }
    return ctx_.letters->Render(id + ".confidential", LanguageOf(language), v);
  }
  v["office"] = Clip(OfficeName(c.soum_code, language), 120);
  v["date"] = c.received_on.ToString();
  v["officer"] =
      Clip(signer.empty() ? Signature(c.soum_code, language) : signer, 80);
  if (kind == NoticeKind::kAcknowledgement) {
    MALCHIN_ASSIGN_OR_RETURN(auto categories, AllCategories());
    const Category* cat = FindCategory(categories, c.category);
    std::string about =
        cat == nullptr ? c.category : (mn ? cat->name_mn : cat->name_en);
    v["category"] = Clip(about, 120);
    v["answer_by"] = c.resolve_by.ToString();
  } else {
    v["decision"] = Decision(c.state, mn);
    v["outcome"] = Clip(c.outcome.empty() ? "-" : c.outcome, 2000);
  }
  return ctx_.letters->Render(id, LanguageOf(language), v);
}

Status Service::RenderNotices(const Case& c, NoticeKind kind) {
  const Complainant& who = c.complainant;
  if (who.anonymous || who.contact == Contact::kNone) return Status::Ok();
  Notice letter;
  letter.case_id = c.id;
  letter.kind = kind;
  letter.channel = NoticeChannel::kLetter;
  letter.language = "mn";
  letter.status = NoticeStatus::kToPrint;
  letter.created_at = Now();
  letter.created_by = session_.caller().actor;
  MALCHIN_ASSIGN_OR_RETURN(letter.text, Letter(c, kind, "mn", ""));
  MALCHIN_RETURN_IF_ERROR(repo_.AddNotice(letter).status());
  if (who.contact != Contact::kSms || who.phone.empty()) return Status::Ok();
  // The complainant chose SMS (for a confidential case: said it is safe).
  // The notice is kept, and the same text queued in the herders' channel in
  // this transaction: a reply the complainant asked for (quiet hours and an
  // opt-out of information messages do not hold it back).
  Notice sms = letter;
  sms.channel = NoticeChannel::kSms;
  sms.status = NoticeStatus::kQueued;
  channel::TemplateValues v{{"ticket", c.reference}};
  if (kind == NoticeKind::kAcknowledgement) {
    v["days"] =
        std::to_string(std::max(0, c.resolve_by.days() - Today().days()));
  }
  channel::QueueRequest q;
  q.kind = channel::MessageKind::kReply;
  q.phone = who.phone;
  q.register_no = who.register_no;
  q.template_id = kind == NoticeKind::kAcknowledgement ? "grievance.received"
                                                       : "grievance.outcome";
  q.values = v;
  // The ministry's wording in force (channel/template_texts.h).
  MALCHIN_ASSIGN_OR_RETURN(auto templates,
                           channel::CatalogueInForce(session_, ctx_.sms));
  MALCHIN_ASSIGN_OR_RETURN(
      sms.text, templates->Render(q.template_id, Language::kMongolian, v));
  MALCHIN_ASSIGN_OR_RETURN(int64_t notice_id, repo_.AddNotice(sms));
  q.idempotency_key = "grievance.notice." + std::to_string(notice_id);
  return channel::Queue(session_, *templates, *ctx_.params, q).status();
}

}  // namespace malchin::grievance
