#include "coop/feed.h"

#include <nlohmann/json.hpp>

#include "coop/books.h"

namespace malchin::coop {

using internal::AuditChange;
using internal::WriteResult;

namespace {

bool SameWarehouse(const Warehouse& a, const Warehouse& b) {
  return a.name == b.name && a.coop_code == b.coop_code &&
         a.soum_code == b.soum_code && a.bag == b.bag &&
         a.capacity_kg == b.capacity_kg;
}

Result<Warehouse> WarehouseActedOn(store::Session& session, const Actor& actor,
                                   const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(Warehouse w, FindWarehouse(session, code));
  MALCHIN_RETURN_IF_ERROR(CheckActsOver(
      actor, store::AreaFilter::FromCode(w.soum_code), "warehouse " + w.code));
  return w;
}

}  // namespace

namespace internal {

Result<RecordedMovement> AppendMovement(store::Session& session,
                                        const Actor& actor, const Warehouse& w,
                                        FeedMovement m) {
  MALCHIN_RETURN_IF_ERROR(session.Lock(LockName("warehouse", w.id)));
  auto& repo = session.Get<Repository>();
  m.warehouse = w.code;
  if (!m.client_key.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto found, repo.FindMovementByClientKey(actor.username, m.client_key));
    if (found) {
      if (found->warehouse == m.warehouse && found->kind == m.kind &&
          found->feed == m.feed && found->kg == m.kg && found->on == m.on &&
          found->reverses == m.reverses && found->line_id == m.line_id) {
        return RecordedMovement{std::move(*found), true};
      }
      return Status::AlreadyExists(
          "the idempotency key " + m.client_key + " of " + actor.username +
          " was used for movement " + std::to_string(found->id) +
          "; send a new key for a new movement / энэ түлхүүрийг өөр "
          "хөдөлгөөнд ашигласан");
    }
  }
  if (m.kg < 0) {
    MALCHIN_ASSIGN_OR_RETURN(std::vector<FeedMovement> all,
                             repo.Movements(w.id));
    std::vector<std::pair<Date, int64_t>> changes;
    for (const FeedMovement& x : all) {
      if (x.feed == m.feed) changes.emplace_back(x.on, x.kg);
    }
    const int64_t stock = LowestFrom(std::move(changes), m.on);
    if (stock + m.kg < 0) {
      return Status::FailedPrecondition(
          "warehouse " + w.code + " holds " + std::to_string(stock) +
          " kg of " + std::string(FeedTypeName(m.feed)) +
          " that may leave on " + m.on.ToString() +
          " (counting later movements); " + std::to_string(-m.kg) +
          " kg cannot leave / нөөц хүрэлцэхгүй");
    }
  }
  m.actor = actor.username;
  m.recorded_at = session.clock().NowIso();
  MALCHIN_ASSIGN_OR_RETURN(
      m.id, repo.AppendMovement(m, w.id, m.actor, m.recorded_at));
  MALCHIN_RETURN_IF_ERROR(AuditChange(
      session, actor, "coop.feed." + std::string(MovementKindName(m.kind)),
      "coop_feed_movement", std::to_string(m.id), AuditJson(m)));
  return RecordedMovement{std::move(m), false};
}

}  // namespace internal

Result<Warehouse> RegisterWarehouse(store::Session& session, const Context& ctx,
                                    const Actor& actor, Warehouse w) {
  MALCHIN_RETURN_IF_ERROR(CheckCode(w.code, "code"));
  MALCHIN_RETURN_IF_ERROR(CheckText(w.name, "name", 200));
  MALCHIN_RETURN_IF_ERROR(CheckText(w.bag, "bag", 100, true));
  const geo::Unit* u = ctx.geography->Find(w.soum_code);
  if (!u || u->is_aimag_level()) {
    return Status::InvalidArgument(
        "soum " + std::to_string(w.soum_code) +
            ": expected the 5-digit code of a soum or district",
        "soum_code");
  }
  if (w.capacity_kg < 0) {
    return Status::InvalidArgument("capacity: expected kg, 0 or more",
                                   "capacity_kg");
  }
  MALCHIN_RETURN_IF_ERROR(
      CheckActsOver(actor, store::AreaFilter::FromCode(w.soum_code),
                    "soum " + std::to_string(w.soum_code)));
  return WriteResult<Warehouse>(session, [&]() -> Result<Warehouse> {
    auto& repo = session.Get<Repository>();
    int64_t coop_id = 0;
    if (!w.coop_code.empty()) {
      MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                               internal::CooperativeOf(session, w.coop_code));
      if (c.soum_code != w.soum_code) {
        return Status::InvalidArgument(
            "cooperative " + c.code + " is registered in soum " +
                std::to_string(c.soum_code) + ", not " +
                std::to_string(w.soum_code),
            "coop");
      }
      coop_id = c.id;
    }
    MALCHIN_ASSIGN_OR_RETURN(auto existing, repo.FindWarehouse(w.code));
    if (existing) {
      if (SameWarehouse(*existing, w)) return std::move(*existing);
      return Status::AlreadyExists("warehouse " + w.code +
                                   " is registered with other details");
    }
    Warehouse out = w;
    out.created_by = actor.username;
    out.created_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(
        out.id,
        repo.InsertWarehouse(out, coop_id, out.created_by, out.created_at));
    nlohmann::ordered_json j = {{"code", out.code},
                                {"name", out.name},
                                {"coop", out.coop_code},
                                {"soum_code", out.soum_code},
                                {"capacity_kg", out.capacity_kg}};
    MALCHIN_RETURN_IF_ERROR(AuditChange(session, actor, "coop.warehouse",
                                        "coop_warehouse", out.code, j.dump()));
    return out;
  });
}

