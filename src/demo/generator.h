// The national demo register: a deterministic, synthetic register shaped
// like Mongolia, for demonstrations, tests and benchmarks. No real person is
// in it.
//
// Shape, per soum or Ulaanbaatar district of geo::Geography (NSO figures):
// - persons: exactly round(population_2020 * scale);
// - herder households: exactly round(herder_households_2020 * scale);
// - livestock heads: exactly round(livestock_heads_2020 * scale), spread over
//   the herder households (a skewed distribution: a few large herds, many
//   small ones) and split by species in shares typical of the region;
// - children aged 0-4 on `as_of`: round(children_0_4_2019 * scale); children
//   aged 5-17 in proportion (about 1.2 million aged 0-17 at scale 1);
// - households of plausible size (about 3.6 persons), heads with spouses,
//   children, parents and other relatives of coherent ages; about one head
//   in six a woman; disability rising with age (about 3% overall); bank
//   accounts for most adults; phones; herder households located around the
//   soum centre, a few wintering in a neighbouring soum (current_soum_code).
//
// Identifiers: household ids are "<soum code>-<6 digits>"; register numbers
// are valid (birth date and sex encoded), unique, with letters that depend
// on the soum. Bank accounts are 14 digits, the first 4 the bank's code
// (BankCodes()).
//
// Determinism: the same (seed, scale, as_of, aimags) gives the same
// households and persons in the same order, on any machine. Each soum draws
// from its own random stream (derived from the seed and the soum code), so a
// run restricted to some aimags yields exactly those aimags' rows of the
// full run.
//
// Thread-safety: Generate is reentrant; it keeps no global state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "geo/geography.h"
#include "registry/model.h"

namespace malchin::demo {

struct Options {
  uint64_t seed = 1;
  // Multiplies every soum's figures. 1 = the country (about 3.25 million
  // persons), 3 = about 10 million. REQUIRES: > 0 and <= 20.
  double scale = 1.0;
  // The register's reference date: ages and the 0-4 counts hold on it.
  Date as_of = Date::FromYmd(2020, 1, 1);
  // Only these aimags (3-digit codes, 511 for Ulaanbaatar); empty = all.
  std::vector<int32_t> aimags;
};

// Receives the register as it is made: each household, then its members
// (head first). A non-OK status stops generation and is returned.
struct Sink {
  std::function<Status(const registry::Household&)> household;
  std::function<Status(const registry::Person&)> person;
};

struct Summary {
  int64_t households = 0;
  int64_t herder_households = 0;
  int64_t persons = 0;
  int64_t children_0_17 = 0;
  int64_t livestock = 0;
};

// Generates the register into `sink`. Fails with InvalidArgument for a bad
// scale or an unknown aimag code, or with the sink's error.
Result<Summary> Generate(const geo::Geography& geo, const Options& options,
                         const Sink& sink);

// Banks whose 4-digit codes start the demo's account numbers.
struct Bank {
  std::string code;  // 4 digits.
  std::string name_en, name_mn;
};
const std::vector<Bank>& BankCodes();

}  // namespace malchin::demo
