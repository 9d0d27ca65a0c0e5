#include "response/workflow.h"

#include <cctype>

#include "auth/accounts.h"
#include "registry/repository.h"
#include "response/event_soums.h"
#include "response/plan.h"
#include "rima/repository.h"

namespace malchin::response {
namespace {

// The values of the extension columns the plan's rule uses, for
// `population` (the register in `area`), read from the register's RIMA
// scores; nullopt if the rule uses none. Preview, approval and explain all
// take them from here, so they see the same values for the same register.
Result<std::optional<rules::Extensions>> PlanColumns(
    store::Session& session, const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    const registry::Population& population, const store::AreaFilter& area) {
  if (!PlanUsesRciQuintile(plan, programme)) {
    return std::optional<rules::Extensions>();
  }
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<rima::RimaQuintile> quintiles,
      session.Get<rima::ScoreRepository>().LatestQuintiles(area));
  MALCHIN_ASSIGN_OR_RETURN(rules::Extensions ext,
                           PlanExtensions(population, quintiles));
  return std::optional<rules::Extensions>(std::move(ext));
}

const rules::Extensions* OrNull(const std::optional<rules::Extensions>& e) {
  return e ? &*e : nullptr;
}

}  // namespace

Result<Context> Context::Embedded() {
  Context c;
  MALCHIN_ASSIGN_OR_RETURN(c.parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(c.geography, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(c.banks, BankTable::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(c.payees, PayeeOrder::Embedded());
  c.frames = FrameCache::Shared();
  return c;
}

Result<Actor> Workflow::ResolveActor(std::string_view username) {
  if (username.empty()) {
    return Status::InvalidArgument("expected the acting user (--user NAME)");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto user, session_.Get<auth::AccountRepository>().FindUser(username));
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
  Actor a{user->username, user->role,
          store::AreaFilter::FromCode(user->area_code)};
  session_.SetCaller({a.username, a.role, a.area});
  return a;
}

Result<response::ShockEventRecord> Workflow::CreateEvent(
    response::ShockEventRecord event, std::string_view user, bool* created) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_RETURN_IF_ERROR(ValidateEvent(event, *ctx_.geography));
  for (const auto& s : event.soums) {
    if (!actor.area.Matches(s.soum_code)) {
      return Status::PermissionDenied("soum " + std::to_string(s.soum_code) +
                                      " is outside the area of " +
                                      actor.username);
    }
  }
  return response_.CreateEvent(event, actor.username, created);
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

Result<std::optional<response::ProgrammeRecord>> Workflow::ProgrammeOf(
    const response::PlanRecord& plan) {
  if (!plan.programme_code) return std::optional<response::ProgrammeRecord>();
  MALCHIN_ASSIGN_OR_RETURN(auto p,
                           response_.FindProgramme(*plan.programme_code));
  if (!p) {
    return Status::NotFound("no programme '" + *plan.programme_code + "'");
  }
  return p;
}

Result<response::ShockEventRecord> Workflow::EventOf(
    const response::PlanRecord& plan) {
  MALCHIN_ASSIGN_OR_RETURN(auto e, response_.FindEvent(plan.event_code, {}));
  if (!e) {
    return Status::NotFound("no event '" + plan.event_code +
                            "' (create it with malchin event create)");
  }
  return std::move(*e);
}

Result<response::PlanRecord> Workflow::CreatePlan(response::PlanRecord plan,
                                                  std::string_view user,
                                                  bool* created) {
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
  MALCHIN_ASSIGN_OR_RETURN(auto event, EventOf(plan));
  MALCHIN_RETURN_IF_ERROR(ValidateSchedule(plan, event));
  MALCHIN_ASSIGN_OR_RETURN(auto programme, ProgrammeOf(plan));
  MALCHIN_RETURN_IF_ERROR(PlanRule(plan, programme, ctx_.parameters).status());
  return response_.CreatePlan(plan, actor.username, created);
}

Result<rules::Preview> Workflow::Preview(const response::PlanRecord& plan,
                                         const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto event, EventOf(plan));
  std::optional<response::ProgrammeRecord> programme;
  if (plan.programme_code) {
    MALCHIN_ASSIGN_OR_RETURN(programme,
                             response_.FindProgramme(*plan.programme_code));
    if (!programme) {
      MALCHIN_ASSIGN_OR_RETURN(programme,
                               BuiltInProgramme(*plan.programme_code));
    }
  }
  // The rule's own errors first, before the register is read.
  MALCHIN_RETURN_IF_ERROR(PlanRule(plan, programme, ctx_.parameters).status());
  MALCHIN_ASSIGN_OR_RETURN(
      registry::SheepUnitFactors factors,
      registry::SheepUnitFactors::On(*ctx_.parameters, plan.cutoff_on));
  // The register's frame from memory while the register is unchanged.
  FrameCache once(1);
  FrameCache& frames = ctx_.frames ? *ctx_.frames : once;
  MALCHIN_ASSIGN_OR_RETURN(std::shared_ptr<const rules::Frame> frame,
                           frames.Get(session_, area, plan.cutoff_on, factors));
  // Not cached with the frame: scores change without the register's
  // version changing.
  MALCHIN_ASSIGN_OR_RETURN(
      std::optional<rules::Extensions> columns,
      PlanColumns(session_, plan, programme, frame->population(), area));
  MALCHIN_ASSIGN_OR_RETURN(
      BoundPlan bound,
      BindPlanToFrame(plan, programme, event, std::move(frame), ctx_.parameters,
                      ctx_.geography.get(), ctx_.threads, OrNull(columns)));
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

Result<Transfers::Selector> Workflow::SelectorFor(
    const response::PlanRecord& plan) {
  MALCHIN_ASSIGN_OR_RETURN(auto event, EventOf(plan));
  MALCHIN_ASSIGN_OR_RETURN(auto programme, ProgrammeOf(plan));
  return Transfers::Selector(
      [this, plan, event = std::move(event),
       programme = std::move(programme)](const registry::Roster& roster)
          -> Result<std::vector<response::SnapshotChoice>> {
        Progress(0.4, "choosing the beneficiaries");
        // Read in the caller's transaction, over the same (national)
        // register as the roster.
        MALCHIN_ASSIGN_OR_RETURN(
            std::optional<rules::Extensions> columns,
            PlanColumns(session_, plan, programme, roster.population, {}));
        MALCHIN_ASSIGN_OR_RETURN(
            BoundPlan bound,
            BindPlan(plan, programme, event, roster.population, ctx_.parameters,
                     ctx_.geography.get(), ctx_.threads, OrNull(columns)));
        auto chosen =
            ChooseBeneficiaries(bound, roster.has_account, ctx_.payees);
        Progress(0.6, "freezing the beneficiary list");
        return chosen;
      });
}

Result<response::PlanRecord> Workflow::ApprovePlan(
    std::string_view plan_code, std::string_view user, bool* created,
    const response::OverlapDecision& overlap) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_ASSIGN_OR_RETURN(auto plan, response_.FindPlan(plan_code));
  if (!plan) {
    return Status::NotFound("no plan '" + std::string(plan_code) + "'");
  }
  MALCHIN_ASSIGN_OR_RETURN(Transfers::Selector select, SelectorFor(*plan));
  Progress(0.05, "reading the register");
  auto approved = response_.ApprovePlan(plan_code, actor.username, actor.area,
                                        select, created, overlap);
  if (approved.ok()) Progress(1.0, "done");
  return approved;
}

Result<std::vector<std::pair<std::string, int64_t>>> Workflow::AlreadyCovered(
    std::string_view plan_code, std::string_view user) {
  MALCHIN_RETURN_IF_ERROR(ResolveActor(user).status());
  MALCHIN_ASSIGN_OR_RETURN(auto plan, response_.FindPlan(plan_code));
  if (!plan) {
    return Status::NotFound("no plan '" + std::string(plan_code) + "'");
  }
  MALCHIN_ASSIGN_OR_RETURN(Transfers::Selector select, SelectorFor(*plan));
  std::vector<std::pair<std::string, int64_t>> out;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    store::SystemScope national(session_);  // As the approval selects.
    MALCHIN_ASSIGN_OR_RETURN(
        registry::Roster roster,
        session_.Get<registry::Repository>().LoadRoster({}));
    MALCHIN_ASSIGN_OR_RETURN(auto chosen, select(roster));
    MALCHIN_ASSIGN_OR_RETURN(out,
                             response_.AlreadyCovered(*plan, roster, chosen));
    return Status::Ok();
  }));
  return out;
}

