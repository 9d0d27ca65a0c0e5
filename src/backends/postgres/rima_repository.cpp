// The PostgreSQL engine's rima::ScoreRepository: data access only
// (migration 0005); what a save decides is RIMA's (src/rima/repository.cpp).
#include <algorithm>

#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "rima/repository.h"

namespace malchin::backends::postgres {
namespace {

using rima::RimaModelScores;
using rima::RimaQuintile;
using rima::RimaScoreProfile;
using rima::RimaScoreRecord;
using store::AreaFilter;

constexpr const char* kColumns =
    "h.id, s.model_version, s.scored_on, s.rci, s.score_0_100, s.quintile, "
    "s.rci_structural, s.abs, s.ast, s.ssn, s.ac, s.source";

RimaScoreRecord ReadRow(const pqxx::row& r) {
  RimaScoreRecord s;
  s.household_id = PgText(r[0]);
  s.model_version = PgText(r[1]);
  s.scored_on = PgDate(r[2]);
  s.rci = PgReal(r[3]);
  s.score_0_100 = PgReal(r[4]);
  s.quintile = static_cast<int>(PgInt(r[5]));
  s.rci_structural = PgReal(r[6]);
  s.abs = PgReal(r[7]);
  s.ast = PgReal(r[8]);
  s.ssn = PgReal(r[9]);
  s.ac = PgReal(r[10]);
  s.source = PgText(r[11]);
  return s;
}

class PgRimaRepository final : public rima::ScoreRepository {
 public:
  explicit PgRimaRepository(PgSession& s) : rima::ScoreRepository(s), s_(s) {}

  Result<std::optional<RimaScoreRecord>> LatestScore(
      const AreaFilter& area, std::string_view household_id) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.latest" + a.key,
                    std::string("SELECT ") + kColumns +
                        " FROM rima_scores s JOIN households h ON h.hh = "
                        "s.hh WHERE h.id = $1 AND " +
                        a.sql + " ORDER BY s.scored_on DESC, s.id DESC LIMIT 1",
                    household_id, a.value));
    return ReadFirst<RimaScoreRecord>(rows, ReadRow);
  }

  Result<std::vector<RimaQuintile>> LatestQuintiles(
      const AreaFilter& area) override {
    PgArea a = s_.Area(area, "h.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.quintiles" + a.key,
                    "SELECT DISTINCT ON (s.hh) h.id, s.quintile, "
                    "s.model_version, s.scored_on FROM rima_scores s JOIN "
                    "households h ON h.hh = s.hh WHERE " +
                        a.sql + " ORDER BY s.hh, s.scored_on DESC, s.id DESC",
                    a.value));
    MALCHIN_ASSIGN_OR_RETURN(
        std::vector<RimaQuintile> out,
        ReadAll<RimaQuintile>(rows, [](const pqxx::row& r) {
          return RimaQuintile{PgText(r[0]), static_cast<int>(PgInt(r[1])),
                              PgText(r[2]), PgDate(r[3])};
        }));
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
      return x.household_id < y.household_id;
    });
    return out;
  }

  Result<std::vector<RimaScoreRecord>> ScoresForModel(
      const AreaFilter& area, std::string_view model_version) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.for_model" + a.key,
                    std::string("SELECT ") + kColumns +
                        " FROM rima_scores s JOIN households h ON h.hh = "
                        "s.hh WHERE s.model_version = $1 AND " +
                        a.sql + " ORDER BY h.id",
                    model_version, a.value));
    return ReadAll<RimaScoreRecord>(rows, ReadRow);
  }

  Result<std::vector<RimaModelScores>> ModelVersions(
      const AreaFilter& area) override {
    PgArea a = s_.Area(area, "h.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.versions" + a.key,
                    "SELECT s.model_version, count(*), min(s.scored_on), "
                    "max(s.scored_on) FROM rima_scores s JOIN households h "
                    "ON h.hh = s.hh WHERE " +
                        a.sql +
                        " GROUP BY s.model_version ORDER BY max(s.scored_on) "
                        "DESC, s.model_version",
                    a.value));
    return ReadAll<RimaModelScores>(rows, [](const pqxx::row& r) {
      return RimaModelScores{PgText(r[0]), PgInt(r[1]), PgDate(r[2]),
                             PgDate(r[3])};
    });
  }

  Result<std::vector<RimaScoreProfile>> ScoresWithProfile(
      const AreaFilter& area, std::string_view model_version) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared(
            "rima.profile" + a.key,
            std::string("SELECT ") + kColumns +
                ", h.soum_code, (SELECT p.sex FROM persons p WHERE p.hh = "
                "h.hh AND p.relation = 'head' AND p.deactivated_on IS NULL "
                "ORDER BY p.pid LIMIT 1) FROM rima_scores s JOIN households "
                "h ON h.hh = s.hh WHERE s.model_version = $1 AND " +
                a.sql + " ORDER BY h.id",
            model_version, a.value));
    return ReadAll<RimaScoreProfile>(rows, [](const pqxx::row& r) {
      std::string sex = PgText(r[13]);
      return RimaScoreProfile{ReadRow(r), static_cast<int32_t>(PgInt(r[12])),
                              sex.empty() ? '?' : sex[0]};
    });
  }

 protected:
  Result<std::optional<int64_t>> LocateHousehold(
      const AreaFilter& area, std::string_view household_id) override {
    PgArea a = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared(
            "rima.household" + a.key,
            "SELECT h.hh FROM households h WHERE h.id = $1 AND " + a.sql,
            household_id, a.value));
    if (rows.empty()) return std::optional<int64_t>();
    return std::optional<int64_t>(PgInt(rows[0][0]));
  }

  Result<std::optional<RimaScoreRecord>> StoredScore(
      int64_t hh, std::string_view model_version) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result rows,
        s_.Prepared("rima.stored",
                    "SELECT '', s.model_version, s.scored_on, s.rci, "
                    "s.score_0_100, s.quintile, s.rci_structural, s.abs, "
                    "s.ast, s.ssn, s.ac, s.source FROM rima_scores s WHERE "
                    "s.hh = $1 AND s.model_version = $2",
                    hh, model_version));
    return ReadFirst<RimaScoreRecord>(rows, ReadRow);
  }

  Status WriteScore(int64_t hh, const RimaScoreRecord& r, bool replace,
                    std::string_view recorded_at) override {
    const std::string name = replace ? "rima.update" : "rima.insert";
    const char* sql =
        replace ? "UPDATE rima_scores SET scored_on = $3, rci = $4, "
                  "score_0_100 = $5, quintile = $6, rci_structural = $7, abs "
                  "= $8, ast = $9, ssn = $10, ac = $11, source = $12, "
                  "recorded_at = $13 WHERE hh = $1 AND model_version = $2"
                : "INSERT INTO rima_scores (hh, model_version, scored_on, rci, "
                  "score_0_100, quintile, rci_structural, abs, ast, ssn, ac, "
                  "source, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                  "$8, $9, $10, $11, $12, $13)";
    return s_
        .Prepared(name, sql, hh, r.model_version, r.scored_on, r.rci,
                  r.score_0_100, r.quintile, r.rci_structural, r.abs, r.ast,
                  r.ssn, r.ac, r.source, recorded_at)
        .status();
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterRimaRepositories(PgFactories* f) {
  f->Add<rima::ScoreRepository>(
      [](PgSession& s) { return std::make_unique<PgRimaRepository>(s); });
}

}  // namespace malchin::backends::postgres
