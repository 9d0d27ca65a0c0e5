// Grievance redress over HTTP, what is attached to a case: attachments (the
// file itself as the body), the complainant's consent, referrals to the
// directory's services, fixes asked of the owning capability, and the
// letters to print (docs/grievance.md, "HTTP API"). A case the caller may
// not see is a 404 here as everywhere.
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/grievance_json.h"
#include "api/json_input.h"
#include "grievance/service.h"

namespace malchin::api {

using nlohmann::json;

namespace {

constexpr size_t kMaxAttachmentBody = size_t{5} << 20;

// The service and the case id of a request on /api/v1/grievances/{id}/...
struct On {
  grievance::Service service;
  int64_t id;
};
Result<On> Open(Call& c) {
  MALCHIN_RETURN_IF_ERROR(RequireHandler(c.who));
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, PathId(c.request.params["id"], "id"));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Service service, GrievanceService(c));
  return On{std::move(service), id};
}

// RFC 5987 value: unreserved bytes as they are, the rest %XX.
std::string PercentEncoded(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
                 ch == '_' || ch == '~';
    if (plain) {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

// The letter as a page to print: its text in a <pre>, escaped.
std::string LetterPage(const std::string& reference, const std::string& text) {
  std::string escaped;
  for (char ch : text) {
    switch (ch) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += ch;
    }
  }
  return "<!doctype html><html lang=\"mn\"><head><meta charset=\"utf-8\">"
         "<title>" +
         reference +
         "</title></head><body style=\"margin:2.5cm;"
         "font-family:serif;font-size:12pt\"><pre style=\"white-space:"
         "pre-wrap;font-family:inherit\">" +
         escaped + "</pre></body></html>";
}

Result<grievance::FixRequest> FixFrom(JsonInput& in) {
  grievance::FixRequest f;
  MALCHIN_ASSIGN_OR_RETURN(std::string kind, in.String("kind"));
  MALCHIN_ASSIGN_OR_RETURN(f.kind, grievance::ParseFixKind(kind));
  MALCHIN_ASSIGN_OR_RETURN(f.note, in.String("note"));
  MALCHIN_ASSIGN_OR_RETURN(auto hh, in.OptString("household_id"));
  f.household_id = hh.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto rn, in.OptString("register_no"));
  f.register_no = rn.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto entry, in.OptInt("entry_id", 1, INT64_MAX / 2));
  f.entry_id = entry.value_or(0);
  MALCHIN_ASSIGN_OR_RETURN(auto pay, in.OptString("payment_reference"));
  f.payment_reference = pay.value_or("");
  if (in.Has("changes")) {
    MALCHIN_ASSIGN_OR_RETURN(auto changes, in.ObjectArray("changes", 50));
    for (JsonInput& ch : changes) {
      grievance::FixRequest::Change x;
      MALCHIN_ASSIGN_OR_RETURN(x.field, ch.String("field"));
      MALCHIN_ASSIGN_OR_RETURN(x.from, ch.String("from"));
      MALCHIN_ASSIGN_OR_RETURN(x.to, ch.String("to"));
      MALCHIN_RETURN_IF_ERROR(ch.Finish());
      f.changes.push_back(std::move(x));
    }
  }
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  return f;
}

void AddAttachments(Api* api) {
  http::RouteDoc add = GrievanceDoc(
      "Attach a file (the body; Content-Type its type; ?name= its name; at "
      "most 5 MiB)",
      {{201, "The attachment"}});
  add.query = {{"name", "query", "the file's name", true, "string"}};
  api->Add(
      "POST", "/api/v1/grievances/{id}/attachments", add, std::nullopt,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"name"}));
        std::string type(c.request.Header("content-type"));
        type = type.substr(0, type.find(';'));
        MALCHIN_ASSIGN_OR_RETURN(
            grievance::Attachment a,
            on.service.Attach(on.id, c.request.Query("name").value_or(""), type,
                              c.request.body));
        return JsonResponse(201, {{"id", a.id},
                                  {"file_name", a.file_name},
                                  {"size", a.size},
                                  {"sha256", a.sha256}});
      },
      kMaxAttachmentBody + 1);
  api->Add(
      "GET", "/api/v1/grievances/{id}/attachments/{attachment}",
      GrievanceDoc(
          "An attached file (a read of a confidential case is audited)",
          {{200, "The file"}}),
      std::nullopt, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(
            int64_t aid, PathId(c.request.params["attachment"], "attachment"));
        MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, on.service.Get(on.id));
        std::string type = "application/octet-stream", name = "attachment";
        for (const auto& a : v.attachments) {
          if (a.id == aid) {
            type = a.content_type;
            name = a.file_name;
          }
        }
        MALCHIN_ASSIGN_OR_RETURN(std::string bytes,
                                 on.service.AttachmentContent(on.id, aid));
        http::Response r = http::Response::Text(200, std::move(bytes), type);
        r.SetHeader("Content-Disposition",
                    "attachment; filename=\"attachment-" + std::to_string(aid) +
                        "\"; filename*=UTF-8''" + PercentEncoded(name));
        return r;
      });
}

