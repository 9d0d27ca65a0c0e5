#include "indicators/compute.h"

#include <cmath>
#include <map>
#include <set>

#include "geo/geography.h"
#include "grievance/repository.h"
#include "insurance/coverage.h"
#include "insurance/repository.h"
#include "insurance/schemes.h"
#include "pdm/monitoring.h"
#include "registry/model.h"
#include "registry/population.h"
#include "response/repository.h"
#include "rima/rounds.h"

namespace malchin::indicators {
namespace {

bool Has(const std::vector<Dimension>& dims, Dimension d) {
  return std::find(dims.begin(), dims.end(), d) != dims.end();
}

std::string AreaKey(Dimension d, int32_t soum) {
  return std::to_string(d == Dimension::kAimag ? geo::AimagOfSoum(soum) : soum);
}

std::string KeyOf(Dimension d, const insurance::CoverageCell& c) {
  switch (d) {
    case Dimension::kSex:
      return std::string(registry::SexCode(static_cast<registry::Sex>(c.sex)));
    case Dimension::kAgeBand:
      return std::string(registry::AgeBandName(c.age_band));
    case Dimension::kDisability:
      return c.disability ? "yes" : "no";
    case Dimension::kAimag:
    case Dimension::kSoum:
      return AreaKey(d, c.area);
    case Dimension::kHeadSex:
      break;
  }
  return "";
}

Result<std::vector<Fact>> CoverageFacts(store::Session& session,
                                        const params::ParameterSet& params,
                                        const Indicator& ind, Date reference,
                                        const store::AreaFilter& area) {
  const auto& dims = ind.disaggregations;
  insurance::CoverageQuery q;
  q.months = {insurance::MonthOf(reference)};
  q.level = Has(dims, Dimension::kSoum) || Has(dims, Dimension::kAimag)
                ? registry::AreaLevel::kSoum
                : registry::AreaLevel::kNation;
  q.by_sex = Has(dims, Dimension::kSex);
  q.by_age_band = Has(dims, Dimension::kAgeBand);
  q.by_disability = Has(dims, Dimension::kDisability);
  insurance::SnapshotOptions options;
  options.names = false;
  MALCHIN_ASSIGN_OR_RETURN(
      insurance::InsuranceSnapshot snap,
      session.Get<insurance::Repository>().LoadSnapshot(area, options));
  MALCHIN_ASSIGN_OR_RETURN(insurance::CoverageTable table,
                           insurance::ComputeCoverage(params, snap, q));
  int scheme = ind.computation == Computation::kInsuranceCoverageSocial ? 0 : 1;
  std::vector<Fact> facts;
  for (const insurance::CoverageCell& c : table.cells) {
    Fact f;
    for (Dimension d : dims) f.keys.push_back(KeyOf(d, c));
    f.numerator = c.insured[scheme];
    f.denominator = c.persons;
    facts.push_back(std::move(f));
  }
  return facts;
}

std::string GrievanceKey(Dimension d, const grievance::CaseFact& f) {
  switch (d) {
    case Dimension::kSex:
      return f.sex ? std::string(registry::SexCode(*f.sex)) : "unknown";
    case Dimension::kAgeBand: {
      int age = f.received_on.year() - f.birth_year;
      return f.birth_year <= 0 || age < 0
                 ? "unknown"
                 : std::string(registry::AgeBandName(registry::AgeBandOf(age)));
    }
    default:
      return AreaKey(d, f.header.soum_code);
  }
}

// Cases received in the period in the area that the caller sees in detail
// (a confidential case it may not see has no dates here: left out); the
// numerator those decided on or before their resolution deadline.
Result<std::vector<Fact>> GrievanceFacts(store::Session& session,
                                         const Indicator& ind,
                                         const Period& period,
                                         const store::AreaFilter& area) {
  grievance::FactQuery q;
  q.area = area;
  q.from = period.First();
  q.to = period.Last();
  MALCHIN_ASSIGN_OR_RETURN(auto cases,
                           session.Get<grievance::Repository>().Facts(q));
  std::vector<Fact> facts;
  for (const grievance::CaseFact& f : cases) {
    if (f.masked) continue;
    Fact fact;
    for (Dimension d : ind.disaggregations) {
      fact.keys.push_back(GrievanceKey(d, f));
    }
    fact.numerator = f.decided_on && *f.decided_on <= f.resolve_by ? 1 : 0;
    fact.denominator = 1;
    facts.push_back(std::move(fact));
  }
  return facts;
}

bool ChildBand(const std::string& band) {
  return band == "0-4" || band == "5-9" || band == "10-14" || band == "15-17";
}

std::string TopUpKey(Dimension d, const response::StatusCount& c) {
  switch (d) {
    case Dimension::kSex:
      return c.sex;
    case Dimension::kAgeBand:
      return c.age_band;
    case Dimension::kDisability:
      return c.disability ? "yes" : "no";
    default:
      return AreaKey(d, c.soum_code);
  }
}

// The paid payments, of every plan's installments due in the period, to
// children (age band at the plan's snapshot 0-17) in the area: their
// number (counts) or amount (MNT).
Result<std::vector<Fact>> TopUpFacts(store::Session& session,
                                     const Indicator& ind, const Period& period,
                                     const store::AreaFilter& area) {
  auto& repo = session.Get<response::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto due,
                           repo.InstallmentsDue(period.First(), period.Last()));
  std::vector<Fact> facts;
  for (const response::DueInstallment& i : due) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto counts, repo.PaymentCounts(i.plan_id, i.installment, area));
    for (const response::StatusCount& c : counts) {
      if (c.status != response::PaymentStatus::kPaid ||
          !ChildBand(c.age_band)) {
        continue;
      }
      Fact f;
      for (Dimension d : ind.disaggregations) f.keys.push_back(TopUpKey(d, c));
      f.numerator = ind.computation == Computation::kChildrenTopUpAmount
                        ? c.amount
                        : c.count;
      facts.push_back(std::move(f));
    }
  }
  return facts;
}

