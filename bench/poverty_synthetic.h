// Synthetic register-sized microdata for the poverty benchmarks: households
// with sizes, ages, areas and consumption drawn from a fixed-seed generator
// (not realistic; only the shape and the size matter here).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

#include "poverty/survey.h"

namespace malchin::poverty::bench {

// About `persons` persons in households of 1-10 members.
inline Survey SyntheticRegister(size_t persons, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unif(0, 1);
  std::normal_distribution<double> normal(0, 1);
  std::poisson_distribution<int> extra(2.6);
  Survey s;
  std::vector<double> urban, herder, dzud, region;
  size_t total = 0;
  int64_t id = 0;
  s.person_begin.push_back(0);
  while (total < persons) {
    const int size = std::min(10, 1 + extra(rng));
    const int reg = 1 + static_cast<int>(unif(rng) * 5);
    const bool urb = unif(rng) < 0.6;
    const bool herd = !urb && unif(rng) < 0.7;
    const int soum = reg * 100 + static_cast<int>(unif(rng) * 60);
    s.hh_id.push_back(++id);
    s.weight.push_back(1.0);
    s.size.push_back(size);
    s.area.push_back(soum);
    urban.push_back(urb);
    herder.push_back(herd);
    dzud.push_back(!urb && soum % 7 == 0);
    region.push_back(reg);
    const double ln_pc =
        12.3 - 0.07 * (size - 1) - 0.2 * herd + 0.45 * normal(rng);
    s.consumption.push_back(std::round(std::exp(ln_pc) * size));
    const int head = 22 + static_cast<int>(unif(rng) * 50);
    s.age.push_back(static_cast<int16_t>(head));
    for (int i = 1; i < size; ++i) {
      s.age.push_back(static_cast<int16_t>(
          unif(rng) < 0.7 ? unif(rng) * 18 : 18 + unif(rng) * 60));
    }
    total += size;
    s.person_begin.push_back(static_cast<uint32_t>(total));
  }
  (void)s.columns.Add("urban", std::move(urban));
  (void)s.columns.Add("herder", std::move(herder));
  (void)s.columns.Add("dzud_soum", std::move(dzud));
  (void)s.columns.Add("region", std::move(region));
  return s;
}

}  // namespace malchin::poverty::bench
