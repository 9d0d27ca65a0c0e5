#include "auth/sessions.h"

#include <ctime>

#include "auth/accounts.h"

namespace malchin::auth {

Authenticator::Authenticator(std::chrono::seconds session_ttl,
                             ThrottlePolicy policy, Now now)
    : now_(now ? std::move(now)
               : Now([] { return std::chrono::system_clock::now(); })),
      ttl_(session_ttl),
      throttle_(policy) {
  // Verifying against this costs what a real account's check costs.
  auto h = HashPassword("not a real password", PasswordCost::kInteractive);
  if (h.ok()) dummy_hash_ = *h;
}

std::string Authenticator::IsoTime(std::chrono::seconds offset) {
  return IsoTime(std::chrono::system_clock::now() + offset);
}

std::string Authenticator::IsoTime(std::chrono::system_clock::time_point at) {
  std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<LoginResult> Authenticator::Login(store::Session& session,
                                         std::string_view username,
                                         std::string_view password,
                                         std::string_view address,
                                         LoginRefusal* refusal) {
  auto now = now_();
  auto admission = throttle_.Admit(username, address, now);
  if (auto wait = admission.retry_after; wait.count() > 0) {
    Status st = Status::Unavailable("too many failed logins; try again in " +
                                    std::to_string(wait.count()) + " s");
    if (refusal) *refusal = {st, wait};
    return st;
  }
  MALCHIN_ASSIGN_OR_RETURN(auto user,
                           session.Get<AccountRepository>().FindUser(username));
  bool ok = user ? VerifyPassword(user->password_hash, password)
                 : (VerifyPassword(dummy_hash_, password), false);
  if (!ok || user->disabled) {
    throttle_.Failed(username, address, now);
    Status st = Status::Unauthenticated(
        "wrong user name or password, or the account is disabled");
    if (refusal) *refusal = {st, {}};
    return st;
  }
  MALCHIN_ASSIGN_OR_RETURN(Role role, ParseRole(user->role));
  LoginResult r;
  r.failed_logins = throttle_.Succeeded(username, address, admission, now);
  r.token = NewSessionToken();
  r.expires_at = IsoTime(now + ttl_);
  SessionRecord s;
  s.token_hash = TokenHash(r.token);
  s.user_id = user->id;
  s.created_at = IsoTime(now);
  s.expires_at = r.expires_at;
  MALCHIN_RETURN_IF_ERROR(session.Get<AccountRepository>().CreateSession(s));
  r.who = {user->id, user->username, role, user->area_code, s.token_hash};
  return r;
}

Result<Principal> Authenticator::Authenticate(store::Session& session,
                                              std::string_view token) {
  if (!IsWellFormedToken(token)) {
    return Status::Unauthenticated("the session token is not valid");
  }
  std::string hash = TokenHash(token);
  MALCHIN_ASSIGN_OR_RETURN(auto found,
                           session.Get<AccountRepository>().FindSession(hash));
  if (!found) return Status::Unauthenticated("the session token is not valid");
  const auto& [record, user] = *found;
  if (record.revoked_at) {
    return Status::Unauthenticated("the session has ended; log in again");
  }
  // ISO 8601 UTC strings of one format compare as times.
  if (record.expires_at <= IsoTime(now_())) {
    return Status::Unauthenticated("the session has expired; log in again");
  }
  if (user.disabled) {
    return Status::Unauthenticated("the account is disabled");
  }
  MALCHIN_ASSIGN_OR_RETURN(Role role, ParseRole(user.role));
  return Principal{user.id, user.username, role, user.area_code, hash};
}

Status Authenticator::Logout(store::Session& session, const Principal& who) {
  return session.Get<AccountRepository>().RevokeSessions(
      who.user_id, who.token_hash, IsoTime(now_()));
}

}  // namespace malchin::auth
