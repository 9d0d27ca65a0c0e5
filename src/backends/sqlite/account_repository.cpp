// The SQLite engine's auth::AccountRepository (schema: migrations 0002,
// 0006).
#include "auth/accounts.h"
#include "backends/sqlite/session.h"

namespace malchin::backends::sqlite {
namespace {

using auth::SessionRecord;
using auth::UserRecord;

constexpr const char* kUserColumns =
    "u.id, u.username, u.password_hash, u.role, u.area_code, u.disabled, "
    "u.created_at, u.updated_at";

UserRecord ReadUser(const Stmt& s, int c) {
  UserRecord u;
  u.id = s.Int(c);
  u.username = s.Text(c + 1);
  u.password_hash = s.Text(c + 2);
  u.role = s.Text(c + 3);
  u.area_code = static_cast<int32_t>(s.Int(c + 4));
  u.disabled = s.Int(c + 5) != 0;
  u.created_at = s.Text(c + 6);
  u.updated_at = s.Text(c + 7);
  return u;
}

class SqliteAccountRepository final : public auth::AccountRepository {
 public:
  explicit SqliteAccountRepository(SqliteSession& session)
      : auth::AccountRepository(session), session_(session) {}

  Result<std::optional<UserRecord>> FindUser(std::string_view name) override {
    return FindOne("find_user", "u.username = ?1", name);
  }

  Result<std::optional<UserRecord>> FindUserById(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("find_user_id",
                                    std::string("SELECT ") + kUserColumns +
                                        " FROM users u WHERE u.id = ?1"));
    s->Bind(1, id);
    return One(*s);
  }

  Result<std::vector<UserRecord>> ListUsers() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("list_users",
                                    std::string("SELECT ") + kUserColumns +
                                        " FROM users u ORDER BY u.username"));
    std::vector<UserRecord> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return out;
      out.push_back(ReadUser(*s, 0));
    }
  }

  Result<std::optional<std::pair<SessionRecord, UserRecord>>> FindSession(
      std::string_view token_hash) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "find_session",
            std::string("SELECT s.token_hash, s.user_id, s.created_at, "
                        "s.expires_at, s.revoked_at, ") +
                kUserColumns +
                " FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
                "s.token_hash = ?1"));
    s->Bind(1, token_hash);
    using Pair = std::pair<SessionRecord, UserRecord>;
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<Pair>();
    SessionRecord r;
    r.token_hash = s->Text(0);
    r.user_id = s->Int(1);
    r.created_at = s->Text(2);
    r.expires_at = s->Text(3);
    if (!s->IsNull(4)) r.revoked_at = std::string(s->Text(4));
    Pair out{std::move(r), ReadUser(*s, 5)};
    s->Reset();
    return std::optional<Pair>(std::move(out));
  }

 protected:
  Result<int64_t> InsertUser(const UserRecord& u) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins_user",
                          "INSERT INTO users (username, password_hash, role, "
                          "area_code, disabled, created_at, updated_at) VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id"));
    s->Bind(1, std::string_view(u.username))
        .Bind(2, std::string_view(u.password_hash))
        .Bind(3, std::string_view(u.role))
        .Bind(4, u.area_code)
        .Bind(5, static_cast<int64_t>(u.disabled))
        .Bind(6, std::string_view(u.created_at));
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Internal("INSERT ... RETURNING gave no row");
    int64_t id = s->Int(0);
    s->Reset();
    return id;
  }

  Status UpdateUserRow(const UserRecord& u) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("upd_user",
                          "UPDATE users SET password_hash = ?2, role = ?3, "
                          "area_code = ?4, disabled = ?5, updated_at = ?6 "
                          "WHERE id = ?1"));
    return s->Bind(1, u.id)
        .Bind(2, std::string_view(u.password_hash))
        .Bind(3, std::string_view(u.role))
        .Bind(4, u.area_code)
        .Bind(5, static_cast<int64_t>(u.disabled))
        .Bind(6, std::string_view(u.updated_at))
        .Run();
  }

  Status InsertSession(const SessionRecord& r) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("ins_session",
                          "INSERT INTO sessions (token_hash, user_id, "
                          "created_at, expires_at) VALUES (?1, ?2, ?3, ?4)"));
    return s->Bind(1, std::string_view(r.token_hash))
        .Bind(2, r.user_id)
        .Bind(3, std::string_view(r.created_at))
        .Bind(4, std::string_view(r.expires_at))
        .Run();
  }

  Result<int64_t> RevokeSessionRows(int64_t user_id,
                                    std::string_view token_hash,
                                    std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("revoke",
                          "UPDATE sessions SET revoked_at = ?3 WHERE user_id = "
                          "?1 AND (?2 = '' OR token_hash = ?2) AND revoked_at "
                          "IS NULL"));
    MALCHIN_RETURN_IF_ERROR(
        s->Bind(1, user_id).Bind(2, token_hash).Bind(3, at).Run());
    return session_.db().Changes();
  }

 private:
  Result<std::optional<UserRecord>> FindOne(const std::string& name,
                                            const std::string& where,
                                            std::string_view key) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(name, std::string("SELECT ") + kUserColumns +
                                    " FROM users u WHERE " + where));
    s->Bind(1, key);
    return One(*s);
  }
  Result<std::optional<UserRecord>> One(Stmt& s) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<UserRecord>();
    UserRecord u = ReadUser(s, 0);
    s.Reset();
    return std::optional<UserRecord>(std::move(u));
  }

  SqliteSession& session_;
};

}  // namespace

void RegisterAccountRepositories(Factories* f) {
  f->Add<auth::AccountRepository, SqliteAccountRepository>();
}

}  // namespace malchin::backends::sqlite
