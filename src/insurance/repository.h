// insurance::Repository: where the insurance ledger, coverage, service
// credits and outreach visits live. Each engine implements its data access
// (src/backends/<engine>/insurance_repository.cpp) on a store::Session; the
// capability's own rules around every write (ledger_rules.cpp) are the
// public write methods, which decide and then call the engine's Insert*
// methods (NVI, as registry::Repository).
//
// Guarantees:
// - Ledger entries, remittances, service credits and visits are append-only
//   (the database refuses UPDATE and DELETE); a correction is a reversing
//   entry, and one entry can be reversed at most once (decided here, and a
//   UNIQUE constraint of both schemas).
// - Every write appends to the audit trail in the same transaction.
// - Every method takes an AreaFilter, intersected with the session's caller
//   area: a person whose household is registered outside it does not exist
//   (NotFound), and writes about such a person are refused with
//   kPermissionDenied. Only active persons can be written about.
// - Idempotency keys (client_key) are unique per actor (officer for
//   visits): decided here under a session lock, so two app servers taking
//   the same key at once record one row; the database's unique indexes are
//   the last line.
//
// Months are integers year * 12 + (month - 1) (insurance/month.h).
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "registry/register_number.h"
#include "store/area.h"
#include "store/audit.h"
#include "store/session.h"

