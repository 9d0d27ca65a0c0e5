#include "core/text.h"

#include <gtest/gtest.h>

namespace malchin::text {
namespace {

TEST(TextTest, FindsInvalidUtf8) {
  EXPECT_FALSE(FindInvalidUtf8("Батбаяр ok").has_value());
  // "Бат" in CP1251 is C1 E0 F2: not UTF-8.
  EXPECT_EQ(FindInvalidUtf8("ab\xC1\xE0\xF2"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);       // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);  // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xD0"), 0u);           // truncated
}

TEST(TextTest, CaseFoldsMongolianCyrillic) {
  EXPECT_EQ(ToLower("ӨЛЗИЙ Үүрийн ЁС Bat"), "өлзий үүрийн ёс bat");
  EXPECT_EQ(ToUpper("өлзий bat"), "ӨЛЗИЙ BAT");
}

TEST(TextTest, TransliteratesToLatin) {
  EXPECT_EQ(Transliterate("Хонгорзул"), "khongorzul");
  EXPECT_EQ(Transliterate("Батбаяр"), "batbayar");
  EXPECT_EQ(Transliterate("Цэцэг"), "tsetseg");
}

TEST(TextTest, NameKeyJoinsSpellings) {
  EXPECT_EQ(NameKey("Батбаяр"), NameKey("Batbayar"));
  EXPECT_EQ(NameKey("Батбаяр"), NameKey("BATBAIAR"));
  EXPECT_EQ(NameKey("Хонгорзул"), NameKey("Khongorzul"));
  EXPECT_EQ(NameKey("Хонгорзул"), NameKey("Hongorzul"));
  EXPECT_EQ(NameKey("Өлзий"), NameKey("Ulzii"));
  EXPECT_EQ(NameKey("Өлзий"), NameKey("Olzii"));
  EXPECT_EQ(NameKey("Баатар"), NameKey("Batar"));
  EXPECT_NE(NameKey("Батбаяр"), NameKey("Батсүх"));
}

TEST(TextTest, RecognisesCyrillicNames) {
  EXPECT_TRUE(IsCyrillicName("Батбаяр"));
  EXPECT_TRUE(IsCyrillicName("Хар-Өлзий"));
  EXPECT_FALSE(IsCyrillicName("Batbayar"));
  EXPECT_FALSE(IsCyrillicName(""));
  EXPECT_FALSE(IsCyrillicName("Бат1"));
}

TEST(TextTest, EscapeXml) {
  EXPECT_EQ(EscapeXml("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
  EXPECT_EQ(EscapeXml("Сараа"), "Сараа");
}

}  // namespace
}  // namespace malchin::text
