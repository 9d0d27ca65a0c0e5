// The service's shared machinery (one change = one locked, audited Write)
// and its reads.
#include "grievance/service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/password.h"
#include "grievance/workflow.h"
#include "store/audit.h"

namespace malchin::embedded {
extern const std::string_view kGrievanceLettersJson;
}  // namespace malchin::embedded

namespace malchin::grievance {

using nlohmann::json;

Result<Context> Context::Embedded() {
  Context c;
  MALCHIN_ASSIGN_OR_RETURN(c.params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(c.geo, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(c.sms, channel::TemplateCatalogue::Embedded());
  static const Result<std::shared_ptr<const channel::TemplateCatalogue>>
      kLetters = channel::TemplateCatalogue::Parse(
          embedded::kGrievanceLettersJson, "src/grievance/data/letters.json",
          2000);
  MALCHIN_ASSIGN_OR_RETURN(c.letters, kLetters);
  return c;
}

Service::Service(store::Session& session, const Context& context)
    : session_(session), ctx_(context), repo_(session.Get<Repository>()) {}

std::string Service::Now() const { return session_.clock().NowIso(); }
Date Service::Today() const { return session_.clock().Today(); }

Result<Case> Service::Find(int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(auto c, repo_.FindCase(id));
  if (!c) {
    return Status::NotFound("complaint " + std::to_string(id) +
                            " does not exist");
  }
  return std::move(*c);
}

Status Service::AuditCase(const Case& c, const std::string& action,
                          const json& detail) {
  json after = {{"reference", c.reference},
                {"state", CaseStateName(c.state)},
                {"level", LevelName(c.level)},
                {"version", c.version}};
  if (!c.confidential) {
    for (auto& [k, v] : detail.items()) after[k] = v;
  } else {
    // Never the content of a confidential case, nor who is in it.
    after["confidential"] = true;
  }
  store::AuditEntry e;
  e.action = action;
  e.entity_type = "grievance";
  e.entity_id = std::to_string(c.id);
  if (!c.confidential && !c.complainant.register_no.empty()) {
    e.register_no = c.complainant.register_no;
  }
  e.after_json = after.dump(-1, ' ', false, json::error_handler_t::replace);
  return session_.Audit(std::move(e)).status();
}

Status Service::AuditRead(const Case& c, const std::string& what) {
  if (!c.confidential) return Status::Ok();
  return session_.Write([&]() {
    return AuditCase(c, "grievance.read", {{"what", what}});
  });
}

Result<Case> Service::Change(int64_t id, int64_t expected_version,
                             const std::string& action,
                             const ChangeFn& change) {
  Case out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock("grievance:" + std::to_string(id)));
    MALCHIN_ASSIGN_OR_RETURN(Case c, Find(id));
    if (expected_version != 0 && c.version != expected_version) {
      return Status::Conflict("complaint " + c.reference +
                              " changed since you read it (version " +
                              std::to_string(expected_version) + ", now " +
                              std::to_string(c.version) + "); read it again");
    }
    CaseEvent event;
    event.case_id = c.id;
    event.at = Now();
    event.actor = session_.caller().actor;
    json detail = json::object();
    const Case before = c;
    MALCHIN_RETURN_IF_ERROR(change(c, event, detail));
    if (c == before && event.text.empty() && detail.empty()) {
      out = std::move(c);  // Nothing to do after all (decided under lock).
      return Status::Ok();
    }
    // A note or an attachment leaves the row (and its version) as it was.
    if (!(c == before)) {
      MALCHIN_ASSIGN_OR_RETURN(c.version, repo_.UpdateCase(c));
    }
    MALCHIN_RETURN_IF_ERROR(repo_.AddEvent(event).status());
    MALCHIN_RETURN_IF_ERROR(AuditCase(c, action, detail));
    out = std::move(c);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Category>> Service::AllCategories() {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, ShippedCategories());
  MALCHIN_ASSIGN_OR_RETURN(auto stored, repo_.StoredCategories());
  return MergeCategories(std::move(shipped), stored);
}

Result<std::vector<Category>> Service::Categories() { return AllCategories(); }

Result<std::vector<ReferralService>> Service::Directory() {
  MALCHIN_ASSIGN_OR_RETURN(auto shipped, ShippedDirectory(*ctx_.geo));
  MALCHIN_ASSIGN_OR_RETURN(auto stored, repo_.StoredServices());
  return MergeDirectory(std::move(shipped), stored);
}

Result<CaseView> Service::View(Case c) {
  CaseView v;
  MALCHIN_ASSIGN_OR_RETURN(auto categories, AllCategories());
  if (const Category* cat = FindCategory(categories, c.category)) {
    v.category = *cat;
  } else {
    v.category.code = c.category;
    v.category.name_mn = v.category.name_en = c.category;
  }
  v.actions = ActionsFrom(c.state);
  MALCHIN_ASSIGN_OR_RETURN(v.events, repo_.Events(c.id));
  MALCHIN_ASSIGN_OR_RETURN(v.attachments, repo_.Attachments(c.id));
  MALCHIN_ASSIGN_OR_RETURN(v.notices, repo_.Notices(c.id));
  MALCHIN_ASSIGN_OR_RETURN(v.consents, repo_.Consents(c.id));
  MALCHIN_ASSIGN_OR_RETURN(v.referrals, repo_.Referrals(c.id));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Fix> fixes, repo_.Fixes(c.id));
  for (Fix& f : fixes) {
    MALCHIN_ASSIGN_OR_RETURN(std::string state, FixState(f));
    v.fixes.push_back({std::move(f), std::move(state)});
  }
  MALCHIN_ASSIGN_OR_RETURN(auto directory, Directory());
  v.services = ServicesFor(directory, c.soum_code);
  MALCHIN_RETURN_IF_ERROR(AuditRead(c, "case"));
  v.c = std::move(c);
  return v;
}

Result<CaseView> Service::Get(int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(Case c, Find(id));
  return View(std::move(c));
}

Result<CaseView> Service::GetByReference(const std::string& reference) {
  MALCHIN_ASSIGN_OR_RETURN(auto c, repo_.FindByReference(reference));
  if (!c) {
    return Status::NotFound("complaint " + reference + " does not exist");
  }
  return View(std::move(*c));
}

Result<CasePage> Service::List(const CaseQuery& query) {
  MALCHIN_ASSIGN_OR_RETURN(CasePage page, repo_.ListCases(query));
  // One transaction for the reads of every confidential case shown (none,
  // and no write, for a list without one).
  bool any = std::any_of(page.items.begin(), page.items.end(),
                         [](const Case& c) { return c.confidential; });
  if (!any) return page;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    for (const Case& c : page.items) {
      MALCHIN_RETURN_IF_ERROR(AuditRead(c, "list"));
    }
    return Status::Ok();
  }));
  return page;
}