void AddConsentReferralFix(Api* api) {
  api->Add(
      "POST", "/api/v1/grievances/{id}/consents",
      GrievanceDoc(
          "Record the complainant's consent (or refusal) to share their "
          "contact or what happened with a service",
          {{201, "Recorded"}}),
      std::nullopt, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        grievance::Consent k;
        MALCHIN_ASSIGN_OR_RETURN(k.given, in.Bool("given"));
        MALCHIN_ASSIGN_OR_RETURN(auto contact, in.OptBool("share_contact"));
        MALCHIN_ASSIGN_OR_RETURN(auto details, in.OptBool("share_details"));
        MALCHIN_ASSIGN_OR_RETURN(k.how, in.String("how"));
        MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        k.share_contact = contact.value_or(false);
        k.share_details = details.value_or(false);
        k.note = note.value_or("");
        MALCHIN_ASSIGN_OR_RETURN(k, on.service.RecordConsent(on.id, k));
        return JsonResponse(201, {{"id", k.id}, {"given", k.given}});
      });
  api->Add(
      "POST", "/api/v1/grievances/{id}/referrals",
      GrievanceDoc(
          "Refer to a service of the directory for the case's soum (sharing "
          "contact or details needs the consent first; decide: also decide "
          "the case as referred)",
          {{201, "Referred"}, {409, "No consent that covers what is shared"}}),
      std::nullopt, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        grievance::ReferralRequest r;
        MALCHIN_ASSIGN_OR_RETURN(r.service_code, in.String("service"));
        MALCHIN_ASSIGN_OR_RETURN(auto contact, in.OptBool("share_contact"));
        MALCHIN_ASSIGN_OR_RETURN(auto details, in.OptBool("share_details"));
        MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
        MALCHIN_ASSIGN_OR_RETURN(auto decide, in.OptBool("decide"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        r.share_contact = contact.value_or(false);
        r.share_details = details.value_or(false);
        r.note = note.value_or("");
        r.decide = decide.value_or(false);
        MALCHIN_ASSIGN_OR_RETURN(grievance::Referral got,
                                 on.service.Refer(on.id, r));
        return JsonResponse(201, {{"id", got.id},
                                  {"service", got.service_code},
                                  {"consent_id", got.consent_id}});
      });
  api->Add("POST", "/api/v1/grievances/{id}/fixes",
           GrievanceDoc(
               "Ask the owning capability for the fix the resolution needs: "
               "register_correction (household_id, register_no, changes "
               "[{field, from, to}]), insurance_correction (entry_id), "
               "payment_hold / payment_reissue (payment_reference); a second "
               "officer of that capability decides",
               {{201, "Asked: its state as its owner knows it"}}),
           std::nullopt, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
             MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                      JsonInput::Parse(c.request.body));
             MALCHIN_ASSIGN_OR_RETURN(grievance::FixRequest f, FixFrom(in));
             MALCHIN_ASSIGN_OR_RETURN(grievance::FixView v,
                                      on.service.RequestFix(on.id, f));
             return JsonResponse(
                 201, {{"id", v.fix.id},
                       {"kind", grievance::FixKindName(v.fix.kind)},
                       {"capability", grievance::FixCapability(v.fix.kind)},
                       {"external_id", v.fix.external_id},
                       {"state", v.state}});
           });
}

void AddLetters(Api* api) {
  api->Add(
      "GET", "/api/v1/grievances/{id}/notices/{notice}/letter",
      GrievanceDoc("A letter to the complainant as a page to print (Mongolian)",
                   {{200, "text/html"}}),
      std::nullopt, [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(int64_t nid,
                                 PathId(c.request.params["notice"], "notice"));
        MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, on.service.Get(on.id));
        for (const auto& n : v.notices) {
          if (n.id == nid && n.channel == grievance::NoticeChannel::kLetter) {
            return http::Response::Text(200, LetterPage(v.c.reference, n.text),
                                        "text/html; charset=utf-8");
          }
        }
        return Status::NotFound("complaint " + v.c.reference +
                                " has no letter " + std::to_string(nid));
      });
  api->Add("POST", "/api/v1/grievances/{id}/notices/{notice}/printed",
           GrievanceDoc("Mark a letter printed (handed over or posted)",
                        {{200, "Marked"}}),
           std::nullopt, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(On on, Open(c));
             MALCHIN_ASSIGN_OR_RETURN(
                 int64_t nid, PathId(c.request.params["notice"], "notice"));
             MALCHIN_RETURN_IF_ERROR(on.service.MarkPrinted(on.id, nid));
             return JsonResponse(200, {{"notice", nid}, {"status", "printed"}});
           });
}

}  // namespace

void AddGrievanceRecordsRoutes(Api* api) {
  AddAttachments(api);
  AddConsentReferralFix(api);
  AddLetters(api);
}

}  // namespace malchin::api
