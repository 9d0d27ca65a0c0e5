#include "rima/lbfgsb.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <utility>

namespace malchin::rima {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kEps = std::numeric_limits<double>::epsilon();

// One safeguarded step of the More-Thuente line search (MINPACK-2
// dcstep): updates the interval [stx, sty] and computes the next trial
// step from the function values f and derivatives d at its ends.
struct StepEnd {
  double st, f, d;
};

double CubicGamma(double theta, double da, double db) {
  double s = std::max({std::abs(theta), std::abs(da), std::abs(db)});
  return s * std::sqrt((theta / s) * (theta / s) - (da / s) * (db / s));
}

void Dcstep(StepEnd* x, StepEnd* y, double* stp, double fp, double dp,
            bool* brackt, double stpmin, double stpmax) {
  const double sgnd = dp * (x->d / std::abs(x->d));
  double stpf;
  if (fp > x->f) {
    double theta = 3.0 * (x->f - fp) / (*stp - x->st) + x->d + dp;
    double gamma = CubicGamma(theta, x->d, dp);
    if (*stp < x->st) gamma = -gamma;
    double p = (gamma - x->d) + theta;
    double q = ((gamma - x->d) + gamma) + dp;
    double stpc = x->st + p / q * (*stp - x->st);
    double stpq = x->st + x->d / ((x->f - fp) / (*stp - x->st) + x->d) / 2.0 *
                              (*stp - x->st);
    stpf = std::abs(stpc - x->st) < std::abs(stpq - x->st)
               ? stpc
               : stpc + (stpq - stpc) / 2.0;
    *brackt = true;
  } else if (sgnd < 0.0) {
    double theta = 3.0 * (x->f - fp) / (*stp - x->st) + x->d + dp;
    double gamma = CubicGamma(theta, x->d, dp);
    if (*stp > x->st) gamma = -gamma;
    double p = (gamma - dp) + theta;
    double q = ((gamma - dp) + gamma) + x->d;
    double stpc = *stp + p / q * (x->st - *stp);
    double stpq = *stp + dp / (dp - x->d) * (x->st - *stp);
    stpf = std::abs(stpc - *stp) > std::abs(stpq - *stp) ? stpc : stpq;
    *brackt = true;
  } else if (std::abs(dp) < std::abs(x->d)) {
    double theta = 3.0 * (x->f - fp) / (*stp - x->st) + x->d + dp;
    double s = std::max({std::abs(theta), std::abs(x->d), std::abs(dp)});
    double gamma = s * std::sqrt(std::max(0.0, (theta / s) * (theta / s) -
                                                   (x->d / s) * (dp / s)));
    if (*stp > x->st) gamma = -gamma;
    double p = (gamma - dp) + theta;
    double q = (gamma + (x->d - dp)) + gamma;
    double r = p / q;
    double stpc;
    if (r < 0.0 && gamma != 0.0) {
      stpc = *stp + r * (x->st - *stp);
    } else {
      stpc = *stp > x->st ? stpmax : stpmin;
    }
    double stpq = *stp + dp / (dp - x->d) * (x->st - *stp);
    if (*brackt) {
      stpf = std::abs(stpc - *stp) < std::abs(stpq - *stp) ? stpc : stpq;
      double lim = *stp + 0.66 * (y->st - *stp);
      stpf = *stp > x->st ? std::min(lim, stpf) : std::max(lim, stpf);
    } else {
      stpf = std::abs(stpc - *stp) > std::abs(stpq - *stp) ? stpc : stpq;
      stpf = std::max(stpmin, std::min(stpmax, stpf));
    }
  } else if (*brackt) {
    double theta = 3.0 * (fp - y->f) / (y->st - *stp) + y->d + dp;
    double gamma = CubicGamma(theta, y->d, dp);
    if (*stp > y->st) gamma = -gamma;
    double p = (gamma - dp) + theta;
    double q = ((gamma - dp) + gamma) + y->d;
    stpf = *stp + p / q * (y->st - *stp);
  } else {
    stpf = *stp > x->st ? stpmax : stpmin;
  }
  if (fp > x->f) {
    *y = {*stp, fp, dp};
  } else {
    if (sgnd < 0.0) *y = *x;
    *x = {*stp, fp, dp};
  }
  *stp = stpf;
}

// The More-Thuente line search (MINPACK-2 dcsrch) as a state machine:
// Start, then Next with f and f' at each trial step until it is done.
class LineSearch {
 public:
  enum class Task { kEvaluate, kDone, kError };

  Task Start(double f, double g, double* stp, double stpmax) {
    stpmax_ = stpmax;
    if (*stp > stpmax || g >= 0.0) return Task::kError;
    brackt_ = false;
    stage_ = 1;
    finit_ = f;
    ginit_ = g;
    gtest_ = kFtol * ginit_;
    width_ = stpmax_ - kStpmin;
    width1_ = width_ / 0.5;
    x_ = y_ = {0.0, finit_, ginit_};
    stmin_ = 0.0;
    stmax_ = *stp + kXtrapu * *stp;
    return Task::kEvaluate;
  }

