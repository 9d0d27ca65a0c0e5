// Broadcasts on every engine: the target rule over the register, phones
// and opt-outs, counts by soum x sex of head, maker-checker above the
// dated thresholds, sending once per household (again after a crash
// midway), the caller's area, progress and the delivery report.
#include <gtest/gtest.h>

#include <algorithm>

#include "backends/conformance/outbox_count.h"
#include "backends/testing/test_database.h"
#include "channel/broadcast.h"
#include "channel/outbox.h"
#include "core/clock.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using channel::BroadcastState;
using registry::Sex;

constexpr int kInEvent = 30;  // Herder households in soum 18140.

class ChannelBroadcastTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    session().SetClock(&clock_);
    std::vector<registry::Household> hs;
    std::vector<registry::Person> ps;
    auto add = [&](const std::string& id, int32_t soum, bool herder,
                   const std::string& phone, Sex head) {
      registry::Household h;
      h.id = id;
      h.soum_code = h.current_soum_code = soum;
      h.herder = herder;
      h.phone = phone;
      hs.push_back(h);
      registry::Person p;
      p.register_no = "ИЗ85" + std::to_string(120300 + hs.size());
      p.household_id = id;
      p.family_name = "Боржигин";
      p.father_name = "Батбаяр";
      p.given_name = "Сүхээ";
      p.sex = head;
      p.birth_date = *Date::Parse("1985-12-03");
      p.relation = registry::Relation::kHead;
      ps.push_back(p);
    };
    for (int i = 0; i < kInEvent; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "H%02d", i);
      add(id, 18140, true, std::to_string(88000000 + i),
          i % 2 ? Sex::kMale : Sex::kFemale);
    }
    add("L1", 18125, true, "88100001", Sex::kFemale);  // Severity low.
    add("N1", 18140, false, "88100002", Sex::kMale);   // Not herders.
    add("P0", 18140, true, "", Sex::kFemale);          // No phone.
    add("S1", 18140, true, "88100003", Sex::kMale);    // Opted out.
    auto w = Get<registry::Repository>().Upsert(hs, ps, {"test", "t"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(channel::SetOptOut(session(), "88100003", true, "sms").ok());
    event_.name = "Zavkhan dzud";
    event_.severity_by_soum = {{18140, rules::Severity::kHigh},
                               {18125, rules::Severity::kLow}};
    ctx_.catalogue = *channel::TemplateCatalogue::Embedded();
    ctx_.parameters = *params::ParameterSet::Embedded();
    ctx_.event = &event_;
  }
  void TearDown() override {
    if (!IsSkipped()) session().SetClock(nullptr);
    EngineTest::TearDown();
  }
  channel::DraftRequest Request() {
    channel::DraftRequest r;
    r.title = "Dzud warning";
    r.target = "household.herder and event.severity >= high";
    r.event_code = "DZ2026";
    r.template_id = "shock.alert";
    r.values = {{"soum", "Тосонцэнгэл"},
                {"shock", "цагаан зуд"},
                {"deadline", "2026-03-10"},
                {"phone", "70112233"}};
    return r;
  }
  int64_t Draft(store::Session& s) {
    auto b = channel::DraftBroadcast(s, ctx_, Request());
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? b->id : 0;
  }
  int64_t OutboxCount() { return OutboxMessages(session()); }
  // A second officer's session (national).
  std::unique_ptr<store::Session> Checker() {
    auto s = Connect({}, "checker");
    s->SetClock(&clock_);
    return s;
  }

  FakeClock clock_{*Date::Parse("2026-03-02")};
  rules::EventContext event_;
  channel::BroadcastContext ctx_;
};

TEST_P(ChannelBroadcastTest, PreviewCountsRecipientsBySoumAndSexOfHead) {
  int64_t id = Draft(session());
  auto p = channel::PreviewBroadcast(session(), ctx_, id);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->selected, kInEvent + 2);  // + no phone + opted out.
  EXPECT_EQ(p->no_phone, 1);
  EXPECT_EQ(p->opted_out, 1);
  EXPECT_EQ(p->recipients, kInEvent);
  ASSERT_EQ(p->by_soum_sex.size(), 2u);
  EXPECT_EQ(p->by_soum_sex[0].soum_code, 18140);
  EXPECT_EQ(p->by_soum_sex[0].head_sex, Sex::kFemale);
  EXPECT_EQ(p->by_soum_sex[0].households, kInEvent / 2);
  EXPECT_EQ(p->by_soum_sex[1].head_sex, Sex::kMale);
  EXPECT_EQ(p->by_soum_sex[1].households, kInEvent / 2);
  // Cyrillic: UCS-2; the text is over 70 units, so two segments at 20 MNT.
  EXPECT_EQ(p->segments, 2);
  EXPECT_EQ(p->cost_per_message, 40);
  EXPECT_EQ(p->cost, 40 * kInEvent);
  EXPECT_FALSE(p->needs_approval);
}

