#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/jobs.h"
#include "http/message.h"
#include "http/router.h"
#include "http/static_files.h"

namespace malchin::http {
namespace {

Route R(std::string method, std::string pattern, std::string tag) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = [tag](Request&) { return Response::Text(200, tag); };
  return r;
}

TEST(RouterTest, MatchesLiteralsParamsAndMethods) {
  Router router;
  router.Add(R("GET", "/api/v1/households", "list"));
  router.Add(R("GET", "/api/v1/households/{household_id}", "get"));
  router.Add(R("PUT", "/api/v1/households/{household_id}", "put"));
  router.Add(R("GET", "/api/v1/households/export", "export"));
  auto m = router.Find("GET", "/api/v1/households/H-1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("household_id"), "H-1");
  m = router.Find("GET", "/api/v1/households/export");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/households/export");
  EXPECT_EQ(router.Find("HEAD", "/api/v1/households").status, 200);
  m = router.Find("DELETE", "/api/v1/households/H-1");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.allow, "GET, PUT");
  EXPECT_EQ(router.Find("GET", "/api/v1/households/").status, 404);
  EXPECT_EQ(router.Find("GET", "/api/v1/nothing").status, 404);
  EXPECT_EQ(router.Find("GET", "/api/v1/households/a/b").status, 404);
}

TEST(MessageTest, ParseTargetDecodesAndRejectsBadInput) {
  std::string path;
  std::multimap<std::string, std::string> q;
  ASSERT_TRUE(
      ParseTarget("/api/v1/households?q=%D0%91%D0%B0%D1%82+x&page=2", &path, &q)
          .ok());
  EXPECT_EQ(path, "/api/v1/households");
  EXPECT_EQ(q.find("q")->second, "Бат x");
  EXPECT_EQ(q.find("page")->second, "2");
  EXPECT_FALSE(ParseTarget("/a?q=%ZZ", &path, &q).ok());
  EXPECT_FALSE(ParseTarget("/a?q=%", &path, &q).ok());
  EXPECT_FALSE(ParseTarget("/a?q=%FF", &path, &q).ok());  // Not UTF-8.
  EXPECT_FALSE(ParseTarget("a", &path, &q).ok());
  EXPECT_FALSE(ParseTarget("/%C0%80", &path, &q).ok());  // Overlong.
}

TEST(MessageTest, ErrorBodiesAreStableJsonAndHideInternals) {
  Response r = ErrorResponse(Status::InvalidArgument("bad sex", "sex"), "r1");
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(j["error"]["field"], "sex");
  r = ErrorResponse(Status::Internal("SQL: no such table x"), "r42");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("SQL"), std::string::npos);
  EXPECT_NE(r.body.find("r42"), std::string::npos);
  EXPECT_EQ(ErrorResponse(Status::Conflict("stale")).status, 412);
}

TEST(StaticFilesTest, EtagsAndCaching) {
  StaticFiles files;
  files.Add("/index.html", "<html></html>");
  files.Add("/assets/app.0123abcd.js", "x");
  Request req;
  req.path = "/";
  auto r = files.Serve(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->GetHeader("Cache-Control"), "no-cache");
  std::string etag(r->GetHeader("ETag"));
  req.headers["if-none-match"] = etag;
  EXPECT_EQ(files.Serve(req)->status, 304);
  req.headers.clear();
  req.path = "/assets/app.0123abcd.js";
  EXPECT_NE(files.Serve(req)->GetHeader("Cache-Control").find("immutable"),
            std::string::npos);
  req.path = "/missing";
  EXPECT_FALSE(files.Serve(req));
}

TEST(JobPoolTest, RunsJobsAndReportsProgressAndFailures) {
  JobPool pool(1, 2, [] { return std::make_unique<WorkerContext>(); });
  auto ok = pool.Submit("test", "bold", [](WorkerContext&, JobProgress& p) {
    p.Set(0.5, "half");
    return Result<std::string>(std::string("{\"n\":1}"));
  });
  auto bad = pool.Submit("test", "bold", [](WorkerContext&, JobProgress&) {
    return Result<std::string>(Status::InvalidArgument("no"));
  });
  ASSERT_TRUE(ok.ok() && bad.ok());
  for (int i = 0; i < 200; ++i) {
    auto a = pool.Get(*ok), b = pool.Get(*bad);
    if (a->state == "done" && b->state == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(pool.Get(*ok)->result_json, "{\"n\":1}");
  EXPECT_EQ(pool.Get(*bad)->error.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(pool.Get("nope"));
}

TEST(JobPoolTest, FullQueueIsRefusedAtOnce) {
  std::atomic<bool> release{false};
  JobPool pool(1, 1, [] { return std::make_unique<WorkerContext>(); });
  auto block = [&release](WorkerContext&, JobProgress&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return Result<std::string>(std::string("{}"));
  };
  ASSERT_TRUE(pool.Submit("a", "x", block).ok());
  // The first may still be queued or already running; fill to the limit.
  Status last;
  for (int i = 0; i < 3; ++i) last = pool.Submit("b", "x", block).status();
  EXPECT_EQ(last.code(), StatusCode::kUnavailable);
  release = true;
}

}  // namespace
}  // namespace malchin::http
