// Payments as cases: an officer's hold, cancellation, release, re-issue or
// payee change of one payment, confirmed by a second officer
// (maker-checker), the register check that flags beneficiaries deactivated
// after the snapshot, one payment's history and the soum officer's
// follow-up list. Every step that writes runs under the plan's lock, like
// the issue of payments it changes.
#include <unordered_map>

#include "response/transfers.h"

namespace malchin::response {
namespace {

std::string CaseId(std::string_view plan, std::optional<int> installment,
                   std::string_view register_no) {
  return std::string(plan) + "#" +
         (installment ? std::to_string(*installment) : std::string("*")) + "/" +
         std::string(register_no);
}

std::string ActionJson(const PaymentAction& a) {
  std::string j = "{\"action\":" + std::to_string(a.id) + ",\"kind\":\"" +
                  std::string(Name(a.kind)) + "\",\"status\":\"" +
                  std::string(Name(a.status)) +
                  "\",\"reason\":" + JsonString(a.reason) +
                  ",\"effective_on\":\"" + a.effective_on.ToString() + "\"";
  if (a.kind == CaseAction::kPayee) {
    j += ",\"payee\":" + JsonString(a.payee_register_no) +
         ",\"account\":" + JsonString(a.account);
  }
  if (!a.decision_note.empty()) j += ",\"note\":" + JsonString(a.decision_note);
  return j + "}";
}

// Whether a payment has an attempt the bank may still pay or has paid.
bool HasLive(const std::vector<PaymentAttempt>& attempts) {
  for (const PaymentAttempt& a : attempts) {
    if (IsLive(a.status)) return true;
  }
  return false;
}

std::string Describe(const PaymentAction& a) {
  return std::string(Name(a.kind)) + " #" + std::to_string(a.id) + " by " +
         a.requested_by + " (" + a.reason + ")";
}

}  // namespace

Result<std::optional<Entitlement>> Transfers::FindEntitlement(
    std::string_view plan_code, std::string_view register_no,
    const AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
  return rows_.FindEntitlement(plan.id, register_no, area);
}

Result<SnapshotTotals> Transfers::AreaTotals(std::string_view plan_code,
                                             const AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
  return rows_.Totals(plan.id, area);
}

Status Transfers::CheckRequest(const CaseRequest& r, const PlanRecord& plan,
                               const Entitlement& e) {
  const std::string what = std::string(Name(r.kind)) + " of " +
                           CaseId(plan.code, r.installment, r.register_no);
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<PaymentAction> actions,
      rows_.Actions(
          plan.id,
          r.installment ? std::optional<int>(r.installment) : std::nullopt,
          e.id));
  std::vector<PaymentAttempt> attempts;
  if (r.installment) {
    MALCHIN_ASSIGN_OR_RETURN(auto line,
                             rows_.FindLine(plan.id, r.installment, e.id));
    if (line) {
      MALCHIN_ASSIGN_OR_RETURN(attempts, rows_.Attempts(line->id));
    }
  }
  for (const PaymentAction& a : actions) {
    const bool same = r.kind == CaseAction::kPayee
                          ? a.kind == CaseAction::kPayee
                          : a.installment == r.installment;
    if (same && a.status == ActionStatus::kRequested) {
      return Status::FailedPrecondition(what + ": " + Describe(a) +
                                        " awaits a second officer's decision");
    }
  }
  const int64_t last_action = attempts.empty() ? 0 : attempts.back().action_id;
  const CaseView v = DeriveCase(actions, r.installment, last_action);
  if (v.state == CaseState::kCancelled) {
    return Status::FailedPrecondition(what + ": the payment was cancelled");
  }
  switch (r.kind) {
    case CaseAction::kHold:
    case CaseAction::kCancel:
      if (HasLive(attempts)) {
        const PaymentAttempt& a = attempts.back();
        return Status::FailedPrecondition(
            what + ": payment " + a.reference +
            " was sent to the bank in "
            "batch " +
            std::to_string(a.batch) + " and is " + std::string(Name(a.status)) +
            "; ask the bank to return it, and hold or cancel it here when "
            "its result is failed or returned");
      }
      if (r.kind == CaseAction::kHold && v.state == CaseState::kHeld) {
        return Status::FailedPrecondition(what + ": already held");
      }
      return Status::Ok();
    case CaseAction::kRelease:
      if (v.state != CaseState::kHeld && v.state != CaseState::kFlagged) {
        return Status::FailedPrecondition(what + ": the payment is " +
                                          std::string(Name(v.state)) +
                                          ", neither held nor flagged");
      }
      return Status::Ok();
    case CaseAction::kReissue:
      if (attempts.empty() || IsLive(attempts.back().status)) {
        return Status::FailedPrecondition(
            what + ": only a failed or returned payment is re-issued (it " +
            (attempts.empty()
                 ? std::string("was never sent")
                 : "is " + std::string(Name(attempts.back().status))) +
            ")");
      }
      if (v.state != CaseState::kOpen) {
        return Status::FailedPrecondition(what + ": the payment is " +
                                          std::string(Name(v.state)) +
                                          "; release it first");
      }
      if (v.reissue_decided) {
        return Status::FailedPrecondition(
            what + ": already to be re-issued in the next payment file");
      }
      return Status::Ok();
    case CaseAction::kPayee: {
      const std::string rn =
          v.payee ? v.payee->payee_register_no : e.payee_register_no;
      const std::string account = v.payee ? v.payee->account : e.account;
      if (rn == r.payee_register_no && account == r.account) {
        return Status::FailedPrecondition(
            what + ": " + rn + " is already paid to account " + account);
      }
      return Status::Ok();
    }
    case CaseAction::kFlag:
      break;
  }
  return Status::InvalidArgument(
      "action flag: only the register check flags payments", "kind");
}

