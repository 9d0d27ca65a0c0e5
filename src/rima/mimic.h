// The RIMA-II MIMIC model (spec §5): m food-security indicators y measure
// the latent resilience capacity eta, which q pillar scores x cause:
//   y = lambda eta + eps,  eta = gamma' x + zeta,  lambda_1 = 1,
// fitted by maximum likelihood with fixed x and no mean structure, as
// lavaan::cfa(estimator = "ML") does. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "rima/matrix.h"

namespace malchin::rima {

struct MimicOptions {
  int max_iter = 500;
  // Converged when every |gradient| of F_ML is below this.
  double gradient_tolerance = 1e-10;
};

struct MimicFit {
  int m = 0;  // Indicators.
  int q = 0;  // Causes.
  int64_t n = 0;
  std::vector<double> lambda;  // m, lambda[0] = 1 (the marker).
  std::vector<double> gamma;   // q.
  double psi = 0;              // Var(zeta).
  std::vector<double> theta;   // m, Var(eps_j).
  int iterations = 0;          // Fisher-scoring iterations.
  // Fit (lavaan definitions, spec §5.2).
  double fmin = 0;  // F_ML at the optimum.
  int npar = 0;
  int df = 0;
  double chisq = 0;  // n * F_ML.
  double pvalue = 0;
  double baseline_chisq = 0;
  int baseline_df = 0;
  double cfi = 0, tli = 0, rmsea = 0, srmr = 0;
  double logl = 0, aic = 0, bic = 0;
  // Standardised solution (std.all).
  double var_eta = 0;              // gamma' Sxx gamma + psi.
  std::vector<double> std_lambda;  // lambda_j sd(eta) / sd(y_j).
  std::vector<double> std_gamma;   // gamma_j sd(x_j) / sd(eta).
  // Standard errors from the expected information (normal theory; lavaan's
  // se = "standard"), in the order lambda_2..m, gamma, psi, theta.
  std::vector<double> se;
  // Robust standard errors as FAO's tool reports them (lavaan se =
  // "robust.sem", RobustStandardErrors), same order. Empty when unknown
  // (FitMimic alone; model files written before they were added).
  std::vector<double> se_robust;
  // Household score weights given x (spec §5.3):
  // eta_hat = mu + k' (y - ybar - lambda mu), mu = gamma'(x - xbar).
  std::vector<double>
      k_regression;  // psi (psi lambda lambda' + Theta)^-1 lambda.
  std::vector<double>
      k_bartlett;  // Theta^-1 lambda / (lambda' Theta^-1 lambda).
};

// Fits the MIMIC model to S, the (m + q) x (m + q) covariance matrix of
// (y, x) with divisor n (indicators first). Errors: m < 2, a non-positive
// definite S (kInvalidArgument); no convergence, or a Heywood case (a
// variance estimate <= 0, or lambda_j <= 0 meaning an indicator not
// oriented like the marker) (kFailedPrecondition), never clamped.
Result<MimicFit> FitMimic(const Matrix& s, int m, int64_t n,
                          const MimicOptions& options = {});

// lavaan 0.6.14's se = "robust.sem" for an ML fit with fixed x (the
// Satorra-Bentler sandwich; lav_model_nvcov_robust_sem):
//   vcov = E^-1 (Delta' W Gamma W Delta) E^-1 / n,
// with Delta = dvech(Sigma)/dtheta, W = 1/2 D'(Sigma^-1 (x) Sigma^-1) D at
// the model-implied Sigma (expected information, structured h1),
// E = Delta' W Delta, and Gamma the asymptotic covariance of the sample
// (co)variances for fixed x (lav_samplestats_Gamma: each household's
// cross-products minus those with y replaced by its least-squares fit on
// x, centred, divisor n). `data` is the n x (m + q) matrix (indicators
// first) whose covariance with divisor n the model was fitted to. Returns
// the SEs in MimicFit::se order. Errors: kInvalidArgument if the shape of
// `data` does not match `fit`; kFailedPrecondition if the information
// matrix is singular.
Result<std::vector<double>> RobustStandardErrors(const MimicFit& fit,
                                                 const Matrix& data);

// Upper tail of the chi-square distribution.
double ChiSquareUpperTail(double x, int df);

}  // namespace malchin::rima
