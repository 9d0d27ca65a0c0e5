// auth::AccountRepository: the accounts of the people who use Malchin and
// their login sessions. Each engine implements the primitives
// (src/backends/<engine>/account_repository.cpp); the rules (what is
// audited, never the password hash) are here.
//
// Accounts are not area data: every method ignores the session's area; the
// API decides who may manage accounts (the admin).
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/audit.h"
#include "store/session.h"

namespace malchin::auth {

// An account. The password is only ever stored as an Argon2id hash string.
struct UserRecord {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::string role;       // admin, national_officer, aimag_officer, ...
  int32_t area_code = 0;  // 0 national, 3-digit aimag, 5-digit soum.
  bool disabled = false;
  std::string created_at;  // ISO 8601 UTC, e.g. 2026-11-22T14:00:00Z.
  std::string updated_at;
};

// A login session; only a hash of its token is stored.
struct SessionRecord {
  std::string token_hash;
  int64_t user_id = 0;
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
};

class AccountRepository : public store::Repository {
 public:
  explicit AccountRepository(store::Session& session) : session_(session) {}

  // Account changes, logins and logouts are recorded in the audit trail in
  // the same transaction (password hashes never appear in it).
  // AlreadyExists if the username is taken. Returns the record with its id.
  Result<UserRecord> CreateUser(const UserRecord& user,
                                const store::ChangeContext& context = {});
  // Updates password_hash, role, area_code, disabled and updated_at of the
  // user with `user.id`. NotFound if there is none. FailedPrecondition
  // (nothing changed) when it would leave no active administrator, or when
  // the caller (context.actor) disables their own account.
  Status UpdateUser(const UserRecord& user,
                    const store::ChangeContext& context = {});
  Status CreateSession(const SessionRecord& session);
  // Revokes one session, or all of a user's (token_hash empty).
  Status RevokeSessions(int64_t user_id, std::string_view token_hash,
                        std::string_view at);

  virtual Result<std::optional<UserRecord>> FindUser(
      std::string_view username) = 0;
  virtual Result<std::optional<UserRecord>> FindUserById(int64_t id) = 0;
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  // The session and its user, whatever their state (callers check expiry,
  // revocation and disabled accounts).
  virtual Result<std::optional<std::pair<SessionRecord, UserRecord>>>
  FindSession(std::string_view token_hash) = 0;

 protected:
  // Engine primitives, called inside a write transaction.
  // AlreadyExists if the username is taken; returns the new id.
  virtual Result<int64_t> InsertUser(const UserRecord& user) = 0;
  virtual Status UpdateUserRow(const UserRecord& user) = 0;
  virtual Status InsertSession(const SessionRecord& session) = 0;
  // Returns how many sessions were revoked.
  virtual Result<int64_t> RevokeSessionRows(int64_t user_id,
                                            std::string_view token_hash,
                                            std::string_view at) = 0;

 private:
  // UpdateUser's rule about administrators (see there); REQUIRES a Write.
  Status KeepsAnAdmin(const UserRecord& before, const UserRecord& after,
                      std::string_view actor);

  store::Session& session_;
};

// An account as the audit trail shows it: never the password hash.
std::string UserJson(const UserRecord& u, bool password_changed);

}  // namespace malchin::auth
