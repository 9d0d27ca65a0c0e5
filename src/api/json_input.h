// Strict decoding of JSON request bodies. Everything a client can get wrong
// is an InvalidArgument naming the field: a body that is not UTF-8 or not
// JSON, a top level that is not an object, a missing required field, a
// value of the wrong type or out of range, and any field the endpoint does
// not know (so a typo is never silently ignored).
//
//   MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(request.body));
//   MALCHIN_ASSIGN_OR_RETURN(std::string name, in.String("username"));
//   MALCHIN_RETURN_IF_ERROR(in.Finish());  // Unknown fields -> error.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::api {

class JsonInput {
 public:
  // Parses `body` as one JSON object. `where` prefixes field names in
  // messages (for nested objects: "household.").
  static Result<JsonInput> Parse(std::string_view body);
  // A nested object (REQUIRES: value is an object).
  JsonInput(const nlohmann::json& object, std::string where);

  bool Has(const std::string& name) const;
  Result<std::string> String(const std::string& name);  // Required.
  Result<std::optional<std::string>> OptString(const std::string& name);
  Result<int64_t> Int(const std::string& name, int64_t min, int64_t max);
  Result<std::optional<int64_t>> OptInt(const std::string& name, int64_t min,
                                        int64_t max);
  Result<bool> Bool(const std::string& name);
  Result<std::optional<bool>> OptBool(const std::string& name);
  Result<std::optional<double>> OptNumber(const std::string& name);
  // A nested object / an array of objects.
  Result<JsonInput> Object(const std::string& name);
  Result<std::vector<JsonInput>> ObjectArray(const std::string& name,
                                             size_t max_items);

  // Accepts these fields whatever their value (read-only fields a client
  // may send back as it received them).
  void Ignore(std::initializer_list<const char*> names) {
    for (const char* n : names) seen_.insert(n);
  }

  // InvalidArgument naming the first field that was never read.
  Status Finish() const;

 private:
  const nlohmann::json* Find(const std::string& name);
  Status TypeError(const std::string& name, const char* expected) const;

  // The parsed document, shared by nested inputs (null when constructed
  // over a caller's object, which must then outlive this).
  std::shared_ptr<const nlohmann::json> owner_;
  const nlohmann::json* j_ = nullptr;
  std::string where_;
  std::set<std::string> seen_;
};

}  // namespace malchin::api
