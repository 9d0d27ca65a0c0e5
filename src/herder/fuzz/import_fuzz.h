// The herders' import parsers (imports.h) on arbitrary bytes: the entry
// point shared by the libFuzzer target and the replay test. Invariants: no
// crash; an accepted risk file gives rows with a known level and a soum
// the geography knows; an accepted price file gives positive prices and a
// unit of head or kg; a refusal names the file and is bilingual (" / ").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace malchin::herder::fuzz {

// Empty if every invariant holds, else what broke.
std::string CheckParsers(const uint8_t* data, size_t size);

}  // namespace malchin::herder::fuzz
