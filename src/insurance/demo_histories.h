// Demo contribution histories for a register's herders, reproducing the
// 2019 baseline: about 14.2% of working-age herders socially insured and
// 39.7% health insured (40,906 and 114,610 of 288,700 herders), with
// differences by sex, age and aimag, and the same people mostly insured
// year after year.
//
// Deterministic: the same snapshot and seed give the same rows, whatever
// the order of persons (each draw hashes the seed with the register
// number). The model and its factors are in docs/insurance.md; they are a
// demo assumption, not data.
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>

#include "core/date.h"
#include "core/status.h"
#include "insurance/repository.h"
#include "params/parameters.h"

namespace malchin::insurance {

struct DemoHistoryOptions {
  uint64_t seed = 1;
  int first_year = 2019;
  Date as_of;  // Histories run to as_of's month (inclusive).
  double social_rate_2019 = 0.142;  // Of working-age herders.
  double health_rate_2019 = 0.397;
};

struct DemoHistorySummary {
  int64_t herders_2019 = 0;  // Working age, in January 2019.
  int64_t social_2019 = 0;
  int64_t health_2019 = 0;
  int64_t entries = 0;
  int64_t credits = 0;
};

// `snap` is a snapshot of the register's herders (LoadSnapshot with
// herders_only). Fills `rows` for insurance::Repository::Seed.
Result<DemoHistorySummary> BuildDemoHistories(
    const params::ParameterSet& p, const insurance::InsuranceSnapshot& snap,
    const DemoHistoryOptions& options, insurance::Repository::SeedRows* rows);

}  // namespace malchin::insurance
