#include "params/parameters.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace malchin::embedded {
extern const std::string_view kParametersJson;
}

namespace malchin::params {

Result<std::shared_ptr<const ParameterSet>> ParameterSet::Embedded() {
  static const Result<std::shared_ptr<const ParameterSet>> kSet =
      Parse(embedded::kParametersJson);
  return kSet;
}

Result<std::shared_ptr<const ParameterSet>> ParameterSet::Parse(
    std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument("parameters: not a JSON object");
  }
  auto set = std::make_shared<ParameterSet>();
  if (doc.contains("version") && doc["version"].is_string()) {
    set->version_ = doc["version"].get<std::string>();
  }
  if (!doc.contains("parameters") || !doc["parameters"].is_object()) {
    return Status::InvalidArgument("parameters: missing object 'parameters'");
  }
  for (auto& [name, entry] : doc["parameters"].items()) {
    if (!entry.is_object() || !entry.contains("values") ||
        !entry["values"].is_array()) {
      return Status::InvalidArgument("parameter '" + name +
                                     "': expected an object with 'values'");
    }
    std::vector<DatedValue> values;
    size_t i = 0;
    for (auto& v : entry["values"]) {
      std::string where =
          "parameter '" + name + "' value " + std::to_string(++i);
      if (!v.is_object() || !v.contains("from") || !v["from"].is_string() ||
          !v.contains("value") || !v["value"].is_number()) {
        return Status::InvalidArgument(
            where + ": expected {\"from\": \"YYYY-MM-DD\", \"value\": number}");
      }
      auto from = Date::Parse(v["from"].get<std::string>());
      if (!from.ok()) return from.status().WithContext(where);
      DatedValue dv;
      dv.from = *from;
      dv.value = v["value"].get<double>();
      if (v.contains("source") && v["source"].is_string()) {
        dv.source = v["source"].get<std::string>();
      }
      if (v.contains("confidence") && v["confidence"].is_string()) {
        dv.confidence = v["confidence"].get<std::string>();
      }
      values.push_back(std::move(dv));
    }
    std::sort(values.begin(), values.end(),
              [](const auto& a, const auto& b) { return a.from < b.from; });
    for (size_t k = 1; k < values.size(); ++k) {
      if (values[k].from == values[k - 1].from) {
        return Status::InvalidArgument("parameter '" + name +
                                       "': two values from " +
                                       values[k].from.ToString());
      }
    }
    set->series_[name] = std::move(values);
  }
  return std::shared_ptr<const ParameterSet>(std::move(set));
}

Result<double> ParameterSet::Value(std::string_view name, Date on) const {
  auto it = series_.find(name);
  if (it == series_.end()) {
    return Status::NotFound("no parameter named '" + std::string(name) + "'");
  }
  const auto& v = it->second;
  auto after = std::upper_bound(
      v.begin(), v.end(), on,
      [](Date d, const DatedValue& dv) { return d < dv.from; });
  if (after == v.begin()) {
    return Status::FailedPrecondition(
        "parameter '" + std::string(name) + "' has no value in force on " +
        on.ToString() +
        (v.empty() ? ""
                   : " (first value from " + v.front().from.ToString() + ")"));
  }
  return std::prev(after)->value;
}

Result<int64_t> ParameterSet::Money(std::string_view name, Date on) const {
  MALCHIN_ASSIGN_OR_RETURN(double v, Value(name, on));
  if (v != std::floor(v)) {
    return Status::InvalidArgument("parameter '" + std::string(name) +
                                   "' is not a whole MNT amount on " +
                                   on.ToString());
  }
  return static_cast<int64_t>(v);
}

std::shared_ptr<const ParameterSet> ParameterSet::Override(
    const std::string& name, const std::vector<DatedValue>& values) const {
  auto copy = std::make_shared<ParameterSet>(*this);
  auto& series = copy->series_[name];
  for (const DatedValue& v : values) {
    auto it =
        std::find_if(series.begin(), series.end(),
                     [&](const DatedValue& d) { return d.from == v.from; });
    if (it != series.end()) {
      *it = v;
    } else {
      series.push_back(v);
    }
  }
  std::sort(series.begin(), series.end(),
            [](const auto& a, const auto& b) { return a.from < b.from; });
  return copy;
}

std::vector<std::string> ParameterSet::Names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : series_) out.push_back(k);
  return out;
}

const std::vector<DatedValue>& ParameterSet::History(
    std::string_view name) const {
  return series_.find(name)->second;
}

}  // namespace malchin::params
