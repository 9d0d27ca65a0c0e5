// The SQLite engine's herder::Repository: data access only (migration
// 0026); who gets a code and what a session sees are decided in src/herder.
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "herder/repository.h"

namespace malchin::backends::sqlite {
namespace {

using herder::CodeRecord;
using herder::HerderSession;
using herder::PriceRow;
using herder::RiskRow;

constexpr const char* kCodeColumns =
    "SELECT id, register_no, household_id, soum_code, phone, salt, "
    "code_hash, created_at, expires_at, attempts, used_at FROM herder_codes ";

CodeRecord ReadCode(const Stmt& q) {
  CodeRecord c;
  c.id = q.Int(0);
  c.register_no = std::string(q.Text(1));
  c.household_id = std::string(q.Text(2));
  c.soum_code = static_cast<int32_t>(q.Int(3));
  c.phone = std::string(q.Text(4));
  c.salt = std::string(q.Text(5));
  c.code_hash = std::string(q.Text(6));
  c.created_at = q.Int(7);
  c.expires_at = q.Int(8);
  c.attempts = static_cast<int>(q.Int(9));
  c.used_at = q.Int(10);
  return c;
}

class SqliteHerderRepository final : public herder::Repository {
 public:
  explicit SqliteHerderRepository(SqliteSession& s) : s_(s) {}

