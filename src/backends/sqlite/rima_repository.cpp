// The SQLite engine's rima::ScoreRepository: data access only (migration
// 0005); what a save decides is RIMA's (src/rima/repository.cpp).
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "rima/repository.h"

namespace malchin::backends::sqlite {
namespace {

using rima::RimaModelScores;
using rima::RimaQuintile;
using rima::RimaScoreProfile;
using rima::RimaScoreRecord;
using store::AreaFilter;

constexpr const char* kColumns =
    "h.id, s.model_version, s.scored_on, s.rci, s.score_0_100, s.quintile, "
    "s.rci_structural, s.abs, s.ast, s.ssn, s.ac, s.source";

Result<RimaScoreRecord> ReadRow(const Stmt& s) {
  RimaScoreRecord r;
  r.household_id = std::string(s.Text(0));
  r.model_version = std::string(s.Text(1));
  MALCHIN_ASSIGN_OR_RETURN(r.scored_on, Date::Parse(s.Text(2)));
  r.rci = s.Real(3);
  r.score_0_100 = s.Real(4);
  r.quintile = static_cast<int>(s.Int(5));
  r.rci_structural = s.Real(6);
  r.abs = s.Real(7);
  r.ast = s.Real(8);
  r.ssn = s.Real(9);
  r.ac = s.Real(10);
  r.source = std::string(s.Text(11));
  return r;
}

class SqliteRimaRepository final : public rima::ScoreRepository {
 public:
  explicit SqliteRimaRepository(SqliteSession& session)
      : rima::ScoreRepository(session), session_(session) {}

  Result<std::optional<RimaScoreRecord>> LatestScore(
      const AreaFilter& area, std::string_view household_id) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("rima.latest" + a.key,
                          std::string("SELECT ") + kColumns +
                              " FROM rima_scores s JOIN households h ON h.hh = "
                              "s.hh WHERE h.id = ?1 AND " +
                              a.sql +
                              " ORDER BY s.scored_on DESC, s.id DESC LIMIT 1"));
    s->Bind(1, household_id);
    a.Bind(*s);
    return ReadFirst<RimaScoreRecord>(*s, ReadRow);
  }

