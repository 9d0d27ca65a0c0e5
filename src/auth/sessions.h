// Logging in and out, and recognising a session token.
//
// A login checks the throttle, then the password (a dummy hash is checked
// for unknown users so that timing does not reveal which names exist), then
// creates a session: a fresh 256-bit token, of which only the SHA-256 is
// stored, valid for `session_ttl`. Failed logins are counted by the
// throttle; throttled ones are refused with kUnavailable and a retry delay.
// Thread-safety: an Authenticator may be shared by threads; each call uses
// the Session it is given (one per thread).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/password.h"
#include "auth/roles.h"
#include "auth/throttle.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::auth {

struct LoginResult {
  std::string token;       // Shown once; never stored.
  std::string expires_at;  // ISO 8601 UTC.
  Principal who;
};

struct LoginRefusal {
  Status status;
  std::chrono::seconds retry_after{0};  // > 0 when throttled.
};

class Authenticator {
 public:
  explicit Authenticator(
      std::chrono::seconds session_ttl = std::chrono::hours(8),
      ThrottlePolicy policy = {});

  // kUnauthenticated for a wrong name or password or a disabled account
  // (the same message for all three); kUnavailable with retry_after when
  // throttled.
  Result<LoginResult> Login(store::Session& session, std::string_view username,
                            std::string_view password, std::string_view address,
                            LoginRefusal* refusal = nullptr);

  // The principal of a live session; kUnauthenticated if the token is
  // unknown, revoked, expired or its account disabled.
  Result<Principal> Authenticate(store::Session& session,
                                 std::string_view token);

  // Revokes the session of `who` (idempotent).
  Status Logout(store::Session& session, const Principal& who);

  // ISO 8601 UTC time `offset` from now.
  static std::string IsoTime(std::chrono::seconds offset = {});

 private:
  std::chrono::seconds ttl_;
  LoginThrottle throttle_;
  std::string dummy_hash_;
};

}  // namespace malchin::auth
