// The audit trail, for auditors. Entries about complaints the caller may
// not see in detail (confidential ones) are masked (grievance/audit_view.h).
#include "api/api.h"
#include "grievance/audit_view.h"

namespace malchin::api {

using nlohmann::json;

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
      {"limit", "query", "1..1000 (default 100)", false, "integer"}};
  list.responses = {{200, "The entries"}};
  api->Add(
      "GET", "/api/v1/audit", list, auth::Permission::kReadAudit,
      [](Call& c) -> Result<http::Response> {
        const http::Request& r = c.request;
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(r, {"actor", "register_no", "household_id", "from", "to",
                           "after", "limit"}));
        store::AuditQuery q;
        q.actor = r.Query("actor").value_or("");
        q.register_no = r.Query("register_no").value_or("");
        q.household_id = r.Query("household_id").value_or("");
        q.from = r.Query("from").value_or("");
        q.to = r.Query("to").value_or("");
        MALCHIN_ASSIGN_OR_RETURN(auto after,
                                 QueryInt(r, "after", 0, INT64_MAX / 2));
        MALCHIN_ASSIGN_OR_RETURN(auto limit, QueryInt(r, "limit", 1, 1000));
        q.after_seq = after.value_or(0);
        q.limit = static_cast<int>(limit.value_or(100));
        MALCHIN_ASSIGN_OR_RETURN(auto entries, c.session.ListAudit(q));
        MALCHIN_RETURN_IF_ERROR(grievance::MaskAuditTrail(c.session, &entries));
        json items = json::array();
        for (const auto& e : entries) {
          auto parse = [](const std::optional<std::string>& s) {
            return s ? json::parse(*s, nullptr, false) : json(nullptr);
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
        if (!entries.empty()) body["next_after"] = entries.back().seq;
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
