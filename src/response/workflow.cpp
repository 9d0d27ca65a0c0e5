#include "response/workflow.h"

#include "response/event_soums.h"
#include "response/plan.h"

namespace malchin::response {

Result<Context> Context::Embedded() {
  Context c;
  MALCHIN_ASSIGN_OR_RETURN(c.parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(c.geography, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(c.banks, BankTable::Embedded());
  return c;
}

Result<Actor> Workflow::ResolveActor(std::string_view username) {
  if (username.empty()) {
    return Status::InvalidArgument("expected the acting user (--user NAME)");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto user, store_.FindUser(username));
  if (!user) {
    return Status::NotFound("no user '" + std::string(username) +
                            "' in this register's accounts");
  }
  if (user->disabled) {
    return Status::PermissionDenied("user " + user->username + " is disabled");
  }
  if (user->role != "national_officer" && user->role != "aimag_officer" &&
      user->role != "soum_officer") {
    return Status::PermissionDenied(
        "user " + user->username + " is " + user->role +
        "; cash transfers are run by national, aimag or soum officers");
  }
  Actor a{user->username, user->role, {}};
  if (user->area_code >= 10000) {
    a.area.soum_code = user->area_code;
  } else if (user->area_code > 0) {
    a.area.aimag_code = user->area_code;
  }
  return a;
}

Result<store::ShockEventRecord> Workflow::CreateEvent(
    store::ShockEventRecord event, std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_RETURN_IF_ERROR(ValidateEvent(event, *ctx_.geography));
  for (const auto& s : event.soums) {
    if (!actor.area.Matches(s.soum_code)) {
      return Status::PermissionDenied("soum " + std::to_string(s.soum_code) +
                                      " is outside the area of " +
                                      actor.username);
    }
  }
  return response_.CreateEvent(event, actor.username);
}

Result<int64_t> Workflow::ImportEventSoums(std::string_view event_code,
                                           std::string_view file_name,
                                           std::string_view data,
                                           std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_ASSIGN_OR_RETURN(auto soums,
                           ParseEventSoums(file_name, data, *ctx_.geography));
  for (const auto& s : soums) {
    if (!actor.area.Matches(s.soum_code)) {
      return Status::PermissionDenied("soum " + std::to_string(s.soum_code) +
                                      " is outside the area of " +
                                      actor.username);
    }
  }
  return response_.SetEventSoums(event_code, soums, actor.username);
}

Result<std::optional<store::ProgrammeRecord>> Workflow::ProgrammeOf(
    const store::PlanRecord& plan) {
  if (!plan.programme_code) return std::optional<store::ProgrammeRecord>();
  MALCHIN_ASSIGN_OR_RETURN(auto p,
                           response_.FindProgramme(*plan.programme_code));
  if (!p) {
    return Status::NotFound("no programme '" + *plan.programme_code + "'");
  }
  return p;
}

Result<store::ShockEventRecord> Workflow::EventOf(
    const store::PlanRecord& plan) {
  MALCHIN_ASSIGN_OR_RETURN(auto e, response_.FindEvent(plan.event_code, {}));
  if (!e) {
    return Status::NotFound("no event '" + plan.event_code +
                            "' (create it with malchin event create)");
  }
  return std::move(*e);
}

Result<store::PlanRecord> Workflow::CreatePlan(store::PlanRecord plan,
                                               std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_RETURN_IF_ERROR(ValidatePlan(plan));
  if (plan.programme_code) {
    MALCHIN_ASSIGN_OR_RETURN(auto existing,
                             response_.FindProgramme(*plan.programme_code));
    if (!existing) {
      MALCHIN_ASSIGN_OR_RETURN(auto built_in,
                               BuiltInProgramme(*plan.programme_code));
      MALCHIN_RETURN_IF_ERROR(
          response_.EnsureProgramme(built_in, actor.username).status());
    }
  }
  MALCHIN_RETURN_IF_ERROR(EventOf(plan).status());
  MALCHIN_ASSIGN_OR_RETURN(auto programme, ProgrammeOf(plan));
  MALCHIN_RETURN_IF_ERROR(PlanRule(plan, programme, ctx_.parameters).status());
  return response_.CreatePlan(plan, actor.username);
}

Result<rules::Preview> Workflow::Preview(const store::PlanRecord& plan,
                                         const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto event, EventOf(plan));
  std::optional<store::ProgrammeRecord> programme;
  if (plan.programme_code) {
    MALCHIN_ASSIGN_OR_RETURN(programme,
                             response_.FindProgramme(*plan.programme_code));
    if (!programme) {
      MALCHIN_ASSIGN_OR_RETURN(programme,
                               BuiltInProgramme(*plan.programme_code));
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(registry::Population pop,
                           store_.LoadPopulation(area));
  MALCHIN_ASSIGN_OR_RETURN(
      BoundPlan bound, BindPlan(plan, programme, event, pop, ctx_.parameters,
                                ctx_.geography.get(), ctx_.threads));
  return bound.evaluator->ComputePreview();
}

Result<rules::Preview> Workflow::PreviewStored(std::string_view plan_code,
                                               const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto plan, response_.FindPlan(plan_code));
  if (!plan) {
    return Status::NotFound("no plan '" + std::string(plan_code) + "'");
  }
  return Preview(*plan, area);
}

Result<store::PlanRecord> Workflow::ApprovePlan(std::string_view plan_code,
                                                std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_ASSIGN_OR_RETURN(auto plan, response_.FindPlan(plan_code));
  if (!plan) {
    return Status::NotFound("no plan '" + std::string(plan_code) + "'");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto event, EventOf(*plan));
  MALCHIN_ASSIGN_OR_RETURN(auto programme, ProgrammeOf(*plan));
  const store::PlanRecord& p = *plan;
  return response_.ApprovePlan(
      plan_code, actor.username, actor.area,
      [&](const store::Roster& roster)
          -> Result<std::vector<store::SnapshotChoice>> {
        MALCHIN_ASSIGN_OR_RETURN(
            BoundPlan bound,
            BindPlan(p, programme, event, roster.population, ctx_.parameters,
                     ctx_.geography.get(), ctx_.threads));
        return ChooseBeneficiaries(bound, roster.has_account);
      });
}

Result<store::PayrollRecord> Workflow::GeneratePayroll(
    std::string_view plan_code, int installment, std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  return response_.GeneratePayroll(plan_code, installment, actor.username);
}

Result<store::PayrollRecord> Workflow::ApprovePayroll(
    std::string_view plan_code, int installment, std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  if (actor.area.aimag_code || actor.area.soum_code) {
    return Status::PermissionDenied(
        "payrolls are approved by a national officer; " + actor.username +
        " works for area " +
        std::to_string(actor.area.soum_code ? actor.area.soum_code
                                            : actor.area.aimag_code));
  }
  return response_.ApprovePayroll(plan_code, installment, actor.username);
}

Result<ExportResult> Workflow::Export(std::string_view plan_code,
                                      int installment, std::string_view user,
                                      const std::string& dir) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  ExportResult out;
  const BankTable& banks = ctx_.banks;
  MALCHIN_ASSIGN_OR_RETURN(
      out.issue, response_.IssuePayments(plan_code, installment, actor.username,
                                         [&banks](std::string_view account) {
                                           return banks.Route(account);
                                         }));
  MALCHIN_ASSIGN_OR_RETURN(out.files,
                           WritePaymentFiles(response_, plan_code, installment,
                                             out.issue.batch_id, dir, banks));
  return out;
}

Result<store::ReconcileCounts> Workflow::Reconcile(std::string_view file_name,
                                                   std::string_view data,
                                                   std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_ASSIGN_OR_RETURN(auto rows, ParseBankResults(file_name, data));
  return response_.ApplyResults(file_name, rows, actor.username);
}

}  // namespace malchin::response
