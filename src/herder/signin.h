// Signing a herder in with the register number and a one-time code sent by
// SMS to the phone on the register, and recognising the herder's session.
//
// RequestCode(register number): if the person is active on the register
// with a phone (their own, else their household's), a 6-digit code is
// queued in the SMS outbox (template "herder.code", kind otp) to THAT phone
// and nowhere else. The caller learns nothing about whether the number is
// on the register: the outcome is the same, and a request for an unknown
// number is counted like any other. The code is stored only as the hex
// SHA-256 of (pepper, salt, code): the pepper is a server secret kept out
// of the database, the salt random per code. Limits, all dated parameters
// (data/parameters.json): a code lives herder.code_minutes; at most
// herder.codes_per_number requests per register number and
// herder.codes_per_phone codes per phone within herder.code_window_minutes
// (over the phone limit nothing is sent, silently).
//
// Verify(register number, code): the latest code requested for the number,
// if not used, not expired and tried fewer than herder.code_max_attempts
// times, matching: it is marked used (once: a second Verify with it is
// refused) and a herder session is created: a fresh 256-bit token (shown
// once; only its SHA-256 is stored) valid herder.session_hours, bound to
// the household. Every try counts, even a wrong one (the count is
// committed when the try is refused).
//
// Refusals are Status values whose message is English, " / ", then
// Mongolian: kUnauthenticated (no code, a wrong, used or expired code),
// kResourceExhausted (too many requests or tries), kInvalidArgument (a
// malformed register number or code, naming the field).
//
// Every function runs its own transaction on the session (serialized per
// register number and per phone across app servers by Session::Lock) and
// reads the time from the session's clock. The session's caller is kept;
// the register is read in a SystemScope (the person is found by register
// number across the country, the herder being anonymous until signed in).
//
// Thread-safety: like the session, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "channel/templates.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::herder {

// The limits in force on a date.
struct SignInPolicy {
  int code_minutes = 10;
  int max_attempts = 5;
  int codes_per_number = 3;
  int codes_per_phone = 5;
  int window_minutes = 60;
  int session_hours = 12;
};
Result<SignInPolicy> PolicyOn(const params::ParameterSet& parameters, Date on);

struct CodeRequest {
  // False when nothing was sent (not on the register, no phone, or the
  // phone's limit reached): for tests and logs, never for the caller.
  bool sent = false;
  std::string outbox_key;  // The SMS's idempotency key when sent.
};

struct SignedIn {
  std::string token;  // Shown once.
  int64_t expires_at = 0;
  std::string household_id;
};

// Who a herder session is: the household it sees and nothing else.
struct HerderPrincipal {
  std::string household_id;
  std::string register_no;
  int32_t soum_code = 0;
  std::string token_hash;
};

// Where the caller of a herder's session comes from: actor
// "herder:<register number>", role "herder", area the household's soum.
store::Caller HerderCaller(const HerderPrincipal& who);

class SignIn {
 public:
  // REQUIRES: `pepper` holds at least 32 characters; everything given
  // outlives this object.
  SignIn(store::Session& session, const channel::TemplateCatalogue& templates,
         const params::ParameterSet& parameters, std::string_view pepper);

  Result<CodeRequest> RequestCode(std::string_view register_no,
                                  channel::Language language);
  Result<SignedIn> Verify(std::string_view register_no, std::string_view code);
  // kUnauthenticated for an unknown, revoked or expired token.
  Result<HerderPrincipal> Authenticate(std::string_view token);
  // Ends the session (idempotent).
  Status SignOut(std::string_view token);

 private:
  store::Session& session_;
  const channel::TemplateCatalogue& templates_;
  const params::ParameterSet& parameters_;
  std::string pepper_;
};

// Hex SHA-256 of pepper, salt and code (what herder_codes keeps).
std::string CodeHash(std::string_view pepper, std::string_view salt,
                     std::string_view code);

}  // namespace malchin::herder
