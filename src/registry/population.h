// Population: a columnar, read-only snapshot of the active register, and the
// disaggregated statistics computed from it.
//
// The store fills a Population in one pass; analyses (statistics,
// eligibility previews) then run over plain arrays without touching the
// store. Only active households and persons are included.
//
// Thread-safety: immutable once built; share freely across threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "geo/geography.h"
#include "registry/model.h"

namespace malchin::registry {

struct Population {
  // Households, index h.
  std::vector<std::string> household_id;
  std::vector<int32_t> soum_code;          // Of registration.
  std::vector<int32_t> current_soum_code;  // Where the herd is now.
  std::vector<uint8_t> household_herder;
  std::vector<Herd> herd;
  // Persons, index p.
  std::vector<int32_t> household;   // Index into the household arrays.
  std::vector<int32_t> birth_days;  // Date::days().
  std::vector<uint8_t> sex;         // static_cast<uint8_t>(Sex).
  std::vector<uint8_t> relation;    // static_cast<uint8_t>(Relation).
  std::vector<uint8_t> disability;
  std::vector<uint8_t> herder;

  size_t households() const { return household_id.size(); }
  size_t persons() const { return household.size(); }
  void AddHousehold(const Household& h);
  // REQUIRES: household_index < households().
  void AddPerson(const Person& p, int32_t household_index);
};

// Reporting age bands (years completed on the reference date). Children are
// 0-17. The bands are a reporting convention, not law.
inline constexpr int kAgeBandCount = 8;
int AgeBandOf(int age);                  // 0..kAgeBandCount-1
std::string_view AgeBandName(int band);  // "0-4", "5-9", ..., "60+"

enum class AreaLevel { kNation, kAimag, kSoum };

struct SexAgeCell {
  int64_t persons = 0;
  int64_t with_disability = 0;
};

struct AreaStats {
  int32_t code = 0;  // 0 for the nation.
  int64_t households = 0;
  int64_t herder_households = 0;
  int64_t female_headed_households = 0;
  int64_t persons = 0;
  int64_t herders = 0;   // Persons who herd.
  int64_t children = 0;  // Aged 0-17.
  int64_t with_disability = 0;
  double sheep_units = 0;
  // [sex][age band].
  SexAgeCell cells[2][kAgeBandCount];
};

// Statistics by area (the household's soum of registration, or its aimag),
// with a national total as the last element (for AreaLevel::kNation, the
// total is the only element). Areas with no household are left out; the
// total is always there, zero for an empty register.
std::vector<AreaStats> ComputeStats(const Population& pop, Date as_of,
                                    AreaLevel level,
                                    const SheepUnitFactors& factors);

}  // namespace malchin::registry
