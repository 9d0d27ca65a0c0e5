// Property tests of the measures (spec §5.2 item 4): no reference file is
// needed, so they hold for any data, not only the fixture.
#include "poverty/measures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "poverty/microsim.h"
#include "poverty/survey.h"

namespace malchin::poverty {
namespace {

const Survey& Fixture() {
  static const Survey s = [] {
    const std::string dir =
        std::string(MALCHIN_SHARED_DIR) + "/reference/poverty/";
    auto r = LoadSurvey(dir + "households.csv", dir + "persons.csv");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : Survey();
  }();
  return s;
}

std::vector<double> PerCapita(const Survey& s) {
  std::vector<double> y(s.households());
  for (size_t h = 0; h < y.size(); ++h) y[h] = s.consumption[h] / s.size[h];
  return y;
}

Estimates Estimate(const Survey& s, std::span<const double> y, double z,
                   StandardErrors se = StandardErrors::kNone) {
  MeasureOptions opt;
  opt.poverty_line = z;
  opt.standard_errors = se;
  HouseholdView v{s.weight, s.size, {}, {}, {}};
  if (se != StandardErrors::kNone) {
    v.stratum = s.stratum;
    v.psu = s.psu;
  }
  auto pop = Population::Make(v, DomainSet::National(s.households()), opt);
  EXPECT_TRUE(pop.ok()) << pop.status().ToString();
  auto e = pop->Estimate(y);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return *e;
}

void ExpectRel(double a, double b, double tol, std::string_view what) {
  EXPECT_LE(std::fabs(a - b), tol * std::max(std::fabs(b), 1e-300))
      << what << ": " << a << " vs " << b;
}

// Household rows with weight w*s and person rows with weight w give the
// same Gini, quantiles, shares, Palma and QSR (split invariance).
TEST(Invariance, HouseholdRowsEqualPersonRows) {
  const Survey& s = Fixture();
  ASSERT_GT(s.households(), 0u);
  const auto y = PerCapita(s);
  std::vector<double> py, pw;
  std::vector<int32_t> one;
  for (size_t h = 0; h < s.households(); ++h) {
    for (int i = 0; i < s.size[h]; ++i) {
      py.push_back(y[h]);
      pw.push_back(s.weight[h]);
      one.push_back(1);
    }
  }
  MeasureOptions opt;
  opt.poverty_line = 200000;
  auto hh = Estimate(s, y, 200000).domains[0];
  auto pop = Population::Make({pw, one, {}, {}, {}},
                              DomainSet::National(py.size()), opt);
  ASSERT_TRUE(pop.ok());
  auto pe = pop->Estimate(py);
  ASSERT_TRUE(pe.ok());
  for (size_t m = 0; m < kMeasureCount; ++m) {
    const Measure mm = static_cast<Measure>(m);
    if (mm == Measure::kHouseholds || mm == Measure::kFgt0Households ||
        mm == Measure::kChildPovertyRate) {
      continue;  // household-counted or needs child counts
    }
    ExpectRel(pe->domains[0].value[m], hh.value[m], 1e-11, MeasureName(mm));
  }
}

TEST(Invariance, HeadcountIsMonotoneInThePovertyLine) {
  const Survey& s = Fixture();
  const auto y = PerCapita(s);
  double last = 0;
  for (double z :
       {50000.0, 120000.0, 180000.0, 200000.0, 200001.0, 350000.0, 1e7}) {
    const auto e = Estimate(s, y, z).domains[0];
    EXPECT_GE(e[Measure::kFgt0], last) << "z = " << z;
    EXPECT_GE(e[Measure::kFgt0], e[Measure::kFgt1]);
    EXPECT_GE(e[Measure::kFgt1], e[Measure::kFgt2]);
    last = e[Measure::kFgt0];
  }
  EXPECT_EQ(last, 1.0);
}

TEST(Invariance, ScalingWelfareAndLineChangesNoIndex) {
  const Survey& s = Fixture();
  const auto y = PerCapita(s);
  std::vector<double> y2(y);
  for (double& v : y2) v *= 3.7;
  const auto a = Estimate(s, y, 200000).domains[0];
  const auto b = Estimate(s, y2, 3.7 * 200000).domains[0];
  for (Measure m : {Measure::kFgt0, Measure::kFgt1, Measure::kFgt2,
                    Measure::kWatts, Measure::kGini, Measure::kTheil,
                    Measure::kMld, Measure::kGe2, Measure::kAtkinson05,
                    Measure::kAtkinson1, Measure::kAtkinson2, Measure::kShareA1,
                    Measure::kShareB5, Measure::kPalmaA, Measure::kQsr}) {
    ExpectRel(b[m], a[m], 1e-11, MeasureName(m));
  }
  ExpectRel(b[Measure::kMedian], 3.7 * a[Measure::kMedian], 1e-12, "median");
}

TEST(Invariance, JackknifeAgreesWithLinearisationWithinOnePercent) {
  const Survey& s = Fixture();
  const auto e =
      Estimate(s, PerCapita(s), 200000, StandardErrors::kBoth).domains[0];
  for (Measure m :
       {Measure::kFgt0, Measure::kFgt1, Measure::kFgt2, Measure::kWatts,
        Measure::kMean, Measure::kGini, Measure::kTheil, Measure::kAtkinson1}) {
    ASSERT_TRUE(std::isfinite(e.SeLin(m))) << MeasureName(m);
    ExpectRel(e.SeJkn(m), e.SeLin(m), 0.01, MeasureName(m));
  }
  // Quantile-based measures have only the jackknife.
  EXPECT_TRUE(std::isnan(e.SeLin(Measure::kMedian)));
  EXPECT_GT(e.SeJkn(Measure::kMedian), 0);
}

TEST(Invariance, ZeroReformChangesNothing) {
  const Survey& s = Fixture();
  auto domains = StandardDomains(s);
  ASSERT_TRUE(domains.ok());
  BenefitRule cmp;
  cmp.programme = "cmp";
  cmp.max_age = 17;
  cmp.amount = {{Date::FromYmd(2000, 1, 1), 20000}};
  const Policy base{"baseline", "v1", Date::FromYmd(2024, 1, 1), {cmp}};
  SimulationOptions opt;
  opt.measures.poverty_line = 200000;
  opt.measures.standard_errors = StandardErrors::kLinearization;
  auto sim = Simulator::Make(s, *domains, base, opt);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  auto r = sim->Run(base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cost_month, 0);
  EXPECT_EQ(r->benef_households, 0);
  EXPECT_EQ(r->loser_households, 0);
  for (const auto& d : r->measures.change.domains) {
    for (size_t m = 0; m < kMeasureCount; ++m) {
      if (std::isnan(d.value[m])) continue;
      EXPECT_EQ(d.value[m], 0) << d.domain << " " << m;
    }
  }
}

TEST(Quantiles, LaekenAndEurostatDifferOnlyOnExactShares) {
  std::vector<double> y, w(20, 1.0);
  for (int i = 20; i >= 1; --i) y.push_back(i);
  EXPECT_EQ(*WeightedQuantile(y, w, 0.2), 5);
  EXPECT_EQ(*WeightedQuantile(y, w, 0.2, QuantileRule::kEurostat), 4.5);
  EXPECT_EQ(*WeightedQuantile(y, w, 0.21), 5);
  EXPECT_EQ(*WeightedQuantile(y, w, 0.21, QuantileRule::kEurostat), 5);
  EXPECT_EQ(*WeightedQuantile(y, w, 0), 1);
  EXPECT_EQ(*WeightedQuantile(y, w, 1), 20);
  // Unit weights: the textbook Gini sum (2i - n - 1) y_(i) / (n sum y).
  double num = 0, tot = 0;
  for (int i = 1; i <= 20; ++i) {
    num += (2.0 * i - 20 - 1) * i;
    tot += i;
  }
  EXPECT_NEAR(*Gini(y, w), num / (20 * tot), 1e-15);
}

TEST(Errors, BadWelfareNamesTheRow) {
  const Survey& s = Fixture();
  auto y = PerCapita(s);
  y[7] = 0;
  MeasureOptions opt;
  opt.poverty_line = 200000;
  auto pop = Population::Make({s.weight, s.size, {}, {}, {}},
                              DomainSet::National(s.households()), opt);
  ASSERT_TRUE(pop.ok());
  auto e = pop->Estimate(y);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("household row 7"), std::string::npos)
      << e.status().message();
}

// A finite population correction f multiplies every stratum's variance by
// 1 - f: with one f everywhere, both SEs shrink by sqrt(1 - f); f = 1 in
// every stratum (a census) leaves no sampling variance.
TEST(FiniteCorrection, ScalesVarianceByOneMinusTheFraction) {
  const Survey& s = Fixture();
  const auto y = PerCapita(s);
  MeasureOptions opt;
  opt.poverty_line = 200000;
  opt.standard_errors = StandardErrors::kBoth;
  auto run = [&](double f) {
    std::vector<double> fraction(s.households(), f);
    HouseholdView v{s.weight, s.size, {}, s.stratum, s.psu, fraction};
    auto pop = Population::Make(v, DomainSet::National(s.households()), opt);
    EXPECT_TRUE(pop.ok()) << pop.status().ToString();
    return (*pop->Estimate(y)).domains[0];
  };
  const auto none = Estimate(s, y, 200000, StandardErrors::kBoth).domains[0];
  const auto f0 = run(0), f3 = run(0.3), f1 = run(1);
  for (Measure m : {Measure::kFgt0, Measure::kMean, Measure::kGini}) {
    EXPECT_EQ(f0.SeLin(m), none.SeLin(m)) << MeasureName(m);
    ExpectRel(f3.SeLin(m), std::sqrt(0.7) * none.SeLin(m), 1e-12,
              MeasureName(m));
    ExpectRel(f3.SeJkn(m), std::sqrt(0.7) * none.SeJkn(m), 1e-12,
              MeasureName(m));
    EXPECT_EQ(f1.SeLin(m), 0) << MeasureName(m);
    EXPECT_EQ(f1.SeJkn(m), 0) << MeasureName(m);
  }
}

TEST(FiniteCorrection, RejectsFractionsOutsideTheUnitIntervalOrMixed) {
  std::vector<double> w = {1, 1, 1, 1};
  std::vector<int32_t> size = {1, 1, 1, 1}, stratum = {1, 1, 2, 2},
                       psu = {1, 2, 3, 4};
  MeasureOptions opt;
  opt.poverty_line = 10;
  opt.standard_errors = StandardErrors::kLinearization;
  auto make = [&](std::vector<double> f) {
    return Population::Make({w, size, {}, stratum, psu, f},
                            DomainSet::National(4), opt);
  };
  EXPECT_TRUE(make({0.5, 0.5, 0.1, 0.1}).ok());
  auto out = make({0.5, 0.5, 1.5, 1.5});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("household row 2"), std::string::npos)
      << out.status().message();
  auto mixed = make({0.5, 0.4, 0.1, 0.1});
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("differs"), std::string::npos)
      << mixed.status().message();
}

TEST(Errors, LonelyPsuFailsByDefault) {
  std::vector<double> w = {1, 1, 1};
  std::vector<int32_t> size = {1, 2, 3}, stratum = {1, 1, 2}, psu = {1, 2, 3};
  MeasureOptions opt;
  opt.poverty_line = 10;
  opt.standard_errors = StandardErrors::kLinearization;
  auto pop = Population::Make({w, size, {}, stratum, psu},
                              DomainSet::National(3), opt);
  ASSERT_FALSE(pop.ok());
  EXPECT_EQ(pop.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(pop.status().message().find("stratum 2"), std::string::npos);
  opt.lonely_psu = LonelyPsu::kRemove;
  EXPECT_TRUE(
      Population::Make({w, size, {}, stratum, psu}, DomainSet::National(3), opt)
          .ok());
}

}  // namespace
}  // namespace malchin::poverty
