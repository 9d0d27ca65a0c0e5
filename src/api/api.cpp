#include "api/api.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "channel/notices.h"
#include "core/error_mapping.h"

namespace malchin::api {

using nlohmann::json;

namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

http::Response ToResponse(Result<http::Response> r, const http::Request& req) {
  if (r.ok()) return std::move(*r);
  http::Response e = http::ErrorResponse(r.status(), req.request_id);
  if (r.status().code() == StatusCode::kUnauthenticated) {
    e.SetHeader("WWW-Authenticate", "Bearer");
  }
  return e;
}

}  // namespace

http::Response JsonResponse(int status, const json& body) {
  return http::Response::Json(
      status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

Result<bool> WantsCsv(const http::Request& r) {
  if (auto f = r.Query("format")) {
    if (*f == "csv") return true;
    if (*f == "json") return false;
    return Status::InvalidArgument("format '" + *f + "': expected csv or json",
                                   "format");
  }
  return r.Header("accept").find("text/csv") != std::string_view::npos;
}

http::Response CsvResponse(std::string body) {
  return http::Response::Text(200, std::move(body), "text/csv; charset=utf-8");
}

http::Response CsvAttachment(std::string body, const std::string& file) {
  http::Response r = CsvResponse(std::move(body));
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
  return r;
}

std::string SessionToken(const http::Request& request) {
  std::string_view auth = request.Header("authorization");
  if (auth.size() > 7 &&
      (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
    return Trim(auth.substr(7));
  }
  std::string_view cookies = request.Header("cookie");
  while (!cookies.empty()) {
    size_t semi = cookies.find(';');
    std::string part = Trim(cookies.substr(0, semi));
    if (part.rfind("malchin_session=", 0) == 0) {
      return part.substr(std::string("malchin_session=").size());
    }
    if (semi == std::string_view::npos) break;
    cookies.remove_prefix(semi + 1);
  }
  return {};
}

Result<std::optional<int64_t>> QueryInt(const http::Request& r,
                                        const std::string& name, int64_t min,
                                        int64_t max) {
  auto v = r.Query(name);
  if (!v) return std::optional<int64_t>();
  int64_t n = 0;
  bool ok = !v->empty() && v->size() <= 18;
  for (char c : *v) {
    if (c < '0' || c > '9') ok = false;
  }
  if (ok) n = std::stoll(*v);
  if (!ok || n < min || n > max) {
    return Status::InvalidArgument("query parameter " + name + " '" + *v +
                                       "': expected a whole number from " +
                                       std::to_string(min) + " to " +
                                       std::to_string(max),
                                   name);
  }
  return std::optional<int64_t>(n);
}

Result<std::optional<bool>> QueryBool(const http::Request& r,
                                      const std::string& name) {
  auto v = r.Query(name);
  if (!v) return std::optional<bool>();
  if (*v == "true" || *v == "1") return std::optional<bool>(true);
  if (*v == "false" || *v == "0") return std::optional<bool>(false);
  return Status::InvalidArgument(
      "query parameter " + name + " '" + *v + "': expected true or false",
      name);
}

Status CheckQuery(const http::Request& r,
                  std::initializer_list<const char*> known) {
  for (const auto& [k, v] : r.query) {
    bool ok = false;
    for (const char* n : known) ok = ok || k == n;
    if (!ok) {
      return Status::InvalidArgument("unknown query parameter " + k, k);
    }
  }
  return Status::Ok();
}

namespace {

// Who is calling, or the refusal: 401 without a valid session, 403 without
// `permission`.
std::optional<http::Response> Authorize(
    Services& services, const http::Request& req,
    const std::optional<auth::Permission>& permission, auth::Principal* who) {
  auto* worker = dynamic_cast<Worker*>(req.worker);
  if (!worker) {
    return http::ErrorResponse(Status::Internal("no worker session"),
                               req.request_id);
  }
  std::string token = SessionToken(req);
  if (token.empty()) {
    return ToResponse(
        Status::Unauthenticated("log in first: POST /api/v1/session, then send "
                                "\"Authorization: Bearer <token>\""),
        req);
  }
  store::Session& session = worker->session();
  // The session acts for nobody until the caller is known.
  session.SetCaller(store::Caller{"anonymous", "", store::AreaFilter{}});
  auto found = services.auth->Authenticate(session, token);
  if (!found.ok()) return ToResponse(found.status(), req);
  if (permission) {
    Status st = auth::Require(*found, *permission);
    if (!st.ok()) {
      http::Response r = ToResponse(st, req);
      r.log_user = found->username;
      return r;
    }
  }
  *who = std::move(*found);
  return std::nullopt;
}

}  // namespace

void Api::Add(std::string method, std::string pattern, http::RouteDoc doc,
              std::optional<auth::Permission> permission, CallHandler handler,
              size_t max_body) {
  if (permission) doc.permission = std::string(PermissionName(*permission));
  doc.authenticated = true;
  Services* services = services_;
  http::Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.doc = std::move(doc);
  route.max_body = max_body;
  route.spool_body = max_body > kMaxBodyInMemory;
  // The same check on the head, before the server reads a body.
  route.head_check = [services, permission](const http::Request& req) {
    auth::Principal who;
    return Authorize(*services, req, permission, &who);
  };
  route.handler = [services, permission,
                   handler = std::move(handler)](http::Request& req) {
    auth::Principal who;
    if (auto refusal = Authorize(*services, req, permission, &who)) {
      return std::move(*refusal);
    }
    auto* worker = static_cast<Worker*>(req.worker);
    store::Session& session = worker->session();
    store::Caller caller{who.username, std::string(auth::RoleName(who.role)),
                         who.area()};
    session.SetCaller(caller);
    session.SetNotices(channel::OutboxNotices::Shared());
    worker->reports().SetCaller(caller);
    Call call{req, who, session, worker->reports()};
    http::Response r = ToResponse(handler(call), req);
    r.log_user = call.who.username;
    return r;
  };
  router_->Add(std::move(route));
}

void Api::AddPublic(std::string method, std::string pattern, http::RouteDoc doc,
                    PublicHandler handler, http::Dispatch dispatch,
                    size_t max_body) {
  doc.authenticated = false;
  http::Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.doc = std::move(doc);
  route.dispatch = dispatch;
  route.max_body = max_body;
  route.handler = [handler = std::move(handler)](http::Request& req) {
    return ToResponse(handler(req), req);
  };
  router_->Add(std::move(route));
}

Result<store::Session*> JobSession(http::WorkerContext& ctx,
                                   const auth::Principal& who) {
  auto* worker = dynamic_cast<Worker*>(&ctx);
  if (!worker) return Status::Internal("no job session");
  store::Session& session = worker->session();
  store::Caller caller{who.username, std::string(auth::RoleName(who.role)),
                       who.area()};
  session.SetCaller(caller);
  session.SetNotices(channel::OutboxNotices::Shared());
  worker->reports().SetCaller(caller);
  return &session;
}

Result<std::string> IdempotencyKey(const http::Request& r) {
  std::string_view k = r.Header("idempotency-key");
  bool ok = !k.empty() && k.size() <= 100;
  for (char ch : k) ok = ok && ch > ' ' && ch < 127;
  if (!ok) {
    return Status::InvalidArgument(
        "send an Idempotency-Key header (1-100 printable ASCII characters, "
        "e.g. a UUID, the same on a retry) so that a payment is never "
        "recorded twice",
        "Idempotency-Key");
  }
  return std::string(k);
}

Status RecordReads(Services& services, Call& call,
                   const std::vector<registry::Person>& persons,
                   std::string_view purpose) {
  if (persons.empty()) return Status::Ok();
  std::vector<store::PersonRead> reads;
  reads.reserve(persons.size());
  for (const auto& p : persons) {
    reads.push_back({call.who.username, p.register_no, p.household_id,
                     std::string(purpose), ""});
  }
  if (services.reads) return services.reads->Record(std::move(reads));
  return call.session.RecordPersonReads(reads);
}

// --- BatchingReadRecorder ---------------------------------------------------

struct BatchingReadRecorder::State {
  std::unique_ptr<store::Session> session;  // Null with a given writer.
  Writer write;
  size_t max_pending;
  std::mutex mu;
  std::condition_variable cv, done;
  std::vector<store::PersonRead> pending;  // GUARDED_BY(mu)
  bool stopping = false;                   // GUARDED_BY(mu)
  uint64_t taken_batches = 0;              // GUARDED_BY(mu)
  uint64_t written_batches = 0;            // GUARDED_BY(mu)
  // The batches that could not be written, and why (the latest few).
  std::deque<std::pair<uint64_t, Status>> failed;  // GUARDED_BY(mu)
  std::thread thread;

  // Group commit: as soon as reads are pending, they go in one transaction;
  // the reads that arrive meanwhile form the next batch.
  void Run() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [this] { return stopping || !pending.empty(); });
      if (pending.empty()) return;  // Stopping, nothing left.
      std::vector<store::PersonRead> batch;
      batch.swap(pending);
      const uint64_t number = ++taken_batches;
      lock.unlock();
      done.notify_all();  // Room in `pending` again.
      Status st = write(batch);
      lock.lock();
      written_batches = number;
      if (!st.ok()) {
        failed.emplace_back(number, st);
        if (failed.size() > 64) failed.pop_front();
      }
      done.notify_all();
    }
  }
};

