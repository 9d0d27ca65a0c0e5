#include "channel/outbox.h"

#include <chrono>
#include <nlohmann/json.hpp>

namespace malchin::channel {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// The state a report moves a message to, or nullopt to keep its state.
std::optional<OutboxState> StateAfter(OutboxState now, DeliveryState report) {
  if (IsFinal(now)) return std::nullopt;
  switch (report) {
    case DeliveryState::kDelivered:
      return OutboxState::kDelivered;
    case DeliveryState::kUndelivered:
    case DeliveryState::kRejectedBySmsc:
      return OutboxState::kFailed;
    case DeliveryState::kQueuedOnSmsc:
    case DeliveryState::kAcceptedBySmsc:
      return OutboxState::kSent;
  }
  return std::nullopt;
}

Result<OutboxMessage> BuildMessage(const store::Session& session,
                                   const TemplateCatalogue& catalogue,
                                   const params::ParameterSet& parameters,
                                   const QueueRequest& r) {
  MALCHIN_RETURN_IF_ERROR(CheckMessageId(r.idempotency_key));
  OutboxMessage m;
  m.idempotency_key = r.idempotency_key;
  m.kind = r.kind;
  MALCHIN_ASSIGN_OR_RETURN(m.phone, NormalizePhone(r.phone));
  m.household_id = r.household_id;
  m.register_no = r.register_no;
  m.template_id = r.template_id;
  m.parameters = TemplateValuesJson(r.values);
  m.language = r.language;
  Date today = session.clock().Today();
  MALCHIN_ASSIGN_OR_RETURN(SmsPreview preview,
                           PreviewTemplate(catalogue, r.template_id, r.language,
                                           r.values, parameters, today));
  MALCHIN_RETURN_IF_ERROR(
      CheckSegmentLimit(preview.plan, preview.max_segments));
  m.text = preview.text;
  m.coding = preview.plan.coding;
  m.segments = preview.plan.segments;
  m.cost = preview.cost;
  m.created_by = session.caller().actor;
  m.created_at = UnixNow(session);
  m.next_attempt_at = m.created_at;
  return m;
}

}  // namespace

Result<std::string> NormalizePhone(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (c == ' ' || c == '-') continue;
    if (c == '+' && digits.empty() && !plus) {
      plus = true;
      continue;
    }
    digits += c;
  }
  if (AllDigits(digits)) {
    if (digits.size() == 8 && !plus) return "+976" + digits;
    if (digits.size() == 11 && digits.rfind("976", 0) == 0) {
      return "+" + digits;
    }
  }
  return Status::InvalidArgument(
      "phone '" + std::string(phone) +
          "': expected a Mongolian number, 8 digits or +976 and 8 digits",
      "phone");
}

std::string RegisterPhone(std::string_view normalized) {
  return std::string(normalized.substr(normalized.size() - 8));
}

std::string TemplateValuesJson(const TemplateValues& values) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : values) j[name] = value;
  return j.dump();
}

Result<TemplateValues> ParseTemplateValuesJson(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::InvalidArgument("template values: expected a JSON object",
                                   "parameters");
  }
  TemplateValues out;
  for (const auto& [name, value] : j.items()) {
    if (!value.is_string()) {
      return Status::InvalidArgument(
          "template values: '" + name + "' is not a string", "parameters");
    }
    out[name] = value.get<std::string>();
  }
  return out;
}

int64_t UnixNow(const store::Session& session) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             session.clock().Now().time_since_epoch())
      .count();
}

Result<QueueResult> Queue(store::Session& session,
                          const TemplateCatalogue& catalogue,
                          const params::ParameterSet& parameters,
                          const QueueRequest& request) {
  QueueResult out;
  MALCHIN_ASSIGN_OR_RETURN(
      out.message, BuildMessage(session, catalogue, parameters, request));
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(out.queued,
                             session.Get<Repository>().Enqueue(out.message));
    return Status::Ok();
  }));
  return out;
}

Status ApplyDeliveryReport(store::Session& session,
                           const DeliveryReport& report) {
  return session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session.Lock("sms:" + report.message_id));
    auto& repo = session.Get<Repository>();
    MALCHIN_ASSIGN_OR_RETURN(auto message, repo.FindByKey(report.message_id));
    if (!message) {
      return Status::NotFound("no SMS with id '" + report.message_id + "'");
    }
    int64_t now = UnixNow(session);
    MALCHIN_RETURN_IF_ERROR(
        repo.AppendReport({report.message_id, report, now}));
    auto next = StateAfter(message->state, report.state);
    if (!next) return Status::Ok();
    return repo.SetDeliveryState(message->id, *next,
                                 static_cast<int>(report.state), now,
                                 IsFinal(*next) ? now : 0);
  });
}

Status SetOptOut(store::Session& session, std::string_view phone,
                 bool opted_out, std::string_view source) {
  MALCHIN_ASSIGN_OR_RETURN(std::string normalized, NormalizePhone(phone));
  return session.Write([&]() -> Status {
    return session.Get<Repository>().SetOptOut(normalized, opted_out, source,
                                               UnixNow(session));
  });
}

}  // namespace malchin::channel
