// The contribution ledger of one person in one scheme, turned into months:
// what was due, what was paid, which months are covered, and what went
// wrong (partial payments, overpayments, months paid twice, reversals).
//
// Rules (stated in docs/insurance.md):
// - A reversed entry and its reversal both drop out; a correction is a
//   reversal plus a new entry, never an edit.
// - Each entry's amount is allocated to its months in calendar order, each
//   month receiving at most what is due for it (DueFor with the entry's
//   declared income). What is left after its last month is the entry's
//   overpayment, kept and reported (never lost).
// - A month is covered when what was allocated to it reaches its due (the
//   highest due among the entries paying for it). Less (even nothing, when
//   an entry's money ran out before its last month) is a partial month
//   (shortfall reported); more than the due (two entries paying the same
//   month) is a month paid twice, its excess reported.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "insurance/repository.h"
#include "params/parameters.h"

namespace malchin::insurance {

enum class MonthState { kPartial, kPaid, kPaidTwice };

struct MonthLine {
  int32_t month = 0;
  int64_t due = 0;
  int64_t paid = 0;  // Allocated to this month.
  int payments = 0;  // Entries that paid something for it.
  MonthState state = MonthState::kPartial;
};

struct Statement {
  insurance::InsuranceScheme scheme = insurance::InsuranceScheme::kHealth;
  std::vector<MonthLine> months;                 // Months of any entry, sorted.
  std::vector<insurance::CoverageSpan> covered;  // Merged spans of paid months.
  int64_t total_paid = 0;                        // Net of reversals.
  int64_t overpaid = 0;           // Entries' amounts beyond their months' dues.
  int64_t paid_twice_excess = 0;  // Allocated beyond the due (double).
  int64_t shortfall = 0;          // Missing in partial months.
  int partial_months = 0;
  int paid_twice_months = 0;
  int covered_months = 0;
  std::vector<int64_t> reversed;  // Ids of reversed entries.
  // Months covered and the declared income base of each (social), for the
  // pension average; sorted by month.
  std::vector<std::pair<int32_t, int64_t>> insured_income;
};

// `entries` are all entries of the person (any scheme; others are ignored).
// FailedPrecondition if a parameter is missing for a month.
Result<Statement> ComputeStatement(
    const params::ParameterSet& p, insurance::InsuranceScheme scheme,
    const std::vector<insurance::LedgerEntry>& e);

// Merges a sorted list of months into closed spans.
std::vector<insurance::CoverageSpan> MergeMonths(
    const std::vector<int32_t>& months);

}  // namespace malchin::insurance
