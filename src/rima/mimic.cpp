#include "rima/mimic.h"

#include <Eigen/Dense>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numbers>
#include <string>

namespace malchin::rima {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Parameter layout: lambda_2..m, gamma_1..q, psi, theta_1..m.
struct Layout {
  int m, q;
  int npar() const { return 2 * m + q; }
  int lambda(int j) const { return j - 1; }  // j >= 1
  int gamma(int l) const { return m - 1 + l; }
  int psi() const { return m - 1 + q; }
  int theta(int j) const { return m + q + j; }
};

struct Params {
  VectorXd lambda, gamma, theta;
  double psi = 0;
};

Params Unpack(const Layout& lay, const VectorXd& t) {
  Params p;
  p.lambda = VectorXd::Ones(lay.m);
  for (int j = 1; j < lay.m; ++j) p.lambda(j) = t(lay.lambda(j));
  p.gamma = t.segment(lay.gamma(0), lay.q);
  p.psi = t(lay.psi());
  p.theta = t.segment(lay.theta(0), lay.m);
  return p;
}

MatrixXd Implied(const Layout& lay, const Params& p, const MatrixXd& sxx) {
  const int m = lay.m, q = lay.q;
  VectorXd sg = sxx * p.gamma;
  double v = p.gamma.dot(sg) + p.psi;
  MatrixXd sigma(m + q, m + q);
  sigma.topLeftCorner(m, m) = v * p.lambda * p.lambda.transpose();
  sigma.topLeftCorner(m, m).diagonal() += p.theta;
  sigma.topRightCorner(m, q) = p.lambda * sg.transpose();
  sigma.bottomLeftCorner(q, m) = sigma.topRightCorner(m, q).transpose();
  sigma.bottomRightCorner(q, q) = sxx;
  return sigma;
}

// dSigma/dtheta_k for every parameter.
std::vector<MatrixXd> Derivatives(const Layout& lay, const Params& p,
                                  const MatrixXd& sxx) {
  const int m = lay.m, q = lay.q, d = m + q;
  VectorXd sg = sxx * p.gamma;
  double v = p.gamma.dot(sg) + p.psi;
  std::vector<MatrixXd> out(lay.npar(), MatrixXd::Zero(d, d));
  for (int j = 1; j < m; ++j) {
    MatrixXd& D = out[lay.lambda(j)];
    D.topLeftCorner(m, m).row(j) += v * p.lambda.transpose();
    D.topLeftCorner(m, m).col(j) += v * p.lambda;
    D.block(j, m, 1, q) = sg.transpose();
    D.block(m, j, q, 1) = sg;
  }
  MatrixXd ll = p.lambda * p.lambda.transpose();
  for (int l = 0; l < q; ++l) {
    MatrixXd& D = out[lay.gamma(l)];
    D.topLeftCorner(m, m) = 2.0 * sg(l) * ll;
    D.topRightCorner(m, q) = p.lambda * sxx.row(l);
    D.bottomLeftCorner(q, m) = D.topRightCorner(m, q).transpose();
  }
  out[lay.psi()].topLeftCorner(m, m) = ll;
  for (int j = 0; j < m; ++j) out[lay.theta(j)](j, j) = 1.0;
  return out;
}

// F_ML without the constant -log|S| - d; +inf if Sigma is not positive
// definite.
double Discrepancy(const MatrixXd& sigma, const MatrixXd& s,
                   Eigen::LLT<MatrixXd>* llt) {
  llt->compute(sigma);
  if (llt->info() != Eigen::Success) return INFINITY;
  double logdet =
      2.0 * llt->matrixL().toDenseMatrix().diagonal().array().log().sum();
  if (!std::isfinite(logdet)) return INFINITY;
  return logdet + llt->solve(s).trace();
}

double LogDet(const MatrixXd& a) {
  Eigen::LLT<MatrixXd> llt(a);
  if (llt.info() != Eigen::Success) return NAN;
  return 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

Result<std::vector<double>> RobustStandardErrors(const MimicFit& fit,
                                                 const Matrix& data) {
  const int m = fit.m, q = fit.q, d = m + q;
  const int64_t n = static_cast<int64_t>(data.rows);
  if (static_cast<int>(data.cols) != d || n < 2 ||
      static_cast<int>(fit.lambda.size()) != m) {
    return Status::InvalidArgument(
        "MIMIC robust standard errors: data of " + std::to_string(data.cols) +
        " columns; expected " + std::to_string(d) + " (indicators, causes)");
  }
  auto X = Eigen::Map<const MatrixXd>(data.data.data(), n, d);
  const double nd = static_cast<double>(n);
  MatrixXd c = X.rowwise() - X.colwise().mean();
  MatrixXd sxx = c.rightCols(q).transpose() * c.rightCols(q) / nd;
  Layout lay{m, q};
  Params p;
  p.lambda = Eigen::Map<const VectorXd>(fit.lambda.data(), m);
  p.gamma = Eigen::Map<const VectorXd>(fit.gamma.data(), q);
  p.theta = Eigen::Map<const VectorXd>(fit.theta.data(), m);
  p.psi = fit.psi;
  MatrixXd sigma_inv =
      Implied(lay, p, sxx).ldlt().solve(MatrixXd::Identity(d, d));
  std::vector<MatrixXd> dsig = Derivatives(lay, p, sxx);
  const int np = lay.npar();
  std::vector<MatrixXd> a(np);
  for (int k = 0; k < np; ++k) a[k] = sigma_inv * dsig[k] * sigma_inv;
  MatrixXd e(np, np);
  for (int k = 0; k < np; ++k) {
    for (int l = k; l < np; ++l) {
      e(k, l) = e(l, k) = 0.5 * (a[k].cwiseProduct(dsig[l])).sum();
    }
  }
  // y replaced by its least-squares fit on x (both centred).
  MatrixXd chat = c;
  chat.leftCols(m) =
      c.rightCols(q) * (c.rightCols(q).transpose() * c.rightCols(q))
                           .ldlt()
                           .solve(c.rightCols(q).transpose() * c.leftCols(m));
  // Each household's contribution to Delta' W vech(z z' - zhat zhat').
  MatrixXd z(n, np);
  for (int k = 0; k < np; ++k) {
    z.col(k) = 0.5 * ((c * a[k]).cwiseProduct(c).rowwise().sum() -
                      (chat * a[k]).cwiseProduct(chat).rowwise().sum());
  }
  z.rowwise() -= z.colwise().mean();
  MatrixXd meat = z.transpose() * z / nd;
  Eigen::FullPivLU<MatrixXd> lu(e);
  if (!lu.isInvertible()) {
    return Status::FailedPrecondition(
        "MIMIC robust standard errors: the information matrix is singular");
  }
  MatrixXd e_inv = lu.inverse();
  MatrixXd vcov = e_inv * meat * e_inv / nd;
  std::vector<double> se;
  for (int k = 0; k < np; ++k) se.push_back(std::sqrt(vcov(k, k)));
  return se;
}

double ChiSquareUpperTail(double x, int df) {
  if (df <= 0) return NAN;
  if (x <= 0) return 1.0;
  return boost::math::gamma_q(df / 2.0, x / 2.0);
}

Result<MimicFit> FitMimic(const Matrix& s_in, int m, int64_t n,
                          const MimicOptions& options) {
  const int d = static_cast<int>(s_in.rows);
  const int q = d - m;
  if (m < 2 || q < 1 || s_in.cols != s_in.rows) {
    return Status::InvalidArgument("MIMIC: " + std::to_string(m) +
                                   " indicators and " + std::to_string(q) +
                                   " causes; expected at least 2 and 1");
  }
  MatrixXd s = Eigen::Map<const MatrixXd>(s_in.data.data(), d, d);
  const double logdet_s = LogDet(s);
  if (!std::isfinite(logdet_s)) {
    return Status::InvalidArgument(
        "MIMIC: the covariance matrix of the food-security indicators and "
        "pillars is singular; expected linearly independent pillars and "
        "indicators");
  }
  MatrixXd sxx = s.bottomRightCorner(q, q);
  Layout lay{m, q};
  const int np = lay.npar();

  // Start: lambda = 1, gamma from regressing the marker on x, half the
  // variances as error.
  VectorXd t = VectorXd::Zero(np);
  for (int j = 1; j < m; ++j) t(lay.lambda(j)) = 1.0;
  VectorXd g0 = sxx.ldlt().solve(s.block(m, 0, q, 1));
  t.segment(lay.gamma(0), q) = g0;
  double explained = g0.dot(sxx * g0);
  t(lay.psi()) = std::max(0.5 * (s(0, 0) - explained), 0.05 * s(0, 0));
  for (int j = 0; j < m; ++j) t(lay.theta(j)) = 0.5 * s(j, j);

  Eigen::LLT<MatrixXd> llt;
  double f = Discrepancy(Implied(lay, Unpack(lay, t), sxx), s, &llt);
  if (!std::isfinite(f)) {
    return Status::Internal("MIMIC: starting values give a singular model");
  }
  VectorXd grad(np);
  MatrixXd info(np, np);
  bool converged = false;
  int it = 0;
  for (; it < options.max_iter; ++it) {
    Params p = Unpack(lay, t);
    MatrixXd sigma = Implied(lay, p, sxx);
    llt.compute(sigma);
    MatrixXd sigma_inv = llt.solve(MatrixXd::Identity(d, d));
    MatrixXd omega = sigma_inv * (sigma - s) * sigma_inv;
    std::vector<MatrixXd> dsig = Derivatives(lay, p, sxx);
    std::vector<MatrixXd> a(np);
    for (int k = 0; k < np; ++k) {
      grad(k) = (omega.cwiseProduct(dsig[k])).sum();
      a[k] = sigma_inv * dsig[k];
    }
    for (int k = 0; k < np; ++k) {
      for (int l = k; l < np; ++l) {
        info(k, l) = info(l, k) = (a[k].cwiseProduct(a[l].transpose())).sum();
      }
    }
    if (grad.cwiseAbs().maxCoeff() < options.gradient_tolerance) {
      converged = true;
      break;
    }
    VectorXd step = info.ldlt().solve(-grad);
    double alpha = 1.0;
    bool improved = false;
    for (int h = 0; h < 60; ++h, alpha *= 0.5) {
      VectorXd t1 = t + alpha * step;
      double f1 = Discrepancy(Implied(lay, Unpack(lay, t1), sxx), s, &llt);
      if (f1 <= f) {
        t = t1;
        improved = f1 < f;
        f = f1;
        break;
      }
    }
    if (!improved) {
      // No further decrease is representable: accept if the gradient is at
      // the level of rounding.
      converged = grad.cwiseAbs().maxCoeff() < 1e-7;
      break;
    }
  }
  if (!converged) {
    return Status::FailedPrecondition(
        "MIMIC: maximum likelihood did not converge after " +
        std::to_string(it) +
        " iterations; expected food-security indicators that share a common "
        "factor related to the pillars");
  }
  Params p = Unpack(lay, t);
  if (!(p.psi > 0)) {
    return Status::FailedPrecondition(
        "MIMIC: Heywood case: the residual variance of resilience (psi) is " +
        Num(p.psi) +
        "; expected > 0. The pillars explain all of the common "
        "food-security variance: review the indicators");
  }
  for (int j = 0; j < m; ++j) {
    if (!(p.theta(j) > 0)) {
      return Status::FailedPrecondition(
          "MIMIC: Heywood case: the error variance of food-security "
          "indicator " +
          std::to_string(j + 1) + " is " + Num(p.theta(j)) + "; expected > 0");
    }
    if (!(p.lambda(j) > 0)) {
      return Status::FailedPrecondition(
          "MIMIC: food-security indicator " + std::to_string(j + 1) +
          " has loading " + Num(p.lambda(j)) +
          "; expected > 0 (every indicator oriented so that higher = more "
          "food secure, like the first one)");
    }
  }

  MimicFit out;
  out.m = m;
  out.q = q;
  out.n = n;
  out.iterations = it;
  out.lambda.assign(p.lambda.data(), p.lambda.data() + m);
  out.gamma.assign(p.gamma.data(), p.gamma.data() + q);
  out.psi = p.psi;
  out.theta.assign(p.theta.data(), p.theta.data() + m);
  out.fmin = f - logdet_s - d;
  out.npar = np;
  const int moments = m * (m + 1) / 2 + m * q;
  out.df = moments - np;
  const double nd = static_cast<double>(n);
  out.chisq = nd * out.fmin;
  out.pvalue = ChiSquareUpperTail(out.chisq, out.df);
  double fb = s.topLeftCorner(m, m).diagonal().array().log().sum() +
              LogDet(sxx) - logdet_s;
  out.baseline_chisq = nd * fb;
  out.baseline_df = moments - m;
  double d0 = std::max(out.chisq - out.df, 0.0);
  double db =
      std::max({out.baseline_chisq - out.baseline_df, out.chisq - out.df, 0.0});
  out.cfi = db > 0 ? 1.0 - d0 / db : 1.0;
  double rb = out.baseline_chisq / out.baseline_df;
  out.tli = out.df > 0 ? (rb - out.chisq / out.df) / (rb - 1.0) : 1.0;
  out.rmsea = out.df > 0
                  ? std::sqrt(std::max(0.0, out.chisq / nd / out.df - 1.0 / nd))
                  : 0.0;
  MatrixXd sigma = Implied(lay, p, sxx);
  {
    // Bentler's SRMR: residuals scaled by the observed standard deviations.
    VectorXd isd = s.diagonal().array().sqrt().inverse();
    MatrixXd r = isd.asDiagonal() * (s - sigma) * isd.asDiagonal();
    double sum = 0;
    for (int i = 0; i < d; ++i) {
      for (int j = 0; j <= i; ++j) sum += r(i, j) * r(i, j);
    }
    out.srmr = std::sqrt(sum / (d * (d + 1) / 2.0));
  }
  // Log-likelihood of y given the fixed x, as lavaan reports it with
  // fixed.x: the joint normal log-likelihood minus that of x alone.
  out.logl =
      -0.5 * nd * (m * std::log(2.0 * std::numbers::pi) + f - LogDet(sxx) - q);
  out.aic = -2.0 * out.logl + 2.0 * np;
  out.bic = -2.0 * out.logl + np * std::log(nd);
  out.var_eta = p.gamma.dot(sxx * p.gamma) + p.psi;
  double sd_eta = std::sqrt(out.var_eta);
  for (int j = 0; j < m; ++j) {
    out.std_lambda.push_back(p.lambda(j) * sd_eta / std::sqrt(sigma(j, j)));
  }
  for (int l = 0; l < q; ++l) {
    out.std_gamma.push_back(p.gamma(l) * std::sqrt(sxx(l, l)) / sd_eta);
  }
  {
    MatrixXd cov = (2.0 / nd) * info.ldlt().solve(MatrixXd::Identity(np, np));
    for (int k = 0; k < np; ++k) out.se.push_back(std::sqrt(cov(k, k)));
  }
  MatrixXd theta = p.theta.asDiagonal();
  MatrixXd sig_y = p.psi * p.lambda * p.lambda.transpose() + theta;
  VectorXd k_reg = p.psi * sig_y.ldlt().solve(p.lambda);
  VectorXd ti_l = p.lambda.cwiseQuotient(p.theta);
  VectorXd k_b = ti_l / p.lambda.dot(ti_l);
  out.k_regression.assign(k_reg.data(), k_reg.data() + m);
  out.k_bartlett.assign(k_b.data(), k_b.data() + m);
  return out;
}

}  // namespace malchin::rima
