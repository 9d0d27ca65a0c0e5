#include "auth/accounts.h"

#include <nlohmann/json.hpp>

namespace malchin::auth {

std::string UserJson(const UserRecord& u, bool password_changed) {
  nlohmann::ordered_json j = {{"id", u.id},
                              {"username", u.username},
                              {"role", u.role},
                              {"area_code", u.area_code},
                              {"disabled", u.disabled}};
  if (password_changed) j["password_changed"] = true;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<UserRecord> AccountRepository::CreateUser(
    const UserRecord& u, const store::ChangeContext& context) {
  UserRecord out = u;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    auto id = InsertUser(u);
    if (id.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("user '" + u.username + "' already exists");
    }
    MALCHIN_RETURN_IF_ERROR(id.status());
    out.id = *id;
    out.updated_at = u.created_at;
    store::AuditEntry e;
    e.actor = context.actor;
    e.action = "user.create";
    e.entity_type = "user";
    e.entity_id = out.username;
    e.after_json = UserJson(out, false);
    return session_.Audit(std::move(e)).status();
  }));
  return out;
}

namespace {

// Who can still manage the accounts.
bool ActiveAdmin(const UserRecord& u) {
  return u.role == "admin" && !u.disabled;
}

}  // namespace

Status AccountRepository::KeepsAnAdmin(const UserRecord& before,
                                       const UserRecord& after,
                                       std::string_view actor) {
  if (after.disabled && !before.disabled && actor == before.username) {
    return Status::FailedPrecondition(
        "өөрийн бүртгэлийг идэвхгүй болгох боломжгүй / you cannot disable "
        "your own account");
  }
  if (!ActiveAdmin(before) || ActiveAdmin(after)) return Status::Ok();
  // Two administrators disabling each other at once: one waits here and
  // then counts the other's change (any app server).
  MALCHIN_RETURN_IF_ERROR(session_.Lock("accounts:admins"));
  MALCHIN_ASSIGN_OR_RETURN(auto all, ListUsers());
  for (const UserRecord& other : all) {
    if (other.id != before.id && ActiveAdmin(other)) return Status::Ok();
  }
  return Status::FailedPrecondition(
      "дор хаяж нэг идэвхтэй админ үлдэх ёстой: эхлээд өөр админ нэмнэ үү / "
      "at least one active administrator must remain: add another one "
      "first");
}

Status AccountRepository::UpdateUser(const UserRecord& u,
                                     const store::ChangeContext& context) {
  return session_.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto before, FindUserById(u.id));
    if (!before) {
      return Status::NotFound("no user with id " + std::to_string(u.id));
    }
    MALCHIN_RETURN_IF_ERROR(KeepsAnAdmin(
        *before, u,
        context.actor.empty() ? session_.caller().actor : context.actor));
    MALCHIN_RETURN_IF_ERROR(UpdateUserRow(u));
    UserRecord after = u;
    after.username = before->username;
    store::AuditEntry e;
    e.actor = context.actor;
    e.action = "user.update";
    e.entity_type = "user";
    e.entity_id = before->username;
    e.before_json = UserJson(*before, false);
    e.after_json =
        UserJson(after, before->password_hash != after.password_hash);
    return session_.Audit(std::move(e)).status();
  });
}

Status AccountRepository::CreateSession(const SessionRecord& r) {
  return session_.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto user, FindUserById(r.user_id));
    if (!user) {
      return Status::NotFound("no user with id " + std::to_string(r.user_id));
    }
    MALCHIN_RETURN_IF_ERROR(InsertSession(r));
    store::AuditEntry e;
    e.actor = user->username;
    e.action = "login";
    e.entity_type = "session";
    // A prefix of the token's hash names the session without revealing it.
    e.entity_id = r.token_hash.substr(0, 16);
    e.after_json = nlohmann::json({{"expires_at", r.expires_at}}).dump();
    e.at = r.created_at;
    return session_.Audit(std::move(e)).status();
  });
}

Status AccountRepository::RevokeSessions(int64_t user_id,
                                         std::string_view token_hash,
                                         std::string_view at) {
  return session_.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto user, FindUserById(user_id));
    if (!user) {
      return Status::NotFound("no user with id " + std::to_string(user_id));
    }
    MALCHIN_ASSIGN_OR_RETURN(int64_t revoked,
                             RevokeSessionRows(user_id, token_hash, at));
    if (revoked == 0) return Status::Ok();
    store::AuditEntry e;
    e.actor = user->username;
    e.action = "logout";
    e.entity_type = "session";
    e.entity_id = token_hash.empty() ? std::string("all")
                                     : std::string(token_hash.substr(0, 16));
    e.after_json = nlohmann::json({{"revoked", revoked}}).dump();
    e.at = std::string(at);
    return session_.Audit(std::move(e)).status();
  });
}

}  // namespace malchin::auth
