#include "indicators/dhis2_push.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/audit.h"

namespace malchin::indicators {
namespace {

using nlohmann::json;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n =
        (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(n >> k) & 63];
  }
  if (i < in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) n |= uint8_t(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Status BadCredentials(std::string_view file, std::string_view en,
                      std::string_view mn) {
  std::string f(file);
  return Status::InvalidArgument(f + ": " + std::string(mn) + " / " + f + ": " +
                                 std::string(en));
}

Status BadUrl(std::string_view what_en, std::string_view what_mn) {
  return Status::InvalidArgument(
      "DHIS2 серверийн хаяг: " + std::string(what_mn) +
          " / DHIS2 server URL: " + std::string(what_en),
      "server");
}

int64_t Count(const json& c, const char* name) {
  auto it = c.find(name);
  return it != c.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string Str(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<Dhis2Credentials> ParseCredentials(std::string_view file,
                                          std::string_view text) {
  std::string line = Trim(text);
  if (line.empty()) {
    return BadCredentials(file, "empty; expected username:password or a token",
                          "хоосон; username:password эсвэл токен байх ёстой");
  }
  if (line.find_first_of("\r\n") != std::string::npos) {
    return BadCredentials(
        file,
        "has several lines; expected one line, username:password or "
        "a token",
        "олон мөртэй; нэг мөр байх ёстой");
  }
  Dhis2Credentials c;
  size_t colon = line.find(':');
  if (colon == std::string::npos) {
    c.token = line;
    return c;
  }
  c.username = line.substr(0, colon);
  c.password = line.substr(colon + 1);
  if (c.username.empty() || c.password.empty()) {
    return BadCredentials(
        file, "username or password is empty; expected username:password",
        "нэр эсвэл нууц үг хоосон");
  }
  return c;
}

Result<Dhis2Credentials> CredentialsFromEnv(
    const std::function<const char*(const char*)>& getenv) {
  Dhis2Credentials c;
  const char* token = getenv("DHIS2_TOKEN");
  if (token && *token) {
    c.token = token;
    return c;
  }
  const char* user = getenv("DHIS2_USERNAME");
  const char* password = getenv("DHIS2_PASSWORD");
  if (user && *user && password && *password) {
    c.username = user;
    c.password = password;
    return c;
  }
  return Status::NotFound(
      "DHIS2-ийн нэвтрэх мэдээлэл алга: --credentials FILE, DHIS2_TOKEN "
      "эсвэл DHIS2_USERNAME/DHIS2_PASSWORD / no DHIS2 credentials: expected "
      "--credentials FILE, DHIS2_TOKEN or DHIS2_USERNAME and DHIS2_PASSWORD");
}

std::string AuthorizationHeader(const Dhis2Credentials& c) {
  if (!c.token.empty()) return "ApiToken " + c.token;
  return "Basic " + Base64(c.username + ":" + c.password);
}

std::string Dhis2Server::Url() const {
  return "http://" +
         (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port) + base_path;
}

Result<Dhis2Server> ParseServerUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (!url.starts_with(kHttp)) {
    return BadUrl(
        "expected http://127.0.0.1:PORT/... (the HTTP client has no TLS: put "
        "a local TLS forwarder in front of an https server)",
        "http://127.0.0.1:PORT/... байх ёстой (TLS-гүй; https серверийн "
        "өмнө локал TLS дамжуулагч тавина)");
  }
  std::string_view rest = url.substr(kHttp.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  Dhis2Server s;
  if (slash != std::string_view::npos) {
    s.base_path = std::string(rest.substr(slash));
    while (!s.base_path.empty() && s.base_path.back() == '/') {
      s.base_path.pop_back();
    }
  }
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl(
        "credentials in the URL are refused; expected them in "
        "--credentials FILE or the environment",
        "хаягт нэвтрэх мэдээлэл оруулахгүй; --credentials FILE эсвэл орчны "
        "хувьсагчаар өгнө");
  }
  if (s.base_path.find_first_of("?#") != std::string::npos) {
    return BadUrl("expected no query or fragment", "query, fragment байхгүй");
  }
  std::string_view port = "80";
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return BadUrl("bad host", "буруу хост");
    s.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return BadUrl("bad host", "буруу хост");
      port = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.find(':');
    s.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (s.host != "127.0.0.1" && s.host != "::1" && s.host != "localhost") {
    return BadUrl(
        "host '" + s.host +
            "' is not loopback; expected 127.0.0.1, ::1 or localhost (plain "
            "HTTP only on this machine: a local TLS forwarder for a remote "
            "server)",
        "'" + s.host + "' локал биш; 127.0.0.1, ::1 эсвэл localhost");
  }
  int p = 0;
  for (char ch : port) {
    if (ch < '0' || ch > '9' || p > 65535)
      return BadUrl("bad port", "буруу порт");
    p = p * 10 + (ch - '0');
  }
  if (port.empty() || p < 1 || p > 65535) {
    return BadUrl("port '" + std::string(port) + "': expected 1-65535",
                  "порт 1-65535");
  }
  s.port = static_cast<uint16_t>(p);
  return s;
}

Result<ImportSummary> ParseImportSummary(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(
        "DHIS2-ийн хариу JSON биш / DHIS2's answer is not JSON; expected an "
        "import summary");
  }
  const json& r =
      j.contains("response") && j["response"].is_object() ? j["response"] : j;
  auto count = r.find("importCount");
  if (Str(r, "status").empty() || count == r.end() || !count->is_object()) {
    return Status::InvalidArgument(
        "DHIS2-ийн хариунд status, importCount алга / DHIS2's answer has no "
        "status and importCount; expected an import summary");
  }
  ImportSummary s;
  s.status = Str(r, "status");
  s.description = Str(r, "description");
  s.imported = Count(*count, "imported");
  s.updated = Count(*count, "updated");
  s.ignored = Count(*count, "ignored");
  s.deleted = Count(*count, "deleted");
  auto conflicts = r.find("conflicts");
  if (conflicts != r.end() && conflicts->is_array()) {
    for (const json& c : *conflicts) {
      if (!c.is_object()) continue;
      s.conflicts.push_back({Str(c, "object"), Str(c, "value")});
    }
  }
  return s;
}

Dhis2Pusher::Dhis2Pusher(store::Session& session, Dhis2Post post)
    : session_(session), post_(std::move(post)) {}

Status Dhis2Pusher::RequireDryRun(const std::string& server,
                                  const std::string& sha) {
  MALCHIN_ASSIGN_OR_RETURN(auto dry,
                           session_.Get<Repository>().LastDryRun(server, sha));
  if (dry && dry->http_status == 200 && dry->import_status == "SUCCESS") {
    return Status::Ok();
  }
  return Status::FailedPrecondition(
      "ижил өгөгдлийн туршилтын илгээлт (--dry-run) амжилттай болоогүй тул "
      "илгээхгүй / refused: no successful dry run (--dry-run) of this same "
      "payload to " +
      server + " yet; run it with --dry-run first");
}

Result<int64_t> Dhis2Pusher::Record(PushRecord& r) {
  r.pushed_by = session_.caller().actor;
  r.pushed_at = session_.clock().NowIso();
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(r.id, session_.Get<Repository>().InsertPush(r));
    store::AuditEntry a;
    a.action = r.dry_run ? "indicator.push_dry_run" : "indicator.push";
    a.entity_type = "indicator_push";
    a.entity_id = std::to_string(r.id);
    a.after_json = json{{"server", r.server},
                        {"period", r.period},
                        {"http_status", r.http_status},
                        {"import_status", r.import_status}}
                       .dump();
    return session_.Audit(a).status();
  }));
  return r.id;
}

