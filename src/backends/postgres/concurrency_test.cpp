// Sessions racing each other: retries after serialization failures and
// deadlocks, and Lock serializing transactions across connections.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "backends/postgres/test_fixture.h"

namespace malchin::backends::postgres {
namespace {

using ConcurrencyTest = PgTest;

// A statement that fails with SQLSTATE 40001 (serialization failure) the
// first `times` times it runs in this database, whichever transaction runs
// it: the count lives in a sequence, which no rollback undoes.
void InstallFlakyStatement(PgTest& t, PgSession& s, int times) {
  (void)t;
  Result<pqxx::result> r = s.ExecuteOnce(
      "CREATE SEQUENCE flaky_runs; CREATE FUNCTION flaky() RETURNS void "
      "LANGUAGE plpgsql AS $$ BEGIN IF nextval('flaky_runs') <= " +
      std::to_string(times) +
      " THEN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = "
      "'40001'; END IF; END $$");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(ConcurrencyTest, ABodyThatLostASerializationRaceRunsAgain) {
  auto a = Session();
  InstallFlakyStatement(*this, *a, 1);
  int runs = 0;
  Status s = a->Write([&]() -> Status {
    ++runs;
    MALCHIN_RETURN_IF_ERROR(a->SetMeta("k", "run " + std::to_string(runs)));
    return a->Prepared("test.flaky", "SELECT flaky()").status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(a->GetMeta("k").value(), "run 2");  // The first run left nothing.
}

TEST_F(ConcurrencyTest, RetriesAreBoundedAndTheLastErrorIsReturned) {
  auto a = Session();
  InstallFlakyStatement(*this, *a, 1000);
  int runs = 0;
  Status s = a->Write([&]() -> Status {
    ++runs;
    return a->Prepared("test.flaky", "SELECT flaky()").status();
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("could not serialize"), std::string::npos);
  EXPECT_EQ(runs, 8);
}

TEST_F(ConcurrencyTest, OtherErrorsAreNotRetried) {
  auto a = Session();
  ASSERT_TRUE(a->SetMeta("k", "v").ok());
  int runs = 0;
  Status s = a->Write([&]() -> Status {
    ++runs;
    return a->Prepared("test.dup", "INSERT INTO meta VALUES ('k', 'again')")
        .status();
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(runs, 1);
}

// Two sessions take two locks in opposite orders: PostgreSQL finds the
// deadlock, fails one transaction with 40P01, and its body runs again once
// the other has committed. Both bodies succeed in the end.
TEST_F(ConcurrencyTest, ADeadlockBetweenTwoSessionsIsRetried) {
  auto a = Session();
  auto b = Session();
  for (PgSession* s : {a.get(), b.get()}) {
    Sql(*s, "SET deadlock_timeout = '20ms'");  // Find it quickly.
  }
  std::latch both_hold_one(2);
  std::atomic<int> runs{0};
  auto body = [&](PgSession& s, const char* first, const char* second) {
    return s.Write([&, first_run = true]() mutable -> Status {
      runs.fetch_add(1);
      MALCHIN_RETURN_IF_ERROR(s.Lock(first));
      if (first_run) both_hold_one.arrive_and_wait();
      first_run = false;
      MALCHIN_RETURN_IF_ERROR(s.Lock(second));
      return s.SetMeta(first, second);
    });
  };
  Status sa, sb;
  std::thread ta([&] { sa = body(*a, "x", "y"); });
  std::thread tb([&] { sb = body(*b, "y", "x"); });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa.ToString();
  EXPECT_TRUE(sb.ok()) << sb.ToString();
  EXPECT_EQ(runs.load(), 3);
  EXPECT_EQ(a->GetMeta("x").value(), "y");
  EXPECT_EQ(a->GetMeta("y").value(), "x");
}

TEST_F(ConcurrencyTest, ALockIsHeldAgainstOtherSessionsUntilTheEnd) {
  auto a = Session();
  auto b = Session();
  auto b_could_take = [&](std::string_view name) {
    bool got = false;
    EXPECT_TRUE(b->Write([&]() -> Status {
                   MALCHIN_ASSIGN_OR_RETURN(
                       pqxx::result r,
                       b->Prepared("test.try_lock",
                                   "SELECT pg_try_advisory_xact_lock($1)",
                                   LockKey(name)));
                   got = PgBool(r[0][0]);
                   return Status::Ok();
                 }).ok());
    return got;
  };
  ASSERT_TRUE(a->Write([&]() -> Status {
                 MALCHIN_RETURN_IF_ERROR(a->Lock("plan:P1"));
                 EXPECT_FALSE(b_could_take("plan:P1"));
                 EXPECT_TRUE(b_could_take("plan:P2"));
                 return Status::Ok();
               }).ok());
  EXPECT_TRUE(b_could_take("plan:P1"));
  EXPECT_EQ(a->Lock("plan:P1").code(), StatusCode::kInternal);  // No Write.
}

// Read-modify-write of one counter from several sessions: under Lock no
// increment is lost (at READ COMMITTED, without it, two sessions would read
// the same value and one increment would vanish).
TEST_F(ConcurrencyTest, LockSerializesReadModifyWrite) {
  constexpr int kThreads = 3;
  constexpr int kIncrements = 40;
  ASSERT_TRUE(Session()->SetMeta("counter", "0").ok());
  std::vector<std::unique_ptr<PgSession>> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(Session());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (auto& s : sessions) {
    threads.emplace_back([&s, &failures] {
      for (int i = 0; i < kIncrements; ++i) {
        Status st = s->Write([&]() -> Status {
          MALCHIN_RETURN_IF_ERROR(s->Lock("counter"));
          Result<std::optional<std::string>> v = s->GetMeta("counter");
          if (!v.ok()) return v.status();
          int n = std::stoi(v->value_or("0"));
          return s->SetMeta("counter", std::to_string(n + 1));
        });
        if (!st.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Session()->GetMeta("counter").value(),
            std::to_string(kThreads * kIncrements));
}

}  // namespace
}  // namespace malchin::backends::postgres
