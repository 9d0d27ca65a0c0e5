#include "registry/population.h"

#include <map>

namespace malchin::registry {

void Population::AddHousehold(const Household& h) {
  household_id.push_back(h.id);
  soum_code.push_back(h.soum_code);
  current_soum_code.push_back(h.current_soum_code);
  household_herder.push_back(h.herder);
  herd.push_back(h.herd);
}

void Population::AddPerson(const Person& p, int32_t household_index) {
  household.push_back(household_index);
  birth_days.push_back(p.birth_date.days());
  sex.push_back(static_cast<uint8_t>(p.sex));
  relation.push_back(static_cast<uint8_t>(p.relation));
  disability.push_back(p.disability);
  herder.push_back(p.herder);
}

int AgeBandOf(int age) {
  if (age < 5) return 0;
  if (age < 10) return 1;
  if (age < 15) return 2;
  if (age < 18) return 3;
  if (age < 30) return 4;
  if (age < 45) return 5;
  if (age < 60) return 6;
  return 7;
}

std::string_view AgeBandName(int band) {
  static constexpr std::string_view kNames[kAgeBandCount] = {
      "0-4", "5-9", "10-14", "15-17", "18-29", "30-44", "45-59", "60+"};
  return kNames[band];
}

std::vector<AreaStats> ComputeStats(const Population& pop, Date as_of,
                                    AreaLevel level,
                                    const SheepUnitFactors& factors) {
  auto area_of = [&](size_t h) -> int32_t {
    switch (level) {
      case AreaLevel::kNation:
        return 0;
      case AreaLevel::kAimag:
        return geo::AimagOfSoum(pop.soum_code[h]);
      case AreaLevel::kSoum:
        return pop.soum_code[h];
    }
    return 0;
  };
  // Dense area index per household, so the person loop is array work only.
  std::map<int32_t, size_t> index;
  std::vector<int32_t> hh_area(pop.households());
  for (size_t h = 0; h < pop.households(); ++h) {
    index.emplace(area_of(h), 0);
  }
  std::vector<AreaStats> out(index.size());
  size_t k = 0;
  for (auto& [code, i] : index) {
    i = k;
    out[k++].code = code;
  }
  for (size_t h = 0; h < pop.households(); ++h) {
    size_t a = index[area_of(h)];
    hh_area[h] = static_cast<int32_t>(a);
    AreaStats& s = out[a];
    s.households++;
    s.herder_households += pop.household_herder[h];
    s.sheep_units += factors.Of(pop.herd[h]);
  }
  // Age in completed years from day counts: exact via Date only when the
  // day-of-year comparison needs it, so precompute the as-of components.
  const int ay = as_of.year(), am = as_of.month(), ad = as_of.day();
  for (size_t p = 0; p < pop.persons(); ++p) {
    AreaStats& s = out[hh_area[pop.household[p]]];
    Date born = Date::FromDays(pop.birth_days[p]);
    int age = ay - born.year();
    int bm = born.month();
    if (am < bm || (am == bm && ad < born.day())) --age;
    if (age < 0) continue;  // Not yet born on the reference date.
    int band = AgeBandOf(age);
    int sx = pop.sex[p];
    s.persons++;
    s.herders += pop.herder[p];
    s.children += age < 18;
    s.with_disability += pop.disability[p];
    s.cells[sx][band].persons++;
    s.cells[sx][band].with_disability += pop.disability[p];
    if (pop.relation[p] == static_cast<uint8_t>(Relation::kHead) &&
        sx == static_cast<int>(Sex::kFemale)) {
      s.female_headed_households++;
    }
  }
  if (level == AreaLevel::kNation && out.empty()) out.emplace_back();
  if (level != AreaLevel::kNation) {
    AreaStats total;
    for (const AreaStats& s : out) {
      total.households += s.households;
      total.herder_households += s.herder_households;
      total.female_headed_households += s.female_headed_households;
      total.persons += s.persons;
      total.herders += s.herders;
      total.children += s.children;
      total.with_disability += s.with_disability;
      total.sheep_units += s.sheep_units;
      for (int x = 0; x < 2; ++x) {
        for (int b = 0; b < kAgeBandCount; ++b) {
          total.cells[x][b].persons += s.cells[x][b].persons;
          total.cells[x][b].with_disability += s.cells[x][b].with_disability;
        }
      }
    }
    out.push_back(total);
  }
  return out;
}

}  // namespace malchin::registry
