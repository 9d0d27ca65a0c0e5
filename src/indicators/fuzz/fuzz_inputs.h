// The fuzz entry points of the indicators' parsers of outside input: a
// framework file the ministry loads, a DHIS2 mapping file, stored values'
// JSON, DHIS2's import summaries and credentials files / server URLs. Each must
// return an error for bad input, never crash or throw. Used by the libFuzzer
// targets here and by fuzz_replay_test.
#pragma once

#include <cstddef>
#include <cstdint>

namespace malchin::indicators::fuzz {

void FrameworkFile(const uint8_t* data, size_t size);
void MappingFile(const uint8_t* data, size_t size);
void CellsJson(const uint8_t* data, size_t size);
// DHIS2's answer to a push (its import summary).
void ImportSummary(const uint8_t* data, size_t size);
// A DHIS2 credentials file, and a server URL.
void Credentials(const uint8_t* data, size_t size);

}  // namespace malchin::indicators::fuzz
