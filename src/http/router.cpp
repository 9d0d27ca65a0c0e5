#include "http/router.h"

#include <cassert>

namespace malchin::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

void Router::Add(Route route) {
  assert(!route.pattern.empty() && route.pattern[0] == '/');
  for ([[maybe_unused]] const Route& r : routes_) {
    assert(!(r.method == route.method && r.pattern == route.pattern));
  }
  routes_.push_back(std::move(route));
}

bool Router::MatchPattern(std::string_view pattern, std::string_view path,
                          std::map<std::string, std::string>* params,
                          int* literal_score) {
  auto ps = Segments(pattern);
  auto xs = Segments(path);
  if (ps.size() != xs.size()) return false;
  int score = 0;
  for (size_t i = 0; i < ps.size(); ++i) {
    std::string_view p = ps[i];
    if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
      if (xs[i].empty()) return false;
      (*params)[std::string(p.substr(1, p.size() - 2))] = std::string(xs[i]);
      score = score * 2;
    } else {
      if (p != xs[i]) return false;
      score = score * 2 + 1;
    }
  }
  *literal_score = score;
  return true;
}

Router::Match Router::Find(std::string_view method,
                           std::string_view path) const {
  Match m;
  m.status = 404;
  int best = -1;
  std::string allow;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    int score = 0;
    if (!MatchPattern(r.pattern, path, &params, &score)) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      if (allow.find(r.method) == std::string::npos) {
        if (!allow.empty()) allow += ", ";
        allow += r.method;
      }
      continue;
    }
    if (score > best) {
      best = score;
      m.route = &r;
      m.params = std::move(params);
      m.status = 200;
    }
  }
  if (!m.route && !allow.empty()) {
    m.status = 405;
    m.allow = allow;
  }
  return m;
}

}  // namespace malchin::http
