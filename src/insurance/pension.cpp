#include "insurance/pension.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

std::string Fmt(const char* f, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, a);
  return buf;
}
std::string Years(double y) { return Fmt("%.2f", y); }
std::string Mnt(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(i, ",");
  return s;
}

// Months (rounded up) needed to add `years` of contributions.
int MonthsFor(double years) {
  return years <= 0 ? 0 : static_cast<int>(std::ceil(years * 12 - 1e-9));
}

struct Rule {
  bool ok = false;
  Date date;
  int age = 0;
};

}  // namespace

Status CheckPensionInput(const params::ParameterSet& p,
                         const PensionInput& in) {
  auto years = [](double y) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", y);
    return std::string(buf);
  };
  if (in.past_years < 0 || in.past_herding_years < 0 || in.more_years < 0) {
    return Status::InvalidArgument(
        "years: expected 0 or more (years " + years(in.past_years) +
            ", herding years " + years(in.past_herding_years) +
            ", more years " + years(in.more_years) + ")",
        "years");
  }
  if (in.past_herding_years > in.past_years + 1e-9) {
    return Status::InvalidArgument(
        "herding years " + years(in.past_herding_years) +
            ": expected at most the contribution years (" +
            years(in.past_years) + ")",
        "herding_years");
  }
  const int age = in.birth_date.AgeOn(in.as_of);
  MALCHIN_ASSIGN_OR_RETURN(double youngest,
                           p.Value("pension.min_contribution_age", in.as_of));
  const double possible = std::max(0.0, age - youngest);
  if (in.past_years > possible + 1e-9) {
    return Status::InvalidArgument(
        "years " + years(in.past_years) + ": a person aged " +
            std::to_string(age) + " on " + in.as_of.ToString() +
            " has contributed at most " + years(possible) +
            " years (contributions count from age " + years(youngest) +
            ", pension.min_contribution_age)",
        "years");
  }
  MALCHIN_ASSIGN_OR_RETURN(double oldest,
                           p.Value("pension.max_projection_age", in.as_of));
  if (age + in.more_years > oldest + 1e-9) {
    return Status::InvalidArgument(
        "more years " + years(in.more_years) + ": a person aged " +
            std::to_string(age) + " would contribute beyond age " +
            years(oldest) + " (pension.max_projection_age)",
        "more_years");
  }
  return Status::Ok();
}