Result<std::unique_ptr<BatchingReadRecorder>> BatchingReadRecorder::Open(
    std::function<Result<std::unique_ptr<store::Session>>()> open_session,
    size_t max_pending) {
  MALCHIN_ASSIGN_OR_RETURN(auto session, open_session());
  store::Session* raw = session.get();
  auto r = WithWriter(
      [raw](const std::vector<store::PersonRead>& batch) {
        return raw->RecordPersonReads(batch);
      },
      max_pending);
  r->s_->session = std::move(session);
  return r;
}

std::unique_ptr<BatchingReadRecorder> BatchingReadRecorder::WithWriter(
    Writer write, size_t max_pending) {
  std::unique_ptr<BatchingReadRecorder> r(new BatchingReadRecorder());
  r->s_ = std::make_unique<State>();
  r->s_->write = std::move(write);
  r->s_->max_pending = max_pending;
  State* s = r->s_.get();
  s->thread = std::thread([s] { s->Run(); });
  return r;
}

BatchingReadRecorder::~BatchingReadRecorder() {
  if (!s_) return;
  {
    std::lock_guard<std::mutex> lock(s_->mu);
    s_->stopping = true;
  }
  s_->cv.notify_all();
  s_->thread.join();
}

Status BatchingReadRecorder::Record(std::vector<store::PersonRead> reads) {
  std::unique_lock<std::mutex> lock(s_->mu);
  s_->done.wait(lock, [&] {
    return s_->pending.size() + reads.size() <= s_->max_pending ||
           s_->pending.empty();
  });
  for (auto& r : reads) s_->pending.push_back(std::move(r));
  // These reads go in the batch the writer takes next.
  const uint64_t mine = s_->taken_batches + 1;
  s_->cv.notify_all();
  s_->done.wait(lock, [&] { return s_->written_batches >= mine; });
  for (const auto& [number, status] : s_->failed) {
    if (number == mine) {
      // Not in the trail: the personal data is not served.
      return Status::Unavailable("the audit trail cannot be written (" +
                                 status.message() + "); try again");
    }
  }
  return Status::Ok();
}

