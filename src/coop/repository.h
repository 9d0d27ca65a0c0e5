// Where cooperatives and what the programme did through them live. Three
// repository interfaces, each implemented by every engine
// (src/backends/<engine>/coop_repository.cpp,
// coop_distribution_repository.cpp, coop_training_repository.cpp):
//
//   coop::Repository              cooperatives, memberships, the ledgers
//                                 (contingency funds, seed funds),
//                                 warehouses and feed movements
//   coop::DistributionRepository  the in-kind catalogue, distributions
//                                 (payouts, feed, in kind), their frozen
//                                 lines and deliveries
//   coop::TrainingRepository      trainings, attendance, businesses and
//                                 the counts for the results framework
//
// Data access only: every rule (who may do what, maker-checker, balances,
// never twice, idempotency decisions) is in the services of src/coop, which
// own the transactions (store::Session::Write) and write the audit trail.
// A method that writes joins the caller's transaction (or runs alone).
//
// What the database itself guarantees, in both engines: ledger entries,
// feed movements, distribution lines and deliveries are never changed or
// deleted (triggers); an entry or movement is reversed at most once; a
// distribution line is paid (ledger) or issued (feed) at most once; one
// line per household and distribution; one delivery per line and per
// (distribution, household); an approved distribution is frozen and its
// approver is not its preparer; idempotency keys are unique per actor; one
// open membership per person and cooperative; codes and registration
// numbers are unique.
//
// Area scoping (store/session.h): reads see only what is registered in the
// caller's area: cooperatives, warehouses, trainings and businesses by
// their soum, persons and distribution lines by their household's soum.
// Something outside does not exist (nullopt). Distributions carry an area
// code of any level and are returned whatever the caller's area; the
// services decide what overlaps.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coop/model.h"
#include "core/date.h"
#include "core/status.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::coop {

using store::AreaFilter;

// A person as this capability sees them (in the caller's area).
struct PersonRef {
  int64_t pid = 0;  // The store's key.
  std::string register_no;
  std::string household_id;
  std::string name;  // Father's name + given name.
  int32_t soum_code = 0;
  registry::Sex sex = registry::Sex::kFemale;
  Date birth_date;
  bool active = true;
};

struct CoopQuery {
  int32_t soum_code = 0;  // 0: any (the caller's area still applies).
  // Part of the code, or of the name as written or in either script
  // (matched through text::NameKey: "khorshoo" finds "Хоршоо"); "": all.
  std::string text;
  int page = 1;        // 1-based.
  int page_size = 50;  // 1..500.
};

struct CoopSummary {
  Cooperative coop;
  int64_t members = 0;       // Active on the date asked.
  int64_t households = 0;    // Distinct households of those members.
  int64_t fund_balance = 0;  // On the date asked.
};

struct CoopPage {
  std::vector<CoopSummary> items;  // By soum, then code.
  int64_t total = 0;
};

class Repository : public store::Repository {
 public:
  // --- Persons ---------------------------------------------------------
  virtual Result<std::optional<PersonRef>> FindPerson(
      std::string_view register_no) = 0;
  // Active members of a household, head first then by birth date.
  virtual Result<std::vector<PersonRef>> HouseholdMembers(
      std::string_view household_id) = 0;

  // --- Cooperatives ----------------------------------------------------
  // Returns the new id. AlreadyExists for a code or registration number
  // in use.
  virtual Result<int64_t> InsertCooperative(const Cooperative& c,
                                            std::string_view actor,
                                            std::string_view at) = 0;
  virtual Result<std::optional<Cooperative>> FindCooperative(
      std::string_view code) = 0;
  virtual Result<CoopPage> ListCooperatives(const CoopQuery& query,
                                            Date as_of) = 0;
  // The cooperatives registered in these soums, by soum then code.
  virtual Result<std::vector<CoopSummary>> CooperativesIn(
      const std::vector<int32_t>& soums, Date as_of) = 0;

  // --- Memberships -----------------------------------------------------
  virtual Result<int64_t> InsertMembership(int64_t coop_id, int64_t pid,
                                           MemberRole role, Date joined_on,
                                           std::string_view actor) = 0;
  // Sets the last day (and why) of an open membership.
  virtual Status EndMembership(int64_t membership_id, Date left_on,
                               std::string_view reason) = 0;
  // Every membership of the cooperative (all periods), by join date then
  // id, of persons in the caller's area.
  virtual Result<std::vector<Membership>> Members(int64_t coop_id) = 0;
  // A person's memberships (all cooperatives, all periods).
  virtual Result<std::vector<Membership>> MembershipsOf(
      std::string_view register_no) = 0;
  // Distinct household ids of members active on `on`.
  virtual Result<std::vector<std::string>> MemberHouseholds(int64_t coop_id,
                                                            Date on) = 0;

