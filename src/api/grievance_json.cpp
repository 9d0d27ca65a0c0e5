#include "api/grievance_json.h"

#include "api/api.h"
#include "registry/model.h"

namespace malchin::api {

using nlohmann::json;

namespace {

json OptDate(const std::optional<Date>& d) {
  return d ? json(d->ToString()) : json(nullptr);
}

json EventJson(const grievance::CaseEvent& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"actor", e.actor},
          {"kind", grievance::EventKindName(e.kind)},
          {"from", e.from ? json(grievance::CaseStateName(*e.from)) : json()},
          {"to", e.to ? json(grievance::CaseStateName(*e.to)) : json()},
          {"text", e.text}};
}

json ComplainantJson(const grievance::Complainant& p) {
  return {{"anonymous", p.anonymous},
          {"register_no", p.register_no},
          {"name", p.name},
          {"phone", p.phone},
          {"address", p.address},
          {"sex", p.sex ? json(registry::SexCode(*p.sex)) : json()},
          {"birth_year", p.birth_year ? json(p.birth_year) : json()},
          {"staff", p.staff},
          {"contact", grievance::ContactName(p.contact)}};
}

}  // namespace

const char kIntakeSchema[] =
    R"({"type":"object","required":["category","soum_code","summary"],)"
    R"("properties":{"channel":{"type":"string"},"category":{"type":"string"},)"
    R"("soum_code":{"type":"integer"},"summary":{"type":"string"},)"
    R"("confidential":{"type":"boolean"},"received_on":{"type":"string"},)"
    R"("complainant":{"type":"object","properties":{)"
    R"("anonymous":{"type":"boolean"},"register_no":{"type":"string"},)"
    R"("name":{"type":"string"},"phone":{"type":"string"},)"
    R"("address":{"type":"string"},"sex":{"type":"string"},)"
    R"("birth_year":{"type":"integer"},"staff":{"type":"boolean"},)"
    R"("contact":{"type":"string"}}},"subject":{"type":"object",)"
    R"("properties":{"kind":{"type":"string"},"ref":{"type":"string"}}}}})";

Result<const grievance::Context*> GrievanceContext() {
  static const Result<grievance::Context> kContext =
      grievance::Context::Embedded();
  if (!kContext.ok()) return kContext.status();
  return &*kContext;
}

Result<grievance::Service> GrievanceService(Call& c) {
  MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx, GrievanceContext());
  return grievance::Service(c.session, *ctx);
}

Status RequireHandler(const auth::Principal& who) {
  if (who.Can(auth::Permission::kHandleGrievance) ||
      who.Can(auth::Permission::kHandleConfidential)) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      "the role " + std::string(auth::RoleName(who.role)) +
      " does not handle complaints (handle_grievance or handle_confidential)");
}

http::RouteDoc GrievanceDoc(std::string summary,
                            std::map<int, std::string> responses,
                            std::string schema, std::string tag) {
  http::RouteDoc d;
  d.summary = std::move(summary);
  d.tag = std::move(tag);
  d.responses = std::move(responses);
  d.request_schema = std::move(schema);
  return d;
}

Result<int64_t> PathId(const std::string& text, const char* field) {
  bool digits = !text.empty() && text.size() <= 18 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    return Status::InvalidArgument(
        std::string(field) + " '" + text + "': expected a number", field);
  }
  return std::stoll(text);
}

Result<Date> DateField(const std::string& text, const char* field) {
  auto d = Date::Parse(text);
  if (!d.ok()) {
    return Status::InvalidArgument(
        std::string(field) + " '" + text + "': " + d.status().message(), field);
  }
  return *d;
}

