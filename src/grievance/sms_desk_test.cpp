// A complaint texted to the short code becomes a grievance case of the
// sender's soum (issue #17, "SMS once the herders' channel exists"), and
// the complainant's SMS notices go through the channel's outbox. Zavkhan
// at 5% is generated; the register's phones say which soum a sender is
// of. Runs on the engine MALCHIN_TEST_ENGINE names.
#include "grievance/sms_desk.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "auth/accounts.h"
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "channel/outbox.h"
#include "cli/cli.h"
#include "cli/testing.h"
#include "registry/repository.h"

namespace malchin::grievance {
namespace {

class SmsDeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(backends::testing::TestDatabase::Make(
                              backends::testing::ApiTestEngine())
                              .value());
    auto generated =
        cli::testing::Run({"generate", "--db", database_->url(), "--aimag",
                           "Zavkhan", "--scale", "0.05"});
    ASSERT_EQ(generated.code, 0) << generated.err;
    auto s = database_->Connect();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    session_ = std::move(*s);
    auto ctx = Context::Embedded();
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = std::move(*ctx);
    desk_ = std::make_unique<SmsComplaintDesk>(ctx_);
    inbound_.catalogue = ctx_.sms.get();
    inbound_.parameters = ctx_.params.get();
    inbound_.complaints = desk_.get();
    Kannel();
    FindPhones();
  }
  void Kannel() {
    session_->SetCaller({"kannel", "system", store::AreaFilter{}});
  }
  // A phone of households in one soum only, and one the register lacks.
  void FindPhones() {
    std::map<std::string, std::set<int32_t>> soums;
    auto& registry = session_->Get<registry::Repository>();
    ASSERT_TRUE(registry
                    .ForEachHousehold({},
                                      [&](const registry::Household& h) {
                                        if (!h.phone.empty() && !h.deactivated)
                                          soums[h.phone].insert(h.soum_code);
                                        return Status::Ok();
                                      })
                    .ok());
    for (const auto& [phone, in] : soums) {
      if (in.size() == 1) {
        phone_ = phone;
        soum_ = *in.begin();
        break;
      }
    }
    ASSERT_FALSE(phone_.empty()) << "no household has a phone of its own";
    for (int n = 90000000; unknown_.empty(); ++n) {
      if (!soums.count(std::to_string(n))) unknown_ = std::to_string(n);
    }
  }
  Result<channel::InboundOutcome> Text(const std::string& id,
                                       const std::string& phone,
                                       const std::string& text) {
    channel::InboundSms sms;
    sms.kannel_id = id;
    sms.from = "+976" + phone;
    sms.to = "1234";
    sms.text = text;
    sms.keyword = "гомдол";
    sms.at = 1765000000;
    return channel::HandleInbound(*session_, inbound_, sms);
  }
  std::optional<channel::OutboxMessage> Outbox(const std::string& key) {
    auto m = session_->Get<channel::Repository>().FindByKey(key);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : std::nullopt;
  }
  int64_t Cases() {
    session_->SetCaller({"nat", "national_officer", store::AreaFilter{}});
    Service g(*session_, ctx_);
    auto page = g.List({});
    Kannel();
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->total : -1;
  }

  std::unique_ptr<backends::testing::TestDatabase> database_;
  std::unique_ptr<store::Session> session_;
  Context ctx_;
  std::unique_ptr<SmsComplaintDesk> desk_;
  channel::InboundContext inbound_;
  std::string phone_, unknown_;
  int32_t soum_ = 0;
};

TEST_F(SmsDeskTest, RegisteredPhoneMakesOneCaseOfItsSoumAndRepliesItsNumber) {
  auto got = Text("k-1", phone_, "ГОМДОЛ  Миний хүүхдэд мөнгө ороогүй.\n");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->handling, channel::InboundHandling::kAnswered);
  EXPECT_EQ(got->reply_template, "inbound.complaint_recorded");
  session_->SetCaller({"nat", "national_officer", store::AreaFilter{}});
  Service g(*session_, ctx_);
  auto page = g.List({});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->total, 1);
  auto view = g.Get(page->items[0].id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->c.channel, Channel::kSms);
  EXPECT_EQ(view->c.soum_code, soum_);
  EXPECT_EQ(view->c.summary, "Миний хүүхдэд мөнгө ороогүй.");
  EXPECT_EQ(view->c.complainant.phone, phone_);
  auto reply = Outbox(got->reply_key);
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->text.find(view->c.reference), std::string::npos)
      << reply->text;

  // Kannel delivers it again: nothing more.
  Kannel();
  auto again = Text("k-1", phone_, "ГОМДОЛ  Миний хүүхдэд мөнгө ороогүй.\n");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(Cases(), 1);
}

TEST_F(SmsDeskTest, UnknownPhoneOrEmptyTextStaysInTheInbox) {
  for (auto [id, phone, text] :
       {std::tuple{"k-2", unknown_, "ГОМДОЛ мөнгө ирээгүй"},
        {"k-3", phone_, "гомдол   "}}) {
    auto got = Text(id, phone, text);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->handling, channel::InboundHandling::kInbox) << id;
    EXPECT_EQ(got->reply_template, "inbound.complaint_received") << id;
  }
  EXPECT_EQ(Cases(), 0);
  auto inbox = session_->Get<channel::Repository>().Inbox(10);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->size(), 2u);
}

TEST_F(SmsDeskTest, TheSoumOfficeSeesTheCaseAndItsAcknowledgementIsQueued) {
  auto got = Text("k-4", phone_, "ГОМДОЛ Данс буруу бичигдсэн");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  auth::UserRecord u;
  u.username = "soum";
  u.password_hash = "x";
  u.role = "soum_officer";
  u.area_code = soum_;
  u.created_at = u.updated_at = "2025-01-01T00:00:00Z";
  ASSERT_TRUE(session_->Get<auth::AccountRepository>().CreateUser(u).ok());
  session_->SetCaller(
      {"soum", "soum_officer", store::AreaFilter::FromCode(soum_)});
  Service g(*session_, ctx_);
  auto page = g.List({});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->total, 1);
  const int64_t id = page->items[0].id;
  ASSERT_TRUE(g.Move(id, Action::kAcknowledge).ok());
  auto view = g.Get(id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  const Notice* sms = nullptr;
  for (const Notice& n : view->notices) {
    if (n.channel == NoticeChannel::kSms) sms = &n;
  }
  ASSERT_NE(sms, nullptr);
  EXPECT_EQ(sms->status, NoticeStatus::kQueued);
  auto queued = Outbox("grievance.notice." + std::to_string(sms->id));
  ASSERT_TRUE(queued.has_value());
  EXPECT_EQ(queued->phone, "+976" + phone_);
  EXPECT_EQ(queued->text, sms->text);
  EXPECT_EQ(queued->kind, channel::MessageKind::kReply);
}

TEST_F(SmsDeskTest, PhoneLookupKeepsToTheCallersArea) {
  auto& registry = session_->Get<registry::Repository>();
  auto all = registry.HouseholdsWithPhone(phone_, 20);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_FALSE(all->empty());
  for (const auto& h : *all) EXPECT_EQ(h.soum_code, soum_);
  const int32_t other = soum_ == 18140 ? 18125 : 18140;
  session_->SetCaller(
      {"x", "soum_officer", store::AreaFilter::FromCode(other)});
  auto none = registry.HouseholdsWithPhone(phone_, 20);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
  auto unknown = registry.HouseholdsWithPhone(unknown_, 20);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
}

}  // namespace
}  // namespace malchin::grievance
