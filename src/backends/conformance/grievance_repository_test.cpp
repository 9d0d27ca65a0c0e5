// grievance::Repository on every engine: cases and what is attached to
// them, the visibility each engine applies in its queries (checked again by
// the capability), area scoping, the channel-id constraint, versions, and
// what the schema itself refuses.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "grievance/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawSqlRefused;
using grievance::Case;
using grievance::CaseQuery;
using grievance::CaseState;
using grievance::Channel;

Date D(const char* s) { return *Date::Parse(s); }

Case NewCase(int32_t soum, bool confidential, std::string accused = "",
             std::string external = "") {
  Case c;
  c.channel = Channel::kOffice;
  c.category = confidential ? "gbv_disclosure" : "not_included";
  c.confidential = confidential;
  c.soum_code = soum;
  c.complainant.name = "Бат Сараа";
  c.complainant.register_no = "ИЗ85120320";
  c.complainant.sex = registry::Sex::kFemale;
  c.complainant.birth_year = 1985;
  c.complainant.contact = grievance::Contact::kLetter;
  c.accused_officer = std::move(accused);
  if (!c.accused_officer.empty()) {
    c.subject_kind = grievance::SubjectKind::kOfficer;
    c.subject_ref = c.accused_officer;
  }
  c.summary = "Хүүхдийн мөнгө ороогүй";
  c.external_id = std::move(external);
  c.received_at = "2026-12-01T03:00:00Z";
  c.received_on = D("2026-12-01");
  c.recorded_by = "tos";
  c.acknowledge_by = D("2026-12-06");
  c.resolve_by = D("2026-12-31");
  return c;
}

