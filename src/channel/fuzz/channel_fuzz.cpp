#include "channel/fuzz/channel_fuzz.h"

#include <string_view>

#include "channel/kannel.h"
#include "channel/sms_text.h"
#include "channel/templates.h"
#include "core/text.h"

namespace malchin::channel::fuzz {
namespace {

std::string CheckPlan(std::string_view text) {
  auto plan = PlanSms(text);
  if (!plan.ok()) return "";
  std::string joined;
  bool gsm = plan->coding == SmsCoding::kGsm7;
  int cap = plan->segments == 1 ? (gsm ? kGsm7SingleSeptets : kUcs2SingleUnits)
                                : (gsm ? kGsm7PartSeptets : kUcs2PartUnits);
  for (const auto& part : plan->parts) {
    joined += part;
    // Units in the message's coding (a part alone may plan as GSM).
    int units = gsm ? PlanSms(part)->units
                    : static_cast<int>(EncodeUtf16Be(part).size() / 2);
    if (units > cap) return "a segment over its capacity";
  }
  if (joined != text) return "segments do not join back to the text";
  if (plan->segments != static_cast<int>(plan->parts.size())) {
    return "segments and parts disagree";
  }
  if (*DecodeUtf16Be(EncodeUtf16Be(text)) != text) {
    return "UTF-8 -> UTF-16BE -> UTF-8 differs";
  }
  return "";
}

std::string CheckUtf16(std::string_view bytes) {
  auto text = DecodeUtf16Be(bytes);
  if (text.ok() && EncodeUtf16Be(*text) != bytes) {
    return "UTF-16BE -> UTF-8 -> UTF-16BE differs";
  }
  return "";
}

CallbackQuery Query(std::string_view s) {
  CallbackQuery q;
  while (!s.empty()) {
    size_t amp = s.find('&');
    std::string_view pair = s.substr(0, amp);
    size_t eq = pair.find('=');
    q.emplace(
        std::string(pair.substr(0, eq)),
        eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
    s = amp == std::string_view::npos ? "" : s.substr(amp + 1);
  }
  return q;
}

std::string CheckCallbacks(std::string_view s) {
  CallbackQuery q = Query(s);
  for (std::string_view token : {"", "fuzz_token_0123456789"}) {
    auto dlr = ParseDeliveryReport(q, token);
    if (dlr.ok() && text::FindInvalidUtf8(dlr->smsc_answer)) {
      return "a delivery report with a non-UTF-8 answer";
    }
    auto in = ParseInboundSms(q, token);
    if (in.ok() && (text::FindInvalidUtf8(in->text) ||
                    text::FindInvalidUtf8(in->keyword))) {
      return "an inbound message with non-UTF-8 text";
    }
  }
  return "";
}

std::string CheckCatalogue(std::string_view json) {
  auto catalogue = TemplateCatalogue::Parse(json, "fuzz.json");
  if (!catalogue.ok()) return "";
  for (const std::string& id : (*catalogue)->Ids()) {
    for (bool longest : {false, true}) {
      auto values = (*catalogue)->SampleValues(id, longest);
      for (Language lang : {Language::kMongolian, Language::kEnglish}) {
        auto text = (*catalogue)->Render(id, lang, *values);
        if (!text.ok()) return "a template's samples do not render: " + id;
        if (!PlanSms(*text).ok()) return "a rendered text is not UTF-8";
      }
    }
  }
  return "";
}

}  // namespace

std::string CheckParsers(const uint8_t* data, size_t size) {
  if (size == 0) return "";
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      return CheckPlan(in);
    case 1:
      return CheckUtf16(in);
    case 2:
      return CheckCallbacks(in);
    case 3: {
      int status = in.empty() ? 0 : static_cast<unsigned char>(in[0]) * 3;
      SendResult r = ClassifySendSmsAnswer(status, in);
      return r.answer.size() > 200 ? "an answer longer than 200 bytes" : "";
    }
    default:
      return CheckCatalogue(in);
  }
}

}  // namespace malchin::channel::fuzz
