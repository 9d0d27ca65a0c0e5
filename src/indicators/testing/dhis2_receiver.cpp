#include "indicators/testing/dhis2_receiver.h"

#include <utility>
// (utility before any Asio header: see net/server.h)
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "net/server.h"

namespace malchin::indicators::testing {
namespace {

using nlohmann::json;

// Decodes standard base64 (with padding); "" on any bad character.
std::string DecodeBase64(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return "";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        ++pad;
        n <<= 6;
        continue;
      }
      int v = val(c);
      if (v < 0 || pad) return "";
      n = (n << 6) | uint32_t(v);
    }
    out += char(n >> 16);
    if (pad < 2) out += char((n >> 8) & 255);
    if (pad < 1) out += char(n & 255);
  }
  return out;
}

bool Uid(const json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() != 11 || !std::isalpha(static_cast<unsigned char>(s[0]))) {
    return false;
  }
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

bool PeriodId(const json& v) {
  if (!v.is_string()) return false;
  std::string_view s = v.get_ref<const std::string&>();
  if (s.size() < 4 || !Digits(s.substr(0, 4))) return false;
  std::string_view rest = s.substr(4);
  if (rest.empty()) return true;
  if (rest.size() == 2 && rest[0] == 'Q')
    return rest[1] >= '1' && rest[1] <= '4';
  if (rest.size() != 2 || !Digits(rest)) return false;
  int m = (rest[0] - '0') * 10 + (rest[1] - '0');
  return m >= 1 && m <= 12;
}

bool Numeric(const json& v) {
  if (v.is_number()) return true;
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size() &&
         std::isfinite(d);
}

http::Response Error(int code, const char* http_status, std::string message) {
  return http::Response::Json(code, json{{"httpStatus", http_status},
                                         {"httpStatusCode", code},
                                         {"status", "ERROR"},
                                         {"message", std::move(message)}}
                                        .dump());
}

std::string Text(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// The conflict of value `i`, or null when it may be imported.
json Conflict(const json& dv, size_t i) {
  auto conflict = [&](const std::string& object, const char* code,
                      const char* property, const std::string& why) {
    return json{{"object", object},     {"objects", json::object()},
                {"value", why},         {"errorCode", code},
                {"property", property}, {"indexes", {i}}};
  };
  if (!dv.is_object())
    return conflict("", "E7600", "dataValue", "not an object");
  for (const char* f : {"dataElement", "orgUnit"}) {
    if (!Uid(dv.value(f, json()))) {
      return conflict(Text(dv.value(f, json(""))), "E7600", f,
                      std::string(f) + " is not a valid UID");
    }
  }
  if (dv.contains("categoryOptionCombo") && !Uid(dv["categoryOptionCombo"])) {
    return conflict(Text(dv["categoryOptionCombo"]), "E7600",
                    "categoryOptionCombo",
                    "categoryOptionCombo is not a valid UID");
  }
  if (!PeriodId(dv.value("period", json()))) {
    return conflict(Text(dv.value("period", json(""))), "E7600", "period",
                    "Period not valid");
  }
  if (!dv.contains("value") || !Numeric(dv["value"])) {
    return conflict(Text(dv.value("value", json(""))), "E7619", "value",
                    "Value must be a number");
  }
  return nullptr;
}

}  // namespace

Dhis2Receiver::Dhis2Receiver(Options options) : options_(std::move(options)) {
  http::Route r;
  r.method = "POST";
  r.pattern = options_.base_path + "/api/dataValueSets";
  r.handler = [this](http::Request& q) { return Answer(q); };
  router_.Add(std::move(r));
}

Dhis2Receiver::~Dhis2Receiver() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
}

Status Dhis2Receiver::Start() {
  net::ServerOptions o;
  o.port = 0;
  o.workers = 1;
  o.shutdown_grace = std::chrono::milliseconds(500);
  server_ = std::make_unique<net::Server>(
      o, router_, []() -> Result<std::unique_ptr<http::WorkerContext>> {
        return std::make_unique<http::WorkerContext>();
      });
  MALCHIN_RETURN_IF_ERROR(server_->Start());
  thread_ = std::thread([this] { server_->Run(); });
  return Status::Ok();
}

