// Frame: the register as rules see it on one reference date.
//
// A Frame wraps a registry::Population with the columns every rule needs
// and that depend only on the register and the date: each person's age,
// each household's members, size, payee, female head and herd in sheep
// units. It is built once per (snapshot, date) and shared by every rule run
// on it, so previewing while a rule is edited pays only for the rule.
//
// Membership on the reference date: a person born after it is not yet a
// member of anything (never eligible, not counted in household.size).
//
// Thread-safety: immutable once built; share freely across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "registry/model.h"
#include "registry/population.h"

namespace malchin::rules {

class Frame {
 public:
  // Builds the frame. The Population must outlive it and stay unchanged.
  // InvalidArgument if a person refers to a household index out of range.
  // Linear in the register's size.
  static Result<std::shared_ptr<const Frame>> Build(
      const registry::Population& pop, Date as_of,
      const registry::SheepUnitFactors& factors);

  const registry::Population& population() const { return *pop_; }
  Date as_of() const { return as_of_; }
  const registry::SheepUnitFactors& sheep_unit_factors() const {
    return factors_;
  }
  size_t persons() const { return pop_->persons(); }
  size_t households() const { return pop_->households(); }

  // --- Persons (REQUIRES: p < persons()) ---
  // Born on or before the reference date.
  bool Born(size_t p) const { return pop_->birth_days[p] <= as_of_.days(); }
  // Completed years on the reference date (negative if not yet born); equal
  // to Date::AgeOn.
  int Age(size_t p) const { return age_[p]; }
  // Completed months: (years * 12 + months) between birth and the
  // reference date, less one if the day of month is not yet reached (so
  // age_months / 12 == age, and 29 February works as for years).
  int AgeMonths(size_t p) const;

  // --- Households (REQUIRES: h < households()) ---
  // Members born on or before the reference date.
  int32_t Size(size_t h) const { return size_[h]; }
  // The payee: the lowest-index member (born on the reference date) whose
  // relation is head, else the lowest-index member; -1 if none.
  int32_t Payee(size_t h) const { return payee_[h]; }
  // The payee is the head and is female.
  bool FemaleHead(size_t h) const { return female_head_[h] != 0; }
  // The head's sex (registry::Sex as a number) and age on the reference
  // date: the lowest-index member born then whose relation is head; NaN
  // (unknown to rules) when the household has no such member.
  double HeadSex(size_t h) const { return head_sex_[h]; }
  double HeadAge(size_t h) const { return head_age_[h]; }
  double SheepUnits(size_t h) const { return sheep_units_[h]; }
  // All persons of household h (also those not yet born), ascending.
  std::span<const int32_t> Members(size_t h) const;

  // --- For the evaluator ---
  // Persons in household order (households ascending, members ascending):
  // position i holds person PersonAt(i); household h occupies positions
  // [FirstPosition(h), FirstPosition(h + 1)). identity() if that order is
  // the Population's own, so columns can be read without indirection.
  const std::vector<int32_t>& order() const { return members_; }
  bool identity() const { return identity_; }
  int32_t PersonAt(size_t pos) const {
    return identity_ ? static_cast<int32_t>(pos) : members_[pos];
  }
  // REQUIRES: h <= households().
  int32_t FirstPosition(size_t h) const { return first_[h]; }
  const std::vector<int32_t>& first_positions() const { return first_; }
  const std::vector<int16_t>& ages() const { return age_; }
  // Age in months by birth day: months_table()[birth_days - min_birth()].
  const std::vector<int32_t>& months_table() const { return months_; }
  int32_t min_birth() const { return min_birth_; }
  const std::vector<int32_t>& sizes() const { return size_; }
  const std::vector<int32_t>& payees() const { return payee_; }
  const std::vector<uint8_t>& female_heads() const { return female_head_; }
  const std::vector<double>& head_sexes() const { return head_sex_; }
  const std::vector<double>& head_ages() const { return head_age_; }
  const std::vector<double>& sheep_units() const { return sheep_units_; }
  const std::vector<double>& livestock() const { return livestock_; }
  const std::vector<int32_t>& aimags() const { return aimag_; }
  const std::vector<int32_t>& current_aimags() const { return current_aimag_; }
  // Distinct soums of registration, ascending, and each household's index
  // into them (dense, for aggregation).
  const std::vector<int32_t>& soum_codes() const { return soum_codes_; }
  const std::vector<int32_t>& soum_index() const { return soum_index_; }

 private:
  Frame() = default;
  const registry::Population* pop_ = nullptr;
  Date as_of_;
  registry::SheepUnitFactors factors_;
  std::vector<int16_t> age_;
  std::vector<int32_t> months_;
  int32_t min_birth_ = 0;
  std::vector<int32_t> members_;  // Persons by household (CSR).
  std::vector<int32_t> first_;    // households()+1 offsets into members_.
  bool identity_ = true;
  std::vector<int32_t> size_, payee_, aimag_, current_aimag_;
  std::vector<uint8_t> female_head_;
  std::vector<double> sheep_units_, livestock_, head_sex_, head_age_;
  std::vector<int32_t> soum_codes_, soum_index_;
};

}  // namespace malchin::rules
