#include "indicators/query.h"

#include <cmath>

namespace malchin::indicators {

Result<IndicatorValue> Reported(Results& results, const std::string& code,
                                const Period& period,
                                const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(Comparison c, results.Recompute(code, period, area));
  if (c.frozen) c.live.cells = c.frozen_cells;
  return c.live;
}

Result<std::vector<IndicatorValue>> ReportedValues(
    Results& results, const std::vector<std::string>& codes,
    const Period& period, const store::AreaFilter& area,
    std::vector<std::string>* skipped) {
  std::vector<std::string> all = codes;
  if (all.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(Framework f, results.Indicators());
    for (const Indicator& i : f.indicators) all.push_back(i.code);
  }
  std::vector<IndicatorValue> values;
  for (const std::string& code : all) {
    Result<IndicatorValue> v = Reported(results, code, period, area);
    if (!v.ok() && codes.empty() &&
        v.status().code() == StatusCode::kFailedPrecondition) {
      if (skipped) skipped->push_back(v.status().message());
      continue;
    }
    MALCHIN_RETURN_IF_ERROR(v.status());
    values.push_back(std::move(*v));
  }
  return values;
}

std::optional<Target> TargetInForce(const Indicator& indicator,
                                    Date reference) {
  std::optional<Target> next, last;
  for (const Target& t : indicator.targets) {
    if (!last || last->date < t.date) last = t;
    if (!(t.date < reference) && (!next || t.date < next->date)) next = t;
  }
  return next ? next : last;
}

std::optional<double> Progress(const Indicator& indicator, Date reference,
                               double value) {
  std::optional<Target> t = TargetInForce(indicator, reference);
  if (!t) return std::nullopt;
  double from = indicator.baseline ? indicator.baseline->value : 0;
  if (t->value == from) return std::nullopt;
  double p = 100 * (value - from) / (t->value - from);
  return std::round(p * 10) / 10;
}

}  // namespace malchin::indicators
