// PgSession: transactions, prepared statements, meta, area scoping,
// repositories, read-only databases.
#include "backends/postgres/session.h"

#include <gtest/gtest.h>

#include "backends/postgres/open.h"
#include "backends/postgres/test_fixture.h"

namespace malchin::backends::postgres {
namespace {

using SessionTest = PgTest;

std::optional<std::string> Meta(PgSession& s, std::string_view key) {
  return s.GetMeta(key).value();
}

TEST_F(SessionTest, WriteCommitsForEveryone) {
  auto a = Session();
  auto b = Session();
  ASSERT_TRUE(a->Write([&] { return a->SetMeta("k", "v1"); }).ok());
  EXPECT_EQ(Meta(*b, "k"), "v1");
  EXPECT_TRUE(a->SetMeta("k", "v2").ok());  // Alone: autocommit; an upsert.
  EXPECT_EQ(Meta(*b, "k"), "v2");
  EXPECT_EQ(Meta(*b, "missing"), std::nullopt);
}

TEST_F(SessionTest, AFailingBodyRollsBackAndItsStatusIsReturned) {
  auto a = Session();
  Status s = a->Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(a->SetMeta("k", "v"));
    return Status::NotFound("plan P9");
  });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_FALSE(a->in_transaction());
  EXPECT_EQ(Meta(*Session(), "k"), std::nullopt);
}

TEST_F(SessionTest, NestedWritesJoinTheOuterOne) {
  auto a = Session();
  Status s = a->Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(a->SetMeta("outer", "1"));
    MALCHIN_RETURN_IF_ERROR(a->Write([&] { return a->SetMeta("inner", "1"); }));
    EXPECT_TRUE(a->in_write());
    return Status::Conflict("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  auto b = Session();
  EXPECT_EQ(Meta(*b, "outer"), std::nullopt);
  EXPECT_EQ(Meta(*b, "inner"), std::nullopt);
}

TEST_F(SessionTest, AReadInsideAWriteSeesItsWrites) {
  auto a = Session();
  ASSERT_TRUE(a->Write([&]() -> Status {
                 MALCHIN_RETURN_IF_ERROR(a->SetMeta("k", "mine"));
                 return a->Read([&]() -> Status {
                   EXPECT_EQ(Meta(*a, "k"), "mine");
                   return Status::Ok();
                 });
               }).ok());
}

TEST_F(SessionTest, WritesAreReadCommittedAndReadsOneReadOnlySnapshot) {
  auto a = Session();
  auto b = Session();
  ASSERT_TRUE(a->SetMeta("k", "before").ok());
  ASSERT_TRUE(a->Write([&] {
                 EXPECT_EQ(One(*a, "SHOW transaction_isolation"),
                           "read committed");
                 EXPECT_EQ(One(*a, "SHOW transaction_read_only"), "off");
                 return Status::Ok();
               }).ok());
  Status s = a->Read([&]() -> Status {
    EXPECT_EQ(One(*a, "SHOW transaction_isolation"), "repeatable read");
    EXPECT_EQ(Meta(*a, "k"), "before");
    EXPECT_TRUE(b->SetMeta("k", "after").ok());
    EXPECT_EQ(Meta(*a, "k"), "before");  // The snapshot of the first read.
    Status write = a->SetMeta("k", "inside a read");
    EXPECT_EQ(write.code(), StatusCode::kFailedPrecondition)
        << write.ToString();
    return write;
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Meta(*a, "k"), "after");
}

TEST_F(SessionTest, AWriteInsideAReadIsRefused) {
  auto a = Session();
  Status s = a->Read([&] { return a->Write([] { return Status::Ok(); }); });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
}

TEST_F(SessionTest, ATransactionWithAnIgnoredErrorNeverCommits) {
  auto a = Session();
  Status s = a->Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(a->SetMeta("k", "v"));
    Status bad = a->Prepared("test.bad", "SELECT 1 / 0").status();
    EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument) << bad.ToString();
    return Status::Ok();  // As if nothing happened.
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("division by zero"), std::string::npos)
      << s.message();
  EXPECT_EQ(Meta(*Session(), "k"), std::nullopt);
}

TEST_F(SessionTest, StatementsArePreparedOncePerConnection) {
  auto a = Session();
  auto server_side = [&] {
    return One(*a, "SELECT count(*) FROM pg_prepared_statements");
  };
  ASSERT_TRUE(a->SetMeta("k", "v").ok());
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Meta(*a, "k"), "v");
    ASSERT_TRUE(a->SetMeta("k", "v").ok());
  }
  EXPECT_EQ(a->prepares(), 2);
  EXPECT_EQ(server_side(), "2");
  EXPECT_EQ(One(*a,
                "SELECT string_agg(name, ',' ORDER BY name) FROM "
                "pg_prepared_statements"),
            "malchin.meta_get,malchin.meta_set");
  // Another session prepares its own.
  auto b = Session();
  EXPECT_EQ(Meta(*b, "k"), "v");
  EXPECT_EQ(b->prepares(), 1);
}

TEST_F(SessionTest, ANameIsOneSqlText) {
  auto a = Session();
  ASSERT_TRUE(a->Prepared("test.x", "SELECT 1").ok());
  auto other = a->Prepared("test.x", "SELECT 2");
  EXPECT_EQ(other.status().code(), StatusCode::kInternal);
  EXPECT_NE(other.status().message().find("test.x"), std::string::npos);
}

