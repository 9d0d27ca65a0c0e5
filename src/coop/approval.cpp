// Distributions: approval (maker-checker, frozen lines) and delivery (once
// per household). See distributions.h.
#include <limits>
#include <nlohmann/json.hpp>

#include "coop/books.h"
#include "coop/distributions.h"
#include "coop/feed.h"
#include "coop/selection.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace malchin::coop {

using internal::AuditChange;
using internal::LockName;
using internal::WriteResult;

namespace {

// The distribution, visible to the caller, read again after taking its
// lock. REQUIRES: inside Write.
Result<Distribution> Locked(store::Session& session, const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(Distribution d, FindDistribution(session, code));
  MALCHIN_RETURN_IF_ERROR(session.Lock(LockName("distribution", d.id)));
  return FindDistribution(session, code);
}

// The lines of the chosen households, from the register as it is now.
Result<std::vector<NewLine>> ChooseLines(store::Session& session,
                                         const Context& ctx,
                                         const Distribution& d,
                                         const internal::Source& src) {
  MALCHIN_ASSIGN_OR_RETURN(rules::Rule rule,
                           internal::DistributionRule(d, ctx.parameters));
  MALCHIN_ASSIGN_OR_RETURN(
      registry::SheepUnitFactors factors,
      registry::SheepUnitFactors::On(*ctx.parameters, d.cutoff_on));
  MALCHIN_ASSIGN_OR_RETURN(registry::Roster roster,
                           session.Get<registry::Repository>().LoadRoster(
                               store::AreaFilter::FromCode(d.area_code)));
  const registry::Population& pop = roster.population;
  MALCHIN_ASSIGN_OR_RETURN(std::shared_ptr<const rules::Frame> frame,
                           rules::Frame::Build(pop, d.cutoff_on, factors));
  MALCHIN_ASSIGN_OR_RETURN(auto households,
                           internal::HouseholdsOf(session, d, src));
  MALCHIN_ASSIGN_OR_RETURN(auto event, internal::EventOf(session, d));
  MALCHIN_ASSIGN_OR_RETURN(
      internal::Selection sel,
      internal::Bind(ctx, rule, std::move(frame), households, event));
  std::vector<NewLine> lines;
  for (const rules::Beneficiary& b : sel.evaluator->Select()) {
    const int32_t p = sel.Origin(b.person);
    const int32_t h = pop.household[p];
    NewLine l;
    l.household_id = pop.household_id[h];
    l.payee_pid = roster.person_row[p];
    l.soum_code = pop.soum_code[h];
    l.payee_sex = static_cast<registry::Sex>(pop.sex[p]);
    l.payee_birth_date = Date::FromDays(pop.birth_days[p]);
    l.quantity = b.amount;
    l.value = b.amount * src.unit_value;
    lines.push_back(std::move(l));
  }
  return lines;
}

// The fund or the stock must hold the total. REQUIRES: inside Write.
Status CheckCovered(store::Session& session, const internal::Source& src,
                    int64_t total, Date today) {
  if (src.item) return Status::Ok();
  if (src.warehouse) {
    MALCHIN_RETURN_IF_ERROR(
        session.Lock(LockName("warehouse", src.warehouse->id)));
  } else {
    MALCHIN_RETURN_IF_ERROR(
        session.Lock(LockName(BookName(Book::kFund), src.coop->id)));
  }
  MALCHIN_ASSIGN_OR_RETURN(int64_t held,
                           internal::Available(session, src, today));
  if (held >= total) return Status::Ok();
  return Status::FailedPrecondition(
      std::string(src.warehouse ? "warehouse " + src.warehouse->code +
                                      " holds " + std::to_string(held) + " kg"
                                : "the fund of " + src.coop->code + " holds " +
                                      std::to_string(held) + " MNT") +
      "; the distribution needs " + std::to_string(total) +
      " / нөөц хүрэлцэхгүй");
}

// Delivers one line (its payment or its feed, then the delivery row).
// REQUIRES: inside Write, the distribution's lock held.
Status DeliverLine(store::Session& session, const Actor& actor,
                   const Distribution& d, const internal::Source& src,
                   const DistributionLine& line, Date on,
                   const PersonRef& receiver, const std::string& note,
                   const std::string& client_key) {
  if (d.kind == DistributionKind::kPayout) {
    LedgerEntry e;
    e.on = on;
    e.kind = EntryKind::kPayout;
    e.amount = -line.value;
    e.register_no = receiver.register_no;
    e.line_id = line.id;
    e.note = "distribution " + d.code;
    internal::Owner fund{Book::kFund, src.coop->id, src.coop->code,
                         src.coop->soum_code};
    MALCHIN_RETURN_IF_ERROR(
        internal::AppendToBook(session, actor, fund, std::move(e), receiver.pid)
            .status());
  } else if (d.kind == DistributionKind::kFeed) {
    FeedMovement m;
    m.on = on;
    m.feed = src.feed;
    m.kind = MovementKind::kDistributed;
    m.kg = -line.quantity;
    m.household_id = line.household_id;
    m.line_id = line.id;
    m.note = "distribution " + d.code;
    MALCHIN_RETURN_IF_ERROR(
        internal::AppendMovement(session, actor, *src.warehouse, std::move(m))
            .status());
  }
  Delivery del;
  del.delivered_on = on;
  del.received_by = receiver.register_no;
  del.confirmed_by = actor.username;
  del.note = note;
  del.client_key = client_key;
  MALCHIN_ASSIGN_OR_RETURN(
      del.id, session.Get<DistributionRepository>().InsertDelivery(
                  d.id, line.id, del, receiver.pid, session.clock().NowIso()));
  nlohmann::ordered_json j = {{"distribution", d.code},
                              {"household_id", line.household_id},
                              {"quantity", line.quantity},
                              {"value", line.value},
                              {"delivered_on", on.ToString()},
                              {"received_by", receiver.register_no},
                              {"note", note}};
  return AuditChange(session, actor, "coop.distribution.deliver",
                     "coop_delivery", std::to_string(del.id), j.dump(),
                     receiver.register_no);
}

Status CheckApproved(const Distribution& d) {
  if (d.status == DistributionStatus::kApproved) return Status::Ok();
  return Status::FailedPrecondition("distribution " + d.code +
                                    " is not approved yet / батлагдаагүй");
}

}  // namespace