TEST_P(ChannelBroadcastTest, AMalformedTargetIsRefusedNamingTheField) {
  auto r = Request();
  r.target = "household.herder and event.severty >= high";
  auto b = channel::DraftBroadcast(session(), ctx_, r);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find("target"), std::string::npos);
}

TEST_P(ChannelBroadcastTest, UnderTheThresholdsTheMakerSendsOnceEach) {
  int64_t id = Draft(session());
  auto sent = channel::SendBroadcast(session(), ctx_, id, /*batch=*/7);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->state, BroadcastState::kQueued);
  EXPECT_EQ(sent->recipients, kInEvent);
  EXPECT_EQ(sent->cost, 40 * kInEvent);
  EXPECT_EQ(OutboxCount(), kInEvent);
  auto m = Get<channel::Repository>().FindByKey(
      channel::BroadcastMessageKey(id, "H07"));
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->phone, "+97688000007");
  EXPECT_EQ((*m)->template_id, "shock.alert");
  // Again: nothing more.
  ASSERT_TRUE(channel::SendBroadcast(session(), ctx_, id).ok());
  EXPECT_EQ(OutboxCount(), kInEvent);
  auto report = channel::ReportBroadcast(session(), id);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->progress["queued"], kInEvent);
  ASSERT_EQ(report->by_soum_sex.size(), 2u);
  EXPECT_EQ(report->by_soum_sex[1].head_sex, Sex::kMale);
  EXPECT_EQ(report->by_soum_sex[1].messages, kInEvent / 2);
}

TEST_P(ChannelBroadcastTest, OverAThresholdASecondOfficerMustApprove) {
  ctx_.parameters = ctx_.parameters->Override(
      "sms.broadcast_approval_recipients",
      {{*Date::Parse("2026-01-01"), 10, "test", "high"}});
  int64_t id = Draft(session());
  auto p = channel::PreviewBroadcast(session(), ctx_, id);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->needs_approval);
  auto early = channel::SendBroadcast(session(), ctx_, id);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(early.status().message().find("sms.broadcast_approval_recipients"),
            std::string::npos);
  EXPECT_EQ(OutboxCount(), 0);
  auto own = channel::ApproveBroadcast(session(), id);
  EXPECT_EQ(own.status().code(), StatusCode::kPermissionDenied);
  auto checker = Checker();
  auto approved = channel::ApproveBroadcast(*checker, id);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->state, BroadcastState::kApproved);
  EXPECT_EQ(approved->approved_by, "checker");
  EXPECT_EQ(channel::ApproveBroadcast(*checker, id).status().code(),
            StatusCode::kFailedPrecondition);
  auto sent = channel::SendBroadcast(session(), ctx_, id);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->state, BroadcastState::kQueued);
  EXPECT_EQ(OutboxCount(), kInEvent);
}

TEST_P(ChannelBroadcastTest, ADraftIsSentByItsMakerOnly) {
  int64_t id = Draft(session());
  auto other = channel::SendBroadcast(*Checker(), ctx_, id);
  EXPECT_EQ(other.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(OutboxCount(), 0);
}

TEST_P(ChannelBroadcastTest, ACancelledBroadcastIsNeverSent) {
  int64_t id = Draft(session());
  ASSERT_TRUE(channel::CancelBroadcast(session(), id).ok());
  EXPECT_EQ(channel::SendBroadcast(session(), ctx_, id).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(OutboxCount(), 0);
}

TEST_P(ChannelBroadcastTest, SendingAgainAfterACrashMidwayQueuesNobodyTwice) {
  int64_t id = Draft(session());
  ASSERT_TRUE(channel::SendBroadcast(session(), ctx_, id, 7).ok());
  // As if the process died after the outbox kept some messages but before
  // their recipients were marked (or mid-way through the batches).
  Status crash = backends::testing::ExecRawSql(
      database(),
      "UPDATE sms_broadcast_recipients SET queued = 0 WHERE household_id > "
      "'H10'; UPDATE sms_broadcasts SET state = 'sending'");
  ASSERT_TRUE(crash.ok()) << crash.ToString();
  auto again = channel::SendBroadcast(session(), ctx_, id, 7);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->state, BroadcastState::kQueued);
  EXPECT_EQ(OutboxCount(), kInEvent);
  auto report = channel::ReportBroadcast(session(), id);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->progress["queued"], kInEvent);
}

