// Emergency feed reserves: hay and fodder warehouses kept by communities,
// with their stock in kilograms as a ledger of movements that is never
// edited: received, distributed to households during a dzud (by rule and
// approved: distributions.h, kind feed), lost (spoiled, burnt, stolen),
// and reversals of mistakes.
//
// Rules: a warehouse is registered in a soum of the acting user's area
// (kept by a cooperative of that soum, or by the soum itself). Feed leaves
// (loss, distribution, the reversal of a receipt) only if the stock of that
// feed stays at or above zero on that date and every later date. Client
// keys work as for the fund (fund.h).
//
// Thread-safety: reentrant; one Session per thread.
#pragma once

#include <string>
#include <vector>

#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::coop {

// InvalidArgument naming the field; PermissionDenied outside the actor's
// area; NotFound for a cooperative not in the caller's area. The same
// warehouse again is returned unchanged; the same code with other details
// is AlreadyExists.
Result<Warehouse> RegisterWarehouse(store::Session& session,
                                    const Context& context, const Actor& actor,
                                    Warehouse w);

Result<Warehouse> FindWarehouse(store::Session& session,
                                const std::string& code);
// Warehouses of the caller's area (optionally of one soum), with their
// stock on `as_of`.
struct WarehouseStock {
  Warehouse warehouse;
  FeedStock stock;
};
Result<std::vector<WarehouseStock>> Warehouses(store::Session& session,
                                               int32_t soum_code, Date as_of);

struct MovementRequest {
  std::string warehouse_code;
  Date on;
  FeedType feed = FeedType::kHay;
  MovementKind kind = MovementKind::kReceived;  // received or loss.
  int64_t kg = 0;                               // > 0.
  std::string note;  // Where it came from, or how it was lost.
  std::string client_key;
};
struct RecordedMovement {
  FeedMovement movement;
  bool replayed = false;
};
// InvalidArgument for another kind, kg <= 0 or a loss without a note;
// FailedPrecondition if a loss exceeds the stock.
Result<RecordedMovement> RecordMovement(store::Session& session,
                                        const Actor& actor,
                                        const MovementRequest& request);
// Reverses movement `movement_id` (received or loss) on `on`. NotFound,
// FailedPrecondition for a distribution or a reversal (or a stock that
// would go below zero), AlreadyExists if reversed before.
Result<RecordedMovement> ReverseMovement(store::Session& session,
                                         const Actor& actor,
                                         const std::string& warehouse_code,
                                         int64_t movement_id, Date on,
                                         const std::string& reason,
                                         const std::string& client_key);

Result<FeedStock> StockOn(store::Session& session,
                          const std::string& warehouse_code, Date on);
// Every movement, by date then id, with the stock of its feed after it.
struct StockLine {
  FeedMovement movement;
  int64_t stock_after = 0;
};
Result<std::vector<StockLine>> StockCard(store::Session& session,
                                         const std::string& warehouse_code);

namespace internal {
// Appends a movement under the warehouse's lock (replays a client key,
// refuses an outflow beyond the stock), with its audit entry.
// REQUIRES: inside session.Write; `w` in the caller's area.
Result<RecordedMovement> AppendMovement(store::Session& session,
                                        const Actor& actor, const Warehouse& w,
                                        FeedMovement m);
}  // namespace internal

}  // namespace malchin::coop
