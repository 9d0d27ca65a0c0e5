#include <gtest/gtest.h>

#include "auth/password.h"

namespace malchin::auth {
namespace {

std::string CodeOf(std::string_view password, std::string_view user = {}) {
  auto p = FindPasswordProblem(password, user);
  return p ? p->code : "ok";
}

TEST(PasswordPolicyTest, LengthAndEncoding) {
  EXPECT_EQ(CodeOf("short"), "too_short");
  // Ten Cyrillic letters are ten characters (20 bytes).
  EXPECT_EQ(CodeOf("хөх тэнгэр"), "ok");
  EXPECT_EQ(CodeOf("хөхтэнгэр"), "too_short");
  EXPECT_EQ(CodeOf(std::string("abcdefghij\xff")), "not_utf8");
  EXPECT_EQ(CodeOf(std::string(1025, 'a')), "too_long");
}

TEST(PasswordPolicyTest, TheIssuesExamplesAreRefused) {
  EXPECT_EQ(CodeOf("aaaaaaaaaa"), "trivial");
  EXPECT_EQ(CodeOf("1234567890"), "trivial");
  EXPECT_EQ(CodeOf("password12"), "common");
}

TEST(PasswordPolicyTest, RepetitionAndSequences) {
  for (const char* p :
       {"0987654321", "abcdefghij", "jihgfedcba", "abcabcabca", "1212121212",
        "qwertyuiop", "qwerty1234", "aaaaa11111", "abcde54321", "asdfghjkl;",
        "абвгдежзий", "фцужэнгшүз", "ZZZZZZZZZZZZZZZZZZZZZZZ"}) {
    EXPECT_EQ(CodeOf(p), "trivial") << p;
  }
}

TEST(PasswordPolicyTest, CommonPasswordsAndWordsWithAFewAdditions) {
  for (const char* p :
       {"iloveyou12", "P@ssw0rd!!", "Computer2024", "strawberry",
        "Strawberry1!", "1Elephants!", "mongolia2024", "ulaanbaatar",
        "Монгол1234", "малчин2026", "Chinggis1162"}) {
    EXPECT_EQ(CodeOf(p), "common") << p;
  }
}

TEST(PasswordPolicyTest, TheUserNameIsNotAPassword) {
  EXPECT_EQ(CodeOf("my-dorjpalam-pass", "dorjpalam"), "contains_username");
  EXPECT_EQ(CodeOf("xx-MALAPJROD-xx", "dorjpalam"), "contains_username");
  EXPECT_EQ(CodeOf("new1-password", "new1"), "contains_username");
  EXPECT_EQ(CodeOf("bo-long enough phrase", "bo"), "ok");  // Too short a name.
}

TEST(PasswordPolicyTest, GoodPasswordsPass) {
  for (const char* p :
       {"correct horse battery staple", "ten chars!", "Gobi camel 7 tea",
        "тэмээ цай 7 говь", "xk4-Pq9z-Lm2", "strawberry-lantern"}) {
    EXPECT_EQ(CodeOf(p, "dorj"), "ok") << p;
  }
}

TEST(PasswordPolicyTest, TheStatusSaysWhyInEnglishAndMongolian) {
  Status st = CheckPasswordPolicy("password12");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "password");
  EXPECT_NE(st.message().find("common password"), std::string::npos);
  EXPECT_NE(st.message().find(" / "), std::string::npos);
  EXPECT_NE(st.message().find("түгээмэл"), std::string::npos);
  auto p = FindPasswordProblem("short");
  ASSERT_TRUE(p);
  EXPECT_NE(p->english.find("5 characters"), std::string::npos);
  EXPECT_NE(p->mongolian.find("5 тэмдэгттэй"), std::string::npos);
  EXPECT_TRUE(CheckPasswordPolicy("correct horse battery staple").ok());
}

}  // namespace
}  // namespace malchin::auth
