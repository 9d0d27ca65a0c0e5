// The audit chain on PostgreSQL: appending, listing, verifying, and
// concurrent appenders from several sessions (no gap, no fork).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "backends/postgres/test_fixture.h"

namespace malchin::backends::postgres {
namespace {

using AuditTest = PgTest;

store::AuditEntry Entry(std::string action, std::string id,
                        std::optional<std::string> register_no = {}) {
  store::AuditEntry e;
  e.action = std::move(action);
  e.entity_type = register_no ? "person" : "household";
  e.entity_id = std::move(id);
  e.register_no = std::move(register_no);
  e.after_json = R"({"x":1})";
  return e;
}

Status AppendAll(store::Session& s, std::vector<store::AuditEntry> entries) {
  return s.Write([&]() -> Status {
    for (store::AuditEntry& e : entries) {
      MALCHIN_RETURN_IF_ERROR(s.Audit(e).status());
    }
    return Status::Ok();
  });
}

std::vector<int64_t> Seqs(const std::vector<store::AuditRecord>& records) {
  std::vector<int64_t> out;
  for (const auto& r : records) out.push_back(r.seq);
  return out;
}

TEST_F(AuditTest, AppendsAChainThatVerifies) {
  auto a = Session();
  a->SetCaller({"bold", "soum_officer", {}});
  ASSERT_TRUE(
      AppendAll(*a, {Entry("household.create", "A1"),
                     Entry("person.update", "ИЗ85120320", "ИЗ85120320")})
          .ok());
  auto records = a->ListAudit({});
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  const store::AuditRecord& first = (*records)[0];
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.actor, "bold");
  EXPECT_EQ(first.prev_hash, store::AuditGenesis());
  EXPECT_EQ(first.register_no, std::nullopt);
  EXPECT_EQ(first.before_json, std::nullopt);
  EXPECT_EQ((*records)[1].prev_hash, first.hash);
  EXPECT_EQ((*records)[1].register_no, "ИЗ85120320");
  auto check = a->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problem;
  EXPECT_EQ(check->entries, 2);
  EXPECT_EQ(a->Audit(Entry("x", "y")).status().code(), StatusCode::kInternal);
}

TEST_F(AuditTest, ListsWithTheFiltersOfAuditQuery) {
  auto a = Session();
  Sql(*a,
      "INSERT INTO households (hh, id, soum_code, current_soum_code, herder) "
      "VALUES (1, 'A1', 18140, 18140, true); INSERT INTO persons (hh, "
      "aimag_code, register_no, father_name, given_name, sex, born, "
      "relation, disability, herder) VALUES (1, 181, 'ИЗ85120320', 'Бат', "
      "'Болд', 'M', 5000, 'head', false, true)");
  std::vector<store::AuditEntry> entries = {
      Entry("household.create", "A1"), Entry("household.create", "B2"),
      Entry("person.read", "ИЗ85120320", "ИЗ85120320"),
      Entry("person.read", "ИБ70010152", "ИБ70010152")};
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].actor = i % 2 ? "tuya" : "bold";
    entries[i].at = "2025-03-0" + std::to_string(i + 1) + "T10:00:00Z";
  }
  ASSERT_TRUE(AppendAll(*a, entries).ok());
  // The seqs listed for the query that `set` fills in.
  auto list = [&](const std::function<void(store::AuditQuery&)>& set) {
    store::AuditQuery q;
    set(q);
    return Seqs(a->ListAudit(q).value());
  };
  using V = std::vector<int64_t>;
  using Q = store::AuditQuery;
  EXPECT_EQ(list([](Q&) {}), (V{1, 2, 3, 4}));
  EXPECT_EQ(list([](Q& q) { q.actor = "tuya"; }), (V{2, 4}));
  EXPECT_EQ(list([](Q& q) { q.register_no = "ИЗ85120320"; }), (V{3}));
  EXPECT_EQ(list([](Q& q) { q.household_id = "A1"; }), (V{1, 3}));
  EXPECT_EQ(list([](Q& q) {
              q.from = "2025-03-02T00:00:00Z";
              q.to = "2025-03-03T10:00:00Z";
            }),
            (V{2, 3}));
  EXPECT_EQ(list([](Q& q) {
              q.actor = "bold";
              q.after_seq = 1;
            }),
            (V{3}));
  EXPECT_EQ(list([](Q& q) { q.limit = 2; }), (V{1, 2}));
  EXPECT_EQ(list([](Q& q) {
              q.after_seq = 2;
              q.limit = 0;  // Clamped to 1.
            }),
            (V{3}));
}

// Several sessions append at once, each in its own transactions: every
// appender waits for the chain's end, so the entries form one chain with
// seq 1..n, and it verifies.
TEST_F(AuditTest, ConcurrentAppendersLeaveNeitherGapNorFork) {
  constexpr int kThreads = 4;
  constexpr int kWrites = 15;
  std::vector<std::unique_ptr<PgSession>> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(Session());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int w = 0; w < kWrites; ++w) {
        std::string id = std::to_string(t) + "-" + std::to_string(w);
        Status s =
            AppendAll(*sessions[t], {Entry("test.a", id), Entry("test.b", id)});
        if (!s.ok()) {
          ADD_FAILURE() << s.ToString();
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto check = Session()->VerifyAudit();
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->ok()) << check->problem;
  EXPECT_EQ(check->entries, kThreads * kWrites * 2);
  // The two entries of one transaction are neighbours.
  store::AuditQuery all;
  all.limit = 1000;
  auto records = Session()->ListAudit(all).value();
  for (size_t i = 0; i + 1 < records.size(); i += 2) {
    EXPECT_EQ(records[i].entity_id, records[i + 1].entity_id);
  }
}

TEST_F(AuditTest, VerifyReadsTheChainInPagesAndFindsTampering) {
  auto a = Session();
  std::vector<store::PersonRead> reads(2500);
  for (size_t i = 0; i < reads.size(); ++i) {
    reads[i] = {"bold", "ИЗ" + std::to_string(10000000 + i), "A1", "GET", ""};
  }
  ASSERT_TRUE(a->RecordPersonReads(reads).ok());
  auto check = a->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problem;
  EXPECT_EQ(check->entries, 2500);
  // Only by switching the trigger off (an owner's deliberate act) can an
  // entry change; the chain then shows where.
  Sql(*a,
      "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; UPDATE "
      "audit_log SET actor = 'mallory' WHERE seq = 1500; ALTER TABLE "
      "audit_log ENABLE TRIGGER audit_log_append_only");
  check = a->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->first_bad_seq, 1500);
  EXPECT_EQ(check->entries, 2500);
}

TEST_F(AuditTest, TheTrailRefusesUpdateDeleteAndTruncate) {
  auto a = Session();
  ASSERT_TRUE(AppendAll(*a, {Entry("test", "1")}).ok());
  for (const char* sql : {"UPDATE audit_log SET actor = 'x'",
                          "DELETE FROM audit_log", "TRUNCATE audit_log"}) {
    Result<pqxx::result> r = a->ExecuteOnce(sql);
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << sql;
    EXPECT_NE(r.status().message().find("append-only"), std::string::npos)
        << r.status().message();
  }
  EXPECT_TRUE(a->VerifyAudit()->ok());
}

}  // namespace
}  // namespace malchin::backends::postgres
