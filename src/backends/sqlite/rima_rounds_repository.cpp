// The SQLite engine's rima::RoundRepository: data access only (migration
// 0027); what a save decides is RIMA's (src/rima/rounds.cpp).
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "rima/rounds.h"

namespace malchin::backends::sqlite {
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

Result<RoundScore> ReadRound(const Stmt& q) {
  RoundScore r;
  r.household_id = std::string(q.Text(0));
  r.round = std::string(q.Text(1));
  MALCHIN_ASSIGN_OR_RETURN(r.round_date, Date::Parse(q.Text(2)));
  r.model_version = std::string(q.Text(3));
  r.rci = q.Real(4);
  r.score_0_100 = q.Real(5);
  r.quintile = static_cast<int>(q.Int(6));
  r.source = std::string(q.Text(7));
  r.soum_code = static_cast<int32_t>(q.Int(8));
  std::string_view sex = q.Text(9);
  r.head_sex = sex.empty() ? '?' : sex[0];
  return r;
}

class SqliteRoundRepository final : public rima::RoundRepository {
 public:
  explicit SqliteRoundRepository(SqliteSession& session)
      : rima::RoundRepository(session), session_(session) {}

  Result<std::vector<RoundSummary>> Rounds(const AreaFilter& area) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("rima.rounds" + a.key,
                          "SELECT r.round, r.round_date, r.model_version, "
                          "COUNT(*) FROM rima_round_scores r JOIN households "
                          "h ON h.hh = r.hh WHERE " +
                              a.sql +
                              " GROUP BY r.round, r.round_date, "
                              "r.model_version ORDER BY r.round_date, "
                              "r.round, r.model_version"));
    a.Bind(*s);
    return ReadAll<RoundSummary>(*s, [](const Stmt& q) -> Result<RoundSummary> {
      RoundSummary r;
      r.round = std::string(q.Text(0));
      MALCHIN_ASSIGN_OR_RETURN(r.date, Date::Parse(q.Text(1)));
      r.model_version = std::string(q.Text(2));
      r.households = q.Int(3);
      return r;
    });
  }

  Result<std::vector<RoundScore>> RoundScores(
      const AreaFilter& area, std::string_view round,
      std::string_view model_version) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                             session_.Prepared("rima.round_scores" + a.key,
                                               std::string(kRoundColumns) +
                                                   "WHERE r.round = ?1 AND "
                                                   "r.model_version = ?2 AND " +
                                                   a.sql + " ORDER BY h.id"));
    s->Bind(1, round).Bind(2, model_version);
    a.Bind(*s);
    return ReadAll<RoundScore>(*s, ReadRound);
  }

 protected:
  Result<std::optional<RoundScore>> StoredRoundScore(
      const AreaFilter& area, std::string_view household_id,
      std::string_view round, std::string_view model_version) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("rima.round_score" + a.key,
                                    std::string(kRoundColumns) +
                                        "WHERE h.id = ?1 AND r.round = ?2 AND "
                                        "r.model_version = ?3 AND " +
                                        a.sql));
    s->Bind(1, household_id).Bind(2, round).Bind(3, model_version);
    a.Bind(*s);
    return ReadFirst<RoundScore>(*s, ReadRound);
  }

  Result<std::optional<Date>> RoundDate(std::string_view round) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("rima.round_date",
                                    "SELECT round_date FROM rima_round_scores "
                                    "WHERE round = ?1 LIMIT 1"));
    s->Bind(1, round);
    return ReadFirst<Date>(*s, [](const Stmt& q) -> Result<Date> {
      return Date::Parse(q.Text(0));
    });
  }

  Result<bool> InsertRoundScore(const AreaFilter& area, const RoundScore& r,
                                std::string_view recorded_at) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("rima.insert_round" + a.key,
                          "INSERT INTO rima_round_scores (hh, round, "
                          "round_date, model_version, rci, score_0_100, "
                          "quintile, source, recorded_at) SELECT h.hh, ?2, "
                          "?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM households h WHERE "
                          "h.id = ?1 AND " +
                              a.sql));
    s->Bind(1, std::string_view(r.household_id))
        .Bind(2, std::string_view(r.round))
        .Bind(3, std::string_view(r.round_date.ToString()))
        .Bind(4, std::string_view(r.model_version))
        .Bind(5, r.rci)
        .Bind(6, r.score_0_100)
        .Bind(7, r.quintile)
        .Bind(8, std::string_view(r.source))
        .Bind(9, recorded_at);
    a.Bind(*s);
    MALCHIN_RETURN_IF_ERROR(s->Run());
    return session_.db().Changes() > 0;
  }

 private:
  SqliteSession& session_;
};

}  // namespace

void RegisterRimaRoundsRepositories(Factories* f) {
  f->Add<rima::RoundRepository, SqliteRoundRepository>();
}

}  // namespace malchin::backends::sqlite
