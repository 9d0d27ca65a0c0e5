// FAO's factor-count screen: psych 2.2.9's minres fit with as many factors
// as variables (psych::fac, fm = "minres": fit.residuals, FAgr.minres,
// FAout.wls), run with R's L-BFGS-B (lbfgsb.h).
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "rima/factor_analysis.h"
#include "rima/lbfgsb.h"

namespace malchin::rima {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kParscale = 0.01;  // psych: parscale = rep(.01, p).
constexpr double kThreshold = 0.95;

// Eigen-decomposition with eigenvalues largest first, as R's eigen().
struct Eigens {
  VectorXd values;
  MatrixXd vectors;
};

Eigens Decompose(const MatrixXd& a) {
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(a);
  return {es.eigenvalues().reverse(), es.eigenvectors().rowwise().reverse()};
}

// psych's smc(): 1 - 1 / diag(Pinv(R)), Pinv by the eigenvalues above
// sqrt(eps) times the largest; values above 1 are set to 1.
VectorXd SquaredMultipleCorrelations(const MatrixXd& r) {
  Eigens e = Decompose(r);
  const double tol = std::sqrt(kEps) * e.values(0);
  VectorXd inv_diag = VectorXd::Zero(r.rows());
  for (int j = 0; j < e.values.size(); ++j) {
    if (e.values(j) > tol) {
      inv_diag += e.vectors.col(j).cwiseAbs2() / e.values(j);
    }
  }
  return (1.0 - inv_diag.cwiseInverse().array()).min(1.0).matrix();
}

// psych fit.residuals(fm = "minres"): the sum of squared lower-triangle
// residuals of R with diagonal 1 - psi against its nf-factor
// reconstruction (eigenvalues below eps taken as 100 eps).
double Residual(const MatrixXd& r, const VectorXd& psi, int nf) {
  MatrixXd s = r;
  s.diagonal() = (1.0 - psi.array()).matrix();
  Eigens e = Decompose(s);
  MatrixXd model = MatrixXd::Zero(s.rows(), s.cols());
  for (int j = 0; j < nf; ++j) {
    double v = e.values(j) < kEps ? 100.0 * kEps : e.values(j);
    model += v * e.vectors.col(j) * e.vectors.col(j).transpose();
  }
  MatrixXd res = s - model;
  double sum = 0;
  for (int c = 0; c < res.cols(); ++c) {
    for (int i = c + 1; i < res.rows(); ++i) sum += res(i, c) * res(i, c);
  }
  return sum;
}

// The loadings of R - diag(psi): the first q eigenvectors scaled by the
// square roots of their eigenvalues (0 for negative ones; psych
// FAout.wls / FAgr.minres).
MatrixXd Loadings(const MatrixXd& r, const VectorXd& psi, int q) {
  MatrixXd s = r;
  s.diagonal() -= psi;
  Eigens e = Decompose(s);
  MatrixXd l(r.rows(), q);
  for (int j = 0; j < q; ++j) {
    l.col(j) = e.vectors.col(j) * std::sqrt(std::max(e.values(j), 0.0));
  }
  return l;
}

}  // namespace

Result<MinresScreen> FaoMinresScreen(const Matrix& correlation,
                                     const std::string& pillar) {
  const int p = static_cast<int>(correlation.rows);
  MatrixXd r = Eigen::Map<const MatrixXd>(correlation.data.data(), p, p);
  r.diagonal().setOnes();
  const VectorXd start =
      (1.0 - SquaredMultipleCorrelations(r).array()).matrix();
  std::vector<double> x0(p), lower(p, 0.005 / kParscale),
      upper(p, 1.0 / kParscale);
  for (int i = 0; i < p; ++i) x0[i] = start(i) / kParscale;
  auto objective = [&](const std::vector<double>& x, std::vector<double>* g) {
    VectorXd psi = Eigen::Map<const VectorXd>(x.data(), p) * kParscale;
    MatrixXd l = Loadings(r, psi, p);
    VectorXd grad = l.rowwise().squaredNorm() + psi - r.diagonal();
    for (int i = 0; i < p; ++i) (*g)[i] = grad(i) * kParscale;
    return Residual(r, psi, p);
  };
  LbfgsbResult opt = MinimizeLbfgsb(objective, x0, lower, upper);
  if (!std::isfinite(opt.f)) {
    return Status::InvalidArgument(
        "pillar " + pillar +
        ": the FAO minres screen met a non-finite residual; expected a "
        "finite correlation matrix");
  }
  MinresScreen out;
  VectorXd psi = Eigen::Map<const VectorXd>(opt.x.data(), p) * kParscale;
  MatrixXd l = Loadings(r, psi, p);
  l = (l.array() == 0.0).select(1e-15, l);  // psych: loadings == 0 -> 1e-15.
  for (int j = 0; j < p; ++j) out.ss_loadings.push_back(l.col(j).squaredNorm());
  std::stable_sort(out.ss_loadings.begin(), out.ss_loadings.end(),
                   std::greater<double>());
  // R: pov <- (ss / p) / sum(ss / p); cumsum(pov).
  double total = 0;
  for (double ss : out.ss_loadings) total += ss / p;
  double cum = 0;
  for (double ss : out.ss_loadings) {
    out.share.push_back(ss / p / total);
    cum += out.share.back();
    out.cum_share.push_back(cum);
    if (out.factors == 0 && cum > kThreshold) {
      out.factors = static_cast<int>(out.cum_share.size());
    }
  }
  out.uniqueness.assign(psi.data(), psi.data() + p);
  out.iterations = opt.iterations;
  out.evaluations = opt.evaluations;
  out.convergence = opt.message;
  return out;
}

}  // namespace malchin::rima
