// Internal to the API: what the routes of cooperatives, distributions and
// trainings share (coop_routes.cpp, coop_fund_routes.cpp,
// distribution_routes.cpp, training_routes.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/json_input.h"
#include "coop/service.h"

namespace malchin::api::coopapi {

// The coop context (parameters, soums, prices, frame cache), made once.
inline Result<const coop::Context*> Ctx() {
  static const Result<coop::Context> ctx = coop::Context::Embedded();
  if (!ctx.ok()) return ctx.status();
  return &*ctx;
}

inline http::RouteDoc Doc(std::string summary, std::string tag,
                          std::map<int, std::string> responses,
                          std::vector<http::Parameter> query = {},
                          std::string schema = {}) {
  http::RouteDoc d;
  d.summary = std::move(summary);
  d.tag = std::move(tag);
  d.responses = std::move(responses);
  d.query = std::move(query);
  d.request_schema = std::move(schema);
  return d;
}

inline http::Parameter QueryParam(std::string name, std::string description,
                                  std::string type = "string") {
  return {std::move(name), "query", std::move(description), false,
          std::move(type)};
}

// A date field of a body (`fallback` when absent).
inline Result<Date> DateOf(const std::optional<std::string>& v,
                           const char* field, std::optional<Date> fallback) {
  if (!v) {
    if (fallback) return *fallback;
    return Status::InvalidArgument(std::string(field) + " is required", field);
  }
  auto d = Date::Parse(*v);
  if (!d.ok()) {
    return Status::InvalidArgument(
        std::string(field) + " '" + *v + "': " + d.status().message(), field);
  }
  return *d;
}

// A date query parameter (`fallback` when absent).
inline Result<Date> QueryDate(const http::Request& r, const char* name,
                              Date fallback) {
  return DateOf(r.Query(name), name, fallback);
}

// Records that the response shows these persons (register number,
// household id).
inline Status Reads(Services& services, Call& c,
                    const std::vector<std::pair<std::string, std::string>>& who,
                    std::string_view purpose) {
  std::vector<registry::Person> persons(who.size());
  for (size_t i = 0; i < who.size(); ++i) {
    persons[i].register_no = who[i].first;
    persons[i].household_id = who[i].second;
  }
  return RecordReads(services, c, persons, purpose);
}

// 201 for what a request recorded, 200 for a replay of an earlier one.
inline http::Response Recorded(nlohmann::json body, bool replayed) {
  body["replayed"] = replayed;
  return JsonResponse(replayed ? 200 : 201, body);
}

}  // namespace malchin::api::coopapi
