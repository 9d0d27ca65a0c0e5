#include "channel/sender.h"

#include <algorithm>

#include "channel/outbox.h"

namespace malchin::channel {
namespace {

constexpr int kUlaanbaatarUtcOffsetHours = 8;

Result<int64_t> Whole(const params::ParameterSet& p, const char* name,
                      Date on) {
  MALCHIN_ASSIGN_OR_RETURN(double v, p.Value(name, on));
  return static_cast<int64_t>(v);
}

}  // namespace

bool InQuietHours(int64_t unix_seconds, int from_hour, int until_hour) {
  int hour = static_cast<int>(
      ((unix_seconds / 3600 + kUlaanbaatarUtcOffsetHours) % 24 + 24) % 24);
  if (from_hour == until_hour) return false;
  if (from_hour < until_hour) return hour >= from_hour && hour < until_hour;
  return hour >= from_hour || hour < until_hour;
}

int64_t RetryDelay(int attempts, int64_t base, int64_t max) {
  int64_t delay = base;
  for (int i = 1; i < attempts && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

struct Sender::Settings {
  double rate = 1;
  int64_t retry_base = 60, retry_max = 3600, max_attempts = 6;
  int64_t lease = 60, in_doubt = 300, expire_hours = 48, unknown_hours = 72;
  int64_t quiet_from = 22, quiet_until = 8;
  int max_segments = 3;
  int64_t now = 0;
};

Sender::Sender(store::Session& session, const KannelClient& client,
               const params::ParameterSet& parameters, SenderOptions options,
               Wait wait)
    : session_(session),
      client_(client),
      parameters_(parameters),
      options_(std::move(options)),
      wait_(std::move(wait)) {}

Result<Sender::Settings> Sender::Load() const {
  Settings s;
  const auto& p = parameters_;
  Date on = session_.clock().Today();
  MALCHIN_ASSIGN_OR_RETURN(s.rate, p.Value("sms.rate_per_second", on));
  if (s.rate <= 0) {
    return Status::FailedPrecondition("sms.rate_per_second must be > 0");
  }
  MALCHIN_ASSIGN_OR_RETURN(s.retry_base,
                           Whole(p, "sms.retry_base_seconds", on));
  MALCHIN_ASSIGN_OR_RETURN(s.retry_max, Whole(p, "sms.retry_max_seconds", on));
  MALCHIN_ASSIGN_OR_RETURN(s.max_attempts, Whole(p, "sms.max_attempts", on));
  MALCHIN_ASSIGN_OR_RETURN(s.lease, Whole(p, "sms.lease_seconds", on));
  MALCHIN_ASSIGN_OR_RETURN(s.in_doubt, Whole(p, "sms.in_doubt_seconds", on));
  MALCHIN_ASSIGN_OR_RETURN(s.expire_hours,
                           Whole(p, "sms.expire_after_hours", on));
  MALCHIN_ASSIGN_OR_RETURN(s.unknown_hours,
                           Whole(p, "sms.unknown_after_hours", on));
  MALCHIN_ASSIGN_OR_RETURN(s.quiet_from, Whole(p, "sms.quiet_from_hour", on));
  MALCHIN_ASSIGN_OR_RETURN(s.quiet_until, Whole(p, "sms.quiet_until_hour", on));
  MALCHIN_ASSIGN_OR_RETURN(s.max_segments, MaxSegments(p, on));
  if (options_.lease_seconds >= 0) s.lease = options_.lease_seconds;
  if (options_.in_doubt_seconds >= 0) s.in_doubt = options_.in_doubt_seconds;
  s.now = UnixNow(session_);
  return s;
}

Result<SendRound> Sender::RunOnce() {
  MALCHIN_ASSIGN_OR_RETURN(Settings s, Load());
  SendRound round;
  round.quiet = options_.quiet_hours &&
                InQuietHours(s.now, static_cast<int>(s.quiet_from),
                             static_cast<int>(s.quiet_until));
  ClaimRequest claim{s.now,           s.now - s.in_doubt, options_.owner,
                     s.now + s.lease, options_.batch,     !round.quiet};
  std::vector<OutboxMessage> batch;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    auto& repo = session_.Get<Repository>();
    MALCHIN_RETURN_IF_ERROR(
        repo.ExpireQueued(s.now - s.expire_hours * 3600, s.now).status());
    MALCHIN_ASSIGN_OR_RETURN(
        round.unknown, repo.MarkUnknown(s.now - s.unknown_hours * 3600, s.now));
    MALCHIN_ASSIGN_OR_RETURN(batch, repo.Claim(claim));
    return Status::Ok();
  }));
  round.claimed = static_cast<int>(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    Status st = SendOne(s, batch[i], &round);
    if (st.ok()) continue;
    // Kannel refused the account: give the rest back, due now.
    for (size_t j = i; j < batch.size(); ++j) {
      MALCHIN_RETURN_IF_ERROR(Record(
          batch[j],
          {OutboxState::kQueued, s.now, "not sent: " + st.message(), s.now}));
    }
    return st;
  }
  return round;
}

