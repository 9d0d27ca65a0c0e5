// The herders' sign-in on every engine: a code goes only to the register's
// phone for the person and is accepted once; a wrong, expired or
// over-tried code is refused; requests are throttled per register number
// (unknown numbers alike) and per phone; sessions end.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "channel/outbox.h"
#include "herder/repository.h"
#include "herder/signin.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using channel::Language;

constexpr const char* kPepper = "a-test-pepper-of-at-least-32-characters";
constexpr const char* kHead = "ИЗ85120320";  // Own phone 99112233.
// No phone of his own: the household's.
const std::string kChild = registry::MakeRegisterNumber(
    "ИЗ", *Date::Parse("2010-05-03"), registry::Sex::kMale, 1, 0);
// Another household.
const std::string kOther = registry::MakeRegisterNumber(
    "УБ", *Date::Parse("1990-01-01"), registry::Sex::kMale, 1, 1);
// Not on the register.
const std::string kNobody = registry::MakeRegisterNumber(
    "АА", *Date::Parse("1999-01-01"), registry::Sex::kFemale, 2, 2);

registry::Person Member(const std::string& rn, const char* hh, const char* born,
                        registry::Sex sex, const char* phone) {
  registry::Person p;
  p.register_no = rn;
  p.household_id = hh;
  p.family_name = "Боржигин";
  p.father_name = "Батбаяр";
  p.given_name = "Сүхээ";
  p.sex = sex;
  p.birth_date = *Date::Parse(born);
  p.relation = registry::Relation::kHead;
  p.phone = phone;
  return p;
}

class HerderSignInTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    registry::Household h;
    h.id = "H1";
    h.soum_code = h.current_soum_code = 18140;
    h.herder = true;
    h.phone = "88001122";
    registry::Household g = h;
    g.id = "H2";
    g.phone = "88009999";
    auto child = Member(kChild, "H1", "2010-05-03", registry::Sex::kMale, "");
    child.relation = registry::Relation::kChild;
    auto w = Get<registry::Repository>().Upsert(
        {h, g},
        {Member(kHead, "H1", "1985-12-03", registry::Sex::kFemale, "99112233"),
         child, Member(kOther, "H2", "1990-01-01", registry::Sex::kMale, "")},
        {"test", "t"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    session().SetClock(&clock_);
    catalogue_ = *channel::TemplateCatalogue::Embedded();
    params_ = *params::ParameterSet::Embedded();
    signin_ = std::make_unique<herder::SignIn>(session(), *catalogue_, *params_,
                                               kPepper);
  }
  // The code in the SMS queued under `key` (read from the outbox as the
  // sender would), and the phone it goes to.
  std::pair<std::string, std::string> Sms(const std::string& key) {
    auto m = Get<channel::Repository>().FindByKey(key);
    EXPECT_TRUE(m.ok() && m->has_value()) << key;
    if (!m.ok() || !m->has_value()) return {};
    const std::string& text = (*m)->text;
    size_t at = text.find_first_of("0123456789");
    EXPECT_NE(at, std::string::npos) << text;
    return {text.substr(at, 6), (*m)->phone};
  }
  std::string Code(const std::string& rn) {
    auto r = signin_->RequestCode(rn, Language::kMongolian);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r.ok() && r->sent);
    return r.ok() && r->sent ? Sms(r->outbox_key).first : "";
  }
  std::string Wrong(const std::string& code) {
    return code == "000000" ? "000001" : "000000";
  }

  FakeClock clock_{*Date::Parse("2026-03-02")};
  std::shared_ptr<const channel::TemplateCatalogue> catalogue_;
  std::shared_ptr<const params::ParameterSet> params_;
  std::unique_ptr<herder::SignIn> signin_;
};

