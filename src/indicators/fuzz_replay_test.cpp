// Feeds the shipped files, the test files and systematic damage to them
// (every truncation at a stride, a byte replaced at a stride) through the
// fuzz entry points (fuzz/), so the plain build in CI exercises them (and
// the sanitizer build under ASan/UBSan). Deterministic.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "indicators/fuzz/fuzz_inputs.h"

namespace malchin::indicators::fuzz {
namespace {

std::string Source(const std::string& path) {
  std::ifstream in(std::string(MALCHIN_INDICATORS_DIR) + "/" + path);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << path;
  return s.str();
}

void Damage(const std::string& seed, void (*target)(const uint8_t*, size_t),
            size_t stride) {
  auto run = [&](const std::string& s) {
    target(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  run(seed);
  const char bytes[] = {'"', '{', '}', '[', ']', ',', ':', '0', '\xff', '\n'};
  for (size_t at = 0; at < seed.size(); at += stride) {
    run(seed.substr(0, at));
    std::string s = seed;
    s[at] = bytes[(at / stride) % sizeof bytes];
    run(s);
  }
}

TEST(IndicatorsFuzzReplayTest, FrameworkFiles) {
  Damage(Source("data/framework.json"), FrameworkFile, 7);
}

TEST(IndicatorsFuzzReplayTest, MappingFiles) {
  std::string mapping = Source("data/dhis2_mapping.json");
  Damage(mapping.substr(0, 3000) + "}}", MappingFile, 5);
  Damage(R"({"placeholder": "x", "data_set": "PHds0000001",
             "data_elements": {"A": {"uid": 1, "category_combo": 2}}})",
         MappingFile, 1);
}

TEST(IndicatorsFuzzReplayTest, CellsJson) {
  Damage(R"([{"by": [["sex", "F"]], "numerator": 1, "denominator": 2,
             "value": 50}])",
         fuzz::CellsJson, 1);
}

TEST(IndicatorsFuzzReplayTest, ImportSummaries) {
  Damage(R"({"httpStatus":"Conflict","httpStatusCode":409,"status":"WARNING",
             "response":{"responseType":"ImportSummary","status":"WARNING",
             "importCount":{"imported":2,"updated":1,"ignored":1,"deleted":0},
             "conflicts":[{"object":"abc","value":"Value must be a number"}]}})",
         fuzz::ImportSummary, 1);
}

TEST(IndicatorsFuzzReplayTest, CredentialsAndUrls) {
  Damage("admin:district\n", fuzz::Credentials, 1);
  Damage("http://[::1]:8080/dhis/", fuzz::Credentials, 1);
}

}  // namespace
}  // namespace malchin::indicators::fuzz
