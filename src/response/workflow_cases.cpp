// Workflow: the explanation of an approved plan (read from its frozen list)
// and payments as cases (requests and decisions as a register account, the
// follow-up list routed with the bank table).
#include "auth/accounts.h"
#include "registry/repository.h"
#include "response/workflow.h"

namespace malchin::response {
namespace {

std::string Day(const std::string& iso) { return iso.substr(0, 10); }

std::string Thousands(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
    s.insert(static_cast<size_t>(i), ",");
  }
  return (v < 0 ? "-" : "") + s;
}

// Why `rn` is in the frozen list, in `language`.
std::string InListText(const PlanRecord& plan, const Entitlement& e,
                       const std::optional<registry::Person>& now,
                       rules::Language language) {
  const bool mn = language == rules::Language::kMongolian;
  std::string t;
  if (mn) {
    t = plan.code + " төлөвлөгөөний " + Day(plan.approved_at) + "-нд " +
        plan.approved_by + " баталж хөлдөөсөн жагсаалтад " + e.register_no +
        " хүлээн авагчаар орсон: нэг удаад " + Thousands(e.amount) +
        " төгрөг, " + e.payee_name + " (" + e.payee_register_no + ")-ийн " +
        e.account + " дансанд.";
  } else {
    t = "In the list frozen when plan " + plan.code + " was approved on " +
        Day(plan.approved_at) + " by " + plan.approved_by + ": " +
        e.register_no + " is a beneficiary, MNT " + Thousands(e.amount) +
        " per installment, paid to " + e.payee_name + " (" +
        e.payee_register_no + "), account " + e.account + ".";
  }
  if (now && now->deactivated) {
    t += mn ? "\nБүртгэлд " + now->deactivated->on.ToString() + "-нд (" +
                  now->deactivated->reason +
                  ") идэвхгүй болгосон: цалингийн жагсаалт бүр энэ "
                  "төлбөрийг тэмдэглэж, ажилтан шийднэ (түр зогсоох, цуцлах "
                  "эсвэл олгох)."
            : "\nDeactivated in the register on " +
                  now->deactivated->on.ToString() + " (" +
                  now->deactivated->reason +
                  ") since: each payroll flags the payment and an officer "
                  "decides (hold, cancel or release).";
  }
  t += mn ? "\nТөлөвлөгөө нь батлах үед хөлдөөсөн жагсаалтаар олгогдоно; "
            "бүртгэлийн дараагийн өөрчлөлт түүнийг өөрчлөхгүй."
          : "\nPlans pay the list frozen at approval; later changes to the "
            "register never change it.";
  return t;
}

std::string NotInListText(const PlanRecord& plan, std::string_view rn,
                          rules::Language language) {
  if (language == rules::Language::kMongolian) {
    return plan.code + " төлөвлөгөөний " + Day(plan.approved_at) + "-нд " +
           plan.approved_by + " баталж хөлдөөсөн жагсаалтад " +
           std::string(rn) +
           " байхгүй: төлөвлөгөө нь батлах үед хөлдөөсөн жагсаалтаар "
           "олгогддог; түүнээс хойш бүртгэгдсэн буюу шалгуур хангасан хүн энэ "
           "төлөвлөгөөний хүлээн авагч биш.";
  }
  return "Not in the list frozen when plan " + plan.code + " was approved on " +
         Day(plan.approved_at) + " by " + plan.approved_by +
         ": plans pay the list frozen at approval; a "
         "person registered, or who became eligible, after it is not a "
         "beneficiary of this plan (" +
         std::string(rn) + ").";
}

}  // namespace

Result<PlanExplanation> Workflow::ExplainFrozen(const PlanRecord& plan,
                                                std::string_view register_no,
                                                rules::Language language) {
  const std::string rn(register_no);
  MALCHIN_ASSIGN_OR_RETURN(auto entitlement,
                           response_.FindEntitlement(plan.code, rn, {}));
  MALCHIN_ASSIGN_OR_RETURN(auto person,
                           session_.Get<registry::Repository>().FindPerson(rn));
  if (!entitlement && !person) {
    return Status::NotFound("no person with register number " + rn);
  }
  PlanExplanation out;
  out.register_no = rn;
  out.cutoff_on = plan.cutoff_on;
  if (entitlement) {
    out.household_id = entitlement->household_id;
    out.beneficiary = true;
    out.amount = entitlement->amount;
    out.text = InListText(plan, *entitlement, person, language);
  } else {
    out.household_id = person->household_id;
    out.text = NotInListText(plan, rn, language);
  }
  return out;
}

Result<PaymentAction> Workflow::RequestAction(Transfers::CaseRequest r,
                                              std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  if (r.kind == CaseAction::kPayee) {
    if (r.payee_register_no.empty()) {
      return Status::InvalidArgument(
          "payee: expected the register number of who is paid", "payee");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        auto person,
        session_.Get<registry::Repository>().FindPerson(r.payee_register_no));
    if (!person) {
      return Status::NotFound("no person " + r.payee_register_no +
                              " in your area");
    }
    if (person->deactivated) {
      return Status::FailedPrecondition(
          "payee " + r.payee_register_no + " was deactivated on " +
          person->deactivated->on.ToString() + "; choose an active person");
    }
    r.payee_name = person->father_name + " " + person->given_name;
    if (r.account.empty()) r.account = person->bank_account;
    auto bank = ctx_.banks.Route(r.account);
    if (!bank.ok()) {
      return Status::InvalidArgument(
          "payee " + r.payee_register_no + ": " + bank.status().message(),
          "account");
    }
  }
  return response_.RequestAction(r, actor.username, actor.area);
}

Result<PaymentAction> Workflow::DecideAction(std::string_view plan_code,
                                             int64_t action_id, bool confirm,
                                             std::string_view note,
                                             std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  return response_.DecideAction(plan_code, action_id, confirm, note,
                                actor.username, actor.area);
}

Result<std::vector<FollowUpItem>> Workflow::FollowUp(
    std::string_view plan_code, int installment,
    const store::AreaFilter& area) {
  const BankTable& banks = ctx_.banks;
  return response_.FollowUp(
      plan_code, installment, area,
      [&banks](std::string_view account) { return banks.Route(account); });
}

}  // namespace malchin::response
