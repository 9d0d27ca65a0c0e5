#include "channel/kannel.h"

#include <gtest/gtest.h>

namespace malchin::channel {
namespace {

constexpr char kPassword[] = "s3cret-Pa55";
constexpr char kToken[] = "tok_0123456789abcdef";

KannelAccount Account() {
  KannelAccount a;
  a.host = "10.0.0.7";
  a.port = 13013;
  a.username = "malchin";
  a.password = kPassword;
  a.from = "1234";
  return a;
}

CallbackConfig Callbacks() {
  CallbackConfig c;
  c.dlr_url = "http://10.0.0.5:8080/api/v1/sms/dlr";
  c.token = kToken;
  return c;
}

TEST(KannelTest, CyrillicGoesAsUcs2WithUtf8CharsetAndDlrUrl) {
  CallbackConfig cb = Callbacks();
  auto r = BuildSendSms(Account(), &cb, {"m-1", "+97699112233", "Сайн уу"}, 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->target,
            "/cgi-bin/sendsms?username=malchin&password=s3cret-Pa55"
            "&from=1234&to=%2B97699112233"
            "&text=%D0%A1%D0%B0%D0%B9%D0%BD%20%D1%83%D1%83"
            "&coding=2&charset=UTF-8&dlr-mask=31&dlr-url="
            "http%3A%2F%2F10.0.0.5%3A8080%2Fapi%2Fv1%2Fsms%2Fdlr%3Fid%3Dm-1"
            "%26status%3D%25d%26phone%3D%25p%26at%3D%25T%26answer%3D%25A"
            "%26smsc%3D%25i%26smsc_id%3D%25F%26token%3Dtok_0123456789abcdef");
  EXPECT_EQ(r->plan.coding, SmsCoding::kUcs2);
}

TEST(KannelTest, GsmTextHasNoCodingAndNoDlrWithoutCallbacks) {
  KannelAccount a = Account();
  a.from.clear();
  a.smsc = "mobicom";
  auto r =
      BuildSendSms(a, nullptr, {"m-2", "99112233", "Hi {you} 10€ & co"}, 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->target,
            "/cgi-bin/sendsms?username=malchin&password=s3cret-Pa55"
            "&to=99112233&text=Hi%20%7Byou%7D%2010%E2%82%AC%20%26%20co"
            "&charset=UTF-8&smsc=mobicom");
  EXPECT_EQ(r->plan.coding, SmsCoding::kGsm7);
}

TEST(KannelTest, RefusesBadInputBeforeSending) {
  CallbackConfig cb = Callbacks();
  auto field = [&](const KannelAccount& a, OutgoingSms sms, int max = 3) {
    auto r = BuildSendSms(a, &cb, sms, max);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().message().find(kPassword), std::string::npos);
    return r.status().field();
  };
  KannelAccount a = Account();
  // smsbox would send to both numbers.
  EXPECT_EQ(field(a, {"m", "99112233 88112233", "x"}), "to");
  EXPECT_EQ(field(a, {"m", "99112233+88112233", "x"}), "to");
  EXPECT_EQ(field(a, {"m", "", "x"}), "to");
  EXPECT_EQ(field(a, {"m 1", "99112233", "x"}), "id");
  EXPECT_EQ(field(a, {"m%d", "99112233", "x"}), "id");
  EXPECT_EQ(field(a, {std::string(65, 'm'), "99112233", "x"}), "id");
  EXPECT_EQ(field(a, {"m", "99112233", ""}), "text");
  EXPECT_EQ(field(a, {"m", "99112233", "ab\xFF"}), "text");
  a.from = "MALCHIN-GOV-MN";
  EXPECT_EQ(field(a, {"m", "99112233", "x"}), "from");
  a = Account();
  a.username.clear();
  EXPECT_EQ(field(a, {"m", "99112233", "x"}), "username");
  a = Account();
  a.smsc = "a b";
  EXPECT_EQ(field(a, {"m", "99112233", "x"}), "smsc");
  cb.dlr_mask = 0;
  EXPECT_EQ(field(Account(), {"m", "99112233", "x"}), "dlr_mask");
  cb = Callbacks();
  cb.dlr_url = "http://x/dlr?a=%41";
  EXPECT_EQ(field(Account(), {"m", "99112233", "x"}), "dlr_url");
  cb = Callbacks();
  cb.token = "short";
  EXPECT_EQ(field(Account(), {"m", "99112233", "x"}), "token");

