// How a text travels as SMS: which coding, how many segments, what it costs.
//
// An SMS carries 140 octets. A text whose every character is in the GSM
// 03.38 default alphabet (3GPP TS 23.038 6.2.1) goes as 7-bit septets: 160
// in one message. Characters of the extension table ({ } [ ] ~ \ | ^ € and
// form feed) take two septets (escape + code). Any other character, and so
// any Cyrillic letter (Mongolian Ө ө Ү ү included), makes the whole text
// UCS-2: 70 UTF-16 code units in one message; a character outside the
// Basic Multilingual Plane (an emoji) takes two units, a surrogate pair.
// A longer text is sent as a concatenated message whose every segment gives
// 6 octets to the concatenation header: 153 septets or 67 units each.
// Segments never split an escape + code pair or a surrogate pair, so a
// segment may hold one unit less than its capacity.
//
// Operators charge per segment; the price (`sms.cost_per_segment`) and the
// longest message Malchin sends (`sms.max_segments`) are dated parameters.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"

namespace malchin::channel {

enum class SmsCoding {
  kGsm7,  // GSM 03.38 default alphabet, 7-bit (Kannel coding=0).
  kUcs2,  // UTF-16BE (Kannel coding=2).
};

// "gsm7" or "ucs2".
std::string_view SmsCodingName(SmsCoding coding);

// Capacities of one message, fixed by GSM 03.40 (140 octets, 6 of them for
// the concatenation header in a part of a longer message).
inline constexpr int kGsm7SingleSeptets = 160;
inline constexpr int kGsm7PartSeptets = 153;
inline constexpr int kUcs2SingleUnits = 70;
inline constexpr int kUcs2PartUnits = 67;

// Dated parameters (data/parameters.json).
inline constexpr std::string_view kCostPerSegmentParameter =
    "sms.cost_per_segment";
inline constexpr std::string_view kMaxSegmentsParameter = "sms.max_segments";

struct SmsPlan {
  SmsCoding coding = SmsCoding::kGsm7;
  int characters = 0;  // Unicode code points.
  int units = 0;       // Septets (kGsm7) or UTF-16 code units (kUcs2).
  int segments = 1;    // Messages the operator delivers and charges; >= 1.
  // Units still free in the last segment before another one is needed.
  int units_left = 0;
  // The text of each segment (UTF-8), in order; joined they are the text.
  std::vector<std::string> parts;
};

// Septets `cp` takes in the GSM 7-bit alphabet: 1 (default table), 2
// (extension table) or 0 (not representable: the text must be UCS-2).
int Gsm7Septets(char32_t cp);

// The coding, length and segments of `utf8`. An empty text is one empty
// segment. InvalidArgument (naming the byte offset) if `utf8` is not
// well-formed UTF-8.
Result<SmsPlan> PlanSms(std::string_view utf8);

// The UTF-16BE bytes of `utf8` (what coding=2 carries).
// REQUIRES: `utf8` is well-formed UTF-8.
std::string EncodeUtf16Be(std::string_view utf8);
// UTF-8 from UTF-16BE bytes. InvalidArgument (naming the byte offset) for an
// odd number of bytes or an unpaired surrogate.
Result<std::string> DecodeUtf16Be(std::string_view bytes);

// What sending `plan` costs on `on`: segments x sms.cost_per_segment, in
// MNT. Errors of the parameter lookup (none in force, not whole MNT).
Result<int64_t> SmsCost(const SmsPlan& plan, const params::ParameterSet& p,
                        Date on);
// The most segments one message may have on `on` (sms.max_segments, >= 1).
Result<int> MaxSegments(const params::ParameterSet& p, Date on);
// OK if `plan` fits in `max_segments`; otherwise ResourceExhausted saying
// how many segments and units the text needs, in which coding, and what
// the limit holds.
Status CheckSegmentLimit(const SmsPlan& plan, int max_segments);

}  // namespace malchin::channel