  // --- Ledgers ---------------------------------------------------------
  // Appends an entry of `owner_id`'s book (a cooperative's id for the fund,
  // a business's for seed), registered in `soum_code`, about person `pid`
  // (0: none). Returns its id. AlreadyExists if it reverses an entry
  // reversed before, pays a line paid before, uses a remittance twice or
  // repeats the actor's client key.
  virtual Result<int64_t> AppendEntry(const LedgerEntry& e, int64_t owner_id,
                                      int32_t soum_code, int64_t pid,
                                      std::string_view actor,
                                      std::string_view at) = 0;
  // Every entry of a book, by date then id (owner filled).
  virtual Result<std::vector<LedgerEntry>> Entries(Book book,
                                                   int64_t owner_id) = 0;
  virtual Result<std::optional<LedgerEntry>> FindEntry(Book book,
                                                       int64_t owner_id,
                                                       int64_t id) = 0;
  // The entry `actor` recorded with `client_key` (any book), if any.
  virtual Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      std::string_view actor, std::string_view client_key) = 0;
  // The sum of a book's entries dated on or before `as_of`.
  virtual Result<int64_t> Balance(Book book, int64_t owner_id, Date as_of) = 0;

  // --- Warehouses and feed ---------------------------------------------
  virtual Result<int64_t> InsertWarehouse(const Warehouse& w, int64_t coop_id,
                                          std::string_view actor,
                                          std::string_view at) = 0;
  virtual Result<std::optional<Warehouse>> FindWarehouse(
      std::string_view code) = 0;
  // The warehouses registered in `soums` (empty: all of the caller's
  // area), by soum then code.
  virtual Result<std::vector<Warehouse>> Warehouses(
      const std::vector<int32_t>& soums) = 0;
  // Appends a movement; `hh_id` is the household's id text (distributed)
  // or empty. Errors as AppendEntry.
  virtual Result<int64_t> AppendMovement(const FeedMovement& m,
                                         int64_t warehouse_id,
                                         std::string_view actor,
                                         std::string_view at) = 0;
  // Every movement of a warehouse, by date then id.
  virtual Result<std::vector<FeedMovement>> Movements(int64_t warehouse_id) = 0;
  virtual Result<std::optional<FeedMovement>> FindMovementByClientKey(
      std::string_view actor, std::string_view client_key) = 0;
  // Stock on `as_of`: the sum of movements dated on or before it.
  virtual Result<FeedStock> Stock(int64_t warehouse_id, Date as_of) = 0;
};

// A line to freeze at approval.
struct NewLine {
  std::string household_id;
  int64_t payee_pid = 0;
  int32_t soum_code = 0;
  registry::Sex payee_sex = registry::Sex::kFemale;
  Date payee_birth_date;
  int64_t quantity = 0;  // > 0.
  int64_t value = 0;     // >= 0.
};

struct LinePage {
  std::vector<DistributionLine> items;  // By household id.
  int64_t total = 0;
};

class DistributionRepository : public store::Repository {
 public:
  // --- Catalogue -------------------------------------------------------
  virtual Result<int64_t> InsertItem(const InKindItem& item,
                                     std::string_view actor,
                                     std::string_view at) = 0;
  virtual Result<std::optional<InKindItem>> FindItem(std::string_view code) = 0;
  virtual Result<std::vector<InKindItem>> Items() = 0;  // By code.

