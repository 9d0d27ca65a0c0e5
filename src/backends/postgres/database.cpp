#include <pqxx/pqxx>

#include "backends/postgres/connection.h"
#include "backends/postgres/migrate.h"
#include "backends/postgres/open.h"
#include "backends/postgres/session.h"

namespace malchin::backends::postgres {
namespace {

std::string Str(const char* s) { return s ? s : ""; }

// Collations under which text compares byte by byte (UTF-8 byte order is
// code point order), as SQLite compares it.

bool ByteOrdered(std::string_view collation) {
  return collation == "C" || collation == "POSIX" || collation == "C.UTF-8" ||
         collation == "C.utf8";
}

Status CheckDatabase(pqxx::connection& conn, const PgTarget& target) {
  std::string encoding, collation;
  try {
    pqxx::nontransaction n(conn);
    pqxx::row r = n.exec1(
        "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database "
        "WHERE datname = current_database()");
    encoding = r[0].as<std::string>();
    collation = r[1].as<std::string>();
  } catch (const std::exception& e) {
    return PgError(e, "reading the database's encoding", target);
  }
  if (encoding != "UTF8" || !ByteOrdered(collation)) {
    return Status::FailedPrecondition(
        target.redacted + " uses encoding " + encoding + " and collation " +
        collation +
        "; Malchin needs UTF8 and the C collation: create the database with "
        "createdb --encoding=UTF8 --locale=C --template=template0 NAME");
  }
  return Status::Ok();
}

class PgDatabase final : public store::Database {
 public:
  PgDatabase(std::shared_ptr<const PgTarget> target, std::string key,
             int version, const store::OpenOptions& options)
      : target_(std::move(target)),
        key_(std::move(key)),
        version_(version),
        options_(options) {}

  store::Engine engine() const override { return store::Engine::kPostgres; }
  const std::string& url() const override { return target_->redacted; }
  int schema_version() const override { return version_; }

  Result<std::unique_ptr<store::Session>> Connect() override {
    MALCHIN_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn,
                             postgres::Connect(*target_, options_.read_only));
    auto s = std::make_unique<PgSession>(std::move(conn), target_, key_,
                                         options_.read_only);
    s->SetClock(options_.clock);
    return std::unique_ptr<store::Session>(std::move(s));
  }

  Result<int64_t> SizeBytes() override {
    MALCHIN_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn,
                             postgres::Connect(*target_, true));
    try {
      pqxx::nontransaction n(*conn);
      return n.exec1("SELECT pg_database_size(current_database())")[0]
          .as<int64_t>();
    } catch (const std::exception& e) {
      return PgError(e, "reading the database's size", *target_);
    }
  }

 private:
  std::shared_ptr<const PgTarget> target_;
  std::string key_;
  int version_;
  store::OpenOptions options_;
};

}  // namespace

Result<std::unique_ptr<store::Database>> OpenPostgresDatabase(
    const store::DatabaseUrl& url, const store::OpenOptions& options) {
  if (url.engine != store::Engine::kPostgres) {
    return Status::InvalidArgument(
        "database '" + url.redacted + "' is not a postgresql:// URL", "db");
  }
  auto target = std::make_shared<const PgTarget>(PgTarget::From(url));
  MALCHIN_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> conn,
                           Connect(*target));
  MALCHIN_RETURN_IF_ERROR(CheckDatabase(*conn, *target));
  MALCHIN_ASSIGN_OR_RETURN(
      int version, Migrate(*conn, *target, Migrations(), options.read_only));
  // The identity every session reports: where the server is and which
  // database, as the server says (not as the URL spelled it).
  std::string key = "postgresql://" + Str(conn->hostname()) + ":" +
                    Str(conn->port()) + "/" + Str(conn->dbname());
  return std::unique_ptr<store::Database>(
      new PgDatabase(std::move(target), std::move(key), version, options));
}

}  // namespace malchin::backends::postgres
