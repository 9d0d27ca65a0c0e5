#include "insurance/schemes.h"

#include <cmath>
#include <cstdio>

namespace malchin::insurance {

std::string MonthName(int32_t month) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", month / 12, month % 12 + 1);
  return buf;
}

Result<int32_t> ParseMonth(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "month '" + std::string(text) + "': expected YYYY-MM, e.g. 2025-03",
        "month");
  };
  if (text.size() != 7 || text[4] != '-') return bad();
  int y = 0, m = 0;
  for (int i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return bad();
    if (i < 4) {
      y = y * 10 + (text[i] - '0');
    } else {
      m = m * 10 + (text[i] - '0');
    }
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12) return bad();
  return MakeMonth(y, m);
}

Result<MonthlyDue> DueFor(const params::ParameterSet& p, InsuranceScheme s,
                          int32_t month, int64_t declared_income) {
  Date on = FirstDayOf(month);
  MonthlyDue due;
  MALCHIN_ASSIGN_OR_RETURN(due.minimum_wage,
                           p.Money("minimum_wage.monthly", on));
  if (s == InsuranceScheme::kHealth) {
    auto rate = p.Value("insurance.health.premium_rate", on);
    if (rate.ok() && *rate > 0) {
      due.rate = *rate;
      due.amount = std::llround(*rate * static_cast<double>(due.minimum_wage));
      char buf[128];
      std::snprintf(buf, sizeof buf, "%.4g%% of minimum wage %lld", *rate * 100,
                    static_cast<long long>(due.minimum_wage));
      due.basis = buf;
      return due;
    }
    if (!rate.ok() && rate.status().code() != StatusCode::kFailedPrecondition) {
      return rate.status();
    }
    MALCHIN_ASSIGN_OR_RETURN(due.amount,
                             p.Money("insurance.health.premium_monthly", on));
    due.basis = "flat premium";
    return due;
  }
  MALCHIN_ASSIGN_OR_RETURN(
      double pension, p.Value("insurance.social.voluntary.pension_rate", on));
  MALCHIN_ASSIGN_OR_RETURN(
      double benefit, p.Value("insurance.social.voluntary.benefit_rate", on));
  MALCHIN_ASSIGN_OR_RETURN(double floor_ratio,
                           p.Value("insurance.social.min_base_ratio", on));
  int64_t floor = std::llround(floor_ratio * due.minimum_wage);
  due.income_base = std::max(declared_income, floor);
  due.rate = pension + benefit;
  due.amount = std::llround(due.rate * static_cast<double>(due.income_base));
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.4g%% of income base %lld (floor %lld)",
                due.rate * 100, static_cast<long long>(due.income_base),
                static_cast<long long>(floor));
  due.basis = buf;
  return due;
}

Result<int64_t> DueForMonths(const params::ParameterSet& p, InsuranceScheme s,
                             int32_t first, int32_t months,
                             int64_t declared_income) {
  int64_t total = 0;
  for (int32_t m = first; m < first + months; ++m) {
    MALCHIN_ASSIGN_OR_RETURN(MonthlyDue d, DueFor(p, s, m, declared_income));
    total += d.amount;
  }
  return total;
}

Result<int64_t> ValueInKind(const params::ParameterSet& p, int32_t aimag_code,
                            std::string_view item, double quantity, Date on,
                            insurance::InKindValuation* valuation) {
  static constexpr std::string_view kHead[] = {"camel", "horse", "cattle",
                                               "sheep", "goat"};
  static constexpr std::string_view kKg[] = {"sheep_wool", "camel_wool",
                                             "cashmere"};
  bool head = false, known = false;
  for (auto h : kHead) head = head || h == item;
  known = head;
  for (auto k : kKg) known = known || k == item;
  if (!known) {
    return Status::InvalidArgument(
        "in-kind item '" + std::string(item) +
            "': expected camel, horse, cattle, sheep, goat (head) or "
            "sheep_wool, camel_wool, cashmere (kg)",
        "item");
  }
  if (!(quantity > 0) || (head && quantity != std::floor(quantity))) {
    return Status::InvalidArgument(
        "in-kind quantity " + std::to_string(quantity) + " of " +
            std::string(item) + ": expected " +
            (head ? "a whole number of head, at least 1"
                  : "a positive weight in kg"),
        "quantity");
  }
  std::string national = "insurance.in_kind." + std::string(item);
  std::string local = national + ".aimag_" + std::to_string(aimag_code);
  std::string name = national;
  for (const std::string& n : p.Names()) {
    if (n == local) {
      auto v = p.Value(local, on);
      if (v.ok()) name = local;
      break;
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(int64_t price, p.Money(name, on));
  const params::DatedValue* in_force = nullptr;
  for (const auto& dv : p.History(name)) {
    if (dv.from <= on) in_force = &dv;
  }
  valuation->item = std::string(item);
  valuation->quantity = quantity;
  valuation->unit_price = price;
  valuation->price_from = in_force ? in_force->from : on;
  valuation->price_source = name + (in_force && !in_force->source.empty()
                                        ? " (" + in_force->source + ")"
                                        : std::string());
  return std::llround(quantity * static_cast<double>(price));
}

}  // namespace malchin::insurance