  // --- Distributions ---------------------------------------------------
  // Stores a prepared distribution (`coop_id`, `warehouse_id`, `item_id`:
  // 0 when not used). Returns its id. AlreadyExists for a code in use.
  virtual Result<int64_t> InsertDistribution(
      const Distribution& d, int64_t coop_id, int64_t warehouse_id,
      int64_t item_id, std::string_view actor, std::string_view at) = 0;
  // With `delivered` counted over the whole distribution.
  virtual Result<std::optional<Distribution>> FindDistribution(
      std::string_view code) = 0;
  // Every distribution (of `kind`, if given), newest first.
  virtual Result<std::vector<Distribution>> Distributions(
      std::optional<DistributionKind> kind) = 0;
  // Writes the lines and marks the distribution approved by `approver`
  // with its totals. The database refuses (AlreadyExists, as any
  // constraint) an approver who prepared it and a household that repeats.
  virtual Status Approve(int64_t distribution_id, std::string_view approver,
                         std::string_view at, const std::vector<NewLine>& lines,
                         int64_t total_quantity, int64_t total_value) = 0;
  // Lines of households in the caller's area, by household id; only those
  // not yet delivered if `undelivered_only`.
  virtual Result<LinePage> Lines(int64_t distribution_id, bool undelivered_only,
                                 int64_t offset, int64_t limit) = 0;
  virtual Result<std::optional<DistributionLine>> FindLine(
      int64_t distribution_id, std::string_view household_id) = 0;
  // Records the delivery of a line to person `received_pid`. AlreadyExists
  // if the line (or the household, for this distribution) was delivered
  // before, or the actor's client key is used.
  virtual Result<int64_t> InsertDelivery(int64_t distribution_id,
                                         int64_t line_id,
                                         const Delivery& delivery,
                                         int64_t received_pid,
                                         std::string_view at) = 0;
  // The delivery `actor` confirmed with `client_key`, and its line's
  // household id, if any.
  virtual Result<std::optional<std::pair<std::string, Delivery>>>
  FindDeliveryByClientKey(std::string_view actor,
                          std::string_view client_key) = 0;
};

// Insurance payments from a fund awaiting (or having had) approval.
class InsurancePaymentRepository : public store::Repository {
 public:
  // Stores a prepared request; its id. AlreadyExists if the preparer's
  // client key is used.
  virtual Result<int64_t> InsertInsurancePayment(const InsurancePayment& p) = 0;
  // The request, if its cooperative's soum is in the caller's area.
  virtual Result<std::optional<InsurancePayment>> FindInsurancePayment(
      int64_t id) = 0;
  virtual Result<std::optional<InsurancePayment>>
  FindInsurancePaymentByClientKey(std::string_view actor,
                                  std::string_view client_key) = 0;
  // A cooperative's requests, newest first.
  virtual Result<std::vector<InsurancePayment>> InsurancePayments(
      int64_t coop_id) = 0;
  // Marks request `id` paid by `approver` through remittance
  // `remittance_id`. FailedPrecondition if it was paid before; the
  // database refuses (an error, whichever code the engine gives a CHECK)
  // an approver who prepared it.
  virtual Status MarkInsurancePaid(int64_t id, std::string_view approver,
                                   std::string_view at,
                                   int64_t remittance_id) = 0;
};

// One row of the statistics' raw counts: how many persons of a kind
// (0 members, 1 trainees, 2 business owners, 3 in-kind recipients) of a
// soum and sex were born on a day, and how many of them have a disability.
struct StatsRow {
  int kind = 0;
  int32_t soum_code = 0;
  registry::Sex sex = registry::Sex::kFemale;
  int32_t born = 0;  // Date::days().
  int64_t count = 0;
  int64_t with_disability = 0;  // Of `count`, persons with a disability.
};

class TrainingRepository : public store::Repository {
 public:
  virtual Result<int64_t> InsertTraining(const Training& t,
                                         std::string_view actor,
                                         std::string_view at) = 0;
  virtual Result<std::optional<Training>> FindTraining(
      std::string_view code) = 0;
  // Trainings of the caller's area, newest first, with attendees counted.
  virtual Result<std::vector<Training>> Trainings() = 0;
  // AlreadyExists if the person attended this training already.
  virtual Status InsertAttendance(int64_t training_id, int64_t pid,
                                  bool completed, std::string_view actor,
                                  std::string_view at) = 0;
  // Attendees in the caller's area, by register number.
  virtual Result<std::vector<Attendance>> AttendanceOf(int64_t training_id) = 0;
  // Trainings a person attended (codes and completion), by start date.
  virtual Result<std::vector<Attendance>> TrainingsOf(
      std::string_view register_no) = 0;

  virtual Result<int64_t> InsertBusiness(const Business& b, int64_t owner_pid,
                                         int64_t training_id,
                                         std::string_view actor,
                                         std::string_view at) = 0;
  virtual Result<std::optional<Business>> FindBusiness(
      std::string_view code) = 0;
  // Businesses of the caller's area, by code, with seed balances (all
  // entries).
  virtual Result<std::vector<Business>> Businesses() = 0;

  // The raw counts of StatsCell on `as_of`, for the caller's area
  // intersected with `area`: active members by the member's household
  // soum; trainees of trainings begun by then, once per person, by the
  // person's household soum; owners of businesses started by then, by the
  // business's soum; in-kind recipients (deliveries of in-kind
  // distributions by then) by the line's soum and payee.
  virtual Result<std::vector<StatsRow>> StatsRows(const AreaFilter& area,
                                                  Date as_of) = 0;
};

}  // namespace malchin::coop
