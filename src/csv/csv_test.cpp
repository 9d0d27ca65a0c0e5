#include "csv/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace malchin::csv {
namespace {

std::vector<Record> ReadAll(std::string_view data, Status* status,
                            ReadOptions options = {}) {
  std::vector<Record> out;
  *status = ReadRecords("t.csv", data, options, [&](const Record& r) {
    out.push_back(r);
    return Status::Ok();
  });
  return out;
}

TEST(CsvTest, ReadsQuotedFieldsAndCountsPhysicalLines) {
  Status st;
  auto recs = ReadAll(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n4,\"two\nlines\",6\n7,,9",
      &st);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(recs[1].fields[1], "x, \"y\"");
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 4u);  // After a blank line.
  EXPECT_EQ(recs[2].fields[1], "two\nlines");
  EXPECT_EQ(recs[3].line, 6u);  // The quoted newline counts.
  EXPECT_EQ(recs[3].fields[1], "");
}

TEST(CsvTest, ReadsAnotherDelimiter) {
  Status st;
  ReadOptions semicolon;
  semicolon.delimiter = ';';
  auto recs = ReadAll("\"a\";\"b,c\"\r\n\"1;2\";\"3\"\r\n", &st, semicolon);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b,c"}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"1;2", "3"}));
  ReadOptions quote;
  quote.delimiter = '"';
  ReadAll("a", &st, quote);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
}

TEST(CsvTest, RejectsNonUtf8WithLine) {
  Status st;
  ReadAll("a,b\n1,\xC1\xE0\xF2\n", &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("t.csv line 2"), std::string::npos);
  EXPECT_NE(st.message().find("not UTF-8"), std::string::npos);
}

TEST(CsvTest, RejectsTruncatedQuotedField) {
  Status st;
  ReadAll("a,b\n1,\"unterminated\n", &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("ends inside a quoted field"), std::string::npos);
}

TEST(CsvTest, RejectsStrayQuote) {
  Status st;
  ReadAll("a,b\n1,\"x\"y\n", &st);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("line 2"), std::string::npos);
}

TEST(CsvTest, RejectsHugeField) {
  Status st;
  ReadOptions opt;
  opt.max_field_bytes = 10;
  ReadAll("a\n" + std::string(50, 'x') + "\n", &st, opt);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("longer than"), std::string::npos);
}

TEST(CsvTest, EmptyFileHasNoRecords) {
  Status st;
  EXPECT_TRUE(ReadAll("", &st).empty());
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF", &st).empty());
}

TEST(CsvTest, HeaderFindsColumnsAndReportsMissingAndExtra) {
  Record rec{1, {"b", " a ", "zzz"}};
  auto h = Header::Make("t.csv", rec, {"a", "b"}, {"c"});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->Index("a"), 1);
  EXPECT_EQ(h->Index("c"), -1);
  EXPECT_EQ(h->extra(), std::vector<std::string>{"zzz"});
  auto bad = Header::Make("t.csv", rec, {"a", "d", "e"}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("d, e"), std::string::npos);
}

TEST(CsvTest, WritesAndReadsBack) {
  std::string out;
  AppendRow(&out, {"plain", "with,comma", "with \"quote\"", "line\nbreak", ""});
  Status st;
  auto recs = ReadAll(out, &st);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields,
            (std::vector<std::string>{"plain", "with,comma", "with \"quote\"",
                                      "line\nbreak", ""}));
}

// The streaming reader gives the same records and errors as the in-memory
// one, whatever the piece size (UTF-8 sequences, quotes and CRLF cut).
TEST(CsvTest, StreamingFromFileMatchesInMemory) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("malchin_csv_" + std::to_string(::getpid()) + ".csv"))
                         .string();
  auto write = [&](std::string_view data) {
    std::ofstream(path, std::ios::binary) << data;
  };
  auto stream = [&](size_t chunk, Status* st) {
    std::vector<Record> out;
    *st = ReadRecordsFromFile(
        path, "t.csv", {},
        [&](const Record& r) {
          out.push_back(r);
          return Status::Ok();
        },
        chunk);
    return out;
  };
  const std::string good =
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"Өлзий\"\"\",3\r\n\r\n4,\"two\nlines\",Хонгор\n7,,9";
  write(good);
  Status mem_st;
  auto mem = ReadAll(good, &mem_st);
  ASSERT_TRUE(mem_st.ok());
  for (size_t chunk : {1u, 2u, 3u, 5u, 7u, 1u << 20}) {
    Status st;
    auto recs = stream(chunk, &st);
    ASSERT_TRUE(st.ok()) << chunk << ": " << st.ToString();
    ASSERT_EQ(recs.size(), mem.size()) << chunk;
    for (size_t i = 0; i < recs.size(); ++i) {
      EXPECT_EQ(recs[i].fields, mem[i].fields) << chunk;
      EXPECT_EQ(recs[i].line, mem[i].line) << chunk;
    }
  }
  for (std::string bad :
       {std::string("a,b\n1,\xC0\xC1\n"), std::string("a,b\n\n1,\"x\n"),
        std::string("a,b\n1,\xD0")}) {
    write(bad);
    ReadAll(bad, &mem_st);
    ASSERT_FALSE(mem_st.ok());
    for (size_t chunk : {1u, 4u, 1u << 20}) {
      Status st;
      stream(chunk, &st);
      EXPECT_EQ(st.message(), mem_st.message()) << chunk;
    }
  }
  Status st;
  std::filesystem::remove(path);
  stream(16, &st);
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace malchin::csv
