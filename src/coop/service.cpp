#include "coop/service.h"

#include "auth/accounts.h"

namespace malchin::coop {

Result<Context> Context::Embedded() {
  Context c;
  MALCHIN_ASSIGN_OR_RETURN(c.parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(c.geography, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(c.prices, prices::PriceTable::Embedded());
  c.frames = response::FrameCache::Shared();
  return c;
}

Result<Actor> ResolveActor(store::Session& session, std::string_view username) {
  if (username.empty()) {
    return Status::InvalidArgument("expected the acting user (--user NAME)",
                                   "user");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto user, session.Get<auth::AccountRepository>().FindUser(username));
  if (!user) {
    return Status::NotFound("no user '" + std::string(username) +
                            "' in this register's accounts");
  }
  if (user->disabled) {
    return Status::PermissionDenied("user " + user->username + " is disabled");
  }
  MALCHIN_ASSIGN_OR_RETURN(auth::Role role, auth::ParseRole(user->role));
  if (!auth::Allows(role, auth::Permission::kManageCoop)) {
    return Status::PermissionDenied(
        "user " + user->username + " is " + user->role +
        "; cooperatives are managed by national, aimag or soum officers / " +
        "хоршоог улс, аймаг, сумын ажилтан хөтөлнө");
  }
  Actor a{user->username, role, auth::AreaOf(user->area_code)};
  session.SetCaller({a.username, user->role, a.area});
  return a;
}

Actor ActorOf(const auth::Principal& p) {
  return Actor{p.username, p.role, p.area()};
}

Status CheckActsOver(const Actor& actor, const store::AreaFilter& area,
                     std::string_view what) {
  if (actor.area.Contains(area)) return Status::Ok();
  return Status::PermissionDenied(
      std::string(what) + " is outside the area of " + actor.username + " (" +
      actor.area.ToString() + ") / " + std::string(what) + " нь " +
      actor.username + "-ийн хариуцах нутгаас гадна");
}

}  // namespace malchin::coop
