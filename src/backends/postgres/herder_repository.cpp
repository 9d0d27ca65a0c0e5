// The PostgreSQL engine's herder::Repository: data access only (migration
// 0023); who gets a code and what a session sees are decided in src/herder.
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "backends/postgres/values.h"
#include "herder/repository.h"

namespace malchin::backends::postgres {
namespace {

using herder::CodeRecord;
using herder::HerderSession;
using herder::PriceRow;
using herder::RiskRow;

constexpr const char* kCodeColumns =
    "SELECT id, register_no, household_id, soum_code, phone, salt, "
    "code_hash, created_at, expires_at, attempts, used_at FROM herder_codes ";

CodeRecord ReadCode(const pqxx::row& r) {
  CodeRecord c;
  c.id = PgInt(r[0]);
  c.register_no = PgText(r[1]);
  c.household_id = PgText(r[2]);
  c.soum_code = static_cast<int32_t>(PgInt(r[3]));
  c.phone = PgText(r[4]);
  c.salt = PgText(r[5]);
  c.code_hash = PgText(r[6]);
  c.created_at = PgInt(r[7]);
  c.expires_at = PgInt(r[8]);
  c.attempts = static_cast<int>(PgInt(r[9]));
  c.used_at = PgInt(r[10]);
  return c;
}

Result<int64_t> FirstInt(const pqxx::result& r) {
  if (r.empty()) return Status::Internal("the query returned no row");
  return PgInt(r[0][0]);
}

class PgHerderRepository final : public herder::Repository {
 public:
  explicit PgHerderRepository(PgSession& s) : s_(s) {}

