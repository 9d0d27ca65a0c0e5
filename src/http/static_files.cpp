#include "http/static_files.h"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace malchin::http {
namespace {

std::string ContentTypeOf(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// "name.<8+ hex>.ext" is a content-hashed asset.
bool LooksHashed(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  size_t dot = stem.rfind('.');
  if (dot == std::string::npos || stem.size() - dot - 1 < 8) return false;
  for (size_t i = dot + 1; i < stem.size(); ++i) {
    if (!isxdigit(static_cast<unsigned char>(stem[i]))) return false;
  }
  return true;
}

}  // namespace

void StaticFiles::Add(const std::string& url_path, std::string content) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h,
                     reinterpret_cast<const unsigned char*>(content.data()),
                     content.size(), nullptr, 0);
  static const char* kHex = "0123456789abcdef";
  std::string etag = "\"";
  for (int i = 0; i < 16; ++i) {
    etag.push_back(kHex[h[i] >> 4]);
    etag.push_back(kHex[h[i] & 15]);
  }
  etag.push_back('"');
  files_[url_path] = {std::move(content), std::move(etag),
                      ContentTypeOf(url_path), LooksHashed(url_path)};
}

Status StaticFiles::LoadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("no web build at " + dir);
  }
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    Add("/" + fs::relative(e.path(), dir).generic_string(), ss.str());
  }
  if (ec) return Status::Internal("reading " + dir + ": " + ec.message());
  return Status::Ok();
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  std::string path = request.path == "/" ? "/index.html" : request.path;
  auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  const File& f = it->second;
  Response r;
  r.SetHeader("ETag", f.etag);
  r.SetHeader("Cache-Control",
              f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.Header("if-none-match") == f.etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.SetHeader("Content-Type", f.content_type);
  r.body = f.content;
  return r;
}

}  // namespace malchin::http
