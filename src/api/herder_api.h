// Shared by the herders' route files (herder_routes.cpp,
// herder_sections_routes.cpp).
#pragma once

#include <utility>

#include "api/api.h"
#include "herder/signin.h"

namespace malchin::api {

// The herder's session on the worker's store: its caller set to the herder
// (herder::HerderCaller: the household's soum), with the principal of the
// session cookie (malchin_herder). kUnauthenticated without a live herder
// session; kUnavailable when the server has no --herder-pepper.
Result<std::pair<store::Session*, herder::HerderPrincipal>> HerderCall(
    http::Request& req, const Services& services);

}  // namespace malchin::api
