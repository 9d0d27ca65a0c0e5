#include "backends/postgres/session.h"

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>

namespace malchin::backends::postgres {

// Generated from the <capability>_repository.cpp files of this folder
// (all_repositories.cpp.in).
void RegisterAllRepositories(PgFactories* f);

namespace {

using WriteTransaction =
    pqxx::transaction<pqxx::read_committed, pqxx::read_write>;
using ReadTransaction =
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

std::string Demangled(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 && d ? d : name;
  std::free(d);
  return out;
}

}  // namespace

const PgFactories::Make* PgFactories::Find(std::type_index type) const {
  auto it = table_.find(type);
  return it == table_.end() ? nullptr : &it->second;
}

const PgFactories& PgFactories::All() {
  static const PgFactories kAll = [] {
    PgFactories f;
    RegisterAllRepositories(&f);
    return f;
  }();
  return kAll;
}

PgSession::PgSession(std::unique_ptr<pqxx::connection> conn,
                     std::shared_ptr<const PgTarget> target, std::string key,
                     bool read_only, const PgFactories* factories)
    : conn_(std::move(conn)),
      target_(std::move(target)),
      key_(std::move(key)),
      read_only_(read_only),
      factories_(factories) {}

PgSession::~PgSession() { Rollback(); }

Status PgSession::Fail(const std::exception& e, std::string_view what) {
  Status s = PgError(e, what, *target_, &retryable_);
  if (tx_ && !tx_failed_) {
    tx_failed_ = true;
    failure_ = s.message();
  }
  return s;
}

Status PgSession::Begin(bool write) {
  retryable_ = false;
  tx_failed_ = false;
  if (write && read_only_) {
    return Status::FailedPrecondition(target_->redacted +
                                      " was opened read-only");
  }
  try {
    if (write) {
      tx_ = std::make_unique<WriteTransaction>(*conn_);
    } else {
      tx_ = std::make_unique<ReadTransaction>(*conn_);
    }
  } catch (const std::exception& e) {
    tx_.reset();
    return PgError(e, "begin", *target_, &retryable_);
  }
  return Status::Ok();
}

Status PgSession::Commit() {
  if (!tx_) return Status::Internal("commit without a transaction");
  if (tx_failed_) {
    Rollback();
    return Status::Internal(
        "the transaction was rolled back: a statement in it failed and the "
        "body went on as if it had not (" +
        failure_ + ")");
  }
  try {
    tx_->commit();
  } catch (const std::exception& e) {
    Status s = PgError(e, "commit", *target_, &retryable_);
    tx_.reset();
    return s;
  }
  tx_.reset();
  return Status::Ok();
}

void PgSession::Rollback() {
  if (!tx_) return;
  try {
    tx_->abort();
  } catch (const std::exception&) {
    // The connection is gone: so is the transaction.
  }
  tx_.reset();
}

bool PgSession::TakeRetryable() {
  bool r = retryable_;
  retryable_ = false;
  return r;
}

Result<pqxx::result> PgSession::Execute(const std::string& name,
                                        std::string_view sql,
                                        const std::vector<PgValue>& params) {
  auto known = prepared_.find(name);
  if (known == prepared_.end()) {
    try {
      conn_->prepare(name, std::string(sql));
    } catch (const std::exception& e) {
      return Fail(e, "preparing " + name);
    }
    prepared_.emplace(name, std::string(sql));
    ++prepares_;
  } else if (known->second != sql) {
    return Status::Internal("statement " + name +
                            " was prepared with another SQL text: give each "
                            "text its own name");
  }
  try {
    auto dynamic = pqxx::prepare::make_dynamic_params(params);
    if (tx_) return tx_->exec_prepared(name, dynamic);
    pqxx::nontransaction alone(*conn_);
    return alone.exec_prepared(name, dynamic);
  } catch (const std::exception& e) {
    return Fail(e, "statement " + name);
  }
}

Result<pqxx::result> PgSession::ExecuteOnce(std::string_view sql) {
  try {
    if (tx_) return tx_->exec(std::string(sql));
    pqxx::nontransaction alone(*conn_);
    return alone.exec(std::string(sql));
  } catch (const std::exception& e) {
    return Fail(e, "statement");
  }
}

PgArea PgSession::Area(const store::AreaFilter& requested,
                       std::string_view soum_column, int param) const {
  const std::string p = "$" + std::to_string(param);
  std::optional<store::AreaFilter> area = Scope(requested);
  if (!area) return {p + "::integer IS NULL", "#0", 0};
  if (area->national()) return {p + "::integer = 0", "#n", 0};
  std::string col(soum_column);
  if (area->soum_code) return {col + " = " + p, "#s", area->soum_code};
  return {col + " BETWEEN " + p + " * 100 AND " + p + " * 100 + 99", "#a",
          area->aimag_code};
}

Result<std::vector<int64_t>> PgSession::ReserveIds(std::string_view table,
                                                   std::string_view column,
                                                   int64_t n) {
  if (!in_write()) return Status::Internal("ReserveIds outside a Write");
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Prepared("malchin.reserve_ids",
               "SELECT nextval(pg_get_serial_sequence($1, $2)) FROM "
               "generate_series(1, $3)",
               table, column, n));
  std::vector<int64_t> ids;
  ids.reserve(r.size());
  for (const pqxx::row& row : r) ids.push_back(PgInt(row[0]));
  return ids;
}

Status PgSession::Lock(std::string_view name) {
  if (!in_write()) {
    return Status::Internal("Lock(" + std::string(name) +
                            ") outside a Write transaction");
  }
  return Prepared("malchin.lock", "SELECT pg_advisory_xact_lock($1)",
                  LockKey(name))
      .status();
}

Result<std::optional<std::string>> PgSession::GetMeta(std::string_view key) {
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r, Prepared("malchin.meta_get",
                               "SELECT value FROM meta WHERE key = $1", key));
  if (r.empty()) return std::optional<std::string>();
  return std::optional<std::string>(PgText(r[0][0]));
}

Status PgSession::SetMeta(std::string_view key, std::string_view value) {
  return Prepared("malchin.meta_set",
                  "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT "
                  "(key) DO UPDATE SET value = EXCLUDED.value",
                  key, value)
      .status();
}

std::unique_ptr<store::Repository> PgSession::MakeRepository(
    std::type_index type) {
  const PgFactories::Make* make = factories_->Find(type);
  if (make == nullptr) {
    std::fprintf(stderr,
                 "malchin: the PostgreSQL engine has no implementation of "
                 "the repository %s: add it in "
                 "src/backends/postgres/<capability>_repository.cpp "
                 "(Register<Capability>Repositories)\n",
                 Demangled(type.name()).c_str());
    std::abort();
  }
  return (*make)(*this);
}

}  // namespace malchin::backends::postgres