Result<Warehouse> FindWarehouse(store::Session& session,
                                const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(auto w,
                           session.Get<Repository>().FindWarehouse(code));
  if (!w) {
    return Status::NotFound("no warehouse '" + code + "' in your area / '" +
                            code + "' агуулах таны хариуцсан нутагт алга");
  }
  return std::move(*w);
}

Result<std::vector<WarehouseStock>> Warehouses(store::Session& session,
                                               int32_t soum_code, Date as_of) {
  auto& repo = session.Get<Repository>();
  std::vector<int32_t> soums;
  if (soum_code) soums.push_back(soum_code);
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Warehouse> ws, repo.Warehouses(soums));
  std::vector<WarehouseStock> out;
  for (Warehouse& w : ws) {
    MALCHIN_ASSIGN_OR_RETURN(FeedStock s, repo.Stock(w.id, as_of));
    out.push_back({std::move(w), s});
  }
  return out;
}

Result<RecordedMovement> RecordMovement(store::Session& session,
                                        const Actor& actor,
                                        const MovementRequest& r) {
  if (r.kind != MovementKind::kReceived && r.kind != MovementKind::kLoss) {
    return Status::InvalidArgument(
        "kind: expected received or loss (feed is distributed through an "
        "approved distribution)",
        "kind");
  }
  if (r.kg <= 0 || r.kg > 100'000'000) {
    return Status::InvalidArgument(
        "kg " + std::to_string(r.kg) + ": expected 1 to 100,000,000", "kg");
  }
  MALCHIN_RETURN_IF_ERROR(
      CheckText(r.note, "note", 500, r.kind == MovementKind::kReceived));
  return WriteResult<RecordedMovement>(
      session, [&]() -> Result<RecordedMovement> {
        MALCHIN_ASSIGN_OR_RETURN(
            Warehouse w, WarehouseActedOn(session, actor, r.warehouse_code));
        FeedMovement m;
        m.on = r.on;
        m.feed = r.feed;
        m.kind = r.kind;
        m.kg = r.kind == MovementKind::kLoss ? -r.kg : r.kg;
        m.note = r.note;
        m.client_key = r.client_key;
        return internal::AppendMovement(session, actor, w, std::move(m));
      });
}

Result<RecordedMovement> ReverseMovement(store::Session& session,
                                         const Actor& actor,
                                         const std::string& warehouse_code,
                                         int64_t movement_id, Date on,
                                         const std::string& reason,
                                         const std::string& client_key) {
  MALCHIN_RETURN_IF_ERROR(CheckText(reason, "reason", 500));
  return WriteResult<RecordedMovement>(
      session, [&]() -> Result<RecordedMovement> {
        MALCHIN_ASSIGN_OR_RETURN(
            Warehouse w, WarehouseActedOn(session, actor, warehouse_code));
        MALCHIN_RETURN_IF_ERROR(
            session.Lock(internal::LockName("warehouse", w.id)));
        MALCHIN_ASSIGN_OR_RETURN(std::vector<FeedMovement> all,
                                 session.Get<Repository>().Movements(w.id));
        const FeedMovement* target = nullptr;
        for (const FeedMovement& x : all) {
          if (x.id == movement_id) target = &x;
          if (x.reverses == movement_id &&
              (client_key.empty() || x.client_key != client_key)) {
            return Status::AlreadyExists(
                "movement " + std::to_string(movement_id) +
                " was reversed by movement " + std::to_string(x.id) +
                " / хөдөлгөөнийг аль хэдийн буцаасан");
          }
        }
        if (!target) {
          return Status::NotFound("no movement " + std::to_string(movement_id) +
                                  " in warehouse " + w.code + " / " + w.code +
                                  " агуулахад " + std::to_string(movement_id) +
                                  " дугаартай хөдөлгөөн алга");
        }
        if (target->kind != MovementKind::kReceived &&
            target->kind != MovementKind::kLoss) {
          return Status::FailedPrecondition(
              "movement " + std::to_string(movement_id) + " is a " +
              std::string(MovementKindName(target->kind)) +
              ", which is not reversed / энэ хөдөлгөөнийг буцаахгүй");
        }
        if (on < target->on) {
          return Status::InvalidArgument(
              "a reversal dated before the movement it reverses", "date");
        }
        FeedMovement m;
        m.on = on;
        m.feed = target->feed;
        m.kind = MovementKind::kReversal;
        m.kg = -target->kg;
        m.reverses = movement_id;
        m.note = reason;
        m.client_key = client_key;
        return internal::AppendMovement(session, actor, w, std::move(m));
      });
}

Result<FeedStock> StockOn(store::Session& session,
                          const std::string& warehouse_code, Date on) {
  MALCHIN_ASSIGN_OR_RETURN(Warehouse w, FindWarehouse(session, warehouse_code));
  return session.Get<Repository>().Stock(w.id, on);
}

Result<std::vector<StockLine>> StockCard(store::Session& session,
                                         const std::string& warehouse_code) {
  MALCHIN_ASSIGN_OR_RETURN(Warehouse w, FindWarehouse(session, warehouse_code));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<FeedMovement> all,
                           session.Get<Repository>().Movements(w.id));
  std::vector<StockLine> out;
  FeedStock stock;
  for (FeedMovement& m : all) {
    (m.feed == FeedType::kHay ? stock.hay_kg : stock.fodder_kg) += m.kg;
    const int64_t after = stock.Of(m.feed);
    out.push_back({std::move(m), after});
  }
  return out;
}

}  // namespace malchin::coop
