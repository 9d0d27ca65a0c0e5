#include "channel/sms_text.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace malchin::channel {
namespace {

// Not a Unicode scalar value: marks the escape slot (0x1B) of the table.
constexpr char32_t kEscapeSlot = 0x110000;

// GSM 03.38 default alphabet in table order (3GPP TS 23.038 6.2.1).
constexpr std::array<char32_t, 128> kGsmDefault = {
    U'@', U'£', U'$',  U'¥', U'è', U'é',        U'ù',  U'ì', U'ò', U'Ç', U'\n',
    U'Ø', U'ø', U'\r', U'Å', U'å', U'Δ',        U'_',  U'Φ', U'Γ', U'Λ', U'Ω',
    U'Π', U'Ψ', U'Σ',  U'Θ', U'Ξ', kEscapeSlot, U'Æ',  U'æ', U'ß', U'É', U' ',
    U'!', U'"', U'#',  U'¤', U'%', U'&',        U'\'', U'(', U')', U'*', U'+',
    U',', U'-', U'.',  U'/', U'0', U'1',        U'2',  U'3', U'4', U'5', U'6',
    U'7', U'8', U'9',  U':', U';', U'<',        U'=',  U'>', U'?', U'¡', U'A',
    U'B', U'C', U'D',  U'E', U'F', U'G',        U'H',  U'I', U'J', U'K', U'L',
    U'M', U'N', U'O',  U'P', U'Q', U'R',        U'S',  U'T', U'U', U'V', U'W',
    U'X', U'Y', U'Z',  U'Ä', U'Ö', U'Ñ',        U'Ü',  U'§', U'¿', U'a', U'b',
    U'c', U'd', U'e',  U'f', U'g', U'h',        U'i',  U'j', U'k', U'l', U'm',
    U'n', U'o', U'p',  U'q', U'r', U's',        U't',  U'u', U'v', U'w', U'x',
    U'y', U'z', U'ä',  U'ö', U'ñ', U'ü',        U'à'};

// The extension table (escape + code): two septets each.
constexpr std::array<char32_t, 10> kGsmExtension = {
    U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

struct CodePoint {
  char32_t cp;
  size_t offset;  // Byte offset in the UTF-8 text.
  size_t length;  // Bytes.
};

Result<std::vector<CodePoint>> Decode(std::string_view utf8) {
  std::vector<CodePoint> out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = 0;
    size_t n = text::DecodeUtf8(utf8, i, &cp);
    if (n == 0) {
      return Status::InvalidArgument(
          "text: not valid UTF-8 at byte " + std::to_string(i), "text");
    }
    out.push_back({cp, i, n});
    i += n;
  }
  return out;
}

int Ucs2Units(char32_t cp) { return cp > 0xFFFF ? 2 : 1; }

}  // namespace

std::string_view SmsCodingName(SmsCoding coding) {
  return coding == SmsCoding::kGsm7 ? "gsm7" : "ucs2";
}

int Gsm7Septets(char32_t cp) {
  if (std::find(kGsmDefault.begin(), kGsmDefault.end(), cp) !=
      kGsmDefault.end()) {
    return 1;
  }
  if (std::find(kGsmExtension.begin(), kGsmExtension.end(), cp) !=
      kGsmExtension.end()) {
    return 2;
  }
  return 0;
}

