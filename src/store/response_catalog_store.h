// ResponseCatalog: read-only listings of shock events and response plans,
// for the API and the web page (the lists the CLI never needed). The SQL is
// in sqlite_response_catalog_store.cpp, over the tables of
// migrations/0003_response.sql; the records themselves are read through
// ResponseStore (FindEvent, FindPlan).
//
// Area: an event is in an area when at least one of its affected soums is
// (a national AreaFilter sees every event); a plan is in an area when its
// event is.
//
// Thread-safety: like Store, one object per thread (each on its own Store).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "store/store.h"

namespace malchin::store {

struct EventSummary {
  std::string code;
  std::string type;
  std::string name;
  Date declared_on;
  Date starts_on;
  std::optional<Date> ends_on;
  std::string created_by;
  int64_t soums = 0;  // Affected soums in the area asked for.
  int64_t plans = 0;  // Plans of the event.
};

struct PlanSummary {
  std::string code;
  std::string event_code;
  std::string name;
  std::string kind;    // "vertical" | "horizontal".
  std::string status;  // "prepared" | "approved".
  std::string prepared_by;
  std::string approved_by;  // Empty until approved.
  int64_t beneficiaries = 0;
  int64_t amount_per_installment = 0;
  int64_t installments = 0;
};

class ResponseCatalog {
 public:
  virtual ~ResponseCatalog() = default;

  // A catalog on `store`'s connection. REQUIRES: `store` outlives it.
  // FailedPrecondition if `store` is not a SQLite store.
  static Result<std::unique_ptr<ResponseCatalog>> OnSqlite(Store& store);

  // Events in `area`, newest declaration first (then by code).
  virtual Result<std::vector<EventSummary>> ListEvents(
      const AreaFilter& area) = 0;
  // Plans in `area`, of one event if `event_code` is not empty, by code.
  virtual Result<std::vector<PlanSummary>> ListPlans(
      std::string_view event_code, const AreaFilter& area) = 0;
};

}  // namespace malchin::store
