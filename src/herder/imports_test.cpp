// The import parsers: good files read, bad ones refused whole naming the
// file, line, field and value in English and Mongolian; and the fuzz
// entry point replayed on hand-made inputs.
#include "herder/imports.h"

#include <gtest/gtest.h>

#include "herder/fuzz/import_fuzz.h"

namespace malchin::herder {
namespace {

const geo::Geography& Geo() {
  static const auto geo = geo::Geography::Load().value();
  return *geo;
}

TEST(RiskCsvTest, ReadsAGoodFile) {
  auto rows = ParseRiskCsv("r.csv",
                           "date,soum_code,level,source\n"
                           "2026-01-10,18140,high,\"NAMEM, January\"\n"
                           "2026-01-10,18125,very_high,NAMEM\n",
                           Geo());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].soum_code, 18140);
  EXPECT_EQ((*rows)[0].source, "NAMEM, January");
  EXPECT_EQ((*rows)[1].level, "very_high");
}

TEST(RiskCsvTest, RefusesABadFileWhole) {
  struct Case {
    const char* row;
    const char* says;
  } cases[] = {
      {"99999,2026-01-10,high,N", "r.csv line 3: soum_code '99999'"},
      {"181,2026-01-10,high,N", "soum_code '181'"},
      {"18140,2026-13-01,high,N", "date '2026-13-01'"},
      {"18140,2026-01-11,extreme,N", "level 'extreme'"},
      {"18140,2026-01-11,high,", "source ''"},
      {"18140,2026-01-10,low,N", "one row per soum and date"},
  };
  for (const Case& c : cases) {
    auto rows = ParseRiskCsv("r.csv",
                             std::string("soum_code,date,level,source\n"
                                         "18140,2026-01-10,high,N\n") +
                                 c.row + "\n",
                             Geo());
    ASSERT_FALSE(rows.ok()) << c.row;
    EXPECT_NE(rows.status().message().find(c.says), std::string::npos)
        << rows.status().message();
    EXPECT_NE(rows.status().message().find("r.csv мөр 3"), std::string::npos)
        << rows.status().message();
  }
  auto no_column =
      ParseRiskCsv("r.csv", "soum_code,date\n18140,2026-01-10\n", Geo());
  EXPECT_FALSE(no_column.ok());
}

TEST(PriceCsvTest, ReadsAGoodFileAndRefusesBadOnes) {
  auto rows = ParsePriceCsv("p.csv",
                            "item,unit,aimag,from,price,source\n"
                            "sheep,head,181,2026-01-01,200000,survey\n"
                            "cashmere,kg,0,2026-01-01,120000,survey\n");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].price, 200000);
  for (const char* bad :
       {"sheep,cow,181,2026-01-01,1,s", "sheep,head,18,2026-01-01,1,s",
        "sheep,head,181,2026-01-01,-5,s", "sheep,head,181,2026-01-01,1.5,s",
        "Sheep,head,181,2026-01-01,1,s", "sheep,kg,181,2026-02-01,1,s"}) {
    auto r = ParsePriceCsv("p.csv", std::string("item,unit,aimag,from,price,"
                                                "source\n"
                                                "sheep,head,181,2026-01-01,"
                                                "2,s\n") +
                                        bad + "\n");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("p.csv"), std::string::npos);
    EXPECT_NE(r.status().message().find(" / "), std::string::npos);
  }
}

TEST(ImportFuzzReplayTest, HandMadeInputsKeepTheInvariants) {
  for (std::string input :
       {std::string(""), std::string("\xff\xfe"),
        std::string("soum_code,date,level,source\n18140,2026-01-10,high,N\n"),
        std::string("item,unit,aimag,from,price,source\nsheep,head,0,2026-01-"
                    "01,9223372036854775807,s\n"),
        std::string("\"unterminated\n"), std::string(5000, ',')}) {
    EXPECT_EQ(fuzz::CheckParsers(reinterpret_cast<const uint8_t*>(input.data()),
                                 input.size()),
              "")
        << input.substr(0, 60);
  }
}

}  // namespace
}  // namespace malchin::herder