Result<store::AreaFilter> AreaQuery(const http::Request& r) {
  MALCHIN_ASSIGN_OR_RETURN(auto soum, QueryInt(r, "soum", 10000, 99999));
  MALCHIN_ASSIGN_OR_RETURN(auto aimag, QueryInt(r, "aimag", 100, 999));
  if (soum && aimag) {
    return Status::InvalidArgument("give soum or aimag, not both", "soum");
  }
  store::AreaFilter a;
  if (soum) a.soum_code = static_cast<int32_t>(*soum);
  if (aimag) a.aimag_code = static_cast<int32_t>(*aimag);
  return a;
}

Status ReadIntakeFields(JsonInput& in, grievance::IntakeRequest* r) {
  MALCHIN_ASSIGN_OR_RETURN(r->category, in.String("category"));
  MALCHIN_ASSIGN_OR_RETURN(int64_t soum, in.Int("soum_code", 0, 99999));
  r->soum_code = static_cast<int32_t>(soum);
  MALCHIN_ASSIGN_OR_RETURN(r->summary, in.String("summary"));
  MALCHIN_ASSIGN_OR_RETURN(auto confidential, in.OptBool("confidential"));
  r->confidential = confidential.value_or(false);
  if (!in.Has("complainant")) return Status::Ok();
  MALCHIN_ASSIGN_OR_RETURN(JsonInput p, in.Object("complainant"));
  grievance::Complainant& c = r->complainant;
  MALCHIN_ASSIGN_OR_RETURN(auto anonymous, p.OptBool("anonymous"));
  c.anonymous = anonymous.value_or(false);
  for (auto [name, target] : {std::pair{"register_no", &c.register_no},
                              {"name", &c.name},
                              {"phone", &c.phone},
                              {"address", &c.address}}) {
    MALCHIN_ASSIGN_OR_RETURN(auto v, p.OptString(name));
    *target = v.value_or("");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto sex, p.OptString("sex"));
  if (sex && !sex->empty()) {
    MALCHIN_ASSIGN_OR_RETURN(c.sex, registry::ParseSex(*sex));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto year, p.OptInt("birth_year", 1900, 2199));
  c.birth_year = static_cast<int32_t>(year.value_or(0));
  MALCHIN_ASSIGN_OR_RETURN(auto staff, p.OptBool("staff"));
  c.staff = staff.value_or(false);
  MALCHIN_ASSIGN_OR_RETURN(auto contact, p.OptString("contact"));
  MALCHIN_ASSIGN_OR_RETURN(
      c.contact,
      grievance::ParseContact(contact.value_or(
          c.anonymous ? "none" : (c.phone.empty() ? "letter" : "sms"))));
  return p.Finish();
}

json ReceiptJson(const grievance::IntakeReceipt& r) {
  json j = {{"reference", r.reference},
            {"confidential", r.confidential},
            {"visible", r.visible_to_recorder},
            {"already_received", r.already_received},
            {"acknowledge_by", r.acknowledge_by.ToString()},
            {"resolve_by", r.resolve_by.ToString()}};
  if (r.visible_to_recorder) j["id"] = r.id;
  if (!r.tracking_code.empty()) j["tracking_code"] = r.tracking_code;
  return j;
}

json CaseSummary(const grievance::Case& c) {
  return {{"id", c.id},
          {"reference", c.reference},
          {"channel", grievance::ChannelName(c.channel)},
          {"category", c.category},
          {"confidential", c.confidential},
          {"state", grievance::CaseStateName(c.state)},
          {"level", grievance::LevelName(c.level)},
          {"soum_code", c.soum_code},
          {"anonymous", c.complainant.anonymous},
          {"received_on", c.received_on.ToString()},
          {"acknowledge_by", c.acknowledge_by.ToString()},
          {"resolve_by", c.resolve_by.ToString()},
          {"acknowledged_on", OptDate(c.acknowledged_on)},
          {"decided_on", OptDate(c.decided_on)},
          {"closed_on", OptDate(c.closed_on)},
          {"escalated_on", OptDate(c.escalated_on)},
          {"assigned_to", c.assigned_to},
          {"version", c.version}};
}