Result<response::PayrollRecord> Workflow::GeneratePayroll(
    std::string_view plan_code, int installment, std::string_view user,
    bool* created) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  return response_.GeneratePayroll(plan_code, installment, actor.username,
                                   created);
}

Result<response::PayrollRecord> Workflow::ApprovePayroll(
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
  Progress(0.05, "issuing payments");
  MALCHIN_ASSIGN_OR_RETURN(
      out.issue, response_.IssuePayments(plan_code, installment, actor.username,
                                         [&banks](std::string_view account) {
                                           return banks.Route(account);
                                         }));
  Progress(0.5, "writing the bank files");
  MALCHIN_ASSIGN_OR_RETURN(out.files,
                           WritePaymentFiles(response_, plan_code, installment,
                                             out.issue.batch, dir, banks));
  Progress(1.0, "done");
  return out;
}

Result<response::ReconcileCounts> Workflow::Reconcile(
    std::string_view file_name, std::string_view data, std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_ASSIGN_OR_RETURN(auto rows, ParseBankResults(file_name, data));
  return response_.ApplyResults(file_name, rows, actor.username);
}

Result<response::ReconcileCounts> Workflow::ReconcilePayroll(
    std::string_view plan_code, int installment, std::string_view file_name,
    std::string_view data, std::string_view user) {
  MALCHIN_ASSIGN_OR_RETURN(Actor actor, ResolveActor(user));
  MALCHIN_ASSIGN_OR_RETURN(auto plan, response_.FindPlan(plan_code));
  if (!plan) {
    return Status::NotFound("no plan '" + std::string(plan_code) + "'");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto rows, ParseBankResults(file_name, data));
  // References are MLC-<plan id>-<installment>-<line>-<attempt>.
  const std::string prefix = "MLC-" + std::to_string(plan->id) + "-" +
                             std::to_string(installment) + "-";
  std::string problems;
  size_t bad = 0;
  for (const auto& r : rows) {
    if (r.reference.compare(0, prefix.size(), prefix) == 0) continue;
    if (++bad <= 20) {
      problems += "\n" + std::string(file_name) + ":" + std::to_string(r.line) +
                  ": reference " + r.reference + " is not a payment of plan " +
                  plan->code + " installment " + std::to_string(installment) +
                  " (expected " + prefix + "...)";
    }
  }
  if (bad) {
    if (bad > 20) {
      problems += "\n... and " + std::to_string(bad - 20) + " more";
    }
    return Status::InvalidArgument(
        std::to_string(bad) + " row(s) of " + std::string(file_name) +
        " belong to another payroll; nothing was changed:" + problems);
  }
  return response_.ApplyResults(file_name, rows, actor.username);
}

