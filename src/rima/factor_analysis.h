// Pillar estimation for RIMA-II (spec §4.2): principal-axis factor analysis
// with psych `fa(fm = "pa", SMC = FALSE, rotate = "none")` semantics,
// Bartlett factor-score weights, factor weights by share of common variance
// and the pillar score. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "rima/matrix.h"

namespace malchin::rima {

// How many factors a pillar keeps (spec §4.3).
struct FactorRule {
  enum class Kind {
    kKaiser,  // Eigenvalues of the correlation matrix > 1 (at least 1).
    kFixed,   // Exactly `factors`.
    // FAO Shiny RIMA's rule: the smallest k whose cumulative share of the
    // common variance of a preliminary p-factor minres fit is > 0.95
    // (FaoMinresScreen).
    kFaoMinresScreen,
  };
  Kind kind = Kind::kKaiser;
  int factors = 0;  // For kFixed.
};

struct PrincipalAxisOptions {
  double min_err = 0.001;  // psych's min.err: |change in sum of communalities|.
  int max_iter = 50;       // psych's max.iter.
};

// The result of principal-axis factoring of one pillar.
struct PrincipalAxis {
  int factors = 0;
  int iterations = 0;               // psych's length(communality.iterations).
  Matrix loadings;                  // p x k, each factor's loadings sum >= 0.
  std::vector<double> communality;  // h_i = sum_k L_ik^2.
  std::vector<double> uniqueness;   // u_i = 1 - h_i (all > 0).
  std::vector<double> ss_loadings;  // sum_i L_ik^2 per factor.
};

// Eigenvalues of a symmetric matrix, largest first.
std::vector<double> EigenvaluesDescending(const Matrix& symmetric);

// The number of eigenvalues of `correlation` greater than 1, at least 1.
int KaiserFactors(const Matrix& correlation);

// FAO's factor-count screen (spec §4.1, §4.3): psych 2.2.9
// fa(x, nfactors = p, rotate = "none") with its defaults (fm = "minres",
// SMC = TRUE), i.e. optim(L-BFGS-B) on the uniquenesses from 1 - SMC with
// psych's residual objective and gradient, bounds [0.005, 1], parscale
// 0.01; then each factor's share of the sum of squared loadings, and
// numf = min(which(cumsum(share) > 0.95)). The p-factor fit is degenerate
// (every uniqueness vector that leaves R - diag(psi) positive
// semi-definite fits exactly), so the answer depends on where optim stops:
// MinimizeLbfgsb follows R's optimiser step for step.
struct MinresScreen {
  int factors = 0;                  // numf; 0: the screen was not run.
  std::vector<double> ss_loadings;  // p, largest first (psych's order).
  std::vector<double> share;        // ss / sum(ss).
  std::vector<double> cum_share;
  std::vector<double> uniqueness;  // Where optim stopped.
  int iterations = 0;              // optim's iterations.
  int evaluations = 0;             // optim's function evaluations.
  std::string convergence;         // optim's message.
};

// Runs the screen on a correlation matrix (p >= 2). `pillar` is for
// messages. Errors (kInvalidArgument): a non-finite residual (a damaged
// correlation matrix). A run that stops without optim's convergence is
// kept, as psych keeps it, with its message in `convergence`.
Result<MinresScreen> FaoMinresScreen(const Matrix& correlation,
                                     const std::string& pillar);

// Iterated principal-axis factoring of a correlation matrix with k factors,
// starting from communalities 1 (spec §4.2 steps 2-4). `pillar` and `names`
// are for messages. Errors (kInvalidArgument): k outside 1..p-1, an
// eigenvalue among the first k that is <= 0 ("imaginary eigen value"), or a
// Heywood case (some uniqueness <= 0), naming the variable.
Result<PrincipalAxis> FitPrincipalAxis(
    const Matrix& correlation, int k, const std::string& pillar,
    const std::vector<std::string>& names,
    const PrincipalAxisOptions& options = {});

// Bartlett weights W = U^-1 L (L' U^-1 L)^-1 (p x k), U = diag(uniqueness):
// factor scores are z(x) W.
Matrix BartlettWeights(const PrincipalAxis& pa);

// A fitted pillar: everything needed to score a household on it.
struct PillarFit {
  std::string name;
  std::vector<std::string> variables;
  std::vector<double> mean;  // Per variable, for z-scores.
  std::vector<double> sd;    // Per variable, divisor n - 1.
  int kaiser_factors = 0;    // What the Kaiser rule says (always reported).
  MinresScreen screen;       // Run only under kFaoMinresScreen.
  PrincipalAxis pa;
  Matrix bartlett;                    // p x k.
  std::vector<double> factor_weight;  // w_k = ss_k / sum ss (sum 1).
  // Pillar score = sum_i coefficient_i * z_i, with
  // coefficient_i = sum_k W_ik w_k / sum_k w_k.
  std::vector<double> coefficient;
};

// Fits one pillar on the complete-case data `x` (n x p, columns in the
// order of `variables`) under `rule`, and writes the household pillar
// scores (n) into `scores` if it is not null. Errors: fewer than 3
// variables or 3 households, a constant column, and FitPrincipalAxis's.
Result<PillarFit> FitPillar(const std::string& name,
                            const std::vector<std::string>& variables,
                            const Matrix& x, const FactorRule& rule,
                            std::vector<double>* scores);

// Pearson correlation matrix of the columns of x (n x p).
Matrix Correlation(const Matrix& x);

}  // namespace malchin::rima
