// Static files (the web front end's build, web/dist) served from memory.
//
// Files are loaded once; each gets a strong ETag (a hash of its content), a
// Content-Type from its extension and caching headers: hashed asset names
// ("app.3f2a1c.js") are immutable for a year, everything else (index.html)
// must be revalidated. A request with a matching If-None-Match gets 304.
// Thread-safety: Serve may be called from any thread once loading is done.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace malchin::http {

class StaticFiles {
 public:
  // Adds one file under `url_path` (e.g. "/index.html").
  void Add(const std::string& url_path, std::string content);
  // Loads every regular file under `dir` (the web build). NotFound if `dir`
  // does not exist.
  Status LoadDirectory(const std::string& dir);

  // The response for a GET/HEAD of `request.path`, or nullopt if no such
  // file. "/" serves "/index.html".
  std::optional<Response> Serve(const Request& request) const;

  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string etag;
    std::string content_type;
    bool immutable = false;
  };
  std::map<std::string, File> files_;
};

}  // namespace malchin::http
