#include "pdm/kobo.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "csv/csv.h"

namespace malchin::pdm {
namespace {

std::string TestData(const std::string& name) {
  auto text = csv::ReadFile(std::string(MALCHIN_SOURCE_DIR) +
                            "/src/pdm/testdata/" + name);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

class KoboTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto form = StandardPdmForm();
    ASSERT_TRUE(form.ok());
    form_ = *form;
    for (int i = 1; i <= 12; ++i) {
      options_.respondents.insert("HH0" + std::string(i < 10 ? "0" : "") +
                                  std::to_string(i));
    }
  }

  // The problems about `field` of the submission at `line` (CSV) or with
  // `uuid` (JSON, line 0).
  static std::vector<Problem> About(const Ingested& in, size_t line,
                                    const std::string& uuid,
                                    const std::string& field) {
    std::vector<Problem> out;
    for (const Problem& p : in.problems) {
      if (p.line == line && (uuid.empty() || p.uuid == uuid) &&
          p.field == field) {
        out.push_back(p);
      }
    }
    return out;
  }

  static const Submission* Find(const Ingested& in, const std::string& uuid,
                                const std::string& respondent) {
    for (const Submission& s : in.submissions) {
      if (s.uuid == uuid && s.respondent == respondent) return &s;
    }
    return nullptr;
  }

  static std::string Uuid(int n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "a1f0c2e4-%04d-4b8e-9a51-%012d", n, n);
    return buf;
  }

  // The bad cases every test file holds, located by `line` for CSV (the
  // record's line) or by uuid for JSON (line 0).
  void ExpectTheBadCases(const Ingested& in, bool csv, bool details) {
    // Exactly these errors: one per bad value, nothing spurious.
    size_t errors = 0;
    for (const Problem& p : in.problems) {
      errors += p.severity == Problem::Severity::kError;
    }
    EXPECT_EQ(errors, details ? 13u : 12u);
    auto at = [&](size_t line, int uuid, const std::string& field) {
      return About(in, csv ? line : 0, Uuid(uuid), field);
    };
    auto expect = [&](size_t line, int uuid, const std::string& field,
                      const std::string& expected) {
      auto found = at(line, uuid, field);
      ASSERT_FALSE(found.empty()) << field << " at line " << line;
      EXPECT_NE(found[0].expected.find(expected), std::string::npos)
          << found[0].Message();
      EXPECT_EQ(found[0].file, in.file);
    };
    expect(6, 5, "payee", "a choice of list 'payee'");
    expect(7, 6, "amount_received", ". >= 0 and . <= 5000000");
    expect(7, 6, "collect_minutes", "Between 0 and 2880");
    expect(8, 7, "date_received", "a date YYYY-MM-DD");
    expect(9, 8, "knows_complaint", "required");
    expect(10, 99, "respondent", "unknown respondent");
    expect(11, 1, "_uuid", "not seen before");
    expect(12, 10, "date_received", "today()");
    expect(13, 11, "problems", "count-selected");
    if (details) expect(13, 11, "uses", "the detail columns");
    expect(14, 12, "respondent", "one interview per respondent");
    expect(15, 13, "satisfaction", "a choice of list 'satisfaction'");
    expect(15, 13, "collect_cost", "a whole number");

    ASSERT_EQ(in.submissions.size(), 14u);
    EXPECT_EQ(in.accepted(), 11u);
    EXPECT_TRUE(in.submissions[8].rejected);   // HH099
    EXPECT_TRUE(in.submissions[9].rejected);   // repeated _uuid
    EXPECT_TRUE(in.submissions[12].rejected);  // HH001 twice
    // Failed values are left out; the rest of the submission is kept.
    const Submission& s5 = in.submissions[4];
    EXPECT_FALSE(s5.rejected);
    EXPECT_FALSE(s5.answers.count("payee"));
    EXPECT_EQ(s5.answers.at("amount_received"), "300000");
    EXPECT_FALSE(in.submissions[5].answers.count("amount_received"));
  }

  Form form_;
  IngestOptions options_;
};

