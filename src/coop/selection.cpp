#include "coop/selection.h"

#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "coop/books.h"
#include "coop/feed.h"
#include "registry/repository.h"
#include "response/plan.h"
#include "response/repository.h"
#include "rules/schema.h"

namespace malchin::coop::internal {
namespace {

// The households of `pop` whose ids are in `keep`, with their persons, in
// the register's order; `origin` gets each kept person's index in `pop`.
registry::Population Restrict(const registry::Population& pop,
                              const std::vector<std::string>& keep,
                              std::vector<int32_t>* origin) {
  std::unordered_set<std::string_view> ids(keep.begin(), keep.end());
  registry::Population out;
  std::vector<int32_t> new_index(pop.households(), -1);
  for (size_t h = 0; h < pop.households(); ++h) {
    if (!ids.contains(pop.household_id[h])) continue;
    new_index[h] = static_cast<int32_t>(out.households());
    out.household_id.push_back(pop.household_id[h]);
    out.soum_code.push_back(pop.soum_code[h]);
    out.current_soum_code.push_back(pop.current_soum_code[h]);
    out.household_herder.push_back(pop.household_herder[h]);
    out.herd.push_back(pop.herd[h]);
  }
  for (size_t p = 0; p < pop.persons(); ++p) {
    const int32_t h = new_index[pop.household[p]];
    if (h < 0) continue;
    out.household.push_back(h);
    out.birth_days.push_back(pop.birth_days[p]);
    out.sex.push_back(pop.sex[p]);
    out.relation.push_back(pop.relation[p]);
    out.disability.push_back(pop.disability[p]);
    out.herder.push_back(pop.herder[p]);
    origin->push_back(static_cast<int32_t>(p));
  }
  return out;
}

Status MustBeEmpty(const std::string& v, const char* field, const char* kind) {
  if (v.empty()) return Status::Ok();
  return Status::InvalidArgument(std::string(field) + " '" + v +
                                     "' is not used by a " + kind +
                                     " distribution",
                                 field);
}

Status CheckFields(const Context& ctx, const Distribution& d) {
  MALCHIN_RETURN_IF_ERROR(CheckCode(d.code, "code"));
  MALCHIN_RETURN_IF_ERROR(CheckText(d.name, "name", 200));
  MALCHIN_RETURN_IF_ERROR(CheckText(d.decision, "decision", 200, true));
  MALCHIN_RETURN_IF_ERROR(CheckText(d.eligibility, "eligibility", 60000));
  MALCHIN_RETURN_IF_ERROR(CheckText(d.quantity, "quantity", 60000));
  if (d.area_code != 0 && !ctx.geography->Find(d.area_code)) {
    return Status::InvalidArgument(
        "area " + std::to_string(d.area_code) +
            ": expected 0 (the country), an aimag or a soum code",
        "area_code");
  }
  if (d.cutoff_on < Date::FromYmd(2000, 1, 1)) {
    return Status::InvalidArgument(
        "cutoff_on: expected the date the "
        "register is judged on, 2000 or later",
        "cutoff_on");
  }
  return Status::Ok();
}

}  // namespace

Result<rules::Rule> DistributionRule(
    const Distribution& d,
    std::shared_ptr<const params::ParameterSet> parameters) {
  rules::Schema schema;
  schema.set_parameters(std::move(parameters));
  rules::RuleSpec spec;
  spec.eligibility = d.eligibility;
  spec.amount = d.quantity;
  spec.unit = rules::Unit::kHousehold;
  std::vector<rules::Diagnostic> problems;
  auto rule = rules::Rule::Compile(spec, schema, &problems);
  if (!rule.ok()) {
    std::string msg = "distribution " + d.code + ": the rule does not compile:";
    for (const auto& p : problems) msg += "\n" + p.ToString();
    return Status::InvalidArgument(msg, "eligibility");
  }
  return rule;
}

Result<Selection> Bind(
    const Context& ctx, const rules::Rule& rule,
    std::shared_ptr<const rules::Frame> frame,
    const std::optional<std::vector<std::string>>& households,
    const std::optional<rules::EventContext>& event) {
  Selection s;
  if (households) {
    auto subset = std::make_shared<registry::Population>(
        Restrict(frame->population(), *households, &s.origin));
    MALCHIN_ASSIGN_OR_RETURN(s.frame,
                             rules::Frame::Build(*subset, frame->as_of(),
                                                 frame->sheep_unit_factors()));
    s.subset = std::move(subset);
  } else {
    s.frame = std::move(frame);
  }
  if (event) s.event = std::make_shared<const rules::EventContext>(*event);
  rules::Bindings b;
  b.event = s.event.get();
  b.parameters = ctx.parameters;
  b.geography = ctx.geography.get();
  b.threads = ctx.threads;
  MALCHIN_ASSIGN_OR_RETURN(rules::Evaluator ev,
                           rules::Evaluator::Bind(rule, s.frame, b));
  s.evaluator.emplace(std::move(ev));
  return s;
}

namespace {
Status NoEvent(const std::string& code) {
  return Status::NotFound("no shock event '" + code + "' / '" + code +
                          "' гамшгийн үйл явдал алга");
}
}  // namespace

// Checks `d` and resolves what it draws on; sets its area when not given.
Result<Source> Resolve(store::Session& session, const Context& ctx,
                       Distribution& d) {
  MALCHIN_RETURN_IF_ERROR(CheckFields(ctx, d));
  Source src;
  if (!d.coop_code.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(src.coop,
                             internal::CooperativeOf(session, d.coop_code));
  }
  switch (d.kind) {
    case DistributionKind::kPayout:
      if (!src.coop) {
        return Status::InvalidArgument(
            "a payout needs the cooperative whose fund pays", "coop");
      }
      MALCHIN_RETURN_IF_ERROR(
          MustBeEmpty(d.warehouse_code, "warehouse", "payout"));
      MALCHIN_RETURN_IF_ERROR(MustBeEmpty(d.item, "item", "payout"));
      if (d.area_code == 0) d.area_code = src.coop->soum_code;
      src.unit_value = 1;
      break;
    case DistributionKind::kFeed: {
      if (d.warehouse_code.empty()) {
        return Status::InvalidArgument("feed comes from a warehouse",
                                       "warehouse");
      }
      MALCHIN_ASSIGN_OR_RETURN(src.warehouse,
                               FindWarehouse(session, d.warehouse_code));
      MALCHIN_ASSIGN_OR_RETURN(src.feed, ParseFeedType(d.item));
      if (d.area_code == 0) d.area_code = src.warehouse->soum_code;
      break;
    }
    case DistributionKind::kInKind: {
      MALCHIN_RETURN_IF_ERROR(
          MustBeEmpty(d.warehouse_code, "warehouse", "in_kind"));
      MALCHIN_ASSIGN_OR_RETURN(
          src.item, session.Get<DistributionRepository>().FindItem(d.item));
      if (!src.item) {
        return Status::NotFound("no item '" + d.item +
                                "' in the in-kind catalogue / '" + d.item +
                                "' зүйл каталогт алга");
      }
      src.unit_value = src.item->unit_value;
      break;
    }
  }
  const store::AreaFilter area = store::AreaFilter::FromCode(d.area_code);
  if (src.coop && !area.Matches(src.coop->soum_code)) {
    return Status::InvalidArgument("cooperative " + src.coop->code +
                                       " is registered outside area " +
                                       std::to_string(d.area_code),
                                   "coop");
  }
  if (!d.event_code.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto e,
        session.Get<response::Repository>().FindEvent(d.event_code, {}));
    if (!e) return NoEvent(d.event_code);
  }
  MALCHIN_RETURN_IF_ERROR(
      internal::DistributionRule(d, ctx.parameters).status());
  return src;
}

