#include "poverty/pmt.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>

#include "csv/csv.h"

namespace malchin::poverty {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool ParseNumber(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

// The term's value for household h.
inline double TermValue(const PmtTerm& t, const std::vector<double>* col,
                        size_t h) {
  switch (t.kind) {
    case PmtTerm::Kind::kIntercept:
      return 1;
    case PmtTerm::Kind::kLinear:
      return (*col)[h];
    case PmtTerm::Kind::kLevel:
      return (*col)[h] == t.level ? 1 : 0;
    case PmtTerm::Kind::kLog1p:
      return std::log1p((*col)[h]);
    case PmtTerm::Kind::kLog:
      return std::log((*col)[h]);
    case PmtTerm::Kind::kScaled:
      return (*col)[h] / t.divisor;
  }
  return kNaN;
}

Result<std::vector<const std::vector<double>*>> TermColumns(
    std::span<const PmtTerm> terms, const Survey& s) {
  std::vector<const std::vector<double>*> cols;
  for (const PmtTerm& t : terms) {
    if (t.kind == PmtTerm::Kind::kIntercept) {
      cols.push_back(nullptr);
      continue;
    }
    const std::vector<double>* c = s.columns.Find(t.column);
    if (c == nullptr) {
      return Status::InvalidArgument("PMT term '" + t.name +
                                     "': household column '" + t.column +
                                     "' is not in the data");
    }
    cols.push_back(c);
  }
  return cols;
}

}  // namespace

Result<PmtTerm> ParsePmtTerm(std::string_view name) {
  PmtTerm t;
  t.name = std::string(name);
  auto bad = [&] {
    return Status::InvalidArgument(
        "PMT term '" + std::string(name) +
        "' is not understood (expected (Intercept), x, factor(x)LEVEL, "
        "log1p(x), log(x) or I(x/NUMBER))");
  };
  if (name == "(Intercept)") return t;
  auto inside = [&](std::string_view prefix, std::string_view* arg,
                    std::string_view* rest) {
    if (name.substr(0, prefix.size()) != prefix) return false;
    const size_t close = name.find(')', prefix.size());
    if (close == std::string_view::npos) return false;
    *arg = name.substr(prefix.size(), close - prefix.size());
    *rest = name.substr(close + 1);
    return true;
  };
  std::string_view arg, rest;
  if (inside("factor(", &arg, &rest)) {
    if (!IsIdentifier(arg) || !ParseNumber(rest, &t.level)) return bad();
    t.kind = PmtTerm::Kind::kLevel;
    t.column = std::string(arg);
    return t;
  }
  if (inside("log1p(", &arg, &rest)) {
    if (!IsIdentifier(arg) || !rest.empty()) return bad();
    t.kind = PmtTerm::Kind::kLog1p;
    t.column = std::string(arg);
    return t;
  }
  if (inside("log(", &arg, &rest)) {
    if (!IsIdentifier(arg) || !rest.empty()) return bad();
    t.kind = PmtTerm::Kind::kLog;
    t.column = std::string(arg);
    return t;
  }
  if (inside("I(", &arg, &rest)) {
    const size_t slash = arg.find('/');
    if (slash == std::string_view::npos || !rest.empty() ||
        !IsIdentifier(arg.substr(0, slash)) ||
        !ParseNumber(arg.substr(slash + 1), &t.divisor) || t.divisor == 0) {
      return bad();
    }
    t.kind = PmtTerm::Kind::kScaled;
    t.column = std::string(arg.substr(0, slash));
    return t;
  }
  if (!IsIdentifier(name)) return bad();
  t.kind = PmtTerm::Kind::kLinear;
  t.column = std::string(name);
  return t;
}

Result<PmtModel> FitPmt(const Survey& s, std::span<const PmtTerm> terms,
                        std::span<const uint8_t> sample, std::string name) {
  const size_t n = s.households();
  if (!sample.empty() && sample.size() != n) {
    return Status::InvalidArgument(
        "PMT sample mask has " + std::to_string(sample.size()) +
        " entries for " + std::to_string(n) + " households");
  }
  if (terms.empty()) return Status::InvalidArgument("PMT model has no terms");
  MALCHIN_ASSIGN_OR_RETURN(auto cols, TermColumns(terms, s));
  std::vector<size_t> rows;
  for (size_t h = 0; h < n; ++h) {
    if (sample.empty() || sample[h]) rows.push_back(h);
  }
  const size_t p = terms.size();
  if (rows.size() <= p) {
    return Status::FailedPrecondition(
        "PMT: " + std::to_string(rows.size()) + " households for " +
        std::to_string(p) + " terms (need more households than terms)");
  }
  Eigen::MatrixXd x(rows.size(), p);
  Eigen::VectorXd y(rows.size()), sw(rows.size()), w(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const size_t h = rows[i];
    const double pc = s.consumption[h] / s.size[h];
    if (!(pc > 0)) {
      return Status::InvalidArgument("PMT: household " +
                                     std::to_string(s.hh_id[h]) +
                                     " has consumption <= 0 (log undefined)");
    }
    w[i] = s.weight[h] * s.size[h];
    sw[i] = std::sqrt(w[i]);
    y[i] = std::log(pc);
    for (size_t j = 0; j < p; ++j) {
      const double v = TermValue(terms[j], cols[j], h);
      if (!std::isfinite(v)) {
        return Status::InvalidArgument("PMT term '" + terms[j].name +
                                       "' is not finite for household " +
                                       std::to_string(s.hh_id[h]));
      }
      x(i, j) = v;
    }
  }
  const Eigen::MatrixXd xw = sw.asDiagonal() * x;
  const Eigen::VectorXd yw = sw.cwiseProduct(y);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(xw);
  qr.setThreshold(1e-10);
  if (qr.rank() < static_cast<Eigen::Index>(p)) {
    // The pivot after the rank is a term explained by the others.
    const auto idx = qr.colsPermutation().indices()[qr.rank()];
    return Status::FailedPrecondition(
        "PMT design is rank deficient: term '" + terms[idx].name +
        "' is (nearly) a combination of the other terms");
  }
  const Eigen::VectorXd b = qr.solve(yw);
  PmtModel m;
  m.name = std::move(name);
  m.terms.assign(terms.begin(), terms.end());
  m.coefficients.assign(b.data(), b.data() + p);
  // Weighted R^2 as summary.lm (model with intercept).
  const Eigen::VectorXd fit = x * b;
  const double wsum = w.sum();
  const double fmean = w.dot(fit) / wsum;
  double mss = 0, rss = 0;
  for (Eigen::Index i = 0; i < fit.size(); ++i) {
    mss += w[i] * (fit[i] - fmean) * (fit[i] - fmean);
    rss += w[i] * (y[i] - fit[i]) * (y[i] - fit[i]);
  }
  m.r_squared = mss / (mss + rss);
  m.observations = static_cast<double>(rows.size());
  return m;
}

Result<std::vector<double>> ScorePmt(const PmtModel& model, const Survey& s) {
  if (model.terms.size() != model.coefficients.size()) {
    return Status::InvalidArgument("PMT model '" + model.name +
                                   "': terms and coefficients differ");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto cols, TermColumns(model.terms, s));
  const size_t n = s.households();
  std::vector<double> score(n, 0.0);
  for (size_t j = 0; j < model.terms.size(); ++j) {
    const double b = model.coefficients[j];
    for (size_t h = 0; h < n; ++h) {
      score[h] += b * TermValue(model.terms[j], cols[j], h);
    }
  }
  for (size_t h = 0; h < n; ++h) {
    if (!std::isfinite(score[h])) {
      return Status::InvalidArgument("PMT score is not finite for household " +
                                     std::to_string(s.hh_id[h]) +
                                     " (check log terms)");
    }
  }
  return score;
}

Result<double> CoverageCutoff(std::span<const double> score,
                              std::span<const double> weight, double coverage,
                              QuantileRule rule) {
  if (!(coverage > 0 && coverage < 1)) {
    return Status::InvalidArgument("coverage target must be in (0,1)",
                                   "coverage");
  }
  return WeightedQuantile(score, weight, coverage, rule);
}

Result<TargetingErrors> EvaluateTargeting(std::span<const uint8_t> selected,
                                          std::span<const uint8_t> target,
                                          std::span<const double> weight) {
  if (selected.size() != target.size() || selected.size() != weight.size()) {
    return Status::InvalidArgument(
        "targeting: selection, target and weights differ in length");
  }
  TargetingErrors e;
  for (size_t i = 0; i < selected.size(); ++i) {
    const double w = weight[i];
    if (!(w > 0) || !std::isfinite(w)) {
      return Status::InvalidArgument("targeting: weight of row " +
                                     std::to_string(i) + " is not > 0");
    }
    if (selected[i]) {
      (target[i] ? e.tp : e.fp) += w;
    } else {
      (target[i] ? e.fn : e.tn) += w;
    }
  }
  const double total = e.tp + e.fp + e.fn + e.tn;
  if (!(total > 0)) return Status::InvalidArgument("targeting: no rows");
  auto ratio = [](double a, double b) { return b > 0 ? a / b : kNaN; };
  e.inclusion_error = ratio(e.fp, e.tp + e.fp);
  e.exclusion_error = ratio(e.fn, e.tp + e.fn);
  e.nontarget_selected_share = ratio(e.fp, e.fp + e.tn);
  e.coverage = ratio(e.tp, e.tp + e.fn);
  e.accuracy = (e.tp + e.tn) / total;
  e.selected_share = (e.tp + e.fp) / total;
  return e;
}

Result<std::vector<PmtModel>> ParsePmtModels(std::string_view file_name,
                                             std::string_view text) {
  std::vector<PmtModel> models;
  int c_term = -1, c_est = -1, c_model = -1, c_version = -1;
  bool have_header = false;
  Status st = csv::ReadRecords(
      file_name, text, {}, [&](const csv::Record& rec) -> Status {
        const std::string where =
            std::string(file_name) + " line " + std::to_string(rec.line);
        if (!have_header) {
          have_header = true;
          for (size_t i = 0; i < rec.fields.size(); ++i) {
            if (rec.fields[i] == "term") c_term = static_cast<int>(i);
            if (rec.fields[i] == "estimate") c_est = static_cast<int>(i);
            if (rec.fields[i] == "model") c_model = static_cast<int>(i);
            if (rec.fields[i] == "version") c_version = static_cast<int>(i);
          }
          if (c_term < 0 || c_est < 0) {
            return Status::InvalidArgument(
                where + ": expected columns term,estimate[,model]");
          }
          return Status::Ok();
        }
        const size_t need =
            static_cast<size_t>(std::max({c_term, c_est, c_model, c_version})) +
            1;
        if (rec.fields.size() < need) {
          return Status::InvalidArgument(
              where + ": " + std::to_string(rec.fields.size()) +
              " fields, expected " + std::to_string(need));
        }
        MALCHIN_ASSIGN_OR_RETURN(PmtTerm term,
                                 ParsePmtTerm(rec.fields[c_term]));
        double est;
        if (!ParseNumber(rec.fields[c_est], &est)) {
          return Status::InvalidArgument(
              where + ", column 'estimate': value '" +
              std::string(rec.fields[c_est]) + "' is not a number");
        }
        const std::string model =
            c_model >= 0 ? std::string(rec.fields[c_model]) : "pmt";
        PmtModel* m = nullptr;
        for (auto& existing : models) {
          if (existing.name == model) m = &existing;
        }
        if (m == nullptr) {
          models.emplace_back();
          m = &models.back();
          m->name = model;
          if (c_version >= 0) m->version = rec.fields[c_version];
          m->r_squared = kNaN;
          m->observations = kNaN;
        }
        for (const PmtTerm& t : m->terms) {
          if (t.name == term.name) {
            return Status::InvalidArgument(where + ": term '" + term.name +
                                           "' appears twice in model '" +
                                           model + "'");
          }
        }
        m->terms.push_back(std::move(term));
        m->coefficients.push_back(est);
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (models.empty()) {
    return Status::InvalidArgument(std::string(file_name) +
                                   ": no coefficients");
  }
  return models;
}

void WritePmtModels(std::ostream& out, std::span<const PmtModel> models) {
  bool versioned = false;
  for (const PmtModel& m : models) versioned = versioned || !m.version.empty();
  out << (versioned ? "term,estimate,model,version\n"
                    : "term,estimate,model\n");
  for (const PmtModel& m : models) {
    for (size_t j = 0; j < m.terms.size(); ++j) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", m.coefficients[j]);
      std::string line;
      csv::AppendField(&line, m.terms[j].name);
      line += ',';
      line += buf;
      line += ',';
      csv::AppendField(&line, m.name);
      if (versioned) {
        line += ',';
        csv::AppendField(&line, m.version);
      }
      out << line << '\n';
    }
  }
}

}  // namespace malchin::poverty
