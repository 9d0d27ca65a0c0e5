// The grievance service end to end on a real database: every channel, the
// checks of intake, every transition with its audit entry and notices,
// assignment, attachments, consent before referral, tracking and counts.
#include <gtest/gtest.h>

#include "grievance/service_test_fixture.h"
#include "store/audit.h"

namespace malchin::grievance {
namespace {

using testing::ServiceTest;

class IntakeTest : public ServiceTest {};

TEST_F(IntakeTest, EveryChannel) {
  // Walk-in at the soum office, recorded by the officer: they see it.
  IntakeReceipt office = Record(Walkin());
  EXPECT_GT(office.id, 0);
  EXPECT_EQ(office.reference, MakeReference(2026, office.id));
  EXPECT_TRUE(office.visible_to_recorder);
  EXPECT_EQ(office.acknowledge_by, Date::FromYmd(2026, 12, 6));
  // By phone, recorded by the hotline operator: they read nothing back.
  IntakeRequest call = Walkin("payment_problem");
  call.channel = Channel::kHotline;
  IntakeReceipt hotline = Record(call, "hot");
  EXPECT_FALSE(hotline.visible_to_recorder);
  EXPECT_EQ(Grievances().Get(hotline.id).status().code(),
            StatusCode::kNotFound);
  // The web form: the complainant is the channel, anonymous, with a
  // tracking code; a repeat of its key is not recorded twice.
  session().SetCaller({"public:web", "", {}});
  IntakeRequest web;
  web.channel = Channel::kWeb;
  web.category = "staff_conduct";
  web.soum_code = 18125;
  web.summary = "The officer asked for money.";
  web.complainant.anonymous = true;
  web.external_id = "web:8b7c";
  auto w = Grievances().Intake(web);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->tracking_code.size(), 10u);
  EXPECT_FALSE(w->visible_to_recorder);
  auto repeat = Grievances().Intake(web);
  ASSERT_TRUE(repeat.ok());
  EXPECT_TRUE(repeat->already_received);
  EXPECT_TRUE(repeat->reference.empty());
  // SMS through the herders' channel.
  session().SetCaller({"sms", "", {}});
  auto sms =
      Grievances().IntakeSms("99112233", "Мөнгө ирээгүй", "kannel-7", 18140);
  ASSERT_TRUE(sms.ok()) << sms.status().ToString();
  EXPECT_TRUE(Grievances()
                  .IntakeSms("99112233", "x", "kannel-7", 18140)
                  ->already_received);
  // A paper or KoBo batch, recorded by the aimag officer.
  As("zav");
  auto batch = Grievances().ImportBatch(
      "forms.csv",
      "id,received_on,category,soum_code,summary,sex,birth_year\n"
      "p-1,2026-11-28,not_included,18140,Хүүхдийн мөнгө,F,1990\n"
      "p-2,2026-11-29,feedback,18125,Баярлалаа,M,1960\n");
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_TRUE(batch->problems.empty());
  EXPECT_EQ(batch->imported, 2u);
  auto again = Grievances().ImportBatch(
      "forms.csv",
      "id,received_on,category,soum_code,summary\n"
      "p-1,2026-11-28,not_included,18140,Хүүхдийн мөнгө\n");
  EXPECT_EQ(again->already_imported, 1u);
  EXPECT_EQ(again->imported, 0u);
  // All of them, as the national officer sees them.
  As("nat");
  auto all = Grievances().List({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 6);
  std::map<Channel, int> by_channel;
  for (const Case& c : all->items) ++by_channel[c.channel];
  EXPECT_EQ(by_channel[Channel::kOffice], 1);
  EXPECT_EQ(by_channel[Channel::kHotline], 1);
  EXPECT_EQ(by_channel[Channel::kWeb], 1);
  EXPECT_EQ(by_channel[Channel::kSms], 1);
  EXPECT_EQ(by_channel[Channel::kBatch], 2);
  // The paper form's date is the case's date and deadlines follow it.
  auto paper = Grievances().GetByReference(batch->references[0]);
  ASSERT_TRUE(paper.ok());
  EXPECT_EQ(paper->c.received_on, Date::FromYmd(2026, 11, 28));
  EXPECT_EQ(Count("grievance.intake"), 6);
}

TEST_F(IntakeTest, TheChecksNameTheField) {
  As("tos");
  auto expect_field = [&](IntakeRequest r, const char* field) {
    auto got = Grievances().Intake(r);
    ASSERT_FALSE(got.ok()) << field;
    EXPECT_EQ(got.status().field(), field) << got.status().message();
  };
  IntakeRequest r = Walkin();
  r.category = "weather";
  expect_field(r, "category");
  r = Walkin();
  r.soum_code = 181;
  expect_field(r, "soum_code");
  r = Walkin();
  r.summary = "";
  expect_field(r, "summary");
  r = Walkin();
  r.complainant.anonymous = true;
  expect_field(r, "register_no");
  r = Walkin();
  r.complainant.register_no = "ИЗ8512";
  expect_field(r, "register_no");
  r = Walkin();
  r.complainant.sex = registry::Sex::kMale;  // The number says F.
  expect_field(r, "sex");
  r = Walkin();
  r.complainant.phone = "1234";
  expect_field(r, "phone");
  r = Walkin();
  r.complainant.contact = Contact::kSms;
  expect_field(r, "contact");
  r = Walkin();
  r.subject_kind = SubjectKind::kOfficer;
  r.subject_ref = "nobody";
  expect_field(r, "subject_ref");
  r = Walkin();
  r.received_on = Date::FromYmd(2026, 12, 2);  // Tomorrow.
  expect_field(r, "received_on");
  // Not allowed: the analyst records nothing; a soum officer records for
  // their own soum; nobody records a complaint about themself.
  As("ana");
  EXPECT_EQ(Grievances().Intake(Walkin()).status().code(),
            StatusCode::kPermissionDenied);
  As("ikh");
  EXPECT_EQ(Grievances().Intake(Walkin()).status().code(),
            StatusCode::kPermissionDenied);
  As("tos");
  r = Walkin("staff_conduct");
  r.subject_kind = SubjectKind::kOfficer;
  r.subject_ref = "tos";
  EXPECT_EQ(Grievances().Intake(r).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("grievance.intake"), 0);
}

class WorkflowServiceTest : public ServiceTest {};

TEST_F(WorkflowServiceTest, FromIntakeToClosureAndBack) {
  IntakeReceipt r = Record(Walkin());
  Service g = Grievances();
  clock_.Advance(std::chrono::hours(24));
  auto ack = g.Move(r.id, Action::kAcknowledge);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_EQ(ack->state, CaseState::kAcknowledged);
  EXPECT_EQ(*ack->acknowledged_on, Date::FromYmd(2026, 12, 2));
  // The acknowledgement letter, in Mongolian, waiting to be printed.
  auto view = g.Get(r.id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->notices.size(), 1u);
  EXPECT_EQ(view->notices[0].kind, NoticeKind::kAcknowledgement);
  EXPECT_NE(view->notices[0].text.find(r.reference), std::string::npos);
  EXPECT_NE(view->notices[0].text.find("Тосонцэнгэл"), std::string::npos);
  EXPECT_NE(view->notices[0].text.find("Бат Сараа"), std::string::npos);
  // A stale version is refused; texts are required where they say why.
  EXPECT_EQ(g.Move(r.id, Action::kStartReview, "", 1).status().code(),
            StatusCode::kConflict);
  ASSERT_TRUE(g.Move(r.id, Action::kStartReview, "", ack->version).ok());
  EXPECT_EQ(g.Move(r.id, Action::kResolve).status().field(), "text");
  auto resolved = g.Move(r.id, Action::kResolve,
                         "Хүүхдийн мөнгийг дараагийн сард нөхөн олгоно.");
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_TRUE(resolved->decided_on.has_value());
  // Closing waits for the outcome letter to be printed.
  auto refused = g.Move(r.id, Action::kClose);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  view = g.Get(r.id);
  ASSERT_EQ(view->notices.size(), 2u);
  const Notice& outcome = view->notices[1];
  EXPECT_NE(outcome.text.find("Шийдвэрлэсэн"), std::string::npos);
  ASSERT_TRUE(g.MarkPrinted(r.id, outcome.id).ok());
  auto closed = g.Move(r.id, Action::kClose);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->state, CaseState::kClosed);
  // Reopened: back under review, decision and closure cleared.
  auto reopened = g.Move(r.id, Action::kReopen, "The payment did not come.");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->state, CaseState::kUnderReview);
  EXPECT_FALSE(reopened->decided_on.has_value());
  ASSERT_TRUE(g.Move(r.id, Action::kReject, "Not eligible by age.").ok());
  // Every transition is in the timeline and in the audit trail.
  view = g.Get(r.id);
  int transitions = 0;
  for (const auto& e : view->events)
    transitions += e.kind == EventKind::kTransition;
  EXPECT_EQ(transitions, 6);
  for (const char* a :
       {"grievance.acknowledge", "grievance.start_review", "grievance.resolve",
        "grievance.close", "grievance.reopen", "grievance.reject"}) {
    EXPECT_EQ(Count(a), 1) << a;
  }
  auto chain = session().VerifyAudit();
  EXPECT_TRUE(chain.ok() && chain->ok());
}