  Task Next(double f, double g, double* stp) {
    const double ftest = finit_ + *stp * gtest_;
    if (stage_ == 1 && f <= ftest && g >= 0.0) stage_ = 2;
    bool done = false;
    if (brackt_ && (*stp <= stmin_ || *stp >= stmax_)) done = true;
    if (brackt_ && stmax_ - stmin_ <= kXtol * stmax_) done = true;
    if (*stp == stpmax_ && f <= ftest && g <= gtest_) done = true;
    if (*stp == kStpmin && (f > ftest || g >= gtest_)) done = true;
    if (f <= ftest && std::abs(g) <= kGtol * (-ginit_)) done = true;
    if (done) return Task::kDone;
    if (stage_ == 1 && f <= x_.f && f > ftest) {
      // Modified function psi(stp) = f(stp) - f(0) - gtest * stp.
      StepEnd xm{x_.st, x_.f - x_.st * gtest_, x_.d - gtest_};
      StepEnd ym{y_.st, y_.f - y_.st * gtest_, y_.d - gtest_};
      Dcstep(&xm, &ym, stp, f - *stp * gtest_, g - gtest_, &brackt_, stmin_,
             stmax_);
      x_ = {xm.st, xm.f + xm.st * gtest_, xm.d + gtest_};
      y_ = {ym.st, ym.f + ym.st * gtest_, ym.d + gtest_};
    } else {
      Dcstep(&x_, &y_, stp, f, g, &brackt_, stmin_, stmax_);
    }
    if (brackt_) {
      if (std::abs(y_.st - x_.st) >= 0.66 * width1_) {
        *stp = x_.st + 0.5 * (y_.st - x_.st);
      }
      width1_ = width_;
      width_ = std::abs(y_.st - x_.st);
      stmin_ = std::min(x_.st, y_.st);
      stmax_ = std::max(x_.st, y_.st);
    } else {
      stmin_ = *stp + kXtrapl * (*stp - x_.st);
      stmax_ = *stp + kXtrapu * (*stp - x_.st);
    }
    *stp = std::min(std::max(*stp, kStpmin), stpmax_);
    if ((brackt_ && (*stp <= stmin_ || *stp >= stmax_)) ||
        (brackt_ && stmax_ - stmin_ <= kXtol * stmax_)) {
      *stp = x_.st;
    }
    return Task::kEvaluate;
  }

