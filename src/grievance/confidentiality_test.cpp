// A confidential complaint, through the service, for every role: only the
// focal points of its area see it; everyone else gets NotFound, does not
// find it in lists, counts it without detail, sees its audit entries
// masked; every read of it is audited; the officer a complaint is about
// never reaches it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "grievance/audit_view.h"
#include "grievance/service_test_fixture.h"

namespace malchin::grievance {
namespace {

using testing::ServiceTest;

class ConfidentialityTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;
    IntakeRequest r = Walkin("gbv_disclosure");
    r.summary = "Нөхөр маань намайг зоддог.";
    secret_ = Record(r);
    // Recorded by an ordinary officer, it is out of their sight at once.
    ASSERT_FALSE(secret_.visible_to_recorder);
    ASSERT_TRUE(secret_.confidential);
    ordinary_ = Record(Walkin());
  }
  IntakeReceipt secret_, ordinary_;
};

TEST_F(ConfidentialityTest, OnlyTheFocalPointsOfItsAreaSeeIt) {
  for (const char* user : {"tos", "bold", "ikh", "zav", "ark", "nat", "fp",
                           "fp_ark", "fp_nat", "hot", "ana", "aud", "adm"}) {
    SCOPED_TRACE(user);
    As(user);
    Service g = Grievances();
    bool focal = std::string(user) == "fp" || std::string(user) == "fp_nat";
    auto got = g.Get(secret_.id);
    EXPECT_EQ(got.ok(), focal);
    if (!focal) {
      EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
      EXPECT_EQ(g.GetByReference(secret_.reference).status().code(),
                StatusCode::kNotFound);
      // No way around the case: its records and every change are NotFound.
      EXPECT_EQ(g.AddNote(secret_.id, "x").code(), StatusCode::kNotFound);
      EXPECT_EQ(g.Move(secret_.id, Action::kAcknowledge).status().code(),
                StatusCode::kNotFound);
      EXPECT_EQ(
          g.Attach(secret_.id, "a.txt", "text/plain", "x").status().code(),
          StatusCode::kNotFound);
      EXPECT_EQ(g.AttachmentContent(secret_.id, 1).status().code(),
                StatusCode::kNotFound);
    }
    auto list = g.List({});
    ASSERT_TRUE(list.ok());
    bool listed = false;
    for (const Case& c : list->items) listed = listed || c.id == secret_.id;
    EXPECT_EQ(listed, focal);
    // Counts: present for everyone who may count, detailed only for focal
    // points.
    auto stats = g.Measure({});
    if (std::string(user) == "hot") {
      EXPECT_EQ(stats.status().code(), StatusCode::kPermissionDenied);
      continue;
    }
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    bool in_area = std::string(user) != "ikh" && std::string(user) != "ark" &&
                   std::string(user) != "fp_ark";
    EXPECT_EQ(stats->total.masked, in_area && !focal ? 1 : 0);
    auto csv = g.ExportCsv({});
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(csv->find(secret_.reference) != std::string::npos,
              focal && in_area);
    EXPECT_EQ(csv->find("Нөхөр"), std::string::npos);  // Never the text.
  }
}

TEST_F(ConfidentialityTest, EveryReadIsAuditedAndTheTrailIsMasked) {
  As("fp");
  Service g = Grievances();
  ASSERT_TRUE(g.Get(secret_.id).ok());
  ASSERT_TRUE(g.List({}).ok());
  ASSERT_TRUE(g.Move(secret_.id, Action::kAcknowledge).ok());
  EXPECT_GE(Count("grievance.read"), 2);
  // The trail never holds the content or the person, even unmasked.
  store::AuditQuery q;
  q.limit = 1000;
  auto trail = session().ListAudit(q);
  ASSERT_TRUE(trail.ok());
  for (const auto& e : *trail) {
    if (e.entity_type != "grievance" ||
        e.entity_id != std::to_string(secret_.id)) {
      continue;
    }
    EXPECT_FALSE(e.register_no.has_value());
    EXPECT_EQ(e.after_json.value_or("").find("Нөхөр"), std::string::npos);
    EXPECT_EQ(e.after_json.value_or("").find("ИЗ85120320"), std::string::npos);
  }
  // As the auditor sees it: the entries are there, their case is not.
  As("aud");
  auto seen = session().ListAudit(q);
  ASSERT_TRUE(MaskAuditTrail(session(), &*seen).ok());
  int masked = 0, shown = 0;
  for (const auto& e : *seen) {
    if (e.entity_type != "grievance") continue;
    EXPECT_NE(e.entity_id, std::to_string(secret_.id));
    if (e.entity_id == "confidential") {
      ++masked;
      EXPECT_FALSE(e.after_json.has_value());
    } else {
      ++shown;
    }
  }
  EXPECT_GE(masked, 4);  // Intake, reads, acknowledgement.
  EXPECT_GE(shown, 1);   // The ordinary complaint's intake.
  // The focal point sees the same entries unmasked.
  As("fp");
  auto theirs = session().ListAudit(q);
  ASSERT_TRUE(MaskAuditTrail(session(), &*theirs).ok());
  for (const auto& e : *theirs) EXPECT_NE(e.entity_id, "confidential");
}

