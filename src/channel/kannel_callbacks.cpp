// Kannel's calls back to Malchin: delivery reports and inbound messages
// (declared in kannel.h).
#include <algorithm>
#include <cctype>

#include "channel/kannel.h"
#include "core/text.h"

namespace malchin::channel {
namespace {

// The one value of `name`, null if absent (an error if `required`); a
// repeated parameter or one that is not UTF-8 is an error.
Result<const std::string*> One(const CallbackQuery& query,
                               const std::string& name, bool required) {
  auto [first, last] = query.equal_range(name);
  if (first == last) {
    if (!required) return static_cast<const std::string*>(nullptr);
    return Status::InvalidArgument(
        "callback parameter '" + name + "' is missing", name);
  }
  if (std::next(first) != last) {
    return Status::InvalidArgument(
        "callback parameter '" + name + "' is given more than once", name);
  }
  if (text::FindInvalidUtf8(first->second)) {
    return Status::InvalidArgument(
        "callback parameter '" + name + "' is not valid UTF-8", name);
  }
  return &first->second;
}

Result<std::string> Required(const CallbackQuery& query,
                             const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(const std::string* v, One(query, name, true));
  return *v;
}

// The value, "" if absent.
Result<std::string> Optional(const CallbackQuery& query,
                             const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(const std::string* v, One(query, name, false));
  return v == nullptr ? std::string() : *v;
}

Status CheckCallbackToken(const CallbackQuery& query, std::string_view token) {
  if (token.empty()) return Status::Ok();
  auto given = One(query, "token", false);
  std::string_view g;
  if (given.ok() && *given != nullptr) g = **given;
  // Constant time in the token's content.
  unsigned diff = g.size() != token.size();
  for (size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(token[i]) ^
            static_cast<unsigned char>(i < g.size() ? g[i] : 0);
  }
  if (diff != 0) {
    return Status::Unauthenticated("callback token missing or wrong");
  }
  return Status::Ok();
}

Result<int64_t> Epoch(const CallbackQuery& query) {
  MALCHIN_ASSIGN_OR_RETURN(std::string at, Required(query, "at"));
  if (at.empty() || at.size() > 12 ||
      !std::all_of(at.begin(), at.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument(
        "callback parameter 'at' is '" + at + "'; expected Unix seconds", "at");
  }
  return std::stoll(at);
}

Result<std::string> FromHex(const std::string& hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  if (out.size() * 2 != hex.size()) {
    return Status::InvalidArgument(
        "callback parameter 'hex': expected an even number of hexadecimal "
        "digits (the %e of the get-url)",
        "hex");
  }
  return out;
}

// The message bytes as UTF-8, by Kannel's coding (%c) and charset (%C).
Result<std::string> DecodeText(const std::string& bytes,
                               const std::string& coding,
                               const std::string& charset) {
  std::string cs = text::ToUpper(charset);
  if (coding == "1" || cs == "8-BIT") {
    return Status::InvalidArgument(
        "inbound message is 8-bit binary data, not text", "coding");
  }
  if (cs == "UTF-16BE" || (cs.empty() && coding == "2")) {
    auto t = DecodeUtf16Be(bytes);
    if (!t.ok()) return Status::InvalidArgument(t.status().message(), "hex");
    return t;
  }
  if (cs == "UTF-8" || cs.empty()) {
    if (auto at = text::FindInvalidUtf8(bytes)) {
      return Status::InvalidArgument(
          "inbound text is not valid UTF-8 at byte " + std::to_string(*at),
          "hex");
    }
    return bytes;
  }
  return Status::InvalidArgument(
      "inbound charset '" + charset +
          "' is not supported; expected UTF-8 or UTF-16BE (set mo-recode = "
          "true in smsbox)",
      "charset");
}

std::string FirstWordLower(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  size_t e = s.find_first_of(kSpace, b);
  return text::ToLower(s.substr(b, e == std::string_view::npos ? e : e - b));
}

}  // namespace

std::string_view DeliveryStateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kUndelivered:
      return "undelivered";
    case DeliveryState::kQueuedOnSmsc:
      return "queued_on_smsc";
    case DeliveryState::kAcceptedBySmsc:
      return "accepted_by_smsc";
    case DeliveryState::kRejectedBySmsc:
      return "rejected_by_smsc";
  }
  return "unknown";
}

