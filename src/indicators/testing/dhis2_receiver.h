// Test helper: a local stand-in for DHIS2's POST /api/dataValueSets, on
// the project's own HTTP server (net::Server) on a free loopback port. No
// DHIS2 can run here; this receiver checks what DHIS2 documents it checks
// and answers as DHIS2 2.36+ does:
//
//  * path {base}/api/dataValueSets (404 otherwise), method POST (405);
//  * Content-Type application/json (415);
//  * Authorization: "Basic base64(user:password)" or "ApiToken <token>"
//    equal to the configured ones (401 with DHIS2's error body);
//  * dryRun absent, "true" or "false" (400);
//  * the body: a JSON object with a dataValues array (400 otherwise);
//    each value with dataElement, period, orgUnit, categoryOptionCombo
//    (optional), value: UIDs of the shape ^[A-Za-z][A-Za-z0-9]{10}$,
//    periods yyyy, yyyyQn or yyyyMM, numeric values; a value that fails is
//    a conflict (object, value, errorCode, property, indexes) and is not
//    imported; so is a data element the instance does not have (when
//    Options::data_elements is given);
//  * the answer: {"httpStatus", "httpStatusCode", "status", "message",
//    "response": {"responseType": "ImportSummary", "status":
//    SUCCESS|WARNING|ERROR, "importOptions": {"dryRun"}, "description",
//    "importCount": {imported, updated, ignored, deleted}, "conflicts"}};
//    HTTP 200 without conflicts, 409 with. A real import keeps the values
//    (a value sent again counts as updated); a dry run keeps nothing.
//
// Thread-safety: Answer and the accessors may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "http/router.h"

namespace malchin::net {
class Server;
}

namespace malchin::indicators::testing {

class Dhis2Receiver {
 public:
  struct Options {
    std::string username = "admin";
    std::string password = "district";
    std::string token;      // Accepted too when not empty.
    std::string base_path;  // e.g. "/dhis"
    // The data elements this "instance" has (a conflict E7610 for any
    // other, as DHIS2 gives for an unknown one); empty: any.
    std::set<std::string> data_elements;
  };
  struct Request {
    std::string target, content_type, body;
    bool authorized = false;
    int status = 0;
  };

  explicit Dhis2Receiver(Options options);
  ~Dhis2Receiver();

  // Listens on 127.0.0.1 on a free port and serves on a thread.
  Status Start();
  uint16_t port() const;
  std::string url() const;  // http://127.0.0.1:PORT{base_path}

  // The answer to one request (what the server's handler sends).
  http::Response Answer(const http::Request& request);
  std::vector<Request> requests() const;
  // Values imported for real: "dataElement|period|orgUnit|coc" -> value.
  std::map<std::string, std::string> stored() const;

 private:
  Options options_;
  http::Router router_;
  std::unique_ptr<net::Server> server_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Request> requests_;
  std::map<std::string, std::string> stored_;
};

}  // namespace malchin::indicators::testing
