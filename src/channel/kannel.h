// Malchin and the Kannel SMS gateway (1.4.5): sending through smsbox's
// sendsms HTTP interface, and reading the two kinds of call Kannel makes
// back to Malchin (delivery reports and inbound messages).
//
//   Malchin --GET /cgi-bin/sendsms?...--> smsbox --> bearerbox --> SMSC
//   Malchin <--GET dlr-url (one per report)-- smsbox
//   Malchin <--GET get-url (sms-service)----- smsbox <-- a herder's SMS
//
// Sending. One message to one number: Malchin's message id travels in the
// dlr-url, so every report names the message it is about. A text that any
// character makes UCS-2 (all Cyrillic) is sent with coding=2&charset=UTF-8:
// Kannel's default charset for coding=2 is UTF-16BE, and coding=0 would
// drop every character outside the GSM alphabet. Texts longer than the
// allowed segments are refused before sending (smsbox would cut them
// silently at its max-messages). A `to` holding anything but one number is
// refused: smsbox sends to every space-separated number in `to`.
//
// Credentials: the account's password is in the request target and
// nowhere else; no Status this file returns and no Describe() holds it.
// Callbacks carry an optional shared token (compared in constant time).
//
// Thread-safety: pure functions; a KannelClient is immutable and its Send
// may be called from several threads if its HttpGet allows that.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "channel/sms_text.h"
#include "core/status.h"

namespace malchin::channel {

struct KannelAccount {
  std::string host = "127.0.0.1";
  uint16_t port = 13013;  // smsbox's sendsms-port.
  std::string path = "/cgi-bin/sendsms";
  std::string username;  // A sendsms-user group.
  std::string password;  // Secret: see the header comment.
  std::string from;      // Sender shown on the phone; empty: Kannel's default.
  std::string smsc;      // smsc-id to route through; empty: Kannel chooses.
};

// "user@host:port" (never the password), for logs and messages.
std::string DescribeAccount(const KannelAccount& account);

// Where Kannel calls Malchin back.
struct CallbackConfig {
  // Malchin's delivery-report endpoint as Kannel reaches it, e.g.
  // "http://10.0.0.5:8080/api/v1/sms/dlr" (http or https, no '%').
  std::string dlr_url;
  // Shared secret echoed back in every callback; empty: none. 16 to 128 of
  // A-Z a-z 0-9 _ -.
  std::string token;
  // Which reports to ask for (bits of DeliveryState); 1 to 31.
  int dlr_mask = 31;
};

// OK for an empty token or 16 to 128 of A-Z a-z 0-9 _ -; InvalidArgument
// (field "token", the token not shown) otherwise.
Status CheckCallbackToken(std::string_view token);

// The dlr-url for message `message_id`:
//   <dlr_url>?id=<id>&status=%d&phone=%p&at=%T&answer=%A&smsc=%i
//            &smsc_id=%F[&token=<token>]
// InvalidArgument for a bad dlr_url, token or message id.
Result<std::string> DeliveryReportUrl(const CallbackConfig& callbacks,
                                      std::string_view message_id);

// The get-url to put in kannel.conf's sms-service for inbound messages at
// Malchin's endpoint `base` (e.g. "http://10.0.0.5:8080/api/v1/sms/inbound"):
//   <base>?id=%I&from=%p&to=%P&hex=%e&coding=%c&charset=%C&at=%T&smsc=%i
//         [&token=<token>]
// The text travels as hexadecimal bytes (%e) with its charset: %a/%b/%k
// of a UCS-2 message are raw UTF-16 (unless smsbox has mo-recode), which
// Kannel cuts at 0x20 bytes (U+0420 'Р') and an HTTP server may refuse.
Result<std::string> InboundUrl(std::string_view base, std::string_view token);

struct OutgoingSms {
  // Malchin's id of the message: 1 to 64 of A-Z a-z 0-9 . _ -. It comes
  // back in every delivery report and is the idempotency key.
  std::string id;
  std::string to;    // One number: an optional '+' and 3 to 15 digits.
  std::string text;  // UTF-8.
};

// OK if `id` is a valid message id (above); InvalidArgument (field "id")
// naming it otherwise.
Status CheckMessageId(std::string_view id);

struct SendSmsRequest {
  std::string target;  // Path and query. Holds the password: never log it.
  SmsPlan plan;
};

// The sendsms request for `sms` (pure). `callbacks` null: no delivery
// reports. InvalidArgument naming the field (id, to, text, from, smsc,
// username) for bad input; ResourceExhausted if the text needs more than
// `max_segments` segments.
Result<SendSmsRequest> BuildSendSms(const KannelAccount& account,
                                    const CallbackConfig* callbacks,
                                    const OutgoingSms& sms, int max_segments);

enum class SendVerdict {
  kAccepted,    // 202 "0: Accepted for delivery" (or "Sent.").
  kQueued,      // 202 "3: Queued for later delivery": no SMSC up yet.
  kRefused,     // 4xx: this message will never go; do not retry it.
  kAuthFailed,  // 403 "Authorization failed": fix the account, stop sending.
  kRetryLater,  // 5xx (503 temporal failure, 500 sending failed), other.
};
std::string_view SendVerdictName(SendVerdict verdict);

struct SendResult {
  SendVerdict verdict = SendVerdict::kRetryLater;
  int http_status = 0;
  std::string answer;  // Kannel's body, trimmed and cut to 200 bytes.
  SmsCoding coding = SmsCoding::kGsm7;
  int segments = 1;
};

// Classifies smsbox's answer to a sendsms request (coding and segments are
// left as default).
SendResult ClassifySendSmsAnswer(int http_status, std::string_view body);

// One HTTP GET of `target` on the account's host and port.
struct HttpAnswer {
  int status = 0;
  std::string body;
};
using HttpGet = std::function<Result<HttpAnswer>(const std::string& target)>;

class KannelClient {
 public:
  KannelClient(KannelAccount account, std::optional<CallbackConfig> callbacks,
               HttpGet get);

