// Inbound SMS on every engine: keywords answered in Mongolian from the
// templates, STOP/START opting out and back in, status answers only to the
// register's phone for that person, unknown text kept for the officers'
// inbox, and a message Kannel delivers twice handled once.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "channel/inbound.h"
#include "channel/outbox.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using channel::InboundHandling;
using channel::Keyword;

class FixedFacts : public channel::HerderFacts {
 public:
  Result<std::optional<channel::TemplateValues>> Insurance(
      store::Session&, std::string_view rn) override {
    asked.push_back(std::string(rn));
    return std::optional(channel::TemplateValues{{"social_months", "84"},
                                                 {"health_months", "96"},
                                                 {"health_until", "2026-02"}});
  }
  Result<std::optional<channel::TemplateValues>> Payment(
      store::Session&, std::string_view) override {
    return std::optional<channel::TemplateValues>();
  }
  std::vector<std::string> asked;
};

class ChannelInboundTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    registry::Household h;
    h.id = "H1";
    h.soum_code = h.current_soum_code = 18140;
    h.herder = true;
    h.phone = "88001122";
    registry::Person p;
    p.register_no = "ИЗ85120320";
    p.household_id = "H1";
    p.family_name = "Боржигин";
    p.father_name = "Батбаяр";
    p.given_name = "Сүхээ";
    p.sex = registry::Sex::kFemale;
    p.birth_date = *Date::Parse("1985-12-03");
    p.relation = registry::Relation::kHead;
    p.phone = "99112233";
    auto w = Get<registry::Repository>().Upsert({h}, {p}, {"test", "t"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    catalogue_ = *channel::TemplateCatalogue::Embedded();
    params_ = *params::ParameterSet::Embedded();
    context_ = {catalogue_.get(), params_.get(), &facts_, "1234"};
  }
  Result<channel::InboundOutcome> Receive(const std::string& id,
                                          const std::string& from,
                                          const std::string& text) {
    channel::InboundSms sms;
    sms.kannel_id = id;
    sms.from = from;
    sms.to = "1234";
    sms.text = text;
    sms.keyword = text.substr(0, text.find(' '));
    return channel::HandleInbound(session(), context_, sms);
  }
  std::string ReplyText(const channel::InboundOutcome& o) {
    auto m = Get<channel::Repository>().FindByKey(o.reply_key);
    EXPECT_TRUE(m.ok() && m->has_value()) << o.reply_key;
    return m.ok() && m->has_value() ? (*m)->text : "";
  }
  std::shared_ptr<const channel::TemplateCatalogue> catalogue_;
  std::shared_ptr<const params::ParameterSet> params_;
  FixedFacts facts_;
  channel::InboundContext context_;
};

TEST_P(ChannelInboundTest, InsuranceAnsweredToTheRegistersPhoneOnly) {
  auto own = Receive("k1", "+97699112233", "Даатгал из85120320");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->keyword, Keyword::kInsurance);
  EXPECT_EQ(own->reply_template, "inbound.insurance_status");
  EXPECT_NE(ReplyText(*own).find("Нийгмийн даатгал: 84 сар"),
            std::string::npos);
  // The household's phone is on the register for its members too.
  auto household = Receive("k2", "88001122", "ДААТГАЛ ИЗ85120320");
  ASSERT_TRUE(household.ok());
  EXPECT_EQ(household->reply_template, "inbound.insurance_status");
  // Another phone learns nothing about her.
  auto stranger = Receive("k3", "+97695554433", "даатгал ИЗ85120320");
  ASSERT_TRUE(stranger.ok());
  EXPECT_EQ(stranger->reply_template, "inbound.not_registered");
  EXPECT_EQ(ReplyText(*stranger).find("84"), std::string::npos);
  EXPECT_EQ(facts_.asked.size(), 2u);
  auto missing = Receive("k4", "99112233", "даатгал");
  EXPECT_EQ(missing->reply_template, "inbound.not_registered");
  auto nothing = Receive("k5", "99112233", "төлбөр ИЗ85120320");
  EXPECT_EQ(nothing->reply_template, "inbound.no_information");
}

TEST_P(ChannelInboundTest, StopAndStartOptOutAndBackIn) {
  auto stop = Receive("s1", "99112233", "ЗОГС");
  ASSERT_TRUE(stop.ok()) << stop.status().ToString();
  EXPECT_EQ(stop->reply_template, "inbound.opted_out");
  auto& repo = Get<channel::Repository>();
  EXPECT_TRUE(*repo.IsOptedOut("+97699112233"));
  // The confirmation is a reply: it goes although the phone opted out.
  auto reply = repo.FindByKey(stop->reply_key);
  EXPECT_EQ((*reply)->kind, channel::MessageKind::kReply);
  ASSERT_TRUE(Receive("s2", "99112233", "start").ok());
  EXPECT_FALSE(*repo.IsOptedOut("+97699112233"));
  EXPECT_EQ(repo.OptOutHistory("+97699112233")->size(), 2u);
}

TEST_P(ChannelInboundTest, UnknownTextGoesToTheInboxAndTwiceIsOnce) {
  auto first = Receive("u1", "99112233", "Сайн байна уу, мал хорогдлоо");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->handling, InboundHandling::kInbox);
  EXPECT_EQ(first->reply_template, "inbound.not_understood");
  auto again = Receive("u1", "99112233", "Сайн байна уу, мал хорогдлоо");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  auto complaint = Receive("c1", "99112233", "гомдол мөнгө ирээгүй");
  EXPECT_EQ(complaint->reply_template, "inbound.complaint_received");
  auto inbox = Get<channel::Repository>().Inbox(10);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 2u);
  EXPECT_EQ((*inbox)[0].sms.text, "гомдол мөнгө ирээгүй");
  auto counts = Get<channel::Repository>().CountByState();
  EXPECT_EQ((*counts)[channel::OutboxState::kQueued], 2);
}

TEST_P(ChannelInboundTest, ForeignNumberIsStoredButNotAnswered) {
  auto r = Receive("f1", "+861390000000", "stop");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->handling, InboundHandling::kIgnored);
  EXPECT_TRUE(r->reply_key.empty());
  EXPECT_TRUE(Get<channel::Repository>().CountByState()->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, ChannelInboundTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
