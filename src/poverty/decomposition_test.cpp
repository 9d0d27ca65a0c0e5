// Decompositions on the reference survey: the identities that define them
// (contributions add up to 1, within + between = total, Shapley parts add
// up to the change) and the pure cases (a uniform growth has no
// redistribution component; a mean-preserving change has no growth one).
// There is no golden file for decompositions in ../shared/reference.
#include "poverty/decomposition.h"

#include <gtest/gtest.h>

#include <cmath>

#include "poverty/survey.h"

namespace malchin::poverty {
namespace {

const std::string kRef =
    std::string(MALCHIN_SHARED_DIR) + "/reference/poverty/";

class DecompositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LoadSurvey(kRef + "households.csv", kRef + "persons.csv");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    survey_ = std::move(*s);
    y_.resize(survey_.households());
    for (size_t h = 0; h < y_.size(); ++h) {
      y_[h] = survey_.consumption[h] / survey_.size[h];
    }
  }
  Population Make(DomainSet domains) {
    MeasureOptions opt;
    opt.poverty_line = 200000;
    HouseholdView view{survey_.weight, survey_.size, {}, {}, {}};
    auto p = Population::Make(view, std::move(domains), opt);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return std::move(*p);
  }
  Survey survey_;
  std::vector<double> y_;
};

TEST_F(DecompositionTest, SubgroupsOfAColumnAddUp) {
  for (const char* column : {"urban", "region", "herder"}) {
    DomainSet d = DomainSet::National(survey_.households());
    ASSERT_TRUE(AddColumnDomains(survey_, column, &d).ok());
    std::vector<std::string> groups(d.names().begin() + 1, d.names().end());
    Population pop = Make(d);
    auto est = pop.Estimate(y_);
    ASSERT_TRUE(est.ok());
    auto dec = DecomposeBySubgroup(*est, "national", groups);
    ASSERT_TRUE(dec.ok()) << dec.status().ToString();
    ASSERT_EQ(dec->groups.size(), groups.size());
    for (int a = 0; a < 3; ++a) {
      double share = 0, contribution = 0;
      for (const auto& g : dec->groups) {
        share += g.population_share;
        contribution += g.contribution[a];
      }
      EXPECT_NEAR(share, 1, 1e-12) << column;
      EXPECT_NEAR(contribution, 1, 1e-12) << column << " alpha " << a;
      EXPECT_NEAR(dec->fgt_residual[a], 0, 1e-12) << column;
      const double total = dec->ge.total[a];
      EXPECT_GT(total, 0);
      EXPECT_NEAR(dec->ge.within[a] + dec->ge.between[a], total, 1e-10 * total)
          << column << " GE(" << a << ")";
      EXPECT_GE(dec->ge.between[a], 0);
    }
  }
}

TEST_F(DecompositionTest, GroupsThatAreNotAPartitionAreRefused) {
  DomainSet d = DomainSet::National(survey_.households());
  ASSERT_TRUE(AddColumnDomains(survey_, "urban", &d).ok());
  Population pop = Make(d);
  auto est = pop.Estimate(y_);
  ASSERT_TRUE(est.ok());
  auto one = DecomposeBySubgroup(*est, "national", {d.names()[1]});
  EXPECT_EQ(one.status().code(), StatusCode::kInvalidArgument);
  auto missing = DecomposeBySubgroup(*est, "national", {"nowhere"});
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DecompositionTest, UniformGrowthIsAllGrowth) {
  Population pop = Make(DomainSet::National(survey_.households()));
  std::vector<double> y1(y_);
  for (double& v : y1) v *= 1.10;
  auto dr = DecomposeGrowthRedistribution(pop, y_, pop, y1);
  ASSERT_TRUE(dr.ok()) << dr.status().ToString();
  for (const auto& x : *dr) {
    EXPECT_LT(x.after, x.before);
    EXPECT_NEAR(x.redistribution, 0, 1e-12) << x.alpha;
    EXPECT_NEAR(x.residual, 0, 1e-12) << x.alpha;
    EXPECT_NEAR(x.growth, x.after - x.before, 1e-12);
    EXPECT_NEAR(x.shapley_growth + x.shapley_redistribution, x.after - x.before,
                1e-15);
    EXPECT_NEAR(x.mean_after / x.mean_before, 1.10, 1e-12);
  }
}

TEST_F(DecompositionTest, MeanPreservingEqualisationIsAllRedistribution) {
  Population pop = Make(DomainSet::National(survey_.households()));
  auto e0 = pop.Estimate(y_);
  ASSERT_TRUE(e0.ok());
  const double mu = e0->domains[0][Measure::kMean];
  std::vector<double> y1(y_);
  for (double& v : y1) v = 0.7 * v + 0.3 * mu;  // Same mean, less unequal.
  auto dr = DecomposeGrowthRedistribution(pop, y_, pop, y1);
  ASSERT_TRUE(dr.ok());
  for (const auto& x : *dr) {
    EXPECT_NEAR(x.growth, 0, 1e-12) << x.alpha;
    EXPECT_LT(x.redistribution, 0) << x.alpha;
    EXPECT_NEAR(x.residual, 0, 1e-12);
    EXPECT_NEAR(x.shapley_redistribution, x.after - x.before, 1e-12);
  }
}

TEST_F(DecompositionTest, GrowthWithRedistributionHasAResidualShapleyHasNone) {
  Population pop = Make(DomainSet::National(survey_.households()));
  std::vector<double> y1(y_);
  // Richer households grow faster: growth and more inequality at once.
  for (double& v : y1) v *= v > 300000 ? 1.3 : 1.02;
  auto dr = DecomposeGrowthRedistribution(pop, y_, pop, y1);
  ASSERT_TRUE(dr.ok());
  const auto& x = (*dr)[0];
  EXPECT_LT(x.growth, 0);
  EXPECT_GT(x.redistribution, 0);
  EXPECT_NEAR(x.before + x.growth + x.redistribution + x.residual, x.after,
              1e-15);
  EXPECT_NEAR(x.shapley_growth + x.shapley_redistribution, x.after - x.before,
              1e-15);
  EXPECT_NEAR(x.shapley_growth, x.growth + x.residual / 2, 1e-15);
}

}  // namespace
}  // namespace malchin::poverty
