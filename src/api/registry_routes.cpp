// The register: persons and households (search, read, create, update with
// If-Match, deactivate), CSV import and export as jobs, and aggregate
// statistics. Every store call goes through the caller's area view
// (the session's caller), so other areas simply do not exist here.
#include <filesystem>

#include "api/api.h"
#include "api/codec.h"
#include "api/json_input.h"
#include "exchange/exchange.h"
#include "params/parameters.h"
#include "registry/population.h"
#include "registry/register_number.h"

namespace malchin::api {

using nlohmann::json;
using registry::Household;
using registry::Person;

namespace {

// Strong ETag of a household version: "\"7\"".
std::string Etag(int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

// The version an If-Match header names; nullopt for "*"; InvalidArgument
// for anything else.
Result<std::optional<int64_t>> IfMatchVersion(std::string_view h) {
  std::string_view v = h;
  if (v == "*") return std::optional<int64_t>();
  if (v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() >= 3 && v.front() == '"' && v.back() == '"') {
    v = v.substr(1, v.size() - 2);
    bool digits = v.size() <= 18;
    for (char c : v) digits = digits && c >= '0' && c <= '9';
    if (digits) return std::optional<int64_t>(std::stoll(std::string(v)));
  }
  return Status::InvalidArgument("If-Match '" + std::string(h) +
                                     "': expected the ETag of the household "
                                     "as received, e.g. \"3\"",
                                 "If-Match");
}

Status CheckRegisterNo(const std::string& raw, std::string* rn) {
  *rn = registry::NormalizeRegisterNumber(raw);
  auto parsed = registry::ParseRegisterNumber(*rn);
  if (!parsed.ok()) {
    return Status::InvalidArgument(
        "register number '" + raw + "': " + parsed.status().message(),
        "register_no");
  }
  return Status::Ok();
}

Result<registry::SearchQuery> SearchFrom(const http::Request& r) {
  MALCHIN_RETURN_IF_ERROR(CheckQuery(
      r, {"q", "soum", "herder", "page", "page_size", "include_inactive"}));
  registry::SearchQuery q;
  q.text = r.Query("q").value_or("");
  if (q.text.size() > 200) {
    return Status::InvalidArgument(
        "query parameter q is longer than 200 "
        "bytes",
        "q");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto soum, QueryInt(r, "soum", 1, 99999));
  q.soum_code = static_cast<int32_t>(soum.value_or(0));
  MALCHIN_ASSIGN_OR_RETURN(q.herder, QueryBool(r, "herder"));
  MALCHIN_ASSIGN_OR_RETURN(auto page, QueryInt(r, "page", 1, 1000000));
  MALCHIN_ASSIGN_OR_RETURN(auto size, QueryInt(r, "page_size", 1, 500));
  MALCHIN_ASSIGN_OR_RETURN(auto inactive, QueryBool(r, "include_inactive"));
  q.page = static_cast<int>(page.value_or(1));
  q.page_size = static_cast<int>(size.value_or(50));
  q.include_inactive = inactive.value_or(false);
  return q;
}

std::vector<http::Parameter> SearchParams() {
  return {{"q", "query",
           "register number, household id, or a name prefix (Cyrillic or "
           "Latin, case-insensitive; given name or father's name)",
           false, "string"},
          {"soum", "query", "soum code", false, "integer"},
          {"herder", "query", "true or false", false, "boolean"},
          {"page", "query", "1-based page (default 1)", false, "integer"},
          {"page_size", "query", "1..500 (default 50)", false, "integer"},
          {"include_inactive", "query", "also deactivated records", false,
           "boolean"}};
}

Result<registry::Deactivation> DeactivationFrom(const std::string& body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  registry::Deactivation d;
  MALCHIN_ASSIGN_OR_RETURN(d.reason, in.String("reason"));
  MALCHIN_ASSIGN_OR_RETURN(auto date, in.OptString("date"));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  if (d.reason.empty() || d.reason.size() > 500) {
    return Status::InvalidArgument("reason: expected 1-500 bytes of text",
                                   "reason");
  }
  d.on = Date::TodayUtc();
  if (date) {
    auto parsed = Date::Parse(*date);
    if (!parsed.ok()) {
      return Status::InvalidArgument("date: " + parsed.status().message(),
                                     "date");
    }
    d.on = *parsed;
  }
  return d;
}

json ImportReportJson(const exchange::ImportReport& r) {
  json j;
  j["written"] = r.written;
  j["household_rows"] = r.household_rows;
  j["person_rows"] = r.person_rows;
  j["rejected_households"] = r.rejected_households;
  j["rejected_persons"] = r.rejected_persons;
  j["counts"] = {{"households_inserted", r.counts.households_inserted},
                 {"households_updated", r.counts.households_updated},
                 {"households_unchanged", r.counts.households_unchanged},
                 {"persons_inserted", r.counts.persons_inserted},
                 {"persons_updated", r.counts.persons_updated},
                 {"persons_unchanged", r.counts.persons_unchanged}};
  j["warnings"] = r.warnings;
  j["errors"] = json::array();
  for (const auto& e : r.errors) {
    j["errors"].push_back({{"file", e.file},
                           {"line", e.line},
                           {"column", e.column},
                           {"value", e.value},
                           {"expected", e.expected},
                           {"message", e.ToString()}});
  }
  j["duplicates"] = json::array();
  for (const auto& d : r.duplicates) {
    j["duplicates"].push_back({{"file", d.file},
                               {"line", d.line},
                               {"register_no", d.register_no},
                               {"other_register_no", d.other_register_no},
                               {"message", d.ToString()}});
  }
  return j;
}

// The household and members of a create/update body.
struct HouseholdBody {
  Household household;
  std::vector<Person> members;
};
Result<HouseholdBody> HouseholdBodyFrom(const std::string& body,
                                        const geo::Geography& geo) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  HouseholdBody out;
  MALCHIN_ASSIGN_OR_RETURN(JsonInput h, in.Object("household"));
  MALCHIN_ASSIGN_OR_RETURN(out.household, HouseholdFromJson(h, geo));
  MALCHIN_ASSIGN_OR_RETURN(auto members, in.ObjectArray("members", 100));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  Date today = Date::TodayUtc();
  for (auto& m : members) {
    MALCHIN_ASSIGN_OR_RETURN(Person p,
                             PersonFromJson(m, out.household.id, today));
    if (p.household_id != out.household.id) {
      return Status::InvalidArgument("member " + p.register_no +
                                         " names household " + p.household_id +
                                         ", not " + out.household.id,
                                     "members.household_id");
    }
    out.members.push_back(std::move(p));
  }
  return out;
}

const char* kHouseholdSchema =
    R"({"type":"object","required":["household"],"additionalProperties":false,"properties":{"household":{"type":"object","required":["household_id","soum_code","herder"]},"members":{"type":"array","maxItems":100,"items":{"type":"object","required":["register_no","father_name","given_name","sex","birth_date","relation"]}}}})";
const char* kDeactivateSchema =
    R"({"type":"object","required":["reason"],"additionalProperties":false,"properties":{"reason":{"type":"string"},"date":{"type":"string","format":"date"}}})";

}  // namespace

void AddRegistryRoutes(Api* api) {
  Services* services = &api->services();
  using auth::Permission;

  http::RouteDoc person;
  person.summary =
      "A person by register number (recorded in the audit trail as a read "
      "of personal data)";
  person.tag = "registry";
  person.responses = {{200, "The person"},
                      {400, "Not a register number"},
                      {404, "No such person in your area"}};
  api->Add("GET", "/api/v1/persons/{register_no}", person,
           Permission::kReadRegister,
           [services](Call& c) -> Result<http::Response> {
             std::string rn;
             MALCHIN_RETURN_IF_ERROR(
                 CheckRegisterNo(c.request.params["register_no"], &rn));
             MALCHIN_ASSIGN_OR_RETURN(auto p, c.Register().FindPerson(rn));
             if (!p) return Status::NotFound("no person " + rn);
             MALCHIN_RETURN_IF_ERROR(RecordReads(
                 *services, c, {*p}, "GET /api/v1/persons/{register_no}"));
             return JsonResponse(200, PersonToJson(*p));
           });

  http::RouteDoc persons;
  persons.summary =
      "Search persons in your area (sorted by register number, paginated; "
      "each person returned is recorded as a read)";
  persons.tag = "registry";
  persons.query = SearchParams();
  persons.responses = {{200, "A page of persons"}};
  api->Add("GET", "/api/v1/persons", persons, Permission::kReadRegister,
           [services](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(registry::SearchQuery q,
                                      SearchFrom(c.request));
             MALCHIN_ASSIGN_OR_RETURN(auto page,
                                      c.Register().SearchPersons({}, q));
             MALCHIN_RETURN_IF_ERROR(
                 RecordReads(*services, c, page.items, "GET /api/v1/persons"));
             json items = json::array();
             for (const auto& p : page.items) items.push_back(PersonToJson(p));
             return JsonResponse(200, {{"items", items},
                                       {"total", page.total},
                                       {"page", q.page},
                                       {"page_size", q.page_size}});
           });

  http::RouteDoc households;
  households.summary =
      "Search households in your area (sorted by household id, paginated)";
  households.tag = "registry";
  households.query = SearchParams();
  households.responses = {{200, "A page of households"}};
  api->Add("GET", "/api/v1/households", households, Permission::kReadRegister,
           [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(registry::SearchQuery q,
                                      SearchFrom(c.request));
             MALCHIN_ASSIGN_OR_RETURN(auto page,
                                      c.Register().SearchHouseholds({}, q));
             json items = json::array();
             for (const auto& h : page.items) {
               items.push_back(HouseholdToJson(h));
             }
             return JsonResponse(200, {{"items", items},
                                       {"total", page.total},
                                       {"page", q.page},
                                       {"page_size", q.page_size}});
           });

  http::RouteDoc household;
  household.summary =
      "A household with its members and its version (also as ETag, for "
      "If-Match); members are recorded as reads";
  household.tag = "registry";
  household.responses = {{200, "The household"},
                         {404, "No such household in your area"}};
  api->Add(
      "GET", "/api/v1/households/{household_id}", household,
      Permission::kReadRegister, [services](Call& c) -> Result<http::Response> {
        const std::string& id = c.request.params["household_id"];
        MALCHIN_ASSIGN_OR_RETURN(auto h, c.Register().FindHousehold(id));
        if (!h) return Status::NotFound("no household " + id);
        MALCHIN_ASSIGN_OR_RETURN(int64_t version,
                                 c.Register().HouseholdVersion(id));
        MALCHIN_ASSIGN_OR_RETURN(auto members, c.Register().Members(id));
        MALCHIN_RETURN_IF_ERROR(RecordReads(
            *services, c, members, "GET /api/v1/households/{household_id}"));
        json m = json::array();
        for (const auto& p : members) m.push_back(PersonToJson(p));
        http::Response r =
            JsonResponse(200, {{"household", HouseholdToJson(*h)},
                               {"members", m},
                               {"version", version}});
        r.SetHeader("ETag", Etag(version));
        return r;
      });

  http::RouteDoc create;
  create.summary =
      "Create a household with its members: {household:{...}, "
      "members:[...]} (fields as in households.csv / persons.csv)";
  create.tag = "registry";
  create.request_schema = kHouseholdSchema;
  create.responses = {{201, "Created (ETag: its version)"},
                      {409, "The household id is taken"}};
  api->Add(
      "POST", "/api/v1/households", create, Permission::kWriteRegister,
      [services](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(
            HouseholdBody b, HouseholdBodyFrom(c.request.body, *services->geo));
        MALCHIN_ASSIGN_OR_RETURN(
            int64_t v, c.Register().CreateHousehold(b.household, b.members,
                                                    {c.who.username, "api"}));
        http::Response r = JsonResponse(
            201, {{"household_id", b.household.id}, {"version", v}});
        r.SetHeader("ETag", Etag(v));
        r.SetHeader("Location", "/api/v1/households/" + b.household.id);
        return r;
      });

  http::RouteDoc update;
  update.summary =
      "Update a household (and upsert the given members). Requires "
      "If-Match with the ETag you read: if someone changed it since, 412 "
      "with the current version and nothing is written";
  update.tag = "registry";
  update.request_schema = kHouseholdSchema;
  update.query = {
      {"If-Match", "header", "the ETag as received", true, "string"}};
  update.responses = {{200, "Updated (ETag: the new version)"},
                      {412, "Changed by someone else since you read it"},
                      {428, "If-Match is missing"}};
  api->Add(
      "PUT", "/api/v1/households/{household_id}", update,
      Permission::kWriteRegister,
      [services](Call& c) -> Result<http::Response> {
        const std::string& id = c.request.params["household_id"];
        std::string_view if_match = c.request.Header("if-match");
        if (if_match.empty()) {
          return http::ErrorResponseWithStatus(
              428, Status::FailedPrecondition(
                       "send If-Match with the household's ETag (GET it "
                       "first) so that concurrent changes are not lost"));
        }
        MALCHIN_ASSIGN_OR_RETURN(auto expected, IfMatchVersion(if_match));
        MALCHIN_ASSIGN_OR_RETURN(
            HouseholdBody b, HouseholdBodyFrom(c.request.body, *services->geo));
        if (b.household.id != id) {
          return Status::InvalidArgument(
              "household.household_id '" + b.household.id +
                  "' differs from the URL's '" + id + "'",
              "household.household_id");
        }
        int64_t want = 0;
        if (expected) {
          want = *expected;
        } else {
          MALCHIN_ASSIGN_OR_RETURN(want, c.Register().HouseholdVersion(id));
        }
        auto v = c.Register().UpdateHousehold(b.household, b.members, want,
                                              {c.who.username, "api"});
        if (v.status().code() == StatusCode::kConflict) {
          MALCHIN_ASSIGN_OR_RETURN(int64_t current,
                                   c.Register().HouseholdVersion(id));
          http::Response r = JsonResponse(
              412, {{"error",
                     {{"code", StatusCodeName(StatusCode::kConflict)},
                      {"message", v.status().message()},
                      {"field", "If-Match"}}},
                    {"current_version", current}});
          r.SetHeader("ETag", Etag(current));
          return r;
        }
        MALCHIN_RETURN_IF_ERROR(v.status());
        http::Response r =
            JsonResponse(200, {{"household_id", id}, {"version", *v}});
        r.SetHeader("ETag", Etag(*v));
        return r;
      });

  http::RouteDoc deact_h;
  deact_h.summary = "Deactivate a household (never deleted): {reason, date?}";
  deact_h.tag = "registry";
  deact_h.request_schema = kDeactivateSchema;
  deact_h.responses = {{200, "Deactivated"}, {409, "Already inactive"}};
  api->Add("POST", "/api/v1/households/{household_id}/deactivate", deact_h,
           Permission::kWriteRegister, [](Call& c) -> Result<http::Response> {
             MALCHIN_ASSIGN_OR_RETURN(auto d, DeactivationFrom(c.request.body));
             const std::string& id = c.request.params["household_id"];
             MALCHIN_RETURN_IF_ERROR(c.Register().DeactivateHousehold(
                 id, d, {c.who.username, "api"}));
             return JsonResponse(200, {{"household_id", id},
                                       {"deactivated_on", d.on.ToString()}});
           });

  http::RouteDoc deact_p;
  deact_p.summary = "Deactivate a person (never deleted): {reason, date?}";
  deact_p.tag = "registry";
  deact_p.request_schema = kDeactivateSchema;
  deact_p.responses = {{200, "Deactivated"}, {409, "Already inactive"}};
  api->Add("POST", "/api/v1/persons/{register_no}/deactivate", deact_p,
           Permission::kWriteRegister, [](Call& c) -> Result<http::Response> {
             std::string rn;
             MALCHIN_RETURN_IF_ERROR(
                 CheckRegisterNo(c.request.params["register_no"], &rn));
             MALCHIN_ASSIGN_OR_RETURN(auto d, DeactivationFrom(c.request.body));
             MALCHIN_RETURN_IF_ERROR(
                 c.Register().DeactivatePerson(rn, d, {c.who.username, "api"}));
             return JsonResponse(200, {{"register_no", rn},
                                       {"deactivated_on", d.on.ToString()}});
           });

  http::RouteDoc import;
  import.summary =
      "Import households.csv and persons.csv (as JSON strings) into your "
      "area, as a job: 202 with the job id; GET /api/v1/jobs/{job_id} gives "
      "the same validation report as `malchin import --json`. Nothing is "
      "written if any row is bad";
  import.tag = "registry";
  import.request_schema =
      R"({"type":"object","required":["households_csv","persons_csv"],"additionalProperties":false,"properties":{"households_csv":{"type":"string"},"persons_csv":{"type":"string"}}})";
  import.responses = {{202, "Accepted: the job"},
                      { 413,
                        "Larger than 256 MiB" }};
  api->Add(
      "POST", "/api/v1/imports", import, Permission::kImport,
      [services](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(std::string hh, in.String("households_csv"));
        MALCHIN_ASSIGN_OR_RETURN(std::string p, in.String("persons_csv"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        if (!services->jobs) return Status::Unavailable("no job pool");
        auth::Principal who = c.who;
        auto geo = services->geo;
        auto files = std::make_shared<std::pair<std::string, std::string>>(
            std::move(hh), std::move(p));
        MALCHIN_ASSIGN_OR_RETURN(
            std::string id,
            services->jobs->Submit(
                "import", who.username,
                [who, geo, files](
                    http::WorkerContext& ctx,
                    http::JobProgress& progress) -> Result<std::string> {
                  MALCHIN_ASSIGN_OR_RETURN(store::Session * session,
                                           JobSession(ctx, who));
                  auto& scoped = session->Get<registry::Repository>();
                  exchange::ImportOptions opt;
                  opt.actor = who.username;
                  opt.progress = [&progress](double f,
                                             const std::string& phase) {
                    progress.Set(f, phase);
                  };
                  MALCHIN_ASSIGN_OR_RETURN(
                      auto report,
                      exchange::ImportRegister(
                          scoped, *geo, {"households.csv", files->first},
                          {"persons.csv", files->second}, opt));
                  std::string out = ImportReportJson(report).dump(
                      -1, ' ', false, json::error_handler_t::replace);
                  if (!report.written) {
                    // Refused: the job failed, and its report says why, row
                    // by row.
                    progress.SetReport(out);
                    return Status::InvalidArgument(
                        "the import was refused and nothing was written; "
                        "the report lists every problem");
                  }
                  return out;
                }));
        http::Response r =
            JsonResponse(202, {{"job_id", id}, {"poll", "/api/v1/jobs/" + id}});
        r.SetHeader("Location", "/api/v1/jobs/" + id);
        return r;
      },
      256u << 20);

  http::RouteDoc exp;
  exp.summary =
      "Export the active register of your area as households.csv and "
      "persons.csv, as a job; download them from "
      "/api/v1/jobs/{job_id}/files/{name}";
  exp.tag = "registry";
  exp.responses = {{202, "Accepted: the job"}};
  api->Add(
      "POST", "/api/v1/exports", exp, Permission::kExport,
      [services](Call& c) -> Result<http::Response> {
        if (!c.request.body.empty()) {
          MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                   JsonInput::Parse(c.request.body));
          MALCHIN_RETURN_IF_ERROR(in.Finish());
        }
        if (!services->jobs || services->export_dir.empty()) {
          return Status::Unavailable("exports are not configured");
        }
        auth::Principal who = c.who;
        std::string dir = services->export_dir;
        MALCHIN_ASSIGN_OR_RETURN(
            std::string id,
            services->jobs->Submit(
                "export", who.username,
                [who, dir](http::WorkerContext& ctx,
                           http::JobProgress& progress) -> Result<std::string> {
                  const std::string& job = progress.job_id();
                  MALCHIN_ASSIGN_OR_RETURN(store::Session * session,
                                           JobSession(ctx, who));
                  auto& scoped = session->Get<registry::Repository>();
                  progress.Set(0.1, "writing");
                  std::string out = (std::filesystem::path(dir) / job).string();
                  MALCHIN_ASSIGN_OR_RETURN(
                      auto counts,
                      exchange::ExportRegister(scoped, who.area(), out));
                  std::string base = "/api/v1/jobs/" + job + "/files/";
                  return json({{"households", counts.households},
                               {"persons", counts.persons},
                               {"files",
                                {base + "households.csv",
                                 base + "persons.csv"}}})
                      .dump();
                }));
        http::Response r =
            JsonResponse(202, {{"job_id", id}, {"poll", "/api/v1/jobs/" + id}});
        r.SetHeader("Location", "/api/v1/jobs/" + id);
        return r;
      });

  http::RouteDoc stats;
  stats.summary =
      "Aggregates of your area (households, persons by sex x age band x "
      "disability, herders, sheep units) by nation, aimag or soum; never "
      "names, register numbers, phones or accounts";
  stats.tag = "stats";
  stats.query = {
      {"by", "query", "nation (default), aimag or soum", false, "string"},
      {"aimag", "query", "only this aimag (code)", false, "integer"},
      {"soum", "query", "only this soum (code)", false, "integer"},
      {"as_of", "query", "reference date YYYY-MM-DD", false, "string"}};
  stats.responses = {{200, "The aggregates"}};
  api->Add(
      "GET", "/api/v1/stats", stats, Permission::kReadStats,
      [](Call& c) -> Result<http::Response> {
        const http::Request& r = c.request;
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(r, {"by", "aimag", "soum", "as_of"}));
        std::string by = r.Query("by").value_or("nation");
        registry::AreaLevel level;
        if (by == "nation") {
          level = registry::AreaLevel::kNation;
        } else if (by == "aimag") {
          level = registry::AreaLevel::kAimag;
        } else if (by == "soum") {
          level = registry::AreaLevel::kSoum;
        } else {
          return Status::InvalidArgument(
              "by '" + by + "': expected nation, aimag or soum", "by");
        }
        store::AreaFilter area;
        MALCHIN_ASSIGN_OR_RETURN(auto aimag, QueryInt(r, "aimag", 1, 999));
        MALCHIN_ASSIGN_OR_RETURN(auto soum, QueryInt(r, "soum", 1, 99999));
        area.aimag_code = static_cast<int32_t>(aimag.value_or(0));
        area.soum_code = static_cast<int32_t>(soum.value_or(0));
        Date as_of = Date::TodayUtc();
        MALCHIN_ASSIGN_OR_RETURN(auto meta,
                                 c.reports.GetMeta("register.as_of"));
        if (meta) {
          auto d = Date::Parse(*meta);
          if (d.ok()) as_of = *d;
        }
        if (auto s = r.Query("as_of")) {
          auto d = Date::Parse(*s);
          if (!d.ok()) {
            return Status::InvalidArgument("as_of: " + d.status().message(),
                                           "as_of");
          }
          as_of = *d;
        }
        MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
        MALCHIN_ASSIGN_OR_RETURN(
            auto factors, registry::SheepUnitFactors::On(*params, as_of));
        // An aggregate: read from the replica when there is one.
        MALCHIN_ASSIGN_OR_RETURN(
            registry::Population pop,
            c.reports.Get<registry::Repository>().LoadPopulation(area));
        auto all = registry::ComputeStats(pop, as_of, level, factors);
        json areas = json::array();
        for (const auto& s : all) {
          json cells = json::array();
          for (int x = 0; x < 2; ++x) {
            for (int b = 0; b < registry::kAgeBandCount; ++b) {
              cells.push_back(
                  {{"sex", x == 0 ? "F" : "M"},
                   {"age_band", registry::AgeBandName(b)},
                   {"persons", s.cells[x][b].persons},
                   {"with_disability", s.cells[x][b].with_disability}});
            }
          }
          areas.push_back(
              {{"code", s.code},
               {"households", s.households},
               {"herder_households", s.herder_households},
               {"female_headed_households", s.female_headed_households},
               {"persons", s.persons},
               {"herders", s.herders},
               {"children_0_17", s.children},
               {"with_disability", s.with_disability},
               {"sheep_units", std::llround(s.sheep_units)},
               {"by_sex_age", cells}});
        }
        return JsonResponse(
            200, {{"as_of", as_of.ToString()}, {"by", by}, {"areas", areas}});
      });
}

}  // namespace malchin::api
