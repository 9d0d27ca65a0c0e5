// pdm::Repository through pdm::Monitoring on every engine: the frame of a
// paid payroll, the stored sample equal to the drawn one, maker-checker
// approval and freezing, and ingestion (one row per _uuid, re-ingesting
// changes nothing, a second interview refused, nothing half-written).
#include <gtest/gtest.h>

#include "backends/conformance/response_fixture.h"
#include "pdm/monitoring.h"

namespace malchin::conformance {
namespace {

using backends::testing::RawSqlRefused;
using pdm::BankStatus;

class PdmRepositoryTest : public ResponseFixture {
 protected:
  // Pays the Tes plan: the two children of H1 paid, the one of H2 failed.
  void PayTes() {
    ApproveAndPay();
    ASSERT_TRUE(rs_->IssuePayments("p1", 1, "maker", FirstFour).ok());
    std::vector<PaymentResult> rows;
    ASSERT_TRUE(rs_->ForEachIssued(
                       "p1", 1, 0,
                       [&](const IssuedPayment& p) {
                         PaymentResult r;
                         r.line = rows.size() + 2;
                         r.reference = p.reference;
                         r.amount = p.amount;
                         bool h2 = p.beneficiary_register_no == "ИЗ18220111";
                         r.status = h2 ? response::PaymentStatus::kFailed
                                       : response::PaymentStatus::kPaid;
                         if (h2) r.reason = "account closed";
                         rows.push_back(r);
                         return Status::Ok();
                       })
                    .ok());
    auto applied = rs_->ApplyResults("bank.csv", rows, "checker");
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  }
  pdm::SampleDesign Design() {
    pdm::SampleDesign d;
    d.strata = {pdm::StratumBy::kSoum};
    d.seed = 7;
    return d;
  }
  pdm::Form Form() { return *pdm::StandardPdmForm(); }
  pdm::Monitoring& pdm() {
    if (!pdm_) pdm_ = std::make_unique<pdm::Monitoring>(session());
    return *pdm_;
  }
  void TearDown() override {
    pdm_.reset();
    ResponseFixture::TearDown();
  }
  std::unique_ptr<pdm::Monitoring> pdm_;
};

constexpr const char* kCsv =
    "respondent,consent,received,amount_received,_id,_uuid,_submission_time\n"
    "ИЗ15220111,yes,yes,40000,1,u-1,2019-12-28T04:00:00\n"
    "ИЗ17220122,yes,no,,2,u-2,2019-12-28T05:00:00\n"
    "ИЗ17220122,yes,yes,40000,3,u-3,2019-12-28T06:00:00\n"
    "ИЗ99999999,yes,yes,40000,4,u-4,2019-12-28T06:00:00\n"
    "ИЗ15220111,yes,yes,40000,1,u-1,2019-12-28T04:00:00\n";

TEST_P(PdmRepositoryTest, PayrollOutcomesCarryTheBanksAnswer) {
  PayTes();
  auto& rows = Get<pdm::Repository>();
  auto lines = rows.PayrollOutcomes("p1", 1, {});
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].unit.beneficiary_id, "ИЗ15220111");
  EXPECT_EQ((*lines)[0].unit.payee_id, "ИЗ85120320");
  EXPECT_EQ((*lines)[0].unit.soum_code, 18149);
  EXPECT_EQ((*lines)[0].unit.aimag_code, 181);
  EXPECT_EQ((*lines)[0].unit.caregiver_sex, pdm::Sex::kFemale);
  EXPECT_EQ((*lines)[0].unit.amount, 40000);
  EXPECT_EQ((*lines)[0].bank.status, BankStatus::kPaid);
  EXPECT_EQ((*lines)[2].unit.beneficiary_id, "ИЗ18220111");
  EXPECT_EQ((*lines)[2].unit.caregiver_sex, pdm::Sex::kMale);
  EXPECT_EQ((*lines)[2].unit.head_sex, pdm::Sex::kMale);
  EXPECT_EQ((*lines)[2].bank.status, BankStatus::kFailed);
  auto other = rows.PayrollOutcomes("p1", 1, AreaFilter{181, 18101});
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

TEST_P(PdmRepositoryTest, StoredSampleIsTheDrawnOneAndFrozenOnApproval) {
  PayTes();
  bool created = false;
  auto s = pdm().DrawPayrollSample("p1", 1, Design(), "maker", {}, &created);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(s->frame_units, 2);  // the failed payment is not in the frame
  auto again =
      pdm().DrawPayrollSample("p1", 1, Design(), "other", {}, &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(again->id, s->id);
  EXPECT_EQ(again->drawn_by, "maker");

  auto stored = pdm().LoadSample(s->id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  auto lines = *Get<pdm::Repository>().PayrollOutcomes("p1", 1, {});
  std::vector<pdm::Unit> frame = {lines[0].unit, lines[1].unit};
  auto drawn = *pdm::DrawSample(frame, Design());
  ASSERT_EQ(stored->units.size(), drawn.units.size());
  for (size_t i = 0; i < drawn.units.size(); ++i) {
    EXPECT_EQ(stored->units[i].unit.beneficiary_id,
              drawn.units[i].unit.beneficiary_id);
    EXPECT_EQ(stored->units[i].rank, drawn.units[i].rank);
    EXPECT_EQ(stored->units[i].replacement, drawn.units[i].replacement);
  }
  ASSERT_EQ(stored->strata.size(), 1u);
  EXPECT_EQ(stored->strata[0].selected, drawn.strata[0].selected);
  EXPECT_EQ(stored->strata[0].inclusion_probability,
            drawn.strata[0].inclusion_probability);
  EXPECT_EQ(stored->frame_fingerprint, drawn.frame_fingerprint);

  EXPECT_EQ(pdm().Approve(s->id, "maker").status().code(),
            StatusCode::kPermissionDenied);
  auto ok = pdm().Approve(s->id, "checker");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->status, pdm::SampleStatus::kApproved);
  auto twice = pdm().Approve(s->id, "third");
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->approved_by, "checker");
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE pdm_samples SET design = 'x' WHERE id = " +
                                std::to_string(s->id)));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM pdm_units"));
}