Result<PaymentAction> Transfers::RequestAction(const CaseRequest& r,
                                               std::string_view actor,
                                               const AreaFilter& requested) {
  if (r.reason.empty()) {
    return Status::InvalidArgument(
        std::string(Name(r.kind)) + ": expected a reason", "reason");
  }
  if (r.kind == CaseAction::kFlag) {
    return Status::InvalidArgument(
        "action flag: only the register check flags payments", "kind");
  }
  if ((r.kind == CaseAction::kPayee) != (r.installment == 0)) {
    return Status::InvalidArgument(
        r.kind == CaseAction::kPayee
            ? "payee: a payee change is for every installment (no "
              "installment)"
            : std::string(Name(r.kind)) + ": expected the installment",
        "installment");
  }
  const AreaFilter area = session_.Visible(requested);
  PaymentAction out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock("plan:" + r.plan_code));
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(r.plan_code));
    if (plan.status != PlanStatus::kApproved) {
      return Status::FailedPrecondition("plan " + plan.code +
                                        " is not approved: it pays nobody yet");
    }
    if (r.installment &&
        (r.installment < 1 ||
         r.installment > static_cast<int>(plan.installments.size()))) {
      return Status::NotFound("plan " + plan.code + " has no installment " +
                              std::to_string(r.installment));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        auto e, rows_.FindEntitlement(plan.id, r.register_no, area));
    if (!e) {
      return Status::NotFound(r.register_no + " is not a beneficiary of plan " +
                              plan.code + " in your area");
    }
    MALCHIN_RETURN_IF_ERROR(CheckRequest(r, plan, *e));
    out = PaymentAction{};
    out.entitlement_id = e->id;
    out.register_no = e->register_no;
    if (r.installment) out.installment = r.installment;
    out.kind = r.kind;
    out.reason = r.reason;
    out.effective_on = r.effective_on.value_or(session_.clock().Today());
    out.payee_register_no = r.payee_register_no;
    out.payee_name = r.payee_name;
    out.account = r.account;
    out.status = r.kind == CaseAction::kReissue ? ActionStatus::kConfirmed
                                                : ActionStatus::kRequested;
    out.requested_by = actor;
    out.requested_at = session_.clock().NowIso();
    out.barred_checker = r.barred_checker;
    MALCHIN_ASSIGN_OR_RETURN(out.id, rows_.InsertAction(plan.id, out));
    return Audit(actor, "payment." + std::string(Name(r.kind)), "payment",
                 CaseId(plan.code, out.installment, e->register_no),
                 ActionJson(out));
  }));
  return out;
}