// Herder households with a payment reported paid, of every plan's
// installments due in the period, in the area (each once), whose head is
// a woman (the plan's snapshot) or younger than the parameter
// indicators.young_herder.head_age_below on the reference date (the
// register's active head).
Result<std::vector<Fact>> HouseholdFacts(store::Session& session,
                                         const params::ParameterSet& params,
                                         const Indicator& ind,
                                         const Period& period,
                                         const store::AreaFilter& area) {
  auto& repo = session.Get<response::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto due,
                           repo.InstallmentsDue(period.First(), period.Last()));
  MALCHIN_ASSIGN_OR_RETURN(
      double young,
      params.Value("indicators.young_herder.head_age_below", period.Last()));
  std::map<std::string, response::PaidHousehold> reached;
  for (const response::DueInstallment& i : due) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto paid, repo.PaidHouseholds(i.plan_id, i.installment, area));
    for (auto& h : paid) reached.emplace(h.household_id, std::move(h));
  }
  std::vector<Fact> facts;
  for (const auto& [id, h] : reached) {
    bool counted = ind.computation == Computation::kFemaleHeadedReached
                       ? h.head_sex == "F"
                       : h.head_birth_date &&
                             h.head_birth_date->AgeOn(period.Last()) < young;
    if (!h.herder || !counted) continue;
    Fact f;
    for (Dimension d : ind.disaggregations) {
      f.keys.push_back(AreaKey(d, h.soum_code));
    }
    f.numerator = 1;
    facts.push_back(std::move(f));
  }
  return facts;
}

