// The PostgreSQL engine's indicators::Repository: data access only
// (migration 0022); what may be loaded or frozen is decided in
// src/indicators.
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "indicators/repository.h"

namespace malchin::backends::postgres {
namespace {

using indicators::FrozenValue;
using indicators::PushRecord;
using indicators::StoredDefinition;

constexpr const char* kPushColumns =
    "SELECT id, pushed_by, pushed_at, server, period, dry_run, http_status, "
    "import_status, payload_sha256, summary_json FROM indicator_pushes ";

PushRecord ReadPush(const pqxx::row& r) {
  PushRecord p;
  p.id = PgInt(r[0]);
  p.pushed_by = PgText(r[1]);
  p.pushed_at = PgText(r[2]);
  p.server = PgText(r[3]);
  p.period = PgText(r[4]);
  p.dry_run = PgInt(r[5]) != 0;
  p.http_status = static_cast<int>(PgInt(r[6]));
  p.import_status = PgText(r[7]);
  p.payload_sha256 = PgText(r[8]);
  p.summary_json = PgText(r[9]);
  return p;
}

constexpr const char* kValueColumns =
    "SELECT id, indicator, period, area, value_json, register_version, "
    "parameters_version, definition, frozen_by, frozen_at FROM "
    "indicator_values ";

FrozenValue ReadValue(const pqxx::row& r) {
  FrozenValue v;
  v.id = PgInt(r[0]);
  v.indicator = PgText(r[1]);
  v.period = PgText(r[2]);
  v.area = static_cast<int32_t>(PgInt(r[3]));
  v.values = PgText(r[4]);
  v.register_version = PgText(r[5]);
  v.parameters_version = PgText(r[6]);
  v.definition = PgText(r[7]);
  v.frozen_by = PgText(r[8]);
  v.frozen_at = PgText(r[9]);
  return v;
}

class PgIndicatorsRepository final : public indicators::Repository {
 public:
  explicit PgIndicatorsRepository(PgSession& s) : s_(s) {}

  Result<std::vector<StoredDefinition>> Definitions() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("indicators.definitions",
                    "SELECT DISTINCT ON (code) code, definition, source, "
                    "loaded_by, loaded_at FROM indicator_definitions ORDER BY "
                    "code, id DESC"));
    return ReadAll<StoredDefinition>(rows, [](const pqxx::row& r) {
      return StoredDefinition{PgText(r[0]), PgText(r[1]), PgText(r[2]),
                              PgText(r[3]), PgText(r[4])};
    });
  }

  Status InsertDefinition(const StoredDefinition& d) override {
    return s_
        .Prepared("indicators.insert_definition",
                  "INSERT INTO indicator_definitions (code, definition, "
                  "source, loaded_by, loaded_at) VALUES ($1, $2, $3, $4, $5)",
                  d.code, d.definition, d.source, d.loaded_by, d.loaded_at)
        .status();
  }

  Result<std::optional<FrozenValue>> FindFrozen(std::string_view indicator,
                                                std::string_view period,
                                                int32_t area) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("indicators.find_frozen",
                    std::string(kValueColumns) +
                        "WHERE indicator = $1 AND period = $2 AND area = $3",
                    indicator, period, area));
    return ReadFirst<FrozenValue>(rows, ReadValue);
  }

  Result<std::vector<FrozenValue>> ListFrozen(
      std::string_view indicator) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("indicators.list_frozen",
                    std::string(kValueColumns) +
                        "WHERE $1 = '' OR indicator = $1 ORDER BY indicator, "
                        "period, area",
                    indicator));
    return ReadAll<FrozenValue>(rows, ReadValue);
  }

  Result<int64_t> InsertFrozen(const FrozenValue& v) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("indicators.insert_frozen",
                    "INSERT INTO indicator_values (indicator, period, area, "
                    "value_json, register_version, parameters_version, "
                    "definition, frozen_by, frozen_at) VALUES ($1, $2, $3, "
                    "$4, $5, $6, $7, $8, $9) RETURNING id",
                    v.indicator, v.period, v.area, v.values, v.register_version,
                    v.parameters_version, v.definition, v.frozen_by,
                    v.frozen_at));
    if (r.empty()) return Status::Internal("INSERT returned no id");
    return PgInt(r[0][0]);
  }

  Result<int64_t> InsertPush(const PushRecord& p) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("indicators.insert_push",
                    "INSERT INTO indicator_pushes (pushed_by, pushed_at, "
                    "server, period, dry_run, http_status, import_status, "
                    "payload_sha256, summary_json) VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, $8, $9) RETURNING id",
                    p.pushed_by, p.pushed_at, p.server, p.period,
                    p.dry_run ? 1 : 0, p.http_status, p.import_status,
                    p.payload_sha256, p.summary_json));
    if (r.empty()) return Status::Internal("INSERT returned no id");
    return PgInt(r[0][0]);
  }

  Result<std::vector<PushRecord>> ListPushes() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("indicators.list_pushes",
                    std::string(kPushColumns) + "ORDER BY id DESC"));
    return ReadAll<PushRecord>(rows, ReadPush);
  }

  Result<std::optional<PushRecord>> LastDryRun(
      std::string_view server, std::string_view payload_sha256) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("indicators.last_dry_run",
                    std::string(kPushColumns) +
                        "WHERE server = $1 AND payload_sha256 = $2 AND "
                        "dry_run = 1 ORDER BY id DESC LIMIT 1",
                    server, payload_sha256));
    return ReadFirst<PushRecord>(rows, ReadPush);
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterIndicatorsRepositories(PgFactories* f) {
  f->Add<indicators::Repository>(
      [](PgSession& s) { return std::make_unique<PgIndicatorsRepository>(s); });
}

}  // namespace malchin::backends::postgres