TEST_F(ConfidentialityTest, AnExportWithConfidentialRowsIsOneAuditedRead) {
  auto exports = [&]() {
    store::AuditQuery q;
    q.limit = 1000;
    auto trail = session().ListAudit(q);
    EXPECT_TRUE(trail.ok());
    std::vector<store::AuditRecord> out;
    for (const auto& e : *trail) {
      if (e.action == "grievance.read" && e.entity_id == "grievance_export") {
        out.push_back(e);
      }
    }
    return out;
  };
  // Masked rows only: nothing confidential was read, nothing recorded.
  As("zav");
  ASSERT_TRUE(Grievances().ExportCsv({}).ok());
  EXPECT_TRUE(exports().empty());
  // The focal point's file holds the case in full: one entry with how many
  // and where, never which.
  Record(Walkin("workplace_harassment"));
  As("fp");
  auto csv = Grievances().ExportCsv({});
  ASSERT_TRUE(csv.ok());
  ASSERT_NE(csv->find(secret_.reference), std::string::npos);
  auto got = exports();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].actor, "fp");
  EXPECT_EQ(got[0].entity_type, "file");
  auto detail = nlohmann::json::parse(got[0].after_json.value_or("{}"));
  EXPECT_EQ(detail["what"], "export");
  EXPECT_EQ(detail["confidential"], 2);
  EXPECT_EQ(detail["area"], "aimag 181");
  EXPECT_EQ(got[0].after_json->find(secret_.reference), std::string::npos);
}

TEST_F(ConfidentialityTest, TheAccusedOfficerNeverReachesTheCase) {
  IntakeRequest r = Walkin("workplace_harassment");
  r.subject_kind = SubjectKind::kOfficer;
  r.subject_ref = "bold";
  r.complainant.staff = true;
  IntakeReceipt harassment = Record(r, "hot");
  IntakeRequest conduct = Walkin("staff_conduct");
  conduct.subject_kind = SubjectKind::kOfficer;
  conduct.subject_ref = "bold";
  IntakeReceipt rude = Record(conduct);
  EXPECT_TRUE(rude.visible_to_recorder);
  As("bold");
  Service g = Grievances();
  for (int64_t id : {harassment.id, rude.id}) {
    EXPECT_EQ(g.Get(id).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(g.Move(id, Action::kAcknowledge).status().code(),
              StatusCode::kNotFound);
  }
  auto list = g.List({});
  for (const Case& c : list->items) {
    EXPECT_NE(c.id, harassment.id);
    EXPECT_NE(c.id, rude.id);
  }
  // Their counts hold both cases without anything about them.
  auto stats = g.Measure({{}, {StatsDim::kCategory}, std::nullopt});
  for (const auto& row : stats->rows) {
    EXPECT_NE(row.category, "staff_conduct");
    EXPECT_NE(row.category, "workplace_harassment");
  }
  // Another officer of the soum handles the conduct complaint; the focal
  // point the harassment one.
  As("tos");
  EXPECT_TRUE(Grievances().Get(rude.id).ok());
  As("fp");
  EXPECT_TRUE(Grievances().Get(harassment.id).ok());
  // Nobody may assign a complaint to the officer it is about.
  EXPECT_EQ(Grievances().Assign(harassment.id, "bold").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(ConfidentialityTest, ConfidentialityIsRaisedNeverLowered) {
  As("tos");
  Service g = Grievances();
  ASSERT_TRUE(g.MarkConfidential(ordinary_.id, "She disclosed violence").ok());
  EXPECT_EQ(g.Get(ordinary_.id).status().code(), StatusCode::kNotFound);
  As("fp");
  auto moved = Grievances().Reclassify(ordinary_.id, "not_included");
  ASSERT_TRUE(moved.ok());
  EXPECT_TRUE(moved->confidential);
  EXPECT_EQ(
      Grievances().MarkConfidential(ordinary_.id, "again").status().code(),
      StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace malchin::grievance
