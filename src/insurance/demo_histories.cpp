#include "insurance/demo_histories.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "geo/geography.h"
#include "insurance/ledger.h"
#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

using insurance::InsuranceScheme;
using insurance::PaymentMethod;

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashText(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// A uniform draw in [0, 1) for (seed, person, salt).
double Draw(uint64_t seed, uint64_t person, uint64_t salt) {
  return static_cast<double>(Mix(Mix(seed ^ person) + salt) >> 11) * 0x1.0p-53;
}

// Demo factors (docs/insurance.md): older herders insure more for their
// pension, the young less; health insurance is commoner among women.
double SocialAgeFactor(int age) {
  if (age < 25) return 0.35;
  if (age < 35) return 0.7;
  if (age < 45) return 1.1;
  return 1.6;
}
double HealthAgeFactor(int age) {
  if (age < 25) return 0.75;
  if (age < 35) return 0.9;
  if (age < 45) return 1.05;
  return 1.2;
}
// Aimag factor in [0.7, 1.3], fixed by the aimag code (not by the seed).
double AimagFactor(int32_t aimag) {
  return 0.7 + 0.6 * static_cast<double>(Mix(aimag * 7919ULL) % 1000) / 999.0;
}

}  // namespace

Result<DemoHistorySummary> BuildDemoHistories(
    const params::ParameterSet& p, const insurance::InsuranceSnapshot& snap,
    const DemoHistoryOptions& o, insurance::Repository::SeedRows* rows) {
  DemoHistorySummary sum;
  const int32_t first = MakeMonth(o.first_year, 1);
  const int32_t last = MonthOf(o.as_of);
  if (last < first) {
    return Status::InvalidArgument("as-of " + o.as_of.ToString() +
                                   " is before the first history year " +
                                   std::to_string(o.first_year));
  }
  // Dues at the minimum-wage base, by month (one parameter look-up each).
  const int32_t span = last - first + 1;
  std::vector<int64_t> due[2], wage(span);
  std::vector<double> social_rate(span);
  for (int s = 0; s < 2; ++s) due[s].resize(span);
  for (int32_t m = first; m <= last; ++m) {
    for (int s = 0; s < 2; ++s) {
      MALCHIN_ASSIGN_OR_RETURN(
          MonthlyDue d, DueFor(p, static_cast<InsuranceScheme>(s), m, 0));
      due[s][m - first] = d.amount;
      if (s == 0) {
        social_rate[m - first] = d.rate;
        wage[m - first] = d.income_base;
      }
    }
  }
  const Date jan2019 = FirstDayOf(first);
  MALCHIN_ASSIGN_OR_RETURN(double max_f,
                           p.Value("pension.normal_age.female", jan2019));
  MALCHIN_ASSIGN_OR_RETURN(double max_m,
                           p.Value("pension.normal_age.male", jan2019));
  const int max_age[2] = {static_cast<int>(max_f), static_cast<int>(max_m)};
  const size_t n = snap.persons();
  std::vector<uint64_t> key(n);
  std::vector<double> w_social(n, 0), w_health(n, 0);
  double sum_s = 0, sum_h = 0;
  int64_t working = 0;
  for (size_t i = 0; i < n; ++i) {
    key[i] = HashText(snap.register_no[i]);
    int age = Date::FromDays(snap.birth_days[i]).AgeOn(jan2019);
    int sx = snap.sex[i];
    double aimag =
        AimagFactor(geo::AimagOfSoum(snap.soum_code[snap.household[i]]));
    w_social[i] = SocialAgeFactor(age) * (sx ? 1.15 : 0.85) * aimag *
                  (snap.disability[i] ? 0.7 : 1.0);
    w_health[i] = HealthAgeFactor(age) * (sx ? 0.9 : 1.1) *
                  (0.85 + 0.3 * (aimag - 0.7) / 0.6);
    if (age >= 18 && age < max_age[sx]) {
      working++;
      sum_s += w_social[i];
      sum_h += w_health[i];
    }
  }
  if (working == 0) return sum;
  // 6% of the insured skip a given year (below), so the propensity is
  // scaled up to keep the month-by-month rate at the baseline.
  constexpr double kKeepYear = 0.94;
  const double k_s = o.social_rate_2019 / kKeepYear * working / sum_s;
  // Almost all the socially insured are also health insured (0.95); the
  // health factor is scaled so that the total reaches the baseline.
  const double k_h_total = o.health_rate_2019 / kKeepYear * working / sum_h;
  std::vector<std::vector<int32_t>> covered[2];
  covered[0].resize(n);
  covered[1].resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int sx = snap.sex[i];
    const Date birth = Date::FromDays(snap.birth_days[i]);
    const double u_s = Draw(o.seed, key[i], 1);
    const double u_h = Draw(o.seed, key[i], 2);
    const double p_s = std::min(0.95, k_s * w_social[i]);
    const bool social = u_s < p_s;
    double p_h = std::min(0.97, k_h_total * w_health[i]);
    // Keep the health total: the socially insured take 0.95, the rest is
    // spread over the others.
    if (social) p_h = 0.95;
    const bool health =
        u_h <
        (social ? p_h
                : std::max(0.0, (p_h - 0.95 * p_s) / std::max(0.05, 1 - p_s)));
    int age0 = birth.AgeOn(jan2019);
    const bool working0 = age0 >= 18 && age0 < max_age[sx];
    sum.herders_2019 += working0;
    for (int s = 0; s < 2; ++s) {
      if (!(s == 0 ? social : health)) continue;
      // Higher declared income for some of the socially insured.
      const double u_inc = Draw(o.seed, key[i], 3);
      const double income_factor = s == 0 && u_inc < 0.2 ? 1.5 : 1.0;
      for (int year = o.first_year; year <= o.as_of.year(); ++year) {
        int32_t y0 = std::max(first, MakeMonth(year, 1));
        int32_t y1 = std::min(last, MakeMonth(year, 12));
        // Adults of working age only (health: from 18 as well).
        int age = birth.AgeOn(FirstDayOf(y0));
        if (age < 18 || age >= max_age[sx]) continue;
        // A few drop out for a year, and some pay only part of a year.
        const double u_year = Draw(o.seed, key[i], 100 + year * 2 + s);
        if (u_year < 0.06) continue;
        int32_t months = y1 - y0 + 1;
        if (u_year > 0.85 && months > 6) {
          months = 6 + static_cast<int32_t>((u_year - 0.85) / 0.15 * 6);
        }
        insurance::LedgerEntry e;
        e.scheme = static_cast<InsuranceScheme>(s);
        e.first_month = y0;
        e.months = months;
        e.paid_on = FirstDayOf(y0).AddDays(20 + static_cast<int>(u_year * 60));
        if (e.paid_on > o.as_of) e.paid_on = o.as_of;
        int64_t amount = 0;
        int64_t base = 0;
        for (int32_t m = y0; m < y0 + months; ++m) {
          if (s == 0) {
            int64_t b = std::llround(wage[m - first] * income_factor);
            base = std::max(base, b);
            amount +=
                std::llround(social_rate[m - first] * static_cast<double>(b));
          } else {
            amount += due[1][m - first];
          }
        }
        e.amount = e.due = amount;
        e.income_base = s == 0 ? base : 0;
        const double u_m = Draw(o.seed, key[i], 500 + year * 2 + s);
        if (s == 0 && (year == 2020 || year == 2021) && u_m < 0.5) {
          e.method = PaymentMethod::kGovernmentSubsidy;
          e.payer = "government (COVID-19 exemption)";
        } else if (u_m < 0.35) {
          e.method = PaymentMethod::kCash;
        } else if (u_m < 0.7) {
          e.method = PaymentMethod::kBank;
        } else if (u_m < 0.85) {
          e.method = PaymentMethod::kCooperative;
          e.payer = "cooperative";
        } else if (year >= 2024 && u_m < 0.95) {
          e.method = PaymentMethod::kRawMaterialSubsidy;
          e.payer = "raw-material subsidy";
        } else {
          e.method = PaymentMethod::kBank;
        }
        e.note = "demo";
        rows->entry_person.push_back(static_cast<int32_t>(i));
        rows->entries.push_back(std::move(e));
        sum.entries++;
        for (int32_t m = y0; m < y0 + months; ++m) covered[s][i].push_back(m);
      }
      if (working0 && !covered[s][i].empty() && covered[s][i][0] == first) {
        (s == 0 ? sum.social_2019 : sum.health_2019)++;
      }
      if (!covered[s][i].empty()) {
        rows->coverage_person.push_back(static_cast<int32_t>(i));
        rows->coverage.push_back({std::string(),
                                  static_cast<InsuranceScheme>(s),
                                  MergeMonths(covered[s][i])});
      }
    }
    // Contribution years before the ledger (SIGO books): most of the
    // insured, and some who stopped paying.
    const double u_c = Draw(o.seed, key[i], 7);
    if (age0 >= 25 && (social ? u_c < 0.8 : u_c < 0.25)) {
      int max_months = (age0 - 18) * 12;
      int months = static_cast<int>(Draw(o.seed, key[i], 8) * 0.7 * max_months);
      if (months > 0) {
        insurance::ServiceCredit c;
        c.months = months;
        c.herding_months = static_cast<int32_t>(
            months * (0.6 + 0.4 * Draw(o.seed, key[i], 9)));
        c.until_month = first - 1;
        c.average_income = 0;
        c.source = "demo";
        rows->credit_person.push_back(static_cast<int32_t>(i));
        rows->credits.push_back(std::move(c));
        sum.credits++;
      }
    }
  }
  return sum;
}

}  // namespace malchin::insurance
