// Audit checkpoints (store/audit_checkpoint.h) on every engine: a trail cut
// short, emptied or rolled back behind the server's back is reported with
// the first missing entry; an intact one verifies.
#include "store/audit_checkpoint.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "backends/testing/test_database.h"

namespace malchin::backends {
namespace {

using testing::EngineTest;

class AuditCheckpointTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    dir_ = std::filesystem::temp_directory_path() /
           ("malchin_checkpoint_" + std::to_string(::getpid()) + "_" +
            std::string(store::EngineName(engine())));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    file_ = (dir_ / "audit.checkpoints").string();
    auto key = store::LoadOrCreateAuditKey((dir_ / "audit.key").string());
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_ = *key;
  }
  void TearDown() override {
    EngineTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  void Append(int n) {
    ASSERT_TRUE(session()
                    .Write([&]() -> Status {
                      for (int i = 0; i < n; ++i) {
                        store::AuditEntry e;
                        e.action = "test.entry";
                        e.entity_type = "test";
                        e.entity_id = std::to_string(i);
                        MALCHIN_RETURN_IF_ERROR(
                            session().Audit(std::move(e)).status());
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
  // Someone with the database's credentials removes entries, after
  // dropping the append-only protection.
  void CutTrail(const std::string& where) {
    std::string drop =
        engine() == store::Engine::kSqlite
            ? "DROP TRIGGER audit_log_no_delete; "
            : "DROP TRIGGER audit_log_append_only ON audit_log; ";
    ASSERT_TRUE(
        testing::ExecRawSql(database(), drop + "DELETE FROM audit_log " + where)
            .ok());
  }
  store::AuditCheck Verify() {
    auto v = store::VerifyAuditWithCheckpoints(session(), file_, key_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : store::AuditCheck{};
  }

  std::filesystem::path dir_;
  std::string file_, key_;
};

TEST_P(AuditCheckpointTest, AnIntactTrailVerifiesAndTheFileIsPrivate) {
  Append(5);
  auto c = store::WriteAuditCheckpoint(session(), file_, key_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->seq, 5);
  Append(2);  // Entries after the checkpoint are fine.
  EXPECT_TRUE(Verify().ok());
  struct stat st {};
  ASSERT_EQ(::stat(file_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The same end twice is one line.
  ASSERT_TRUE(store::WriteAuditCheckpoint(session(), file_, key_).ok());
  ASSERT_TRUE(store::WriteAuditCheckpoint(session(), file_, key_).ok());
  EXPECT_EQ(store::ReadAuditCheckpoints(file_, key_)->size(), 2u);
}

TEST_P(AuditCheckpointTest, ATrailCutShortNamesTheFirstMissingEntry) {
  Append(30);
  ASSERT_TRUE(store::WriteAuditCheckpoint(session(), file_, key_).ok());
  CloseSession();
  CutTrail("WHERE seq > 10");
  ASSERT_TRUE(Reconnect().ok());
  // The chain that is left is valid; the checkpoint shows what is missing.
  EXPECT_TRUE(session().VerifyAudit()->ok());
  auto v = Verify();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_bad_seq, 11);
  EXPECT_NE(v.problem.find("11..30"), std::string::npos) << v.problem;
}

TEST_P(AuditCheckpointTest, AnEmptiedTrailIsReported) {
  Append(3);
  ASSERT_TRUE(store::WriteAuditCheckpoint(session(), file_, key_).ok());
  CloseSession();
  CutTrail("");
  ASSERT_TRUE(Reconnect().ok());
  auto v = Verify();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_bad_seq, 1);
  EXPECT_NE(v.problem.find("emptied"), std::string::npos) << v.problem;
}

TEST_P(AuditCheckpointTest, ARolledBackTrailIsReported) {
  Append(10);
  ASSERT_TRUE(store::WriteAuditCheckpoint(session(), file_, key_).ok());
  CloseSession();
  CutTrail("WHERE seq > 7");
  ASSERT_TRUE(Reconnect().ok());
  Append(5);  // Rewritten: as many entries again, other ones.
  auto v = Verify();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_bad_seq, 10);
  EXPECT_NE(v.problem.find("rolled back"), std::string::npos) << v.problem;
}

TEST_P(AuditCheckpointTest, AnEditedCheckpointFileIsRefused) {
  Append(4);
  ASSERT_TRUE(store::WriteAuditCheckpoint(session(), file_, key_).ok());
  {
    std::ofstream out(file_, std::ios::app);
    out << "2 " << std::string(64, 'a') << " 2026-01-01T00:00:00Z "
        << std::string(64, 'b') << "\n";
  }
  auto v = store::VerifyAuditWithCheckpoints(session(), file_, key_);
  EXPECT_EQ(v.status().code(), StatusCode::kDataLoss);
  auto other =
      store::VerifyAuditWithCheckpoints(session(), file_, std::string(32, 'k'));
  EXPECT_EQ(other.status().code(), StatusCode::kDataLoss);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditCheckpointTest,
                         ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

}  // namespace
}  // namespace malchin::backends