class GrievanceRepositoryTest : public EngineTest {
 protected:
  // A session acting as `actor` with `role` over `area`.
  std::unique_ptr<store::Session> As(const std::string& actor,
                                     const std::string& role, int32_t area) {
    auto s = Connect(store::AreaFilter::FromCode(area), actor);
    if (s) s->SetCaller({actor, role, store::AreaFilter::FromCode(area)});
    return s;
  }
  // Inserts as the test's own (national, system) session.
  Case Insert(const Case& c) {
    grievance::Repository& repo = Get<grievance::Repository>();
    Result<Case> out = Case{};
    Status st = session().Write([&]() -> Status {
      out = repo.InsertCase(c);
      return out.status();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out.ok() ? *out : Case{};
  }
  static bool Sees(store::Session& s, int64_t id) {
    auto c = s.Get<grievance::Repository>().FindCase(id);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() && c->has_value();
  }
};

TEST_P(GrievanceRepositoryTest, InsertFindAndReferences) {
  Case c = Insert(NewCase(18140, false));
  ASSERT_GT(c.id, 0);
  EXPECT_EQ(c.reference, grievance::MakeReference(2026, c.id));
  EXPECT_EQ(c.version, 1);
  auto officer = As("tos", "soum_officer", 18140);
  auto got = officer->Get<grievance::Repository>().FindCase(c.id);
  ASSERT_TRUE(got.ok() && got->has_value()) << got.status().ToString();
  EXPECT_EQ(**got, c);  // Every field round-trips.
  auto by_ref =
      officer->Get<grievance::Repository>().FindByReference(c.reference);
  ASSERT_TRUE(by_ref.ok() && by_ref->has_value());
  EXPECT_EQ((*by_ref)->id, c.id);
  // The system session has no role: it sees no case.
  EXPECT_FALSE(Get<grievance::Repository>().FindCase(c.id)->has_value());
}

TEST_P(GrievanceRepositoryTest, EachEngineAppliesTheVisibilityRule) {
  Case ordinary = Insert(NewCase(18140, false));
  Case secret = Insert(NewCase(18140, true));
  Case about_bold = Insert(NewCase(18140, false, "bold"));
  Case arkhangai = Insert(NewCase(26501, false));
  struct Row {
    const char* actor;
    const char* role;
    int32_t area;
    bool ordinary, secret, about_bold, arkhangai;
  };
  for (const Row& r : std::vector<Row>{
           {"tos", "soum_officer", 18140, true, false, true, false},
           {"bold", "soum_officer", 18140, true, false, false, false},
           {"zav", "aimag_officer", 181, true, false, true, false},
           {"nat", "national_officer", 0, true, false, true, true},
           {"fp", "gbv_focal_point", 181, false, true, false, false},
           {"fp_ark", "gbv_focal_point", 265, false, false, false, false},
           {"aud", "auditor", 0, false, false, false, false},
           {"adm", "admin", 0, false, false, false, false},
           {"hot", "hotline_operator", 0, false, false, false, false},
           {"ana", "analyst", 0, false, false, false, false}}) {
    auto s = As(r.actor, r.role, r.area);
    SCOPED_TRACE(r.actor);
    EXPECT_EQ(Sees(*s, ordinary.id), r.ordinary);
    EXPECT_EQ(Sees(*s, secret.id), r.secret);
    EXPECT_EQ(Sees(*s, about_bold.id), r.about_bold);
    EXPECT_EQ(Sees(*s, arkhangai.id), r.arkhangai);
    auto page = s->Get<grievance::Repository>().ListCases({});
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    int64_t expected = r.ordinary + r.secret + r.about_bold + r.arkhangai;
    EXPECT_EQ(page->total, expected);
    EXPECT_EQ(static_cast<int64_t>(page->items.size()), expected);
    // Counts: every case of the area, the hidden ones without detail.
    auto facts = s->Get<grievance::Repository>().Facts({});
    ASSERT_TRUE(facts.ok()) << facts.status().ToString();
    for (const auto& f : *facts) {
      if (f.masked) {
        EXPECT_EQ(f.category, "confidential");
        EXPECT_EQ(f.header.id, 0);
        EXPECT_FALSE(f.sex.has_value());
        EXPECT_FALSE(f.channel.has_value());
      }
    }
  }
  // The records of a case the caller may not see are NotFound.
  auto tos = As("tos", "soum_officer", 18140);
  EXPECT_EQ(tos->Get<grievance::Repository>().Events(secret.id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      tos->Get<grievance::Repository>().Notices(secret.id).status().code(),
      StatusCode::kNotFound);
}

TEST_P(GrievanceRepositoryTest, ListFiltersPagesAndKeys) {
  for (int i = 0; i < 7; ++i) {
    Case c = NewCase(i % 2 ? 18140 : 18125, false);
    if (i == 3) c.channel = Channel::kHotline;
    Insert(c);
  }
  auto nat = As("nat", "national_officer", 0);
  auto& repo = nat->Get<grievance::Repository>();
  CaseQuery q;
  q.page_size = 3;
  auto p1 = repo.ListCases(q);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(p1->total, 7);
  ASSERT_EQ(p1->items.size(), 3u);
  EXPECT_GT(p1->items[0].id, p1->items[1].id);  // Newest first.
  q.page = 3;
  EXPECT_EQ(repo.ListCases(q)->items.size(), 1u);
  CaseQuery keys;
  keys.page_size = 4;
  keys.after_id = 2;
  auto k = repo.ListCases(keys);
  ASSERT_EQ(k->items.size(), 4u);
  EXPECT_EQ(k->items[0].id, 3);  // Ascending after the key.
  CaseQuery filtered;
  filtered.channel = Channel::kHotline;
  EXPECT_EQ(repo.ListCases(filtered)->total, 1);
  filtered = {};
  filtered.area = store::AreaFilter{0, 18125};
  EXPECT_EQ(repo.ListCases(filtered)->total, 4);
  filtered = {};
  filtered.overdue_on = D("2026-12-07");  // Past acknowledge_by.
  EXPECT_EQ(repo.ListCases(filtered)->total, 7);
  filtered.overdue_on = D("2026-12-06");
  EXPECT_EQ(repo.ListCases(filtered)->total, 0);
  filtered = {};
  filtered.state = CaseState::kClosed;
  EXPECT_EQ(repo.ListCases(filtered)->total, 0);
  filtered = {};
  filtered.received_from = D("2026-12-02");
  EXPECT_EQ(repo.ListCases(filtered)->total, 0);
}

TEST_P(GrievanceRepositoryTest, ChannelIdsVersionsAndUpdates) {
  Case c = Insert(NewCase(18140, false, "", "batch:u-1"));
  auto& repo = Get<grievance::Repository>();
  EXPECT_TRUE(*repo.ExternalIdTaken(Channel::kOffice, "batch:u-1"));
  EXPECT_FALSE(*repo.ExternalIdTaken(Channel::kSms, "batch:u-1"));
  Status again = session().Write([&]() {
    return repo.InsertCase(NewCase(18140, false, "", "batch:u-1")).status();
  });
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  Case changed = c;
  changed.state = CaseState::kAcknowledged;
  changed.acknowledged_on = D("2026-12-02");
  changed.assigned_to = "tos";
  Result<int64_t> v = 0;
  ASSERT_TRUE(session()
                  .Write([&]() {
                    v = repo.UpdateCase(changed);
                    return v.status();
                  })
                  .ok());
  EXPECT_EQ(*v, 2);
  // The same version again is a conflict naming both.
  Status stale =
      session().Write([&]() { return repo.UpdateCase(changed).status(); });
  EXPECT_EQ(stale.code(), StatusCode::kConflict);
  EXPECT_NE(stale.message().find("version 2"), std::string::npos);
  auto nat = As("nat", "national_officer", 0);
  auto stored = nat->Get<grievance::Repository>().FindCase(c.id);
  EXPECT_EQ((*stored)->state, CaseState::kAcknowledged);
  EXPECT_EQ((*stored)->assigned_to, "tos");
  EXPECT_EQ((*stored)->version, 2);
  auto headers = repo.Headers({c.id, 999});
  ASSERT_EQ(headers->size(), 1u);
  EXPECT_EQ(headers->front().soum_code, 18140);
}

TEST_P(GrievanceRepositoryTest, WhatIsAttachedToACase) {
  Case c = Insert(NewCase(18140, false));
  auto& repo = Get<grievance::Repository>();
  const std::string bytes("%PDF\0\x01\xff\n binary", 16);
  ASSERT_TRUE(
      session()
          .Write([&]() -> Status {
            grievance::CaseEvent e{0,
                                   c.id,
                                   "2026-12-01T03:00:00Z",
                                   "tos",
                                   grievance::EventKind::kReceived,
                                   std::nullopt,
                                   CaseState::kReceived,
                                   "office"};
            MALCHIN_RETURN_IF_ERROR(repo.AddEvent(e).status());
            grievance::Attachment a{
                0,  c.id,  "form.pdf", "application/pdf",
                16, "abc", "tos",      "2026-12-01T03:01:00Z"};
            MALCHIN_RETURN_IF_ERROR(repo.AddAttachment(a, bytes).status());
            grievance::Notice n;
            n.case_id = c.id;
            n.language = "mn";
            n.text = "Эрхэм иргэн";
            n.created_at = "2026-12-02T00:00:00Z";
            n.created_by = "tos";
            MALCHIN_ASSIGN_OR_RETURN(int64_t nid, repo.AddNotice(n));
            MALCHIN_RETURN_IF_ERROR(
                repo.SetNoticeStatus(nid, grievance::NoticeStatus::kPrinted));
            grievance::Consent k{0,    c.id,  true,
                                 true, false, "verbal",
                                 "",   "fp",  "2026-12-02T00:00:00Z"};
            MALCHIN_ASSIGN_OR_RETURN(int64_t kid, repo.AddConsent(k));
            grievance::Referral r{0,    c.id,  "police_102",
                                  true, false, kid,
                                  "",   "fp",  "2026-12-02T00:00:00Z"};
            MALCHIN_RETURN_IF_ERROR(repo.AddReferral(r).status());
            grievance::Fix f{0,
                             c.id,
                             grievance::FixKind::kPaymentHold,
                             "P-1",
                             0,
                             "hold it",
                             "tos",
                             "2026-12-02T00:00:00Z"};
            return repo.AddFix(f).status();
          })
          .ok());
  auto s = As("tos", "soum_officer", 18140);
  auto& seen = s->Get<grievance::Repository>();
  auto events = seen.Events(c.id);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].to, CaseState::kReceived);
  EXPECT_FALSE((*events)[0].from.has_value());
  auto atts = seen.Attachments(c.id);
  ASSERT_EQ(atts->size(), 1u);
  auto content = seen.AttachmentContent(c.id, (*atts)[0].id);
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(*content, bytes);  // Every byte, NULs included.
  EXPECT_EQ(seen.AttachmentContent(c.id, 999).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ((*seen.Notices(c.id))[0].status, grievance::NoticeStatus::kPrinted);
  EXPECT_TRUE((*seen.Consents(c.id))[0].share_contact);
  EXPECT_EQ((*seen.Referrals(c.id))[0].service_code, "police_102");
  EXPECT_EQ((*seen.Fixes(c.id))[0].kind, grievance::FixKind::kPaymentHold);
}

TEST_P(GrievanceRepositoryTest, TheSchemaRefusesWhatTheRuleRestsOn) {
  Case c = Insert(NewCase(18140, true));
  Case o = Insert(NewCase(18140, false, "bold"));
  const std::string id = std::to_string(c.id), oid = std::to_string(o.id);
  const char* no = engine() == store::Engine::kSqlite ? "0" : "false";
  EXPECT_TRUE(RawSqlRefused(database(), std::string("UPDATE grievance_cases "
                                                    "SET confidential = ") +
                                            no + " WHERE id = " + id));
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE grievance_cases SET accused_officer = '' "
                            "WHERE id = " +
                                oid));
  // Named once after intake (from empty), then never changed.
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE grievance_cases SET accused_officer = "
                            "'other' WHERE id = " +
                                oid));
  EXPECT_TRUE(backends::testing::ExecRawSql(
                  database(),
                  "UPDATE grievance_cases SET accused_officer = 'bold' "
                  "WHERE id = " +
                      id)
                  .ok());
  EXPECT_TRUE(RawSqlRefused(database(),
                            "UPDATE grievance_cases SET accused_officer = "
                            "'other' WHERE id = " +
                                id));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM grievance_cases"));
  ASSERT_TRUE(session()
                  .Write([&]() {
                    return Get<grievance::Repository>()
                        .AddEvent({0, c.id, "t", "a",
                                   grievance::EventKind::kNote, std::nullopt,
                                   std::nullopt, "x"})
                        .status();
                  })
                  .ok());
  EXPECT_TRUE(
      RawSqlRefused(database(), "UPDATE grievance_events SET text = 'y'"));
  EXPECT_TRUE(RawSqlRefused(database(), "DELETE FROM grievance_events"));
  // A referral that shares data needs a consent.
  const char* yes = engine() == store::Engine::kSqlite ? "1" : "true";
  EXPECT_TRUE(RawSqlRefused(
      database(),
      std::string("INSERT INTO grievance_referrals (case_id, service_code, "
                  "shares_contact, shares_details, referred_by, referred_at) "
                  "VALUES (") +
          id + ", 'police_102', " + yes + ", " + no + ", 'fp', 't')"));
  // An anonymous complaint keeps no name.
  Case anon = NewCase(18140, false);
  anon.complainant.anonymous = true;
  Status st = session().Write(
      [&]() { return Get<grievance::Repository>().InsertCase(anon).status(); });
  EXPECT_FALSE(st.ok());
}

