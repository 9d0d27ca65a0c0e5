// Survivor-centred referral: consent first, then a service of the
// directory; and the ministry's additions to the catalogue.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "grievance/service.h"
#include "grievance/workflow.h"

namespace malchin::grievance {
namespace {

using nlohmann::json;

// The catalogue belongs to the ministry: national officers and national
// focal points change it.
Status RequireNational(const store::Session& session) {
  Viewer v = ViewerOf(session.caller());
  if ((v.ordinary || v.confidential) && v.area.national()) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      "the grievance catalogue is changed by national officers and national "
      "focal points only; " +
      session.caller().actor + " is not one");
}

// Stores every entry of the catalogue (`put`) with an audit entry each
// (`entity`.put, after `describe`), in one transaction.
template <class T, class Put, class Describe>
Result<int> PutAll(store::Session& session, const std::vector<T>& items,
                   const std::string& entity, Put put, Describe describe) {
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    for (const T& item : items) {
      MALCHIN_RETURN_IF_ERROR(put(item));
      store::AuditEntry e;
      e.action = "grievance." + entity.substr(entity.find('_') + 1) + ".put";
      e.entity_type = entity;
      e.entity_id = item.code;
      e.after_json = describe(item).dump();
      MALCHIN_RETURN_IF_ERROR(session.Audit(std::move(e)).status());
    }
    return Status::Ok();
  }));
  return static_cast<int>(items.size());
}

}  // namespace

Result<Consent> Service::RecordConsent(int64_t id, const Consent& request) {
  if (request.how != "verbal" && request.how != "written") {
    return Status::InvalidArgument(
        "how '" + request.how + "': expected verbal or written", "how");
  }
  if (!request.given && (request.share_contact || request.share_details)) {
    return Status::InvalidArgument(
        "a refusal shares nothing: share_contact and share_details must be "
        "false when consent is not given",
        "given");
  }
  if (request.note.size() > 2000) {
    return Status::InvalidArgument("note: at most 2000 bytes", "note");
  }
  Consent c = request;
  c.case_id = id;
  c.recorded_by = session_.caller().actor;
  MALCHIN_RETURN_IF_ERROR(
      Change(id, 0, "grievance.consent",
             [&](Case&, CaseEvent& e, json& detail) -> Status {
               c.recorded_at = e.at;
               MALCHIN_ASSIGN_OR_RETURN(c.id, repo_.AddConsent(c));
               e.kind = EventKind::kConsent;
               e.text = std::string(c.given ? "given" : "refused") +
                        (c.share_contact ? ", contact" : "") +
                        (c.share_details ? ", details" : "") + " (" + c.how +
                        ")";
               detail = {{"given", c.given},
                         {"share_contact", c.share_contact},
                         {"share_details", c.share_details},
                         {"how", c.how}};
               return Status::Ok();
             })
          .status());
  return c;
}

Result<Referral> Service::Refer(int64_t id, const ReferralRequest& request) {
  if (request.note.size() > 2000) {
    return Status::InvalidArgument("note: at most 2000 bytes", "note");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto directory, Directory());
  Referral r;
  r.case_id = id;
  r.service_code = request.service_code;
  r.shares_contact = request.share_contact;
  r.shares_details = request.share_details;
  r.note = request.note;
  r.referred_by = session_.caller().actor;
  const std::string action =
      request.decide ? "grievance.refer" : "grievance.referral";
  MALCHIN_RETURN_IF_ERROR(
      Change(id, 0, action, [&](Case& c, CaseEvent& e, json& detail) -> Status {
        auto services = ServicesFor(directory, c.soum_code);
        auto s = std::find_if(services.begin(), services.end(),
                              [&](const ReferralService& x) {
                                return x.code == request.service_code;
                              });
        if (s == services.end()) {
          return Status::InvalidArgument(
              "service '" + request.service_code +
                  "': expected an active service of the directory for "
                  "this soum (national, its aimag's or its own)",
              "service");
        }
        if (r.shares_contact || r.shares_details) {
          MALCHIN_ASSIGN_OR_RETURN(auto consents, repo_.Consents(c.id));
          const Consent* last = consents.empty() ? nullptr : &consents.back();
          if (last == nullptr || !last->given ||
              (r.shares_contact && !last->share_contact) ||
              (r.shares_details && !last->share_details)) {
            return Status::FailedPrecondition(
                "a referral that shares the complainant's contact or "
                "what happened needs their consent to that, recorded "
                "first; nothing was shared");
          }
          r.consent_id = last->id;
        }
        r.referred_at = e.at;
        MALCHIN_ASSIGN_OR_RETURN(r.id, repo_.AddReferral(r));
        e.kind = EventKind::kReferral;
        e.text = s->code;
        detail = {{"service", s->code},
                  {"shares_contact", r.shares_contact},
                  {"shares_details", r.shares_details}};
        if (!request.decide) return Status::Ok();
        MALCHIN_ASSIGN_OR_RETURN(CaseState to,
                                 NextState(c.state, Action::kRefer));
        e.from = c.state;
        e.to = to;
        c.state = to;
        c.decided_on = Today();
        c.outcome =
            (s->name_mn) + (request.note.empty() ? "" : ". ") + request.note;
        return RenderNotices(c, NoticeKind::kOutcome);
      }).status());
  return r;
}

Result<int> Service::PutCategories(const std::vector<Category>& categories) {
  MALCHIN_RETURN_IF_ERROR(RequireNational(session_));
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, ShippedCategories());
  for (const Category& c : categories) {
    MALCHIN_RETURN_IF_ERROR(CheckCategory(c));
    // A shipped category's sensitivity is policy: never lowered here.
    const Category* was = FindCategory(shipped, c.code);
    if (was != nullptr && was->sensitive && !c.sensitive) {
      return Status::FailedPrecondition(
          "category " + c.code +
          " is sensitive by policy; it cannot be made ordinary");
    }
  }
  return PutAll(
      session_, categories, "grievance_category",
      [&](const Category& c) {
        return repo_.PutCategory(c, session_.caller().actor, Now());
      },
      [](const Category& c) {
        return json({{"name_mn", c.name_mn},
                     {"name_en", c.name_en},
                     {"sensitive", c.sensitive},
                     {"active", c.active},
                     {"source", c.source}});
      });
}

Result<int> Service::PutServices(const std::vector<ReferralService>& services) {
  MALCHIN_RETURN_IF_ERROR(RequireNational(session_));
  for (const ReferralService& s : services) {
    MALCHIN_RETURN_IF_ERROR(CheckService(s, *ctx_.geo));
  }
  return PutAll(
      session_, services, "grievance_service",
      [&](const ReferralService& s) {
        return repo_.PutService(s, session_.caller().actor, Now());
      },
      [](const ReferralService& s) {
        return json({{"kind", s.kind},
                     {"area_code", s.area_code},
                     {"name_mn", s.name_mn},
                     {"phone", s.phone},
                     {"verified", s.verified},
                     {"active", s.active}});
      });
}

}  // namespace malchin::grievance