Result<std::string> Service::AttachmentContent(int64_t case_id, int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(Case c, Find(case_id));
  MALCHIN_ASSIGN_OR_RETURN(std::string bytes,
                           repo_.AttachmentContent(case_id, id));
  MALCHIN_RETURN_IF_ERROR(AuditRead(c, "attachment " + std::to_string(id)));
  return bytes;
}

Result<Tracking> Service::Track(const std::string& reference,
                                const std::string& tracking_code) {
  auto not_found = Status::NotFound("no complaint " + reference +
                                    " with that tracking code");
  if (reference.empty() || tracking_code.empty()) return not_found;
  Case c;
  {
    Repository::SystemJobScope all(repo_);
    store::SystemScope national(session_);
    MALCHIN_ASSIGN_OR_RETURN(auto found, repo_.FindByReference(reference));
    if (!found || found->tracking_hash.empty() ||
        found->tracking_hash != store::Sha256Hex(tracking_code)) {
      return not_found;
    }
    c = std::move(*found);
  }
  Tracking t;
  t.reference = c.reference;
  t.state = c.state;
  t.received_on = c.received_on;
  t.resolve_by = c.resolve_by;
  if (IsDecided(c.state) || c.state == CaseState::kClosed) {
    MALCHIN_ASSIGN_OR_RETURN(t.answer,
                             Letter(c, NoticeKind::kOutcome, "mn", ""));
  }
  return t;
}

}  // namespace malchin::grievance
