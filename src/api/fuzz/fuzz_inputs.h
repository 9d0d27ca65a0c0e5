// The decoders that outside input reaches, as fuzz entry points shared by
// the libFuzzer targets (MALCHIN_FUZZ, clang) and the plain-GCC corpus
// replay test that CI runs (fuzz_replay_test.cpp). Each must return
// normally for any input: errors are values, never crashes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace malchin::api::fuzz {

// Request decoding: the target and query, a JSON body through the strict
// decoder and the household/person codecs, If-Match and session tokens.
void DecodeRequest(const uint8_t* data, size_t size);

// CSV import of households.csv + persons.csv (split at the first NUL byte)
// into a fresh in-memory-sized temporary store.
void ImportCsv(const uint8_t* data, size_t size);

}  // namespace malchin::api::fuzz
