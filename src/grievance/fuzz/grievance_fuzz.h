// The grievance capability's parsers of outside input under a fuzzer: the
// first byte picks the parser, the rest is its input.
//   0  ParseBatch (paper/KoBo CSV files)
//   1  ParseCategories (the ministry's categories file)
//   2  ParseDirectory (the ministry's referral directory file)
// Returns "" when every invariant holds, or the broken one: a parser that
// accepts its input returns only entries its own checks accept (every
// category passes CheckCategory, every service CheckService, every batch
// row and problem points at a line of the file).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace malchin::grievance::fuzz {

std::string CheckParsers(const uint8_t* data, size_t size);

}  // namespace malchin::grievance::fuzz
