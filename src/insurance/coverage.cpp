#include "insurance/coverage.h"

#include <algorithm>
#include <unordered_map>

#include "geo/geography.h"
#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

int32_t AreaOf(registry::AreaLevel level, int32_t soum) {
  switch (level) {
    case registry::AreaLevel::kNation:
      return 0;
    case registry::AreaLevel::kAimag:
      return geo::AimagOfSoum(soum);
    case registry::AreaLevel::kSoum:
      return soum;
  }
  return 0;
}

struct MonthContext {
  int32_t month;
  int32_t day;  // Date::days() of the 1st.
  int max_age[2];
};

Result<MonthContext> ContextFor(const params::ParameterSet& p, int32_t month) {
  Date on = FirstDayOf(month);
  MonthContext c{month, on.days(), {0, 0}};
  MALCHIN_ASSIGN_OR_RETURN(double f, p.Value("pension.normal_age.female", on));
  MALCHIN_ASSIGN_OR_RETURN(double m, p.Value("pension.normal_age.male", on));
  c.max_age[0] = static_cast<int>(f);
  c.max_age[1] = static_cast<int>(m);
  return c;
}

// Age in whole years on `on` from days since epoch, via Date.
inline int AgeOn(int32_t birth_days, Date on) {
  return Date::FromDays(birth_days).AgeOn(on);
}

constexpr int kMinWorkingAge = 18;

}  // namespace

Result<CoverageTable> ComputeCoverage(const params::ParameterSet& p,
                                      const insurance::InsuranceSnapshot& snap,
                                      const CoverageQuery& q) {
  CoverageTable table;
  // Dense area index.
  std::unordered_map<int32_t, int32_t> area_index;
  std::vector<int32_t> areas;
  std::vector<int32_t> hh_area(snap.households());
  for (size_t h = 0; h < snap.households(); ++h) {
    int32_t a = AreaOf(q.level, snap.soum_code[h]);
    auto [it, inserted] =
        area_index.emplace(a, static_cast<int32_t>(areas.size()));
    if (inserted) areas.push_back(a);
    hh_area[h] = it->second;
  }
  // Sorted output order.
  std::vector<int32_t> order(areas.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](int32_t x, int32_t y) { return areas[x] < areas[y]; });
  const int nsex = q.by_sex ? 2 : 1;
  const int nband = q.by_age_band ? registry::kAgeBandCount : 1;
  const int ndis = q.by_disability ? 2 : 1;
  const size_t per_area = static_cast<size_t>(nsex) * nband * ndis;
  struct Count {
    int64_t persons = 0;
    int64_t insured[2] = {0, 0};
  };
  for (int32_t month : q.months) {
    MALCHIN_ASSIGN_OR_RETURN(MonthContext mc, ContextFor(p, month));
    Date on = Date::FromDays(mc.day);
    for (int s = 0; s < insurance::kInsuranceSchemeCount; ++s) {
      const char* name = s == 0 ? "insurance.target.social_coverage"
                                : "insurance.target.health_coverage";
      auto t = p.Value(name, on);
      table.target[s].push_back(t.ok() ? *t : 0.0);
    }
    std::vector<Count> counts(areas.size() * per_area);
    for (size_t i = 0; i < snap.persons(); ++i) {
      int age = AgeOn(snap.birth_days[i], on);
      int sx = snap.sex[i];
      if (q.working_age && (age < kMinWorkingAge || age >= mc.max_age[sx])) {
        continue;
      }
      if (age < 0) continue;
      size_t cell = static_cast<size_t>(hh_area[snap.household[i]]) * per_area;
      size_t k = (q.by_sex ? sx : 0);
      k = k * nband + (q.by_age_band ? registry::AgeBandOf(age) : 0);
      k = k * ndis + (q.by_disability ? snap.disability[i] : 0);
      Count& c = counts[cell + k];
      c.persons++;
      for (int s = 0; s < insurance::kInsuranceSchemeCount; ++s) {
        // Inline span walk (the hot loop).
        for (uint32_t j = snap.span_begin[s][i]; j < snap.span_begin[s][i + 1];
             ++j) {
          const auto& span = snap.spans[s][j];
          if (span.first_month > month) break;
          if (month <= span.last_month) {
            c.insured[s]++;
            break;
          }
        }
      }
    }
    for (int32_t a : order) {
      for (size_t k = 0; k < per_area; ++k) {
        const Count& c = counts[static_cast<size_t>(a) * per_area + k];
        if (!c.persons) continue;
        CoverageCell cell;
        cell.month = month;
        cell.area = areas[a];
        size_t r = k;
        cell.disability = q.by_disability ? static_cast<int8_t>(r % 2) : -1;
        r /= ndis;
        cell.age_band = q.by_age_band ? static_cast<int8_t>(r % nband) : -1;
        r /= nband;
        cell.sex = q.by_sex ? static_cast<int8_t>(r) : -1;
        cell.persons = c.persons;
        cell.insured[0] = c.insured[0];
        cell.insured[1] = c.insured[1];
        table.cells.push_back(cell);
      }
    }
  }
  return table;
}

Result<std::vector<uint32_t>> PersonsInCell(
    const params::ParameterSet& p, const insurance::InsuranceSnapshot& snap,
    const CoverageQuery& q, const CoverageCell& cell,
    insurance::InsuranceScheme scheme, bool insured) {
  MALCHIN_ASSIGN_OR_RETURN(MonthContext mc, ContextFor(p, cell.month));
  Date on = Date::FromDays(mc.day);
  std::vector<uint32_t> out;
  for (size_t i = 0; i < snap.persons(); ++i) {
    int age = AgeOn(snap.birth_days[i], on);
    int sx = snap.sex[i];
    if (age < 0) continue;
    if (q.working_age && (age < kMinWorkingAge || age >= mc.max_age[sx])) {
      continue;
    }
    if (AreaOf(q.level, snap.soum_code[snap.household[i]]) != cell.area) {
      continue;
    }
    if (cell.sex >= 0 && cell.sex != sx) continue;
    if (cell.age_band >= 0 && cell.age_band != registry::AgeBandOf(age)) {
      continue;
    }
    if (cell.disability >= 0 && cell.disability != snap.disability[i]) {
      continue;
    }
    if (snap.Covered(i, scheme, cell.month) != insured) continue;
    out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

}  // namespace malchin::insurance
