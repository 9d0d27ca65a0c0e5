// The model of herder cooperatives and pasture user groups and of what the
// programme did through them: members, the shock-responsive contingency
// fund, emergency feed reserves, in-kind support, trainings and the
// businesses started after them (docs/cooperatives.md).
//
// States and kinds are enums; each has a stable lower-case name (what the
// database, the API and the CLI use) with a parser that names the accepted
// values. Money is integer MNT; feed is integer kilograms.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "registry/model.h"

namespace malchin::coop {

// --- Cooperatives and members ------------------------------------------------

enum class GroupType { kCooperative, kPastureUserGroup };
std::string_view GroupTypeName(GroupType t);  // cooperative|pasture_user_group
Result<GroupType> ParseGroupType(std::string_view s);

// A member's place: the board is the chair, the board members, the
// treasurer and the auditor (control) of the cooperative.
enum class MemberRole { kMember, kChair, kBoard, kTreasurer, kAuditor };
std::string_view MemberRoleName(MemberRole r);  // member|chair|board|...
Result<MemberRole> ParseMemberRole(std::string_view s);
inline bool OnBoard(MemberRole r) { return r != MemberRole::kMember; }

struct Cooperative {
  int64_t id = 0;    // Set by the store.
  std::string code;  // Chosen, unique: 2-40 of [a-z0-9-], e.g. "18140-01".
  std::string name;  // As registered, e.g. "Тосонцэнгэл малчдын хоршоо 1".
  GroupType type = GroupType::kCooperative;
  int32_t soum_code = 0;  // Where it is registered (its members' area).
  std::string bag;
  std::string registration_no;  // State registration number, or empty;
                                // unique when given.
  std::optional<Date> registered_on;
  std::string created_by, created_at;  // Set by the store.
};

// A person's membership of a cooperative over a period. The household is
// the person's household as the register says now.
struct Membership {
  int64_t id = 0;
  std::string coop_code;
  std::string coop_name;
  std::string register_no;
  std::string household_id;
  std::string name;  // Father's name + given name.
  registry::Sex sex = registry::Sex::kFemale;
  Date birth_date;
  int32_t soum_code = 0;  // The household's soum of registration.
  MemberRole role = MemberRole::kMember;
  Date joined_on;
  std::optional<Date> left_on;  // The last day of membership.
  std::string leave_reason;
  std::string recorded_by;
  bool ActiveOn(Date d) const {
    return joined_on <= d && (!left_on || d <= *left_on);
  }
};

// --- Ledgers: the contingency fund and businesses' seed funds ---------------

// A ledger book: each cooperative's contingency fund, each business's seed
// fund. Entries are never changed; a correction is a reversal.
enum class Book { kFund, kSeed };
std::string_view BookName(Book b);  // fund|seed

enum class EntryKind {
  kContribution,  // Fund: a member pays in (cash, bank or in kind).
  kSales,         // Fund: an allocation from the cooperative's sales.
  kPayout,        // Fund: paid to a member household after a shock.
  kInsurance,     // Fund: members' insurance contributions paid from it.
  kGrant,         // Seed: a seed grant received.
  kRepayment,     // Seed: money returned (repaid or unspent).
  kReversal,      // Either: cancels one earlier entry.
};
std::string_view EntryKindName(EntryKind k);  // contribution|sales|...
Result<EntryKind> ParseEntryKind(std::string_view s);
// Whether entries of this kind bring money into the book (else take out).
bool IsInflow(EntryKind k);

enum class Method { kNone, kCash, kBank, kInKind };
std::string_view MethodName(Method m);  // ""|cash|bank|in_kind
Result<Method> ParseMethod(std::string_view s);

// What a contribution in kind was and how it was valued: at the dated price
// table (price_source names the table's row) or at a value the members
// stated (unit_price 0, price_source "stated").
struct InKindValue {
  std::string item;  // sheep, goat, ..., cashmere, or any stated thing.
  double quantity = 0;
  int64_t unit_price = 0;
  std::optional<Date> price_from;
  std::string price_source;
};

struct LedgerEntry {
  int64_t id = 0;
  Book book = Book::kFund;
  std::string owner;  // The cooperative's or the business's code.
  Date on;            // When it happened (may be before it was recorded).
  EntryKind kind = EntryKind::kContribution;
  int64_t amount = 0;       // MNT, + into the book, - out of it.
  std::string register_no;  // The member concerned, or empty.
  Method method = Method::kNone;
  std::optional<InKindValue> in_kind;
  int64_t line_id = 0;        // A payout: the distribution line paid.
  int64_t remittance_id = 0;  // Insurance: the insurance remittance.
  int64_t reverses = 0;       // A reversal: the entry it cancels.
  std::string note;
  std::string actor, recorded_at;  // Set by the store.
  std::string client_key;          // Idempotency key, or empty.
};

// --- Emergency feed reserves ---------------------------------------------

enum class FeedType { kHay, kFodder };
std::string_view FeedTypeName(FeedType f);  // hay|fodder
Result<FeedType> ParseFeedType(std::string_view s);

enum class MovementKind { kReceived, kDistributed, kLoss, kReversal };
std::string_view MovementKindName(MovementKind k);
Result<MovementKind> ParseMovementKind(std::string_view s);

// A hay and fodder warehouse kept as a community emergency feed reserve.
struct Warehouse {
  int64_t id = 0;
  std::string code;  // Unique, like a cooperative's.
  std::string name;
  std::string coop_code;  // The cooperative keeping it, or empty.
  int32_t soum_code = 0;
  std::string bag;
  int64_t capacity_kg = 0;  // 0: not stated.
  std::string created_by, created_at;
};

struct FeedMovement {
  int64_t id = 0;
  std::string warehouse;  // Code.
  Date on;
  FeedType feed = FeedType::kHay;
  MovementKind kind = MovementKind::kReceived;
  int64_t kg = 0;            // + into the warehouse, - out of it.
  std::string household_id;  // Distributed: to whom.
  int64_t line_id = 0;       // Distributed: the distribution line.
  int64_t reverses = 0;
  std::string note;
  std::string actor, recorded_at;
  std::string client_key;
};

struct FeedStock {
  int64_t hay_kg = 0;
  int64_t fodder_kg = 0;
  int64_t Of(FeedType f) const {
    return f == FeedType::kHay ? hay_kg : fodder_kg;
  }
};

// --- Distributions: payouts, feed and in-kind support ---------------------

// Something given to households chosen by a rule, prepared by one person
// and approved by another, then delivered (paid) to each household once.
enum class DistributionKind { kPayout, kFeed, kInKind };
std::string_view DistributionKindName(DistributionKind k);  // payout|feed|
                                                            // in_kind
Result<DistributionKind> ParseDistributionKind(std::string_view s);

enum class DistributionStatus { kPrepared, kApproved };
std::string_view DistributionStatusName(DistributionStatus s);

// An item of the in-kind support catalogue.
struct InKindItem {
  int64_t id = 0;
  std::string code;  // e.g. "ram", "buck", "fodder", "hay-cutter".
  std::string name_en, name_mn;
  std::string unit;        // head | kg | piece
  int64_t unit_value = 0;  // MNT per unit.
  std::string created_by, created_at;
};

struct Distribution {
  int64_t id = 0;
  std::string code;  // Unique, e.g. "rams-2021-tes".
  DistributionKind kind = DistributionKind::kInKind;
  std::string name;
  // Payout: the cooperative whose fund pays (required). Feed and in kind:
  // if set, only its members' households (active on the cut-off date).
  std::string coop_code;
  std::string warehouse_code;  // Feed: where the feed comes from.
  std::string item;            // Feed: hay|fodder. In kind: catalogue code.
  std::string event_code;      // A shock event (src/response), or empty.
  // Whose households: 0 the country, an aimag or a soum code (a payout:
  // the cooperative's soum when 0).
  int32_t area_code = 0;
  std::string eligibility;  // Rule (unit household), e.g. the rams example.
  std::string quantity;     // Rule: MNT (payout), kg (feed) or units (in
                            // kind) per household, e.g. "1" or "50000".
  Date cutoff_on;           // The register is judged on this date.
  std::string decision;     // The board's decision, e.g. "minutes 2020/3".
  DistributionStatus status = DistributionStatus::kPrepared;
  std::string prepared_by, prepared_at, approved_by, approved_at;
  int64_t households = 0;      // At approval.
  int64_t total_quantity = 0;  // At approval.
  int64_t total_value = 0;     // MNT at approval (feed: 0).
  int64_t delivered = 0;       // Households delivered so far (read).
};

struct Delivery {
  int64_t id = 0;
  int64_t line_id = 0;
  Date delivered_on;
  std::string received_by;  // Register number of who received it.
  std::string received_name;
  std::string confirmed_by, confirmed_at;
  std::string note;
  std::string client_key;
};

// One household of an approved distribution, frozen at approval.
struct DistributionLine {
  int64_t id = 0;
  std::string household_id;
  int32_t soum_code = 0;
  std::string payee_register_no;  // The household head (or first member).
  std::string payee_name;
  registry::Sex payee_sex = registry::Sex::kFemale;
  Date payee_birth_date;
  int64_t quantity = 0;
  int64_t value = 0;
  std::optional<Delivery> delivery;
};

// --- Trainings and businesses ---------------------------------------------

enum class TrainingTopic { kLifeSkills, kEntrepreneurship, kOther };
std::string_view TrainingTopicName(TrainingTopic t);  // life_skills|...
Result<TrainingTopic> ParseTrainingTopic(std::string_view s);

struct Training {
  int64_t id = 0;
  std::string code;
  TrainingTopic topic = TrainingTopic::kLifeSkills;
  std::string title;
  int32_t soum_code = 0;
  std::string place;
  Date starts_on, ends_on;
  std::string trainer;
  std::string created_by, created_at;
  int64_t attendees = 0;  // Read.
};

struct Attendance {
  std::string training_code;
  std::string register_no;
  std::string name;
  registry::Sex sex = registry::Sex::kFemale;
  Date birth_date;
  int32_t soum_code = 0;
  bool completed = true;
  std::string recorded_by;
};

struct Business {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string sector;  // Free text, e.g. "dairy", "felt".
  int32_t soum_code = 0;
  Date started_on;
  std::string owner_register_no;
  std::string owner_name;
  std::string training_code;  // The training it came from, or empty.
  std::string created_by, created_at;
  int64_t seed_balance = 0;  // Read: its seed fund's balance.
};

// --- Insurance paid from a fund (maker-checker) ---------------------------

// Members' insurance contributions to be paid from a cooperative's fund:
// prepared by one person, paid when a second one approves.
struct InsurancePayment {
  int64_t id = 0;
  int64_t coop_id = 0;
  std::string coop_code;  // Read.
  int32_t soum_code = 0;  // The cooperative's.
  Date on;
  std::string members;  // JSON: the members and their months, as prepared.
  std::string note;
  int64_t amount = 0;  // Due when prepared (what approval pays, recomputed).
  std::string prepared_by, prepared_at, client_key;
  std::string approved_by, approved_at;  // Empty until paid.
  int64_t remittance_id = 0;             // The insurance remittance, once paid.
  bool paid() const { return remittance_id != 0; }
};

// --- Statistics for the results framework ---------------------------------

// Counts of one area (soum of registration), sex and age band on a date:
// members (active memberships), trainees (persons who attended a training
// that began on or before the date, counted once), owners of businesses
// started by then, and in-kind recipients (households whose head received
// an in-kind delivery by then, by the head's sex and age).
struct StatsCell {
  int32_t soum_code = 0;
  registry::Sex sex = registry::Sex::kFemale;
  int age_band = 0;  // registry::AgeBandOf.
  int64_t members = 0;
  int64_t trainees = 0;
  int64_t business_owners = 0;
  int64_t in_kind_recipients = 0;
  // Of each count, those with a disability (registry disability flag; for
  // in-kind recipients, the payee's).
  int64_t members_with_disability = 0;
  int64_t trainees_with_disability = 0;
  int64_t business_owners_with_disability = 0;
  int64_t in_kind_recipients_with_disability = 0;
};

// --- Validation shared by the services ---------------------------------------

// A code of a cooperative, warehouse, distribution, item, training or
// business: 2-40 of [a-z0-9-], starting with a letter or digit.
// InvalidArgument naming `field` otherwise.
Status CheckCode(std::string_view code, const char* field);
// Text a person typed: not empty (unless `optional`), at most `max` bytes,
// no control characters. InvalidArgument naming `field`.
Status CheckText(std::string_view text, const char* field, size_t max,
                 bool optional = false);

}  // namespace malchin::coop
