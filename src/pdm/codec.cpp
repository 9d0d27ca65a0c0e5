// The stored forms of a sample design and of a submission's answers
// (pdm/repository.h): canonical JSON text.
#include <nlohmann/json.hpp>

#include "pdm/repository.h"

namespace malchin::pdm {
namespace {

using nlohmann::json;

Result<StratumBy> StratumFromName(std::string_view name) {
  for (StratumBy by :
       {StratumBy::kAimag, StratumBy::kSoum, StratumBy::kCaregiverSex,
        StratumBy::kHeadSex, StratumBy::kDisability}) {
    if (StratumByName(by) == name) return by;
  }
  return Status::InvalidArgument("sample design: field 'strata': '" +
                                 std::string(name) +
                                 "'; expected aimag, soum, caregiver, head "
                                 "or disability");
}

Result<json> ParseObject(std::string_view what, std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(std::string(what) + ": '" +
                                   std::string(text.substr(0, 80)) +
                                   "'; expected a JSON object");
  }
  return j;
}

}  // namespace

std::string_view Name(SampleStatus s) {
  return s == SampleStatus::kApproved ? "approved" : "drawn";
}

std::string EncodeDesign(const SampleDesign& d) {
  json strata = json::array();
  for (StratumBy by : d.strata)
    strata.push_back(std::string(StratumByName(by)));
  json j = {{"strata", strata},
            {"margin_of_error", d.margin_of_error},
            {"proportion", d.proportion},
            {"finite_population_correction", d.finite_population_correction},
            {"response_rate", d.response_rate},
            {"design_effect", d.design_effect},
            {"min_per_stratum", d.min_per_stratum},
            {"replacements_per_stratum", d.replacements_per_stratum},
            {"seed", std::to_string(d.seed)}};
  // Written only when not 95%, so designs stored before the level existed
  // keep their text (a sample is unique by its design's text).
  if (d.confidence != 0.95) j["confidence"] = d.confidence;
  return j.dump();  // keys sorted: canonical
}

Result<SampleDesign> DecodeDesign(std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(json j, ParseObject("sample design", text));
  SampleDesign d;
  try {
    d.strata.clear();
    for (const json& s : j.at("strata")) {
      MALCHIN_ASSIGN_OR_RETURN(StratumBy by,
                               StratumFromName(s.get<std::string>()));
      d.strata.push_back(by);
    }
    d.margin_of_error = j.at("margin_of_error").get<double>();
    d.proportion = j.at("proportion").get<double>();
    d.finite_population_correction =
        j.at("finite_population_correction").get<bool>();
    d.response_rate = j.at("response_rate").get<double>();
    d.design_effect = j.at("design_effect").get<double>();
    d.min_per_stratum = j.at("min_per_stratum").get<int64_t>();
    d.replacements_per_stratum =
        j.at("replacements_per_stratum").get<int64_t>();
    d.seed = std::stoull(j.at("seed").get<std::string>());
    d.confidence = j.value("confidence", 0.95);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("sample design: ") + e.what() +
                                   "; expected the fields EncodeDesign writes");
  }
  return d;
}

BankStatus BankStatusFromName(std::string_view name) {
  if (name == "paid") return BankStatus::kPaid;
  if (name == "failed") return BankStatus::kFailed;
  if (name == "returned") return BankStatus::kReturned;
  return BankStatus::kPending;
}

Result<Sample> AssembleSample(const SampleRecord& record,
                              std::vector<Stratum> strata,
                              std::vector<SampledUnit> units) {
  Sample out;
  MALCHIN_ASSIGN_OR_RETURN(out.design, DecodeDesign(record.design));
  out.frame_units = record.frame_units;
  out.frame_fingerprint = record.frame_fingerprint;
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i].stratum >= strata.size()) {
      return Status::Internal("PDM sample " + std::to_string(record.id) +
                              ": unit " + units[i].unit.beneficiary_id +
                              " names a missing stratum");
    }
    Stratum& s = strata[units[i].stratum];
    (units[i].replacement ? s.replacements : s.selected).push_back(i);
  }
  out.strata = std::move(strata);
  out.units = std::move(units);
  return out;
}

std::string EncodeAnswers(const Answers& answers) {
  json j = json::object();
  for (const auto& [k, v] : answers) j[k] = v;
  return j.dump();
}

Result<Answers> DecodeAnswers(std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(json j, ParseObject("stored answers", text));
  Answers out;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) {
      return Status::InvalidArgument("stored answers: field '" + k +
                                     "': expected a string");
    }
    out.emplace(k, v.get<std::string>());
  }
  return out;
}

}  // namespace malchin::pdm