void BatchingReadRecorder::Flush() {
  std::unique_lock<std::mutex> lock(s_->mu);
  uint64_t target = s_->taken_batches + (s_->pending.empty() ? 0 : 1);
  s_->cv.notify_all();
  s_->done.wait(lock, [&] { return s_->written_batches >= target; });
}

// --- The API as a whole
// -------------------------------------------------------

std::string OpenApiDocument(const http::Router& router) {
  json paths = json::object();
  std::vector<const http::Route*> routes;
  for (const auto& r : router.routes()) routes.push_back(&r);
  // The document describes itself too.
  http::Route self;
  self.method = "GET";
  self.pattern = "/api/openapi.json";
  self.doc.summary =
      "This document: the OpenAPI 3.0 description of the whole API";
  self.doc.tag = "system";
  self.doc.authenticated = false;
  self.doc.responses = {{200, "The OpenAPI document"}};
  bool has_self = false;
  for (const auto* r : routes)
    has_self = has_self || r->pattern == self.pattern;
  if (!has_self) routes.push_back(&self);
  for (const http::Route* r : routes) {
    json op;
    op["summary"] = r->doc.summary;
    if (!r->doc.tag.empty()) op["tags"] = json::array({r->doc.tag});
    std::string method = r->method;
    for (char& c : method) c = static_cast<char>(tolower(c));
    op["operationId"] = method + r->pattern;
    json params = json::array();
    // Path parameters from the pattern.
    for (size_t at = 0; (at = r->pattern.find('{', at)) != std::string::npos;) {
      size_t end = r->pattern.find('}', at);
      params.push_back({{"name", r->pattern.substr(at + 1, end - at - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      at = end;
    }
    for (const auto& p : r->doc.query) {
      json q = {{"name", p.name},
                {"in", p.in.empty() ? "query" : p.in},
                {"required", p.required},
                {"schema", {{"type", p.type}}}};
      if (!p.description.empty()) q["description"] = p.description;
      params.push_back(q);
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r->doc.request_schema.empty()) {
      op["requestBody"] = {
          {"required", true},
          {"content",
           {{"application/json",
             {{"schema", json::parse(r->doc.request_schema)}}}}}};
    }
    json responses = json::object();
    for (const auto& [code, text] : r->doc.responses) {
      responses[std::to_string(code)] = {{"description", text}};
    }
    responses["default"] = {
        {"description", "An error"},
        {"content",
         {{"application/json",
           {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    op["responses"] = responses;
    if (r->doc.authenticated) {
      op["security"] = json::array(
          {{{"bearer", json::array()}}, {{"cookie", json::array()}}});
      if (!r->doc.permission.empty()) {
        op["x-permission"] = r->doc.permission;
      }
    } else {
      op["security"] = json::array();
    }
    paths[r->pattern][method] = op;
  }
  json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Malchin API"},
        {"version", "1"},
        {"description",
         "The household register of herder families and the services built "
         "on it. Errors are {\"error\":{\"code\",\"message\",\"field\"}}."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          {"cookie",
           {{"type", "apiKey"},
            {"in", "cookie"},
            {"name", "malchin_session"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", json::array({"error"})},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", json::array({"code", "message", "field"})},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}}},
                  {"field",
                   {{"type", "string"}, {"nullable", true}}}}}}}}}}}}}}}};
  return doc.dump(2);
}

}  // namespace malchin::api