 private:
  static constexpr double kFtol = 1e-3, kGtol = 0.9, kXtol = 0.1;
  static constexpr double kStpmin = 0.0, kXtrapl = 1.1, kXtrapu = 4.0;
  double stpmax_ = 0;
  bool brackt_ = false;
  int stage_ = 1;
  double finit_ = 0, ginit_ = 0, gtest_ = 0, width_ = 0, width1_ = 0;
  double stmin_ = 0, stmax_ = 0;
  StepEnd x_{}, y_{};
};

// The limited-memory BFGS matrix: theta I updated with the stored pairs,
// oldest first.
MatrixXd BfgsMatrix(const std::deque<std::pair<VectorXd, VectorXd>>& pairs,
                    double theta, int n) {
  MatrixXd b = theta * MatrixXd::Identity(n, n);
  for (const auto& [s, y] : pairs) {
    VectorXd bs = b * s;
    b += y * y.transpose() / y.dot(s) - bs * bs.transpose() / s.dot(bs);
  }
  return b;
}

struct Box {
  VectorXd l, u;
};

// The generalized Cauchy point (lbfgsb.c `cauchy`): the first local
// minimiser of the quadratic model along the projected steepest-descent
// path. Writes it to *xcp and marks the variables it fixed at a bound.
void CauchyPoint(const VectorXd& x, const VectorXd& g, const Box& box,
                 const MatrixXd& b, VectorXd* xcp, std::vector<bool>* fixed) {
  const int n = static_cast<int>(x.size());
  VectorXd d = VectorXd::Zero(n);
  std::vector<std::pair<double, int>> breaks;
  fixed->assign(n, false);
  for (int i = 0; i < n; ++i) {
    const double neggi = -g(i), tl = x(i) - box.l(i), tu = box.u(i) - x(i);
    int where = 0;
    if (tl <= 0.0) {
      if (neggi <= 0.0) where = 1;
    } else if (tu <= 0.0) {
      if (neggi >= 0.0) where = 2;
    } else if (std::abs(neggi) <= 0.0) {
      where = -3;
    }
    if (where == 1 || where == 2) (*fixed)[i] = true;
    if (where != 0) continue;
    d(i) = neggi;
    breaks.push_back({neggi < 0.0 ? tl / -neggi : tu / neggi, i});
  }
  *xcp = x;
  if (breaks.empty()) return;
  std::stable_sort(
      breaks.begin(), breaks.end(),
      [](const auto& a, const auto& c) { return a.first < c.first; });
  double f1 = g.dot(d);
  const double f2_org = d.dot(b * d);
  double f2 = f2_org;
  double dtm = -f1 / f2, tsum = 0.0, tj = 0.0;
  size_t k = 0;
  for (; k < breaks.size(); ++k) {
    const double tj0 = tj;
    tj = breaks[k].first;
    const double dt = tj - tj0;
    if (dtm < dt) break;
    tsum += dt;
    const int i = breaks[k].second;
    const double dibp = d(i);
    d(i) = 0.0;
    (*xcp)(i) = dibp > 0.0 ? box.u(i) : box.l(i);
    (*fixed)[i] = true;
    if (k + 1 == breaks.size() && static_cast<int>(breaks.size()) == n) {
      return;  // Every variable is at a bound.
    }
    // Derivatives of the model along the rest of the path.
    VectorXd z = tsum * d;
    for (int j = 0; j < n; ++j) {
      if ((*fixed)[j]) z(j) = (*xcp)(j)-x(j);
    }
    VectorXd bd = b * d;
    f1 = g.dot(d) + z.dot(bd);
    f2 = std::max(kEps * f2_org, d.dot(bd));
    dtm = k + 1 < breaks.size() ? -f1 / f2 : 0.0;
  }
  if (dtm <= 0.0) dtm = 0.0;
  tsum += dtm;
  for (int j = 0; j < n; ++j) {
    if (d(j) != 0.0) (*xcp)(j) = x(j) + tsum * d(j);
  }
}

// Minimises the model over the variables left free at the Cauchy point
// (lbfgsb.c `subsm`, version 2.3: backtrack into the box). False if the
// reduced matrix is not positive definite.
bool SubspaceMinimum(const VectorXd& x, const VectorXd& g, const Box& box,
                     const MatrixXd& b, const std::vector<bool>& fixed,
                     VectorXd* z) {
  const int n = static_cast<int>(x.size());
  std::vector<int> free;
  for (int i = 0; i < n; ++i) {
    if (!fixed[i]) free.push_back(i);
  }
  const int nf = static_cast<int>(free.size());
  VectorXd r = g + b * (*z - x);
  MatrixXd a(nf, nf);
  VectorXd rhs(nf);
  for (int i = 0; i < nf; ++i) {
    rhs(i) = -r(free[i]);
    for (int j = 0; j < nf; ++j) a(i, j) = b(free[i], free[j]);
  }
  Eigen::LLT<MatrixXd> llt(a);
  if (llt.info() != Eigen::Success) return false;
  VectorXd d = llt.solve(rhs);
  double alpha = 1.0;
  int ibd = -1;
  for (int i = 0; i < nf; ++i) {
    const int k = free[i];
    const double dk = d(i);
    double temp1 = alpha;
    if (dk < 0.0) {
      const double temp2 = box.l(k) - (*z)(k);
      if (temp2 >= 0.0) {
        temp1 = 0.0;
      } else if (dk * alpha < temp2) {
        temp1 = temp2 / dk;
      }
    } else if (dk > 0.0) {
      const double temp2 = box.u(k) - (*z)(k);
      if (temp2 <= 0.0) {
        temp1 = 0.0;
      } else if (dk * alpha > temp2) {
        temp1 = temp2 / dk;
      }
    }
    if (temp1 < alpha) {
      alpha = temp1;
      ibd = i;
    }
  }
  if (alpha < 1.0 && ibd >= 0) {
    const int k = free[ibd];
    if (d(ibd) > 0.0) {
      (*z)(k) = box.u(k);
      d(ibd) = 0.0;
    } else if (d(ibd) < 0.0) {
      (*z)(k) = box.l(k);
      d(ibd) = 0.0;
    }
  }
  for (int i = 0; i < nf; ++i) (*z)(free[i]) += alpha * d(i);
  return true;
}

double ProjectedGradientNorm(const VectorXd& x, const VectorXd& g,
                             const Box& box) {
  double norm = 0.0;
  for (int i = 0; i < x.size(); ++i) {
    double gi = g(i);
    gi = gi < 0.0 ? std::max(x(i) - box.u(i), gi)
                  : std::min(x(i) - box.l(i), gi);
    norm = std::max(norm, std::abs(gi));
  }
  return norm;
}

}  // namespace

