// The PDM parsers of outside input, as fuzz entry points shared by the
// libFuzzer targets (MALCHIN_FUZZ, clang) and the plain-GCC replay test
// (fuzz_replay_test.cpp). Each must return normally for any input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace malchin::pdm::fuzz {

// A KoBoToolbox CSV export read against the standard PDM form, then turned
// into a table.
void KoboCsv(const uint8_t* data, size_t size);

// A data API v2 JSON page, appended to an earlier page.
void KoboJson(const uint8_t* data, size_t size);

// Worksheet XML (with itself as shared strings) read as an XLSForm survey
// sheet: validated, turned into a form, every cell parsed as an expression.
void XlsFormSheet(const uint8_t* data, size_t size);

}  // namespace malchin::pdm::fuzz
