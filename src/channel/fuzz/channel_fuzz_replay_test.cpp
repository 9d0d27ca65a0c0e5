// Runs the fuzz entry point (channel_fuzz.h) over seeds and systematic
// variations of them (every prefix, every byte replaced by a few telling
// values), so that every build, the sanitizer one included, exercises it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "channel/fuzz/channel_fuzz.h"

namespace malchin::channel::fuzz {
namespace {

std::string Check(const std::string& s) {
  return CheckParsers(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::vector<std::string> Seeds() {
  const std::string catalogue = R"({"templates": {"a.b": {"description": "d",
    "parameters": {"n": {"description": "x", "sample": "Өө", "max_length": 3}},
    "text": {"mn": "{{Сайн}} {n}", "en": "Hi {n}"}}}})";
  return {
      std::string(1, 0) + "Сайн байна уу? Өө Үү 🐎 {x} €",
      std::string(1, 0) + std::string(159, 'a') + "€€",
      std::string(1, 1) + std::string("\x04\xE8\x00\x20\xD8\x3D\xDC\x0E", 8),
      std::string(1, 2) +
          "id=m1&status=8&phone=%2B976&at=1796602050&answer=ACK/",
      std::string(1, 2) +
          "id=x&from=99&to=1&hex=d0a2d183&coding=0&charset=UTF-8"
          "&at=1",
      std::string(1, 2) +
          "id=x&from=99&hex=0422&coding=2&charset=UTF-16BE&at=1"
          "&token=fuzz_token_0123456789",
      std::string(1, 3) + "0: Accepted for delivery",
      std::string(1, 4) + catalogue,
  };
}

TEST(ChannelFuzzReplayTest, SeedsAndTheirVariationsKeepTheInvariants) {
  const char kBytes[] = {'\0', '\x7F', '\xFF', '{', '}', '%', '&', '=', '\n'};
  int runs = 0;
  for (const std::string& seed : Seeds()) {
    ASSERT_EQ(Check(seed), "") << seed;
    for (size_t n = 0; n <= seed.size(); ++n) {
      ASSERT_EQ(Check(seed.substr(0, n)), "") << seed.substr(0, n);
      ++runs;
    }
    for (size_t i = 1; i < seed.size(); ++i) {
      for (char b : kBytes) {
        std::string v = seed;
        v[i] = b;
        ASSERT_EQ(Check(v), "") << v;
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 3000);
}

}  // namespace
}  // namespace malchin::channel::fuzz
