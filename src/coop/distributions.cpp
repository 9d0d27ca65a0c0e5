#include "coop/distributions.h"

#include <nlohmann/json.hpp>

#include "coop/books.h"
#include "coop/feed.h"
#include "coop/selection.h"
#include "registry/register_number.h"
#include "registry/repository.h"
#include "response/plan.h"
#include "response/repository.h"

namespace malchin::coop {

using internal::AuditChange;
using internal::LockName;
using internal::WriteResult;

namespace {

bool SamePlan(const Distribution& a, const Distribution& b) {
  return a.kind == b.kind && a.name == b.name && a.coop_code == b.coop_code &&
         a.warehouse_code == b.warehouse_code && a.item == b.item &&
         a.event_code == b.event_code && a.area_code == b.area_code &&
         a.eligibility == b.eligibility && a.quantity == b.quantity &&
         a.cutoff_on == b.cutoff_on && a.decision == b.decision;
}

}  // namespace

Result<InKindItem> AddItem(store::Session& session, const Actor& actor,
                           InKindItem item) {
  MALCHIN_RETURN_IF_ERROR(CheckCode(item.code, "code"));
  MALCHIN_RETURN_IF_ERROR(CheckText(item.name_en, "name_en", 200));
  MALCHIN_RETURN_IF_ERROR(CheckText(item.name_mn, "name_mn", 200));
  if (item.unit != "head" && item.unit != "kg" && item.unit != "piece") {
    return Status::InvalidArgument(
        "unit '" + item.unit + "': expected head, kg or piece", "unit");
  }
  if (item.unit_value < 0 || item.unit_value > 1'000'000'000'000) {
    return Status::InvalidArgument("unit_value: expected MNT, 0 or more",
                                   "unit_value");
  }
  return WriteResult<InKindItem>(session, [&]() -> Result<InKindItem> {
    auto& repo = session.Get<DistributionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(auto existing, repo.FindItem(item.code));
    if (existing) {
      if (existing->name_en == item.name_en &&
          existing->name_mn == item.name_mn && existing->unit == item.unit &&
          existing->unit_value == item.unit_value) {
        return std::move(*existing);
      }
      return Status::AlreadyExists("item " + item.code +
                                   " is in the catalogue with other details");
    }
    InKindItem out = item;
    out.created_by = actor.username;
    out.created_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(
        out.id, repo.InsertItem(out, out.created_by, out.created_at));
    nlohmann::ordered_json j = {{"code", out.code},
                                {"name_en", out.name_en},
                                {"name_mn", out.name_mn},
                                {"unit", out.unit},
                                {"unit_value", out.unit_value}};
    MALCHIN_RETURN_IF_ERROR(AuditChange(session, actor, "coop.item",
                                        "coop_item", out.code, j.dump()));
    return out;
  });
}

Result<std::vector<InKindItem>> Items(store::Session& session) {
  return session.Get<DistributionRepository>().Items();
}

Result<Distribution> Prepare(store::Session& session, const Context& ctx,
                             const Actor& actor, Distribution d) {
  return WriteResult<Distribution>(session, [&]() -> Result<Distribution> {
    Distribution x = d;
    MALCHIN_ASSIGN_OR_RETURN(internal::Source src,
                             internal::Resolve(session, ctx, x));
    MALCHIN_RETURN_IF_ERROR(
        CheckActsOver(actor, store::AreaFilter::FromCode(x.area_code),
                      "area " + std::to_string(x.area_code)));
    auto& repo = session.Get<DistributionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(auto existing, repo.FindDistribution(x.code));
    if (existing) {
      if (SamePlan(*existing, x)) return std::move(*existing);
      return Status::AlreadyExists("distribution " + x.code +
                                   " exists with other details");
    }
    x.status = DistributionStatus::kPrepared;
    x.prepared_by = actor.username;
    x.prepared_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(
        x.id, repo.InsertDistribution(x, src.coop ? src.coop->id : 0,
                                      src.warehouse ? src.warehouse->id : 0,
                                      src.item ? src.item->id : 0,
                                      x.prepared_by, x.prepared_at));
    MALCHIN_RETURN_IF_ERROR(
        AuditChange(session, actor, "coop.distribution.prepare",
                    "coop_distribution", x.code, internal::AuditJson(x)));
    return x;
  });
}

Result<DistributionPreview> Preview(store::Session& session, const Context& ctx,
                                    const Distribution& input) {
  Distribution d = input;
  MALCHIN_ASSIGN_OR_RETURN(internal::Source src,
                           internal::Resolve(session, ctx, d));
  MALCHIN_ASSIGN_OR_RETURN(rules::Rule rule,
                           internal::DistributionRule(d, ctx.parameters));
  MALCHIN_ASSIGN_OR_RETURN(
      registry::SheepUnitFactors factors,
      registry::SheepUnitFactors::On(*ctx.parameters, d.cutoff_on));
  response::FrameCache once(1);
  response::FrameCache& frames = ctx.frames ? *ctx.frames : once;
  MALCHIN_ASSIGN_OR_RETURN(
      std::shared_ptr<const rules::Frame> frame,
      frames.Get(session, store::AreaFilter::FromCode(d.area_code), d.cutoff_on,
                 factors));
  MALCHIN_ASSIGN_OR_RETURN(auto households,
                           internal::HouseholdsOf(session, d, src));
  MALCHIN_ASSIGN_OR_RETURN(auto event, internal::EventOf(session, d));
  MALCHIN_ASSIGN_OR_RETURN(
      internal::Selection sel,
      internal::Bind(ctx, rule, std::move(frame), households, event));
  DistributionPreview out;
  out.preview = sel.evaluator->ComputePreview();
  out.unit_value = src.unit_value;
  out.total_value = out.preview.national.amount * src.unit_value;
  MALCHIN_ASSIGN_OR_RETURN(
      out.available,
      internal::Available(session, src, session.clock().Today()));
  return out;
}

Result<Distribution> FindDistribution(store::Session& session,
                                      const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto d, session.Get<DistributionRepository>().FindDistribution(code));
  if (!d || !internal::Visible(session, *d)) {
    return Status::NotFound("no distribution '" + code + "' in your area / '" +
                            code + "' хуваарилалт таны хариуцсан нутагт алга");
  }
  return std::move(*d);
}

Result<std::vector<Distribution>> Distributions(
    store::Session& session, std::optional<DistributionKind> kind) {
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<Distribution> all,
      session.Get<DistributionRepository>().Distributions(kind));
  std::vector<Distribution> out;
  for (Distribution& d : all) {
    if (internal::Visible(session, d)) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace malchin::coop
