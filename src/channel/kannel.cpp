#include "channel/kannel.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace malchin::channel {
namespace {

bool IsUnreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

bool AllOf(std::string_view s, bool (*ok)(char)) {
  return std::all_of(s.begin(), s.end(), ok);
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
         c == '-';
}
bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

Status CheckPhone(std::string_view phone, const char* field) {
  std::string_view digits = phone.substr(!phone.empty() && phone[0] == '+');
  if (digits.size() < 3 || digits.size() > 15 || !AllOf(digits, IsDigit)) {
    return Status::InvalidArgument(
        std::string(field) + " '" + std::string(phone) +
            "': expected one phone number, an optional '+' and 3 to 15 digits",
        field);
  }
  return Status::Ok();
}

// A sender is a number or an alphanumeric id of up to 11 characters.
Status CheckSender(std::string_view from) {
  if (from.empty() || CheckPhone(from, "from").ok()) return Status::Ok();
  auto alnum = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  };
  if (from.size() <= 11 && std::all_of(from.begin(), from.end(), alnum)) {
    return Status::Ok();
  }
  return Status::InvalidArgument(
      "from '" + std::string(from) +
          "': expected a phone number or up to 11 letters and digits",
      "from");
}

}  // namespace

Status CheckCallbackToken(std::string_view token) {
  if (!token.empty() &&
      (token.size() < 16 || token.size() > 128 || !AllOf(token, IsTokenChar))) {
    return Status::InvalidArgument(
        "callback token: expected 16 to 128 of A-Z a-z 0-9 _ - (not shown)",
        "token");
  }
  return Status::Ok();
}

namespace {

Status CheckCallbackBase(std::string_view url, const char* field) {
  bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  // '%' would start a Kannel escape; spaces and '#' break the URL.
  bool clean = url.find_first_of("% #\"") == std::string_view::npos &&
               !text::FindInvalidUtf8(url) &&
               std::none_of(url.begin(), url.end(), [](char c) {
                 return static_cast<unsigned char>(c) < 0x20;
               });
  if (!scheme || !clean || url.size() > 512) {
    return Status::InvalidArgument(
        std::string(field) + " '" + std::string(url) +
            "': expected an http:// or https:// URL without '%', spaces "
            "or '#'",
        field);
  }
  return Status::Ok();
}

std::string WithQuery(std::string_view base, std::string_view query) {
  char sep = base.find('?') == std::string_view::npos ? '?' : '&';
  return std::string(base) + sep + std::string(query);
}

// The password replaced, should a transport message ever echo it.
std::string Scrub(std::string message, const std::string& secret) {
  if (secret.empty()) return message;
  for (size_t at; (at = message.find(secret)) != std::string::npos;) {
    message.replace(at, secret.size(), "***");
  }
  return message;
}

}  // namespace

Status CheckMessageId(std::string_view id) {
  if (id.empty() || id.size() > 64 || !AllOf(id, IsIdChar)) {
    return Status::InvalidArgument(
        "message id '" + std::string(id) +
            "': expected 1 to 64 of A-Z a-z 0-9 . _ -",
        "id");
  }
  return Status::Ok();
}

std::string DescribeAccount(const KannelAccount& account) {
  return account.username + "@" + account.host + ":" +
         std::to_string(account.port);
}

Result<std::string> DeliveryReportUrl(const CallbackConfig& callbacks,
                                      std::string_view message_id) {
  MALCHIN_RETURN_IF_ERROR(CheckCallbackBase(callbacks.dlr_url, "dlr_url"));
  MALCHIN_RETURN_IF_ERROR(CheckCallbackToken(callbacks.token));
  MALCHIN_RETURN_IF_ERROR(CheckMessageId(message_id));
  std::string q = "id=" + std::string(message_id) +
                  "&status=%d&phone=%p&at=%T&answer=%A&smsc=%i&smsc_id=%F";
  if (!callbacks.token.empty()) q += "&token=" + callbacks.token;
  return WithQuery(callbacks.dlr_url, q);
}

Result<std::string> InboundUrl(std::string_view base, std::string_view token) {
  MALCHIN_RETURN_IF_ERROR(CheckCallbackBase(base, "inbound_url"));
  MALCHIN_RETURN_IF_ERROR(CheckCallbackToken(token));
  std::string q =
      "id=%I&from=%p&to=%P&hex=%e&coding=%c&charset=%C&at=%T&smsc=%i";
  if (!token.empty()) q += "&token=" + std::string(token);
  return WithQuery(base, q);
}