  Result<std::vector<RimaQuintile>> LatestQuintiles(
      const AreaFilter& area) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "rima.quintiles" + a.key,
            "SELECT id, quintile, model_version, scored_on FROM (SELECT h.id "
            "AS id, s.quintile AS quintile, s.model_version AS "
            "model_version, s.scored_on AS scored_on, ROW_NUMBER() OVER "
            "(PARTITION BY s.hh ORDER BY s.scored_on DESC, s.id DESC) AS n "
            "FROM rima_scores s JOIN households h ON h.hh = s.hh WHERE " +
                a.sql + ") WHERE n = 1 ORDER BY id"));
    a.Bind(*s);
    return ReadAll<RimaQuintile>(*s, [](const Stmt& q) -> Result<RimaQuintile> {
      RimaQuintile r;
      r.household_id = std::string(q.Text(0));
      r.quintile = static_cast<int>(q.Int(1));
      r.model_version = std::string(q.Text(2));
      MALCHIN_ASSIGN_OR_RETURN(r.scored_on, Date::Parse(q.Text(3)));
      return r;
    });
  }

  Result<std::vector<RimaScoreRecord>> ScoresForModel(
      const AreaFilter& area, std::string_view model_version) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("rima.for_model" + a.key,
                          std::string("SELECT ") + kColumns +
                              " FROM rima_scores s JOIN households h ON h.hh = "
                              "s.hh WHERE s.model_version = ?1 AND " +
                              a.sql + " ORDER BY h.id"));
    s->Bind(1, model_version);
    a.Bind(*s);
    return ReadAll<RimaScoreRecord>(*s, ReadRow);
  }

  Result<std::vector<RimaModelScores>> ModelVersions(
      const AreaFilter& area) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("rima.versions" + a.key,
                          "SELECT s.model_version, COUNT(*), "
                          "MIN(s.scored_on), MAX(s.scored_on) FROM "
                          "rima_scores s JOIN households h ON h.hh = s.hh "
                          "WHERE " +
                              a.sql +
                              " GROUP BY s.model_version ORDER BY "
                              "MAX(s.scored_on) DESC, s.model_version"));
    a.Bind(*s);
    return ReadAll<RimaModelScores>(
        *s, [](const Stmt& q) -> Result<RimaModelScores> {
          RimaModelScores m;
          m.model_version = std::string(q.Text(0));
          m.households = q.Int(1);
          MALCHIN_ASSIGN_OR_RETURN(m.first_scored_on, Date::Parse(q.Text(2)));
          MALCHIN_ASSIGN_OR_RETURN(m.last_scored_on, Date::Parse(q.Text(3)));
          return m;
        });
  }

  Result<std::vector<RimaScoreProfile>> ScoresWithProfile(
      const AreaFilter& area, std::string_view model_version) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "rima.profile" + a.key,
            std::string("SELECT ") + kColumns +
                ", h.soum_code, (SELECT p.sex FROM persons p WHERE p.hh = "
                "h.hh AND p.relation = 'head' AND p.deactivated_on IS NULL "
                "ORDER BY p.pid LIMIT 1) FROM rima_scores s JOIN households "
                "h ON h.hh = s.hh WHERE s.model_version = ?1 AND " +
                a.sql + " ORDER BY h.id"));
    s->Bind(1, model_version);
    a.Bind(*s);
    return ReadAll<RimaScoreProfile>(
        *s, [](const Stmt& q) -> Result<RimaScoreProfile> {
          RimaScoreProfile p;
          MALCHIN_ASSIGN_OR_RETURN(p.score, ReadRow(q));
          p.soum_code = static_cast<int32_t>(q.Int(12));
          std::string_view sex = q.Text(13);
          p.head_sex = sex.empty() ? '?' : sex[0];
          return p;
        });
  }

 protected:
  Result<std::optional<int64_t>> LocateHousehold(
      const AreaFilter& area, std::string_view household_id) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("rima.household" + a.key,
                                    "SELECT h.hh FROM households h WHERE h.id "
                                    "= ?1 AND " +
                                        a.sql));
    s->Bind(1, household_id);
    a.Bind(*s);
    return ReadFirst<int64_t>(*s, [](const Stmt& q) { return q.Int(0); });
  }

  Result<std::optional<RimaScoreRecord>> StoredScore(
      int64_t hh, std::string_view model_version) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("rima.stored",
                          "SELECT '', s.model_version, s.scored_on, s.rci, "
                          "s.score_0_100, s.quintile, s.rci_structural, "
                          "s.abs, s.ast, s.ssn, s.ac, s.source FROM "
                          "rima_scores s WHERE s.hh = ?1 AND "
                          "s.model_version = ?2"));
    s->Bind(1, hh).Bind(2, model_version);
    return ReadFirst<RimaScoreRecord>(*s, ReadRow);
  }

  Status WriteScore(int64_t hh, const RimaScoreRecord& r, bool replace,
                    std::string_view recorded_at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        replace ? session_.Prepared(
                      "rima.update",
                      "UPDATE rima_scores SET scored_on = ?3, rci = ?4, "
                      "score_0_100 = ?5, quintile = ?6, rci_structural = ?7, "
                      "abs = ?8, ast = ?9, ssn = ?10, ac = ?11, source = ?12, "
                      "recorded_at = ?13 WHERE hh = ?1 AND model_version = ?2")
                : session_.Prepared(
                      "rima.insert",
                      "INSERT INTO rima_scores (hh, model_version, scored_on, "
                      "rci, score_0_100, quintile, rci_structural, abs, ast, "
                      "ssn, ac, source, recorded_at) VALUES (?1, ?2, ?3, ?4, "
                      "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
    return s->Bind(1, hh)
        .Bind(2, std::string_view(r.model_version))
        .Bind(3, std::string_view(r.scored_on.ToString()))
        .Bind(4, r.rci)
        .Bind(5, r.score_0_100)
        .Bind(6, r.quintile)
        .Bind(7, r.rci_structural)
        .Bind(8, r.abs)
        .Bind(9, r.ast)
        .Bind(10, r.ssn)
        .Bind(11, r.ac)
        .Bind(12, std::string_view(r.source))
        .Bind(13, recorded_at)
        .Run();
  }

 private:
  SqliteSession& session_;
};

}  // namespace

void RegisterRimaRepositories(Factories* f) {
  f->Add<rima::ScoreRepository, SqliteRimaRepository>();
}

}  // namespace malchin::backends::sqlite
