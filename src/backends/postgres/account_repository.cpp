// The PostgreSQL engine's auth::AccountRepository (schema: migration 0002).
// The rules (what is audited, never the password hash) are auth's own
// (src/auth/accounts.cpp); these are the primitives.
#include "auth/accounts.h"
#include "backends/postgres/session.h"

namespace malchin::backends::postgres {
namespace {

using auth::SessionRecord;
using auth::UserRecord;

constexpr std::string_view kUserColumns =
    "u.id, u.username, u.password_hash, u.role, u.area_code, u.disabled, "
    "u.created_at, u.updated_at";

UserRecord ReadUser(const pqxx::row& row, int c) {
  UserRecord u;
  u.id = PgInt(row[c]);
  u.username = PgText(row[c + 1]);
  u.password_hash = PgText(row[c + 2]);
  u.role = PgText(row[c + 3]);
  u.area_code = static_cast<int32_t>(PgInt(row[c + 4]));
  u.disabled = PgBool(row[c + 5]);
  u.created_at = PgText(row[c + 6]);
  u.updated_at = PgText(row[c + 7]);
  return u;
}

std::optional<UserRecord> OneUser(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return ReadUser(r[0], 0);
}

class PgAccountRepository final : public auth::AccountRepository {
 public:
  explicit PgAccountRepository(PgSession& session)
      : auth::AccountRepository(session), s_(session) {}

  Result<std::optional<UserRecord>> FindUser(std::string_view name) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("auth.find_user",
                                    "SELECT " + std::string(kUserColumns) +
                                        " FROM users u WHERE u.username = $1",
                                    name));
    return OneUser(r);
  }

  Result<std::optional<UserRecord>> FindUserById(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                             s_.Prepared("auth.find_user_id",
                                         "SELECT " + std::string(kUserColumns) +
                                             " FROM users u WHERE u.id = $1",
                                         id));
    return OneUser(r);
  }

  Result<std::vector<UserRecord>> ListUsers() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("auth.list_users",
                                    "SELECT " + std::string(kUserColumns) +
                                        " FROM users u ORDER BY u.username"));
    std::vector<UserRecord> out;
    out.reserve(r.size());
    for (const pqxx::row& row : r) out.push_back(ReadUser(row, 0));
    return out;
  }

  Result<std::optional<std::pair<SessionRecord, UserRecord>>> FindSession(
      std::string_view token_hash) override {
    using Pair = std::pair<SessionRecord, UserRecord>;
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("auth.find_session",
                    "SELECT s.token_hash, s.user_id, s.created_at, "
                    "s.expires_at, s.revoked_at, " +
                        std::string(kUserColumns) +
                        " FROM sessions s JOIN users u ON u.id = s.user_id "
                        "WHERE s.token_hash = $1",
                    token_hash));
    if (r.empty()) return std::optional<Pair>();
    const pqxx::row& row = r[0];
    SessionRecord rec;
    rec.token_hash = PgText(row[0]);
    rec.user_id = PgInt(row[1]);
    rec.created_at = PgText(row[2]);
    rec.expires_at = PgText(row[3]);
    rec.revoked_at = PgOptText(row[4]);
    return std::optional<Pair>(Pair{std::move(rec), ReadUser(row, 5)});
  }

 protected:
  // A taken username is expected (AlreadyExists), so it is an ON CONFLICT,
  // not a failed statement that would abort the caller's transaction.
  Result<int64_t> InsertUser(const UserRecord& u) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("auth.insert_user",
                    "INSERT INTO users (username, password_hash, role, "
                    "area_code, disabled, created_at, updated_at) VALUES ($1, "
                    "$2, $3, $4, $5, $6, $6) ON CONFLICT (username) DO "
                    "NOTHING RETURNING id",
                    u.username, u.password_hash, u.role, u.area_code,
                    u.disabled, u.created_at));
    if (r.empty()) {
      return Status::AlreadyExists("user '" + u.username + "' already exists");
    }
    return PgInt(r[0][0]);
  }

  Status UpdateUserRow(const UserRecord& u) override {
    return s_
        .Prepared("auth.update_user",
                  "UPDATE users SET password_hash = $2, role = $3, area_code "
                  "= $4, disabled = $5, updated_at = $6 WHERE id = $1",
                  u.id, u.password_hash, u.role, u.area_code, u.disabled,
                  u.updated_at)
        .status();
  }

  Status InsertSession(const SessionRecord& r) override {
    return s_
        .Prepared("auth.insert_session",
                  "INSERT INTO sessions (token_hash, user_id, created_at, "
                  "expires_at) VALUES ($1, $2, $3, $4)",
                  r.token_hash, r.user_id, r.created_at, r.expires_at)
        .status();
  }

  Result<int64_t> RevokeSessionRows(int64_t user_id,
                                    std::string_view token_hash,
                                    std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("auth.revoke_sessions",
                    "UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 "
                    "AND ($2 = '' OR token_hash = $2) AND revoked_at IS NULL",
                    user_id, token_hash, at));
    return static_cast<int64_t>(r.affected_rows());
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterAccountRepositories(PgFactories* f) {
  f->Add<auth::AccountRepository>(
      [](PgSession& s) { return std::make_unique<PgAccountRepository>(s); });
}

}  // namespace malchin::backends::postgres