namespace malchin::insurance {

using store::AreaFilter;
using store::ChangeContext;

enum class InsuranceScheme { kSocial = 0, kHealth = 1 };
inline constexpr int kInsuranceSchemeCount = 2;
std::string_view InsuranceSchemeName(InsuranceScheme s);  // social|health
Result<InsuranceScheme> ParseInsuranceScheme(std::string_view s);

enum class PaymentMethod {
  kCash,
  kBank,
  kCooperative,         // Part of a cooperative remittance.
  kInKind,              // Livestock, wool or cashmere valued in MNT.
  kRawMaterialSubsidy,  // Deducted from the wool/cashmere subsidy.
  kGovernmentSubsidy,   // The State pays (e.g. the 2020-21 exemption).
};
std::string_view PaymentMethodName(PaymentMethod m);  // cash, bank, ...
Result<PaymentMethod> ParsePaymentMethod(std::string_view s);

// The valuation of an in-kind payment, kept with the entry.
struct InKindValuation {
  std::string item;  // camel|horse|cattle|sheep|goat (head) or
                     // sheep_wool|camel_wool|cashmere (kg).
  double quantity = 0;
  int64_t unit_price = 0;    // MNT per head or kg.
  Date price_from;           // Date the price in force took effect.
  std::string price_source;  // Parameter name and its source.
  bool operator==(const InKindValuation&) const = default;
};

struct LedgerEntry {
  int64_t id = 0;  // Assigned by the store.
  std::string register_no;
  InsuranceScheme scheme = InsuranceScheme::kHealth;
  int32_t first_month = 0;
  int32_t months = 1;  // 1..120.
  Date paid_on;
  int64_t amount = 0;       // MNT paid; negative only for a reversal.
  int64_t due = 0;          // MNT due for those months when recorded.
  int64_t income_base = 0;  // Declared monthly income (social), else 0.
  PaymentMethod method = PaymentMethod::kCash;
  std::string payer;          // Cooperative name, "government", ... or empty.
  int64_t remittance_id = 0;  // 0: none.
  int64_t reverses = 0;       // 0: not a reversal.
  std::optional<InKindValuation> in_kind;
  std::string note;
  std::string recorded_at;  // ISO 8601 UTC; set by the store.
  std::string actor;
  // The client's idempotency key (API payments), or empty. Unique per actor
  // (a database constraint, migration 0008): a second entry with the same
  // actor and key is refused with kAlreadyExists.
  std::string client_key;
  bool operator==(const LedgerEntry&) const = default;
};

struct Remittance {
  int64_t id = 0;
  std::string payer;  // The cooperative.
  Date paid_on;
  int64_t amount = 0;
  int64_t allocated = 0;
  int64_t unallocated = 0;  // Kept as the payer's credit, reported.
  PaymentMethod method = PaymentMethod::kBank;
  std::string note;
  std::string actor;       // Set by the store.
  std::string client_key;  // Idempotency key, unique per actor, or empty.
};

// A closed range of covered months.
struct CoverageSpan {
  int32_t first_month = 0;
  int32_t last_month = 0;
  bool operator==(const CoverageSpan&) const = default;
};

// The recomputed coverage of one person in one scheme (replaces what was
// stored for that person and scheme).
struct CoverageUpdate {
  std::string register_no;
  InsuranceScheme scheme = InsuranceScheme::kHealth;
  std::vector<CoverageSpan> spans;
};

struct ServiceCredit {
  std::string register_no;
  int32_t months = 0;          // Contribution months before the ledger.
  int32_t herding_months = 0;  // Of which as a herder.
  int32_t until_month = 0;     // Last month they cover.
  int64_t average_income = 0;  // Average insured monthly income, if known.
  std::string source;          // E.g. "SIGO book", "demo".
};

enum class VisitOutcome { kEnrolled, kRefused, kNotFound };
std::string_view VisitOutcomeName(VisitOutcome o);  // enrolled|refused|...
Result<VisitOutcome> ParseVisitOutcome(std::string_view s);

struct Visit {
  int64_t id = 0;
  std::string register_no;
  Date visited_on;
  VisitOutcome outcome = VisitOutcome::kNotFound;
  std::string officer;
  std::string note;
  // The client's idempotency key (API visits), or empty. Unique per officer
  // (a database constraint, migration 0010): a second visit with the same
  // officer and key is refused with kAlreadyExists.
  std::string client_key;
};

// A person as the insurance capability sees them.
struct InsuredPerson {
  std::string register_no;
  std::string household_id;
  std::string name;  // Father's name + given name.
  int32_t soum_code = 0;
  std::string bag;
  registry::Sex sex = registry::Sex::kFemale;
  Date birth_date;
  bool disability = false;
  bool herder = false;
  std::string phone;  // The person's, else the household's.
  std::optional<double> lat, lon;
  std::string cooperative;
};

// A columnar snapshot for coverage rates and outreach lists: active persons
// of the area (herders only, or everyone), their households, coverage spans
// per scheme (CSR: spans of person p are span_begin[s][p]..[p+1]), service
// credits and latest visit.
struct InsuranceSnapshot {
  // Households, index h.
  std::vector<std::string> household_id;
  std::vector<int32_t> soum_code;
  std::vector<std::string> bag;
  std::vector<std::string> household_phone;
  std::vector<std::optional<double>> lat, lon;
  // Persons, index p.
  std::vector<int64_t> pid;  // The store's key (opaque to callers).
  std::vector<int32_t> household;
  std::vector<std::string> register_no;
  std::vector<std::string> name;
  std::vector<std::string> phone;
  std::vector<int32_t> birth_days;
  std::vector<uint8_t> sex;  // static_cast<uint8_t>(registry::Sex).
  std::vector<uint8_t> disability;
  std::vector<uint8_t> herder;
  std::vector<uint32_t> span_begin[kInsuranceSchemeCount];  // persons() + 1.
  std::vector<CoverageSpan> spans[kInsuranceSchemeCount];
  std::vector<int32_t> credit_months;          // Service credits, summed.
  std::vector<int32_t> credit_herding_months;  // Of which as a herder.
  std::vector<int32_t> last_visit_days;        // Date::days(), or INT32_MIN.
  std::vector<int8_t> last_visit_outcome;      // VisitOutcome, or -1.

