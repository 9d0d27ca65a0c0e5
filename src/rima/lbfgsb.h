// Bound-constrained minimisation as R's optim(method = "L-BFGS-B") does it
// (R 4.2, src/appl/lbfgsb.c: L-BFGS-B 2.3 of Byrd, Lu, Nocedal and Zhu with
// the More-Thuente line search of MINPACK-2, ftol 1e-3, gtol 0.9, xtol
// 0.1), step for step, so that a psych fit whose answer depends on where
// optim stops (the minres screen of factor_screen.h) is reproduced.
// Internal to malchin::rima.
//
// Differences from R's code, none of which changes a step beyond rounding:
// the limited-memory matrix B is formed as a dense n x n matrix (BFGS
// updates of theta I over the stored pairs, equal to the compact form), so
// the generalized Cauchy point and the subspace minimisation are dense
// solves; every variable must have both bounds (optim's lower and upper
// given for all, as psych does). Meant for small n (tens of variables).
// Pure function; thread-safe if `objective` is.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace malchin::rima {

struct LbfgsbOptions {
  int memory = 5;      // optim's lmm: correction pairs kept.
  double factr = 1e7;  // Stop when (f_old - f) <= factr * eps * max(|f|, 1).
  double pgtol = 0;    // Stop when max |projected gradient| <= pgtol.
  int max_iter = 100;  // optim's maxit.
};

struct LbfgsbResult {
  std::vector<double> x;
  double f = 0;
  int iterations = 0;   // Accepted steps (optim's iteration count).
  int evaluations = 0;  // Objective and gradient evaluations (counts).
  bool converged = false;
  // optim's message, e.g. "CONVERGENCE: REL_REDUCTION_OF_F <=
  // FACTR*EPSMCH", "NEW_X" (iteration limit), "ABNORMAL_TERMINATION_IN_
  // LNSRCH", or "non-finite objective".
  std::string message;
};

// Returns f(x) and writes the gradient (size n) into *gradient.
using LbfgsbObjective = std::function<double(const std::vector<double>& x,
                                             std::vector<double>* gradient)>;

// Minimises `objective` over lower <= x <= upper from x0 (projected onto
// the box first). Never fails: a non-finite objective or a failed line
// search ends the run with converged = false and the best point so far.
// REQUIRES: x0, lower and upper of one size n >= 1; lower[i] < upper[i].
LbfgsbResult MinimizeLbfgsb(const LbfgsbObjective& objective,
                            std::vector<double> x0,
                            const std::vector<double>& lower,
                            const std::vector<double>& upper,
                            const LbfgsbOptions& options = {});

}  // namespace malchin::rima
