// The engine-independent parts of Session, on an in-memory fake engine:
// transactions join, roll back and retry; the audit chain links; scoping.
#include "store/session.h"

#include <gtest/gtest.h>

#include <map>

namespace malchin::store {
namespace {

class FakeSession : public Session {
 public:
  Engine engine() const override { return Engine::kSqlite; }
  const std::string& database_key() const override { return key_; }
  Status Lock(std::string_view) override { return Status::Ok(); }
  Result<std::vector<AuditRecord>> ListAudit(const AuditQuery&) override {
    return committed_;
  }
  Result<std::optional<std::string>> GetMeta(std::string_view k) override {
    auto it = meta_.find(std::string(k));
    if (it == meta_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Status SetMeta(std::string_view k, std::string_view v) override {
    meta_[std::string(k)] = std::string(v);
    return Status::Ok();
  }

  int begins = 0, commits = 0, rollbacks = 0;
  int fail_commits = 0;  // Commits that fail as retryable.
  std::vector<AuditRecord> committed_, pending_;

 protected:
  Status Begin(bool) override {
    ++begins;
    pending_ = committed_;
    return Status::Ok();
  }
  Status Commit() override {
    if (fail_commits > 0) {
      --fail_commits;
      retryable_ = true;
      return Status::Unavailable("serialization failure");
    }
    ++commits;
    committed_ = pending_;
    return Status::Ok();
  }
  void Rollback() override { ++rollbacks; }
  bool TakeRetryable() override { return std::exchange(retryable_, false); }
  Result<std::optional<std::pair<int64_t, std::string>>> AuditHead() override {
    if (pending_.empty()) {
      return std::optional<std::pair<int64_t, std::string>>();
    }
    return std::optional<std::pair<int64_t, std::string>>(
        std::make_pair(pending_.back().seq, pending_.back().hash));
  }
  Status InsertAudit(const AuditRecord& r) override {
    pending_.push_back(r);
    return Status::Ok();
  }
  Status ForEachAudit(
      const std::function<void(const AuditRecord&)>& fn) override {
    for (const auto& r : committed_) fn(r);
    return Status::Ok();
  }
  std::unique_ptr<Repository> MakeRepository(std::type_index) override {
    return std::make_unique<Repository>();
  }

 private:
  std::string key_ = "fake";
  std::map<std::string, std::string> meta_;
  bool retryable_ = false;
};

AuditEntry Entry(std::string action) {
  AuditEntry e;
  e.action = std::move(action);
  e.entity_type = "test";
  e.entity_id = "1";
  return e;
}

TEST(SessionTest, NestedWritesJoinAndFailuresRollBack) {
  FakeSession s;
  ASSERT_TRUE(s.Write([&] {
                 EXPECT_TRUE(s.in_write());
                 return s.Write([&] { return s.Audit(Entry("a")).status(); });
               }).ok());
  EXPECT_EQ(s.begins, 1);
  EXPECT_EQ(s.commits, 1);
  Status failed = s.Write([&]() -> Status {
    EXPECT_TRUE(s.Audit(Entry("b")).ok());
    return Status::InvalidArgument("no");
  });
  EXPECT_EQ(failed.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.rollbacks, 1);
  EXPECT_EQ(s.committed_.size(), 1u);
  EXPECT_FALSE(s.in_transaction());
}

TEST(SessionTest, RetryableFailuresRunTheBodyAgain) {
  FakeSession s;
  s.fail_commits = 2;
  int runs = 0;
  ASSERT_TRUE(s.Write([&] {
                 ++runs;
                 return s.Audit(Entry("x")).status();
               }).ok());
  EXPECT_EQ(runs, 3);
  ASSERT_EQ(s.committed_.size(), 1u);
  EXPECT_EQ(s.committed_[0].seq, 1);
}

TEST(SessionTest, AuditChainsEntriesAndVerifies) {
  FakeSession s;
  Caller c;
  c.actor = "officer";
  s.SetCaller(c);
  FakeClock clock(Date::FromYmd(2020, 1, 2));
  s.SetClock(&clock);
  ASSERT_TRUE(s.Write([&]() -> Status {
                 MALCHIN_RETURN_IF_ERROR(s.Audit(Entry("a")).status());
                 return s.Audit(Entry("b")).status();
               }).ok());
  ASSERT_EQ(s.committed_.size(), 2u);
  EXPECT_EQ(s.committed_[1].prev_hash, s.committed_[0].hash);
  EXPECT_EQ(s.committed_[0].actor, "officer");
  EXPECT_EQ(s.committed_[0].at, "2020-01-02T00:00:00Z");
  auto ok = s.VerifyAudit();
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok());
  s.committed_[0].actor = "someone else";
  auto broken = s.VerifyAudit();
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(broken->first_bad_seq, 1);
  EXPECT_FALSE(s.Audit(Entry("outside")).ok());  // No transaction.
}

TEST(SessionTest, ScopesNarrowAndWidenOnlyOnPurpose) {
  FakeSession s;
  Caller c;
  c.area = AreaFilter::FromCode(181);
  s.SetCaller(c);
  EXPECT_EQ(*s.Scope(), AreaFilter::FromCode(181));
  EXPECT_FALSE(s.Scope(AreaFilter::FromCode(182)).has_value());
  {
    auto narrow = NarrowScope::Make(s, AreaFilter::FromCode(18140));
    ASSERT_TRUE(narrow.ok());
    EXPECT_EQ(s.caller().area, AreaFilter::FromCode(18140));
  }
  EXPECT_EQ(s.caller().area, AreaFilter::FromCode(181));
  EXPECT_FALSE(NarrowScope::Make(s, AreaFilter::FromCode(182)).ok());
  {
    SystemScope all(s);
    EXPECT_TRUE(s.caller().area.national());
  }
  EXPECT_EQ(s.caller().area, AreaFilter::FromCode(181));
}

}  // namespace
}  // namespace malchin::store
