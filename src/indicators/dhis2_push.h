// Pushing indicator values to a DHIS2 server: POST {server}/api/dataValueSets
// with the dataValueSets JSON (export.h), dry run first, DHIS2's import
// summary kept (repository.h, indicator_pushes) and shown.
//
// Credentials come from a file or the environment and are never logged,
// echoed or stored: no message of this file contains them (nor the
// Authorization header), and the server URL recorded has none (a URL with
// user:password@ is refused).
//
// The capability never sees sockets: the composition gives a Dhis2Post
// (the CLI's is net::Client). The project's HTTP client speaks plain HTTP
// only, so the server URL must be http:// to a loopback address (a local
// TLS forwarder, e.g. stunnel, in front of an https DHIS2, or the test
// receiver); anything else is refused rather than sending credentials in
// clear.
//
// Thread-safety: the parsers are pure; Dhis2Pusher like its session.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "indicators/repository.h"
#include "store/session.h"

namespace malchin::indicators {

// Either username + password (HTTP Basic) or a personal access token
// (Authorization: ApiToken ...).
struct Dhis2Credentials {
  std::string username, password, token;
};

// A credentials file: one line "username:password", or a token (a line
// without ':'); surrounding blanks and the line end are dropped.
// InvalidArgument (bilingual) naming `file` but never its content when it
// is empty, has several lines, or an empty username or password.
Result<Dhis2Credentials> ParseCredentials(std::string_view file,
                                          std::string_view text);
// From DHIS2_TOKEN, else DHIS2_USERNAME and DHIS2_PASSWORD, through
// `getenv` (injectable). NotFound (bilingual) when neither is set.
Result<Dhis2Credentials> CredentialsFromEnv(
    const std::function<const char*(const char*)>& getenv);
// "Basic base64(user:password)" or "ApiToken <token>".
std::string AuthorizationHeader(const Dhis2Credentials& c);

// "http://127.0.0.1:8080/dhis" -> host, port, base path ("/dhis", no
// trailing slash). InvalidArgument (bilingual) for another scheme, a
// host that is not loopback (127.0.0.1, ::1 or localhost), credentials in
// the URL (not echoed), or a bad port.
struct Dhis2Server {
  std::string host;
  uint16_t port = 80;
  std::string base_path;
  std::string Url() const;  // Without credentials: as recorded.
};
Result<Dhis2Server> ParseServerUrl(std::string_view url);

struct Dhis2Conflict {
  std::string object, value;
};

// DHIS2's import summary: the wrapped form of 2.36+ ({"status", "response":
// {"status", "importCount", "conflicts"}}) or the bare ImportSummary.
struct ImportSummary {
  std::string status;  // SUCCESS | WARNING | ERROR
  int64_t imported = 0, updated = 0, ignored = 0, deleted = 0;
  std::vector<Dhis2Conflict> conflicts;
  std::string description;
};
// InvalidArgument (naming what is missing) when `body` is not JSON or has
// no status and importCount.
Result<ImportSummary> ParseImportSummary(std::string_view body);

struct Dhis2Answer {
  int status = 0;
  std::string body;
};
// POST of `target` (path and query) with `body` and `headers`; kUnavailable
// when the server cannot be reached.
using Dhis2Post = std::function<Result<Dhis2Answer>(
    const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers)>;

struct PushOutcome {
  PushRecord record;
  std::optional<ImportSummary> summary;
};

// Sends `payload` (dataValueSets JSON) for `period` to the server:
// `?dryRun=true` when `dry_run`. A real push is refused (FailedPrecondition,
// nothing sent) unless the latest dry run of the same payload (SHA-256) to
// the same server answered HTTP 200 with status SUCCESS. Every answered
// request is recorded (one Write, audited) before returning. Errors: the
// server unreachable (Unavailable, nothing recorded); HTTP 401/403
// (Unauthenticated / PermissionDenied, recorded as "HTTP 401");
// another status without a readable summary (Unavailable, recorded).
// An import summary with status ERROR or conflicts is returned as an
// outcome (the caller shows it and fails).
class Dhis2Pusher {
 public:
  // REQUIRES: `session` outlives this object.
  Dhis2Pusher(store::Session& session, Dhis2Post post);

  Result<PushOutcome> Push(const Dhis2Server& server,
                           const Dhis2Credentials& credentials,
                           std::string_view period, const std::string& payload,
                           bool dry_run);
  Result<std::vector<PushRecord>> Pushes();

 private:
  Status RequireDryRun(const std::string& server, const std::string& sha);
  Result<int64_t> Record(PushRecord& r);

  store::Session& session_;
  Dhis2Post post_;
};

}  // namespace malchin::indicators
