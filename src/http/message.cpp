#include "http/message.h"

#include <nlohmann/json.hpp>

#include "core/error_mapping.h"
#include "core/text.h"

namespace malchin::http {

std::string_view Request::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string_view()
                             : std::string_view(it->second);
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [n, v] : headers) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::GetHeader(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

Response Response::Json(int status, std::string json) {
  Response r;
  r.status = status;
  r.body = std::move(json);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response Response::Text(int status, std::string text,
                        std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(text);
  r.headers.emplace_back("Content-Type", std::move(content_type));
  return r;
}

Response ErrorResponseWithStatus(int http_status, const Status& status) {
  nlohmann::json err = {{"code", StatusCodeName(status.code())},
                        {"message", status.message()}};
  err["field"] = status.field().empty() ? nlohmann::json(nullptr)
                                        : nlohmann::json(status.field());
  return Response::Json(
      http_status,
      nlohmann::json({{"error", err}})
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ErrorResponse(const Status& status, std::string_view request_id) {
  int code = HttpStatusFor(status.code());
  if (code >= 500 && status.code() != StatusCode::kUnavailable) {
    return ErrorResponseWithStatus(
        code, Status(status.code(), "internal error; quote request id " +
                                        std::string(request_id) +
                                        " to the administrator"));
  }
  return ErrorResponseWithStatus(code, status);
}

const char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void AddSecurityHeaders(Response* response, bool secure) {
  auto set = [response](const char* name, const char* value) {
    if (response->GetHeader(name).empty()) response->SetHeader(name, value);
  };
  set("Content-Security-Policy", kContentSecurityPolicy);
  set("X-Content-Type-Options", "nosniff");
  set("X-Frame-Options", "DENY");
  set("Referrer-Policy", "no-referrer");
  set("Cross-Origin-Opener-Policy", "same-origin");
  if (secure) set("Strict-Transport-Security", "max-age=31536000");
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status Decode(std::string_view in, bool plus_is_space, std::string* out,
              const char* what) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument(std::string("bad percent escape in ") +
                                       what);
      }
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  if (text::FindInvalidUtf8(*out)) {
    return Status::InvalidArgument(std::string(what) + " is not valid UTF-8");
  }
  return Status::Ok();
}

}  // namespace

Status ParseTarget(std::string_view target, std::string* path,
                   std::multimap<std::string, std::string>* query) {
  size_t q = target.find('?');
  std::string_view p = target.substr(0, q);
  if (p.empty() || p[0] != '/') {
    return Status::InvalidArgument("the request path must start with '/'");
  }
  MALCHIN_RETURN_IF_ERROR(Decode(p, false, path, "the request path"));
  query->clear();
  if (q == std::string_view::npos) return Status::Ok();
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view()
                                         : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string k, v;
    MALCHIN_RETURN_IF_ERROR(
        Decode(pair.substr(0, eq), true, &k, "a query parameter name"));
    if (eq != std::string_view::npos) {
      MALCHIN_RETURN_IF_ERROR(Decode(pair.substr(eq + 1), true, &v,
                                     ("query parameter " + k).c_str()));
    }
    query->emplace(std::move(k), std::move(v));
  }
  return Status::Ok();
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace malchin::http
