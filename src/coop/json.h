// The JSON forms of the coop capability's records, shared by the API
// (src/api/coop_routes.cpp, ...) and the CLI's --json: field names in
// snake_case, dates "YYYY-MM-DD", money in whole MNT, feed in kg, enums by
// their names (model.h). docs/cooperatives.md lists them.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "coop/distributions.h"
#include "coop/feed.h"
#include "coop/fund.h"
#include "coop/model.h"
#include "coop/repository.h"
#include "coop/trainings.h"
#include "rules/evaluator.h"

namespace malchin::coop {

nlohmann::json ToJson(const Cooperative& c);
nlohmann::json ToJson(const CoopSummary& s);
nlohmann::json ToJson(const Membership& m);
nlohmann::json ToJson(const LedgerEntry& e);
nlohmann::json ToJson(const Statement& s);
nlohmann::json ToJson(const Warehouse& w);
nlohmann::json ToJson(const FeedStock& s);
nlohmann::json ToJson(const FeedMovement& m);
nlohmann::json ToJson(const InKindItem& i);
nlohmann::json ToJson(const Distribution& d);
nlohmann::json ToJson(const DistributionLine& l);
nlohmann::json ToJson(const Training& t);
nlohmann::json ToJson(const Attendance& a);
nlohmann::json ToJson(const Business& b);
nlohmann::json ToJson(const EventPosition& p);
// A preview: totals, by aimag and soum, and the cells by sex x age band x
// disability (rules::Preview), with the values.
nlohmann::json ToJson(const DistributionPreview& p);
// Statistics: the cells, and totals by sex, by age band and by soum.
nlohmann::json StatsJson(const std::vector<StatsCell>& cells, Date as_of);

}  // namespace malchin::coop
