// response::Catalog: read-only listings of shock events and response plans,
// for the API and the web page (the lists the CLI never needed); each engine
// implements it (src/backends/<engine>/response_catalog_repository.cpp). The
// records themselves are read through response::Repository (FindEvent,
// FindPlan).
//
// Area: an event is in an area when at least one of its affected soums is
// (a national AreaFilter sees every event); a plan is in an area when its
// event is.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "response/model.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::response {

using store::AreaFilter;

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
  PlanKind kind = PlanKind::kHorizontal;
  PlanStatus status = PlanStatus::kPrepared;
  std::string prepared_by;
  std::string approved_by;  // Empty until approved.
  int64_t beneficiaries = 0;
  int64_t amount_per_installment = 0;
  int64_t installments = 0;
};

class Catalog : public store::Repository {
 public:
  // Events in `area`, newest declaration first (then by code).
  virtual Result<std::vector<EventSummary>> ListEvents(
      const AreaFilter& area) = 0;
  // Plans in `area`, of one event if `event_code` is not empty, by code.
  virtual Result<std::vector<PlanSummary>> ListPlans(
      std::string_view event_code, const AreaFilter& area) = 0;
};

}  // namespace malchin::response
