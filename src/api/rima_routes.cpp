// RIMA-II resilience capacity index over HTTP (docs/rima.md, "HTTP API"):
// fit a model on an uploaded survey (a job), score households with a frozen
// model (and store the scores in the register), reports, explanations, and
// aggregates of the register's stored scores by area and sex of the head.
//
// Permissions: fitting, storing models or scores and explaining one
// household need kRunAnalytics; reports and aggregates need kReadStats.
// Nothing here returns a name: surveys carry household ids only, and the
// register aggregates are counts and means by area.
//
// A frozen model is given inline ("model": the model file's JSON) or by the
// version of a model stored by a fit with "save_model": true (kept in the
// register's meta table under "rima.model:<version>").
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "api/api.h"
#include "api/json_input.h"
#include "rima/model.h"
#include "rima/report.h"
#include "rima/repository.h"
#include "rima/rima.h"
#include "rima/spec.h"
#include "rima/survey.h"

namespace malchin::api {

using nlohmann::json;

namespace {

constexpr size_t kMaxSurveyBody = 64u << 20;  // A survey upload.
constexpr const char* kModelKey = "rima.model:";
constexpr const char* kModelListKey = "rima.models";

// The request body as a JSON document (JsonInput::Parse has checked it).
json RawBody(const std::string& body) {
  return json::parse(body, nullptr, false);
}

// A nested JSON document given as an object or as the text of a file.
Result<std::string> EmbeddedDocument(const json& doc, const std::string& name) {
  auto it = doc.find(name);
  if (it == doc.end()) {
    return Status::InvalidArgument(name + ": required", name);
  }
  if (it->is_object()) return it->dump();
  if (it->is_string()) return it->get<std::string>();
  return Status::InvalidArgument(
      name + ": expected an object (or its JSON text)", name);
}

Status Field(Status s, const std::string& field) {
  if (s.ok()) return s;
  return Status(s.code(), field + ": " + s.message(), field);
}

// The frozen model a request names: "model" inline (parsed here) or the
// "model_version" of a stored model (loaded by Resolve, after the body's
// other fields have been checked).
struct ModelRef {
  std::optional<rima::FrozenModel> model;
  std::string version;
};

Result<ModelRef> ModelRefOf(JsonInput& in, const json& doc) {
  const bool inline_model = in.Has("model");
  MALCHIN_ASSIGN_OR_RETURN(auto version, in.OptString("model_version"));
  if (inline_model == version.has_value()) {
    return Status::InvalidArgument(
        "give the frozen model as \"model\" (the model file's JSON) or the "
        "\"model_version\" of a stored model, not both or neither",
        "model");
  }
  ModelRef ref;
  if (inline_model) {
    in.Ignore({"model"});
    MALCHIN_ASSIGN_OR_RETURN(std::string text, EmbeddedDocument(doc, "model"));
    auto m = rima::ParseModel("model", text);
    if (!m.ok()) return Field(m.status(), "model");
    ref.model = std::move(*m);
  } else {
    ref.version = *version;
  }
  return ref;
}

Result<rima::FrozenModel> Resolve(ModelRef ref, store::Session& store) {
  if (ref.model) return std::move(*ref.model);
  MALCHIN_ASSIGN_OR_RETURN(auto text, store.GetMeta(kModelKey + ref.version));
  if (!text) {
    return Status::NotFound("no stored RIMA model '" + ref.version +
                            "' (GET /api/v1/rima/models lists them)");
  }
  auto m = rima::ParseModel(ref.version, *text);
  if (!m.ok()) return Field(m.status(), "model_version");
  return m;
}

Result<rima::SurveyData> SurveyOf(const std::string& csv,
                                  const rima::ModelSpec& spec) {
  auto s = rima::ReadSurvey("survey_csv", csv, spec);
  if (!s.ok()) return Field(s.status(), "survey_csv");
  return s;
}

json SurveyJson(const rima::SurveyData& s) {
  json missing = json::object();
  for (const auto& [column, n] : s.missing_by_column) missing[column] = n;
  return {{"rows", s.rows},
          {"households_used", s.ids.size()},
          {"households_dropped", s.dropped.size()},
          {"blank_model_values_by_column", missing},
          {"warnings", s.warnings}};
}

// Stores a model under its version and adds it to the list of models.
Status StoreModel(store::Session& store, const rima::FrozenModel& model,
                  const std::string& user) {
  MALCHIN_ASSIGN_OR_RETURN(auto existing,
                           store.GetMeta(kModelKey + model.model_version));
  const std::string text = rima::ModelJson(model);
  if (existing && *existing != text) {
    return Status::AlreadyExists(
        "a different RIMA model is stored as version '" + model.model_version +
        "'; choose another model_version");
  }
  MALCHIN_RETURN_IF_ERROR(store.SetMeta(kModelKey + model.model_version, text));
  MALCHIN_ASSIGN_OR_RETURN(auto list_text, store.GetMeta(kModelListKey));
  json list = json::array();
  if (list_text) {
    list = json::parse(*list_text, nullptr, false);
    if (!list.is_array()) list = json::array();
  }
  for (const json& m : list) {
    if (m.value("model_version", "") == model.model_version) {
      return Status::Ok();
    }
  }
  list.push_back({{"model_version", model.model_version},
                  {"created_on", model.created_on},
                  {"households", model.n},
                  {"saved_by", user}});
  return store.SetMeta(kModelListKey, list.dump());
}

std::vector<rima::RimaScoreRecord> Records(
    const rima::FrozenModel& model,
    const std::vector<rima::HouseholdScore>& scores, Date on,
    const std::string& source) {
  std::vector<rima::RimaScoreRecord> out;
  out.reserve(scores.size());
  for (const rima::HouseholdScore& s : scores) {
    rima::RimaScoreRecord r;
    r.household_id = s.id;
    r.model_version = model.model_version;
    r.scored_on = on;
    r.rci = s.rci;
    r.score_0_100 = s.score_0_100;
    r.quintile = s.quintile;
    r.rci_structural = s.rci_structural;
    r.abs = s.pillars[0];
    r.ast = s.pillars[1];
    r.ssn = s.pillars[2];
    r.ac = s.pillars[3];
    r.source = source;
    out.push_back(std::move(r));
  }
  return out;
}

Result<Date> DateField(JsonInput& in, const std::string& name) {
  MALCHIN_ASSIGN_OR_RETURN(auto text, in.OptString(name));
  if (!text) return Date::TodayUtc();
  auto d = Date::Parse(*text);
  if (!d.ok())
    return Status::InvalidArgument(name + ": " + d.status().message(), name);
  return d;
}

// The report tables that are aggregates (household-level files excluded).
const char* const kReportTables[] = {
    "rci_by_profile",     "rsm",
    "rsm_by_profile",     "pillar_fa_summary",
    "pillar_loadings",    "pillar_bartlett_weights",
    "mimic_parameters",   "mimic_fit",
    "variable_pillar_cor"};

// One CSV table of the report, written through rima::WriteReport into a
// private temporary folder.
Result<std::string> ReportTable(const rima::FrozenModel& model,
                                const rima::SurveyData& survey,
                                const std::vector<rima::HouseholdScore>& scores,
                                const rima::Structure& st,
                                const std::string& table) {
  static std::atomic<uint64_t> counter{0};
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("malchin_rima_report_" + std::to_string(::getpid()) + "_" +
       std::to_string(counter++));
  Status written = rima::WriteReport(model, survey, scores, st, dir.string());
  std::string text;
  if (written.ok()) {
    std::ifstream f(dir / (table + ".csv"), std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    text = s.str();
    if (!f) written = Status::Internal("cannot read the report table " + table);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  MALCHIN_RETURN_IF_ERROR(written);
  return text;
}

struct Group {
  int64_t households = 0;
  double score = 0, rci = 0, abs = 0, ast = 0, ssn = 0, ac = 0;
  std::array<int64_t, 5> quintiles{};
  void Add(const rima::RimaScoreRecord& r) {
    ++households;
    score += r.score_0_100;
    rci += r.rci;
    abs += r.abs;
    ast += r.ast;
    ssn += r.ssn;
    ac += r.ac;
    if (r.quintile >= 1 && r.quintile <= 5) ++quintiles[r.quintile - 1];
  }
};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

const char* kModelSchema =
    R"({"oneOf":[{"required":["model"]},{"required":["model_version"]}]})";

}  // namespace

void AddRimaRoutes(Api* api) {
  Services* services = &api->services();
  using auth::Permission;

  http::RouteDoc fit;
  fit.summary =
      "Fit RIMA-II on an uploaded survey, as a job: {survey_csv (the "
      "KoBoToolbox CSV), spec (the model specification, docs/rima.md), "
      "model_version?, date?, save_model?}. The job's result has the "
      "model (the frozen model file), its fit indices and RSM; with "
      "save_model the model is stored under its version for later scoring "
      "(reports: POST /api/v1/rima/reports)";
  fit.tag = "rima";
  fit.permission = "run_analytics";
  fit.request_schema =
      R"({"type":"object","required":["survey_csv","spec"],"additionalProperties":false,"properties":{"survey_csv":{"type":"string"},"spec":{"type":"object"},"model_version":{"type":"string"},"date":{"type":"string","format":"date"},"save_model":{"type":"boolean"}}})";
  fit.responses = {{202, "Accepted: the job (poll /api/v1/jobs/{job_id})"},
                   {400, "Bad spec or survey (the field is named)"}};
  api->Add(
      "POST", "/api/v1/rima/fits", fit, Permission::kRunAnalytics,
      [services](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        in.Ignore({"spec"});
        MALCHIN_ASSIGN_OR_RETURN(std::string spec_text,
                                 EmbeddedDocument(doc, "spec"));
        auto spec = rima::ParseSpec("spec", spec_text);
        if (!spec.ok()) return Field(spec.status(), "spec");
        MALCHIN_ASSIGN_OR_RETURN(std::string survey_csv,
                                 in.String("survey_csv"));
        rima::FitOptions opt;
        MALCHIN_ASSIGN_OR_RETURN(auto version, in.OptString("model_version"));
        if (version) opt.model_version = *version;
        MALCHIN_ASSIGN_OR_RETURN(Date on, DateField(in, "date"));
        opt.created_on = on.ToString();
        MALCHIN_ASSIGN_OR_RETURN(auto save, in.OptBool("save_model"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        if (!services->jobs) return Status::Unavailable("no job pool");
        const std::string user = c.who.username;
        const auth::Principal who = c.who;
        auto input = std::make_shared<std::pair<rima::ModelSpec, std::string>>(
            std::move(*spec), std::move(survey_csv));
        const bool save_model = save.value_or(false);
        MALCHIN_ASSIGN_OR_RETURN(
            std::string id,
            services->jobs->Submit(
                "rima.fit", user,
                [input, opt, save_model, user, who](
                    http::WorkerContext& ctx,
                    http::JobProgress& progress) -> Result<std::string> {
                  progress.Set(0.1, "reading the survey");
                  auto survey = rima::ReadSurvey("survey_csv", input->second,
                                                 input->first);
                  if (!survey.ok()) return Field(survey.status(), "survey_csv");
                  progress.Set(0.4, "fitting");
                  MALCHIN_ASSIGN_OR_RETURN(
                      rima::RimaFit f,
                      rima::FitRima(input->first, *survey, opt));
                  json result;
                  result["model_version"] = f.model.model_version;
                  result["survey"] = SurveyJson(*survey);
                  result["summary"] = json::parse(rima::SummaryJson(
                      f.model, *survey, f.households, f.structure));
                  result["model"] = json::parse(rima::ModelJson(f.model));
                  result["saved"] = false;
                  if (save_model) {
                    progress.Set(0.8, "storing the model");
                    MALCHIN_ASSIGN_OR_RETURN(store::Session * db,
                                             JobSession(ctx, who));
                    MALCHIN_RETURN_IF_ERROR(StoreModel(*db, f.model, user));
                    result["saved"] = true;
                  }
                  return result.dump(-1, ' ', false,
                                     json::error_handler_t::replace);
                }));
        http::Response r =
            JsonResponse(202, {{"job_id", id}, {"poll", "/api/v1/jobs/" + id}});
        r.SetHeader("Location", "/api/v1/jobs/" + id);
        return r;
      },
      kMaxSurveyBody);

  http::RouteDoc models;
  models.summary =
      "RIMA model versions: those stored by fits (save_model) and those "
      "with scores in the register of your area (households scored, dates)";
  models.tag = "rima";
  models.permission = "read_stats";
  models.responses = {{200, "The versions"}};
  api->Add("GET", "/api/v1/rima/models", models, Permission::kReadStats,
           [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
             auto* repo = &c.session.Get<rima::ScoreRepository>();
             MALCHIN_ASSIGN_OR_RETURN(auto scored,
                                      repo->ModelVersions(c.who.area()));
             json s = json::array();
             for (const auto& m : scored) {
               s.push_back({{"model_version", m.model_version},
                            {"households", m.households},
                            {"first_scored_on", m.first_scored_on.ToString()},
                            {"last_scored_on", m.last_scored_on.ToString()}});
             }
             MALCHIN_ASSIGN_OR_RETURN(auto list,
                                      c.session.GetMeta(kModelListKey));
             json stored = json::array();
             if (list) {
               stored = json::parse(*list, nullptr, false);
               if (!stored.is_array()) stored = json::array();
               for (json& m : stored) m.erase("saved_by");
             }
             return JsonResponse(200, {{"stored", stored}, {"scored", s}});
           });

  http::RouteDoc one_model;
  one_model.summary =
      "A stored RIMA model's specification (id column, profiles, pillars "
      "and their indicators with the survey columns they read, food "
      "security indicators), so that a client can label the indicators and "
      "read the household ids of a survey before it is scored";
  one_model.tag = "rima";
  one_model.permission = "read_stats";
  one_model.responses = {{200, "The model version and its specification"},
                         {404, "No stored model of that version"}};
  api->Add("GET", "/api/v1/rima/models/{model_version}", one_model,
           Permission::kReadStats, [](Call& c) -> Result<http::Response> {
             MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
             ModelRef ref;
             ref.version = c.request.params.at("model_version");
             MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel m,
                                      Resolve(std::move(ref), c.session));
             return JsonResponse(
                 200, {{"model_version", m.model_version},
                       {"spec", json::parse(rima::SpecJson(m.spec))}});
           });

  http::RouteDoc score;
  score.summary =
      "Score an uploaded survey's households with a frozen model: "
      "{survey_csv, model | model_version, save?, replace?, date?}. Returns "
      "aggregates (households scored and dropped, quintile counts, mean "
      "0-100 score); with save the scores are stored in the register of "
      "your area with the model version and date, for rules such as "
      "rci_quintile == 1";
  score.tag = "rima";
  score.permission = "run_analytics";
  score.request_schema = kModelSchema;
  score.responses = {{200, "Scored (and stored)"},
                     {404, "No stored model of that version"},
                     {409,
                      "A different score of the same model is stored "
                      "(send replace: true)"}};
  api->Add(
      "POST", "/api/v1/rima/scores", score, Permission::kRunAnalytics,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        MALCHIN_ASSIGN_OR_RETURN(ModelRef ref, ModelRefOf(in, doc));
        MALCHIN_ASSIGN_OR_RETURN(std::string survey_csv,
                                 in.String("survey_csv"));
        MALCHIN_ASSIGN_OR_RETURN(auto save, in.OptBool("save"));
        MALCHIN_ASSIGN_OR_RETURN(auto replace, in.OptBool("replace"));
        MALCHIN_ASSIGN_OR_RETURN(Date on, DateField(in, "date"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel model,
                                 Resolve(std::move(ref), c.session));
        MALCHIN_ASSIGN_OR_RETURN(rima::SurveyData survey,
                                 SurveyOf(survey_csv, model.spec));
        std::vector<rima::HouseholdScore> scores =
            rima::ScoreSurvey(model, survey);
        Group all;
        for (const auto& s : scores) {
          rima::RimaScoreRecord r;
          r.score_0_100 = s.score_0_100;
          r.rci = s.rci;
          r.quintile = s.quintile;
          all.Add(r);
        }
        json out = {{"model_version", model.model_version},
                    {"survey", SurveyJson(survey)},
                    {"households_scored", scores.size()},
                    {"quintiles", all.quintiles},
                    {"mean_score_0_100",
                     scores.empty() ? json(nullptr)
                                    : json(all.score / all.households)}};
        if (save.value_or(false)) {
          auto* repo = &c.session.Get<rima::ScoreRepository>();
          MALCHIN_ASSIGN_OR_RETURN(
              rima::RimaSaveResult saved,
              repo->SaveScores(
                  c.who.area(),
                  Records(model, scores, on, "api:" + c.who.username),
                  replace.value_or(false)));
          out["saved"] = {{"inserted", saved.inserted},
                          {"replaced", saved.replaced},
                          {"unchanged", saved.unchanged},
                          {"not_in_register", saved.not_found.size()},
                          {"scored_on", on.ToString()}};
        }
        return JsonResponse(200, out);
      },
      kMaxSurveyBody);

  http::RouteDoc report;
  report.summary =
      "RIMA report of an uploaded survey under a frozen model: {survey_csv, "
      "model | model_version}. JSON: the summary (fit, RSM overall and by "
      "profile, RCI by profile). CSV (?format=csv or Accept: text/csv): one "
      "table, ?table=rci_by_profile (default), rsm, rsm_by_profile, "
      "pillar_fa_summary, pillar_loadings, pillar_bartlett_weights, "
      "mimic_parameters, mimic_fit, variable_pillar_cor";
  report.tag = "rima";
  report.permission = "read_stats";
  report.request_schema = kModelSchema;
  report.query = {
      {"format", "query", "json (default) or csv", false, "string"},
      {"table", "query", "CSV table (see summary)", false, "string"}};
  report.responses = {{200, "The report"}};
  api->Add(
      "POST", "/api/v1/rima/reports", report, Permission::kReadStats,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"format", "table"}));
        MALCHIN_ASSIGN_OR_RETURN(bool csv, WantsCsv(c.request));
        const std::string table =
            c.request.Query("table").value_or("rci_by_profile");
        bool known = false;
        for (const char* t : kReportTables) known = known || table == t;
        if (!known) {
          return Status::InvalidArgument(
              "table '" + table +
                  "': expected one of the tables listed in "
                  "the API document (aggregates only)",
              "table");
        }
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        MALCHIN_ASSIGN_OR_RETURN(ModelRef ref, ModelRefOf(in, doc));
        MALCHIN_ASSIGN_OR_RETURN(std::string survey_csv,
                                 in.String("survey_csv"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel model,
                                 Resolve(std::move(ref), c.session));
        MALCHIN_ASSIGN_OR_RETURN(rima::SurveyData survey,
                                 SurveyOf(survey_csv, model.spec));
        auto scores = rima::ScoreSurvey(model, survey);
        if (scores.size() < 3) {
          return Status::InvalidArgument(
              "survey_csv: " + std::to_string(scores.size()) +
                  " households scored; expected at least 3 for a report",
              "survey_csv");
        }
        rima::Structure st = rima::ComputeStructure(model, survey, scores);
        if (csv) {
          MALCHIN_ASSIGN_OR_RETURN(
              std::string text, ReportTable(model, survey, scores, st, table));
          return CsvResponse(std::move(text));
        }
        json out = json::parse(rima::SummaryJson(model, survey, scores, st));
        return JsonResponse(200, out);
      },
      kMaxSurveyBody);

