#include "poverty/poverty_line.h"

namespace malchin::poverty {

Result<OfficialLine> OfficialPovertyLine(const params::ParameterSet& parameters,
                                         Date on, EquivalenceScale scale) {
  if (scale != EquivalenceScale::kPerCapita) {
    return Status::FailedPrecondition(
        "no official poverty line for the " +
        std::string(EquivalenceScaleName(scale)) +
        " equivalence scale: the official lines are per capita "
        "(poverty.line.per_capita) or per adult equivalent under NSO's 2022 "
        "scale, which Malchin does not implement; give the line explicitly");
  }
  static const char kName[] = "poverty.line.per_capita";
  auto value = parameters.Value(kName, on);
  if (!value.ok()) {
    return Status(value.status().code(),
                  "official poverty line on " + on.ToString() + ": " +
                      value.status().message() + "; give the line explicitly");
  }
  OfficialLine line;
  line.mnt = *value;
  line.parameter = kName;
  line.on = on;
  line.parameter_version = parameters.version();
  for (const params::DatedValue& v : parameters.History(kName)) {
    if (v.from <= on) {
      line.in_force_from = v.from;
      line.source = v.source;
    }
  }
  return line;
}

}  // namespace malchin::poverty