Result<PensionProjection> ProjectPension(const params::ParameterSet& p,
                                         const PensionInput& in) {
  PensionProjection out;
  bool male = in.sex == registry::Sex::kMale;
  const char* sx = male ? "male" : "female";
  auto add = [&](std::string mn, std::string en) {
    out.assumptions.push_back({std::move(mn), std::move(en)});
  };

  // Normal retirement.
  MALCHIN_ASSIGN_OR_RETURN(
      double normal_age_d,
      p.Value(std::string("pension.normal_age.") + sx, in.as_of));
  MALCHIN_ASSIGN_OR_RETURN(double min_years,
                           p.Value("pension.min_years", in.as_of));
  int normal_age = static_cast<int>(normal_age_d);
  Rule normal;
  {
    Date age_date = in.birth_date.AddMonths(12 * normal_age);
    int need = MonthsFor(min_years - in.past_years);
    if (need <= MonthsFor(in.more_years)) {
      normal.ok = true;
      normal.date = std::max({age_date, in.as_of, in.as_of.AddMonths(need)});
      normal.age = in.birth_date.AgeOn(normal.date);
    }
  }
  add("Хэвийн тэтгэвэр: " + std::to_string(normal_age) + " нас, дор хаяж " +
          Years(min_years) + " жил шимтгэл төлсөн байх",
      "Normal retirement: age " + std::to_string(normal_age) +
          ", with at least " + Years(min_years) + " contribution years");

  // Herders' early retirement (if the rule is in force on the date).
  Rule early;
  auto early_age =
      p.Value(std::string("pension.herder_early_age.") + sx,
              in.as_of.year() < 2018 ? Date::FromYmd(2018, 1, 1) : in.as_of);
  if (early_age.ok()) {
    MALCHIN_ASSIGN_OR_RETURN(
        double total,
        p.Value("pension.herder_early.min_years", Date::FromYmd(2018, 1, 1)));
    MALCHIN_ASSIGN_OR_RETURN(
        double herding,
        p.Value(std::string("pension.herder_early.min_herding_years.") + sx,
                Date::FromYmd(2018, 1, 1)));
    int age = static_cast<int>(*early_age);
    Date age_date = in.birth_date.AddMonths(12 * age);
    int need_total = MonthsFor(total - in.past_years);
    int need_herding = MonthsFor(herding - in.past_herding_years);
    int need = std::max(need_total, in.future_as_herder ? need_herding : 0);
    bool herding_ok = in.future_as_herder || need_herding == 0;
    if (herding_ok && need <= MonthsFor(in.more_years)) {
      early.ok = true;
      early.date = std::max({age_date, in.as_of, in.as_of.AddMonths(need),
                             Date::FromYmd(2018, 1, 1)});
      early.age = in.birth_date.AgeOn(early.date);
    }
    add("Малчны хөнгөлөлттэй тэтгэвэр: " + std::to_string(age) + " нас, " +
            Years(total) + " жил шимтгэл төлснөөс " + Years(herding) +
            " жил нь малчнаар",
        "Herders' early retirement: age " + std::to_string(age) + ", " +
            Years(total) + " contribution years of which " + Years(herding) +
            " as a herder");
  }

  const Rule* chosen = nullptr;
  if (normal.ok) chosen = &normal;
  if (early.ok && (!chosen || early.date < chosen->date)) chosen = &early;
  double added_max = in.more_years;
  if (!chosen) {
    out.eligible = false;
    out.years_at_retirement = in.past_years + added_max;
    add("Шимтгэл төлсөн жил хүрэлцэхгүй тул даатгалын тэтгэвэр тогтоохгүй; "
        "65 наснаас нийгмийн халамжийн тэтгэвэр авч болно",
        "Not enough contribution years for an insurance pension; a social "
        "welfare pension is possible from age 65");
    return out;
  }
  out.eligible = true;
  out.early_herder = chosen == &early;
  out.retirement_date = chosen->date;
  out.retirement_age = chosen->age;
  int contributed_months =
      std::min(MonthsFor(in.more_years),
               std::max(0, MonthOf(chosen->date) - MonthOf(in.as_of)));
  out.years_at_retirement = in.past_years + contributed_months / 12.0;
  out.herding_years_at_retirement =
      in.past_herding_years +
      (in.future_as_herder ? contributed_months / 12.0 : 0);

  MALCHIN_ASSIGN_OR_RETURN(out.required_years,
                           p.Value("pension.full_years", chosen->date));
  MALCHIN_ASSIGN_OR_RETURN(double base_rate,
                           p.Value("pension.base_rate", chosen->date));
  MALCHIN_ASSIGN_OR_RETURN(
      double extra_rate, p.Value("pension.extra_rate_per_year", chosen->date));
  MALCHIN_ASSIGN_OR_RETURN(
      double window_d, p.Value("pension.average_window_months", chosen->date));
  MALCHIN_ASSIGN_OR_RETURN(
      double lookback_d,
      p.Value("pension.average_lookback_years", chosen->date));
  if (out.years_at_retirement + 1e-9 >= out.required_years) {
    double extra =
        std::floor(out.years_at_retirement - out.required_years + 1e-9);
    out.rate = base_rate + extra_rate * extra;
  } else {
    out.proportional = true;
    out.rate = base_rate * out.years_at_retirement / out.required_years;
  }

  // Insured income by month: the ledger's, then future (and, for a what-if,
  // past) months at the declared income.
  int64_t declared = in.declared_income;
  if (declared <= 0) {
    MALCHIN_ASSIGN_OR_RETURN(declared,
                             p.Money("minimum_wage.monthly", in.as_of));
  }
  std::vector<std::pair<int32_t, int64_t>> income = in.insured_income;
  int32_t now = MonthOf(in.as_of);
  if (income.empty() && in.past_years > 0) {
    int past = MonthsFor(in.past_years);
    for (int32_t m = now - past; m < now; ++m) income.push_back({m, declared});
  }
  for (int32_t m = now; m < now + contributed_months; ++m) {
    income.push_back({m, declared});
  }
  std::sort(income.begin(), income.end());
  int32_t last = MonthOf(chosen->date) - 1;
  int32_t first = last - static_cast<int32_t>(lookback_d) * 12 + 1;
  std::vector<int64_t> window;
  for (const auto& [m, v] : income) {
    if (m >= first && m <= last) window.push_back(v);
  }
  size_t w = static_cast<size_t>(window_d);
  if (!window.empty()) {
    size_t n = std::min(w, window.size());
    int64_t sum = 0, best = 0;
    for (size_t i = 0; i < window.size(); ++i) {
      sum += window[i];
      if (i >= n) sum -= window[i - n];
      if (i + 1 >= n) best = std::max(best, sum);
    }
    out.average_income = best / static_cast<int64_t>(n);
  }
  out.monthly_pension =
      std::llround(out.rate * static_cast<double>(out.average_income));

  add("Тэтгэвэрт гарах огноо " + out.retirement_date.ToString() + " (" +
          std::to_string(out.retirement_age) + " нас, " +
          (out.early_herder ? "малчны хөнгөлөлтөөр" : "хэвийн журмаар") + ")",
      "Retirement on " + out.retirement_date.ToString() + " (age " +
          std::to_string(out.retirement_age) + ", " +
          (out.early_herder ? "herders' early retirement" : "normal rule") +
          ")");
  add("Тэтгэвэрт гарахад шимтгэл төлсөн " + Years(out.years_at_retirement) +
          " жил (одоо " + Years(in.past_years) + " + цаашид " +
          Years(contributed_months / 12.0) + "), үүнээс малчнаар " +
          Years(out.herding_years_at_retirement),
      "Contribution years at retirement " + Years(out.years_at_retirement) +
          " (now " + Years(in.past_years) + " + " +
          Years(contributed_months / 12.0) + " more), of which as a herder " +
          Years(out.herding_years_at_retirement));
  add("Бүрэн тэтгэвэрт " + Years(out.required_years) + " жил шаардлагатай (" +
          std::to_string(out.retirement_date.year()) + " онд мөрдөх)",
      "A full pension requires " + Years(out.required_years) +
          " years (rule in force in " +
          std::to_string(out.retirement_date.year()) + ")");
  if (out.proportional) {
    add("Хувь тэнцүүлсэн тэтгэвэр: " + Fmt("%.1f", base_rate * 100) + "% × " +
            Years(out.years_at_retirement) + " / " + Years(out.required_years) +
            " = " + Fmt("%.2f", out.rate * 100) + "%",
        "Proportional pension: " + Fmt("%.1f", base_rate * 100) + "% x " +
            Years(out.years_at_retirement) + " / " + Years(out.required_years) +
            " = " + Fmt("%.2f", out.rate * 100) + "%");
  } else {
    add("Бүрэн тэтгэвэр: " + Fmt("%.1f", base_rate * 100) +
            "% + илүү жил бүрт " + Fmt("%.1f", extra_rate * 100) +
            "% = " + Fmt("%.2f", out.rate * 100) + "%",
        "Full pension: " + Fmt("%.1f", base_rate * 100) + "% + " +
            Fmt("%.1f", extra_rate * 100) +
            "% per full extra year = " + Fmt("%.2f", out.rate * 100) + "%");
  }
  add("Дундаж цалин " + Mnt(out.average_income) + "₮: сүүлийн " +
          std::to_string(static_cast<int>(lookback_d)) +
          " жилийн хамгийн өндөр дараалсан " + std::to_string(w) +
          " сар; цаашдын сар бүр " + Mnt(declared) +
          "₮ (өнөөгийн үнээр, цалингийн өсөлтгүй)",
      "Average insured income " + Mnt(out.average_income) + " MNT: best " +
          std::to_string(w) +
          " consecutive insured months in "
          "the last " +
          std::to_string(static_cast<int>(lookback_d)) +
          " years; future months at " + Mnt(declared) +
          " MNT (today's money, no wage growth)");
  add("Сарын тэтгэвэр " + Mnt(out.monthly_pension) +
          "₮ (хуулийн доод хэмжээ, индексжүүлэлтийг тооцоогүй)",
      "Monthly pension " + Mnt(out.monthly_pension) +
          " MNT (statutory minimum pension and indexation not applied)");
  return out;
}

}  // namespace malchin::insurance