bool IsFinal(DeliveryState state) {
  return state == DeliveryState::kDelivered ||
         state == DeliveryState::kUndelivered ||
         state == DeliveryState::kRejectedBySmsc;
}

Result<DeliveryReport> ParseDeliveryReport(const CallbackQuery& query,
                                           std::string_view token) {
  MALCHIN_RETURN_IF_ERROR(CheckCallbackToken(query, token));
  DeliveryReport r;
  MALCHIN_ASSIGN_OR_RETURN(r.message_id, Required(query, "id"));
  if (r.message_id.empty() || r.message_id.size() > 64) {
    return Status::InvalidArgument(
        "callback parameter 'id' must have 1 to 64 characters", "id");
  }
  MALCHIN_ASSIGN_OR_RETURN(std::string status, Required(query, "status"));
  static constexpr DeliveryState kStates[] = {
      DeliveryState::kDelivered, DeliveryState::kUndelivered,
      DeliveryState::kQueuedOnSmsc, DeliveryState::kAcceptedBySmsc,
      DeliveryState::kRejectedBySmsc};
  auto it = std::find_if(std::begin(kStates), std::end(kStates),
                         [&](DeliveryState s) {
                           return status == std::to_string(static_cast<int>(s));
                         });
  if (it == std::end(kStates)) {
    return Status::InvalidArgument("callback parameter 'status' is '" + status +
                                       "'; expected 1, 2, 4, 8 or 16",
                                   "status");
  }
  r.state = *it;
  MALCHIN_ASSIGN_OR_RETURN(r.phone, Required(query, "phone"));
  MALCHIN_ASSIGN_OR_RETURN(r.at, Epoch(query));
  MALCHIN_ASSIGN_OR_RETURN(r.smsc_answer, Optional(query, "answer"));
  MALCHIN_ASSIGN_OR_RETURN(r.smsc, Optional(query, "smsc"));
  MALCHIN_ASSIGN_OR_RETURN(r.smsc_message_id, Optional(query, "smsc_id"));
  return r;
}

Result<InboundSms> ParseInboundSms(const CallbackQuery& query,
                                   std::string_view token) {
  MALCHIN_RETURN_IF_ERROR(CheckCallbackToken(query, token));
  InboundSms m;
  MALCHIN_ASSIGN_OR_RETURN(m.kannel_id, Required(query, "id"));
  MALCHIN_ASSIGN_OR_RETURN(m.from, Required(query, "from"));
  if (m.kannel_id.empty() || m.from.empty()) {
    return Status::InvalidArgument(
        "callback parameters 'id' and 'from' must not be empty",
        m.from.empty() ? "from" : "id");
  }
  MALCHIN_ASSIGN_OR_RETURN(m.to, Optional(query, "to"));
  MALCHIN_ASSIGN_OR_RETURN(m.smsc, Optional(query, "smsc"));
  MALCHIN_ASSIGN_OR_RETURN(m.at, Epoch(query));
  MALCHIN_ASSIGN_OR_RETURN(std::string hex, Required(query, "hex"));
  MALCHIN_ASSIGN_OR_RETURN(std::string bytes, FromHex(hex));
  MALCHIN_ASSIGN_OR_RETURN(std::string coding, Optional(query, "coding"));
  MALCHIN_ASSIGN_OR_RETURN(std::string charset, Optional(query, "charset"));
  MALCHIN_ASSIGN_OR_RETURN(m.text, DecodeText(bytes, coding, charset));
  m.keyword = FirstWordLower(m.text);
  return m;
}

}  // namespace malchin::channel