Result<SendSmsRequest> BuildSendSms(const KannelAccount& account,
                                    const CallbackConfig* callbacks,
                                    const OutgoingSms& sms, int max_segments) {
  MALCHIN_RETURN_IF_ERROR(CheckMessageId(sms.id));
  MALCHIN_RETURN_IF_ERROR(CheckPhone(sms.to, "to"));
  MALCHIN_RETURN_IF_ERROR(CheckSender(account.from));
  if (account.username.empty() || account.password.empty()) {
    return Status::InvalidArgument("Kannel account " +
                                       DescribeAccount(account) +
                                       ": username and password are required",
                                   "username");
  }
  if (!account.smsc.empty() && !AllOf(account.smsc, IsIdChar)) {
    return Status::InvalidArgument(
        "smsc '" + account.smsc + "': expected A-Z a-z 0-9 . _ -", "smsc");
  }
  if (sms.text.empty()) {
    return Status::InvalidArgument("text: the message is empty", "text");
  }
  SendSmsRequest out;
  MALCHIN_ASSIGN_OR_RETURN(out.plan, PlanSms(sms.text));
  MALCHIN_RETURN_IF_ERROR(CheckSegmentLimit(out.plan, max_segments));
  std::string q = "username=" + PercentEncode(account.username) +
                  "&password=" + PercentEncode(account.password);
  if (!account.from.empty()) q += "&from=" + PercentEncode(account.from);
  q += "&to=" + PercentEncode(sms.to) + "&text=" + PercentEncode(sms.text);
  // Kannel reads coding=2 text as UTF-16BE unless told otherwise.
  if (out.plan.coding == SmsCoding::kUcs2) q += "&coding=2";
  q += "&charset=UTF-8";
  if (!account.smsc.empty()) q += "&smsc=" + PercentEncode(account.smsc);
  if (callbacks != nullptr) {
    if (callbacks->dlr_mask < 1 || callbacks->dlr_mask > 31) {
      return Status::InvalidArgument("dlr_mask " +
                                         std::to_string(callbacks->dlr_mask) +
                                         ": expected 1 to 31",
                                     "dlr_mask");
    }
    MALCHIN_ASSIGN_OR_RETURN(std::string dlr,
                             DeliveryReportUrl(*callbacks, sms.id));
    q += "&dlr-mask=" + std::to_string(callbacks->dlr_mask) +
         "&dlr-url=" + PercentEncode(dlr);
  }
  out.target = WithQuery(account.path, q);
  return out;
}

std::string_view SendVerdictName(SendVerdict verdict) {
  switch (verdict) {
    case SendVerdict::kAccepted:
      return "accepted";
    case SendVerdict::kQueued:
      return "queued";
    case SendVerdict::kRefused:
      return "refused";
    case SendVerdict::kAuthFailed:
      return "auth_failed";
    case SendVerdict::kRetryLater:
      return "retry_later";
  }
  return "retry_later";
}

SendResult ClassifySendSmsAnswer(int http_status, std::string_view body) {
  SendResult r;
  r.http_status = http_status;
  size_t b = body.find_first_not_of(" \t\r\n");
  size_t e = body.find_last_not_of(" \t\r\n");
  r.answer =
      b == std::string_view::npos ? "" : std::string(body.substr(b, e - b + 1));
  if (r.answer.size() > 200) r.answer.resize(200);
  if (http_status >= 200 && http_status < 300) {
    r.verdict = r.answer.rfind("3:", 0) == 0 ? SendVerdict::kQueued
                                             : SendVerdict::kAccepted;
  } else if (http_status == 403 &&
             r.answer.rfind("Authorization failed", 0) == 0) {
    r.verdict = SendVerdict::kAuthFailed;
  } else if (http_status >= 400 && http_status < 500) {
    r.verdict = SendVerdict::kRefused;
  } else {
    r.verdict = SendVerdict::kRetryLater;
  }
  return r;
}

KannelClient::KannelClient(KannelAccount account,
                           std::optional<CallbackConfig> callbacks, HttpGet get)
    : account_(std::move(account)),
      callbacks_(std::move(callbacks)),
      get_(std::move(get)) {}

Result<SendResult> KannelClient::Send(const OutgoingSms& sms,
                                      int max_segments) const {
  MALCHIN_ASSIGN_OR_RETURN(
      SendSmsRequest req,
      BuildSendSms(account_, callbacks_ ? &*callbacks_ : nullptr, sms,
                   max_segments));
  Result<HttpAnswer> answer = get_(req.target);
  if (!answer.ok()) {
    return Status::Unavailable(
        "Kannel sendsms at " + DescribeAccount(account_) + " (message " +
        sms.id + "): " + Scrub(answer.status().message(), account_.password));
  }
  SendResult r = ClassifySendSmsAnswer(answer->status, answer->body);
  r.answer = Scrub(r.answer, account_.password);
  r.coding = req.plan.coding;
  r.segments = req.plan.segments;
  return r;
}

}  // namespace malchin::channel