  auto too_long = BuildSendSms(Account(), nullptr,
                               {"m", "99112233", std::string(161, 'a')}, 1);
  EXPECT_EQ(too_long.status().code(), StatusCode::kResourceExhausted);
  KannelAccount named = Account();
  named.from = "MALCHIN";
  EXPECT_TRUE(BuildSendSms(named, nullptr, {"m", "99112233", "x"}, 1).ok());
}

TEST(KannelTest, CallbackUrls) {
  CallbackConfig cb = Callbacks();
  cb.dlr_url = "https://malchin.example.mn/sms/dlr?channel=kannel";
  EXPECT_EQ(*DeliveryReportUrl(cb, "abc"),
            "https://malchin.example.mn/sms/dlr?channel=kannel&id=abc"
            "&status=%d&phone=%p&at=%T&answer=%A&smsc=%i&smsc_id=%F"
            "&token=tok_0123456789abcdef");
  EXPECT_EQ(*InboundUrl("http://127.0.0.1:8080/api/v1/sms/inbound", ""),
            "http://127.0.0.1:8080/api/v1/sms/inbound?id=%I&from=%p&to=%P"
            "&hex=%e&coding=%c&charset=%C&at=%T&smsc=%i");
  EXPECT_FALSE(InboundUrl("ftp://x/in", "").ok());
  EXPECT_FALSE(InboundUrl("http://x/in put", "").ok());
}

TEST(KannelTest, ClassifiesSmsboxAnswers) {
  struct Case {
    int status;
    const char* body;
    SendVerdict verdict;
  };
  const Case cases[] = {
      {202, "0: Accepted for delivery", SendVerdict::kAccepted},
      {202, "3: Queued for later delivery", SendVerdict::kQueued},
      {202, "Sent.", SendVerdict::kAccepted},  // immediate-sendsms-reply
      {403, "Authorization failed for sendsms", SendVerdict::kAuthFailed},
      {403, "Not routable. Do not try again.", SendVerdict::kRefused},
      {400, "Number(s) has/have been denied by white- and/or black-lists.",
       SendVerdict::kRefused},
      {400, "Sender missing and no global set, rejected",
       SendVerdict::kRefused},
      {503, "Temporal failure, try again later.", SendVerdict::kRetryLater},
      {500, "Sending failed.", SendVerdict::kRetryLater},
      {302, "", SendVerdict::kRetryLater},
  };
  for (const Case& c : cases) {
    SendResult r = ClassifySendSmsAnswer(c.status, std::string(c.body) + "\n");
    EXPECT_EQ(r.verdict, c.verdict) << c.status << " " << c.body;
    EXPECT_EQ(r.answer, c.body);
    EXPECT_EQ(r.http_status, c.status);
  }
  EXPECT_EQ(ClassifySendSmsAnswer(202, std::string(500, 'x')).answer.size(),
            200u);
  EXPECT_EQ(SendVerdictName(SendVerdict::kAuthFailed), "auth_failed");
}

TEST(KannelTest, ClientSendsOnceAndNeverShowsThePassword) {
  std::vector<std::string> targets;
  Result<HttpAnswer> next = HttpAnswer{202, "0: Accepted for delivery"};
  KannelClient client(Account(), Callbacks(), [&](const std::string& t) {
    targets.push_back(t);
    return next;
  });
  auto r = client.Send({"m-9", "99112233", "Өвөл"}, 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->verdict, SendVerdict::kAccepted);
  EXPECT_EQ(r->coding, SmsCoding::kUcs2);
  EXPECT_EQ(r->segments, 1);
  ASSERT_EQ(targets.size(), 1u);

  // A transport whose message echoes the target: the password is scrubbed.
  next = Status::Unavailable(std::string("GET ") + targets[0] + ": timeout");
  r = client.Send({"m-9", "99112233", "Өвөл"}, 3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message().find(kPassword), std::string::npos);
  EXPECT_NE(r.status().message().find("malchin@10.0.0.7:13013"),
            std::string::npos);
  EXPECT_NE(r.status().message().find("m-9"), std::string::npos);
  EXPECT_EQ(DescribeAccount(Account()).find(kPassword), std::string::npos);

  // Invalid input never reaches the transport.
  targets.clear();
  EXPECT_FALSE(client.Send({"m-9", "1 2", "x"}, 3).ok());
  EXPECT_TRUE(targets.empty());
}

CallbackQuery Dlr() {
  // As smsbox called the dlr-url in a run against the real Kannel 1.4.5.
  return {{"id", "m1"},         {"status", "8"},    {"phone", "+97699112233"},
          {"at", "1796602050"}, {"answer", "ACK/"}, {"smsc", "FAKE"},
          {"smsc_id", ""},      {"token", kToken}};
}

TEST(KannelTest, ParsesDeliveryReports) {
  auto r = ParseDeliveryReport(Dlr(), kToken);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->message_id, "m1");
  EXPECT_EQ(r->state, DeliveryState::kAcceptedBySmsc);
  EXPECT_FALSE(IsFinal(r->state));
  EXPECT_EQ(r->phone, "+97699112233");
  EXPECT_EQ(r->at, 1796602050);
  EXPECT_EQ(r->smsc_answer, "ACK/");
  EXPECT_EQ(r->smsc, "FAKE");
  EXPECT_EQ(DeliveryStateName(r->state), "accepted_by_smsc");
  for (auto [code, final] :
       {std::pair{"1", true}, {"2", true}, {"4", false}, {"16", true}}) {
    CallbackQuery q = Dlr();
    q.find("status")->second = code;
    EXPECT_EQ(IsFinal(ParseDeliveryReport(q, kToken)->state), final) << code;
  }
}