Result<PlanExplanation> Workflow::Explain(std::string_view plan_code,
                                          std::string_view register_no,
                                          rules::Language language) {
  auto& register_view = session_.Get<registry::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto plan, response_.FindPlan(plan_code));
  if (!plan) {
    return Status::NotFound("no plan '" + std::string(plan_code) + "'");
  }
  if (plan->status == PlanStatus::kApproved) {
    return ExplainFrozen(*plan, register_no, language);
  }
  MALCHIN_ASSIGN_OR_RETURN(auto event, EventOf(*plan));
  std::optional<response::ProgrammeRecord> programme;
  if (plan->programme_code) {
    MALCHIN_ASSIGN_OR_RETURN(programme,
                             response_.FindProgramme(*plan->programme_code));
    if (!programme) {
      MALCHIN_ASSIGN_OR_RETURN(programme,
                               BuiltInProgramme(*plan->programme_code));
    }
  }
  const std::string rn(register_no);
  MALCHIN_ASSIGN_OR_RETURN(auto person, register_view.FindPerson(rn));
  if (!person) {
    return Status::NotFound("no person with register number " + rn);
  }
  if (person->deactivated) {
    return Status::FailedPrecondition("person " + rn + " was deactivated on " +
                                      person->deactivated->on.ToString() +
                                      " (" + person->deactivated->reason +
                                      "); plans only reach active persons");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto household,
                           register_view.FindHousehold(person->household_id));
  if (!household) {
    return Status::NotFound("no household " + person->household_id);
  }
  if (household->deactivated) {
    return Status::FailedPrecondition(
        "household " + household->id + " of person " + rn +
        " was deactivated; plans only reach active households");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto members, register_view.Members(household->id));
  registry::Population pop;
  pop.AddHousehold(*household);
  int32_t index = -1;
  std::vector<std::string> labels;
  for (const registry::Person& m : members) {
    if (m.deactivated) continue;
    if (m.register_no == rn) index = static_cast<int32_t>(pop.persons());
    labels.push_back(m.register_no);
    pop.AddPerson(m, 0);
  }
  if (index < 0) {
    return Status::Internal("person " + rn + " is not among the members of " +
                            household->id);
  }
  // The household's own score (the area is the household's: it is visible
  // to the caller).
  MALCHIN_ASSIGN_OR_RETURN(
      std::optional<rules::Extensions> columns,
      PlanColumns(session_, *plan, programme, pop,
                  store::AreaFilter{0, household->soum_code}));
  MALCHIN_ASSIGN_OR_RETURN(
      BoundPlan bound, BindPlan(*plan, programme, event, pop, ctx_.parameters,
                                ctx_.geography.get(), 1, OrNull(columns)));
  MALCHIN_ASSIGN_OR_RETURN(rules::Explanation why,
                           bound.evaluator->Explain(index, language));
  // Persons are numbered within this one-household register ("#2"); name
  // them by register number instead.
  PlanExplanation out;
  out.register_no = rn;
  out.household_id = household->id;
  out.cutoff_on = plan->cutoff_on;
  out.beneficiary = why.beneficiary;
  out.amount = why.amount;
  for (size_t i = 0; i < why.text.size(); ++i) {
    size_t j = i + 1;
    while (j < why.text.size() &&
           std::isdigit(static_cast<unsigned char>(why.text[j]))) {
      ++j;
    }
    if (why.text[i] == '#' && j > i + 1 && j - i < 6) {
      size_t k = std::stoul(why.text.substr(i + 1, j - i - 1));
      if (k < labels.size()) {
        out.text += labels[k];
        i = j - 1;
        continue;
      }
    }
    out.text += why.text[i];
  }
  return out;
}

}  // namespace malchin::response
