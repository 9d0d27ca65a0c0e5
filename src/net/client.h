// A small blocking HTTP/1.1 client on plain types, for tests, health probes
// and tools (Beast stays in this folder). One connection, keep-alive.
// Thread-safety: one Client per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace malchin::net {

class Client {
 public:
  Client(std::string host, uint16_t port,
         std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~Client();

  // Sends `method target` with `headers` and `body`; connects (again) if
  // needed. kUnavailable if the server cannot be reached or closes early;
  // the message names the path but never the query (it may hold secrets).
  Result<http::Response> Send(
      const std::string& method, const std::string& target,
      const std::string& body = {},
      const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Sends raw bytes and returns what comes back until the server closes or
  // the timeout (for malformed-request tests).
  Result<std::string> SendRaw(const std::string& bytes);
  void Close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace malchin::net