TEST(KannelTest, RefusesBadDeliveryReports) {
  EXPECT_EQ(ParseDeliveryReport(Dlr(), "tok_0123456789abcdeX").status().code(),
            StatusCode::kUnauthenticated);
  CallbackQuery q = Dlr();
  q.erase("token");
  EXPECT_EQ(ParseDeliveryReport(q, kToken).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(ParseDeliveryReport(q, "").ok());  // No token configured.
  auto field = [](CallbackQuery q) {
    return ParseDeliveryReport(q, kToken).status().field();
  };
  q = Dlr();
  q.erase("id");
  EXPECT_EQ(field(q), "id");
  q = Dlr();
  q.find("status")->second = "3";
  EXPECT_EQ(field(q), "status");
  q = Dlr();
  q.emplace("status", "1");
  EXPECT_EQ(field(q), "status");
  q = Dlr();
  q.find("at")->second = "2026-12-07 00:07";
  EXPECT_EQ(field(q), "at");
  q = Dlr();
  q.find("answer")->second = "\xFF";
  EXPECT_EQ(field(q), "answer");
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

CallbackQuery Mo(std::string_view bytes, std::string coding,
                 std::string charset) {
  return {{"id", "690b86e8-4741-4403-96bb-d1f36bf518c2"},
          {"from", "+97699000003"},
          {"to", "1234"},
          {"hex", Hex(bytes)},
          {"coding", std::move(coding)},
          {"charset", std::move(charset)},
          {"at", "1796602063"},
          {"smsc", "FAKE"}};
}

TEST(KannelTest, ParsesInboundMessagesInEitherCharset) {
  auto m = ParseInboundSms(Mo("  Тусламж хэрэгтэй", "0", "UTF-8"), "");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->text, "  Тусламж хэрэгтэй");
  EXPECT_EQ(m->keyword, "тусламж");
  EXPECT_EQ(m->from, "+97699000003");
  EXPECT_EQ(m->to, "1234");
  EXPECT_EQ(m->kannel_id, "690b86e8-4741-4403-96bb-d1f36bf518c2");
  EXPECT_EQ(m->at, 1796602063);
  // Without mo-recode: UTF-16BE, whose 'Р' (04 20) holds a space byte.
  m = ParseInboundSms(Mo(EncodeUtf16Be("ӨРГӨДӨЛ Р"), "2", "UTF-16BE"), "");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->text, "ӨРГӨДӨЛ Р");
  EXPECT_EQ(m->keyword, "өргөдөл");
  m = ParseInboundSms(Mo(EncodeUtf16Be("үгүй"), "2", ""), "");
  EXPECT_EQ(m->text, "үгүй");
  m = ParseInboundSms(Mo("", "0", "UTF-8"), "");
  EXPECT_EQ(m->keyword, "");
}

TEST(KannelTest, RefusesBadInboundMessages) {
  auto field = [](CallbackQuery q) {
    return ParseInboundSms(q, "").status().field();
  };
  EXPECT_EQ(field(Mo("\x01\x02", "1", "8-BIT")), "coding");
  EXPECT_EQ(field(Mo("x", "0", "ISO-8859-5")), "charset");
  EXPECT_EQ(field(Mo("\xFF", "0", "UTF-8")), "hex");
  EXPECT_EQ(field(Mo("\x04", "2", "UTF-16BE")), "hex");
  CallbackQuery q = Mo("x", "0", "UTF-8");
  q.find("hex")->second = "7";
  EXPECT_EQ(field(q), "hex");
  q.find("hex")->second = "zz";
  EXPECT_EQ(field(q), "hex");
  q = Mo("x", "0", "UTF-8");
  q.erase("from");
  EXPECT_EQ(field(q), "from");
  q = Mo("x", "0", "UTF-8");
  EXPECT_EQ(ParseInboundSms(q, kToken).status().code(),
            StatusCode::kUnauthenticated);
  q.emplace("token", kToken);
  EXPECT_TRUE(ParseInboundSms(q, kToken).ok());
}

}  // namespace
}  // namespace malchin::channel
