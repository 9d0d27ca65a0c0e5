// Runs the fuzz entry point (grievance_fuzz.h) over seeds and systematic
// variations of them (every prefix, every byte replaced by a few telling
// values), so that every build, the sanitizer one included, exercises it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grievance/fuzz/grievance_fuzz.h"

namespace malchin::grievance::fuzz {
namespace {

std::string Check(const std::string& s) {
  return CheckParsers(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::vector<std::string> Seeds() {
  return {
      std::string(1, 0) +
          "_uuid;form/category;form/soum_code;form/summary;sex\n"
          "u1;not_included;18140;\"Мөнгө, ороогүй\";F\nu2;x;1;;Q\n",
      std::string(1, 0) +
          "category,soum_code,summary,anonymous\n"
          "feedback,18125,ok,1\n",
      std::string(1, 1) +
          R"({"categories": {"ab": {"name": {"mn": "А", "en": "A"},)"
          R"( "sensitive": true}}})",
      std::string(1, 2) +
          R"({"services": {"s1": {"kind": "police", "area_code": 181,)"
          R"( "name": {"mn": "А", "en": "A"}, "phone": "102",)"
          R"( "confidence": "high"}}})",
  };
}

TEST(GrievanceFuzzReplayTest, SeedsAndTheirVariationsKeepTheInvariants) {
  const char kBytes[] = {'\0', '\x7F', '\xFF', '"', ';', ',', '\n', '{', '}'};
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
        ASSERT_EQ(Check(v), "") << i << " " << static_cast<int>(b);
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 1000);
}

}  // namespace
}  // namespace malchin::grievance::fuzz