// Per event and aimag whose first payment reported paid was imported in
// the period: the days from the event's declaration to that import.
Result<std::vector<Fact>> FirstPaymentFacts(store::Session& session,
                                            const Indicator& ind,
                                            const Period& period,
                                            const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto firsts, session.Get<response::Repository>().FirstPaidByAimag(area));
  std::vector<Fact> facts;
  for (const response::FirstPaid& f : firsts) {
    MALCHIN_ASSIGN_OR_RETURN(Date paid,
                             Date::Parse(f.first_paid_at.substr(0, 10)));
    if (paid < period.First() || period.Last() < paid) continue;
    Fact fact;
    for (size_t i = 0; i < ind.disaggregations.size(); ++i) {
      fact.keys.push_back(std::to_string(f.aimag_code));
    }
    fact.numerator = paid.days() - f.declared_on.days();
    fact.denominator = 1;
    facts.push_back(std::move(fact));
  }
  return facts;
}

// The weighted estimate "amount_received>=paid" (pdm/findings.h) of every
// approved sample, with a sampled unit in the area, of a payroll whose
// installment is due in the period: overall or by the head's sex, as
// weighted counts in thousandths (1000 x population x share, rounded) that
// add up over samples and domains.
Result<std::vector<Fact>> PdmFacts(store::Session& session,
                                   const params::ParameterSet& params,
                                   const Indicator& ind, const Period& period,
                                   const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(auto due,
                           session.Get<response::Repository>().InstallmentsDue(
                               period.First(), period.Last()));
  std::set<std::pair<std::string, int>> payrolls;
  for (const auto& d : due) payrolls.insert({d.plan_code, d.installment});
  const Date on = period.Last();
  MALCHIN_ASSIGN_OR_RETURN(
      int64_t tolerance,
      params.Money("pdm.crosscheck.shortfall_tolerance", on));
  pdm::FindingsOptions options;
  MALCHIN_ASSIGN_OR_RETURN(options.confidence,
                           params.Value("pdm.sample.confidence_level", on));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, pdm::StandardPdmForm());
  MALCHIN_ASSIGN_OR_RETURN(auto scope, store::NarrowScope::Make(session, area));
  pdm::Monitoring monitoring(session);
  MALCHIN_ASSIGN_OR_RETURN(auto samples, monitoring.ListSamples());
  const bool by_head = !ind.disaggregations.empty();
  std::vector<Fact> facts;
  for (const pdm::SampleRecord& s : samples) {
    if (s.status != pdm::SampleStatus::kApproved ||
        !payrolls.count({s.plan_code, s.installment})) {
      continue;
    }
    MALCHIN_ASSIGN_OR_RETURN(
        pdm::Report r, monitoring.MakeReport(s.id, form, tolerance, options));
    for (const pdm::Estimate& e : r.findings.estimates) {
      const bool head = e.domain.rfind("head ", 0) == 0;
      if (e.indicator != "amount_received>=paid" ||
          (by_head ? !head : e.domain != "all")) {
        continue;
      }
      Fact f;
      if (by_head) f.keys = {e.domain.substr(5)};
      f.numerator = std::llround(1000 * e.value * e.population);
      f.denominator = std::llround(1000 * e.population);
      facts.push_back(std::move(f));
    }
  }
  return facts;
}

// The two rounds compared for a period: B the latest dated on or before
// its last day, A the latest of the same model version dated before B.
Result<std::pair<rima::RoundSummary, rima::RoundSummary>> RoundsToCompare(
    const std::vector<rima::RoundSummary>& rounds, const Period& period) {
  const rima::RoundSummary* b = nullptr;
  for (const auto& r : rounds) {
    if (r.date <= period.Last()) b = &r;  // Sorted by date.
  }
  const rima::RoundSummary* a = nullptr;
  for (const auto& r : rounds) {
    if (b && r.model_version == b->model_version && r.date < b->date) a = &r;
  }
  if (!a || !b) {
    return Status::FailedPrecondition(
        "RESILIENCE_IMPROVED " + period.Name() +
        ": RIMA-ийн ижил загвартай хоёр үе алга / RESILIENCE_IMPROVED " +
        period.Name() +
        ": expected two RIMA survey rounds of one model version dated on or "
        "before " +
        period.Last().ToString() + " (score surveys with --round)");
  }
  return std::make_pair(*a, *b);
}

