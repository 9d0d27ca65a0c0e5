// The channel's parsers of outside input as one fuzz entry point, shared by
// the libFuzzer target (channel_fuzzer.cpp, MALCHIN_FUZZ with clang) and
// the replay test that every build runs (channel_fuzz_replay_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace malchin::channel::fuzz {

// The first byte picks the parser; the rest is its input: a text to plan
// as SMS, UTF-16BE bytes, a callback query ("k=v&k=v", raw) for the
// delivery-report and inbound parsers, an smsbox answer, or a template
// catalogue (JSON). Returns "" or the invariant the input broke (planned
// parts that do not join back to the text, a UTF-16 round trip that
// differs, a catalogue whose samples do not render, ...).
std::string CheckParsers(const uint8_t* data, size_t size);

}  // namespace malchin::channel::fuzz
