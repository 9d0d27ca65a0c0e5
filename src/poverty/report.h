// Report writers: long-format CSV (scenario,domain,measure,value, the
// format of the reference file reference_values.csv) and JSON, to any
// std::ostream. Numbers are printed with %.15g; NaN is "NA" in CSV and
// null in JSON.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "poverty/decomposition.h"
#include "poverty/measures.h"
#include "poverty/microsim.h"
#include "poverty/pmt.h"
#include "poverty/register_sim.h"

namespace malchin::poverty {

struct ReportRow {
  std::string scenario;
  std::string domain;
  std::string measure;
  double value = 0;
};

// One row per domain and measure ("fgt0"), plus "se_lin_<measure>" and
// "se_jkn_<measure>" rows where those were computed.
void AppendEstimates(std::string_view scenario, const Estimates& estimates,
                     std::vector<ReportRow>* rows);

// A simulated scenario: the reform's measures (scenario = reform name), the
// fiscal rows of the national domain (cost_month_mnt, cost_year_mnt,
// benef_households, benef_units, persons_in_benef_households,
// loser_households, gap_closed_per_mnt_spent, cost_to_poor_share_pre,
// spend_share_pre_decile_1..10, programme_<id>_cost_month_mnt, ...) and the
// change (scenario "<reform>_minus_<baseline>", measures "delta_<m>",
// "se_lin_delta_<m>", "se_jkn_delta_<m>").
void AppendScenario(const ScenarioResult& result, std::string_view baseline,
                    std::vector<ReportRow>* rows);

// Targeting errors with labelled definitions, measure names
// "<prefix>_inclusion_error_share_of_benef_nonpoor",
// "<prefix>_exclusion_error_share_of_poor_missed",
// "<prefix>_leakage_share_of_nonpoor_selected", "<prefix>_coverage_of_poor",
// "<prefix>_accuracy", "<prefix>_selected_share".
void AppendTargeting(std::string_view scenario, std::string_view prefix,
                     const TargetingErrors& errors,
                     std::vector<ReportRow>* rows);

// A register run: per programme and in total (domain "national") and by
// aimag (domain "aimag_<code>"), the cost change (cost_change_month_mnt,
// cost_change_year_mnt), gainers and losers and beneficiaries, under
// scenario = the reform's name; with measures, also the baseline's and the
// reform's estimates and the change ("<reform>_minus_<baseline>").
void AppendRegister(const RegisterResult& result, std::vector<ReportRow>* rows);

// The same as one JSON document with the manifest (parameter versions,
// date, register fingerprint, seed, inputs).
void WriteRegisterJson(std::ostream& out, const RegisterResult& result,
                       std::span<const InputFile> inputs = {});

// "scenario,domain,measure,value" header and rows.
void WriteCsv(std::ostream& out, std::span<const ReportRow> rows);

// One JSON document for a simulated scenario: manifest (inputs with
// SHA-256, data fingerprint, parameter versions, options), fiscal summary,
// programmes, and per domain the baseline, reform and change values with
// their standard errors.
void WriteScenarioJson(std::ostream& out, const ScenarioResult& result);

// JSON for plain estimates: {"design_df":..,"domains":[{"domain":..,
// "values":{..},"se_lin":{..},"se_jkn":{..}}]}.
void WriteEstimatesJson(std::ostream& out, const Estimates& estimates);

// A subgroup decomposition: scenario "decomposition", per group
// "population_share" and "contribution_fgt0..2", and for the whole
// "within_<ge>" and "between_<ge>" (ge = mld_ge0, theil_T_ge1, ge2).
void AppendDecomposition(const SubgroupDecomposition& d,
                         std::vector<ReportRow>* rows);
// The same as JSON: {"of", "groups": [{"domain", "population_share",
// "fgt": {fgt0..2}, "contribution": {fgt0..2}}], "generalised_entropy":
// {<ge>: {"total", "within", "between"}}}.
std::string DecompositionJson(const SubgroupDecomposition& d);

// Growth and redistribution: scenario "growth_redistribution", domain as
// decomposed, measures "<part>_fgt<a>" for part in before, after, growth,
// redistribution, residual, shapley_growth, shapley_redistribution, and
// mean_before / mean_after.
void AppendGrowthRedistribution(
    const std::array<GrowthRedistribution, 3>& parts,
    std::vector<ReportRow>* rows);
std::string GrowthRedistributionJson(
    const std::array<GrowthRedistribution, 3>& parts);

}  // namespace malchin::poverty