TEST_P(ChannelBroadcastTest, ProgressCountsDeliveredFailedAndUnknown) {
  int64_t id = Draft(session());
  ASSERT_TRUE(channel::SendBroadcast(session(), ctx_, id).ok());
  auto& outbox = Get<channel::Repository>();
  auto message = [&](const char* household) {
    return (*outbox.FindByKey(channel::BroadcastMessageKey(id, household)))->id;
  };
  ASSERT_TRUE(
      session()
          .Write([&]() -> Status {
            // H00, H02 (female heads) delivered; H01 (male) failed;
            // H03, H05 (male) sent long ago, then marked unknown.
            for (const char* h : {"H00", "H02"}) {
              MALCHIN_RETURN_IF_ERROR(outbox.SetDeliveryState(
                  message(h), channel::OutboxState::kDelivered, 1, 5, 6));
            }
            MALCHIN_RETURN_IF_ERROR(outbox.SetDeliveryState(
                message("H01"), channel::OutboxState::kFailed, 16, 5, 6));
            for (const char* h : {"H03", "H05"}) {
              MALCHIN_RETURN_IF_ERROR(outbox.SetDeliveryState(
                  message(h), channel::OutboxState::kSent, 8, 5, 0));
            }
            return outbox.MarkUnknown(10, 20).status();
          })
          .ok());
  auto report = channel::ReportBroadcast(session(), id);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->progress["delivered"], 2);
  EXPECT_EQ(report->progress["failed"], 1);
  EXPECT_EQ(report->progress["unknown"], 2);
  EXPECT_EQ(report->progress["queued"], kInEvent - 5);
  std::map<std::pair<Sex, std::string>, int64_t> cells;
  for (const auto& c : report->by_soum_sex) {
    EXPECT_EQ(c.soum_code, 18140);
    cells[{c.head_sex, c.state}] += c.messages;
  }
  EXPECT_EQ((cells[{Sex::kFemale, "delivered"}]), 2);
  EXPECT_EQ((cells[{Sex::kMale, "failed"}]), 1);
  EXPECT_EQ((cells[{Sex::kMale, "unknown"}]), 2);
}

TEST_P(ChannelBroadcastTest, TheCallersAreaScopesRecipientsAndBroadcasts) {
  auto other_soum = Connect(store::AreaFilter::FromCode(18125), "soum2");
  other_soum->SetClock(&clock_);
  int64_t national = Draft(session());
  EXPECT_EQ(channel::FindBroadcast(*other_soum, national).status().code(),
            StatusCode::kNotFound);
  auto r = Request();
  r.target = "household.herder";
  auto own = channel::DraftBroadcast(*other_soum, ctx_, r);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->area_code, 18125);
  auto p = channel::PreviewBroadcast(*other_soum, ctx_, own->id);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->recipients, 1);  // L1 only.
}

TEST_P(ChannelBroadcastTest, TheListShowsWhatFindFindsNewestFirstInPages) {
  auto aimag = Connect(store::AreaFilter::FromCode(181), "aimag");
  auto soum = Connect(store::AreaFilter::FromCode(18125), "soum2");
  auto other = Connect(store::AreaFilter::FromCode(650), "other");
  std::vector<int64_t> ids;  // Oldest first.
  for (store::Session* s :
       {&session(), soum.get(), aimag.get(), other.get(), soum.get()}) {
    s->SetClock(&clock_);
    auto r = Request();
    r.target = "household.herder";
    auto b = channel::DraftBroadcast(*s, ctx_, r);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    ids.push_back(b->id);
  }
  auto ids_of = [](const std::vector<channel::Broadcast>& bs) {
    std::vector<int64_t> out;
    for (const auto& b : bs) out.push_back(b.id);
    return out;
  };
  auto all = channel::ListBroadcasts(session(), 0, 100);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(ids_of(*all),
            (std::vector<int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_EQ((*all)[0].created_by, "soum2");
  // The aimag sees its own and its soum's; the soum only its own.
  auto in_aimag = channel::ListBroadcasts(*aimag, 0, 100);
  ASSERT_TRUE(in_aimag.ok());
  EXPECT_EQ(ids_of(*in_aimag), (std::vector<int64_t>{ids[4], ids[2], ids[1]}));
  auto in_soum = channel::ListBroadcasts(*soum, 0, 100);
  ASSERT_TRUE(in_soum.ok());
  EXPECT_EQ(ids_of(*in_soum), (std::vector<int64_t>{ids[4], ids[1]}));
  // Exactly what FindBroadcast finds, for every caller.
  for (store::Session* s : {&session(), aimag.get(), soum.get(), other.get()}) {
    auto listed = channel::ListBroadcasts(*s, 0, 100);
    ASSERT_TRUE(listed.ok());
    auto seen = ids_of(*listed);
    for (int64_t id : ids) {
      bool found = channel::FindBroadcast(*s, id).ok();
      EXPECT_EQ(found, std::count(seen.begin(), seen.end(), id) == 1)
          << s->caller().actor << " broadcast " << id;
    }
  }
  // Pages: a page of one for the soum skips the others' broadcasts
  // between its own.
  auto first = channel::ListBroadcasts(*soum, 0, 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(ids_of(*first), (std::vector<int64_t>{ids[4]}));
  auto next = channel::ListBroadcasts(*soum, ids[4], 1);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(ids_of(*next), (std::vector<int64_t>{ids[1]}));
  auto last = channel::ListBroadcasts(*soum, ids[1], 1);
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->empty());
  auto two = channel::ListBroadcasts(session(), ids[3], 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(ids_of(*two), (std::vector<int64_t>{ids[2], ids[1]}));
}

INSTANTIATE_TEST_SUITE_P(Engines, ChannelBroadcastTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
