// The SQLite engine's indicators::Repository: data access only (migration
// 0025); what may be loaded or frozen is decided in src/indicators.
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "indicators/repository.h"

namespace malchin::backends::sqlite {
namespace {

using indicators::FrozenValue;
using indicators::PushRecord;
using indicators::StoredDefinition;

constexpr const char* kPushColumns =
    "SELECT id, pushed_by, pushed_at, server, period, dry_run, http_status, "
    "import_status, payload_sha256, summary_json FROM indicator_pushes ";

PushRecord ReadPush(const Stmt& q) {
  PushRecord p;
  p.id = q.Int(0);
  p.pushed_by = std::string(q.Text(1));
  p.pushed_at = std::string(q.Text(2));
  p.server = std::string(q.Text(3));
  p.period = std::string(q.Text(4));
  p.dry_run = q.Int(5) != 0;
  p.http_status = static_cast<int>(q.Int(6));
  p.import_status = std::string(q.Text(7));
  p.payload_sha256 = std::string(q.Text(8));
  p.summary_json = std::string(q.Text(9));
  return p;
}

constexpr const char* kValueColumns =
    "SELECT id, indicator, period, area, value_json, register_version, "
    "parameters_version, definition, frozen_by, frozen_at FROM "
    "indicator_values ";

FrozenValue ReadValue(const Stmt& q) {
  FrozenValue v;
  v.id = q.Int(0);
  v.indicator = std::string(q.Text(1));
  v.period = std::string(q.Text(2));
  v.area = static_cast<int32_t>(q.Int(3));
  v.values = std::string(q.Text(4));
  v.register_version = std::string(q.Text(5));
  v.parameters_version = std::string(q.Text(6));
  v.definition = std::string(q.Text(7));
  v.frozen_by = std::string(q.Text(8));
  v.frozen_at = std::string(q.Text(9));
  return v;
}

class SqliteIndicatorsRepository final : public indicators::Repository {
 public:
  explicit SqliteIndicatorsRepository(SqliteSession& s) : s_(s) {}

  Result<std::vector<StoredDefinition>> Definitions() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("indicators.definitions",
                    "SELECT code, definition, source, loaded_by, loaded_at "
                    "FROM indicator_definitions d WHERE id = (SELECT MAX(id) "
                    "FROM indicator_definitions e WHERE e.code = d.code) "
                    "ORDER BY code"));
    return ReadAll<StoredDefinition>(*s, [](const Stmt& q) {
      return StoredDefinition{std::string(q.Text(0)), std::string(q.Text(1)),
                              std::string(q.Text(2)), std::string(q.Text(3)),
                              std::string(q.Text(4))};
    });
  }

  Status InsertDefinition(const StoredDefinition& d) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("indicators.insert_definition",
                    "INSERT INTO indicator_definitions (code, definition, "
                    "source, loaded_by, loaded_at) VALUES (?1, ?2, ?3, ?4, "
                    "?5)"));
    return s->Bind(1, d.code)
        .Bind(2, d.definition)
        .Bind(3, d.source)
        .Bind(4, d.loaded_by)
        .Bind(5, d.loaded_at)
        .Run();
  }

  Result<std::optional<FrozenValue>> FindFrozen(std::string_view indicator,
                                                std::string_view period,
                                                int32_t area) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("indicators.find_frozen",
                              std::string(kValueColumns) +
                                  "WHERE indicator = ?1 AND period = ?2 AND "
                                  "area = ?3"));
    s->Bind(1, indicator).Bind(2, period).Bind(3, area);
    return ReadFirst<FrozenValue>(*s, ReadValue);
  }

  Result<std::vector<FrozenValue>> ListFrozen(
      std::string_view indicator) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("indicators.list_frozen",
                              std::string(kValueColumns) +
                                  "WHERE ?1 = '' OR indicator = ?1 ORDER BY "
                                  "indicator, period, area"));
    s->Bind(1, indicator);
    return ReadAll<FrozenValue>(*s, ReadValue);
  }

  Result<int64_t> InsertFrozen(const FrozenValue& v) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("indicators.insert_frozen",
                    "INSERT INTO indicator_values (indicator, period, area, "
                    "value_json, register_version, parameters_version, "
                    "definition, frozen_by, frozen_at) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6, ?7, ?8, ?9)"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, v.indicator)
                                .Bind(2, v.period)
                                .Bind(3, v.area)
                                .Bind(4, v.values)
                                .Bind(5, v.register_version)
                                .Bind(6, v.parameters_version)
                                .Bind(7, v.definition)
                                .Bind(8, v.frozen_by)
                                .Bind(9, v.frozen_at)
                                .Run());
    return static_cast<int64_t>(sqlite3_last_insert_rowid(s_.db().raw()));
  }

  Result<int64_t> InsertPush(const PushRecord& p) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("indicators.insert_push",
                    "INSERT INTO indicator_pushes (pushed_by, pushed_at, "
                    "server, period, dry_run, http_status, import_status, "
                    "payload_sha256, summary_json) VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8, ?9)"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, p.pushed_by)
                                .Bind(2, p.pushed_at)
                                .Bind(3, p.server)
                                .Bind(4, p.period)
                                .Bind(5, p.dry_run ? 1 : 0)
                                .Bind(6, p.http_status)
                                .Bind(7, p.import_status)
                                .Bind(8, p.payload_sha256)
                                .Bind(9, p.summary_json)
                                .Run());
    return static_cast<int64_t>(sqlite3_last_insert_rowid(s_.db().raw()));
  }

  Result<std::vector<PushRecord>> ListPushes() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("indicators.list_pushes",
                              std::string(kPushColumns) + "ORDER BY id DESC"));
    return ReadAll<PushRecord>(*s, ReadPush);
  }

  Result<std::optional<PushRecord>> LastDryRun(
      std::string_view server, std::string_view payload_sha256) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("indicators.last_dry_run",
                              std::string(kPushColumns) +
                                  "WHERE server = ?1 AND payload_sha256 = ?2 "
                                  "AND dry_run = 1 ORDER BY id DESC LIMIT 1"));
    s->Bind(1, server).Bind(2, payload_sha256);
    return ReadFirst<PushRecord>(*s, ReadPush);
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterIndicatorsRepositories(Factories* f) {
  f->Add<indicators::Repository, SqliteIndicatorsRepository>();
}

}  // namespace malchin::backends::sqlite
