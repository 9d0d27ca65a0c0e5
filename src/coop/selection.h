// Internal to src/coop: a distribution's rule bound to the register, for
// previews and approvals (distributions.cpp). Not part of the public
// contract.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "core/status.h"
#include "registry/population.h"
#include "rules/evaluator.h"
#include "rules/event.h"
#include "rules/rule.h"
#include "store/session.h"

namespace malchin::coop::internal {

// The rule of a distribution: its eligibility and its quantity per
// household, unit household. InvalidArgument listing every problem
// (line:column) of both texts.
Result<rules::Rule> DistributionRule(
    const Distribution& d,
    std::shared_ptr<const params::ParameterSet> parameters);

// The rule bound to a register (or to some of its households).
struct Selection {
  // Set when the register was restricted to some households: the
  // restricted copy, and for each of its persons the index in the register
  // it came from.
  std::shared_ptr<const registry::Population> subset;
  std::vector<int32_t> origin;
  std::shared_ptr<const rules::Frame> frame;
  std::shared_ptr<const rules::EventContext> event;
  std::optional<rules::Evaluator> evaluator;
  // The register index of person `p` of the frame's population.
  int32_t Origin(int32_t p) const { return origin.empty() ? p : origin[p]; }
};

// Binds `rule` to `frame` (the register in the distribution's area on its
// cut-off date), keeping only `households` (ids) when given, in the context
// of `event` when given.
Result<Selection> Bind(
    const Context& context, const rules::Rule& rule,
    std::shared_ptr<const rules::Frame> frame,
    const std::optional<std::vector<std::string>>& households,
    const std::optional<rules::EventContext>& event);

// What a distribution draws on, resolved in the caller's area.
struct Source {
  std::optional<Cooperative> coop;
  std::optional<Warehouse> warehouse;
  std::optional<InKindItem> item;
  FeedType feed = FeedType::kHay;
  int64_t unit_value = 0;  // MNT per unit of quantity (feed: 0).
};

// Checks every field of `d` (InvalidArgument naming it; NotFound for a
// cooperative, warehouse, item or event that does not exist for the
// caller), compiles its rule and resolves what it draws on; sets its area
// when it was 0 (a payout: the cooperative's soum; feed: the warehouse's).
Result<Source> Resolve(store::Session& session, const Context& context,
                       Distribution& d);
// The distribution's shock event as rules see it, if it names one.
Result<std::optional<rules::EventContext>> EventOf(store::Session& session,
                                                   const Distribution& d);
// The ids of the households of the cooperative's members on the cut-off
// date, when the distribution is restricted to a cooperative.
Result<std::optional<std::vector<std::string>>> HouseholdsOf(
    store::Session& session, const Distribution& d, const Source& src);
// What the source holds on `on`: the fund's balance (payout) or the
// feed's stock in kg (feed); 0 for in kind.
Result<int64_t> Available(store::Session& session, const Source& src, Date on);
// Whether the distribution's area overlaps the caller's.
bool Visible(store::Session& session, const Distribution& d);

}  // namespace malchin::coop::internal
