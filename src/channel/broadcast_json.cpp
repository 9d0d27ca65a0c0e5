// Broadcasts as JSON for the CLI and the API (broadcast.h).
#include <nlohmann/json.hpp>

#include "channel/broadcast.h"

namespace malchin::channel {

using nlohmann::json;

std::string ToJson(const Broadcast& b) {
  json values = json::object();
  for (const auto& [k, v] : b.values) values[k] = v;
  return json{{"id", b.id},
              {"title", b.title},
              {"target", b.target},
              {"event", b.event_code},
              {"template", b.template_id},
              {"values", values},
              {"area", b.area_code},
              {"state", Name(b.state)},
              {"recipients", b.recipients},
              {"segments", b.segments},
              {"cost", b.cost},
              {"created_by", b.created_by},
              {"created_at", b.created_at},
              {"approved_by", b.approved_by},
              {"approved_at", b.approved_at}}
      .dump();
}

std::string ToJson(const BroadcastPreview& p) {
  json cells = json::array();
  for (const auto& c : p.by_soum_sex) {
    cells.push_back({{"soum", c.soum_code},
                     {"head_sex", registry::SexCode(c.head_sex)},
                     {"households", c.households}});
  }
  return json{{"selected", p.selected},
              {"no_phone", p.no_phone},
              {"opted_out", p.opted_out},
              {"recipients", p.recipients},
              {"text", p.text},
              {"segments", p.segments},
              {"cost_per_message", p.cost_per_message},
              {"cost", p.cost},
              {"needs_approval", p.needs_approval},
              {"by_soum_sex", cells}}
      .dump();
}

std::string ToJson(const BroadcastReport& r) {
  json cells = json::array();
  for (const auto& c : r.by_soum_sex) {
    cells.push_back({{"soum", c.soum_code},
                     {"head_sex", registry::SexCode(c.head_sex)},
                     {"state", c.state},
                     {"messages", c.messages}});
  }
  return json{{"progress", r.progress}, {"by_soum_sex", cells}}.dump();
}

}  // namespace malchin::channel