TEST_F(KoboTest, ReadsTheCurrentSemicolonExport) {
  auto in = ReadKoboCsv("kobo_semicolon.csv", TestData("kobo_semicolon.csv"),
                        form_, options_);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ExpectTheBadCases(*in, true, true);
  const Submission& s = in->submissions[0];
  EXPECT_EQ(s.uuid, Uuid(1));
  EXPECT_EQ(s.id, 101);
  EXPECT_EQ(s.line, 2u);
  EXPECT_EQ(s.respondent, "HH001");
  EXPECT_EQ(s.submission_time, "2025-03-12T04:15:00");
  EXPECT_EQ(s.submission_date, Date::FromYmd(2025, 3, 12));
  EXPECT_EQ(s.answers.at("received"), "yes");
  EXPECT_EQ(s.answers.at("uses"), "food fodder");
  EXPECT_EQ(in->submissions[3].answers.at("uses_other"), "ger repair; felt");
  // Not received: the transfer questions are not asked, nothing missing.
  const Submission& no = in->submissions[1];
  EXPECT_FALSE(no.answers.count("amount_received"));
  EXPECT_EQ(no.answers.at("problems"), "late not_received");  // list order
  EXPECT_TRUE(About(*in, 3, Uuid(2), "amount_received").empty());
  // Refused: only consent.
  EXPECT_EQ(in->submissions[2].answers.at("consent"), "no");
  EXPECT_TRUE(About(*in, 4, Uuid(3), "received").empty());
  // Metadata columns are ignored, not reported.
  for (const Problem& p : in->problems) {
    EXPECT_FALSE(p.field.starts_with("_") && p.field != "_uuid") << p.Message();
  }
}

TEST_F(KoboTest, ReadsTheLegacyCommaExportWithBomAndTrueFalse) {
  const std::string data = TestData("kobo_comma.csv");
  ASSERT_TRUE(data.starts_with("\xEF\xBB\xBF"));
  auto in = ReadKoboCsv("kobo_comma.csv", data, form_, options_);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  // The legacy file has no summary column for `uses`: only its details.
  ExpectTheBadCases(*in, true, false);
  EXPECT_EQ(in->submissions[0].answers.at("uses"), "food fodder");
  EXPECT_EQ(in->submissions[11].answers.at("uses"), "food fuel");
  EXPECT_EQ(in->submissions[3].answers.at("uses_other"), "ger repair; felt");
}

TEST_F(KoboTest, ReadsTheDataApiJson) {
  auto in =
      ReadKoboJson("kobo_api.json", TestData("kobo_api.json"), form_, options_);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ExpectTheBadCases(*in, false, false);
  EXPECT_EQ(in->count, 14);
  EXPECT_EQ(in->next, "");
  EXPECT_EQ(in->submissions[0].answers.at("amount_received"), "300000");
  EXPECT_EQ(in->submissions[0].line, 0u);
  for (const Problem& p : in->problems) {
    EXPECT_EQ(p.line, 0u);
    if (p.severity == Problem::Severity::kError) {
      EXPECT_FALSE(p.uuid.empty()) << p.Message();
    }
  }
}

TEST_F(KoboTest, AllThreeFilesAgreeOnTheAcceptedAnswers) {
  auto a = ReadKoboCsv("s", TestData("kobo_semicolon.csv"), form_, options_);
  auto b = ReadKoboCsv("c", TestData("kobo_comma.csv"), form_, options_);
  auto c = ReadKoboJson("j", TestData("kobo_api.json"), form_, options_);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  for (size_t i = 0; i < a->submissions.size(); ++i) {
    if (i == 11) continue;  // `uses` differs on purpose (see the test data)
    EXPECT_EQ(a->submissions[i].answers, b->submissions[i].answers) << i;
    Answers json = c->submissions[i].answers;
    Answers csv = a->submissions[i].answers;
    csv.erase("uses");  // JSON has no detail columns to disagree with
    json.erase("uses");
    EXPECT_EQ(csv, json) << i;
  }
}

TEST_F(KoboTest, UnreadableFilesAreErrors) {
  EXPECT_FALSE(ReadKoboCsv("x.csv", "", form_, options_).ok());
  auto no_uuid = ReadKoboCsv("x.csv", "respondent;consent\r\nHH001;yes\r\n",
                             form_, options_);
  ASSERT_FALSE(no_uuid.ok());
  EXPECT_NE(no_uuid.status().message().find("_uuid"), std::string::npos);
  auto bad_utf8 =
      ReadKoboCsv("x.csv", "_uuid,respondent\nu1,\xFF\n", form_, options_);
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_NE(bad_utf8.status().message().find("x.csv line 2"),
            std::string::npos);
  EXPECT_FALSE(ReadKoboJson("x.json", "[]", form_, options_).ok());
  EXPECT_FALSE(
      ReadKoboJson("x.json", "{\"results\": 3}", form_, options_).ok());
  IngestOptions other = options_;
  other.respondent_question = "household";
  EXPECT_EQ(ReadKoboCsv("x.csv", "_uuid\n", form_, other).status().field(),
            "respondent_question");
}