  size_t persons() const { return household.size(); }
  size_t households() const { return soum_code.size(); }
  // Whether person p is covered in `month` by `scheme`.
  bool Covered(size_t p, InsuranceScheme scheme, int32_t month) const;
};

struct SnapshotOptions {
  bool herders_only = true;  // Persons with herder = 1.
  std::string bag;           // Only this bag (with a soum area); empty: all.
  // Fill register numbers, names, phones, household ids, bags and camp
  // locations. false: those vectors are left EMPTY (not sized), which is
  // enough for rate tables and much faster for the whole country.
  bool names = true;
};

// Whether a ledger entry is a payment or the reversal of one.
enum class EntryKind { kPayment, kReversal };
inline EntryKind KindOf(const LedgerEntry& e) {
  return e.reverses ? EntryKind::kReversal : EntryKind::kPayment;
}
// Whether `entry` (as stored) may be reversed: FailedPrecondition if it is
// itself a reversal. (That it was not reversed before is decided with the
// ledger, by Repository::Append.)
Status CheckReversible(const LedgerEntry& entry);

class Repository : public store::Repository {
 public:
  explicit Repository(store::Session& session) : session_(session) {}
  // The session this repository runs on (services open their transactions
  // on it: session().Write([&] { ... })).
  store::Session& session() { return session_; }

  // --- Reads (the engine's) ----------------------------------------------
  // An active person of the area, or nullopt.
  virtual Result<std::optional<InsuredPerson>> FindPerson(
      const AreaFilter& area, std::string_view register_no) = 0;

  // All entries about a person (reversals included), by id.
  virtual Result<std::vector<LedgerEntry>> Entries(
      const AreaFilter& area, std::string_view register_no) = 0;
  virtual Result<std::optional<LedgerEntry>> FindEntry(const AreaFilter& area,
                                                       int64_t id) = 0;
  // The entry `actor` recorded with idempotency key `client_key`, if any
  // (in the area).
  virtual Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      const AreaFilter& area, std::string_view actor,
      std::string_view client_key) = 0;
  // The remittance `actor` recorded with `client_key`, if any.
  virtual Result<std::optional<Remittance>> FindRemittanceByClientKey(
      std::string_view actor, std::string_view client_key) = 0;
  // The entries of a remittance about persons of the area, by id.
  virtual Result<std::vector<LedgerEntry>> RemittanceEntries(
      const AreaFilter& area, int64_t remittance_id) = 0;
  virtual Result<std::vector<CoverageSpan>> Coverage(
      const AreaFilter& area, std::string_view register_no,
      InsuranceScheme scheme) = 0;
  virtual Result<std::vector<ServiceCredit>> ServiceCredits(
      const AreaFilter& area, std::string_view register_no) = 0;
  // A person's visits, by date then id.
  virtual Result<std::vector<Visit>> Visits(const AreaFilter& area,
                                            std::string_view register_no) = 0;
  // The visit `officer` recorded with idempotency key `client_key`, about a
  // person of the area, if any.
  virtual Result<std::optional<Visit>> FindVisitByClientKey(
      const AreaFilter& area, std::string_view officer,
      std::string_view client_key) = 0;

  virtual Result<InsuranceSnapshot> LoadSnapshot(
      const AreaFilter& area, const SnapshotOptions& options) = 0;

  // Number of ledger entries in the area (all persons).
  virtual Result<int64_t> CountEntries(const AreaFilter& area) = 0;

  // --- Writes (the capability's rules, ledger_rules.cpp) -----------------
  // Appends `entries` (and, if given, the remittance they belong to: its id
  // is filled into each entry) and replaces the coverage of each update, in
  // one transaction with one audit entry per ledger entry (and one for the
  // remittance). Returns the new entry ids in order. Nothing is written on
  // any error: a person outside the area (kPermissionDenied), unknown or
  // inactive (kNotFound); a reversal of an entry that is not in the area
  // (kNotFound), is itself a reversal (kFailedPrecondition), is about
  // another person or scheme (kInvalidArgument) or was reversed before
  // (kAlreadyExists); a client key the actor already used (kAlreadyExists).
  // REQUIRES: the updates were computed from the stored entries plus these.
  Result<std::vector<int64_t>> Append(
      const AreaFilter& area, const std::optional<Remittance>& remittance,
      const std::vector<LedgerEntry>& entries,
      const std::vector<CoverageUpdate>& coverage,
      const ChangeContext& context);

  // Records service credits before the ledger; errors as Append's about
  // the person. Audited.
  Status AddServiceCredit(const AreaFilter& area, const ServiceCredit& credit,
                          const ChangeContext& context);