Result<SendRound> Sender::RunUntilIdle(int max_rounds) {
  SendRound total;
  for (int i = 0; i < max_rounds; ++i) {
    MALCHIN_ASSIGN_OR_RETURN(SendRound r, RunOnce());
    total.unknown += r.unknown;
    if (r.claimed == 0) {
      total.quiet = r.quiet;
      break;
    }
    total.claimed += r.claimed;
    total.sent += r.sent;
    total.retried += r.retried;
    total.failed += r.failed;
    total.in_doubt += r.in_doubt;
  }
  return total;
}

Status Sender::SendOne(const Settings& s, const OutboxMessage& m,
                       SendRound* round) {
  int64_t now = UnixNow(session_);
  if (m.kind == MessageKind::kInfo) {
    MALCHIN_ASSIGN_OR_RETURN(bool out,
                             session_.Get<Repository>().IsOptedOut(m.phone));
    if (out) {
      ++round->failed;
      return Record(m, {OutboxState::kFailed, 0, "opted out", now});
    }
  }
  if (m.attempts > s.max_attempts) {
    ++round->failed;
    return Record(m, {OutboxState::kFailed, 0, "out of attempts", now});
  }
  Pace(s);
  now = UnixNow(session_);
  if (now >= m.lease_until) {
    // Slow sends ate the lease: another worker may take the message once
    // it is in doubt, so this one must not start sending it (see .h).
    ++round->retried;
    return Record(
        m, {OutboxState::kQueued, now, "lease ended before sending", now});
  }
  auto sent =
      client_.Send({m.idempotency_key, m.phone, m.text}, s.max_segments);
  now = UnixNow(session_);
  if (!sent.ok()) {
    if (sent.status().code() != StatusCode::kUnavailable) {
      ++round->failed;
      return Record(m, {OutboxState::kFailed, 0, sent.status().message(), now});
    }
    ++round->in_doubt;  // Kannel may have it: the lease decides (see .h).
    return Status::Ok();
  }
  std::string answer = std::string(SendVerdictName(sent->verdict)) + ": " +
                       std::to_string(sent->http_status) + " " + sent->answer;
  switch (sent->verdict) {
    case SendVerdict::kAccepted:
    case SendVerdict::kQueued:
      ++round->sent;
      return Record(m, {OutboxState::kSent, 0, answer, now});
    case SendVerdict::kRefused:
      ++round->failed;
      return Record(m, {OutboxState::kFailed, 0, answer, now});
    case SendVerdict::kAuthFailed:
      MALCHIN_RETURN_IF_ERROR(
          Record(m, {OutboxState::kQueued, now, answer, now}));
      return Status::FailedPrecondition("Kannel refused the sendsms account " +
                                        DescribeAccount(client_.account()));
    case SendVerdict::kRetryLater:
      break;
  }
  if (m.attempts >= s.max_attempts) {
    ++round->failed;
    return Record(m, {OutboxState::kFailed, 0, answer, now});
  }
  ++round->retried;
  int64_t delay = RetryDelay(m.attempts, s.retry_base, s.retry_max);
  return Record(m, {OutboxState::kQueued, now + delay, answer, now});
}

Status Sender::Record(const OutboxMessage& m, const SendOutcome& outcome) {
  return session_.Write([&]() -> Status {
    return session_.Get<Repository>()
        .RecordSend(m.id, options_.owner, outcome)
        .status();
  });
}

void Sender::Pace(const Settings& s) {
  auto now = session_.clock().Now();
  if (next_slot_ > now) {
    wait_(std::chrono::duration_cast<std::chrono::milliseconds>(next_slot_ -
                                                                now));
    now = session_.clock().Now();
  }
  auto gap = std::chrono::microseconds(static_cast<int64_t>(1e6 / s.rate));
  next_slot_ = std::max(next_slot_, now) + gap;
}

}  // namespace malchin::channel