TEST_F(KoboTest, ShortRowsUnknownColumnsAndRepeatsAreReported) {
  const std::string csv =
      "_uuid,respondent,consent,transfer/mystery\n"
      "u1,HH001,no,x\n"
      "u2,HH002\n";
  auto in = ReadKoboCsv("x.csv", csv, form_, options_);
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(in->submissions.size(), 1u);
  EXPECT_EQ(About(*in, 1, "", "transfer/mystery")[0].severity,
            Problem::Severity::kWarning);
  bool short_row = false;
  for (const Problem& p : in->problems) short_row |= p.line == 3;
  EXPECT_TRUE(short_row);
  auto json = ReadKoboJson(
      "x.json",
      R"({"results": [{"_uuid": "u1", "_submission_time": "2025-03-12T00:00:00",
          "respondent": "HH001", "consent": "yes",
          "transfer/received": ["yes"]}]})",
      form_, options_);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(
      About(*json, 0, "u1", "transfer/received")[0].expected.substr(0, 14),
      "a single value");
}

TEST_F(KoboTest, PagesAreAppendedWithoutDuplicates) {
  const std::string page1 =
      R"({"count": 3, "next": "https://kf.example/api/v2/assets/a/data/?start=2",
          "results": [
      {"_uuid": "u1", "_submission_time": "2025-03-12T01:00:00",
       "respondent": "HH001", "consent": "no"},
      {"_uuid": "u2", "_submission_time": "2025-03-12T01:00:00",
       "respondent": "HH002", "consent": "no"}]})";
  const std::string page2 =
      R"({"count": 3, "next": null, "results": [
      {"_uuid": "u2", "_submission_time": "2025-03-12T01:00:00",
       "respondent": "HH003", "consent": "no"},
      {"_uuid": "u3", "_submission_time": "2025-03-12T01:00:00",
       "respondent": "HH001", "consent": "no"},
      {"_uuid": "u4", "_submission_time": "2025-03-12T01:00:00",
       "respondent": "HH004", "consent": "no"}]})";
  Ingested all;
  auto p1 = ReadKoboJson("page1.json", page1, form_, options_);
  ASSERT_TRUE(p1.ok());
  EXPECT_FALSE(p1->next.empty());
  AppendIngested(std::move(*p1), &all);
  auto p2 = ReadKoboJson("page2.json", page2, form_, options_);
  ASSERT_TRUE(p2.ok());
  AppendIngested(std::move(*p2), &all);
  ASSERT_EQ(all.submissions.size(), 5u);
  EXPECT_EQ(all.accepted(), 3u);
  EXPECT_TRUE(all.submissions[2].rejected);  // u2 again
  EXPECT_TRUE(all.submissions[3].rejected);  // HH001 again
  EXPECT_EQ(all.next, "");
  EXPECT_EQ(all.problems.size(), 2u);
  EXPECT_EQ(all.problems[0].file, "page2.json");
}

TEST_F(KoboTest, ProblemsAreCapped) {
  std::string csv = "_uuid,respondent\n";
  for (int i = 0; i < 50; ++i) csv += "u" + std::to_string(i) + ",HH999\n";
  options_.max_problems = 10;
  auto in = ReadKoboCsv("x.csv", csv, form_, options_);
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(in->problems.size(), 11u);
  EXPECT_NE(in->problems.back().expected.find("more were not listed"),
            std::string::npos);
}

TEST_F(KoboTest, TableHasQuestionAndDetailColumns) {
  auto in = ReadKoboCsv("kobo_semicolon.csv", TestData("kobo_semicolon.csv"),
                        form_, options_);
  ASSERT_TRUE(in.ok());
  Table t = ToTable(in->submissions, form_);
  EXPECT_EQ(t.rows.size(), in->accepted());
  auto col = [&](const std::string& name) {
    auto it = std::find(t.columns.begin(), t.columns.end(), name);
    EXPECT_NE(it, t.columns.end()) << name;
    return static_cast<size_t>(it - t.columns.begin());
  };
  EXPECT_EQ(t.columns[0], "_id");
  EXPECT_EQ(t.rows[0][col("respondent")], "HH001");
  EXPECT_EQ(t.rows[0][col("uses/fodder")], "1");
  EXPECT_EQ(t.rows[0][col("uses/fuel")], "0");
  EXPECT_EQ(t.rows[1][col("uses/fuel")], "");  // not asked
  EXPECT_EQ(t.rows[2][col("received")], "");   // refused
  const std::string text = TableCsv(t);
  EXPECT_TRUE(text.starts_with("_id,_uuid,_submission_time,start,end,"));
  EXPECT_NE(text.find("ger repair; felt"), std::string::npos);
}

}  // namespace
}  // namespace malchin::pdm