  // Records a visit (the officer defaults to the context's actor). Nothing
  // is written on error: a person outside the area (kPermissionDenied),
  // unknown or inactive (kNotFound), a client key the officer already used
  // (kAlreadyExists). Audited.
  Result<int64_t> AddVisit(const AreaFilter& area, const Visit& visit,
                           const ChangeContext& context);

  // Demo histories: writes entries, coverage and credits for many persons in
  // one transaction with ONE audit entry describing the run. Persons are
  // given by snapshot index (`snapshot` from LoadSnapshot of the whole
  // register). FailedPrecondition if the ledger is not empty;
  // InvalidArgument if a row names a person outside the snapshot.
  struct SeedRows {
    std::vector<int32_t> entry_person;  // Snapshot index per entry.
    std::vector<LedgerEntry> entries;   // register_no may be left empty.
    std::vector<int32_t> coverage_person;
    std::vector<CoverageUpdate> coverage;
    std::vector<int32_t> credit_person;
    std::vector<ServiceCredit> credits;
  };
  Status Seed(const InsuranceSnapshot& snapshot, const SeedRows& rows,
              const ChangeContext& context);

 protected:
  // --- The engine's data access for the writes ---------------------------
  // Each runs inside the caller's Write and decides nothing.

  // A person by register number, whatever the area and state: the store's
  // key, the household's soum and whether both are active.
  struct PersonKey {
    int64_t pid = 0;
    int32_t soum_code = 0;
    bool active = false;
  };
  virtual Result<std::optional<PersonKey>> LocatePerson(
      std::string_view register_no) = 0;
  // The id of the entry reversing `entry_id`, whatever the area, if any.
  virtual Result<std::optional<int64_t>> ReversalOf(int64_t entry_id) = 0;
  // Inserts a remittance (`r.actor` set); its id, or nullopt when the
  // database's uniqueness (actor, client key) refused it.
  virtual Result<std::optional<int64_t>> InsertRemittance(
      const Remittance& r, std::string_view recorded_at) = 0;
  // Inserts an entry about person `pid` (recorded_at and actor set); its
  // id, or nullopt when a uniqueness of the database (client key, one
  // reversal per entry) refused it.
  virtual Result<std::optional<int64_t>> InsertEntry(int64_t pid,
                                                     const LedgerEntry& e) = 0;
  // Replaces the coverage of (pid, scheme) with `spans`.
  virtual Status ReplaceCoverage(int64_t pid, InsuranceScheme scheme,
                                 const std::vector<CoverageSpan>& spans) = 0;
  virtual Result<int64_t> InsertServiceCredit(int64_t pid,
                                              const ServiceCredit& c,
                                              std::string_view recorded_at,
                                              std::string_view actor) = 0;
  // Inserts a visit (`v.officer` set); its id, or nullopt when the
  // uniqueness (officer, client key) refused it.
  virtual Result<std::optional<int64_t>> InsertVisit(
      int64_t pid, const Visit& v, std::string_view recorded_at) = 0;
  // Whether there is no ledger entry and no service credit at all.
  virtual Result<bool> LedgerIsEmpty() = 0;
  // Writes Seed's rows (checked) in bulk; persons by snapshot.pid.
  virtual Status InsertSeedRows(const InsuranceSnapshot& snapshot,
                                const SeedRows& rows,
                                std::string_view recorded_at,
                                std::string_view actor) = 0;

 private:
  // The person's key for a write, or why they may not be written about.
  Result<int64_t> WritablePerson(const AreaFilter& area,
                                 const std::string& register_no);
  // What Append decides about one entry before it is written.
  Status CheckEntry(const AreaFilter& area, const std::string& actor,
                    const LedgerEntry& e);
  Result<int64_t> WriteRemittance(const Remittance& r, const std::string& actor,
                                  const std::string& now);
  Result<int64_t> WriteEntry(int64_t pid, const LedgerEntry& e);

  store::Session& session_;
};

}  // namespace malchin::insurance
