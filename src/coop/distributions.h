// Distributions to households: payouts from a cooperative's contingency
// fund after a shock, feed from an emergency reserve during a dzud, and
// in-kind support from the catalogue (pedigree rams and bucks, fodder,
// equipment). One workflow for the three:
//
//   Prepare   the households are chosen by a rule of the rule language
//             (src/rules, unit household: tested on each household's head),
//             e.g. the programme's rams:
//               household.sheep_units < 200 and
//               (household.head.sex == F or household.head.age < 35)
//             with a quantity per household (MNT for a payout, kg of feed,
//             units of an item; a number or a formula), over the
//             households of an area (a payout: the cooperative's soum),
//             restricted to a cooperative's member households when one is
//             named (always for a payout), judged on a cut-off date, in
//             the context of a shock event if one is named (event.severity).
//   Preview   who and how much, with the disaggregation every preview has
//             (rules::Preview: by soum and aimag x sex x age band x
//             disability of the household head), before and after
//             preparing; nothing is written.
//   Approve   by another user than the one who prepared it (maker-checker,
//             also a CHECK of the database): the chosen households are
//             frozen as lines, with the head's sex and birth date. A payout
//             needs the fund to hold its total, feed the warehouse's stock.
//   Deliver   confirmed per household: when, who received it (a member of
//             the household; by default its head), who confirmed it. A
//             payout's delivery is its payment from the fund (a ledger
//             entry); feed's is a movement out of the warehouse. A
//             household never receives the same distribution twice: one
//             line and one delivery per household, constraints of the
//             database; two confirmations at once serialize on the
//             distribution's lock and the second is refused (or replayed,
//             when it is a retry with the same client key).
//
// Thread-safety: reentrant; one Session per thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "core/status.h"
#include "rules/evaluator.h"
#include "store/session.h"

namespace malchin::coop {

// --- The in-kind catalogue ---------------------------------------------------

// Adds an item (code, names in both languages, unit head|kg|piece, unit
// value >= 0). The same item again is returned; other details for the same
// code are AlreadyExists.
Result<InKindItem> AddItem(store::Session& session, const Actor& actor,
                           InKindItem item);
Result<std::vector<InKindItem>> Items(store::Session& session);

// --- Distributions
// -------------------------------------------------------------

// Checks and stores a prepared distribution (prepared_by = actor). Every
// problem of the rule is listed (line:column) in one InvalidArgument.
// Idempotent like AddItem. `cutoff_on` is required.
Result<Distribution> Prepare(store::Session& session, const Context& context,
                             const Actor& actor, Distribution d);

struct DistributionPreview {
  rules::Preview preview;  // amount = quantity (MNT, kg or units).
  int64_t unit_value = 0;  // MNT per unit (in kind); 1 for a payout.
  int64_t total_value = 0;
  // What the source holds: the fund's balance (payout) or the warehouse's
  // stock of that feed (kg), on the cut-off date; 0 for in kind.
  int64_t available = 0;
};
// The preview of a distribution, stored or not (then checked as Prepare
// does), over the caller's area. Writes nothing.
Result<DistributionPreview> Preview(store::Session& session,
                                    const Context& context,
                                    const Distribution& d);

// A distribution the caller may see (its area overlaps theirs), or
// NotFound.
Result<Distribution> FindDistribution(store::Session& session,
                                      const std::string& code);
// Those the caller may see, newest first (of one kind if given).
Result<std::vector<Distribution>> Distributions(
    store::Session& session, std::optional<DistributionKind> kind);

// Approves and freezes the lines. PermissionDenied if `actor` prepared it
// (in English and Mongolian) or does not act over its area;
// FailedPrecondition if the fund or the stock does not hold the total or
// nobody is chosen. Already approved: returned unchanged, whoever asks.
Result<Distribution> Approve(store::Session& session, const Context& context,
                             const Actor& actor, const std::string& code);

struct DeliveryRequest {
  std::string code;          // The distribution.
  std::string household_id;  // A household with a line.
  Date on;                   // Not before the cut-off date.
  std::string received_by;   // Register number; empty: the line's payee.
  std::string note;
  std::string client_key;
};
struct Delivered {
  DistributionLine line;  // With its delivery.
  bool replayed = false;
};
// Confirms one delivery. NotFound for a household without a line (in the
// caller's area); FailedPrecondition before approval, or if the fund or
// stock cannot cover it; InvalidArgument if the receiver is not an active
// member of the household; AlreadyExists if the household received it
// before (in both languages), unless it is a retry with the same client
// key (replayed).
Result<Delivered> Deliver(store::Session& session, const Context& context,
                          const Actor& actor, const DeliveryRequest& request);

// Delivers every line of the caller's area not yet delivered, to each
// household's payee, on `on`, in one transaction (e.g. a payout paid to
// all members at a meeting). Returns how many were delivered.
Result<int64_t> DeliverAll(store::Session& session, const Context& context,
                           const Actor& actor, const std::string& code,
                           Date on);

// Lines of households in the caller's area, by household id, a page.
Result<LinePage> Lines(store::Session& session, const std::string& code,
                       bool undelivered_only, int page, int page_size);

}  // namespace malchin::coop