uint16_t Dhis2Receiver::port() const { return server_->port(); }

std::string Dhis2Receiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port()) + options_.base_path;
}

std::vector<Dhis2Receiver::Request> Dhis2Receiver::requests() const {
  std::lock_guard<std::mutex> l(mu_);
  return requests_;
}

std::map<std::string, std::string> Dhis2Receiver::stored() const {
  std::lock_guard<std::mutex> l(mu_);
  return stored_;
}

http::Response Dhis2Receiver::Answer(const http::Request& q) {
  Request seen{q.target, std::string(q.Header("content-type")), q.body};
  std::string auth(q.Header("authorization"));
  if (auth.starts_with("Basic ")) {
    seen.authorized = DecodeBase64(auth.substr(6)) ==
                      options_.username + ":" + options_.password;
  } else if (auth.starts_with("ApiToken ") && !options_.token.empty()) {
    seen.authorized = auth.substr(9) == options_.token;
  }
  auto finish = [&](http::Response r) {
    std::lock_guard<std::mutex> l(mu_);
    seen.status = r.status;
    requests_.push_back(seen);
    return r;
  };
  if (!seen.authorized)
    return finish(Error(401, "Unauthorized", "Unauthorized"));
  if (!seen.content_type.starts_with("application/json")) {
    return finish(
        Error(415, "Unsupported Media Type",
              "Content type '" + seen.content_type + "' not supported"));
  }
  auto dry = q.Query("dryRun");
  if (dry && *dry != "true" && *dry != "false") {
    return finish(Error(400, "Bad Request", "dryRun must be true or false"));
  }
  const bool dry_run = dry && *dry == "true";
  json body = json::parse(q.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() ||
      !body.contains("dataValues") || !body["dataValues"].is_array()) {
    return finish(Error(400, "Bad Request",
                        "expected a JSON object with a dataValues array"));
  }
  json conflicts = json::array();
  int64_t imported = 0, updated = 0, ignored = 0;
  std::lock_guard<std::mutex> l(mu_);
  for (size_t i = 0; i < body["dataValues"].size(); ++i) {
    const json& dv = body["dataValues"][i];
    json c = Conflict(dv, i);
    if (c.is_null() && !options_.data_elements.empty() &&
        !options_.data_elements.count(dv["dataElement"].get<std::string>())) {
      c = {{"object", dv["dataElement"]},
           {"objects", json::object()},
           {"value", "Data element not found or not accessible"},
           {"errorCode", "E7610"},
           {"property", "dataElement"},
           {"indexes", {i}}};
    }
    if (!c.is_null()) {
      conflicts.push_back(std::move(c));
      ++ignored;
      continue;
    }
    std::string key = dv["dataElement"].get<std::string>() + "|" +
                      dv["period"].get<std::string>() + "|" +
                      dv["orgUnit"].get<std::string>() + "|" +
                      dv.value("categoryOptionCombo", "");
    bool had = stored_.count(key) > 0;
    (had ? updated : imported) += 1;
    if (!dry_run) {
      stored_[key] = dv["value"].is_string() ? dv["value"].get<std::string>()
                                             : dv["value"].dump();
    }
  }
  const bool ok = conflicts.empty();
  const char* status =
      ok ? "SUCCESS" : (imported + updated ? "WARNING" : "ERROR");
  json answer = {
      {"httpStatus", ok ? "OK" : "Conflict"},
      {"httpStatusCode", ok ? 200 : 409},
      {"status", ok ? "OK" : "WARNING"},
      {"message",
       ok ? "Import was successful."
          : "One more conflicts encountered, please check import summary."},
      {"response",
       {{"responseType", "ImportSummary"},
        {"status", status},
        {"importOptions", {{"dryRun", dry_run}}},
        {"description", ok ? "Import process completed successfully"
                           : "Import process completed with conflicts"},
        {"importCount",
         {{"imported", imported},
          {"updated", updated},
          {"ignored", ignored},
          {"deleted", 0}}},
        {"conflicts", conflicts},
        {"dataSetComplete", "false"}}}};
  http::Response r = http::Response::Json(ok ? 200 : 409, answer.dump());
  seen.status = r.status;
  requests_.push_back(seen);
  return r;
}

}  // namespace malchin::indicators::testing
