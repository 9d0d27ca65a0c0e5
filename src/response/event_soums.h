// Shock events: checking an event and importing its affected soums.
//
// The soum file is CSV (UTF-8, header row, any column order) with columns
//   soum_code  5-digit NSO code of a soum or district (e.g. 18140), or its
//              name (Latin or Cyrillic) when unambiguous
//   severity   very_high | high | medium | low ("very high" also accepted)
// Every bad row is reported at once (file, line, column, value, what was
// expected); a soum listed twice is an error. Nothing is imported if any
// row is bad.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "response/model.h"

namespace malchin::response {

// The event types of the issue: dzud, drought, flood, snowstorm, epidemic,
// other.
bool IsEventType(std::string_view type);

// Checks an event before it is stored: code (1-40 of [a-z0-9_-]), type,
// name, dates (declared on or before the start; end not before the start)
// and soums (known soums, severities low..very_high, no repeats). Every
// problem is listed in one InvalidArgument.
Status ValidateEvent(const response::ShockEventRecord& e,
                     const geo::Geography& geo);

// Parses a soum file (see above). InvalidArgument listing every problem.
Result<std::vector<response::EventSoum>> ParseEventSoums(
    std::string_view file_name, std::string_view data,
    const geo::Geography& geo);

// "^[a-z0-9][a-z0-9_-]{0,39}$": codes of events and plans.
bool IsValidCode(std::string_view code);

}  // namespace malchin::response