  http::RouteDoc explain;
  explain.summary =
      "What makes up one household's RCI: {survey_csv, model | "
      "model_version, household} -> each pillar's and variable's "
      "contribution in 0-100 points relative to the reference average";
  explain.tag = "rima";
  explain.permission = "run_analytics";
  explain.request_schema = kModelSchema;
  explain.responses = {{200, "The explanation"},
                       {404,
                        "The household is not among the survey's "
                        "scored households"}};
  api->Add(
      "POST", "/api/v1/rima/explain", explain, Permission::kRunAnalytics,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        const json doc = RawBody(c.request.body);
        MALCHIN_ASSIGN_OR_RETURN(ModelRef ref, ModelRefOf(in, doc));
        MALCHIN_ASSIGN_OR_RETURN(std::string survey_csv,
                                 in.String("survey_csv"));
        MALCHIN_ASSIGN_OR_RETURN(std::string household, in.String("household"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel model,
                                 Resolve(std::move(ref), c.session));
        MALCHIN_ASSIGN_OR_RETURN(rima::SurveyData survey,
                                 SurveyOf(survey_csv, model.spec));
        MALCHIN_ASSIGN_OR_RETURN(rima::Explanation e,
                                 rima::Explain(model, survey, household));
        return JsonResponse(200, json::parse(rima::ExplanationJson(e, model)));
      },
      kMaxSurveyBody);