  // Sends `sms` through smsbox. Returns the verdict (including refusals:
  // they are Kannel's answer, not a failure of this call). Errors: those of
  // BuildSendSms (nothing is sent), and Unavailable if smsbox cannot be
  // reached or does not answer (the message may or may not have gone: a
  // retry must reuse sms.id).
  Result<SendResult> Send(const OutgoingSms& sms, int max_segments) const;

  const KannelAccount& account() const { return account_; }

 private:
  KannelAccount account_;
  std::optional<CallbackConfig> callbacks_;
  HttpGet get_;
};

// A callback's query parameters, percent-decoded (http::Request::query).
using CallbackQuery = std::multimap<std::string, std::string>;

// The dlr-mask bits; a report carries exactly one.
enum class DeliveryState {
  kDelivered = 1,        // Delivered to the phone (final).
  kUndelivered = 2,      // Not delivered to the phone (final).
  kQueuedOnSmsc = 4,     // Buffered by the SMSC, e.g. the phone is off.
  kAcceptedBySmsc = 8,   // The SMSC took it.
  kRejectedBySmsc = 16,  // The SMSC refused it (final).
};
std::string_view DeliveryStateName(DeliveryState state);
// Delivered, undelivered or rejected: nothing more will happen.
bool IsFinal(DeliveryState state);

struct DeliveryReport {
  std::string message_id;  // Malchin's id from the dlr-url.
  DeliveryState state = DeliveryState::kAcceptedBySmsc;
  std::string phone;            // The recipient (%p).
  int64_t at = 0;               // Unix time of the report (%T).
  std::string smsc_answer;      // The SMSC's text, if any (%A).
  std::string smsc;             // Kannel's smsc-id (%i).
  std::string smsc_message_id;  // The SMSC's id of the message (%F).
};

// Reads a delivery-report call made from DeliveryReportUrl. `token`
// empty: no token is expected. Unauthenticated if the token is wrong or
// missing; InvalidArgument naming the parameter if one is missing,
// repeated or malformed.
Result<DeliveryReport> ParseDeliveryReport(const CallbackQuery& query,
                                           std::string_view token);

struct InboundSms {
  std::string kannel_id;  // Kannel's id of the message (%I): dedupe by it.
  std::string from;       // The herder's number.
  std::string to;         // The number they wrote to (the short code).
  std::string text;       // UTF-8.
  std::string keyword;    // First word of the text, lower-cased; may be "".
  int64_t at = 0;         // Unix time Kannel received it.
  std::string smsc;
};

// Reads an inbound-message call made from InboundUrl: decodes the hex
// text with its charset (UTF-8, or UTF-16BE for coding=2). Errors as for
// ParseDeliveryReport; InvalidArgument for 8-bit (binary) messages and
// charsets other than UTF-8 and UTF-16BE.
Result<InboundSms> ParseInboundSms(const CallbackQuery& query,
                                   std::string_view token);

}  // namespace malchin::channel