Result<PushOutcome> Dhis2Pusher::Push(const Dhis2Server& server,
                                      const Dhis2Credentials& credentials,
                                      std::string_view period,
                                      const std::string& payload,
                                      bool dry_run) {
  PushOutcome out;
  PushRecord& r = out.record;
  r.server = server.Url();
  r.period = std::string(period);
  r.dry_run = dry_run;
  r.payload_sha256 = store::Sha256Hex(payload);
  if (!dry_run)
    MALCHIN_RETURN_IF_ERROR(RequireDryRun(r.server, r.payload_sha256));
  std::string target =
      server.base_path + "/api/dataValueSets" + (dry_run ? "?dryRun=true" : "");
  Result<Dhis2Answer> answer =
      post_(target, payload,
            {{"Content-Type", "application/json"},
             {"Accept", "application/json"},
             {"Authorization", AuthorizationHeader(credentials)}});
  if (!answer.ok()) {
    return Status::Unavailable(
        "DHIS2 сервер " + r.server + " хариу өгсөнгүй / DHIS2 server " +
        r.server + " cannot be reached: " + answer.status().message());
  }
  r.http_status = answer->status;
  auto summary = ParseImportSummary(answer->body);
  if (summary.ok() && r.http_status != 401 && r.http_status != 403) {
    r.import_status = summary->status;
    r.summary_json = answer->body;
    out.summary = std::move(*summary);
  } else {
    r.import_status = "HTTP " + std::to_string(r.http_status);
    r.summary_json = "{}";
  }
  MALCHIN_RETURN_IF_ERROR(Record(r).status());
  const std::string where =
      "DHIS2 " + r.server + ": HTTP " + std::to_string(r.http_status);
  if (r.http_status == 401) {
    return Status::Unauthenticated(
        where + ": нэвтрэх мэдээлэл буруу / " + where +
        ": the credentials were refused (wrong username, password or token)");
  }
  if (r.http_status == 403) {
    return Status::PermissionDenied(where + ": эрх хүрэхгүй / " + where +
                                    ": the account may not import data values");
  }
  if (!out.summary) {
    return Status::Unavailable(where + ": импортын тайлан ирсэнгүй / " + where +
                               ": no import summary in the answer");
  }
  return out;
}

Result<std::vector<PushRecord>> Dhis2Pusher::Pushes() {
  return session_.Get<Repository>().ListPushes();
}

}  // namespace malchin::indicators
