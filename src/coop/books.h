// Internal to src/coop: the rules every money book (a cooperative's fund, a
// business's seed fund) and every feed store share, and small helpers of
// the services. Not part of the capability's public contract.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coop/fund.h"
#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "store/session.h"

namespace malchin::coop::internal {

// The owner of a book.
struct Owner {
  Book book = Book::kFund;
  int64_t id = 0;
  std::string code;
  int32_t soum_code = 0;
};

// Runs `body` in one write transaction and returns what it returned.
template <class T>
Result<T> WriteResult(store::Session& session,
                      const std::function<Result<T>()>& body) {
  std::optional<T> out;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    Result<T> v = body();
    if (!v.ok()) return v.status();
    out = std::move(*v);
    return Status::Ok();
  }));
  return std::move(*out);
}

// The lowest balance a series of dated changes (in any order) reaches at
// the end of `on` or of any later date: what may still leave on `on`.
int64_t LowestFrom(std::vector<std::pair<Date, int64_t>> changes, Date on);

// The name of the store lock serializing the writes of a book, a
// warehouse or a distribution.
std::string LockName(std::string_view what, int64_t id);

// Appends `e` to `owner`'s book, inside the caller's Write, after taking the
// book's lock: a client key already used by the actor replays the entry it
// recorded (when it is the same entry: kind, amount, date, member) or is
// AlreadyExists; an outflow (amount < 0) must leave the balance at or above
// zero from its date on (FailedPrecondition, naming the balance). Writes the
// audit entry. `pid` is the member's (0: none).
// REQUIRES: inside session.Write.
Result<Recorded> AppendToBook(store::Session& session, const Actor& actor,
                              const Owner& owner, LedgerEntry e, int64_t pid);

// Reverses entry `entry_id` of `owner`'s book (only kinds in `reversible`).
// REQUIRES: inside session.Write.
Result<Recorded> ReverseInBook(store::Session& session, const Actor& actor,
                               const Owner& owner, int64_t entry_id, Date on,
                               const std::string& reason,
                               const std::string& client_key,
                               const std::vector<EntryKind>& reversible);

// The statement of a book from its entries (all of them, by date).
Statement StatementOf(const std::string& owner,
                      const std::vector<LedgerEntry>& entries, Date from,
                      Date to, const std::string& register_no);

// Appends an audit entry for the actor (after: a JSON object's text).
Status AuditChange(store::Session& session, const Actor& actor,
                   std::string_view action, std::string_view entity_type,
                   std::string_view entity_id, std::string after_json,
                   std::string register_no = "");

// The JSON text of a record for the audit trail (the API's form,
// coop/json.h).
std::string AuditJson(const LedgerEntry& e);
std::string AuditJson(const FeedMovement& m);
std::string AuditJson(const Distribution& d);
std::string AuditJson(const Membership& m);
std::string AuditJson(const Cooperative& c);

// Members' insurance from a fund (fund.cpp; insurance_payments.cpp).
// What is due for `r`: the remittance to record (exactly the contributions
// due, method bank) and the members; InvalidArgument, NotFound,
// FailedPrecondition (not members, nothing due, the fund does not hold it
// on r.on). REQUIRES: inside session.Write.
struct InsuranceDue {
  insurance::RemittanceRequest request;
  std::map<std::string, PersonRef> persons;  // By register number.
};
Result<InsuranceDue> DueFromFund(store::Session& session, const Context& ctx,
                                 const Cooperative& c,
                                 const InsuranceFromFund& r);
// Pays `r` from the fund of `c`: one remittance (client key
// `remittance_key`) and one fund entry per member paid, after taking the
// fund's lock. REQUIRES: inside session.Write.
Result<InsurancePaid> PayFromFund(store::Session& session, const Context& ctx,
                                  const Actor& actor, const Cooperative& c,
                                  const InsuranceFromFund& r,
                                  const std::string& remittance_key);
// What remittance `remittance_id` took from the fund of `c` (replayed).
Result<InsurancePaid> ReplayInsurance(store::Session& session,
                                      const Cooperative& c,
                                      int64_t remittance_id);

// A cooperative of the caller's area, or NotFound naming the code.
Result<Cooperative> CooperativeOf(store::Session& session,
                                  const std::string& code);
// A cooperative of the caller's area over whose soum `actor` acts:
// NotFound, or PermissionDenied.
Result<Cooperative> CoopActedOn(store::Session& session, const Actor& actor,
                                const std::string& code);
// An active person of the caller's area, or NotFound / FailedPrecondition.
Result<PersonRef> ActivePerson(store::Session& session,
                               const std::string& register_no);
// Whether the person is an active member of the cooperative on `on`.
Result<bool> IsMemberOn(store::Session& session, const std::string& coop_code,
                        const std::string& register_no, Date on);

}  // namespace malchin::coop::internal
