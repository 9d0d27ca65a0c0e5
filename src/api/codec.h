// The register's JSON forms for the API: households and persons, in and
// out. Field names follow the interchange CSV (README "Interchange files").
// Decoding is strict (api/json_input.h) and then validated with the
// registry's rules (registry::ValidateHousehold / ValidatePerson); the first
// problem is returned with its field.
#pragma once

#include <nlohmann/json.hpp>

#include "api/json_input.h"
#include "geo/geography.h"
#include "registry/model.h"

namespace malchin::api {

nlohmann::json HouseholdToJson(const registry::Household& h);
nlohmann::json PersonToJson(const registry::Person& p);

// `id` is the household id from the URL (or empty to take it from the body).
Result<registry::Household> HouseholdFromJson(JsonInput& in,
                                              const geo::Geography& geo);
Result<registry::Person> PersonFromJson(JsonInput& in,
                                        const std::string& household_id,
                                        Date today);

}  // namespace malchin::api
