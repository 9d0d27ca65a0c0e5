#include "response/plan.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include "response/event_soums.h"
#include "response/repository.h"

namespace malchin::response {

Result<response::ProgrammeRecord> BuiltInProgramme(std::string_view code) {
  if (code != "child_money") {
    return Status::NotFound("no programme '" + std::string(code) +
                            "'; known: child_money");
  }
  response::ProgrammeRecord p;
  p.code = "child_money";
  p.name = "Child Money Programme";
  p.eligibility = "age <= param(\"child_money.max_age\")";
  p.amount = "param(\"child_money.monthly\")";
  p.unit = Unit::kPerson;
  return p;
}

namespace {

// The amount of a rule that is a plain number ("40000", "-5", "0.0"), or
// nullopt for a formula.
std::optional<double> ConstantAmount(const std::string& text) {
  size_t b = text.find_first_not_of(" \t");
  size_t e = text.find_last_not_of(" \t");
  if (b == std::string::npos) return std::nullopt;
  std::string t = text.substr(b, e - b + 1);
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return std::nullopt;
  return v;
}

}  // namespace

Status ValidatePlan(const response::PlanRecord& p) {
  std::vector<std::string> problems;
  if (!IsValidCode(p.code)) {
    problems.push_back("code '" + p.code +
                       "': expected 1-40 of a-z, 0-9, '_' and '-'");
  }
  if (p.kind == PlanKind::kVertical) {
    if (!p.programme_code) {
      problems.push_back(
          "kind vertical: expected the programme it tops up (--programme)");
    }
  } else if (p.programme_code) {
    problems.push_back(
        "kind horizontal: a new caseload has no programme; use vertical "
        "to top up " +
        *p.programme_code);
  }
  if (p.cap_per_household && *p.cap_per_household <= 0) {
    problems.push_back("cap " + std::to_string(*p.cap_per_household) +
                       ": expected a positive amount in MNT");
  }
  if (p.name.empty()) problems.push_back("name: expected a name");
  if (p.eligibility.empty()) {
    problems.push_back("eligibility: expected a rule, e.g. age < 6");
  }
  if (p.amount.empty()) {
    problems.push_back("amount: expected MNT per installment, e.g. 40000");
  } else if (auto n = ConstantAmount(p.amount); n && *n <= 0) {
    problems.push_back("amount " + p.amount +
                       ": expected a positive MNT amount per installment");
  }
  if (p.starts_on > p.ends_on) {
    problems.push_back("start " + p.starts_on.ToString() +
                       ": expected on or before the end " +
                       p.ends_on.ToString());
  }
  if (p.cutoff_on > p.ends_on) {
    problems.push_back("cut-off " + p.cutoff_on.ToString() +
                       ": expected on or before the end " +
                       p.ends_on.ToString());
  }
  if (p.installments.empty()) {
    problems.push_back("installments: expected at least one due date");
  } else if (p.cutoff_on > p.installments.front().due_on) {
    problems.push_back("cut-off " + p.cutoff_on.ToString() +
                       ": expected on or before the first installment (" +
                       p.installments.front().due_on.ToString() +
                       "): eligibility is judged before anyone is paid");
  }
  for (size_t i = 0; i < p.installments.size(); ++i) {
    const auto& in = p.installments[i];
    std::string what = "installment " + std::to_string(i + 1) + " (" +
                       in.due_on.ToString() + ")";
    if (in.number != static_cast<int>(i + 1)) {
      problems.push_back(what + ": numbered " + std::to_string(in.number) +
                         ", expected " + std::to_string(i + 1));
    }
    if (in.due_on < p.starts_on || in.due_on > p.ends_on) {
      problems.push_back(what + ": expected a due date within the plan, " +
                         p.starts_on.ToString() + " to " +
                         p.ends_on.ToString());
    }
    if (i > 0 && in.due_on <= p.installments[i - 1].due_on) {
      problems.push_back(what + ": expected after the installment before");
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "plan " + p.code + ":";
  for (const auto& s : problems) msg += "\n  " + s;
  return Status::InvalidArgument(msg);
}

Status ValidateSchedule(const response::PlanRecord& p,
                        const response::ShockEventRecord& event) {
  if (!p.schedule_reason.empty()) return Status::Ok();
  std::vector<std::string> problems;
  for (const auto& in : p.installments) {
    if (in.due_on >= event.starts_on &&
        (!event.ends_on || in.due_on <= *event.ends_on)) {
      continue;
    }
    problems.push_back(
        "installment " + std::to_string(in.number) + " (" +
        in.due_on.ToString() + "): expected within event " + event.code + " (" +
        event.starts_on.ToString() + " to " +
        (event.ends_on ? event.ends_on->ToString() : std::string("open")) +
        "), or a stated reason (schedule_reason)");
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "plan " + p.code + ":";
  for (const auto& s : problems) msg += "\n  " + s;
  return Status::InvalidArgument(msg, "installments");
}

rules::ColumnSpec RciQuintileColumn() {
  rules::ColumnSpec spec =
      rules::ColumnSpec::Number(std::string(kRciQuintile), "",
                                rules::Scope::kHousehold, /*nullable=*/true);
  spec.description = "RIMA resilience quintile";
  return spec;
}

rules::Schema PlanSchema(
    std::shared_ptr<const params::ParameterSet> parameters) {
  rules::Schema schema;
  schema.set_parameters(std::move(parameters));
  // A fixed, valid name: declaring it on an empty schema cannot fail.
  (void)schema.Declare(RciQuintileColumn());
  return schema;
}

bool PlanUsesRciQuintile(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme) {
  auto mentions = [](const std::string& text) {
    return text.find(kRciQuintile) != std::string::npos;
  };
  return mentions(plan.eligibility) || mentions(plan.amount) ||
         (plan.kind == PlanKind::kVertical && programme &&
          mentions(programme->eligibility));
}

Result<rules::Extensions> PlanExtensions(
    const registry::Population& population,
    const std::vector<rima::RimaQuintile>& quintiles) {
  std::unordered_map<std::string_view, int> by_id;
  by_id.reserve(quintiles.size());
  for (const rima::RimaQuintile& q : quintiles) {
    by_id[q.household_id] = q.quintile;
  }
  const size_t n = population.households();
  std::vector<double> values(n, 0.0);
  std::vector<uint8_t> present(n, 0);
  for (size_t h = 0; h < n; ++h) {
    auto it = by_id.find(population.household_id[h]);
    if (it == by_id.end()) continue;
    values[h] = it->second;
    present[h] = 1;
  }
  rules::Extensions ext;
  MALCHIN_RETURN_IF_ERROR(
      ext.Add(RciQuintileColumn(), std::move(values), std::move(present)));
  return ext;
}

Result<rules::Rule> PlanRule(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    std::shared_ptr<const params::ParameterSet> parameters) {
  rules::Schema schema = PlanSchema(parameters);
  rules::RuleSpec spec;
  spec.eligibility = plan.eligibility;
  spec.amount = plan.amount;
  spec.unit = plan.unit == Unit::kHousehold ? rules::Unit::kHousehold
                                            : rules::Unit::kPerson;
  spec.cap_per_household = plan.cap_per_household;
  spec.cap_order = plan.cap_order == CapOrder::kProportional
                       ? rules::CapOrder::kProportional
                       : rules::CapOrder::kYoungestFirst;
  // The plan's own text first, so messages point into what the officer
  // wrote.
  std::vector<rules::Diagnostic> problems;
  auto own = rules::Rule::Compile(spec, schema, &problems);
  if (!own.ok()) {
    std::string msg = "plan " + plan.code + ": the rule does not compile:";
    for (const auto& d : problems) msg += "\n" + d.ToString();
    return Status::InvalidArgument(msg);
  }
  if (plan.kind != PlanKind::kVertical) return own;
  if (!programme) {
    return Status::InvalidArgument("plan " + plan.code +
                                   ": a vertical plan needs its programme");
  }
  spec.eligibility =
      "(" + programme->eligibility + ") and (" + plan.eligibility + ")";
  auto both = rules::Rule::Compile(spec, schema);
  if (!both.ok()) {
    return both.status().WithContext("plan " + plan.code + " with programme " +
                                     programme->code);
  }
  return both;
}

rules::EventContext EventContextOf(const response::ShockEventRecord& event) {
  rules::EventContext ctx;
  ctx.name = event.name;
  for (const auto& s : event.soums) {
    auto sev = rules::ParseSeverity(Name(s.severity));
    if (sev.ok()) ctx.severity_by_soum[s.soum_code] = *sev;
  }
  return ctx;
}

Result<rules::EventContext> LoadEventContext(store::Session& session,
                                             std::string_view code) {
  std::optional<response::ShockEventRecord> event;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(
        event, session.Get<response::Repository>().FindEvent(code, {}));
    return Status::Ok();
  }));
  if (!event) {
    return Status::NotFound("no shock event '" + std::string(code) + "' / '" +
                            std::string(code) + "' гамшгийн үйл явдал алга");
  }
  return EventContextOf(*event);
}

Result<BoundPlan> BindPlan(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    const response::ShockEventRecord& event,
    const registry::Population& population,
    std::shared_ptr<const params::ParameterSet> parameters,
    const geo::Geography* geography, int threads,
    const rules::Extensions* extensions) {
  // The rule's own errors come first.
  MALCHIN_RETURN_IF_ERROR(PlanRule(plan, programme, parameters).status());
  MALCHIN_ASSIGN_OR_RETURN(
      registry::SheepUnitFactors factors,
      registry::SheepUnitFactors::On(*parameters, plan.cutoff_on));
  MALCHIN_ASSIGN_OR_RETURN(
      std::shared_ptr<const rules::Frame> frame,
      rules::Frame::Build(population, plan.cutoff_on, factors));
  return BindPlanToFrame(plan, programme, event, std::move(frame),
                         std::move(parameters), geography, threads, extensions);
}

Result<BoundPlan> BindPlanToFrame(
    const response::PlanRecord& plan,
    const std::optional<response::ProgrammeRecord>& programme,
    const response::ShockEventRecord& event,
    std::shared_ptr<const rules::Frame> frame,
    std::shared_ptr<const params::ParameterSet> parameters,
    const geo::Geography* geography, int threads,
    const rules::Extensions* extensions) {
  if (!frame || frame->as_of() != plan.cutoff_on) {
    return Status::InvalidArgument(
        "plan " + plan.code + ": the register's frame is not on the cut-off " +
        plan.cutoff_on.ToString());
  }
  MALCHIN_ASSIGN_OR_RETURN(rules::Rule rule,
                           PlanRule(plan, programme, parameters));
  BoundPlan b;
  b.frame = std::move(frame);
  b.event = std::make_shared<const rules::EventContext>(EventContextOf(event));
  rules::Bindings bindings;
  bindings.event = b.event.get();
  bindings.parameters = parameters;
  bindings.extensions = extensions;
  bindings.geography = geography;
  bindings.threads = threads;
  auto ev = rules::Evaluator::Bind(rule, b.frame, bindings);
  if (!ev.ok()) return ev.status().WithContext("plan " + plan.code);
  b.evaluator.emplace(std::move(*ev));
  return b;
}

std::vector<response::SnapshotChoice> ChooseBeneficiaries(
    const BoundPlan& bound, const std::vector<uint8_t>& has_account,
    const PayeeOrder& order) {
  const rules::Frame& f = *bound.frame;
  const registry::Population& pop = f.population();
  std::vector<rules::Beneficiary> list = bound.evaluator->Select();
  std::vector<response::SnapshotChoice> out;
  out.reserve(list.size());
  int32_t cached_household = -1;
  int32_t caregiver = -1;
  // The first rank with a member who matches gives the caregiver.
  auto find_caregiver = [&](int32_t h) {
    for (const PayeeRank& rank : order.ranks()) {
      int32_t best = -1;
      for (int32_t m : f.Members(h)) {
        if (!has_account[m]) continue;
        auto rel = static_cast<registry::Relation>(pop.relation[m]);
        auto sex = static_cast<registry::Sex>(pop.sex[m]);
        if (!PayeeOrder::Matches(rank, rel, sex, f.Age(m))) continue;
        if (best < 0 || (rank.oldest && f.Age(m) > f.Age(best))) best = m;
      }
      if (best >= 0) return best;
    }
    return int32_t{-1};
  };
  for (const rules::Beneficiary& b : list) {
    response::SnapshotChoice c{b.person, b.person, b.amount};
    if (!has_account[b.person]) {
      if (b.household != cached_household) {
        cached_household = b.household;
        caregiver = find_caregiver(b.household);
      }
      if (caregiver >= 0) c.payee = caregiver;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace malchin::response
