#include "channel/sms_text.h"

#include <gtest/gtest.h>

namespace malchin::channel {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

SmsPlan Plan(std::string_view text) {
  auto p = PlanSms(text);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : SmsPlan{};
}

TEST(SmsTextTest, MongolianIsUcs2CountedByHand) {
  // С-а-й-н (4) + space + б-а-й-н-а (5) + space + у-у-? (3) = 14.
  SmsPlan p = Plan("Сайн байна уу?");
  EXPECT_EQ(p.coding, SmsCoding::kUcs2);
  EXPECT_EQ(p.characters, 14);
  EXPECT_EQ(p.units, 14);
  EXPECT_EQ(p.segments, 1);
  EXPECT_EQ(p.units_left, 56);
  // Өвөл(4) болж(4) байна.(6) Үхэр(4) малаа(5) хашаанд(7) оруулаарай.(11)
  // and 6 spaces = 47.
  p = Plan("Өвөл болж байна. Үхэр малаа хашаанд оруулаарай.");
  EXPECT_EQ(p.coding, SmsCoding::kUcs2);
  EXPECT_EQ(p.units, 47);
  EXPECT_EQ(p.segments, 1);
}

TEST(SmsTextTest, TwoSegmentMongolianPaymentMessage) {
  // 105 characters counted word by word (see templates_test): 67 + 38.
  std::string text =
      "Зудын тусламж: таны Хаан банк дансанд 300,000 төгрөг шилжүүллээ. "
      "Огноо: 2026-02-15. Лавлах утас: 70112233";
  SmsPlan p = Plan(text);
  EXPECT_EQ(p.coding, SmsCoding::kUcs2);
  EXPECT_EQ(p.characters, 105);
  EXPECT_EQ(p.units, 105);
  EXPECT_EQ(p.segments, 2);
  ASSERT_EQ(p.parts.size(), 2u);
  EXPECT_EQ(p.parts[0],
            "Зудын тусламж: таны Хаан банк дансанд 300,000 төгрөг "
            "шилжүүллээ. Ог");
  EXPECT_EQ(p.parts[1], "ноо: 2026-02-15. Лавлах утас: 70112233");
  EXPECT_EQ(p.units_left, 67 - 38);
}

TEST(SmsTextTest, Ucs2BoundaryAt70) {
  std::string seventy = Repeat("Малчин ", 10);  // 7 x 10 = 70 characters.
  SmsPlan p = Plan(seventy);
  EXPECT_EQ(p.segments, 1);
  EXPECT_EQ(p.units_left, 0);
  p = Plan(seventy + "ө");  // 71: one part of 67 and one of 4.
  EXPECT_EQ(p.segments, 2);
  EXPECT_EQ(p.units_left, 63);
  EXPECT_EQ(p.parts[1], "ин ө");
}

TEST(SmsTextTest, EveryMongolianLetterForcesUcs2) {
  for (char32_t cp : {U'Ө', U'ө', U'Ү', U'ү', U'А', U'я', U'Ё', U'ё'}) {
    EXPECT_EQ(Gsm7Septets(cp), 0) << static_cast<uint32_t>(cp);
  }
  SmsPlan p = Plan("Malchin: Ө");  // One letter makes the whole text UCS-2.
  EXPECT_EQ(p.coding, SmsCoding::kUcs2);
  EXPECT_EQ(p.units, 10);
}

TEST(SmsTextTest, GsmAlphabetAndExtensionTable) {
  EXPECT_EQ(Gsm7Septets(U'@'), 1);
  EXPECT_EQ(Gsm7Septets(U'Δ'), 1);  // Greek capitals are in the table.
  EXPECT_EQ(Gsm7Septets(U'Ç'), 1);
  EXPECT_EQ(Gsm7Septets(U'ç'), 0);  // Only the capital is.
  EXPECT_EQ(Gsm7Septets(U'`'), 0);
  EXPECT_EQ(Gsm7Septets(0x1B), 0);  // The escape code is not a character.
  for (char32_t cp :
       {U'{', U'}', U'[', U']', U'~', U'\\', U'|', U'^', U'€', U'\f'}) {
    EXPECT_EQ(Gsm7Septets(cp), 2) << static_cast<uint32_t>(cp);
  }
  // P-r-i-c-e-: (6) + space + 1-0 (2) + € (2 septets) = 11 septets.
  SmsPlan p = Plan("Price: 10€");
  EXPECT_EQ(p.coding, SmsCoding::kGsm7);
  EXPECT_EQ(p.characters, 10);
  EXPECT_EQ(p.units, 11);
}

TEST(SmsTextTest, GsmBoundaries) {
  EXPECT_EQ(Plan(std::string(160, 'a')).segments, 1);
  SmsPlan p = Plan(std::string(161, 'a'));
  EXPECT_EQ(p.segments, 2);
  EXPECT_EQ(p.parts[0].size(), 153u);
  EXPECT_EQ(p.units_left, 153 - 8);
  // 159 + one extension character = 161 septets: two segments.
  EXPECT_EQ(Plan(std::string(159, 'a') + "€").segments, 2);
  EXPECT_EQ(Plan(std::string(18 * 153, 'a')).segments, 18);
}

TEST(SmsTextTest, EscapePairNeverSplit) {
  // 152 septets, then € would take 153-154: it opens the second segment.
  SmsPlan p = Plan(std::string(152, 'a') + "€" + std::string(10, 'b'));
  EXPECT_EQ(p.units, 164);
  ASSERT_EQ(p.segments, 2);
  EXPECT_EQ(p.parts[0], std::string(152, 'a'));
  EXPECT_EQ(p.parts[1], "€" + std::string(10, 'b'));
  EXPECT_EQ(p.units_left, 153 - 12);
}

TEST(SmsTextTest, SurrogatePairNeverSplit) {
  // 66 units, then the horse (2 units) would take units 67-68.
  std::string text = Repeat("ж", 66) + "🐎" + Repeat("ж", 3);
  SmsPlan p = Plan(text);
  EXPECT_EQ(p.coding, SmsCoding::kUcs2);
  EXPECT_EQ(p.characters, 70);
  EXPECT_EQ(p.units, 71);
  ASSERT_EQ(p.segments, 2);
  EXPECT_EQ(p.parts[0], Repeat("ж", 66));
  EXPECT_EQ(p.parts[1], "🐎жжж");
}

TEST(SmsTextTest, EmptyAndInvalid) {
  SmsPlan p = Plan("");
  EXPECT_EQ(p.segments, 1);
  EXPECT_EQ(p.coding, SmsCoding::kGsm7);
  EXPECT_EQ(p.units_left, 160);
  auto bad = PlanSms("ab\xD0");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("byte 2"), std::string::npos);
}

