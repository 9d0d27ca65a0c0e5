#include "rules/frame.h"

#include <algorithm>
#include <limits>

#include "geo/geography.h"

namespace malchin::rules {

int Frame::AgeMonths(size_t p) const {
  return months_[pop_->birth_days[p] - min_birth_];
}

std::span<const int32_t> Frame::Members(size_t h) const {
  return std::span<const int32_t>(members_.data() + first_[h],
                                  first_[h + 1] - first_[h]);
}

Result<std::shared_ptr<const Frame>> Frame::Build(
    const registry::Population& pop, Date as_of,
    const registry::SheepUnitFactors& factors) {
  const size_t np = pop.persons(), nh = pop.households();
  if (pop.birth_days.size() != np || pop.sex.size() != np ||
      pop.relation.size() != np || pop.disability.size() != np ||
      pop.herder.size() != np || pop.soum_code.size() != nh ||
      pop.current_soum_code.size() != nh || pop.household_herder.size() != nh ||
      pop.herd.size() != nh) {
    return Status::InvalidArgument(
        "population columns have inconsistent lengths");
  }
  if (np >= static_cast<size_t>(std::numeric_limits<int32_t>::max()) ||
      nh >= static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::ResourceExhausted("population too large for a frame");
  }
  auto f = std::shared_ptr<Frame>(new Frame());
  f->pop_ = &pop;
  f->as_of_ = as_of;
  f->factors_ = factors;

  // Members by household: a stable counting sort.
  f->first_.assign(nh + 1, 0);
  for (size_t p = 0; p < np; ++p) {
    int32_t h = pop.household[p];
    if (h < 0 || static_cast<size_t>(h) >= nh) {
      return Status::InvalidArgument(
          "person " + std::to_string(p) + " refers to household index " +
          std::to_string(h) + " of " + std::to_string(nh));
    }
    ++f->first_[h + 1];
  }
  for (size_t h = 0; h < nh; ++h) f->first_[h + 1] += f->first_[h];
  f->members_.resize(np);
  {
    std::vector<int32_t> next(f->first_.begin(), f->first_.end() - 1);
    bool identity = true;
    for (size_t p = 0; p < np; ++p) {
      int32_t pos = next[pop.household[p]]++;
      f->members_[pos] = static_cast<int32_t>(p);
      identity = identity && pos == static_cast<int32_t>(p);
    }
    f->identity_ = identity;
  }

  // Age tables by birth day, over the range of birth days present.
  if (np > 0) {
    auto [lo, hi] =
        std::minmax_element(pop.birth_days.begin(), pop.birth_days.end());
    const int32_t kFirst = Date::FromYmd(1900, 1, 1).days();
    const int32_t kLast = Date::FromYmd(2199, 12, 31).days();
    if (*lo < kFirst || *hi > kLast) {
      return Status::InvalidArgument(
          "a birth date is outside 1900-01-01..2199-12-31");
    }
    f->min_birth_ = *lo;
    const int32_t span = *hi - *lo + 1;
    std::vector<int16_t> years(span);
    f->months_.resize(span);
    const int ay = as_of.year(), am = as_of.month(), ad = as_of.day();
    Date d = Date::FromDays(*lo);
    int by = d.year(), bm = d.month(), bd = d.day();
    for (int32_t i = 0; i < span; ++i) {
      bool before = am < bm || (am == bm && ad < bd);
      years[i] = static_cast<int16_t>(ay - by - (before ? 1 : 0));
      f->months_[i] = (ay - by) * 12 + (am - bm) - (ad < bd ? 1 : 0);
      if (++bd > Date::DaysInMonth(by, bm)) {
        bd = 1;
        if (++bm > 12) {
          bm = 1;
          ++by;
        }
      }
    }
    f->age_.resize(np);
    for (size_t p = 0; p < np; ++p) {
      f->age_[p] = years[pop.birth_days[p] - *lo];
    }
  }

  // Household columns.
  f->size_.assign(nh, 0);
  f->payee_.assign(nh, -1);
  f->female_head_.assign(nh, 0);
  f->head_sex_.assign(nh, std::numeric_limits<double>::quiet_NaN());
  f->head_age_.assign(nh, std::numeric_limits<double>::quiet_NaN());
  f->sheep_units_.resize(nh);
  f->livestock_.resize(nh);
  f->aimag_.resize(nh);
  f->current_aimag_.resize(nh);
  const int32_t today = as_of.days();
  constexpr uint8_t kHead = static_cast<uint8_t>(registry::Relation::kHead);
  for (size_t h = 0; h < nh; ++h) {
    int32_t size = 0, head = -1, first = -1;
    for (int32_t k = f->first_[h]; k < f->first_[h + 1]; ++k) {
      int32_t p = f->members_[k];
      if (pop.birth_days[p] > today) continue;
      ++size;
      if (first < 0) first = p;
      if (head < 0 && pop.relation[p] == kHead) head = p;
    }
    f->size_[h] = size;
    int32_t payee = head >= 0 ? head : first;
    f->payee_[h] = payee;
    f->female_head_[h] =
        head >= 0 &&
        pop.sex[head] == static_cast<uint8_t>(registry::Sex::kFemale);
    if (head >= 0) {
      f->head_sex_[h] = pop.sex[head];
      f->head_age_[h] = f->age_[head];
    }
    f->sheep_units_[h] = factors.Of(pop.herd[h]);
    f->livestock_[h] = static_cast<double>(pop.herd[h].total());
    f->aimag_[h] = geo::AimagOfSoum(pop.soum_code[h]);
    f->current_aimag_[h] = geo::AimagOfSoum(pop.current_soum_code[h]);
  }

  f->soum_codes_ = pop.soum_code;
  std::sort(f->soum_codes_.begin(), f->soum_codes_.end());
  f->soum_codes_.erase(
      std::unique(f->soum_codes_.begin(), f->soum_codes_.end()),
      f->soum_codes_.end());
  f->soum_index_.resize(nh);
  for (size_t h = 0; h < nh; ++h) {
    f->soum_index_[h] = static_cast<int32_t>(
        std::lower_bound(f->soum_codes_.begin(), f->soum_codes_.end(),
                         pop.soum_code[h]) -
        f->soum_codes_.begin());
  }
  return std::shared_ptr<const Frame>(std::move(f));
}

}  // namespace malchin::rules