Result<std::optional<rules::EventContext>> EventOf(store::Session& session,
                                                   const Distribution& d) {
  if (d.event_code.empty()) return std::optional<rules::EventContext>();
  MALCHIN_ASSIGN_OR_RETURN(
      auto e, session.Get<response::Repository>().FindEvent(d.event_code, {}));
  if (!e) return NoEvent(d.event_code);
  return std::optional<rules::EventContext>(response::EventContextOf(*e));
}

// The cooperative's member households on the cut-off date, if restricted.
Result<std::optional<std::vector<std::string>>> HouseholdsOf(
    store::Session& session, const Distribution& d, const Source& src) {
  if (!src.coop) return std::optional<std::vector<std::string>>();
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      session.Get<Repository>().MemberHouseholds(src.coop->id, d.cutoff_on));
  return std::optional<std::vector<std::string>>(std::move(ids));
}

// What the source holds today: the fund's balance or the feed's stock.
Result<int64_t> Available(store::Session& session, const Source& src,
                          Date today) {
  auto& repo = session.Get<Repository>();
  if (src.coop && !src.warehouse && !src.item) {
    return repo.Balance(Book::kFund, src.coop->id, today);
  }
  if (src.warehouse) {
    MALCHIN_ASSIGN_OR_RETURN(FeedStock s, repo.Stock(src.warehouse->id, today));
    return s.Of(src.feed);
  }
  return int64_t{0};
}

bool Visible(store::Session& session, const Distribution& d) {
  return session.Scope(store::AreaFilter::FromCode(d.area_code)).has_value();
}

}  // namespace malchin::coop::internal
