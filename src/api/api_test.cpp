#include "api/api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <set>

#include "api/codec.h"
#include "api/json_input.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"

namespace malchin::api {
namespace {

using nlohmann::json;

TEST(JsonInputTest, StrictDecoding) {
  auto in = JsonInput::Parse(R"({"a":"x","n":5,"b":true})");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(*in->String("a"), "x");
  EXPECT_EQ(*in->Int("n", 0, 10), 5);
  EXPECT_TRUE(in->Finish().ok() == false);  // "b" never read.
  EXPECT_EQ(in->Finish().field(), "b");
  EXPECT_TRUE(*in->Bool("b"));
  EXPECT_TRUE(in->Finish().ok());

  EXPECT_FALSE(JsonInput::Parse("{").ok());
  EXPECT_FALSE(JsonInput::Parse("[1]").ok());
  EXPECT_FALSE(JsonInput::Parse("").ok());
  EXPECT_FALSE(JsonInput::Parse("{\"a\":\"\xff\"}").ok());
  // A number too large for a double is a 400, not an exception (found by
  // the request fuzzer).
  EXPECT_FALSE(JsonInput::Parse("1e11112\"\x02\x11").ok());
  EXPECT_FALSE(JsonInput::Parse("{\"n\": 1e99999}").ok());
  auto t = JsonInput::Parse(R"({"n":"5","m":5.5,"big":99999999999999999999})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Int("n", 0, 10).status().field(), "n");
  EXPECT_EQ(t->Int("m", 0, 10).status().field(), "m");
  EXPECT_EQ(t->Int("big", 0, 10).status().field(), "big");
  EXPECT_EQ(t->String("missing").status().field(), "missing");
}

TEST(CodecTest, HouseholdRoundTripAndValidation) {
  auto geo = geo::Geography::Load();
  ASSERT_TRUE(geo.ok());
  registry::Household h;
  h.id = "H-1";
  h.soum_code = 18140;
  h.current_soum_code = 18140;
  h.herder = true;
  h.herd.head[3] = 100;
  json j = HouseholdToJson(h);
  auto in = JsonInput(j, "");
  auto back = HouseholdFromJson(in, **geo);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, h);
  j["soum_code"] = 99999;
  auto bad = JsonInput(j, "household.");
  EXPECT_EQ(HouseholdFromJson(bad, **geo).status().code(),
            StatusCode::kInvalidArgument);
  j["soum_code"] = 18140;
  j["sheeps"] = 1;
  auto unknown = JsonInput(j, "");
  EXPECT_EQ(HouseholdFromJson(unknown, **geo).status().field(), "sheeps");
}

// Every route is in the document and every documented operation is a route.
TEST(OpenApiTest, DocumentMatchesTheRouter) {
  http::Router router;
  Services services;
  BuildApi(&router, &services);
  json doc = json::parse(OpenApiDocument(router));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::pair<std::string, std::string>> routes, documented;
  for (const auto& r : router.routes()) {
    std::string m = r.method;
    for (char& c : m) c = static_cast<char>(tolower(c));
    routes.insert({r.pattern, m});
    EXPECT_FALSE(r.doc.summary.empty()) << r.pattern;
  }
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      documented.insert({path, method});
      EXPECT_TRUE(op.contains("responses")) << path;
    }
  }
  EXPECT_EQ(routes, documented);
  // The required endpoints exist.
  for (const char* p :
       {"/api/v1/session", "/api/v1/persons/{register_no}",
        "/api/v1/households/{household_id}", "/api/v1/households", "/health",
        "/ready", "/api/openapi.json"}) {
    EXPECT_TRUE(doc["paths"].contains(p)) << p;
  }
}

TEST(BatchingReadRecorderTest, ReadsReachTheTrailOnFlushAndAtClose) {
  auto db =
      backends::testing::TestDatabase::Make(backends::testing::ApiTestEngine());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto open = [&db] { return (*db)->Connect(); };
  {
    auto recorder = BatchingReadRecorder::Open(open);
    ASSERT_TRUE(recorder.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*recorder)
                      ->Record({{"bold", "ИЗ8512032" + std::to_string(i), "T1",
                                 "test", ""}})
                      .ok());
    }
    (*recorder)->Flush();
    auto s = open();
    EXPECT_EQ((*s)->ListAudit({})->size(), 3u);
    ASSERT_TRUE(
        (*recorder)->Record({{"bold", "ИЗ85120329", "T1", "t", ""}}).ok());
  }  // Closing writes what is pending.
  auto s = open();
  auto all = (*s)->ListAudit({});
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[3].action, "person.read");
  EXPECT_TRUE((*s)->VerifyAudit()->ok());
}

TEST(BatchingReadRecorderTest, AReadIsAnsweredOnlyOnceItIsInTheTrail) {
  // The writer fails while the disk is full, then recovers by itself.
  std::atomic<bool> full{true};
  std::atomic<int> written{0};
  auto recorder = BatchingReadRecorder::WithWriter(
      [&](const std::vector<store::PersonRead>& batch) -> Status {
        if (full) return Status::ResourceExhausted("database or disk is full");
        written += static_cast<int>(batch.size());
        return Status::Ok();
      });
  Status refused = recorder->Record({{"bold", "ИЗ85120320", "T1", "t", ""}});
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable) << refused.ToString();
  EXPECT_EQ(written, 0);
  full = false;  // Space again: the next read goes through, no restart.
  EXPECT_TRUE(recorder->Record({{"bold", "ИЗ85120320", "T1", "t", ""}}).ok());
  EXPECT_EQ(written, 1);
  // Many readers at once: each returns only after its own read is written.
  std::vector<std::thread> readers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i) {
    readers.emplace_back([&] {
      if (recorder->Record({{"bold", "ИЗ85120320", "T1", "t", ""}}).ok()) {
        ok++;
      }
      EXPECT_GE(written.load(), 1);
    });
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(ok, 16);
  EXPECT_EQ(written, 17);
}

}  // namespace
}  // namespace malchin::api
