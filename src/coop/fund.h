// The shock contingency fund: one ledger per cooperative, in integer MNT,
// never edited (a correction is a reversal).
//
//   In:  contributions of members (cash, bank, or in kind: livestock, wool,
//        cashmere valued at the dated price table, src/prices, in the
//        cooperative's aimag on the day, or at a value the members state);
//        allocations from the cooperative's collective sales.
//   Out: payouts to member households after a shock (distributions.h,
//        kind payout: prepared by one person, approved by another, each
//        line paid once); members' insurance contributions paid from the
//        fund (through insurance's remittance path: insurance/
//        ledger_service.h).
//
// Rules: only an active member of the cooperative (on the entry's date)
// contributes or has insurance paid; money leaves the fund only if its
// balance stays at or above zero on that date and on every later date
// (entries may be recorded after the day they happened); only
// contributions and sales allocations are reversed here (a payout is final,
// an insurance payment is corrected in insurance), each at most once.
// With a client key (from the API's Idempotency-Key), a retry by the same
// user finds the entry already recorded (replayed) instead of recording it
// twice; the same key for a different entry is AlreadyExists.
//
// Thread-safety: reentrant; one Session per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "core/date.h"
#include "core/status.h"
#include "insurance/ledger_service.h"
#include "store/session.h"

namespace malchin::coop {

// What a write recorded; `replayed` when an earlier request with the same
// client key had recorded it.
struct Recorded {
  LedgerEntry entry;
  bool replayed = false;
};

struct ContributionRequest {
  std::string coop_code;
  std::string register_no;  // An active member on `on`.
  Date on;
  Method method = Method::kCash;
  // Cash or bank: the MNT paid (> 0). In kind: a stated value, or nullopt
  // to value item x quantity at the price table.
  std::optional<int64_t> amount;
  std::string item;  // In kind: what (a price-table item, or anything with
                     // a stated value).
  double quantity = 0;
  std::string note;
  std::string client_key;
};

// Records a member's contribution. InvalidArgument naming the field (no
// amount for cash, an amount not above zero, an in-kind item the table
// does not price without a stated value, a bad quantity); NotFound for a
// cooperative or person outside the caller's area; FailedPrecondition if
// the person is not an active member on that date.
Result<Recorded> Contribute(store::Session& session, const Context& context,
                            const Actor& actor,
                            const ContributionRequest& request);

// Records an allocation from the cooperative's collective sales (> 0).
Result<Recorded> RecordSales(store::Session& session, const Actor& actor,
                             const std::string& coop_code, Date on,
                             int64_t amount, const std::string& note,
                             const std::string& client_key);

// Reverses entry `entry_id` of the cooperative's fund on `on` (a new entry
// with the negated amount). NotFound if there is no such entry;
// FailedPrecondition for a payout, an insurance payment or a reversal, or
// if the fund's balance would go below zero; AlreadyExists if it was
// reversed before. `reason` is required.
Result<Recorded> ReverseFundEntry(store::Session& session, const Actor& actor,
                                  const std::string& coop_code,
                                  int64_t entry_id, Date on,
                                  const std::string& reason,
                                  const std::string& client_key);

// Members' insurance contributions paid from the fund: exactly what is due
// for each member's months (insurance::AllocateRemittance), recorded as one
// cooperative remittance in the insurance ledger (payer: the cooperative's
// name) and one fund entry per member, in one transaction. Money leaves
// only with two people (maker-checker, as payouts): one prepares the
// payment, a second approves it, and the approval pays.
struct InsuranceFromFund {
  std::string coop_code;
  Date on;
  std::vector<insurance::MemberRequest> members;  // Active members on `on`.
  std::string note;
  std::string client_key;
};
struct InsurancePaid {
  std::vector<LedgerEntry> entries;  // One per member paid.
  insurance::RemittanceReport remittance;
  int64_t amount = 0;  // Taken from the fund.
  bool replayed = false;
};
// Prepares a payment: checks the members (active on `on`), what is due
// (FailedPrecondition if nothing) and that the fund holds it on `on`
// (FailedPrecondition naming the balance), and stores the request; nothing
// is paid. The same client key again returns the request it prepared
// (`replayed`); for another cooperative it is AlreadyExists.
struct InsurancePrepared {
  InsurancePayment payment;
  bool replayed = false;
};
Result<InsurancePrepared> PrepareInsurance(store::Session& session,
                                           const Context& context,
                                           const Actor& actor,
                                           const InsuranceFromFund& request);
// Approves request `id` of cooperative `coop_code` and pays it (what is
// due now; FailedPrecondition if that is no longer the prepared amount or
// the fund no longer holds it). PermissionDenied for its preparer;
// NotFound outside the caller's area. Paid once: approving a paid request
// returns what it paid (`replayed`), also with two approvals at once.
Result<InsurancePaid> ApproveInsurance(store::Session& session,
                                       const Context& context,
                                       const Actor& actor,
                                       const std::string& coop_code,
                                       int64_t id);
// A cooperative's insurance requests, newest first.
Result<std::vector<InsurancePayment>> InsurancePayments(
    store::Session& session, const std::string& coop_code);

// A book's statement over [from, to]: the balance before `from`, the
// entries dated in the period with the running balance after each, and
// the balance at the end of `to`. For one member when `register_no` is
// given (their entries only; the balances are then theirs).
struct Statement {
  std::string owner;  // The cooperative's (or business's) code.
  std::string register_no;
  Date from, to;
  int64_t opening = 0;
  int64_t inflows = 0;   // Sum of positive entries in the period.
  int64_t outflows = 0;  // Sum of negative entries (as a negative number).
  int64_t closing = 0;   // opening + inflows + outflows.
  std::vector<LedgerEntry> entries;
  std::vector<int64_t> running;  // Balance after each entry.
};
Result<Statement> FundStatement(store::Session& session,
                                const std::string& coop_code, Date from,
                                Date to, const std::string& register_no = "");
// The fund's balance at the end of `on` (NotFound for an unknown
// cooperative).
Result<int64_t> FundBalance(store::Session& session,
                            const std::string& coop_code, Date on);

// What the cooperatives and warehouses of the soums affected by a shock
// event hold on a date (those in the caller's area).
struct CoopPosition {
  CoopSummary coop;
  std::string severity;  // Of its soum in the event.
};
struct WarehousePosition {
  Warehouse warehouse;
  FeedStock stock;
  std::string severity;
};
struct EventPosition {
  std::string event_code, event_name;
  Date as_of;
  std::vector<CoopPosition> cooperatives;
  std::vector<WarehousePosition> warehouses;
  int64_t fund_total = 0;
  int64_t members = 0;
  int64_t hay_kg = 0, fodder_kg = 0;
};
Result<EventPosition> EventPositionOf(store::Session& session,
                                      const std::string& event_code,
                                      Date as_of);

}  // namespace malchin::coop