Result<PaymentAction> Transfers::DecideAction(std::string_view plan_code,
                                              int64_t action_id, bool confirm,
                                              std::string_view note,
                                              std::string_view actor,
                                              const AreaFilter& requested) {
  const AreaFilter area = session_.Visible(requested);
  PaymentAction out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock("plan:" + std::string(plan_code)));
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    MALCHIN_ASSIGN_OR_RETURN(auto found, rows_.FindAction(action_id));
    if (!found || found->first != plan.id) {
      return Status::NotFound("no action " + std::to_string(action_id) +
                              " on payments of plan " + plan.code);
    }
    out = std::move(found->second);
    MALCHIN_ASSIGN_OR_RETURN(
        auto e, rows_.FindEntitlement(plan.id, out.register_no, area));
    if (!e) {
      return Status::PermissionDenied("action " + std::to_string(action_id) +
                                      " is about a payment outside your area");
    }
    if (out.status != ActionStatus::kRequested) {
      return Status::FailedPrecondition(
          "action " + std::to_string(action_id) + " was already " +
          std::string(Name(out.status)) + " by " + out.decided_by);
    }
    if (!out.barred_checker.empty() && out.barred_checker == actor) {
      return Status::PermissionDenied(
          "action " + std::to_string(action_id) +
          " may not be decided by you; another officer must decide it");
    }
    if (out.requested_by == actor) {
      return Status::PermissionDenied(
          "you requested action " + std::to_string(action_id) +
          "; another officer must confirm or reject it (maker-checker)");
    }
    out.status = confirm ? ActionStatus::kConfirmed : ActionStatus::kRejected;
    out.decided_by = actor;
    out.decided_at = session_.clock().NowIso();
    out.decision_note = note;
    MALCHIN_ASSIGN_OR_RETURN(
        bool decided,
        rows_.DecideAction(action_id, out.status, actor, out.decided_at, note));
    if (!decided)
      return Status::Internal("action " + std::to_string(action_id) +
                              " changed");
    return Audit(actor,
                 std::string("payment.") + (confirm ? "confirm" : "reject"),
                 "payment", CaseId(plan.code, out.installment, out.register_no),
                 ActionJson(out));
  }));
  return out;
}

Result<int64_t> Transfers::FlagDeactivated(const PlanRecord& plan,
                                           int installment,
                                           std::string_view actor) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<DeactivatedLine> gone,
                           rows_.DeactivatedLines(plan.id, installment));
  if (gone.empty()) return int64_t{0};
  MALCHIN_ASSIGN_OR_RETURN(std::vector<PaymentAction> all,
                           rows_.Actions(plan.id, installment, std::nullopt));
  std::unordered_map<int64_t, bool> flagged;
  for (const PaymentAction& a : all) {
    if (a.kind == CaseAction::kFlag || a.kind == CaseAction::kCancel) {
      flagged[a.entitlement_id] = true;
    }
  }
  int64_t n = 0;
  for (const DeactivatedLine& d : gone) {
    if (flagged[d.entitlement_id]) continue;
    flagged[d.entitlement_id] = true;
    PaymentAction a;
    a.entitlement_id = d.entitlement_id;
    a.installment = installment;
    a.kind = CaseAction::kFlag;
    a.reason = d.what + " deactivated on " + d.deactivated_on +
               (d.reason.empty() ? "" : ": " + d.reason) +
               " (after the snapshot); an officer decides";
    auto on = Date::Parse(d.deactivated_on);
    a.effective_on = on.ok() ? *on : session_.clock().Today();
    a.status = ActionStatus::kConfirmed;
    a.requested_by = "register";
    a.requested_at = session_.clock().NowIso();
    MALCHIN_RETURN_IF_ERROR(rows_.InsertAction(plan.id, a).status());
    ++n;
  }
  if (n == 0) return n;
  MALCHIN_RETURN_IF_ERROR(Audit(actor, "payroll.flag", "payroll",
                                PayrollId(plan.code, installment),
                                "{\"flagged\":" + std::to_string(n) + "}"));
  return n;
}

Result<PaymentAddress> Transfers::FindPayment(std::string_view reference,
                                              const AreaFilter& requested) {
  const AreaFilter area = session_.Visible(requested);
  PaymentAddress out;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto found,
                             rows_.FindPaymentByReference(reference));
    if (found) {
      MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(found->plan_code));
      MALCHIN_ASSIGN_OR_RETURN(
          auto e, rows_.FindEntitlement(plan.id, found->register_no, area));
      if (e) {
        out = std::move(*found);
        return Status::Ok();
      }
    }
    return Status::NotFound("no payment with reference " +
                            std::string(reference) + " in your area");
  }));
  return out;
}

Result<PaymentAction> Transfers::FindAction(int64_t action_id,
                                            const AreaFilter& requested) {
  const AreaFilter area = session_.Visible(requested);
  PaymentAction out;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto found, rows_.FindAction(action_id));
    if (found) {
      MALCHIN_ASSIGN_OR_RETURN(
          auto e,
          rows_.FindEntitlement(found->first, found->second.register_no, area));
      if (e) {
        out = std::move(found->second);
        return Status::Ok();
      }
    }
    return Status::NotFound("no payment action " + std::to_string(action_id) +
                            " in your area");
  }));
  return out;
}

