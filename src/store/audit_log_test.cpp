#include "store/audit_log.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.h"
#include "store/store.h"

namespace malchin::store {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("audit_log_test_" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    OpenOptions options;
    options.create = true;
    auto s = Store::OpenSqlite(path_, options);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    db_ = store_->SqliteConnection();
    ASSERT_NE(db_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + "-wal");
    std::filesystem::remove(path_ + "-shm");
  }
  void Append(const std::string& id) {
    auto tx = sqlite::Transaction::Begin(db_);
    ASSERT_TRUE(tx.ok());
    AuditEntry e{"officer",    "household.update", "household",    id,
                 std::nullopt, R"({"bag":1})",     R"({"bag":2})", ""};
    ASSERT_TRUE(AppendAudit(db_, e).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  std::string path_;
  std::unique_ptr<Store> store_;
  sqlite::Db* db_ = nullptr;
};

TEST_F(AuditLogTest, ChainVerifiesAndDetectsTampering) {
  for (int i = 0; i < 5; ++i) Append("H" + std::to_string(i));
  auto v = VerifyAuditChain(db_);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->entries, 5);
  EXPECT_TRUE(v->ok()) << v->problem;

  // An attacker with file access drops the trigger and edits entry 3.
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_log_no_update").ok());
  ASSERT_TRUE(
      db_->Exec("UPDATE audit_log SET actor = 'someone' WHERE seq = 3").ok());
  v = VerifyAuditChain(db_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok());
  EXPECT_EQ(v->first_bad_seq, 3);
}

TEST_F(AuditLogTest, DeletionIsDetected) {
  for (int i = 0; i < 4; ++i) Append("H" + std::to_string(i));
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_log_no_delete").ok());
  ASSERT_TRUE(db_->Exec("DELETE FROM audit_log WHERE seq = 2").ok());
  auto v = VerifyAuditChain(db_);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->first_bad_seq, 3);
}

TEST_F(AuditLogTest, TriggersRefuseEditsAndAppendNeedsTransaction) {
  Append("H1");
  EXPECT_FALSE(db_->Exec("UPDATE audit_log SET actor = 'x'").ok());
  EXPECT_FALSE(db_->Exec("DELETE FROM audit_log").ok());
  AuditEntry e{"a",          "b",          "c",          "d",
               std::nullopt, std::nullopt, std::nullopt, ""};
  EXPECT_FALSE(AppendAudit(db_, e).ok());
}

}  // namespace
}  // namespace malchin::store

namespace malchin::store {
namespace {

// A release numbers its migrations 1..N without gaps (the build only warns
// while capabilities are developed side by side).
TEST(MigrationListTest, NumberedWithoutGaps) {
  const auto& all = Migrations();
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i + 1)) << all[i].name;
  }
}

}  // namespace
}  // namespace malchin::store
