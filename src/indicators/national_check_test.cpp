// The national check: the insurance coverage indicators on the national
// demo register (every aimag and Ulaanbaatar) equal `malchin insurance
// coverage` for the same month, on the engine MALCHIN_TEST_ENGINE names.
// The register is generated at scale MALCHIN_NATIONAL_SCALE (default 0.1,
// about 325,000 persons: the largest that keeps this test well under a
// minute on the 2-core machine); docs/indicators.md gives the command that
// runs the same comparison on the full national register (scale 1) and
// its result.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/testing.h"
#include "indicators/register_test_fixture.h"

namespace malchin::indicators {
namespace {

using nlohmann::json;

double Scale() {
  const char* s = std::getenv("MALCHIN_NATIONAL_SCALE");
  return s ? std::atof(s) : 0.1;
}

json RunJson(const std::vector<std::string>& args) {
  auto r = cli::testing::Run(args);
  EXPECT_EQ(r.code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

TEST(NationalCheck, InsuranceIndicatorsEqualInsuranceCoverage) {
  auto reg = testing::GeneratedRegister::Make(
      backends::testing::ApiTestEngine(), Scale(), {});
  ASSERT_NE(reg, nullptr);
  const std::string db = reg->database().url();
  json cov = RunJson({"insurance", "coverage", "--db", db, "--by", "aimag",
                      "--split", "sex", "--month", "2020-12", "--json"});
  ASSERT_TRUE(cov.is_object());
  // Totals and each (aimag, sex) cell, from `insurance coverage`.
  int64_t persons = 0, social = 0, health = 0;
  std::map<std::string, std::array<int64_t, 3>> cells;
  std::set<int64_t> aimags;
  for (const json& c : cov["cells"]) {
    persons += c["persons"].get<int64_t>();
    social += c["social_insured"].get<int64_t>();
    health += c["health_insured"].get<int64_t>();
    aimags.insert(c["area"].get<int64_t>());
  }
  EXPECT_GE(aimags.size(), 22u);         // 21 aimags and Ulaanbaatar.
  ASSERT_GT(persons, 250000 * Scale());  // About 369,000 at scale 1.
  for (const char* code : {"SI_COVERAGE_HERDERS", "HI_COVERAGE_HERDERS"}) {
    json v = RunJson({"indicator", "compute", "--db", db, "--code", code,
                      "--period", "2020", "--json"});
    ASSERT_TRUE(v.is_object()) << code;
    const json& total = v["live"][0];
    EXPECT_TRUE(total["by"].empty());
    EXPECT_EQ(total["denominator"], persons) << code;
    EXPECT_EQ(total["numerator"], code[0] == 'S' ? social : health) << code;
    for (const json& c : cov["cells"]) {
      json by = {{"aimag", std::to_string(c["area"].get<int64_t>())},
                 {"sex", c["sex"]}};
      bool found = false;
      for (const json& x : v["live"]) {
        if (x["by"] != by) continue;
        found = true;
        EXPECT_EQ(x["denominator"], c["persons"]) << code << by.dump();
        EXPECT_EQ(x["numerator"],
                  code[0] == 'S' ? c["social_insured"] : c["health_insured"])
            << code << by.dump();
      }
      EXPECT_TRUE(found) << code << by.dump();
    }
  }
}

}  // namespace
}  // namespace malchin::indicators
