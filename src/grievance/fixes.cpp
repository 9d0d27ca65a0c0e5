// The fix a resolution needs, asked of the capability that owns the record,
// through that capability's own maker-checker (never written here):
//   register_correction   registry::ProposeCorrection (a second officer
//                         approves it in the registry)
//   insurance_correction  insurance::RequestCorrection (a second officer
//                         approves the reversal)
//   payment_hold/reissue  response::Transfers::RequestAction on the payment
//                         found by its reference (a hold waits for a second
//                         officer's confirmation there; a re-issue of a
//                         failed or returned payment is recorded at once,
//                         as the response capability's own rule says);
//                         nothing is paid or held by the grievance
//                         capability.
// A confidential case, or one about an officer, is not named to the owner
// (source "grievance", a fixed reason), and the officer it is about may
// never decide the fix (the owner's barred checker).
#include <nlohmann/json.hpp>

#include "auth/roles.h"
#include "grievance/service.h"
#include "insurance/corrections.h"
#include "registry/corrections.h"
#include "response/transfers.h"

namespace malchin::grievance {
namespace {

using nlohmann::json;

// A fix is asked by someone who may ask the owner for it directly (the
// owner's checker still decides it).
Status MayAsk(const store::Caller& caller, FixKind kind) {
  auth::Permission needed;
  if (kind == FixKind::kRegisterCorrection) {
    needed = auth::Permission::kWriteRegister;
  } else if (kind == FixKind::kInsuranceCorrection) {
    needed = auth::Permission::kWriteInsurance;
  } else {
    needed = auth::Permission::kManageResponse;
  }
  auto role = auth::ParseRole(caller.role);
  if (role.ok() && auth::Allows(*role, needed)) return Status::Ok();
  return Status::PermissionDenied("a " + std::string(FixKindName(kind)) +
                                  " is asked by an officer with " +
                                  std::string(auth::PermissionName(needed)) +
                                  "; " + caller.actor + " has not");
}

// What the owning capability is told of a case that must stay hidden
// (confidential, or about an officer who could see the proposal): neither
// the reference nor the note, which the accused officer could read there.
constexpr const char* kHiddenSource = "grievance";
constexpr const char* kHiddenReason =
    "Гомдлын шийдвэрийн дагуу залруулга (гомдлын мэдээллийг нууцална) / "
    "Correction following a complaint's resolution (the complaint is not "
    "disclosed)";

}  // namespace

Result<std::string> Service::FixState(const Fix& f) {
  switch (f.kind) {
    case FixKind::kRegisterCorrection: {
      MALCHIN_ASSIGN_OR_RETURN(
          auto p,
          session_.Get<registry::CorrectionRepository>().Find(f.external_id));
      if (!p) return std::string("unknown");
      return std::string(registry::CorrectionStateName(p->state));
    }
    case FixKind::kInsuranceCorrection: {
      MALCHIN_ASSIGN_OR_RETURN(
          auto r,
          session_.Get<insurance::CorrectionRepository>().Find(f.external_id));
      if (!r) return std::string("unknown");
      return std::string(insurance::CorrectionStateName(r->state));
    }
    case FixKind::kPaymentHold:
    case FixKind::kPaymentReissue: {
      // Unscoped: the case's officers follow the fix they asked for even
      // when the payment's soum is not theirs to act on.
      MALCHIN_ASSIGN_OR_RETURN(
          auto a,
          session_.Get<response::Repository>().FindAction(f.external_id));
      if (!a) return std::string("unknown");
      return std::string(response::Name(a->second.status));
    }
  }
  return std::string("unknown");
}

Result<int64_t> Service::AskPayment(const FixRequest& request,
                                    const std::string& reason,
                                    const std::string& barred) {
  if (request.payment_reference.empty() ||
      request.payment_reference.size() > 64) {
    return Status::InvalidArgument(
        "payment_reference: expected the payment's reference (1-64 "
        "characters)",
        "payment_reference");
  }
  response::Transfers transfers(session_);
  MALCHIN_ASSIGN_OR_RETURN(
      response::PaymentAddress at,
      transfers.FindPayment(request.payment_reference, {}));
  response::Transfers::CaseRequest r;
  r.plan_code = at.plan_code;
  r.installment = at.installment;
  r.register_no = at.register_no;
  r.kind = request.kind == FixKind::kPaymentHold
               ? response::CaseAction::kHold
               : response::CaseAction::kReissue;
  r.reason = reason;
  r.barred_checker = barred;
  MALCHIN_ASSIGN_OR_RETURN(
      response::PaymentAction a,
      transfers.RequestAction(r, session_.caller().actor, {}));
  return a.id;
}

Result<FixView> Service::RequestFix(int64_t id, const FixRequest& request) {
  if (request.note.empty() || request.note.size() > 2000) {
    return Status::InvalidArgument("note: expected why (1-2000 bytes)", "note");
  }
  Fix fix;
  fix.case_id = id;
  fix.kind = request.kind;
  fix.note = request.note;
  fix.requested_by = session_.caller().actor;
  MALCHIN_RETURN_IF_ERROR(
      Change(id, 0, "grievance.fix",
             [&](Case& c, CaseEvent& e, json& detail) -> Status {
               // Asked only of a case the caller sees: one they may not
               // see answers as one that does not exist, before this.
               MALCHIN_RETURN_IF_ERROR(MayAsk(session_.caller(), request.kind));
               // The case is named to the owner only when nobody who must
               // not see it could read it there.
               const bool hidden = c.confidential || !c.accused_officer.empty();
               const std::string source =
                   hidden ? kHiddenSource : "grievance " + c.reference;
               const std::string reason = hidden ? kHiddenReason : request.note;
               fix.requested_at = e.at;
               switch (request.kind) {
                 case FixKind::kRegisterCorrection: {
                   registry::CorrectionProposal p;
                   p.household_id = request.household_id;
                   p.register_no = request.register_no;
                   for (const auto& ch : request.changes) {
                     p.changes.push_back({ch.field, ch.from, ch.to});
                   }
                   p.reason = reason;
                   p.source = source;
                   p.barred_checker = c.accused_officer;
                   MALCHIN_ASSIGN_OR_RETURN(
                       p, registry::ProposeCorrection(session_, std::move(p),
                                                      *ctx_.geo, Today()));
                   fix.target = request.household_id;
                   fix.external_id = p.id;
                   break;
                 }
                 case FixKind::kInsuranceCorrection: {
                   MALCHIN_ASSIGN_OR_RETURN(
                       auto r, insurance::RequestCorrection(
                                   session_, request.entry_id, reason, source,
                                   c.accused_officer));
                   fix.target = std::to_string(request.entry_id);
                   fix.external_id = r.id;
                   break;
                 }
                 case FixKind::kPaymentHold:
                 case FixKind::kPaymentReissue: {
                   MALCHIN_ASSIGN_OR_RETURN(
                       fix.external_id,
                       AskPayment(request, reason, c.accused_officer));
                   fix.target = request.payment_reference;
                   break;
                 }
               }
               MALCHIN_ASSIGN_OR_RETURN(fix.id, repo_.AddFix(fix));
               e.kind = EventKind::kFix;
               e.text = std::string(FixKindName(fix.kind)) + " " + fix.target;
               detail = {{"fix", FixKindName(fix.kind)},
                         {"capability", FixCapability(fix.kind)},
                         {"target", fix.target},
                         {"external_id", fix.external_id}};
               return Status::Ok();
             })
          .status());
  MALCHIN_ASSIGN_OR_RETURN(std::string state, FixState(fix));
  return FixView{std::move(fix), std::move(state)};
}

}  // namespace malchin::grievance
