// The exports of a known case equal the committed expected files
// (testdata/known_case.*) and pass the structural checks of the formats:
// DHIS2 UIDs of 11 characters, periods like 2020Q1 / 202001 / 2020 (ADX:
// a start date and an ISO 8601 duration), every value numeric; the ADX is
// well-formed XML in the ADX namespace (libxml2). The shipped mapping
// parses and marks its UIDs as placeholders.
#include "indicators/export.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>

#include "indicators/framework.h"

namespace malchin::indicators {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(MALCHIN_INDICATORS_TESTDATA) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Two values: social insurance coverage by sex x age band, national, 2020Q1;
// days to first payment in aimag 181, January 2020.
std::vector<IndicatorValue> KnownCase() {
  IndicatorValue si;
  si.code = "SI_COVERAGE_HERDERS";
  si.period = *Period::Parse("2020Q1");
  si.reference = si.period.Last();
  si.unit = Unit::kPercent;
  si.cells = Tally(Unit::kPercent, {Dimension::kSex, Dimension::kAgeBand},
                   {{{"F", "18-29"}, 3, 20},
                    {{"F", "30-44"}, 5, 25},
                    {{"M", "18-29"}, 2, 30},
                    {{"M", "45-59"}, 7, 21}});
  IndicatorValue days;
  days.code = "DAYS_TO_FIRST_PAYMENT";
  days.period = *Period::Parse("202001");
  days.area = 181;
  days.reference = days.period.Last();
  days.unit = Unit::kDays;
  days.cells = Tally(Unit::kDays, {}, {{{}, 45, 2}});
  return {si, days};
}

// Compares with the committed file; MALCHIN_UPDATE_EXPECTED=1 rewrites it
// (then read the diff before committing).
void ExpectFile(const std::string& actual, const std::string& name) {
  if (std::getenv("MALCHIN_UPDATE_EXPECTED")) {
    std::ofstream(std::string(MALCHIN_INDICATORS_TESTDATA) + "/" + name)
        << actual;
  }
  EXPECT_EQ(actual, ReadFile(name)) << name;
}

// Checks by hand rather than std::regex (GCC 12 warns inside <regex> in
// the sanitizer build, and the build treats warnings as errors).
bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// -?\d+(\.\d+)?
bool Numeric(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return Digits(s);
  return Digits(s.substr(0, dot)) && Digits(s.substr(dot + 1));
}

// \d{4}(Q[1-4]|(0[1-9]|1[0-2]))?: 2020, 2020Q1, 202001.
bool Dhis2Period(std::string_view s) {
  if (s.size() < 4 || !Digits(s.substr(0, 4))) return false;
  std::string_view rest = s.substr(4);
  if (rest.empty()) return true;
  if (rest.size() == 2 && rest[0] == 'Q')
    return rest[1] >= '1' && rest[1] <= '4';
  if (rest.size() != 2 || !Digits(rest)) return false;
  int month = (rest[0] - '0') * 10 + (rest[1] - '0');
  return month >= 1 && month <= 12;
}

// \d{4}-\d{2}-01/P(1M|3M|1Y): ADX's period, a start date and a duration.
bool AdxPeriod(std::string_view s) {
  if (s.size() != 14 || s[4] != '-' || s.substr(7, 4) != "-01/" ||
      s[11] != 'P') {
    return false;
  }
  std::string_view d = s.substr(12);
  return Digits(s.substr(0, 4)) && Digits(s.substr(5, 2)) &&
         (d == "1M" || d == "3M" || d == "1Y");
}

TEST(ExportTest, ShippedMappingIsPlaceholdersOfTheRightShape) {
  auto file = ParseDhis2Mapping("dhis2_mapping.json",
                                ReadFile("../data/dhis2_mapping.json"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const Dhis2Mapping& m = EmbeddedDhis2Mapping();
  EXPECT_TRUE(m.placeholder);
  // Every shipped indicator has a data element.
  for (const Indicator& i : EmbeddedFramework().indicators) {
    EXPECT_EQ(m.data_elements.count(i.code), 1u) << i.code;
  }
  EXPECT_EQ(m.data_elements.size(), EmbeddedFramework().indicators.size());
  EXPECT_EQ(m.category_option_combos.size(), 1u + 2u + 16u);
  EXPECT_EQ(m.org_units.count("0"), 1u);
  EXPECT_EQ(m.org_units.count("18140"), 1u);
  for (const auto& [k, uid] : m.org_units) EXPECT_TRUE(IsDhis2Uid(uid)) << k;
  EXPECT_FALSE(IsDhis2Uid("1abcdefghij"));
  EXPECT_FALSE(IsDhis2Uid("abcdefghij"));
  EXPECT_FALSE(IsDhis2Uid("abcdefghi-j"));
  auto bad = ParseDhis2Mapping(
      "m.json", R"({"data_set": "short", "category_option_combos": {},
                    "org_units": {}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("m.json: 'data_set' value '\"short\"'"),
            std::string::npos)
      << bad.status().message();
}

TEST(ExportTest, DataValueSetsEqualTheExpectedFileAndAreWellFormed) {
  auto out = ExportDataValueSets(EmbeddedDhis2Mapping(), KnownCase());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectFile(*out, "known_case.dhis2.json");
  json j = json::parse(*out);
  ASSERT_TRUE(IsDhis2Uid(j["dataSet"].get<std::string>()));
  ASSERT_EQ(j["dataValues"].size(), 4u + 1u);
  for (const json& v : j["dataValues"]) {
    for (const char* uid : {"dataElement", "orgUnit", "categoryOptionCombo"}) {
      EXPECT_TRUE(IsDhis2Uid(v[uid].get<std::string>())) << v.dump();
    }
    EXPECT_TRUE(Dhis2Period(v["period"].get<std::string>())) << v.dump();
    EXPECT_TRUE(Numeric(v["value"].get<std::string>())) << v.dump();
  }
  EXPECT_EQ(j["dataValues"][0]["value"], "15");  // F 18-29: 3 of 20.
}

TEST(ExportTest, AdxEqualsTheExpectedFileAndIsWellFormed) {
  auto out =
      ExportAdx(EmbeddedDhis2Mapping(), KnownCase(), "2026-01-05T10:00:00Z");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectFile(*out, "known_case.adx.xml");
  xmlDocPtr doc = xmlReadMemory(out->data(), static_cast<int>(out->size()),
                                "adx.xml", nullptr, XML_PARSE_NONET);
  ASSERT_NE(doc, nullptr);
  xmlNodePtr root = xmlDocGetRootElement(doc);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "adx");
  EXPECT_STREQ(reinterpret_cast<const char*>(root->ns->href),
               "urn:ihe:qrph:adx:2015");
  auto attr = [](xmlNodePtr n, const char* name) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
  };
  int values = 0;
  for (xmlNodePtr g = root->children; g; g = g->next) {
    if (g->type != XML_ELEMENT_NODE) continue;
    EXPECT_TRUE(IsDhis2Uid(attr(g, "orgUnit")));
    EXPECT_TRUE(AdxPeriod(attr(g, "period"))) << attr(g, "period");
    for (xmlNodePtr v = g->children; v; v = v->next) {
      if (v->type != XML_ELEMENT_NODE) continue;
      ++values;
      EXPECT_TRUE(IsDhis2Uid(attr(v, "dataElement")));
      EXPECT_TRUE(Numeric(attr(v, "value"))) << attr(v, "value");
    }
  }
  EXPECT_EQ(values, 5);
  xmlFreeDoc(doc);
}

TEST(ExportTest, CsvEqualsTheExpectedFile) {
  ExpectFile(ExportCsv(KnownCase()), "known_case.csv");
}

TEST(ExportTest, AMissingMappingIsNamed) {
  Dhis2Mapping m = EmbeddedDhis2Mapping();
  m.org_units.erase("181");
  auto out = ExportDataValueSets(m, KnownCase());
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("no org unit '181'"),
            std::string::npos);
  EXPECT_EQ(FormatValue(14.2), "14.2");
  EXPECT_EQ(FormatValue(22.5), "22.5");
  EXPECT_EQ(FormatValue(33.333), "33.33");
}

}  // namespace
}  // namespace malchin::indicators
