// The shock event as rules see it: a severity class per soum.
//
//   EventContext ev;
//   ev.name = "Zavkhan dzud 2019-20";
//   ev.severity_by_soum = {{18110, Severity::kHigh}, {18149,
//   Severity::kVeryHigh}};
//
// Rules read it through `event.severity` (in the household's soum of
// registration), `event.current_severity` (in the soum where the household
// is now) and `event.soums` (the soums with a severity above none).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin::rules {

// Ordered: none < low < medium < high < very_high.
enum class Severity : uint8_t { kNone, kLow, kMedium, kHigh, kVeryHigh };

// "none", "low", "medium", "high", "very_high".
std::string_view SeverityName(Severity s);
// Accepts the names above and "very high" / "very-high" (any case).
Result<Severity> ParseSeverity(std::string_view text);

struct EventContext {
  std::string name;  // For explanations, e.g. "Zavkhan dzud 2019-20".
  // Soums not listed have severity none. Codes are 5-digit NSO soum codes.
  std::map<int32_t, Severity> severity_by_soum;
};

}  // namespace malchin::rules
