// Intake from every channel: the checks, the deadlines, the record.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/accounts.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "core/text.h"
#include "grievance/service.h"
#include "grievance/workflow.h"
#include "registry/model.h"

namespace malchin::grievance {
namespace {

using nlohmann::json;

Status Field(const std::string& field, const std::string& value,
             const std::string& expected) {
  return Status::InvalidArgument(
      field + " '" + value + "': expected " + expected, field);
}

Status CheckComplainant(Complainant& c, int year_now) {
  if (c.anonymous) {
    for (const auto& [v, f] : {std::pair{&c.register_no, "register_no"},
                               {&c.name, "name"},
                               {&c.phone, "phone"},
                               {&c.address, "address"}}) {
      if (!v->empty()) {
        return Status::InvalidArgument(
            std::string(f) +
                ": an anonymous complaint keeps no name, register number, "
                "phone or address; leave it empty or do not mark it anonymous",
            f);
      }
    }
    c.contact = Contact::kNone;
  }
  if (!c.register_no.empty()) {
    c.register_no = registry::NormalizeRegisterNumber(c.register_no);
    auto info = registry::ParseRegisterNumber(c.register_no);
    if (!info.ok()) {
      return Field("register_no", c.register_no, info.status().message());
    }
    if (c.sex && *c.sex != info->sex) {
      return Field("sex", std::string(registry::SexCode(*c.sex)),
                   std::string(registry::SexCode(info->sex)) +
                       ", as register number " + c.register_no + " says");
    }
    if (c.birth_year && c.birth_year != info->birth_date.year()) {
      return Field("birth_year", std::to_string(c.birth_year),
                   std::to_string(info->birth_date.year()) +
                       ", as register number " + c.register_no + " says");
    }
    c.sex = info->sex;
    c.birth_year = info->birth_date.year();
  }
  if (c.birth_year != 0 && (c.birth_year < 1900 || c.birth_year > year_now)) {
    return Field("birth_year", std::to_string(c.birth_year),
                 "a year from 1900 to " + std::to_string(year_now));
  }
  bool digits = std::all_of(c.phone.begin(), c.phone.end(),
                            [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!c.phone.empty() && (c.phone.size() != 8 || !digits)) {
    return Field("phone", c.phone, "8 digits, or empty");
  }
  if (c.contact == Contact::kSms && c.phone.empty()) {
    return Status::InvalidArgument(
        "contact: an answer by SMS needs the phone number", "contact");
  }
  MALCHIN_RETURN_IF_ERROR(CheckFreeText("name", c.name, 200, false));
  return CheckFreeText("address", c.address, 500, true);
}

}  // namespace

Result<Case> Service::NewCase(const IntakeRequest& r) {
  const store::Caller& caller = session_.caller();
  bool self_service = r.channel == Channel::kWeb || r.channel == Channel::kSms;
  if (!self_service) {
    auto role = auth::ParseRole(caller.role);
    if (!role.ok() ||
        !auth::Allows(*role, auth::Permission::kRecordGrievance)) {
      return Status::PermissionDenied(
          "recording a complaint needs the record_grievance permission; " +
          caller.actor + " acts without it");
    }
  }
  Case c;
  c.channel = r.channel;
  MALCHIN_ASSIGN_OR_RETURN(auto categories, AllCategories());
  const Category* cat = FindCategory(categories, r.category);
  if (cat == nullptr || !cat->active) {
    std::string list;
    for (const Category& k : categories) {
      if (k.active) list += (list.empty() ? "" : ", ") + k.code;
    }
    return Field("category", r.category, "one of " + list);
  }
  c.category = cat->code;
  c.confidential = cat->sensitive || r.confidential;
  if (ctx_.geo->FindSoum(r.soum_code) == nullptr) {
    return Field("soum_code", std::to_string(r.soum_code),
                 "the 5-digit code of a soum or district");
  }
  if (!caller.area.Matches(r.soum_code)) {
    return Status::PermissionDenied("soum " + std::to_string(r.soum_code) +
                                    " is outside the area of " + caller.actor +
                                    "; the office of that soum records it");
  }
  c.soum_code = r.soum_code;
  if (r.summary.empty()) {
    return Status::InvalidArgument("summary: expected the complaint's text",
                                   "summary");
  }
  MALCHIN_RETURN_IF_ERROR(
      CheckFreeText("summary", r.summary, kMaxSummaryBytes, true));
  c.summary = r.summary;
  c.complainant = r.complainant;
  const Date today = Today();
  MALCHIN_RETURN_IF_ERROR(CheckComplainant(c.complainant, today.year()));
  MALCHIN_RETURN_IF_ERROR(CheckSubject(r, &c));
  c.received_on = r.received_on.value_or(today);
  MALCHIN_ASSIGN_OR_RETURN(Date earliest,
                           EarliestReceivedOn(*ctx_.params, today));
  if (c.received_on > today || c.received_on < earliest) {
    return Field(
        "received_on", c.received_on.ToString(),
        "a date from " + earliest.ToString() + " to today " + today.ToString());
  }
  c.received_at =
      r.received_on ? c.received_on.ToString() + "T00:00:00Z" : Now();
  c.recorded_by = caller.actor;
  c.external_id = r.external_id;
  MALCHIN_ASSIGN_OR_RETURN(
      Deadlines d, DeadlinesFor(*ctx_.params, c.received_on, c.confidential));
  c.acknowledge_by = d.acknowledge_by;
  c.resolve_by = d.resolve_by;
  return c;
}

Status Service::CheckSubject(const IntakeRequest& r, Case* c) {
  c->subject_kind = r.subject_kind;
  c->subject_ref = r.subject_ref;
  const std::string& ref = r.subject_ref;
  switch (r.subject_kind) {
    case SubjectKind::kNone:
      if (!ref.empty()) {
        return Field("subject_ref", ref, "empty when subject_kind is none");
      }
      return Status::Ok();
    case SubjectKind::kPerson: {
      c->subject_ref = registry::NormalizeRegisterNumber(ref);
      auto p = registry::ParseRegisterNumber(c->subject_ref);
      if (!p.ok()) return Field("subject_ref", ref, p.status().message());
      return Status::Ok();
    }
    case SubjectKind::kHousehold:
      if (!registry::IsValidHouseholdId(ref)) {
        return Field("subject_ref", ref, "a household id");
      }
      return Status::Ok();
    case SubjectKind::kOfficer: {
      if (ref == session_.caller().actor) {
        return Status::PermissionDenied(
            "you cannot record a complaint about yourself; another officer "
            "or the hotline records it");
      }
      MALCHIN_ASSIGN_OR_RETURN(
          auto user, session_.Get<auth::AccountRepository>().FindUser(ref));
      if (!user) {
        return Field("subject_ref", ref,
                     "the user name of an officer (describe others in the "
                     "summary)");
      }
      c->accused_officer = ref;
      return Status::Ok();
    }
    default:
      if (ref.empty() || ref.size() > 64) {
        return Field("subject_ref", ref, "a reference of 1-64 characters");
      }
      return CheckFreeText("subject_ref", ref, 64, false);
  }
}

Result<IntakeReceipt> Service::Intake(const IntakeRequest& request) {
  MALCHIN_ASSIGN_OR_RETURN(Case c, NewCase(request));
  IntakeReceipt receipt;
  receipt.confidential = c.confidential;
  receipt.acknowledge_by = c.acknowledge_by;
  receipt.resolve_by = c.resolve_by;
  if (!c.external_id.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(bool taken,
                             repo_.ExternalIdTaken(c.channel, c.external_id));
    if (taken) {
      receipt.already_received = true;
      return receipt;
    }
  }
  if (c.channel == Channel::kWeb) {
    std::string token = auth::NewSessionToken();
    receipt.tracking_code = text::ToUpper(token.substr(0, 10));
    c.tracking_hash = store::Sha256Hex(receipt.tracking_code);
  }
  Status st = session_.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(Case stored, repo_.InsertCase(c));
    CaseEvent e;
    e.case_id = stored.id;
    e.at = stored.received_at;
    e.actor = stored.recorded_by;
    e.kind = EventKind::kReceived;
    e.to = CaseState::kReceived;
    e.text = std::string(ChannelName(stored.channel));
    MALCHIN_RETURN_IF_ERROR(repo_.AddEvent(e).status());
    json detail = {{"channel", ChannelName(stored.channel)},
                   {"category", stored.category},
                   {"soum_code", stored.soum_code},
                   {"anonymous", stored.complainant.anonymous}};
    MALCHIN_RETURN_IF_ERROR(AuditCase(stored, "grievance.intake", detail));
    c = std::move(stored);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kAlreadyExists && !c.external_id.empty()) {
    receipt.already_received = true;  // A repeat that raced the first.
    receipt.tracking_code.clear();
    return receipt;
  }
  MALCHIN_RETURN_IF_ERROR(st);
  receipt.id = c.id;
  receipt.reference = c.reference;
  receipt.visible_to_recorder =
      CanSee(ViewerOf(session_.caller()), HeaderOf(c));
  return receipt;
}

Result<IntakeReceipt> Service::IntakeSms(const std::string& from_phone,
                                         const std::string& text,
                                         const std::string& message_id,
                                         int32_t soum_code) {
  IntakeRequest r;
  r.channel = Channel::kSms;
  r.category = "other";
  r.soum_code = soum_code;
  r.summary = text;
  r.complainant.phone = from_phone;
  r.complainant.contact = Contact::kSms;
  if (!message_id.empty()) r.external_id = "sms:" + message_id;
  return Intake(r);
}

Result<BatchReport> Service::ImportBatch(const std::string& file_name,
                                         const std::string& data) {
  MALCHIN_ASSIGN_OR_RETURN(BatchParse parsed, ParseBatch(file_name, data));
  BatchReport report;
  report.file = file_name;
  report.rows = parsed.rows.size();
  report.problems = std::move(parsed.problems);
  std::vector<IntakeRequest> requests;
  for (const BatchRow& row : parsed.rows) {
    IntakeRequest r;
    r.channel = Channel::kBatch;
    r.category = row.category;
    r.soum_code = row.soum_code;
    r.summary = row.summary;
    r.complainant = row.complainant;
    r.subject_kind = row.subject_kind;
    r.subject_ref = row.subject_ref;
    r.confidential = row.confidential;
    r.external_id = row.external_id;
    if (row.has_date) r.received_on = row.received_on;
    // The same checks as the intake itself, row by row, before anything.
    auto checked = NewCase(r);
    if (!checked.ok()) {
      report.problems.push_back(
          {row.line, checked.status().field(), "", checked.status().message()});
    }
    requests.push_back(std::move(r));
  }
  std::sort(report.problems.begin(), report.problems.end(),
            [](const auto& a, const auto& b) { return a.line < b.line; });
  if (!report.problems.empty()) return report;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    report.imported = report.already_imported = 0;
    report.references.clear();
    for (const IntakeRequest& r : requests) {
      MALCHIN_ASSIGN_OR_RETURN(IntakeReceipt got, Intake(r));
      if (got.already_received) {
        ++report.already_imported;
      } else {
        ++report.imported;
        report.references.push_back(got.reference);
      }
    }
    return Status::Ok();
  }));
  return report;
}

}  // namespace malchin::grievance
