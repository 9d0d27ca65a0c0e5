// The audit trail, for auditors. Entries about complaints the caller may
// not see in detail (confidential ones) are masked (grievance/audit_view.h).
#include "api/api.h"
#include "grievance/audit_view.h"

namespace malchin::api {

using nlohmann::json;

namespace {

// The fields of a person's or household's snapshot that identify or reach
// a person; masked for callers who may not read the register.
const char* kPersonalFields[] = {"family_name", "father_name",  "given_name",
                                 "phone",       "bank_account", "birth_date",
                                 "lat",         "lon"};

void MaskPersonalFields(json* j) {
  if (!j->is_object()) return;
  for (const char* f : kPersonalFields) {
    auto it = j->find(f);
    if (it != j->end() && !it->is_null()) *it = "***";
  }
}

Status RecordAuditRead(Call& c, const store::AuditQuery& q, size_t n) {
  return c.session.Write([&]() -> Status {
    store::AuditEntry e;
    e.action = "audit.read";
    e.entity_type = "audit";
    e.entity_id = q.register_no.empty() ? q.actor : q.register_no;
    e.after_json = json({{"actor", q.actor},
                         {"register_no", q.register_no},
                         {"household_id", q.household_id},
                         {"from", q.from},
                         {"to", q.to},
                         {"entries", n}})
                       .dump(-1, ' ', false, json::error_handler_t::replace);
    return c.session.Audit(std::move(e)).status();
  });
}

Result<store::AuditQuery> ParseAuditQuery(const http::Request& r) {
  MALCHIN_RETURN_IF_ERROR(
      CheckQuery(r, {"actor", "register_no", "household_id", "from", "to",
                     "after", "limit", "order", "before", "action", "area"}));
  store::AuditQuery q;
  q.actor = r.Query("actor").value_or("");
  q.register_no = r.Query("register_no").value_or("");
  q.household_id = r.Query("household_id").value_or("");
  q.from = r.Query("from").value_or("");
  q.to = r.Query("to").value_or("");
  q.action = r.Query("action").value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto after, QueryInt(r, "after", 0, INT64_MAX / 2));
  MALCHIN_ASSIGN_OR_RETURN(auto before,
                           QueryInt(r, "before", 0, INT64_MAX / 2));
  MALCHIN_ASSIGN_OR_RETURN(auto limit, QueryInt(r, "limit", 1, 1000));
  MALCHIN_ASSIGN_OR_RETURN(auto area, QueryInt(r, "area", 0, 99999));
  const std::string order = r.Query("order").value_or("oldest");
  if (order != "oldest" && order != "newest") {
    return Status::InvalidArgument(
        "order '" + order + "': oldest эсвэл newest байна / order '" + order +
            "': expected oldest or newest",
        "order");
  }
  const int64_t code = area.value_or(0);
  if (code != 0 && !(code >= 100 && code <= 999) && code < 10000) {
    return Status::InvalidArgument(
        "area '" + std::to_string(code) +
            "': аймгийн (3 оронтой) эсвэл сумын (5 оронтой) код байна / "
            "area '" +
            std::to_string(code) +
            "': expected an aimag (3 digits) or a soum (5 digits)",
        "area");
  }
  q.newest_first = order == "newest";
  q.after_seq = after.value_or(0);
  q.before_seq = before.value_or(0);
  q.limit = static_cast<int>(limit.value_or(100));
  q.area = store::AreaFilter::FromCode(static_cast<int32_t>(code));
  return q;
}

}  // namespace

void AddAuditRoutes(Api* api) {
  http::RouteDoc list;
  list.summary =
      "Audit entries in order, filtered by actor, person (register_no), "
      "household and time; page with after=<last seq>";
  list.tag = "audit";
  list.query = {
      {"actor", "query", "user name", false, "string"},
      {"register_no", "query", "entries about this person", false, "string"},
      {"household_id", "query", "entries about this household", false,
       "string"},
      {"from", "query", "ISO 8601 UTC, inclusive", false, "string"},
      {"to", "query", "ISO 8601 UTC, inclusive", false, "string"},
      {"after", "query", "entries after this seq", false, "integer"},
      {"limit", "query", "1..1000 (default 100)", false, "integer"},
      {"order", "query",
       "oldest (default; page with after) or newest (page with before)", false,
       "string"},
      {"before", "query", "with order=newest: entries before this seq", false,
       "integer"},
      {"action", "query",
       "an action (person.read) or a kind of action (person)", false, "string"},
      {"area", "query",
       "aimag (3 digits) or soum (5 digits): entries about its people and "
       "households, and by its officers",
       false, "integer"}};
  list.responses = {{200, "The entries"}};
  api->Add(
      "GET", "/api/v1/audit", list, auth::Permission::kReadAudit,
      [](Call& c) -> Result<http::Response> {
        const http::Request& r = c.request;
        MALCHIN_ASSIGN_OR_RETURN(store::AuditQuery q, ParseAuditQuery(r));
        MALCHIN_ASSIGN_OR_RETURN(auto entries, c.session.ListAudit(q));
        MALCHIN_RETURN_IF_ERROR(grievance::MaskAuditTrail(c.session, &entries));
        // Who may not read the register (the admin, the auditor) sees the
        // trail's personal fields masked; and reading the trail is itself
        // recorded.
        const bool mask =
            !auth::Require(c.who, auth::Permission::kReadRegister).ok();
        MALCHIN_RETURN_IF_ERROR(RecordAuditRead(c, q, entries.size()));
        json items = json::array();
        for (const auto& e : entries) {
          auto parse = [mask](const std::optional<std::string>& s) {
            json j = s ? json::parse(*s, nullptr, false) : json(nullptr);
            if (mask) MaskPersonalFields(&j);
            return j;
          };
          items.push_back({{"seq", e.seq},
                           {"at", e.at},
                           {"actor", e.actor},
                           {"action", e.action},
                           {"entity_type", e.entity_type},
                           {"entity_id", e.entity_id},
                           {"register_no", e.register_no ? json(*e.register_no)
                                                         : json(nullptr)},
                           {"before", parse(e.before_json)},
                           {"after", parse(e.after_json)},
                           {"prev_hash", e.prev_hash},
                           {"hash", e.hash}});
        }
        json body = {{"items", items}};
        if (!entries.empty()) {
          body[q.newest_first ? "next_before" : "next_after"] =
              entries.back().seq;
        }
        return JsonResponse(200, body);
      });

  http::RouteDoc verify;
  verify.summary =
      "Recompute the audit trail's hash chain; reports the first entry that "
      "was altered, removed or reordered";
  verify.tag = "audit";
  verify.responses = {{200, "The verification (ok true or false)"}};
  api->Add("GET", "/api/v1/audit/verify", verify, auth::Permission::kReadAudit,
           [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(auto v, c.session.VerifyAudit());
             json body = {{"ok", v.ok()}, {"entries", v.entries}};
             if (!v.ok()) {
               body["first_bad_seq"] = *v.first_bad_seq;
               body["problem"] = v.problem;
             }
             return JsonResponse(200, body);
           });
}

}  // namespace malchin::api
