// What every service of the coop capability shares: the context (dated
// parameters, the soum list, the price table, the register's frame cache)
// and the acting user.
//
// The services (cooperatives.h, fund.h, feed.h, distributions.h,
// trainings.h, demo.h) hold every rule of the capability and own its
// transactions: each write runs in one store::Session::Write with its
// audit-trail entries, takes a store lock before a decision that depends
// on what it read (a fund's balance, a line's delivery), and leaves nothing
// written when it fails. Reads see the session caller's area only.
//
// Thread-safety: functions are reentrant; a Session is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "auth/roles.h"
#include "core/status.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "prices/price_table.h"
#include "response/frame_cache.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::coop {

struct Context {
  std::shared_ptr<const params::ParameterSet> parameters;
  std::shared_ptr<const geo::Geography> geography;
  std::shared_ptr<const prices::PriceTable> prices;
  // Previews reuse the register's frame while the register is unchanged;
  // null: every preview loads the register.
  std::shared_ptr<response::FrameCache> frames;
  int threads = 0;  // For previews and approvals; 0 = hardware.
  // The shipped parameters, soums and prices, and the process's frame
  // cache.
  static Result<Context> Embedded();
};

// A user allowed to manage cooperatives (auth::Permission::kManageCoop:
// national, aimag and soum officers), and the part of the country they
// act in.
struct Actor {
  std::string username;
  auth::Role role = auth::Role::kSoumOfficer;
  store::AreaFilter area;
};

// The account `username` of the register as an Actor, and sets the
// session's caller to them. NotFound if there is no such account;
// PermissionDenied if it is disabled or its role may not manage
// cooperatives.
Result<Actor> ResolveActor(store::Session& session, std::string_view username);

// The logged-in user of an API call (whose permission the route checked).
Actor ActorOf(const auth::Principal& principal);

// PermissionDenied (in English and Mongolian) unless `actor` acts over the
// whole of `area`; `what` names the thing, e.g. "cooperative 18140-01".
Status CheckActsOver(const Actor& actor, const store::AreaFilter& area,
                     std::string_view what);

}  // namespace malchin::coop
