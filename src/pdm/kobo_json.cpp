// The KoBoToolbox data API v2 JSON (kobo.h).
#include <nlohmann/json.hpp>

#include "pdm/kobo_internal.h"

namespace malchin::pdm {
namespace {

using internal::ColumnRole;
using Json = nlohmann::json;
using Kind = ColumnRole::Kind;

// A scalar as the CSV export would hold it; false for arrays and objects.
bool ScalarText(const Json& v, std::string* out) {
  if (v.is_string()) {
    *out = v.get<std::string>();
  } else if (v.is_null()) {
    out->clear();
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    *out = v.dump();
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    *out =
        d == static_cast<double>(static_cast<int64_t>(d)) && std::abs(d) < 1e15
            ? std::to_string(static_cast<int64_t>(d))
            : v.dump();
  } else if (v.is_boolean()) {
    *out = v.get<bool>() ? "true" : "false";
  } else {
    return false;
  }
  return true;
}

void ReadRecord(const Json& rec, size_t index, const Form& form,
                internal::Ingestor* in) {
  internal::RawSubmission raw;
  if (auto u = rec.find("_uuid"); u != rec.end() && u->is_string()) {
    raw.uuid = u->get<std::string>();
  } else if (auto m = rec.find("meta/instanceID");
             m != rec.end() && m->is_string()) {
    std::string id = m->get<std::string>();
    raw.uuid = id.starts_with("uuid:") ? id.substr(5) : id;
  }
  for (auto& [key, value] : rec.items()) {
    const ColumnRole role = internal::Classify(key, form);
    if (role.kind == Kind::kIgnored) continue;
    std::string text;
    if (!ScalarText(value, &text)) {
      in->Report({Problem::Severity::kError, in->file(), 0, raw.uuid, key,
                  value.dump(-1, ' ', false, Json::error_handler_t::replace)
                      .substr(0, 80),
                  "a single value (repeat groups and nested objects are not "
                  "supported; the value is not used)"});
      continue;
    }
    if (role.kind == Kind::kUnknown) {
      in->Report({Problem::Severity::kWarning,
                  in->file(),
                  0,
                  raw.uuid,
                  key,
                  {},
                  "a question of the form or KoBo metadata (results[" +
                      std::to_string(index) + "]; the key is not read)"});
    }
    raw.Set(role, std::move(text));
  }
  in->Accept(std::move(raw));
}

}  // namespace

Result<Ingested> ReadKoboJson(std::string_view file_name, std::string_view json,
                              const Form& form, const IngestOptions& options) {
  MALCHIN_ASSIGN_OR_RETURN(internal::Ingestor in,
                           internal::Ingestor::Make(file_name, form, options));
  Json j = Json::parse(json, nullptr, false);
  auto results = j.is_object() ? j.find("results") : j.end();
  if (j.is_discarded() || !j.is_object() || results == j.end() ||
      !results->is_array()) {
    return Status::InvalidArgument(
        std::string(file_name) +
        ": expected the KoBoToolbox data API v2 JSON {count, next, "
        "previous, results: [...]}");
  }
  for (size_t i = 0; i < results->size(); ++i) {
    const Json& rec = (*results)[i];
    if (!rec.is_object()) {
      in.Report({Problem::Severity::kError,
                 std::string(file_name),
                 0,
                 {},
                 "results[" + std::to_string(i) + "]",
                 rec.dump(-1, ' ', false, Json::error_handler_t::replace)
                     .substr(0, 80),
                 "a submission object"});
      continue;
    }
    ReadRecord(rec, i, form, &in);
  }
  Ingested out = in.Finish();
  if (auto c = j.find("count"); c != j.end() && c->is_number_integer()) {
    out.count = c->get<int64_t>();
  }
  if (auto n = j.find("next"); n != j.end() && n->is_string()) {
    out.next = n->get<std::string>();
  }
  return out;
}

}  // namespace malchin::pdm