Result<Distribution> Approve(store::Session& session, const Context& ctx,
                             const Actor& actor, const std::string& code) {
  return WriteResult<Distribution>(session, [&]() -> Result<Distribution> {
    MALCHIN_ASSIGN_OR_RETURN(Distribution d, Locked(session, code));
    if (d.status == DistributionStatus::kApproved) return d;
    if (d.prepared_by == actor.username) {
      return Status::PermissionDenied(
          "distribution " + d.code + " was prepared by " + actor.username +
          ", who cannot also approve it (maker-checker) / бэлтгэсэн хүн " +
          "өөрөө батлах боломжгүй");
    }
    MALCHIN_RETURN_IF_ERROR(
        CheckActsOver(actor, store::AreaFilter::FromCode(d.area_code),
                      "distribution " + d.code));
    MALCHIN_ASSIGN_OR_RETURN(internal::Source src,
                             internal::Resolve(session, ctx, d));
    MALCHIN_ASSIGN_OR_RETURN(std::vector<NewLine> lines,
                             ChooseLines(session, ctx, d, src));
    if (lines.empty()) {
      return Status::FailedPrecondition(
          "the rule of " + d.code +
          " chooses no household / нөхцөлд тохирох өрх алга");
    }
    int64_t quantity = 0, value = 0;
    for (const NewLine& l : lines) {
      quantity += l.quantity;
      value += l.value;
    }
    MALCHIN_RETURN_IF_ERROR(CheckCovered(session, src,
                                         src.warehouse ? quantity : value,
                                         session.clock().Today()));
    MALCHIN_RETURN_IF_ERROR(session.Get<DistributionRepository>().Approve(
        d.id, actor.username, session.clock().NowIso(), lines, quantity,
        value));
    MALCHIN_ASSIGN_OR_RETURN(Distribution out, FindDistribution(session, code));
    MALCHIN_RETURN_IF_ERROR(
        AuditChange(session, actor, "coop.distribution.approve",
                    "coop_distribution", out.code, internal::AuditJson(out)));
    return out;
  });
}

