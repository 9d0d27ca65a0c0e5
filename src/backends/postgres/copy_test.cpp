// Bulk loads with COPY.
#include "backends/postgres/copy.h"

#include <gtest/gtest.h>

#include "backends/postgres/test_fixture.h"

namespace malchin::backends::postgres {
namespace {

using CopyTest = PgTest;

const std::vector<std::string> kColumns = {
    "hh", "id", "soum_code", "current_soum_code", "herder", "bag", "lat"};

TEST_F(CopyTest, LoadsManyRowsWithNullsAndAwkwardText) {
  auto s = Session();
  constexpr int kRows = 5000;
  const std::string awkward = "tab\there\nnew line \\ back\\slash \"q\" Ө";
  int64_t written = 0;
  Status st = s->Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                             s->ReserveIds("households", "hh", kRows));
    MALCHIN_ASSIGN_OR_RETURN(auto copy,
                             PgCopy::Start(*s, "households", kColumns));
    for (int i = 0; i < kRows; ++i) {
      std::optional<double> lat;
      if (i % 2) lat = 47.5 + i * 1e-6;
      MALCHIN_RETURN_IF_ERROR(copy->Row(ids[i], "H" + std::to_string(i),
                                        18140 + i % 3, 18140, i % 5 == 0,
                                        i == 7 ? awkward : "", lat));
    }
    MALCHIN_ASSIGN_OR_RETURN(written, copy->Finish());
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(written, kRows);
  EXPECT_EQ(One(*s, "SELECT count(*) FROM households"), "5000");
  EXPECT_EQ(One(*s, "SELECT count(*) FROM households WHERE lat IS NULL"),
            "2500");
  EXPECT_EQ(One(*s, "SELECT count(*) FROM households WHERE herder"), "1000");
  EXPECT_EQ(One(*s, "SELECT bag FROM households WHERE id = 'H7'"), awkward);
  EXPECT_EQ(One(*s, "SELECT lat FROM households WHERE id = 'H3'"), "47.500003");
  // Ids came from the column's sequence: the next insert follows them.
  Sql(*s,
      "INSERT INTO households (id, soum_code, current_soum_code, herder) "
      "VALUES ('after', 18140, 18140, false)");
  EXPECT_EQ(One(*s, "SELECT count(*) FROM households"), "5001");
  // One statement: the register version moved once for the whole load.
  EXPECT_EQ(One(*s, "SELECT changes FROM register_version"), "2");
}

TEST_F(CopyTest, AViolationFailsTheWriteAndNothingStays) {
  auto s = Session();
  Status st = s->Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto copy,
                             PgCopy::Start(*s, "households", kColumns));
    for (int i = 0; i < 3; ++i) {  // The same household id three times.
      MALCHIN_RETURN_IF_ERROR(
          copy->Row(i + 1, "SAME", 18140, 18140, true, "", std::nullopt));
    }
    return copy->Finish().status();
  });
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st.ToString();
  EXPECT_EQ(One(*s, "SELECT count(*) FROM households"), "0");
}

TEST_F(CopyTest, RowsAreCheckedAndCopyNeedsAWrite) {
  auto s = Session();
  EXPECT_EQ(PgCopy::Start(*s, "households", kColumns).status().code(),
            StatusCode::kInternal);
  Status st = s->Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto copy,
                             PgCopy::Start(*s, "households", kColumns));
    Status short_row = copy->Row(1, "A1");
    EXPECT_EQ(short_row.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(short_row.message().find("row 1 has 2 fields; expected 7"),
              std::string::npos)
        << short_row.message();
    return copy->Finish().status();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

}  // namespace
}  // namespace malchin::backends::postgres