TEST_F(WorkflowServiceTest, SmsContactAndAnonymousComplainants) {
  IntakeRequest r = Walkin();
  r.complainant.phone = "99112233";
  r.complainant.contact = Contact::kSms;
  IntakeReceipt sms = Record(r);
  Service g = Grievances();
  ASSERT_TRUE(g.Move(sms.id, Action::kAcknowledge).ok());
  auto view = g.Get(sms.id);
  ASSERT_EQ(view->notices.size(), 2u);  // The letter, and the SMS.
  EXPECT_EQ(view->notices[1].channel, NoticeChannel::kSms);
  EXPECT_EQ(view->notices[1].status, NoticeStatus::kQueued);
  EXPECT_NE(view->notices[1].text.find(sms.reference), std::string::npos);
  // Anonymous: nothing to send, and closing needs no letter.
  IntakeRequest anon = Walkin();
  anon.complainant = {};
  anon.complainant.anonymous = true;
  IntakeReceipt a = Record(anon);
  ASSERT_TRUE(g.Move(a.id, Action::kReject, "Spam").ok());
  EXPECT_TRUE(g.Get(a.id)->notices.empty());
  EXPECT_TRUE(g.Move(a.id, Action::kClose).ok());
}

TEST_F(WorkflowServiceTest, AssignmentFollowsAreaLevelAndSubject) {
  IntakeRequest r = Walkin("staff_conduct");
  r.subject_kind = SubjectKind::kOfficer;
  r.subject_ref = "bold";
  IntakeReceipt c = Record(r);
  Service g = Grievances();
  auto first = g.Assign(c.id, "tos");
  EXPECT_TRUE(first.ok()) << first.status().ToString();
  // Not the officer the complaint is about, not another soum's, not a
  // focal point (it is not confidential), not someone unknown.
  EXPECT_EQ(g.Assign(c.id, "bold").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(g.Assign(c.id, "ikh").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(g.Assign(c.id, "fp").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(g.Assign(c.id, "ghost").status().field(), "assigned_to");
  auto view = g.Get(c.id);
  EXPECT_EQ(view->c.assigned_to, "tos");
  EXPECT_TRUE(g.Assign(c.id, "").ok());
}

TEST_F(WorkflowServiceTest, NotesAttachmentsAndReclassification) {
  IntakeReceipt c = Record(Walkin("other"));
  Service g = Grievances();
  int64_t version = g.Get(c.id)->c.version;
  ASSERT_TRUE(g.AddNote(c.id, "Called the bank.").ok());
  const std::string scan("\x89PNG\r\n\x1a\n\0\0", 10);
  auto att = g.Attach(c.id, "form.png", "image/png", scan);
  ASSERT_TRUE(att.ok()) << att.status().ToString();
  EXPECT_EQ(*g.AttachmentContent(c.id, att->id), scan);
  EXPECT_EQ(att->sha256, store::Sha256Hex(scan));
  EXPECT_EQ(g.Get(c.id)->c.version, version);  // Notes leave the row.
  EXPECT_EQ(g.Attach(c.id, "../x", "image/png", scan).status().field(),
            "file_name");
  EXPECT_EQ(g.Attach(c.id, "a.png", "png", scan).status().field(),
            "content_type");
  EXPECT_EQ(g.Attach(c.id, "a.png", "image/png", std::string(6 << 20, 'x'))
                .status()
                .field(),
            "content");
  auto moved = g.Reclassify(c.id, "payment_problem");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->category, "payment_problem");
  EXPECT_FALSE(moved->confidential);
}

TEST_F(WorkflowServiceTest, ConsentComesBeforeAReferralThatShares) {
  IntakeReceipt c = Record(Walkin("gbv_disclosure"));
  As("fp");
  Service g = Grievances();
  ASSERT_TRUE(g.Move(c.id, Action::kAcknowledge).ok());
  ASSERT_TRUE(g.Move(c.id, Action::kStartReview).ok());
  ReferralRequest refer{"ossc_zavkhan", true, false, "", false};
  EXPECT_EQ(g.Refer(c.id, refer).status().code(),
            StatusCode::kFailedPrecondition);
  // Information about a service shares nothing: no consent needed.
  ReferralRequest info{"police_102", false, false, "Told of 102", false};
  EXPECT_TRUE(g.Refer(c.id, info).ok());
  // A service of another aimag is not offered.
  EXPECT_EQ(g.Refer(c.id, {"ossc_arkhangai", false, false, "", false})
                .status()
                .field(),
            "service");
  Consent refused{0, 0, false, false, false, "verbal", "", "", ""};
  ASSERT_TRUE(g.RecordConsent(c.id, refused).ok());
  EXPECT_FALSE(g.Refer(c.id, refer).ok());
  Consent given{0, 0, true, true, false, "verbal", "", "", ""};
  ASSERT_TRUE(g.RecordConsent(c.id, given).ok());
  EXPECT_FALSE(g.Refer(c.id, {"ossc_zavkhan", true, true, "", false}).ok());
  refer.decide = true;
  auto referred = g.Refer(c.id, refer);
  ASSERT_TRUE(referred.ok()) << referred.status().ToString();
  EXPECT_GT(referred->consent_id, 0);
  auto view = g.Get(c.id);
  EXPECT_EQ(view->c.state, CaseState::kReferred);
  EXPECT_EQ(view->referrals.size(), 2u);
  // The outcome letter of a confidential case says nothing of it.
  const Notice& letter = view->notices.back();
  EXPECT_EQ(letter.kind, NoticeKind::kOutcome);
  EXPECT_EQ(letter.text.find("Нэг цэг"), std::string::npos);
  EXPECT_EQ(letter.text.find("хүчирхийлэл"), std::string::npos);
}

TEST_F(WorkflowServiceTest, TheWebComplainantTracksTheirComplaint) {
  session().SetCaller({"public:web", "", {}});
  IntakeRequest web;
  web.channel = Channel::kWeb;
  web.category = "not_included";
  web.soum_code = 18140;
  web.summary = "Хүүхдийн мөнгө ороогүй";
  web.complainant.anonymous = true;
  auto got = Grievances().Intake(web);
  ASSERT_TRUE(got.ok());
  auto t = Grievances().Track(got->reference, got->tracking_code);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->state, CaseState::kReceived);
  EXPECT_TRUE(t->answer.empty());
  EXPECT_EQ(Grievances().Track(got->reference, "WRONG00000").status().code(),
            StatusCode::kNotFound);
  As("tos");
  ASSERT_TRUE(Grievances().Move(got->id, Action::kReject, "Duplicate").ok());
  session().SetCaller({"public:web", "", {}});
  t = Grievances().Track(got->reference, got->tracking_code);
  EXPECT_EQ(t->state, CaseState::kRejected);
  EXPECT_NE(t->answer.find("Duplicate"), std::string::npos);
}

TEST_F(WorkflowServiceTest, MeasuresByCategoryChannelAreaSexAndAge) {
  Record(Walkin());
  IntakeRequest call = Walkin("payment_problem");
  call.channel = Channel::kHotline;
  call.complainant.register_no = "ИБ70010152";  // A man born 1970.
  Record(call, "hot");
  Record(Walkin("gbv_disclosure"));
  As("zav");
  StatsQuery q;
  q.by = {StatsDim::kCategory, StatsDim::kChannel, StatsDim::kSex,
          StatsDim::kAgeBand};
  auto stats = Grievances().Measure(q);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->total.cases, 3);
  EXPECT_EQ(stats->total.masked, 1);  // The officer sees it exists, no more.
  bool man = false;
  for (const auto& row : stats->rows) {
    EXPECT_NE(row.category, "gbv_disclosure");
    man = man || (row.sex == "M" && row.channel == "hotline");
  }
  EXPECT_TRUE(man);
  As("fp");
  stats = Grievances().Measure(q);
  EXPECT_EQ(stats->total.masked, 0);
  auto csv = Grievances().ExportCsv({});
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("gbv_disclosure"), std::string::npos);
}

}  // namespace
}  // namespace malchin::grievance