Result<Delivered> Deliver(store::Session& session, const Context& ctx,
                          const Actor& actor, const DeliveryRequest& r) {
  MALCHIN_RETURN_IF_ERROR(CheckText(r.note, "note", 500, true));
  return WriteResult<Delivered>(session, [&]() -> Result<Delivered> {
    auto& repo = session.Get<DistributionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(Distribution d, Locked(session, r.code));
    MALCHIN_RETURN_IF_ERROR(CheckApproved(d));
    if (!r.client_key.empty()) {
      MALCHIN_ASSIGN_OR_RETURN(auto found, repo.FindDeliveryByClientKey(
                                               actor.username, r.client_key));
      if (found) {
        if (found->first != r.household_id) {
          return Status::AlreadyExists(
              "the idempotency key " + r.client_key +
              " was used for the delivery to household " + found->first +
              " / энэ түлхүүрийг өөр өрхийн хүлээлгэн өгөлтөд ашигласан");
        }
        MALCHIN_ASSIGN_OR_RETURN(auto line, repo.FindLine(d.id, found->first));
        if (line) return Delivered{std::move(*line), true};
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(auto line, repo.FindLine(d.id, r.household_id));
    if (!line) {
      return Status::NotFound("household " + r.household_id +
                              " has no line in distribution " + d.code + " / " +
                              r.household_id + " өрх " + d.code +
                              " хуваарилалтад ороогүй");
    }
    MALCHIN_RETURN_IF_ERROR(
        CheckActsOver(actor, store::AreaFilter::FromCode(line->soum_code),
                      "household " + r.household_id));
    if (line->delivery) {
      return Status::AlreadyExists(
          "household " + r.household_id + " received " + d.code + " on " +
          line->delivery->delivered_on.ToString() + " (confirmed by " +
          line->delivery->confirmed_by + ") / энэ өрх аль хэдийн авсан");
    }
    if (r.on < d.cutoff_on) {
      return Status::InvalidArgument("delivered on " + r.on.ToString() +
                                         ", before the cut-off date " +
                                         d.cutoff_on.ToString(),
                                     "date");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        PersonRef receiver,
        internal::ActivePerson(session, r.received_by.empty()
                                            ? line->payee_register_no
                                            : r.received_by));
    if (receiver.household_id != r.household_id) {
      return Status::InvalidArgument(receiver.register_no +
                                         " is not a member of household " +
                                         r.household_id,
                                     "received_by");
    }
    MALCHIN_ASSIGN_OR_RETURN(internal::Source src,
                             internal::Resolve(session, ctx, d));
    MALCHIN_RETURN_IF_ERROR(DeliverLine(session, actor, d, src, *line, r.on,
                                        receiver, r.note, r.client_key));
    MALCHIN_ASSIGN_OR_RETURN(auto done, repo.FindLine(d.id, r.household_id));
    return Delivered{std::move(*done), false};
  });
}

Result<int64_t> DeliverAll(store::Session& session, const Context& ctx,
                           const Actor& actor, const std::string& code,
                           Date on) {
  return WriteResult<int64_t>(session, [&]() -> Result<int64_t> {
    auto& repo = session.Get<DistributionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(Distribution d, Locked(session, code));
    MALCHIN_RETURN_IF_ERROR(CheckApproved(d));
    if (on < d.cutoff_on) {
      return Status::InvalidArgument("delivered on " + on.ToString() +
                                         ", before the cut-off date " +
                                         d.cutoff_on.ToString(),
                                     "date");
    }
    MALCHIN_ASSIGN_OR_RETURN(internal::Source src,
                             internal::Resolve(session, ctx, d));
    MALCHIN_ASSIGN_OR_RETURN(
        LinePage page,
        repo.Lines(d.id, true, 0, std::numeric_limits<int32_t>::max()));
    int64_t delivered = 0;
    for (const DistributionLine& line : page.items) {
      MALCHIN_RETURN_IF_ERROR(
          CheckActsOver(actor, store::AreaFilter::FromCode(line.soum_code),
                        "household " + line.household_id));
      MALCHIN_ASSIGN_OR_RETURN(
          PersonRef payee,
          internal::ActivePerson(session, line.payee_register_no));
      MALCHIN_RETURN_IF_ERROR(
          DeliverLine(session, actor, d, src, line, on, payee, "", ""));
      ++delivered;
    }
    return delivered;
  });
}

Result<LinePage> Lines(store::Session& session, const std::string& code,
                       bool undelivered_only, int page, int page_size) {
  MALCHIN_ASSIGN_OR_RETURN(Distribution d, FindDistribution(session, code));
  const int size = std::clamp(page_size, 1, 500);
  return session.Get<DistributionRepository>().Lines(
      d.id, undelivered_only,
      static_cast<int64_t>(std::max(page, 1) - 1) * size, size);
}

}  // namespace malchin::coop