TEST_F(SessionTest, NullsTravelAsEmptyOptionals) {
  auto a = Session();
  auto r = a->Prepared("test.nulls", "SELECT $1::text IS NULL, $2::bigint, $3",
                       std::optional<std::string>(), std::optional<int64_t>(7),
                       std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(PgBool((*r)[0][0]));
  EXPECT_EQ(PgOptInt((*r)[0][1]), 7);
  EXPECT_EQ(PgOptText((*r)[0][2]), std::nullopt);
}

TEST_F(SessionTest, DatesBooleansAndRealsReadBack) {
  auto a = Session();
  auto r = a->Prepared("test.values", "SELECT $1::date + 1, $2::boolean, $3",
                       Date::FromYmd(2024, 2, 28), false, 0.1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(PgDate((*r)[0][0]), Date::FromYmd(2024, 2, 29));
  EXPECT_FALSE(PgBool((*r)[0][1]));
  EXPECT_EQ(PgReal((*r)[0][2]), 0.1);
}

TEST_F(SessionTest, AreaScopesTheCallersPartOfTheCountry) {
  auto a = Session();
  Sql(*a,
      "CREATE TABLE t (soum_code integer); INSERT INTO t VALUES (18140), "
      "(18225), (18201), (11001)");
  auto count = [&](const store::AreaFilter& requested) -> int64_t {
    PgArea area = a->Area(requested, "soum_code", 2);
    auto r = a->Prepared(
        "test.area" + area.key,
        "SELECT count(*) FROM t WHERE soum_code > $1 AND " + area.sql, 0,
        area.value);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? PgInt((*r)[0][0]) : -1;
  };
  EXPECT_EQ(count({}), 4);
  EXPECT_EQ(count(store::AreaFilter::FromCode(182)), 2);
  EXPECT_EQ(count(store::AreaFilter::FromCode(18140)), 1);
  a->SetCaller(
      {"soum officer", "soum_officer", store::AreaFilter::FromCode(18225)});
  EXPECT_EQ(count({}), 1);
  EXPECT_EQ(count(store::AreaFilter::FromCode(182)), 1);
  EXPECT_EQ(count(store::AreaFilter::FromCode(18140)), 0);  // Outside.
  EXPECT_EQ(a->Area(store::AreaFilter::FromCode(181)).key, "#0");
}

struct Greeter : store::Repository {
  explicit Greeter(PgSession& s) : session(s) {}
  PgSession& session;
};
struct Unregistered : store::Repository {};

TEST_F(SessionTest, RepositoriesComeFromTheFactoriesOncePerSession) {
  PgFactories factories;
  int made = 0;
  factories.Add<Greeter>([&made](PgSession& s) {
    ++made;
    return std::make_unique<Greeter>(s);
  });
  auto conn =
      Connect(PgTarget::From(store::ParseDatabaseUrl(db_->url()).value()));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  PgSession s(std::move(*conn),
              std::make_shared<PgTarget>(
                  PgTarget::From(store::ParseDatabaseUrl(db_->url()).value())),
              "key", false, &factories);
  Greeter& g = s.Get<Greeter>();
  EXPECT_EQ(&g.session, &s);
  EXPECT_EQ(&s.Get<Greeter>(), &g);
  EXPECT_EQ(made, 1);
  EXPECT_DEATH(s.Get<Unregistered>(),
               "no implementation of the repository .*Unregistered");
}

TEST_F(SessionTest, TheDatabaseSaysWhatItIs) {
  EXPECT_EQ(db_->db().engine(), store::Engine::kPostgres);
  EXPECT_EQ(db_->db().schema_version(), Migrations().back().version);
  EXPECT_GT(db_->db().SizeBytes().value(), 0);
  auto a = Session();
  auto b = Session();
  EXPECT_EQ(a->database_key(), b->database_key());
  EXPECT_EQ(a->database_key().rfind("postgresql://127.0.0.1:", 0), 0u)
      << a->database_key();
  EXPECT_EQ(a->caller().actor, "system");
  EXPECT_TRUE(a->caller().area.national());
}

TEST_F(SessionTest, AReadOnlyDatabaseRefusesWrites) {
  ASSERT_TRUE(db_->Reopen({.read_only = true}).ok());
  auto a = Session();
  EXPECT_EQ(a->Write([] { return Status::Ok(); }).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(a->SetMeta("k", "v").code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(a->Read([] { return Status::Ok(); }).ok());
}

TEST_F(SessionTest, SessionsUseTheClockOfTheOptions) {
  FakeClock clock(Date::FromYmd(2031, 5, 6));
  ASSERT_TRUE(db_->Reopen({.clock = &clock}).ok());
  auto a = Session();
  EXPECT_EQ(a->clock().NowIso(), "2031-05-06T00:00:00Z");
  store::AuditEntry e;
  e.action = "test.clock";
  e.entity_type = "meta";
  e.entity_id = "k";
  ASSERT_TRUE(a->Write([&] { return a->Audit(e).status(); }).ok());
  EXPECT_EQ(a->ListAudit({}).value().at(0).at, "2031-05-06T00:00:00Z");
}

TEST_F(SessionTest, IdsAreReservedFromTheColumnsSequence) {
  auto a = Session();
  std::vector<int64_t> ids;
  ASSERT_TRUE(a->Write([&]() -> Status {
                 MALCHIN_ASSIGN_OR_RETURN(ids,
                                          a->ReserveIds("imports", "id", 3));
                 return Status::Ok();
               }).ok());
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_EQ(One(*a,
                "INSERT INTO imports (at, actor, source, households_inserted, "
                "households_updated, persons_inserted, persons_updated) "
                "VALUES ('t', 'a', 's', 0, 0, 0, 0) RETURNING id"),
            std::to_string(ids[2] + 1));
  EXPECT_EQ(a->ReserveIds("imports", "id", 1).status().code(),
            StatusCode::kInternal);  // Outside a Write.
}

}  // namespace
}  // namespace malchin::backends::postgres