json CategoryJson(const grievance::Category& c) {
  return {{"code", c.code},
          {"name_mn", c.name_mn},
          {"name_en", c.name_en},
          {"description_mn", c.description_mn},
          {"description_en", c.description_en},
          {"sensitive", c.sensitive},
          {"active", c.active},
          {"source", c.source}};
}

json ServiceJson(const grievance::ReferralService& s) {
  return {{"code", s.code},
          {"kind", s.kind},
          {"area_code", s.area_code},
          {"name_mn", s.name_mn},
          {"name_en", s.name_en},
          {"phone", s.phone},
          {"hours", s.hours},
          {"address_mn", s.address_mn},
          {"address_en", s.address_en},
          {"note_mn", s.note_mn},
          {"note_en", s.note_en},
          {"source", s.source},
          {"confidence", s.confidence},
          {"verified", s.verified},
          {"active", s.active}};
}

json CaseViewJson(const grievance::CaseView& v) {
  const grievance::Case& c = v.c;
  json j = CaseSummary(c);
  j["complainant"] = ComplainantJson(c.complainant);
  j["subject"] = {{"kind", grievance::SubjectKindName(c.subject_kind)},
                  {"ref", c.subject_ref}};
  j["accused_officer"] = c.accused_officer;
  j["summary"] = c.summary;
  j["outcome"] = c.outcome;
  j["recorded_by"] = c.recorded_by;
  j["received_at"] = c.received_at;
  j["category_detail"] = CategoryJson(v.category);
  j["actions"] = json::array();
  for (auto a : v.actions) j["actions"].push_back(grievance::ActionName(a));
  j["events"] = json::array();
  for (const auto& e : v.events) j["events"].push_back(EventJson(e));
  j["attachments"] = json::array();
  for (const auto& a : v.attachments) {
    j["attachments"].push_back({{"id", a.id},
                                {"file_name", a.file_name},
                                {"content_type", a.content_type},
                                {"size", a.size},
                                {"sha256", a.sha256},
                                {"added_by", a.added_by},
                                {"added_at", a.added_at}});
  }
  j["notices"] = json::array();
  for (const auto& n : v.notices) {
    j["notices"].push_back(
        {{"id", n.id},
         {"kind", grievance::NoticeKindName(n.kind)},
         {"channel", grievance::NoticeChannelName(n.channel)},
         {"language", n.language},
         {"status", grievance::NoticeStatusName(n.status)},
         {"created_at", n.created_at},
         {"created_by", n.created_by},
         {"text", n.text}});
  }
  j["consents"] = json::array();
  for (const auto& k : v.consents) {
    j["consents"].push_back({{"id", k.id},
                             {"given", k.given},
                             {"share_contact", k.share_contact},
                             {"share_details", k.share_details},
                             {"how", k.how},
                             {"note", k.note},
                             {"recorded_by", k.recorded_by},
                             {"recorded_at", k.recorded_at}});
  }
  j["referrals"] = json::array();
  for (const auto& r : v.referrals) {
    j["referrals"].push_back({{"id", r.id},
                              {"service", r.service_code},
                              {"shares_contact", r.shares_contact},
                              {"shares_details", r.shares_details},
                              {"consent_id", r.consent_id},
                              {"note", r.note},
                              {"referred_by", r.referred_by},
                              {"referred_at", r.referred_at}});
  }
  j["fixes"] = json::array();
  for (const auto& f : v.fixes) {
    j["fixes"].push_back({{"id", f.fix.id},
                          {"kind", grievance::FixKindName(f.fix.kind)},
                          {"capability", grievance::FixCapability(f.fix.kind)},
                          {"target", f.fix.target},
                          {"external_id", f.fix.external_id},
                          {"note", f.fix.note},
                          {"requested_by", f.fix.requested_by},
                          {"requested_at", f.fix.requested_at},
                          {"state", f.state}});
  }
  j["services"] = json::array();
  for (const auto& s : v.services) j["services"].push_back(ServiceJson(s));
  return j;
}

}  // namespace malchin::api
