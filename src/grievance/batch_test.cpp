#include "grievance/batch.h"

#include <gtest/gtest.h>

namespace malchin::grievance {
namespace {

TEST(BatchTest, KoboExportWithGroupsAndSemicolons) {
  const std::string csv =
      "\"_uuid\";\"form/received_on\";\"form/category\";\"form/soum_code\";"
      "\"form/summary\";\"form/sex\";\"form/anonymous\";\"_submission_time\";"
      "\"meta/instanceID\"\r\n"
      "\"u-1\";\"2026-12-01\";\"not_included\";\"18140\";\"Хүүхдийн мөнгө "
      "ороогүй\";\"F\";\"0\";\"2026-12-02T01:00:00\";\"uuid:1\"\r\n"
      "\"u-2\";\"2026-13-01\";\"feedback\";\"181\";\"\";\"X\";\"maybe\";\"\";"
      "\"\"\r\n";
  auto r = ParseBatch("kobo.csv", csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 2u);
  const BatchRow& a = r->rows[0];
  EXPECT_EQ(a.external_id, "batch:u-1");
  EXPECT_EQ(a.category, "not_included");
  EXPECT_EQ(a.soum_code, 18140);
  EXPECT_TRUE(a.has_date);
  EXPECT_EQ(a.received_on.ToString(), "2026-12-01");
  EXPECT_EQ(*a.complainant.sex, registry::Sex::kFemale);
  EXPECT_EQ(a.complainant.contact, Contact::kLetter);
  // Line 3: five problems, each named.
  std::vector<std::string> fields;
  for (const auto& p : r->problems) {
    EXPECT_EQ(p.line, 3u);
    fields.push_back(p.field);
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"soum_code", "summary", "received_on",
                                      "anonymous", "sex"}));
}

TEST(BatchTest, UnknownColumnsAndMissingOnesAreRefused) {
  auto unknown = ParseBatch("f.csv", "category,soum_code,summary,colour\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("colour"), std::string::npos);
  auto missing = ParseBatch("f.csv", "category,summary\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().field(), "soum_code");
  EXPECT_FALSE(ParseBatch("f.csv", "").ok());
  auto ok = ParseBatch("f.csv", "category,soum_code,summary\n\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->rows.empty());
}

}  // namespace
}  // namespace malchin::grievance
