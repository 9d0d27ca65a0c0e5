// Cooperatives and pasture user groups: registration, members (persons and
// their households) with join and leave dates and roles, and a person's
// memberships.
//
// Rules: a cooperative is registered in a soum or district of the
// geography, inside the acting user's area; its code and, when given, its
// state registration number are unique. Registering the same cooperative
// again returns it unchanged (idempotent); the same code with other
// details is AlreadyExists. A person joins while active in the register
// and in the caller's area, not before the cooperative's registration
// date, and has at most one open membership of a cooperative. Leaving
// closes it on a date not before joining, with a reason. A change of role
// closes the membership the day before and opens one with the new role, so
// the history keeps who held which role when.
//
// Thread-safety: reentrant; one Session per thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::coop {

// InvalidArgument naming the field (code, name, type, soum, bag,
// registration number, date); PermissionDenied outside the actor's area.
Result<Cooperative> RegisterCooperative(store::Session& session,
                                        const Context& context,
                                        const Actor& actor, Cooperative c);

// NotFound unless the cooperative is in the caller's area.
Result<Cooperative> FindCooperative(store::Session& session,
                                    const std::string& code);

Result<CoopPage> ListCooperatives(store::Session& session,
                                  const CoopQuery& query, Date as_of);

struct JoinRequest {
  std::string coop_code;
  std::string register_no;
  MemberRole role = MemberRole::kMember;
  Date joined_on;
};
// NotFound for a cooperative or person outside the caller's area;
// FailedPrecondition for a deactivated person or a date before the
// cooperative was registered; AlreadyExists if already a member.
Result<Membership> Join(store::Session& session, const Actor& actor,
                        const JoinRequest& request);

// Closes the person's open membership on `left_on` (their last day).
// NotFound if they have none; InvalidArgument for a date before joining or
// an empty reason.
Result<Membership> Leave(store::Session& session, const Actor& actor,
                         const std::string& coop_code,
                         const std::string& register_no, Date left_on,
                         const std::string& reason);

// Gives an open member a new role from `from` (the old membership ends the
// day before). NotFound if not an open member; InvalidArgument unless
// `from` is after the day they joined; FailedPrecondition if they already
// hold that role.
Result<Membership> ChangeRole(store::Session& session, const Actor& actor,
                              const std::string& coop_code,
                              const std::string& register_no, MemberRole role,
                              Date from);

// Memberships of the cooperative: active on `on`, or every period if
// nullopt; persons of the caller's area only.
Result<std::vector<Membership>> Members(store::Session& session,
                                        const std::string& coop_code,
                                        std::optional<Date> on);

// A person's memberships, every cooperative and period.
Result<std::vector<Membership>> MembershipsOf(store::Session& session,
                                              const std::string& register_no);

}  // namespace malchin::coop
