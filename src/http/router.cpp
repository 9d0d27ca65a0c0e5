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
  Compiled c;
  for (std::string_view seg : Segments(route.pattern)) {
    bool param = seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
    c.is_param.push_back(param);
    c.segments.emplace_back(param ? seg.substr(1, seg.size() - 2) : seg);
  }
  compiled_.push_back(std::move(c));
  routes_.push_back(std::move(route));
}

bool Router::MatchSegments(const Compiled& pattern,
                           const std::vector<std::string_view>& path,
                           int* literal_score) {
  if (pattern.segments.size() != path.size()) return false;
  int score = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (pattern.is_param[i]) {
      if (path[i].empty()) return false;
      score = score * 2;
    } else {
      if (pattern.segments[i] != path[i]) return false;
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
  const std::vector<std::string_view> segments = Segments(path);
  size_t best_index = 0;
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    int score = 0;
    if (!MatchSegments(compiled_[i], segments, &score)) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      if (allow.find(r.method) == std::string::npos) {
        if (!allow.empty()) allow += ", ";
        allow += r.method;
      }
      continue;
    }
    if (score > best) {
      best = score;
      best_index = i;
      m.route = &r;
      m.status = 200;
    }
  }
  if (m.route) {
    const Compiled& c = compiled_[best_index];
    for (size_t i = 0; i < segments.size(); ++i) {
      if (c.is_param[i]) m.params[c.segments[i]] = std::string(segments[i]);
    }
  } else if (!allow.empty()) {
    m.status = 405;
    m.allow = allow;
  }
  return m;
}

}  // namespace malchin::http
