// The PostgreSQL engine's rima::RoundRepository: data access only
// (migration 0024); what a save decides is RIMA's (src/rima/rounds.cpp).
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "rima/rounds.h"

namespace malchin::backends::postgres {
namespace {

using rima::RoundScore;
using rima::RoundSummary;
using store::AreaFilter;

constexpr const char* kRoundColumns =
    "SELECT h.id, r.round, r.round_date, r.model_version, r.rci, "
    "r.score_0_100, r.quintile, r.source, h.soum_code, (SELECT p.sex FROM "
    "persons p WHERE p.hh = h.hh AND p.relation = 'head' AND "
    "p.deactivated_on IS NULL ORDER BY p.pid LIMIT 1) FROM rima_round_scores "
    "r JOIN households h ON h.hh = r.hh ";

RoundScore ReadRound(const pqxx::row& q) {
  RoundScore r;
  r.household_id = PgText(q[0]);
  r.round = PgText(q[1]);
  r.round_date = PgDate(q[2]);
  r.model_version = PgText(q[3]);
  r.rci = PgReal(q[4]);
  r.score_0_100 = PgReal(q[5]);
  r.quintile = static_cast<int>(PgInt(q[6]));
  r.source = PgText(q[7]);
  r.soum_code = static_cast<int32_t>(PgInt(q[8]));
  std::string sex = PgText(q[9]);
  r.head_sex = sex.empty() ? '?' : sex[0];
  return r;
}

class PgRoundRepository final : public rima::RoundRepository {
 public:
  explicit PgRoundRepository(PgSession& s) : rima::RoundRepository(s), s_(s) {}

  Result<std::vector<RoundSummary>> Rounds(const AreaFilter& area) override {
    PgArea a = s_.Area(area, "h.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.rounds" + a.key,
                    "SELECT r.round, r.round_date, r.model_version, count(*) "
                    "FROM rima_round_scores r JOIN households h ON h.hh = "
                    "r.hh WHERE " +
                        a.sql +
                        " GROUP BY r.round, r.round_date, r.model_version "
                        "ORDER BY r.round_date, r.round, r.model_version",
                    a.value));
    return ReadAll<RoundSummary>(rows, [](const pqxx::row& r) {
      return RoundSummary{PgText(r[0]), PgDate(r[1]), PgText(r[2]),
                          PgInt(r[3])};
    });
  }

  Result<std::vector<RoundScore>> RoundScores(
      const AreaFilter& area, std::string_view round,
      std::string_view model_version) override {
    PgArea a = s_.Area(area, "h.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.round_scores" + a.key,
                    std::string(kRoundColumns) +
                        "WHERE r.round = $1 AND r.model_version = $2 AND " +
                        a.sql + " ORDER BY h.id",
                    round, model_version, a.value));
    return ReadAll<RoundScore>(rows, ReadRound);
  }

 protected:
  Result<std::optional<RoundScore>> StoredRoundScore(
      const AreaFilter& area, std::string_view household_id,
      std::string_view round, std::string_view model_version) override {
    PgArea a = s_.Area(area, "h.soum_code", 4);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.round_score" + a.key,
                    std::string(kRoundColumns) +
                        "WHERE h.id = $1 AND r.round = $2 AND "
                        "r.model_version = $3 AND " +
                        a.sql,
                    household_id, round, model_version, a.value));
    return ReadFirst<RoundScore>(rows, ReadRound);
  }

  Result<std::optional<Date>> RoundDate(std::string_view round) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.round_date",
                    "SELECT round_date FROM rima_round_scores WHERE round = "
                    "$1 LIMIT 1",
                    round));
    return ReadFirst<Date>(rows,
                           [](const pqxx::row& r) { return PgDate(r[0]); });
  }

  Result<bool> InsertRoundScore(const AreaFilter& area, const RoundScore& r,
                                std::string_view recorded_at) override {
    PgArea a = s_.Area(area, "h.soum_code", 10);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result res,
        s_.Prepared("rima.insert_round" + a.key,
                    "INSERT INTO rima_round_scores (hh, round, round_date, "
                    "model_version, rci, score_0_100, quintile, source, "
                    "recorded_at) SELECT h.hh, $2, $3, $4, $5, $6, $7, $8, "
                    "$9 FROM households h WHERE h.id = $1 AND " +
                        a.sql,
                    r.household_id, r.round, r.round_date, r.model_version,
                    r.rci, r.score_0_100, r.quintile, r.source, recorded_at,
                    a.value));
    return res.affected_rows() > 0;
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterRimaRoundsRepositories(PgFactories* f) {
  f->Add<rima::RoundRepository>(
      [](PgSession& s) { return std::make_unique<PgRoundRepository>(s); });
}

}  // namespace malchin::backends::postgres