  http::RouteDoc summary;
  summary.summary =
      "Resilience of the register in your area: households scored with a "
      "model version (default: the most recently scored), by nation, aimag "
      "or soum and sex of the household head (F, M, all): households, mean "
      "0-100 score, mean RCI, mean pillar scores (ABS, AST, SSN, AC) and "
      "households per quintile. Aggregates only";
  summary.tag = "rima";
  summary.permission = "read_stats";
  summary.query = {
      {"model_version", "query", "model version (default: latest)", false,
       "string"},
      {"by", "query", "nation (default), aimag or soum", false, "string"},
      {"format", "query", "json (default) or csv", false, "string"}};
  summary.responses = {{200, "The aggregates"},
                       {404, "No scores of that version in your area"}};
  api->Add(
      "GET", "/api/v1/rima/summary", summary, Permission::kReadStats,
      [](Call& c) -> Result<http::Response> {
        const http::Request& r = c.request;
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(r, {"model_version", "by", "format"}));
        MALCHIN_ASSIGN_OR_RETURN(bool csv, WantsCsv(r));
        const std::string by = r.Query("by").value_or("nation");
        if (by != "nation" && by != "aimag" && by != "soum") {
          return Status::InvalidArgument(
              "by '" + by + "': expected nation, aimag or soum", "by");
        }
        auto* repo = &c.session.Get<rima::ScoreRepository>();
        std::string version = r.Query("model_version").value_or("");
        if (version.empty()) {
          MALCHIN_ASSIGN_OR_RETURN(auto versions,
                                   repo->ModelVersions(c.who.area()));
          if (versions.empty()) {
            return Status::NotFound(
                "no household of your area has a RIMA score yet");
          }
          version = versions.front().model_version;
        }
        MALCHIN_ASSIGN_OR_RETURN(
            auto rows, repo->ScoresWithProfile(c.who.area(), version));
        if (rows.empty()) {
          return Status::NotFound("no RIMA scores of model '" + version +
                                  "' in your area");
        }
        // (area code, sex) -> group; sex 'A' = all.
        std::map<std::pair<int32_t, char>, Group> groups;
        for (const auto& p : rows) {
          int32_t code = by == "nation"  ? 0
                         : by == "aimag" ? p.soum_code / 100
                                         : p.soum_code;
          groups[{code, 'A'}].Add(p.score);
          groups[{code, p.head_sex}].Add(p.score);
        }
        auto sex_name = [](char s) -> std::string {
          return s == 'A' ? "all" : s == '?' ? "unknown" : std::string(1, s);
        };
        if (csv) {
          std::string out =
              "model_version,by,code,head_sex,households,mean_score_0_100,"
              "mean_rci,mean_abs,mean_ast,mean_ssn,mean_ac,q1,q2,q3,q4,q5\n";
          for (const auto& [key, g] : groups) {
            const double n = static_cast<double>(g.households);
            out += version + "," + by + "," + std::to_string(key.first) + "," +
                   sex_name(key.second) + "," + std::to_string(g.households) +
                   "," + Num(g.score / n) + "," + Num(g.rci / n) + "," +
                   Num(g.abs / n) + "," + Num(g.ast / n) + "," +
                   Num(g.ssn / n) + "," + Num(g.ac / n);
            for (int64_t q : g.quintiles) out += "," + std::to_string(q);
            out += "\n";
          }
          return CsvResponse(std::move(out));
        }
        json list = json::array();
        for (const auto& [key, g] : groups) {
          const double n = static_cast<double>(g.households);
          list.push_back({{"code", key.first},
                          {"head_sex", sex_name(key.second)},
                          {"households", g.households},
                          {"mean_score_0_100", g.score / n},
                          {"mean_rci", g.rci / n},
                          {"pillars",
                           {{"ABS", g.abs / n},
                            {"AST", g.ast / n},
                            {"SSN", g.ssn / n},
                            {"AC", g.ac / n}}},
                          {"quintiles", g.quintiles}});
        }
        return JsonResponse(
            200, {{"model_version", version}, {"by", by}, {"groups", list}});
      });
}

}  // namespace malchin::api
