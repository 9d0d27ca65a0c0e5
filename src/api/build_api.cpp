// The API as a whole: every capability's routes (the generated
// AddAllRoutes) and the OpenAPI document describing them. Kept apart from
// api.cpp so that the fuzz targets can use the decoding without the routes.
#include <memory>
#include <string>

#include "api/api.h"

namespace malchin::api {

void AddAllRoutes(Api* api);  // Generated from the *_routes.cpp files.

void BuildApi(http::Router* router, Services* services) {
  Api api(router, services);
  AddAllRoutes(&api);
  // Generated once all routes exist; served from memory.
  auto doc = std::make_shared<std::string>(OpenApiDocument(*router));
  http::RouteDoc d;
  d.summary = "This document: the OpenAPI 3.0 description of the whole API";
  d.tag = "system";
  d.responses = {{200, "The OpenAPI document"}};
  api.AddPublic(
      "GET", "/api/openapi.json", d,
      [doc](http::Request&) -> Result<http::Response> {
        return http::Response::Json(200, *doc);
      },
      http::Dispatch::kInline);
}

}  // namespace malchin::api