  Result<int64_t> InsertCode(const CodeRecord& c) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.insert_code",
                    "INSERT INTO herder_codes (register_no, household_id, "
                    "soum_code, phone, salt, code_hash, created_at, "
                    "expires_at, attempts, used_at) VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, $8, $9, $10) RETURNING id",
                    c.register_no, c.household_id, c.soum_code, c.phone, c.salt,
                    c.code_hash, c.created_at, c.expires_at, c.attempts,
                    c.used_at));
    return FirstInt(r);
  }

  Result<std::optional<CodeRecord>> LatestCode(
      std::string_view register_no) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.latest_code",
                    std::string(kCodeColumns) +
                        "WHERE register_no = $1 ORDER BY id DESC LIMIT 1",
                    register_no));
    return ReadFirst<CodeRecord>(r, ReadCode);
  }

  Result<int64_t> CountCodesForNumber(std::string_view register_no,
                                      int64_t since) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.count_number",
                    "SELECT COUNT(*) FROM herder_codes WHERE register_no = $1 "
                    "AND created_at >= $2",
                    register_no, since));
    return FirstInt(r);
  }

  Result<int64_t> CountCodesToPhone(std::string_view phone,
                                    int64_t since) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.count_phone",
                    "SELECT COUNT(*) FROM herder_codes WHERE phone = $1 AND "
                    "created_at >= $2",
                    phone, since));
    return FirstInt(r);
  }

  Status CountAttempt(int64_t id) override {
    return s_
        .Prepared("herder.count_attempt",
                  "UPDATE herder_codes SET attempts = attempts + 1 WHERE id = "
                  "$1",
                  id)
        .status();
  }

  Result<bool> MarkUsed(int64_t id, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.mark_used",
                    "UPDATE herder_codes SET used_at = $2 WHERE id = $1 AND "
                    "used_at = 0",
                    id, at));
    return r.affected_rows() == 1;
  }

  Status InsertSession(const HerderSession& h) override {
    return s_
        .Prepared("herder.insert_session",
                  "INSERT INTO herder_sessions (token_hash, household_id, "
                  "register_no, soum_code, created_at, expires_at, "
                  "revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  h.token_hash, h.household_id, h.register_no, h.soum_code,
                  h.created_at, h.expires_at, h.revoked_at)
        .status();
  }

  Result<std::optional<HerderSession>> FindSession(
      std::string_view token_hash) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.find_session",
                    "SELECT token_hash, household_id, register_no, soum_code, "
                    "created_at, expires_at, revoked_at FROM herder_sessions "
                    "WHERE token_hash = $1",
                    token_hash));
    return ReadFirst<HerderSession>(r, [](const pqxx::row& q) {
      return HerderSession{PgText(q[0]), PgText(q[1]),
                           PgText(q[2]), static_cast<int32_t>(PgInt(q[3])),
                           PgInt(q[4]),  PgInt(q[5]),
                           PgInt(q[6])};
    });
  }

  Status RevokeSession(std::string_view token_hash, int64_t at) override {
    return s_
        .Prepared("herder.revoke_session",
                  "UPDATE herder_sessions SET revoked_at = $2 WHERE "
                  "token_hash = $1 AND revoked_at = 0",
                  token_hash, at)
        .status();
  }

  Status UpsertRisk(const std::vector<RiskRow>& rows) override {
    for (const RiskRow& r : rows) {
      MALCHIN_RETURN_IF_ERROR(
          s_.Prepared("herder.upsert_risk",
                      "INSERT INTO herder_dzud_risk (soum_code, on_date, "
                      "level, source, imported_by, imported_at) VALUES ($1, "
                      "$2, $3, $4, $5, $6) ON CONFLICT (soum_code, on_date) "
                      "DO UPDATE SET level = excluded.level, source = "
                      "excluded.source, imported_by = excluded.imported_by, "
                      "imported_at = excluded.imported_at",
                      r.soum_code, r.on, r.level, r.source, r.imported_by,
                      r.imported_at)
              .status());
    }
    return Status::Ok();
  }

  Result<std::vector<RiskRow>> RiskOf(int32_t soum_code, std::string_view on,
                                      int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.risk_of",
                    "SELECT soum_code, on_date, level, source, imported_by, "
                    "imported_at FROM herder_dzud_risk WHERE soum_code = $1 "
                    "AND on_date <= $2 ORDER BY on_date DESC LIMIT $3",
                    soum_code, on, limit));
    return ReadAll<RiskRow>(r, [](const pqxx::row& q) {
      return RiskRow{static_cast<int32_t>(PgInt(q[0])),
                     PgText(q[1]),
                     PgText(q[2]),
                     PgText(q[3]),
                     PgText(q[4]),
                     PgInt(q[5])};
    });
  }

  Status UpsertPrices(const std::vector<PriceRow>& rows) override {
    for (const PriceRow& r : rows) {
      MALCHIN_RETURN_IF_ERROR(
          s_.Prepared("herder.upsert_price",
                      "INSERT INTO herder_prices (item, unit, aimag_code, "
                      "from_date, price, source, imported_by, imported_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT "
                      "(item, aimag_code, from_date) DO UPDATE SET unit = "
                      "excluded.unit, price = excluded.price, source = "
                      "excluded.source, imported_by = excluded.imported_by, "
                      "imported_at = excluded.imported_at",
                      r.item, r.unit, r.aimag_code, r.from, r.price, r.source,
                      r.imported_by, r.imported_at)
              .status());
    }
    return Status::Ok();
  }

  Result<std::vector<PriceRow>> ImportedPrices() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("herder.prices",
                    "SELECT item, unit, aimag_code, from_date, price, source, "
                    "imported_by, imported_at FROM herder_prices ORDER BY "
                    "item, aimag_code, from_date"));
    return ReadAll<PriceRow>(r, [](const pqxx::row& q) {
      return PriceRow{
          PgText(q[0]), PgText(q[1]), static_cast<int32_t>(PgInt(q[2])),
          PgText(q[3]), PgInt(q[4]),  PgText(q[5]),
          PgText(q[6]), PgInt(q[7])};
    });
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterHerderRepositories(PgFactories* f) {
  f->Add<herder::Repository>(
      [](PgSession& s) { return std::make_unique<PgHerderRepository>(s); });
}

}  // namespace malchin::backends::postgres
