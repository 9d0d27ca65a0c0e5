// The framework file: the shipped one parses with the programme's
// baselines and targets; a bad file is refused naming the line, the
// indicator, the field and the value, in Mongolian and English.
#include "indicators/framework.h"

#include <gtest/gtest.h>

namespace malchin::indicators {
namespace {

TEST(FrameworkTest, ShippedFrameworkHasTheProgrammesIndicators) {
  const Framework& f = EmbeddedFramework();
  ASSERT_EQ(f.indicators.size(), 10u);
  const Indicator* si = f.Find("SI_COVERAGE_HERDERS");
  ASSERT_NE(si, nullptr);
  EXPECT_EQ(si->unit, Unit::kPercent);
  EXPECT_EQ(si->computation, Computation::kInsuranceCoverageSocial);
  ASSERT_TRUE(si->baseline.has_value());
  EXPECT_EQ(si->baseline->value, 15);
  EXPECT_EQ(si->baseline->numerator, 40906);
  EXPECT_EQ(si->baseline->numerator_women, 22856);
  EXPECT_EQ(si->baseline->denominator, 288700);
  EXPECT_EQ(si->baseline->date.ToString(), "2019-09-30");
  ASSERT_EQ(si->targets.size(), 1u);
  EXPECT_EQ(si->targets[0].value, 20);
  const Indicator* hi = f.Find("HI_COVERAGE_HERDERS");
  ASSERT_NE(hi, nullptr);
  EXPECT_EQ(hi->baseline->numerator, 114610);
  EXPECT_EQ(hi->baseline->numerator_women, 55420);
  EXPECT_EQ(hi->targets[0].value, 50);
  for (const char* code :
       {"CHILDREN_TOP_UP_REACHED", "CHILDREN_TOP_UP_AMOUNT",
        "DAYS_TO_FIRST_PAYMENT", "FEMALE_HEADED_REACHED",
        "YOUNG_HERDER_REACHED", "GRIEVANCES_RESOLVED_IN_TIME",
        "PDM_FULL_AMOUNT", "RESILIENCE_IMPROVED"}) {
    EXPECT_NE(f.Find(code), nullptr) << code;
  }
}

constexpr const char* kGood = R"({"indicators": [
  {
    "code": "A",
    "name": {"mn": "А", "en": "A"},
    "definition": {"mn": "А", "en": "A"},
    "unit": "percent",
    "computation": "insurance_coverage_health",
    "disaggregations": ["sex"]
  },
  {
    "code": "B",
    "name": {"mn": "Б", "en": "B"},
    "definition": {"mn": "Б", "en": "B"},
    "unit": "percent",
    "computation": "insurance_coverage_social",
    "disaggregations": ["sex", "age_band"],
    "targets": [{"date": "2022-12-31", "value": 20}]
  }
]})";

std::string Replace(std::string s, const std::string& from,
                    const std::string& to) {
  size_t at = s.rfind(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(FrameworkTest, ParsesAGoodFile) {
  auto f = ParseFramework("mine.json", kGood);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->indicators.size(), 2u);
  EXPECT_EQ(f->indicators[1].disaggregations,
            (std::vector<Dimension>{Dimension::kSex, Dimension::kAgeBand}));
  auto again = ParseIndicatorJson("stored B", f->indicators[1].json);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->code, "B");
}

void ExpectError(const std::string& text, const std::string& where,
                 const std::string& value) {
  auto f = ParseFramework("mine.json", text);
  ASSERT_FALSE(f.ok());
  const std::string& m = f.status().message();
  EXPECT_NE(m.find(where), std::string::npos) << m;
  EXPECT_NE(m.find(value), std::string::npos) << m;
  EXPECT_NE(m.find("expected"), std::string::npos) << m;
  EXPECT_NE(m.find("талбар"), std::string::npos) << m;
}

TEST(FrameworkTest, ErrorsNameTheLineFieldAndValue) {
  ExpectError(Replace(kGood, "\"unit\": \"percent\"", "\"unit\": \"days\""),
              "mine.json:14 (B): field 'unit'", "days");
  ExpectError(Replace(kGood, "\"age_band\"]", "\"head_sex\"]"),
              "mine.json:16 (B): field 'disaggregations'", "head_sex");
  ExpectError(Replace(kGood, "insurance_coverage_social", "sql"),
              "mine.json:15 (B): field 'computation'", "sql");
  ExpectError(Replace(kGood, "\"2022-12-31\"", "\"2022-13-31\""),
              "mine.json:17 (B): field 'date'", "2022-13-31");
  ExpectError(Replace(kGood, "\"en\": \"B\"}", "\"en\": \"\"}"),
              "(B): field 'en'", "\"\"");
  ExpectError(Replace(kGood, "\"code\": \"B\"", "\"code\": \"A\""),
              "field 'code'", "A");
  ExpectError(Replace(kGood, "\"disaggregations\": [\"sex\"]",
                      "\"disaggregations\": [\"sex\", \"sex\"]"),
              "mine.json:8 (A): field 'disaggregations'", "sex");
  auto bad = ParseFramework("mine.json", "{\"indicators\": [\n\n}");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("mine.json:3"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace malchin::indicators
