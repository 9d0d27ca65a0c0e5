// Who a broadcast reaches: the target rule over the register in the
// broadcast's area, the phones on the register, opt-outs (broadcast.h).
#include "channel/broadcast_recipients.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

#include "channel/outbox.h"
#include "registry/repository.h"
#include "rules/evaluator.h"
#include "rules/frame.h"
#include "rules/rule.h"

namespace malchin::channel {
namespace {

// The register's households in `area` with their phones, and the opted-out
// phones, read in one snapshot.
struct RegisterView {
  std::shared_ptr<registry::Population> population;
  std::unordered_map<std::string, std::string> phone_of;
  std::unordered_set<std::string> opted_out;
};

Result<RegisterView> ReadRegister(store::Session& session,
                                  const store::AreaFilter& area) {
  RegisterView v;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    auto& reg = session.Get<registry::Repository>();
    MALCHIN_ASSIGN_OR_RETURN(registry::Population pop,
                             reg.LoadPopulation(area));
    v.population = std::make_shared<registry::Population>(std::move(pop));
    v.phone_of.reserve(v.population->households());
    MALCHIN_RETURN_IF_ERROR(
        reg.ForEachHousehold(area, [&](const registry::Household& h) {
          if (!h.phone.empty()) v.phone_of.emplace(h.id, h.phone);
          return Status::Ok();
        }));
    MALCHIN_ASSIGN_OR_RETURN(
        auto phones, session.Get<BroadcastRepository>().OptedOutPhones());
    v.opted_out.insert(phones.begin(), phones.end());
    return Status::Ok();
  }));
  return v;
}

}  // namespace

Result<rules::Rule> CompileTarget(
    std::string_view target,
    std::shared_ptr<const params::ParameterSet> parameters) {
  rules::Schema schema;
  schema.set_parameters(std::move(parameters));
  rules::RuleSpec spec;
  spec.eligibility = std::string(target);
  spec.amount = "1";  // Every selected household counts once.
  spec.unit = rules::Unit::kHousehold;
  auto rule = rules::Rule::Compile(spec, schema);
  if (!rule.ok()) {
    return Status::InvalidArgument(
        "target: " + rule.status().message() +
            " (expected a household condition in the rule language, e.g. "
            "household.herder and event.severity >= high)",
        "target");
  }
  return rule;
}

Result<Selection> SelectRecipients(store::Session& session,
                                   const BroadcastContext& ctx,
                                   const Broadcast& b) {
  MALCHIN_ASSIGN_OR_RETURN(rules::Rule rule,
                           CompileTarget(b.target, ctx.parameters));
  MALCHIN_ASSIGN_OR_RETURN(
      RegisterView view,
      ReadRegister(session, store::AreaFilter::FromCode(b.area_code)));
  Date today = session.clock().Today();
  MALCHIN_ASSIGN_OR_RETURN(
      auto factors, registry::SheepUnitFactors::On(*ctx.parameters, today));
  MALCHIN_ASSIGN_OR_RETURN(
      auto frame, rules::Frame::Build(*view.population, today, factors));
  rules::Bindings bindings;
  bindings.event = ctx.event;
  bindings.parameters = ctx.parameters;
  bindings.threads = 1;
  MALCHIN_ASSIGN_OR_RETURN(rules::Evaluator ev,
                           rules::Evaluator::Bind(rule, frame, bindings));
  const registry::Population& pop = *view.population;
  Selection out;
  for (const rules::Beneficiary& x : ev.Select()) {
    ++out.selected;
    const std::string& id = pop.household_id[x.household];
    auto phone = view.phone_of.find(id);
    Result<std::string> normalized =
        phone == view.phone_of.end()
            ? Result<std::string>(Status::NotFound("no phone"))
            : NormalizePhone(phone->second);
    if (!normalized.ok()) {
      ++out.no_phone;
      continue;
    }
    if (view.opted_out.count(*normalized)) {
      ++out.opted_out;
      continue;
    }
    BroadcastRecipient r;
    r.household_id = id;
    r.phone = std::move(*normalized);
    r.soum_code = pop.soum_code[x.household];
    r.head_sex = static_cast<registry::Sex>(pop.sex[x.person]);
    out.recipients.push_back(std::move(r));
  }
  return out;
}

std::vector<SoumSexCount> CountBySoumSex(
    const std::vector<BroadcastRecipient>& recipients) {
  std::map<std::pair<int32_t, int>, int64_t> cells;
  for (const auto& r : recipients) {
    ++cells[{r.soum_code, static_cast<int>(r.head_sex)}];
  }
  std::vector<SoumSexCount> out;
  out.reserve(cells.size());
  for (const auto& [key, n] : cells) {
    out.push_back({key.first, static_cast<registry::Sex>(key.second), n});
  }
  return out;
}

}  // namespace malchin::channel
