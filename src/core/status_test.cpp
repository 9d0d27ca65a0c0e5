#include "core/status.h"

#include <gtest/gtest.h>

#include "core/error_mapping.h"

namespace malchin {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd", "x");
  return x / 2;
}

Result<int> Quarter(int x) {
  MALCHIN_ASSIGN_OR_RETURN(int h, Half(x));
  MALCHIN_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status Check(int x) {
  MALCHIN_RETURN_IF_ERROR(Quarter(x).status());
  return Status::Ok();
}

TEST(StatusTest, PropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "x");
  EXPECT_TRUE(Check(4).ok());
  EXPECT_FALSE(Check(5).ok());
}

TEST(StatusTest, ContextAndText) {
  Status s = Status::NotFound("household H1").WithContext("export");
  EXPECT_EQ(s.ToString(), "NOT_FOUND: export: household H1");
  EXPECT_EQ(Status::Ok().ToString(), "OK");
}

TEST(StatusTest, OneMappingForExitCodesAndHttp) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInvalidArgument), 2);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kConflict), 412);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

}  // namespace
}  // namespace malchin