  Result<int64_t> InsertCode(const CodeRecord& c) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.insert_code",
                    "INSERT INTO herder_codes (register_no, household_id, "
                    "soum_code, phone, salt, code_hash, created_at, "
                    "expires_at, attempts, used_at) VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8, ?9, ?10)"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, c.register_no)
                                .Bind(2, c.household_id)
                                .Bind(3, c.soum_code)
                                .Bind(4, c.phone)
                                .Bind(5, c.salt)
                                .Bind(6, c.code_hash)
                                .Bind(7, c.created_at)
                                .Bind(8, c.expires_at)
                                .Bind(9, c.attempts)
                                .Bind(10, c.used_at)
                                .Run());
    return static_cast<int64_t>(sqlite3_last_insert_rowid(s_.db().raw()));
  }

  Result<std::optional<CodeRecord>> LatestCode(
      std::string_view register_no) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("herder.latest_code",
                              std::string(kCodeColumns) +
                                  "WHERE register_no = ?1 ORDER BY id DESC "
                                  "LIMIT 1"));
    s->Bind(1, register_no);
    return ReadFirst<CodeRecord>(*s, ReadCode);
  }

  Result<int64_t> CountCodesForNumber(std::string_view register_no,
                                      int64_t since) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("herder.count_number",
                              "SELECT COUNT(*) FROM herder_codes WHERE "
                              "register_no = ?1 AND created_at >= ?2"));
    s->Bind(1, register_no).Bind(2, since);
    return Count(*s);
  }

  Result<int64_t> CountCodesToPhone(std::string_view phone,
                                    int64_t since) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("herder.count_phone",
                              "SELECT COUNT(*) FROM herder_codes WHERE "
                              "phone = ?1 AND created_at >= ?2"));
    s->Bind(1, phone).Bind(2, since);
    return Count(*s);
  }

  Status CountAttempt(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("herder.count_attempt",
                              "UPDATE herder_codes SET attempts = attempts + "
                              "1 WHERE id = ?1"));
    return s->Bind(1, id).Run();
  }

  Result<bool> MarkUsed(int64_t id, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("herder.mark_used",
                              "UPDATE herder_codes SET used_at = ?2 WHERE id "
                              "= ?1 AND used_at = 0"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, at).Run());
    return s_.db().Changes() == 1;
  }

  Status InsertSession(const HerderSession& h) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.insert_session",
                    "INSERT INTO herder_sessions (token_hash, household_id, "
                    "register_no, soum_code, created_at, expires_at, "
                    "revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    return s->Bind(1, h.token_hash)
        .Bind(2, h.household_id)
        .Bind(3, h.register_no)
        .Bind(4, h.soum_code)
        .Bind(5, h.created_at)
        .Bind(6, h.expires_at)
        .Bind(7, h.revoked_at)
        .Run();
  }

  Result<std::optional<HerderSession>> FindSession(
      std::string_view token_hash) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.find_session",
                    "SELECT token_hash, household_id, register_no, soum_code, "
                    "created_at, expires_at, revoked_at FROM herder_sessions "
                    "WHERE token_hash = ?1"));
    s->Bind(1, token_hash);
    return ReadFirst<HerderSession>(*s, [](const Stmt& q) {
      return HerderSession{std::string(q.Text(0)),
                           std::string(q.Text(1)),
                           std::string(q.Text(2)),
                           static_cast<int32_t>(q.Int(3)),
                           q.Int(4),
                           q.Int(5),
                           q.Int(6)};
    });
  }

  Status RevokeSession(std::string_view token_hash, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("herder.revoke_session",
                              "UPDATE herder_sessions SET revoked_at = ?2 "
                              "WHERE token_hash = ?1 AND revoked_at = 0"));
    return s->Bind(1, token_hash).Bind(2, at).Run();
  }

  Status UpsertRisk(const std::vector<RiskRow>& rows) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.upsert_risk",
                    "INSERT INTO herder_dzud_risk (soum_code, on_date, level, "
                    "source, imported_by, imported_at) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6) ON CONFLICT (soum_code, on_date) DO UPDATE "
                    "SET level = excluded.level, source = excluded.source, "
                    "imported_by = excluded.imported_by, imported_at = "
                    "excluded.imported_at"));
    for (const RiskRow& r : rows) {
      MALCHIN_RETURN_IF_ERROR(s->Bind(1, r.soum_code)
                                  .Bind(2, r.on)
                                  .Bind(3, r.level)
                                  .Bind(4, r.source)
                                  .Bind(5, r.imported_by)
                                  .Bind(6, r.imported_at)
                                  .Run());
    }
    return Status::Ok();
  }

  Result<std::vector<RiskRow>> RiskOf(int32_t soum_code, std::string_view on,
                                      int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.risk_of",
                    "SELECT soum_code, on_date, level, source, imported_by, "
                    "imported_at FROM herder_dzud_risk WHERE soum_code = ?1 "
                    "AND on_date <= ?2 ORDER BY on_date DESC LIMIT ?3"));
    s->Bind(1, soum_code).Bind(2, on).Bind(3, limit);
    return ReadAll<RiskRow>(*s, [](const Stmt& q) {
      return RiskRow{static_cast<int32_t>(q.Int(0)), std::string(q.Text(1)),
                     std::string(q.Text(2)),         std::string(q.Text(3)),
                     std::string(q.Text(4)),         q.Int(5)};
    });
  }

  Status UpsertPrices(const std::vector<PriceRow>& rows) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.upsert_price",
                    "INSERT INTO herder_prices (item, unit, aimag_code, "
                    "from_date, price, source, imported_by, imported_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT "
                    "(item, aimag_code, from_date) DO UPDATE SET unit = "
                    "excluded.unit, price = excluded.price, source = "
                    "excluded.source, imported_by = excluded.imported_by, "
                    "imported_at = excluded.imported_at"));
    for (const PriceRow& r : rows) {
      MALCHIN_RETURN_IF_ERROR(s->Bind(1, r.item)
                                  .Bind(2, r.unit)
                                  .Bind(3, r.aimag_code)
                                  .Bind(4, r.from)
                                  .Bind(5, r.price)
                                  .Bind(6, r.source)
                                  .Bind(7, r.imported_by)
                                  .Bind(8, r.imported_at)
                                  .Run());
    }
    return Status::Ok();
  }

  Result<std::vector<PriceRow>> ImportedPrices() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("herder.prices",
                    "SELECT item, unit, aimag_code, from_date, price, source, "
                    "imported_by, imported_at FROM herder_prices ORDER BY "
                    "item, aimag_code, from_date"));
    return ReadAll<PriceRow>(*s, [](const Stmt& q) {
      return PriceRow{std::string(q.Text(0)),
                      std::string(q.Text(1)),
                      static_cast<int32_t>(q.Int(2)),
                      std::string(q.Text(3)),
                      q.Int(4),
                      std::string(q.Text(5)),
                      std::string(q.Text(6)),
                      q.Int(7)};
    });
  }

 private:
  // ReadFirst resets the statement for its next use.
  static Result<int64_t> Count(Stmt& s) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto n, ReadFirst<int64_t>(s, [](const Stmt& q) { return q.Int(0); }));
    return n.value_or(0);
  }

  SqliteSession& s_;
};

}  // namespace

void RegisterHerderRepositories(Factories* f) {
  f->Add<herder::Repository, SqliteHerderRepository>();
}

}  // namespace malchin::backends::sqlite