TEST(SmsTextTest, Utf16BeRoundTrip) {
  std::string text = "Өө Үү 🐎";
  std::string bytes = EncodeUtf16Be(text);
  EXPECT_EQ(bytes, std::string("\x04\xE8\x04\xE9\x00\x20\x04\xAE\x04\xAF"
                               "\x00\x20\xD8\x3D\xDC\x0E",
                               16));
  auto back = DecodeUtf16Be(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
  EXPECT_FALSE(DecodeUtf16Be(std::string("\x04", 1)).ok());
  auto lone = DecodeUtf16Be(std::string("\x00\x41\xD8\x3D", 4));
  ASSERT_FALSE(lone.ok());
  EXPECT_NE(lone.status().message().find("byte 2"), std::string::npos);
  EXPECT_FALSE(DecodeUtf16Be(std::string("\xDC\x0E", 2)).ok());
}

TEST(SmsTextTest, CostIsPerSegmentAndDated) {
  auto params = params::ParameterSet::Parse(R"({"parameters": {
    "sms.cost_per_segment": {"values": [{"from": "2026-01-01", "value": 20},
                                        {"from": "2027-01-01", "value": 25}]},
    "sms.max_segments": {"values": [{"from": "2026-01-01", "value": 3}]}}})");
  ASSERT_TRUE(params.ok());
  SmsPlan two = Plan(std::string(161, 'a'));
  EXPECT_EQ(*SmsCost(two, **params, *Date::Parse("2026-12-31")), 40);
  EXPECT_EQ(*SmsCost(two, **params, *Date::Parse("2027-01-01")), 50);
  EXPECT_EQ(SmsCost(two, **params, *Date::Parse("2025-12-31")).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(*MaxSegments(**params, *Date::Parse("2026-06-01")), 3);
}

TEST(SmsTextTest, ShippedParametersAreInForce) {
  auto params = params::ParameterSet::Embedded();
  ASSERT_TRUE(params.ok());
  Date on = *Date::Parse("2026-12-07");
  auto cost = SmsCost(Plan("Сайн байна уу?"), **params, on);
  ASSERT_TRUE(cost.ok()) << cost.status().ToString();
  EXPECT_GT(*cost, 0);
  auto max = MaxSegments(**params, on);
  ASSERT_TRUE(max.ok()) << max.status().ToString();
  EXPECT_GE(*max, 1);
}

TEST(SmsTextTest, MaxSegmentsMustBeAWholeNumber) {
  auto params = params::ParameterSet::Parse(R"({"parameters": {
    "sms.max_segments": {"values": [{"from": "2026-01-01", "value": 2.5}]}}})");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(MaxSegments(**params, *Date::Parse("2026-06-01")).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(SmsTextTest, SegmentLimitSaysHowLong) {
  SmsPlan p = Plan(Repeat("ө", 202));  // 202 units: 4 segments of 67.
  EXPECT_EQ(p.segments, 4);
  EXPECT_TRUE(CheckSegmentLimit(p, 4).ok());
  Status s = CheckSegmentLimit(p, 3);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("4 SMS segments (202 UTF-16 units, UCS-2)"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("at most 3 allowed (201 UTF-16 units)"),
            std::string::npos)
      << s.message();
  EXPECT_NE(CheckSegmentLimit(Plan(std::string(161, 'a')), 1)
                .message()
                .find("(160 septets)"),
            std::string::npos);
}

}  // namespace
}  // namespace malchin::channel