// Households vulnerable in round A (quintile at most the parameter) also
// scored in round B: numerator 1 when their RCI is higher in B.
Result<std::vector<Fact>> ResilienceFacts(store::Session& session,
                                          const params::ParameterSet& params,
                                          const Indicator& ind,
                                          const Period& period,
                                          const store::AreaFilter& area) {
  auto& repo = session.Get<rima::RoundRepository>();
  MALCHIN_ASSIGN_OR_RETURN(auto rounds, repo.Rounds(area));
  MALCHIN_ASSIGN_OR_RETURN(auto ab, RoundsToCompare(rounds, period));
  MALCHIN_ASSIGN_OR_RETURN(
      double vulnerable,
      params.Value("indicators.resilience.vulnerable_quintile_max",
                   period.Last()));
  const std::string& model = ab.second.model_version;
  MALCHIN_ASSIGN_OR_RETURN(auto before,
                           repo.RoundScores(area, ab.first.round, model));
  MALCHIN_ASSIGN_OR_RETURN(auto after,
                           repo.RoundScores(area, ab.second.round, model));
  std::map<std::string, double> later;
  for (const auto& s : after) later[s.household_id] = s.rci;
  std::vector<Fact> facts;
  for (const rima::RoundScore& s : before) {
    auto it = later.find(s.household_id);
    if (s.quintile > vulnerable || it == later.end()) continue;
    Fact f;
    for (Dimension d : ind.disaggregations) {
      f.keys.push_back(
          d == Dimension::kHeadSex
              ? (s.head_sex == '?' ? "unknown" : std::string(1, s.head_sex))
              : AreaKey(d, s.soum_code));
    }
    f.numerator = it->second > s.rci ? 1 : 0;
    f.denominator = 1;
    facts.push_back(std::move(f));
  }
  return facts;
}

}  // namespace

Result<IndicatorValue> Compute(store::Session& session,
                               const params::ParameterSet& params,
                               const Indicator& indicator, const Period& period,
                               const store::AreaFilter& area) {
  IndicatorValue v;
  v.code = indicator.code;
  v.period = period;
  v.area = session.Visible(area).code();
  v.reference = period.Last();
  v.unit = indicator.unit;
  std::vector<Fact> facts;
  switch (indicator.computation) {
    case Computation::kInsuranceCoverageSocial:
    case Computation::kInsuranceCoverageHealth: {
      MALCHIN_ASSIGN_OR_RETURN(
          facts, CoverageFacts(session, params, indicator, v.reference, area));
      break;
    }
    case Computation::kChildrenTopUp:
    case Computation::kChildrenTopUpAmount: {
      MALCHIN_ASSIGN_OR_RETURN(facts,
                               TopUpFacts(session, indicator, period, area));
      break;
    }
    case Computation::kFemaleHeadedReached:
    case Computation::kYoungHerderReached: {
      MALCHIN_ASSIGN_OR_RETURN(
          facts, HouseholdFacts(session, params, indicator, period, area));
      break;
    }
    case Computation::kDaysToFirstPayment: {
      MALCHIN_ASSIGN_OR_RETURN(
          facts, FirstPaymentFacts(session, indicator, period, area));
      break;
    }
    case Computation::kPdmFullAmount: {
      MALCHIN_ASSIGN_OR_RETURN(
          facts, PdmFacts(session, params, indicator, period, area));
      break;
    }
    case Computation::kResilienceImproved: {
      MALCHIN_ASSIGN_OR_RETURN(
          facts, ResilienceFacts(session, params, indicator, period, area));
      break;
    }
    case Computation::kGrievancesResolvedInTime: {
      MALCHIN_ASSIGN_OR_RETURN(
          facts, GrievanceFacts(session, indicator, period, area));
      break;
    }
  }
  v.cells = Tally(indicator.unit, indicator.disaggregations, facts);
  return v;
}

}  // namespace malchin::indicators