Result<std::vector<PaymentAction>> Transfers::Actions(
    std::string_view plan_code) {
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
  return rows_.Actions(plan.id, std::nullopt, std::nullopt);
}

Result<PaymentCase> Transfers::Case(std::string_view plan_code, int installment,
                                    std::string_view register_no,
                                    const AreaFilter& requested) {
  const AreaFilter area = session_.Visible(requested);
  PaymentCase c;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    MALCHIN_ASSIGN_OR_RETURN(auto e,
                             rows_.FindEntitlement(plan.id, register_no, area));
    if (!e) {
      return Status::NotFound(std::string(register_no) +
                              " is not a beneficiary of plan " + plan.code +
                              " in your area");
    }
    c = PaymentCase{};
    c.plan_code = plan.code;
    c.installment = installment;
    c.entitlement = std::move(*e);
    c.amount = c.entitlement.amount;
    MALCHIN_ASSIGN_OR_RETURN(
        auto line, rows_.FindLine(plan.id, installment, c.entitlement.id));
    if (line) {
      c.line_id = line->id;
      c.amount = line->amount;
      MALCHIN_ASSIGN_OR_RETURN(c.attempts, rows_.Attempts(line->id));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        c.actions, rows_.Actions(plan.id, installment, c.entitlement.id));
    c.view = DeriveCase(c.actions, installment,
                        c.attempts.empty() ? 0 : c.attempts.back().action_id);
    const PaymentAction* p = c.view.payee ? &*c.view.payee : nullptr;
    c.payee_register_no =
        p ? p->payee_register_no : c.entitlement.payee_register_no;
    c.payee_name = p ? p->payee_name : c.entitlement.payee_name;
    c.account = p ? p->account : c.entitlement.account;
    return Status::Ok();
  }));
  return c;
}

Result<std::vector<FollowUpItem>> Transfers::FollowUp(
    std::string_view plan_code, int installment, const AreaFilter& requested,
    const Router& bank_of) {
  const AreaFilter area = session_.Visible(requested);
  std::vector<FollowUpItem> out;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    out.clear();
    MALCHIN_RETURN_IF_ERROR(RequirePayroll(plan_code, installment).status());
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    MALCHIN_ASSIGN_OR_RETURN(std::vector<PaymentAction> all,
                             rows_.Actions(plan.id, installment, std::nullopt));
    std::unordered_map<int64_t, std::vector<PaymentAction>> actions;
    for (PaymentAction& a : all) actions[a.entitlement_id].push_back(a);
    static const std::vector<PaymentAction> kNone;
    return rows_.ForEachFollowUpRow(
        plan.id, installment, area, [&](const FollowUpRow& r) -> Status {
          auto it = actions.find(r.entitlement_id);
          const auto& mine = it == actions.end() ? kNone : it->second;
          CaseView v = DeriveCase(mine, installment, r.last_action_id);
          FollowUpItem item;
          item.payee_register_no =
              v.payee ? v.payee->payee_register_no : r.payee_register_no;
          item.payee_name = v.payee ? v.payee->payee_name : r.payee_name;
          item.account = v.payee ? v.payee->account : r.account;
          Result<std::string> bank = bank_of(item.account);
          auto why = FollowUpOf(v, r.attempts, r.last_status, bank.ok());
          if (!why) return Status::Ok();
          item.reason = *why;
          item.line_id = r.line_id;
          item.soum_code = r.soum_code;
          item.household_id = r.household_id;
          item.register_no = r.register_no;
          item.name = r.name;
          item.phone = !r.payee_phone.empty() && !v.payee ? r.payee_phone
                                                          : r.household_phone;
          item.amount = r.amount;
          item.attempts = r.attempts;
          if (!mine.empty()) item.last_action = mine.back();
          if (*why == FollowUpReason::kNoAccount) {
            item.detail = bank.status().message();
          } else if (*why == FollowUpReason::kFailed ||
                     *why == FollowUpReason::kReturned) {
            item.detail = r.last_reason;
          } else if (item.last_action) {
            item.detail = item.last_action->reason;
          }
          out.push_back(std::move(item));
          return Status::Ok();
        });
  }));
  return out;
}

}  // namespace malchin::response
