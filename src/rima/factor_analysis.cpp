#include "rima/factor_analysis.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>

namespace malchin::rima {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

Eigen::Map<const MatrixXd> View(const Matrix& m) {
  return Eigen::Map<const MatrixXd>(m.data.data(), m.rows, m.cols);
}

Matrix FromEigen(const MatrixXd& m) {
  Matrix out(m.rows(), m.cols());
  Eigen::Map<MatrixXd>(out.data.data(), m.rows(), m.cols()) = m;
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::vector<double> EigenvaluesDescending(const Matrix& symmetric) {
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(View(symmetric),
                                             Eigen::EigenvaluesOnly);
  std::vector<double> v(es.eigenvalues().data(),
                        es.eigenvalues().data() + es.eigenvalues().size());
  std::reverse(v.begin(), v.end());
  return v;
}

int KaiserFactors(const Matrix& correlation) {
  int k = 0;
  for (double e : EigenvaluesDescending(correlation)) k += e > 1.0 ? 1 : 0;
  return std::max(k, 1);
}

Matrix Correlation(const Matrix& x) {
  auto X = View(x);
  MatrixXd c = X.rowwise() - X.colwise().mean();
  MatrixXd cov = c.transpose() * c;
  VectorXd inv_sd = cov.diagonal().array().sqrt().inverse();
  MatrixXd r = inv_sd.asDiagonal() * cov * inv_sd.asDiagonal();
  r.diagonal().setOnes();
  return FromEigen(r);
}

Result<PrincipalAxis> FitPrincipalAxis(const Matrix& correlation, int k,
                                       const std::string& pillar,
                                       const std::vector<std::string>& names,
                                       const PrincipalAxisOptions& options) {
  const int p = static_cast<int>(correlation.rows);
  if (k < 1 || k >= p) {
    return Status::InvalidArgument(
        "pillar " + pillar + ": " + std::to_string(k) +
        " factors requested; expected 1.." + std::to_string(p - 1) + " for " +
        std::to_string(p) + " variables");
  }
  MatrixXd r = View(correlation);
  r.diagonal().setOnes();
  double total = r.trace();
  MatrixXd loadings(p, k);
  int it = 0;
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(p);
  while (true) {
    es.compute(r);
    // Eigen sorts ascending: the largest k are the last k, reversed.
    for (int j = 0; j < k; ++j) {
      double e = es.eigenvalues()(p - 1 - j);
      if (!(e > 0.0)) {
        return Status::InvalidArgument(
            "pillar " + pillar + ": eigenvalue " + std::to_string(j + 1) +
            " of the reduced correlation matrix is " + Num(e) +
            " at principal-axis iteration " + std::to_string(it + 1) +
            " (imaginary loadings); expected the first " + std::to_string(k) +
            " to be positive: use fewer factors");
      }
      loadings.col(j) = es.eigenvectors().col(p - 1 - j) * std::sqrt(e);
    }
    VectorXd h = loadings.rowwise().squaredNorm();
    double total1 = h.sum();
    r.diagonal() = h;
    double err = std::abs(total - total1);
    total = total1;
    ++it;
    if (err <= options.min_err || it >= options.max_iter) break;
  }
  for (int j = 0; j < k; ++j) {
    if (loadings.col(j).sum() < 0) loadings.col(j) *= -1.0;
  }
  PrincipalAxis out;
  out.factors = k;
  out.iterations = it;
  out.loadings = FromEigen(loadings);
  for (int i = 0; i < p; ++i) {
    double h = loadings.row(i).squaredNorm();
    out.communality.push_back(h);
    out.uniqueness.push_back(1.0 - h);
    if (!(1.0 - h > 0.0)) {
      return Status::InvalidArgument(
          "pillar " + pillar + ": Heywood case: variable " +
          (i < static_cast<int>(names.size()) ? names[i] : std::to_string(i)) +
          " has communality " + Num(h) +
          " (uniqueness <= 0); expected a uniqueness above 0: drop or "
          "recode the variable, or use fewer factors");
    }
  }
  for (int j = 0; j < k; ++j) {
    out.ss_loadings.push_back(loadings.col(j).squaredNorm());
  }
  return out;
}

Matrix BartlettWeights(const PrincipalAxis& pa) {
  auto L = View(pa.loadings);
  VectorXd u_inv =
      Eigen::Map<const VectorXd>(pa.uniqueness.data(), pa.uniqueness.size())
          .cwiseInverse();
  MatrixXd ul = u_inv.asDiagonal() * L;
  MatrixXd m = L.transpose() * ul;
  return FromEigen(ul * m.ldlt().solve(MatrixXd::Identity(m.rows(), m.cols())));
}

Result<PillarFit> FitPillar(const std::string& name,
                            const std::vector<std::string>& variables,
                            const Matrix& x, const FactorRule& rule,
                            std::vector<double>* scores) {
  const size_t n = x.rows, p = x.cols;
  if (p < 3) {
    return Status::InvalidArgument("pillar " + name + " has " +
                                   std::to_string(p) +
                                   " variables; expected at least 3");
  }
  if (n < 3) {
    return Status::InvalidArgument("pillar " + name + ": only " +
                                   std::to_string(n) +
                                   " complete households; expected at least 3");
  }
  PillarFit fit;
  fit.name = name;
  fit.variables = variables;
  auto X = View(x);
  for (size_t j = 0; j < p; ++j) {
    double m = X.col(j).mean();
    double ss = (X.col(j).array() - m).square().sum();
    double sd = std::sqrt(ss / static_cast<double>(n - 1));
    if (!(sd > 0.0) || sd <= 1e-12 * std::max(1.0, std::abs(m))) {
      return Status::InvalidArgument(
          "pillar " + name + ": variable " + variables[j] +
          " is constant (every household has " + Num(m) +
          "); expected a variable that varies between households");
    }
    fit.mean.push_back(m);
    fit.sd.push_back(sd);
  }
  Matrix r = Correlation(x);
  fit.kaiser_factors = KaiserFactors(r);
  int k = fit.kaiser_factors;
  if (rule.kind == FactorRule::Kind::kFixed) {
    k = rule.factors;
  } else if (rule.kind == FactorRule::Kind::kFaoMinresScreen) {
    MALCHIN_ASSIGN_OR_RETURN(fit.screen, FaoMinresScreen(r, name));
    k = fit.screen.factors;
  }
  MALCHIN_ASSIGN_OR_RETURN(fit.pa, FitPrincipalAxis(r, k, name, variables));
  fit.bartlett = BartlettWeights(fit.pa);
  double ss_total = 0;
  for (double s : fit.pa.ss_loadings) ss_total += s;
  for (double s : fit.pa.ss_loadings) fit.factor_weight.push_back(s / ss_total);
  double w_sum = 0;
  for (double w : fit.factor_weight) w_sum += w;
  for (size_t i = 0; i < p; ++i) {
    double c = 0;
    for (int j = 0; j < k; ++j) c += fit.bartlett(i, j) * fit.factor_weight[j];
    fit.coefficient.push_back(c / w_sum);
  }
  if (scores) {
    scores->assign(n, 0.0);
    Eigen::Map<VectorXd> s(scores->data(), n);
    for (size_t i = 0; i < p; ++i) {
      s += (X.col(i).array() - fit.mean[i]).matrix() *
           (fit.coefficient[i] / fit.sd[i]);
    }
  }
  return fit;
}

}  // namespace malchin::rima
