// MinimizeLbfgsb against R 4.2.2's optim(method = "L-BFGS-B") on
// Rosenbrock functions, with the bounds inactive, active at the optimum,
// and met on the way (printed by R with %.17g; counts are optim's
// $counts): the port takes the same steps, so the evaluation counts and
// messages are equal and the points agree to rounding.
#include "rima/lbfgsb.h"

#include <gtest/gtest.h>

#include <cmath>

namespace malchin::rima {
namespace {

double Rosenbrock(const std::vector<double>& x, std::vector<double>* g) {
  double f = 0;
  g->assign(x.size(), 0.0);
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
    f += 100 * a * a + b * b;
    (*g)[i] += -400 * x[i] * a - 2 * b;
    (*g)[i + 1] += 200 * a;
  }
  return f;
}

struct Case {
  std::vector<double> x0, lower, upper, x;
  double f;
  int evaluations;
  const char* message;
};

TEST(LbfgsbTest, TakesTheStepsOfROptim) {
  const Case cases[] = {
      {{-1.2, 1},
       {-2, -2},
       {2, 2},
       {0.99999975878898295, 0.99999955214266179},
       1.7765417273140683e-13,
       51,
       "CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH"},
      {{-1.2, 1},
       {-2, -2},
       {0.5, 2},
       {0.5, 0.25},
       0.25,
       31,
       "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL"},
      {{-1.2, 1, -1.2, 1},
       {-2, 1.5, -2, -2},
       {2, 3, 2, 2},
       {-1.2210262482488765, 1.5, 1.4995240727353676, 2},
       67.940991384655305,
       17,
       "CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH"},
  };
  for (const Case& c : cases) {
    LbfgsbResult r = MinimizeLbfgsb(Rosenbrock, c.x0, c.lower, c.upper);
    EXPECT_TRUE(r.converged);
    EXPECT_EQ(r.message, c.message);
    EXPECT_EQ(r.evaluations, c.evaluations);
    ASSERT_EQ(r.x.size(), c.x.size());
    for (size_t i = 0; i < r.x.size(); ++i) EXPECT_NEAR(r.x[i], c.x[i], 1e-9);
    EXPECT_NEAR(r.f, c.f, 1e-9 * std::max(1.0, c.f));
  }
}

TEST(LbfgsbTest, NonFiniteObjectiveStops) {
  auto f = [](const std::vector<double>& x, std::vector<double>* g) {
    g->assign(x.size(), -1.0);
    return x[0] > 0.5 ? NAN : -x[0];
  };
  LbfgsbResult r = MinimizeLbfgsb(f, {0.0}, {-1.0}, {10.0});
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.message, "non-finite objective");
}

}  // namespace
}  // namespace malchin::rima
