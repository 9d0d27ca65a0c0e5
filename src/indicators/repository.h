// indicators::Repository: where the results framework is stored: the
// indicators the ministry loads (each load a new version of the code's
// definition; the latest counts) and the frozen values. DATA ACCESS ONLY:
// what a load accepts, whether a value may be frozen and what a recompute
// shows are the capability's own rules (results.h), which own the
// transactions. Each engine implements it
// (src/backends/<engine>/indicators_repository.cpp).
//
// The database guarantees in every engine's schema: a value is frozen once
// per (indicator, period, area) (UNIQUE), and frozen values, loaded
// definitions and DHIS2 pushes are never changed or deleted (append-only
// triggers).
//
// Every write REQUIRES an open Session::Write and leaves the transaction
// to the caller. Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/session.h"

namespace malchin::indicators {

// One load of an indicator's definition (its JSON object).
struct StoredDefinition {
  std::string code;
  std::string definition;  // The indicator's JSON object.
  std::string source;      // The file it was loaded from.
  std::string loaded_by, loaded_at;
};

// A value as frozen: the indicator, the period ("2020Q1"), the area code
// (0 national, aimag or soum), the cells (CellsJson), what it was
// computed from and who froze it when.
struct FrozenValue {
  int64_t id = 0;
  std::string indicator;
  std::string period;
  int32_t area = 0;
  std::string values;  // CellsJson(...)
  std::string register_version;
  std::string parameters_version;
  std::string definition;  // The indicator's JSON object.
  std::string frozen_by, frozen_at;
  bool operator==(const FrozenValue&) const = default;
};

// One push (or dry run) of values to a DHIS2 server that got an answer:
// the server's URL without credentials, DHIS2's import status ("SUCCESS",
// "WARNING", "ERROR", or "HTTP 401" when no import summary came back) and
// its summary as received (JSON).
struct PushRecord {
  int64_t id = 0;
  std::string pushed_by, pushed_at;
  std::string server;
  std::string period;
  bool dry_run = true;
  int http_status = 0;
  std::string import_status;
  std::string payload_sha256;
  std::string summary_json;
  bool operator==(const PushRecord&) const = default;
};

class Repository : public store::Repository {
 public:
  // The latest definition of every loaded code, by code.
  virtual Result<std::vector<StoredDefinition>> Definitions() = 0;
  virtual Status InsertDefinition(const StoredDefinition& d) = 0;

  virtual Result<std::optional<FrozenValue>> FindFrozen(
      std::string_view indicator, std::string_view period, int32_t area) = 0;
  // Every frozen value of the indicator (all when empty), by indicator,
  // period, area.
  virtual Result<std::vector<FrozenValue>> ListFrozen(
      std::string_view indicator) = 0;
  // Its id. AlreadyExists when (indicator, period, area) is frozen already.
  virtual Result<int64_t> InsertFrozen(const FrozenValue& v) = 0;

  // Its id. Pushes are never changed or deleted (append-only).
  virtual Result<int64_t> InsertPush(const PushRecord& p) = 0;
  // Every push, newest first.
  virtual Result<std::vector<PushRecord>> ListPushes() = 0;
  // The latest dry run of this payload (by its SHA-256) to this server.
  virtual Result<std::optional<PushRecord>> LastDryRun(
      std::string_view server, std::string_view payload_sha256) = 0;
};

}  // namespace malchin::indicators