LbfgsbResult MinimizeLbfgsb(const LbfgsbObjective& objective,
                            std::vector<double> x0,
                            const std::vector<double>& lower,
                            const std::vector<double>& upper,
                            const LbfgsbOptions& options) {
  const int n = static_cast<int>(x0.size());
  Box box{Eigen::Map<const VectorXd>(lower.data(), n),
          Eigen::Map<const VectorXd>(upper.data(), n)};
  VectorXd x =
      Eigen::Map<VectorXd>(x0.data(), n).cwiseMax(box.l).cwiseMin(box.u);
  LbfgsbResult out;
  std::vector<double> xv(n), gv(n);
  auto evaluate = [&](const VectorXd& at, VectorXd* grad) {
    Eigen::Map<VectorXd>(xv.data(), n) = at;
    double f = objective(xv, &gv);
    *grad = Eigen::Map<VectorXd>(gv.data(), n);
    ++out.evaluations;
    return f;
  };
  auto finish = [&](const VectorXd& at, double f, bool converged,
                    const char* message) {
    out.x.assign(at.data(), at.data() + n);
    out.f = f;
    out.converged = converged;
    out.message = message;
    return out;
  };
  VectorXd g(n);
  double f = evaluate(x, &g);
  if (!std::isfinite(f)) return finish(x, f, false, "non-finite objective");
  if (ProjectedGradientNorm(x, g, box) <= options.pgtol) {
    return finish(x, f, true,
                  "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL");
  }
  std::deque<std::pair<VectorXd, VectorXd>> pairs;
  double theta = 1.0;
  int iter = 0;  // lbfgsb.c's iter: line searches completed.
  while (true) {
    MatrixXd b = BfgsMatrix(pairs, theta, n);
    VectorXd z;
    std::vector<bool> fixed;
    CauchyPoint(x, g, box, b, &z, &fixed);
    bool any_free = std::find(fixed.begin(), fixed.end(), false) != fixed.end();
    if (!pairs.empty() && any_free &&
        !SubspaceMinimum(x, g, box, b, fixed, &z)) {
      pairs.clear();  // Refresh the memory and restart the iteration.
      theta = 1.0;
      continue;
    }
    VectorXd d = z - x;
    // The line search (lbfgsb.c `lnsrlb`).
    double stpmx = 1.0;
    if (iter > 0) {
      stpmx = 1e10;
      for (int i = 0; i < n; ++i) {
        if (d(i) < 0.0) {
          double a2 = box.l(i) - x(i);
          if (a2 >= 0.0) {
            stpmx = 0.0;
          } else if (d(i) * stpmx < a2) {
            stpmx = a2 / d(i);
          }
        } else if (d(i) > 0.0) {
          double a2 = box.u(i) - x(i);
          if (a2 <= 0.0) {
            stpmx = 0.0;
          } else if (d(i) * stpmx > a2) {
            stpmx = a2 / d(i);
          }
        }
      }
    }
    double stp = 1.0;  // Every variable is bounded: no 1/|d| first step.
    const VectorXd x_old = x, g_old = g;
    const double f_old = f;
    const double gd_old = g.dot(d);
    double gd = gd_old;
    LineSearch search;
    bool failed = gd_old >= 0.0 ||
                  search.Start(f, gd, &stp, stpmx) == LineSearch::Task::kError;
    int backtracks = 0;
    while (!failed) {
      x = stp == 1.0 ? z : VectorXd(x_old + stp * d);
      f = evaluate(x, &g);
      if (!std::isfinite(f)) return finish(x, f, false, "non-finite objective");
      gd = g.dot(d);
      LineSearch::Task task = search.Next(f, gd, &stp);
      if (task == LineSearch::Task::kDone) break;
      if (task == LineSearch::Task::kError || ++backtracks >= 20) failed = true;
    }
    if (failed) {
      x = x_old;
      g = g_old;
      f = f_old;
      if (pairs.empty()) {
        return finish(x, f, false, "ABNORMAL_TERMINATION_IN_LNSRCH");
      }
      pairs.clear();
      theta = 1.0;
      continue;
    }
    out.iterations = ++iter;
    if (iter > options.max_iter) return finish(x, f, false, "NEW_X");
    if (ProjectedGradientNorm(x, g, box) <= options.pgtol) {
      return finish(x, f, true,
                    "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL");
    }
    const double scale = std::max({std::abs(f_old), std::abs(f), 1.0});
    if (f_old - f <= options.factr * kEps * scale) {
      return finish(x, f, true,
                    "CONVERGENCE: REL_REDUCTION_OF_F <= FACTR*EPSMCH");
    }
    VectorXd y = g - g_old;
    VectorXd s = stp * d;
    const double dr = (gd - gd_old) * stp;       // y's
    if (dr <= kEps * (-gd_old * stp)) continue;  // Skip the update.
    pairs.push_back({s, y});
    if (static_cast<int>(pairs.size()) > options.memory) pairs.pop_front();
    theta = y.dot(y) / dr;
  }
}

}  // namespace malchin::rima
