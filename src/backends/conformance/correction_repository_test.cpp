// registry::CorrectionRepository and insurance::CorrectionRepository on
// every engine: proposals/requests stored, scoped by area, decided once,
// and the maker-checker and one-pending-per-entry rules kept by the schema
// itself. The households, persons and ledger entries they refer to are
// written with raw SQL, so these tests need no other repository.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "insurance/corrections.h"
#include "registry/corrections.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::ExecRawSql;
using backends::testing::RawSqlRefused;

class CorrectionRepositoryTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    bool lite = engine() == store::Engine::kSqlite;
    std::string yes = lite ? "1" : "true", no = lite ? "0" : "false";
    std::string aimag = lite ? "" : "aimag_code, ";
    std::string aimag_value = lite ? "" : "181, ";
    Status st = ExecRawSql(
        database(),
        "INSERT INTO households (hh, id, soum_code, current_soum_code, "
        "herder) VALUES (1, 'H1', 18140, 18140, " +
            yes +
            "), (2, 'H2', "
            "18125, 18125, " +
            yes + "); INSERT INTO persons (pid, hh, " + aimag +
            "register_no, father_name, given_name, sex, born, relation, "
            "disability, herder) VALUES (1, 1, " +
            aimag_value + "'ИЗ85120320', 'Бат', 'Туяа', 'F', 5000, 'head', " +
            no + ", " + yes + "); INSERT INTO insurance_entries (id, pid, " +
            aimag +
            "scheme, first_month, months, paid_on, amount, due, method, "
            "recorded_at, actor) VALUES (1, 1, " +
            aimag_value +
            "'health', 24302, 1, '2025-03-10', 3000, 3000, 'cash', 't', 'a'), "
            "(2, 1, " +
            aimag_value +
            "'health', 24303, 1, '2025-04-10', 3000, 3000, 'cash', 't', 'a')");
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  template <class F>
  Status InWrite(F f) {
    return session().Write([&]() -> Status { return f(); });
  }
};

TEST_P(CorrectionRepositoryTest, RegisterProposals) {
  auto& repo = Get<registry::CorrectionRepository>();
  registry::CorrectionProposal p;
  p.household_id = "H1";
  p.register_no = "ИЗ85120320";
  p.soum_code = 18140;
  p.changes = {{"given_name", "Туяа", "Туяагэрэл"}, {"phone", "", "99112233"}};
  p.reason = "complaint";
  p.source = "grievance G-2026-00001";
  p.proposed_by = "tos";
  p.proposed_at = "2026-12-01T00:00:00Z";
  Result<int64_t> id = 0;
  ASSERT_TRUE(InWrite([&] {
                id = repo.Insert(p);
                return id.status();
              }).ok());
  p.id = *id;
  auto found = repo.Find(p.id);
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().ToString();
  EXPECT_EQ(**found, p);
  // Scoped by the household's soum.
  auto ikh = Connect({0, 18125}, "ikh");
  EXPECT_FALSE(
      ikh->Get<registry::CorrectionRepository>().Find(p.id)->has_value());
  EXPECT_TRUE(ikh->Get<registry::CorrectionRepository>()
                  .List({}, std::nullopt, 10)
                  ->empty());
  EXPECT_EQ(repo.List({}, registry::CorrectionState::kPending, 10)->size(), 1u);
  EXPECT_TRUE(repo.List({}, registry::CorrectionState::kApplied, 10)->empty());
  // The proposer deciding their own is refused by the schema.
  EXPECT_TRUE(
      RawSqlRefused(database(),
                    "UPDATE register_corrections SET state = 'applied', "
                    "decided_by = 'tos', decided_at = 't' WHERE id = " +
                        std::to_string(p.id)));
  ASSERT_TRUE(InWrite([&] {
                return repo.Decide(p.id, registry::CorrectionState::kApplied,
                                   "zav", "2026-12-02T00:00:00Z", "ok");
              }).ok());
  EXPECT_EQ((*repo.Find(p.id))->decided_by, "zav");
  Status twice = InWrite([&] {
    return repo.Decide(p.id, registry::CorrectionState::kRejected, "nat", "t",
                       "");
  });
  EXPECT_EQ(twice.code(), StatusCode::kFailedPrecondition);
  // A proposal about an unknown household is refused by the schema.
  registry::CorrectionProposal ghost = p;
  ghost.household_id = "NOPE";
  EXPECT_FALSE(InWrite([&] { return repo.Insert(ghost).status(); }).ok());
}

TEST_P(CorrectionRepositoryTest, InsuranceRequests) {
  auto& repo = Get<insurance::CorrectionRepository>();
  insurance::CorrectionRequest r;
  r.entry_id = 1;
  r.register_no = "ИЗ85120320";
  r.soum_code = 18140;
  r.reason = "paid twice";
  r.requested_by = "tos";
  r.requested_at = "2026-12-01T00:00:00Z";
  Result<int64_t> id = 0;
  ASSERT_TRUE(InWrite([&] {
                id = repo.Insert(r);
                return id.status();
              }).ok());
  r.id = *id;
  EXPECT_EQ(**repo.Find(r.id), r);
  // One pending request per entry, a constraint of the schema.
  Status second = InWrite([&] { return repo.Insert(r).status(); });
  EXPECT_EQ(second.code(), StatusCode::kAlreadyExists);
  auto ikh = Connect({0, 18125}, "ikh");
  EXPECT_FALSE(
      ikh->Get<insurance::CorrectionRepository>().Find(r.id)->has_value());
  // Applied needs the reversal's entry; the requester never decides.
  EXPECT_TRUE(
      RawSqlRefused(database(),
                    "UPDATE insurance_corrections SET state = 'applied', "
                    "decided_by = 'zav', decided_at = 't' WHERE id = " +
                        std::to_string(r.id)));
  EXPECT_TRUE(
      RawSqlRefused(database(),
                    "UPDATE insurance_corrections SET state = 'applied', "
                    "decided_by = 'tos', decided_at = 't', reversal_entry_id = "
                    "2 WHERE id = " +
                        std::to_string(r.id)));
  ASSERT_TRUE(InWrite([&] {
                return repo.Decide(r.id, insurance::CorrectionState::kApplied,
                                   "zav", "t", "ok", 2);
              }).ok());
  EXPECT_EQ((*repo.Find(r.id))->reversal_entry_id, 2);
  // Once decided, a new request for the entry may be made.
  EXPECT_TRUE(InWrite([&] { return repo.Insert(r).status(); }).ok());
  EXPECT_EQ(repo.List({}, std::nullopt, 10)->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Engines, CorrectionRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
