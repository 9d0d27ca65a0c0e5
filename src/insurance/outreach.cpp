#include "insurance/outreach.h"

#include <algorithm>
#include <cstdio>

#include "csv/csv.h"
#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

using insurance::InsuranceScheme;
using insurance::VisitOutcome;

// Covered months of person i in scheme s up to and including `month`.
int CoveredMonths(const insurance::InsuranceSnapshot& snap, size_t i,
                  InsuranceScheme s, int32_t month) {
  int sc = static_cast<int>(s), n = 0;
  for (uint32_t j = snap.span_begin[sc][i]; j < snap.span_begin[sc][i + 1];
       ++j) {
    const auto& span = snap.spans[sc][j];
    if (span.first_month > month) break;
    n += std::min(span.last_month, month) - span.first_month + 1;
  }
  return n;
}

}  // namespace

Result<OutreachList> BuildOutreachList(const params::ParameterSet& p,
                                       const insurance::InsuranceSnapshot& snap,
                                       const OutreachOptions& o) {
  Date on = o.as_of;
  int32_t month = MonthOf(on);
  MALCHIN_ASSIGN_OR_RETURN(double age_f,
                           p.Value("pension.normal_age.female", on));
  MALCHIN_ASSIGN_OR_RETURN(double age_m,
                           p.Value("pension.normal_age.male", on));
  MALCHIN_ASSIGN_OR_RETURN(double min_years, p.Value("pension.min_years", on));
  double early_years = 0, herding[2] = {0, 0};
  if (auto v = p.Value("pension.herder_early.min_years", on); v.ok()) {
    early_years = *v;
    MALCHIN_ASSIGN_OR_RETURN(
        herding[0],
        p.Value("pension.herder_early.min_herding_years.female", on));
    MALCHIN_ASSIGN_OR_RETURN(
        herding[1], p.Value("pension.herder_early.min_herding_years.male", on));
  }
  const int max_age[2] = {static_cast<int>(age_f), static_cast<int>(age_m)};
  constexpr int kMinAge = 18;

  // Households with an insured adult (any scheme).
  std::vector<uint8_t> hh_insured(snap.households(), 0);
  for (size_t i = 0; i < snap.persons(); ++i) {
    if (Date::FromDays(snap.birth_days[i]).AgeOn(on) < kMinAge) continue;
    if (snap.Covered(i, InsuranceScheme::kSocial, month) ||
        snap.Covered(i, InsuranceScheme::kHealth, month)) {
      hh_insured[snap.household[i]] = 1;
    }
  }
  OutreachList list;
  for (size_t i = 0; i < snap.persons(); ++i) {
    if (!snap.herder[i]) continue;
    int age = Date::FromDays(snap.birth_days[i]).AgeOn(on);
    int sx = snap.sex[i];
    if (age < kMinAge || age >= max_age[sx]) continue;
    if (snap.Covered(i, o.scheme, month)) continue;
    int since = snap.last_visit_outcome[i] >= 0
                    ? on.days() - snap.last_visit_days[i]
                    : -1;
    auto outcome = static_cast<VisitOutcome>(snap.last_visit_outcome[i]);
    if (since >= 0 && outcome == VisitOutcome::kRefused &&
        since < o.refused_pause_days) {
      list.skipped_recent_refusal++;
      continue;
    }
    if (since >= 0 && outcome == VisitOutcome::kEnrolled &&
        since < o.enrolled_days) {
      list.skipped_recent_enrolment++;
      continue;
    }
    OutreachItem it;
    it.person = static_cast<uint32_t>(i);
    it.age = age;
    int youth = 40 * (max_age[sx] - age) / (max_age[sx] - kMinAge);
    it.score += youth;
    char buf[160];
    std::snprintf(buf, sizeof buf, "age %d (+%d)", age, youth);
    it.reasons_en.push_back(buf);
    std::snprintf(buf, sizeof buf, "%d настай (+%d)", age, youth);
    it.reasons_mn.push_back(buf);
    double years = (snap.credit_months[i] +
                    CoveredMonths(snap, i, InsuranceScheme::kSocial, month)) /
                   12.0;
    double herding_years =
        (snap.credit_herding_months[i] +
         CoveredMonths(snap, i, InsuranceScheme::kSocial, month)) /
        12.0;
    it.contribution_years = years;
    auto near = [](double have, double need) {
      return need > 0 && have < need && need - have <= 3.0;
    };
    if (near(years, min_years) || near(years, early_years) ||
        near(herding_years, herding[sx])) {
      it.score += 30;
      std::snprintf(buf, sizeof buf,
                    "%.1f contribution years, close to a threshold (+30)",
                    years);
      it.reasons_en.push_back(buf);
      std::snprintf(buf, sizeof buf,
                    "%.1f жил шимтгэл төлсөн, босгод ойрхон (+30)", years);
      it.reasons_mn.push_back(buf);
    }
    if (!hh_insured[snap.household[i]]) {
      it.score += 20;
      it.reasons_en.push_back("no insured adult in the household (+20)");
      it.reasons_mn.push_back("өрхөд даатгалтай насанд хүрэгч алга (+20)");
    }
    if (o.scheme == InsuranceScheme::kSocial &&
        !snap.Covered(i, InsuranceScheme::kHealth, month)) {
      it.score += 10;
      it.reasons_en.push_back("no health insurance either (+10)");
      it.reasons_mn.push_back("эрүүл мэндийн даатгалгүй (+10)");
    }
    if (since >= 0 && outcome == VisitOutcome::kRefused) {
      it.score -= 15;
      it.reasons_en.push_back("refused at an earlier visit (-15)");
      it.reasons_mn.push_back("өмнө нь татгалзсан (-15)");
    }
    if (since >= 0 && outcome == VisitOutcome::kNotFound &&
        since < o.not_found_days) {
      it.score -= 10;
      it.reasons_en.push_back("not found at a recent visit (-10)");
      it.reasons_mn.push_back("саяхны айлчлалаар олдоогүй (-10)");
    }
    list.items.push_back(std::move(it));
  }
  std::sort(list.items.begin(), list.items.end(),
            [&](const OutreachItem& a, const OutreachItem& b) {
              if (a.score != b.score) return a.score > b.score;
              if (a.age != b.age) return a.age < b.age;
              return snap.register_no[a.person] < snap.register_no[b.person];
            });
  list.candidates = static_cast<int64_t>(list.items.size());
  if (o.limit && list.items.size() > o.limit) list.items.resize(o.limit);
  return list;
}