TEST_P(PdmRepositoryTest, IngestStoresEachUuidOnceAndRefusesSecondInterviews) {
  PayTes();
  auto s = pdm().DrawPayrollSample("p1", 1, Design(), "maker");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(
      pdm().Ingest(s->id, "kobo.csv", kCsv, Form(), "enum").status().code(),
      StatusCode::kFailedPrecondition);
  ASSERT_TRUE(pdm().Approve(s->id, "checker").ok());

  auto in = pdm().Ingest(s->id, "kobo.csv", kCsv, Form(), "enum");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->accepted, 2);  // u-1, u-2
  EXPECT_EQ(in->rejected, 2);  // u-3 (second interview), u-4 (not sampled)
  EXPECT_EQ(in->skipped, 1);   // u-1 again in the file
  auto subs = pdm().Submissions(s->id);
  ASSERT_TRUE(subs.ok()) << subs.status().ToString();
  ASSERT_EQ(subs->size(), 4u);
  EXPECT_EQ((*subs)[0].submission.answers.at("amount_received"), "40000");
  EXPECT_TRUE((*subs)[2].submission.rejected);
  EXPECT_NE((*subs)[2].problems.find("respondent"), std::string::npos);

  auto re = pdm().Ingest(s->id, "kobo.csv", kCsv, Form(), "enum");
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(re->accepted + re->rejected, 0);
  EXPECT_EQ(re->unchanged, 4);
  EXPECT_EQ(pdm().Submissions(s->id)->size(), 4u);
  EXPECT_TRUE(RawSqlRefused(
      database(),
      "INSERT INTO pdm_submissions (sample_id, uuid, root_uuid, kobo_id, "
      "submission_time, respondent, status, answers, problems, file, line, "
      "ingested_at) SELECT sample_id, uuid, root_uuid, kobo_id, "
      "submission_time, respondent, status, answers, problems, file, line, "
      "ingested_at FROM pdm_submissions LIMIT 1"));
  // An unreadable file writes nothing.
  EXPECT_FALSE(pdm().Ingest(s->id, "bad.csv", "\"a,b\n", Form(), "enum").ok());
  EXPECT_EQ(pdm().Submissions(s->id)->size(), 4u);

  auto report = pdm().MakeReport(s->id, Form(), 0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->submissions, 2);
  ASSERT_EQ(report->follow_up.size(), 1u);  // paid, says not received
  EXPECT_EQ(report->follow_up[0].beneficiary_id, "ИЗ17220122");
}

// The link of a follow-up case to its grievance: one per submission and
// one submission per grievance (constraints in both schemas), listed in the
// order raised, never changed; samples listed by the caller's area.
TEST_P(PdmRepositoryTest, FollowUpGrievanceLinksAreUniqueAndListedByArea) {
  PayTes();
  auto s = pdm().DrawPayrollSample("p1", 1, Design(), "maker");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(pdm().Approve(s->id, "checker").ok());
  ASSERT_TRUE(pdm().Ingest(s->id, "kobo.csv", kCsv, Form(), "enum").ok());
  auto& rows = Get<pdm::Repository>();
  pdm::FollowUpGrievance g{s->id,          "u-2", "ИЗ17220122",          41,
                           "G-2026-00041", "tos", "2026-12-07T08:00:00Z"};
  auto write = [&](const pdm::FollowUpGrievance& row) {
    return session().Write([&] { return rows.InsertFollowUpGrievance(row); });
  };
  ASSERT_TRUE(write(g).ok());
  pdm::FollowUpGrievance again = g;
  again.grievance_id = 42;
  EXPECT_EQ(write(again).code(), StatusCode::kAlreadyExists);
  pdm::FollowUpGrievance other = g;
  other.submission_uuid = "u-1";  // a grievance answers one case
  EXPECT_EQ(write(other).code(), StatusCode::kAlreadyExists);
  other.grievance_id = 43;
  ASSERT_TRUE(write(other).ok());
  auto raised = rows.FollowUpGrievances(s->id);
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  ASSERT_EQ(raised->size(), 2u);
  EXPECT_EQ((*raised)[0].submission_uuid, "u-2");
  EXPECT_EQ((*raised)[0].grievance_reference, "G-2026-00041");
  EXPECT_EQ((*raised)[0].raised_by, "tos");
  EXPECT_TRUE(rows.FollowUpGrievances(s->id + 1)->empty());
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE pdm_follow_up_grievances SET "
                            "grievance_reference = 'x'"));
  EXPECT_TRUE(
      RawSqlRefused(database(), "DELETE FROM pdm_follow_up_grievances"));

  auto all = rows.ListSamples({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].id, s->id);
  EXPECT_EQ(rows.ListSamples(store::AreaFilter::FromCode(18149))->size(), 1u);
  EXPECT_EQ(rows.ListSamples(store::AreaFilter::FromCode(181))->size(), 1u);
  EXPECT_TRUE(rows.ListSamples(store::AreaFilter::FromCode(18101))->empty());
  EXPECT_TRUE(rows.ListSamples(store::AreaFilter::FromCode(265))->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, PdmRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