TEST_P(HerderSignInTest, ACodeGoesToTheRegistersPhoneAndIsAcceptedOnce) {
  auto r = signin_->RequestCode(kHead, Language::kMongolian);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->sent);
  auto [code, phone] = Sms(r->outbox_key);
  EXPECT_EQ(phone, "+97699112233");
  auto stored = Get<herder::Repository>().LatestCode(kHead);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->code_hash.find(code), std::string::npos);
  EXPECT_EQ((*stored)->code_hash,
            herder::CodeHash(kPepper, (*stored)->salt, code));

  auto in = signin_->Verify(kHead, code);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->household_id, "H1");
  auto who = signin_->Authenticate(in->token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->household_id, "H1");
  EXPECT_EQ(who->soum_code, 18140);

  auto again = signin_->Verify(kHead, code);
  EXPECT_EQ(again.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(again.status().message().find(" / "), std::string::npos);
}

TEST_P(HerderSignInTest, WithoutAnOwnPhoneTheHouseholdsPhoneIsUsed) {
  auto r = signin_->RequestCode(kChild, Language::kEnglish);
  ASSERT_TRUE(r.ok() && r->sent);
  EXPECT_EQ(Sms(r->outbox_key).second, "+97688001122");
}

TEST_P(HerderSignInTest, AnUnknownNumberLooksTheSameAndSendsNothing) {
  auto r = signin_->RequestCode(kNobody, Language::kMongolian);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->sent);
  auto counts = Get<channel::Repository>().CountByState();
  ASSERT_TRUE(counts.ok());
  EXPECT_TRUE(counts->empty());
  EXPECT_EQ(signin_->Verify(kNobody, "123456").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(
      signin_->RequestCode("nonsense", Language::kMongolian).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_P(HerderSignInTest, AnExpiredCodeIsRefused) {
  std::string code = Code(kHead);
  clock_.Advance(std::chrono::minutes(10));
  EXPECT_EQ(signin_->Verify(kHead, code).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_P(HerderSignInTest, AfterTooManyWrongTriesEvenTheRightCodeIsRefused) {
  std::string code = Code(kHead);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(signin_->Verify(kHead, Wrong(code)).status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(signin_->Verify(kHead, code).status().code(),
            StatusCode::kResourceExhausted);
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_TRUE(signin_->Verify(kHead, Code(kHead)).ok());
}

TEST_P(HerderSignInTest, RequestsAreThrottledPerNumberKnownOrNot) {
  for (const std::string& rn : {std::string(kHead), kNobody}) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(signin_->RequestCode(rn, Language::kMongolian).ok()) << rn;
    }
    EXPECT_EQ(signin_->RequestCode(rn, Language::kMongolian).status().code(),
              StatusCode::kResourceExhausted)
        << rn;
  }
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_TRUE(signin_->RequestCode(kHead, Language::kMongolian).ok());
}

TEST_P(HerderSignInTest, CodesToOnePhoneAreThrottledSilently) {
  // kChild and the household's phone: make kOther's household share it.
  auto& reg = Get<registry::Repository>();
  auto h2 = reg.FindHousehold("H2");
  ASSERT_TRUE(h2.ok() && h2->has_value());
  (*h2)->phone = "88001122";
  ASSERT_TRUE(reg.Upsert({**h2}, {}, {"test", "t"}).ok());
  for (int i = 0; i < 3; ++i) Code(kChild);
  for (int i = 0; i < 2; ++i) Code(kOther);
  auto sixth = signin_->RequestCode(kOther, Language::kMongolian);
  ASSERT_TRUE(sixth.ok()) << sixth.status().ToString();
  EXPECT_FALSE(sixth->sent);
}

TEST_P(HerderSignInTest, SessionsExpireAndEnd) {
  auto in = signin_->Verify(kHead, Code(kHead));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_TRUE(signin_->SignOut(in->token).ok());
  EXPECT_EQ(signin_->Authenticate(in->token).status().code(),
            StatusCode::kUnauthenticated);
  auto next = signin_->Verify(kHead, Code(kHead));
  ASSERT_TRUE(next.ok());
  clock_.Advance(std::chrono::hours(12));
  EXPECT_EQ(signin_->Authenticate(next->token).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(signin_->Authenticate("not-a-token").status().code(),
            StatusCode::kUnauthenticated);
}

INSTANTIATE_TEST_SUITE_P(Engines, HerderSignInTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
