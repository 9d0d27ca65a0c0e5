// Demo cooperatives for the national demo register (src/demo), so that
// every page has something to show. A separate step after the register is
// generated (`malchin coop seed-demo`), which leaves the register's
// households and persons unchanged (an export stays byte-identical).
//
// What it writes, soum by soum (in code order):
// - a cooperative for each cooperative name the register's herder
//   households carry (Household::cooperative), registered 2012-2018, its
//   members the heads of those households (and some spouses) with a chair,
//   a board member and a treasurer, a few who left; and one pasture user
//   group of herder households that belong to no cooperative;
// - each cooperative's contingency fund from 2019 to `as_of`: members'
//   yearly contributions (cash, or a sheep, a goat or cashmere valued at
//   the price table) and a yearly allocation from the cooperative's sales;
// - a hay and fodder warehouse per soum, filled each autumn, with some
//   losses;
// - a life-skills and an entrepreneurship training per soum with
//   attendees, and businesses started after them with seed grants;
// - the in-kind catalogue (rams, bucks, fodder, a hay cutter) and, in one
//   showcase soum (Tosontsengel, 18140, when it has cooperatives, else the
//   first soum that has), a pedigree-ram distribution to the soum's herder
//   households chosen by the programme's rule, approved and half
//   delivered, a buck distribution to young herders prepared and waiting
//   for approval, and a payout from one cooperative's fund after the
//   2023-24 dzud, approved and paid.
// The bulk rows are written in one transaction with one audit entry; the
// showcase distributions go through the services (demo-board, demo-officer
// and demo-national as actors) with their own entries.
//
// Deterministic: the same register, seed and `as_of` give the same rows.
// Thread-safety: reentrant; one Session per thread.
#pragma once

#include <cstdint>

#include "coop/service.h"
#include "core/date.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::coop {

struct DemoOptions {
  uint64_t seed = 1;
  // The last day of the demo histories (a fixed default keeps the demo
  // reproducible whatever the day it runs).
  Date as_of = Date::FromYmd(2024, 12, 31);
};

struct DemoSummary {
  int64_t cooperatives = 0;
  int64_t pasture_groups = 0;
  int64_t memberships = 0;
  int64_t fund_entries = 0;
  int64_t warehouses = 0;
  int64_t movements = 0;
  int64_t trainings = 0;
  int64_t attendances = 0;
  int64_t businesses = 0;
  int64_t distributions = 0;
  int32_t showcase_soum = 0;
};

// FailedPrecondition if the database has cooperatives already or its
// register has no herder household with a cooperative; PermissionDenied
// unless the session's caller is national.
Result<DemoSummary> SeedDemo(store::Session& session, const Context& context,
                             const DemoOptions& options);

}  // namespace malchin::coop