std::string OutreachCsv(const insurance::InsuranceSnapshot& snap,
                        const OutreachList& list, bool mn) {
  std::string out;
  csv::AppendRow(
      &out, {"rank", "score", "register_no", "name", "sex", "age",
             "contribution_years", "bag", "household_id", "phone", "lat", "lon",
             "reasons", "last_visit_on", "last_visit_outcome"});
  int rank = 0;
  for (const auto& it : list.items) {
    size_t p = it.person, h = snap.household[p];
    const auto& rs = mn ? it.reasons_mn : it.reasons_en;
    std::string reasons;
    for (size_t i = 0; i < rs.size(); ++i) reasons += (i ? "; " : "") + rs[i];
    char years[16], lat[24] = "", lon[24] = "";
    std::snprintf(years, sizeof years, "%.1f", it.contribution_years);
    if (snap.lat[h]) std::snprintf(lat, sizeof lat, "%.5f", *snap.lat[h]);
    if (snap.lon[h]) std::snprintf(lon, sizeof lon, "%.5f", *snap.lon[h]);
    std::string visited, outcome;
    if (snap.last_visit_outcome[p] >= 0) {
      visited = Date::FromDays(snap.last_visit_days[p]).ToString();
      outcome = insurance::VisitOutcomeName(
          static_cast<VisitOutcome>(snap.last_visit_outcome[p]));
    }
    std::string rk = std::to_string(++rank), score = std::to_string(it.score),
                age = std::to_string(it.age);
    csv::AppendRow(
        &out,
        {rk, score, snap.register_no[p], snap.name[p], snap.sex[p] ? "M" : "F",
         age, years, snap.bag[h], snap.household_id[h],
         snap.phone[p].empty() ? snap.household_phone[h] : snap.phone[p], lat,
         lon, reasons, visited, outcome});
  }
  return out;
}

}  // namespace malchin::insurance
