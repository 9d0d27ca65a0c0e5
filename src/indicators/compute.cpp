#include "indicators/compute.h"

#include "geo/geography.h"
#include "insurance/coverage.h"
#include "insurance/repository.h"
#include "insurance/schemes.h"
#include "registry/model.h"
#include "registry/population.h"

namespace malchin::indicators {
namespace {

bool Has(const std::vector<Dimension>& dims, Dimension d) {
  return std::find(dims.begin(), dims.end(), d) != dims.end();
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
      return std::to_string(geo::AimagOfSoum(c.area));
    case Dimension::kSoum:
      return std::to_string(c.area);
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

Status NotBuilt(const Indicator& ind) {
  std::string name(ComputationName(ind.computation));
  return Status::FailedPrecondition(
      ind.code + ": тооцоолол '" + name + "' хараахан хийгдээгүй / " +
      ind.code + ": the computation '" + name + "' is not built yet");
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
    default:
      return NotBuilt(indicator);
  }
  v.cells = Tally(indicator.unit, indicator.disaggregations, facts);
  return v;
}

}  // namespace malchin::indicators