TEST_P(GrievanceRepositoryTest, TheMinistrysCatalogue) {
  auto& repo = Get<grievance::Repository>();
  grievance::Category cat{"drought", "Ган", "Drought", "",
                          "",        false, true,      "ministry.json"};
  grievance::ReferralService svc;
  svc.code = "ossc_zavkhan";
  svc.kind = "one_stop_centre";
  svc.area_code = 181;
  svc.name_mn = "НЦҮТ";
  svc.name_en = "OSSC";
  svc.phone = "70451234";
  svc.confidence = "high";
  svc.verified = true;
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    MALCHIN_RETURN_IF_ERROR(repo.PutCategory(cat, "nat", "t1"));
                    cat.active = false;
                    MALCHIN_RETURN_IF_ERROR(repo.PutCategory(cat, "nat", "t2"));
                    return repo.PutService(svc, "nat", "t1");
                  })
                  .ok());
  auto cats = repo.StoredCategories();
  ASSERT_EQ(cats->size(), 1u);
  EXPECT_EQ(cats->front(), cat);
  auto svcs = repo.StoredServices();
  ASSERT_EQ(svcs->size(), 1u);
  EXPECT_EQ(svcs->front(), svc);
}

INSTANTIATE_TEST_SUITE_P(Engines, GrievanceRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
