// Recording contributions: payments by any method, corrections (reversing
// entries) and cooperative remittances, each written with the person's
// recomputed coverage in one transaction that this service opens on the
// repository's session (insurance::Repository::Append then appends to the
// audit trail and enforces the area). The persons' ledgers are locked
// (Session::Lock) before their coverage is recomputed, so two app servers
// paying for the same person at once never lose a month.
//
// Thread-safety: one call at a time per insurance::Repository.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "insurance/ledger.h"
#include "insurance/pension.h"
#include "insurance/repository.h"
#include "params/parameters.h"

namespace malchin::insurance {

struct PaymentRequest {
  std::string register_no;
  insurance::InsuranceScheme scheme = insurance::InsuranceScheme::kHealth;
  int32_t first_month = 0;
  int32_t months = 1;
  Date paid_on;
  // MNT paid; nullopt: exactly what is due (or, in kind, the valuation).
  std::optional<int64_t> amount;
  insurance::PaymentMethod method = insurance::PaymentMethod::kCash;
  std::string payer;
  int64_t declared_income = 0;  // Social: monthly income declared.
  // In kind: the item and quantity (valued on paid_on in the person's
  // aimag; `amount` must then be empty).
  std::string in_kind_item;
  double in_kind_quantity = 0;
  std::string note;
  // Idempotency key from the client (empty: none). A second payment by the
  // same actor with the same key is refused by the store (kAlreadyExists).
  std::string client_key;
  // Today, from the caller's clock (nullopt: the system's), for
  // CheckPayment (contribution_checks.h).
  std::optional<Date> today;
};

struct PaymentReceipt {
  int64_t entry_id = 0;
  insurance::LedgerEntry entry;  // As recorded.
  Statement statement;           // The person's scheme after the payment.
  // An in-kind payment worth more than its months' dues: the surplus is
  // kept as the payer's credit on a remittance row, as a cooperative's is.
  int64_t credit = 0;
  int64_t remittance_id = 0;
};

// Validates and records one payment. InvalidArgument (naming the field)
// for months outside 1..120, a negative or zero amount, a date after
// today, months beyond the rates that are set, a declared income below the
// insurable minimum (contribution_checks.h), an in-kind payment without
// item or with an amount, a cooperative payment (use RecordRemittance).
// An in-kind payment worth more than what is due records the due on the
// entry and the surplus as credit (PaymentReceipt::credit).
Result<PaymentReceipt> RecordPayment(insurance::Repository& ins,
                                     const params::ParameterSet& p,
                                     const store::AreaFilter& area,
                                     const PaymentRequest& request,
                                     const store::ChangeContext& context);

// Reverses entry `entry_id` (a new entry with the negated amount) and
// recomputes coverage. NotFound if there is no such entry in the area;
// FailedPrecondition if it is itself a reversal; AlreadyExists if it was
// reversed before.
Result<PaymentReceipt> ReverseEntry(insurance::Repository& ins,
                                    const params::ParameterSet& p,
                                    const store::AreaFilter& area,
                                    int64_t entry_id, Date on,
                                    const std::string& reason,
                                    const store::ChangeContext& context);

// A cooperative's payment for its members.
struct MemberRequest {
  std::string register_no;
  insurance::InsuranceScheme scheme = insurance::InsuranceScheme::kHealth;
  int32_t first_month = 0;
  int32_t months = 1;
  int64_t declared_income = 0;
  std::optional<int64_t> amount;  // Explicit share, else allocated.
};

struct MemberAllocation {
  MemberRequest request;
  int64_t due = 0;
  int64_t allocated = 0;
  int64_t shortfall = 0;  // due - allocated, if positive.
  int64_t excess = 0;     // allocated - due, if positive.
  int64_t entry_id = 0;   // 0 if nothing was allocated.
};

struct RemittanceRequest {
  std::string cooperative;
  Date paid_on;
  int64_t amount = 0;
  insurance::PaymentMethod method = insurance::PaymentMethod::kBank;
  std::string note;
  std::vector<MemberRequest> members;
  std::string client_key;     // Idempotency key (as PaymentRequest's).
  std::optional<Date> today;  // As PaymentRequest's.
};

struct RemittanceReport {
  int64_t remittance_id = 0;              // Filled by RecordRemittance.
  std::vector<MemberAllocation> members;  // Reconciliation, member by member.
  int64_t allocated = 0;
  int64_t unallocated = 0;  // Kept on the remittance as the coop's credit.
};

// Pure allocation: explicit shares first (InvalidArgument if they exceed
// the amount), then the rest to the other members in the order given, each
// up to their due; what remains is unallocated.
Result<RemittanceReport> AllocateRemittance(const params::ParameterSet& p,
                                            const RemittanceRequest& r);

// Allocates and records the remittance, its entries and coverage in one
// transaction, after CheckRemittance (contribution_checks.h).
Result<RemittanceReport> RecordRemittance(insurance::Repository& ins,
                                          const params::ParameterSet& p,
                                          const store::AreaFilter& area,
                                          const RemittanceRequest& request,
                                          const store::ChangeContext& context);

// What a pension projection of a person knows from the register and the
// ledger: birth date, sex, contribution years (covered social months plus
// service credits), herding years (service credits' herding months, plus
// covered months if the person is a herder), insured income by month
// (ledger months at their declared income, service-credit months at their
// average income) and the last declared income for future months.
// `more_years` is left 0. NotFound if no active person in the area.
struct PersonPension {
  insurance::InsuredPerson person;
  PensionInput input;
};
Result<PersonPension> PensionInputFor(insurance::Repository& ins,
                                      const params::ParameterSet& p,
                                      const store::AreaFilter& area,
                                      const std::string& register_no,
                                      Date as_of);

// The statement of a person in a scheme.
Result<Statement> StatementFor(insurance::Repository& ins,
                               const params::ParameterSet& p,
                               const store::AreaFilter& area,
                               const std::string& register_no,
                               insurance::InsuranceScheme scheme);

}  // namespace malchin::insurance
