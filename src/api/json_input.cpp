#include "api/json_input.h"

#include "core/text.h"

namespace malchin::api {

using nlohmann::json;

Result<JsonInput> JsonInput::Parse(std::string_view body) {
  if (auto bad = text::FindInvalidUtf8(body)) {
    return Status::InvalidArgument(
        "the request body is not valid UTF-8 (byte " + std::to_string(*bad) +
        ")");
  }
  if (body.empty()) {
    return Status::InvalidArgument("the request needs a JSON object body");
  }
  // Nesting deeper than any request needs is refused (and never built).
  bool too_deep = false;
  json::parser_callback_t limit =
      [&too_deep](int depth, json::parse_event_t event, json&) {
        if (depth > 32 && (event == json::parse_event_t::object_start ||
                           event == json::parse_event_t::array_start)) {
          too_deep = true;
          return false;
        }
        return true;
      };
  auto parsed = std::make_shared<json>(
      json::parse(body.begin(), body.end(), limit, /*allow_exceptions=*/false));
  if (too_deep) {
    return Status::InvalidArgument(
        "the request body nests objects or arrays more than 32 deep");
  }
  if (parsed->is_discarded()) {
    // Find the position by parsing again with exceptions (rare path).
    std::string where;
    try {
      [[maybe_unused]] json again = json::parse(body.begin(), body.end());
    } catch (const json::parse_error& e) {
      where = " at byte " + std::to_string(e.byte);
    } catch (const json::exception&) {  // e.g. out_of_range: 1e99999.
      where = " (a number is out of range)";
    }
    return Status::InvalidArgument("the request body is not valid JSON" +
                                   where);
  }
  if (!parsed->is_object()) {
    return Status::InvalidArgument("the request body must be a JSON object");
  }
  JsonInput in(*parsed, "");
  in.owner_ = parsed;
  return in;
}

JsonInput::JsonInput(const json& object, std::string where)
    : j_(&object), where_(std::move(where)) {}

bool JsonInput::Has(const std::string& name) const {
  return j_->contains(name);
}

const json* JsonInput::Find(const std::string& name) {
  seen_.insert(name);
  auto it = j_->find(name);
  if (it == j_->end() || it->is_null()) return nullptr;
  return &*it;
}

Status JsonInput::TypeError(const std::string& name,
                            const char* expected) const {
  return Status::InvalidArgument(
      "field " + where_ + name + ": expected " + expected, where_ + name);
}

Result<std::string> JsonInput::String(const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(auto v, OptString(name));
  if (!v) {
    return Status::InvalidArgument("field " + where_ + name + " is required",
                                   where_ + name);
  }
  return *v;
}

Result<std::optional<std::string>> JsonInput::OptString(
    const std::string& name) {
  const json* v = Find(name);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return TypeError(name, "a string");
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::optional<int64_t>> JsonInput::OptInt(const std::string& name,
                                                 int64_t min, int64_t max) {
  const json* v = Find(name);
  if (!v) return std::optional<int64_t>();
  int64_t n = 0;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() &&
        v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      n = INT64_MAX;
    } else {
      n = v->get<int64_t>();
    }
  } else {
    return TypeError(name, "an integer");
  }
  if (n < min || n > max) {
    return Status::InvalidArgument(
        "field " + where_ + name + ": " + std::to_string(n) + " is outside " +
            std::to_string(min) + ".." + std::to_string(max),
        where_ + name);
  }
  return std::optional<int64_t>(n);
}

Result<int64_t> JsonInput::Int(const std::string& name, int64_t min,
                               int64_t max) {
  MALCHIN_ASSIGN_OR_RETURN(auto v, OptInt(name, min, max));
  if (!v) {
    return Status::InvalidArgument("field " + where_ + name + " is required",
                                   where_ + name);
  }
  return *v;
}

Result<std::optional<bool>> JsonInput::OptBool(const std::string& name) {
  const json* v = Find(name);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) return TypeError(name, "true or false");
  return std::optional<bool>(v->get<bool>());
}

Result<bool> JsonInput::Bool(const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(auto v, OptBool(name));
  if (!v) {
    return Status::InvalidArgument("field " + where_ + name + " is required",
                                   where_ + name);
  }
  return *v;
}

Result<std::optional<double>> JsonInput::OptNumber(const std::string& name) {
  const json* v = Find(name);
  if (!v) return std::optional<double>();
  if (!v->is_number()) return TypeError(name, "a number");
  return std::optional<double>(v->get<double>());
}

Result<JsonInput> JsonInput::Object(const std::string& name) {
  const json* v = Find(name);
  if (!v) {
    return Status::InvalidArgument("field " + where_ + name + " is required",
                                   where_ + name);
  }
  if (!v->is_object()) return TypeError(name, "an object");
  JsonInput child(*v, where_ + name + ".");
  child.owner_ = owner_;  // Keeps the parsed document alive.
  return child;
}

Result<std::vector<JsonInput>> JsonInput::ObjectArray(const std::string& name,
                                                      size_t max_items) {
  std::vector<JsonInput> out;
  const json* v = Find(name);
  if (!v) return out;
  if (!v->is_array()) return TypeError(name, "an array of objects");
  if (v->size() > max_items) {
    return Status::InvalidArgument("field " + where_ + name + ": at most " +
                                       std::to_string(max_items) + " items",
                                   where_ + name);
  }
  for (size_t i = 0; i < v->size(); ++i) {
    const json& e = (*v)[i];
    std::string at = where_ + name + "[" + std::to_string(i) + "]";
    if (!e.is_object()) {
      return Status::InvalidArgument("field " + at + ": expected an object",
                                     at);
    }
    out.emplace_back(e, at + ".");
    out.back().owner_ = owner_;
  }
  return out;
}

Status JsonInput::Finish() const {
  for (auto it = j_->begin(); it != j_->end(); ++it) {
    if (!seen_.count(it.key())) {
      return Status::InvalidArgument(
          "unknown field " + where_ + it.key() +
              " (check the spelling against /api/openapi.json)",
          where_ + it.key());
    }
  }
  return Status::Ok();
}

}  // namespace malchin::api
