// The outbox's sending worker: claims due messages under a lease, sends
// each through Kannel, records the result, retries with exponential
// back-off, keeps to a rate, holds information messages in quiet hours
// and honours opt-out at send time. Parameters (data/parameters.json,
// dated, read on the clock's date): sms.rate_per_second,
// sms.retry_base_seconds, sms.retry_max_seconds, sms.max_attempts,
// sms.lease_seconds, sms.in_doubt_seconds, sms.expire_after_hours,
// sms.unknown_after_hours,
// sms.quiet_from_hour, sms.quiet_until_hour, sms.max_segments.
//
// Each message is sent at most once by Malchin — the guarantee, precisely:
// - A claim moves a message to `sending` under the worker's name and a
//   lease, in one transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, an
//   immediate transaction on SQLite) that commits before anything is
//   sent: two workers, on one or several app servers, never hold one
//   message at once.
// - A worker starts sending a message only before its lease ends (a batch
//   slowed by Kannel gives the rest back, due now), and each result is
//   recorded in its own transaction, only while the worker still holds
//   the message (RecordSend checks the owner). A send started within the
//   lease ends within the HTTP client's timeout (10 s in `malchin channel
//   send`), far inside sms.in_doubt_seconds.
// - The message's idempotency key is Kannel's message id in the dlr-url,
//   so every report names it, and the delivery-report endpoint records a
//   report whatever state the message is in.
// - A message whose lease ended with no recorded result (the worker died,
//   or Kannel did not answer: the message may or may not have gone) is
//   sent again only if no report of any kind arrived for it within
//   sms.in_doubt_seconds after the lease ended. Kannel reports 8
//   ("accepted by the SMSC") as soon as the SMSC takes a message, so a
//   message is sent twice only if Kannel held it without passing it to an
//   SMSC for longer than that (its SMSC link down: Kannel's status page
//   shows it) — the one case where a phone can get a message twice.
//   Kannel must ask for reports (dlr-mask 31 or at least 8 | 1).
//
// Time comes from the session's clock; waiting (the rate limit) goes
// through the injected `wait`, so tests never sleep.
//
// Thread-safety: a Sender uses its session: one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "channel/kannel.h"
#include "channel/repository.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::channel {

struct SenderOptions {
  std::string owner;  // This worker's name (host:pid), unique per worker.
  int batch = 50;     // Messages claimed per transaction.
  // Operational overrides of sms.lease_seconds / sms.in_doubt_seconds
  // (tests and a restart after a known crash); < 0: the parameter.
  int lease_seconds = -1;
  int in_doubt_seconds = -1;
  // False: information messages go in quiet hours too (an operator's
  // override for an emergency alert; tests at any hour).
  bool quiet_hours = true;
};

// What one round did.
struct SendRound {
  int claimed = 0;
  int sent = 0;      // Kannel took them.
  int retried = 0;   // Back in the queue with a later attempt.
  int failed = 0;    // Refused, out of attempts, or opted out.
  int in_doubt = 0;  // No answer from Kannel: left to the lease.
  // Sent over sms.unknown_after_hours ago with no final report: marked
  // unknown now (never retried; a late report still counts).
  int64_t unknown = 0;
  bool quiet = false;  // Quiet hours: information messages held.
};

using Wait = std::function<void(std::chrono::milliseconds)>;

class Sender {
 public:
  // REQUIRES: session, client and parameters outlive the Sender.
  Sender(store::Session& session, const KannelClient& client,
         const params::ParameterSet& parameters, SenderOptions options,
         Wait wait);

  // Expires old queued messages, marks old sent ones unknown, claims one
  // batch and sends it. Errors:
  // the store's; FailedPrecondition if Kannel refused the account
  // (auth_failed: the rest of the batch goes back to the queue, due now);
  // a parameter missing. Messages already sent stay recorded.
  Result<SendRound> RunOnce();
  // Rounds until one claims nothing; totals. `max_rounds` bounds it.
  Result<SendRound> RunUntilIdle(int max_rounds = 1000000);

 private:
  struct Settings;
  Result<Settings> Load() const;
  Status SendOne(const Settings& s, const OutboxMessage& m, SendRound* round);
  Status Record(const OutboxMessage& m, const SendOutcome& outcome);
  void Pace(const Settings& s);

  store::Session& session_;
  const KannelClient& client_;
  const params::ParameterSet& parameters_;
  SenderOptions options_;
  Wait wait_;
  std::chrono::system_clock::time_point next_slot_{};
};

// Whether `unix_seconds` is in quiet hours [from, until) Ulaanbaatar time
// (UTC+8, no daylight saving); from > until wraps midnight.
bool InQuietHours(int64_t unix_seconds, int from_hour, int until_hour);

// Seconds to wait before attempt `attempts + 1` after a temporary failure:
// base * 2^(attempts - 1), at most `max`.
int64_t RetryDelay(int attempts, int64_t base, int64_t max);

}  // namespace malchin::channel
