#include "pdm/problem.h"

namespace malchin::pdm {

std::string Problem::Message() const {
  std::string out = file;
  if (line > 0) out += " line " + std::to_string(line);
  if (!uuid.empty()) out += " (_uuid " + uuid + ")";
  if (!field.empty()) out += " field '" + field + "'";
  out += ": ";
  if (!value.empty()) out += "'" + value + "' is not valid; ";
  out += "expected " + expected;
  if (severity == Severity::kWarning) out += " (warning)";
  return out;
}

bool HasErrors(const std::vector<Problem>& problems) {
  for (const Problem& p : problems) {
    if (p.severity == Problem::Severity::kError) return true;
  }
  return false;
}

}  // namespace malchin::pdm