Result<SmsPlan> PlanSms(std::string_view utf8) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<CodePoint> cps, Decode(utf8));
  SmsPlan plan;
  plan.characters = static_cast<int>(cps.size());
  bool gsm = std::all_of(cps.begin(), cps.end(), [](const CodePoint& c) {
    return Gsm7Septets(c.cp) > 0;
  });
  plan.coding = gsm ? SmsCoding::kGsm7 : SmsCoding::kUcs2;
  auto units_of = [gsm](char32_t cp) {
    return gsm ? Gsm7Septets(cp) : Ucs2Units(cp);
  };
  for (const CodePoint& c : cps) plan.units += units_of(c.cp);
  int single = gsm ? kGsm7SingleSeptets : kUcs2SingleUnits;
  if (plan.units <= single) {
    plan.parts.emplace_back(utf8);
    plan.units_left = single - plan.units;
    return plan;
  }
  // Greedy: a character that does not fit whole starts the next segment.
  int capacity = gsm ? kGsm7PartSeptets : kUcs2PartUnits;
  size_t start = 0;
  int used = 0;
  for (const CodePoint& c : cps) {
    int u = units_of(c.cp);
    if (used + u > capacity) {
      plan.parts.emplace_back(utf8.substr(start, c.offset - start));
      start = c.offset;
      used = 0;
    }
    used += u;
  }
  plan.parts.emplace_back(utf8.substr(start));
  plan.segments = static_cast<int>(plan.parts.size());
  plan.units_left = capacity - used;
  return plan;
}

std::string EncodeUtf16Be(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() * 2);
  auto put = [&out](char32_t unit) {
    out.push_back(static_cast<char>((unit >> 8) & 0xFF));
    out.push_back(static_cast<char>(unit & 0xFF));
  };
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = 0xFFFD;
    size_t n = text::DecodeUtf8(utf8, i, &cp);
    i += n == 0 ? 1 : n;
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return out;
}

Result<std::string> DecodeUtf16Be(std::string_view bytes) {
  if (bytes.size() % 2 != 0) {
    return Status::InvalidArgument(
        "UTF-16BE text has an odd number of bytes (" +
        std::to_string(bytes.size()) + ")");
  }
  auto unit = [&bytes](size_t i) -> char32_t {
    return (static_cast<unsigned char>(bytes[i]) << 8) |
           static_cast<unsigned char>(bytes[i + 1]);
  };
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    char32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 2 < bytes.size() &&
        unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
      text::AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00),
                       &out);
      i += 2;
      continue;
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      return Status::InvalidArgument(
          "UTF-16BE text has an unpaired surrogate at byte " +
          std::to_string(i));
    }
    text::AppendUtf8(u, &out);
  }
  return out;
}

Result<int64_t> SmsCost(const SmsPlan& plan, const params::ParameterSet& p,
                        Date on) {
  MALCHIN_ASSIGN_OR_RETURN(int64_t per_segment,
                           p.Money(kCostPerSegmentParameter, on));
  return per_segment * plan.segments;
}

Result<int> MaxSegments(const params::ParameterSet& p, Date on) {
  MALCHIN_ASSIGN_OR_RETURN(double v, p.Value(kMaxSegmentsParameter, on));
  if (v < 1 || v > 255 || v != static_cast<int>(v)) {
    return Status::InvalidArgument(
        "parameter '" + std::string(kMaxSegmentsParameter) + "' on " +
        on.ToString() + " is " + std::to_string(v) +
        "; expected a whole number from 1 to 255");
  }
  return static_cast<int>(v);
}

Status CheckSegmentLimit(const SmsPlan& plan, int max_segments) {
  if (plan.segments <= max_segments) return Status::Ok();
  bool gsm = plan.coding == SmsCoding::kGsm7;
  int limit = max_segments == 1
                  ? (gsm ? kGsm7SingleSeptets : kUcs2SingleUnits)
                  : max_segments * (gsm ? kGsm7PartSeptets : kUcs2PartUnits);
  std::string unit = gsm ? " septets" : " UTF-16 units";
  return Status::ResourceExhausted(
      "text: needs " + std::to_string(plan.segments) + " SMS segments (" +
      std::to_string(plan.units) + unit + ", " +
      std::string(gsm ? "GSM 7-bit" : "UCS-2") + "); at most " +
      std::to_string(max_segments) + " allowed (" + std::to_string(limit) +
      unit + ")");
}

}  // namespace malchin::channel
