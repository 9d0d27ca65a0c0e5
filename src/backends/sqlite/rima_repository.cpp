#include <ctime>

#include "backends/sqlite/session.h"
#include "rima/repository.h"

namespace malchin::backends::sqlite {
namespace {

using rima::RimaModelScores;
using rima::RimaQuintile;
using rima::RimaSaveResult;
using rima::RimaScoreProfile;
using rima::RimaScoreRecord;
using store::AreaFilter;
using store::AuditEntry;
using store::ChangeContext;

// The households of the area, as SQL over alias h; binds ?1 soum, ?2 aimag.
constexpr const char* kArea =
    "(?1 = 0 OR h.soum_code = ?1) AND (?2 = 0 OR h.soum_code / 100 = ?2)";

constexpr const char* kColumns =
    "h.id, s.model_version, s.scored_on, s.rci, s.score_0_100, s.quintile, "
    "s.rci_structural, s.abs, s.ast, s.ssn, s.ac, s.source";

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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

class SqliteRimaStore final : public rima::ScoreRepository {
 public:
  explicit SqliteRimaStore(SqliteSession& session)
      : session_(session), db_(&session.db()) {}

  Result<RimaSaveResult> SaveScores(const AreaFilter& requested,
                                    const std::vector<RimaScoreRecord>& scores,
                                    bool replace) override {
    const AreaFilter area = session_.Visible(requested);
    for (const RimaScoreRecord& r : scores) {
      if (r.quintile < 1 || r.quintile > 5 || !(r.score_0_100 >= 0) ||
          !(r.score_0_100 <= 100) || r.model_version.empty()) {
        return Status::InvalidArgument(
            "RIMA score of household " + r.household_id + ": quintile " +
            std::to_string(r.quintile) + ", score " +
            std::to_string(r.score_0_100) + ", model version '" +
            r.model_version +
            "'; expected a quintile 1..5, a score 0..100 and a version");
      }
    }
    RimaSaveResult out;
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt find_hh,
        db_->Prepare(std::string("SELECT h.hh FROM households h WHERE "
                                 "h.id = ?3 AND ") +
                     kArea));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt find_score,
        db_->Prepare("SELECT id, scored_on, rci, score_0_100, quintile, "
                     "rci_structural, abs, ast, ssn, ac, source FROM "
                     "rima_scores WHERE hh = ?1 AND model_version = ?2"));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt insert,
        db_->Prepare("INSERT INTO rima_scores (hh, model_version, scored_on, "
                     "rci, score_0_100, quintile, rci_structural, abs, ast, "
                     "ssn, ac, source, recorded_at) VALUES (?1, ?2, ?3, ?4, "
                     "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt update,
        db_->Prepare("UPDATE rima_scores SET scored_on = ?3, rci = ?4, "
                     "score_0_100 = ?5, quintile = ?6, rci_structural = ?7, "
                     "abs = ?8, ast = ?9, ssn = ?10, ac = ?11, source = ?12, "
                     "recorded_at = ?13 WHERE hh = ?1 AND model_version = ?2"));
    const std::string now = NowUtc();
    for (const RimaScoreRecord& r : scores) {
      find_hh.Bind(1, area.soum_code).Bind(2, area.aimag_code);
      find_hh.Bind(3, std::string_view(r.household_id));
      MALCHIN_ASSIGN_OR_RETURN(bool found, find_hh.Step());
      if (!found) {
        out.not_found.push_back(r.household_id);
        continue;
      }
      int64_t hh = find_hh.Int(0);
      find_hh.Reset();
      find_score.Bind(1, hh).Bind(2, std::string_view(r.model_version));
      MALCHIN_ASSIGN_OR_RETURN(bool exists, find_score.Step());
      if (exists) {
        bool same = find_score.Real(2) == r.rci &&
                    find_score.Real(3) == r.score_0_100 &&
                    find_score.Int(4) == r.quintile &&
                    find_score.Real(5) == r.rci_structural &&
                    find_score.Real(6) == r.abs &&
                    find_score.Real(7) == r.ast &&
                    find_score.Real(8) == r.ssn && find_score.Real(9) == r.ac;
        find_score.Reset();
        if (same) {
          ++out.unchanged;
          continue;
        }
        if (!replace) {
          return Status::AlreadyExists(
              "household " + r.household_id +
              " already has a different score for model version " +
              r.model_version +
              "; nothing was saved (replace it explicitly, or score with a "
              "new model version)");
        }
      }
      Stmt& s = exists ? update : insert;
      s.Bind(1, hh)
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
          .Bind(13, std::string_view(now));
      MALCHIN_RETURN_IF_ERROR(s.Run());
      ++(exists ? out.replaced : out.inserted);
    }
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Result<std::optional<RimaScoreRecord>> LatestScore(
      const AreaFilter& requested, std::string_view household_id) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(std::string("SELECT ") + kColumns +
                     " FROM rima_scores s JOIN households h ON "
                     "h.hh = s.hh WHERE h.id = ?3 AND " +
                     kArea + " ORDER BY s.scored_on DESC, s.id DESC LIMIT 1"));
    s.Bind(1, area.soum_code).Bind(2, area.aimag_code).Bind(3, household_id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<RimaScoreRecord>();
    MALCHIN_ASSIGN_OR_RETURN(RimaScoreRecord r, ReadRow(s));
    s.Reset();
    return std::optional<RimaScoreRecord>(std::move(r));
  }

  Result<std::vector<RimaQuintile>> LatestQuintiles(
      const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(
            std::string("SELECT id, quintile, model_version, scored_on FROM "
                        "(SELECT h.id AS id, s.quintile AS quintile, "
                        "s.model_version AS model_version, s.scored_on AS "
                        "scored_on, ROW_NUMBER() OVER (PARTITION BY s.hh "
                        "ORDER BY s.scored_on DESC, s.id DESC) AS n FROM "
                        "rima_scores s JOIN households h ON h.hh = s.hh "
                        "WHERE ") +
            kArea + ") WHERE n = 1 ORDER BY id"));
    s.Bind(1, area.soum_code).Bind(2, area.aimag_code);
    std::vector<RimaQuintile> out;
    while (true) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      RimaQuintile q;
      q.household_id = std::string(s.Text(0));
      q.quintile = static_cast<int>(s.Int(1));
      q.model_version = std::string(s.Text(2));
      MALCHIN_ASSIGN_OR_RETURN(q.scored_on, Date::Parse(s.Text(3)));
      out.push_back(std::move(q));
    }
    return out;
  }

  Result<std::vector<RimaScoreRecord>> ScoresForModel(
      const AreaFilter& requested, std::string_view model_version) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT ") + kColumns +
                             " FROM rima_scores s JOIN households h ON "
                             "h.hh = s.hh WHERE s.model_version = ?3 AND " +
                             kArea + " ORDER BY h.id"));
    s.Bind(1, area.soum_code).Bind(2, area.aimag_code).Bind(3, model_version);
    std::vector<RimaScoreRecord> out;
    while (true) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      MALCHIN_ASSIGN_OR_RETURN(RimaScoreRecord r, ReadRow(s));
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<std::vector<RimaModelScores>> ModelVersions(
      const AreaFilter& requested) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT s.model_version, COUNT(*), "
                                         "MIN(s.scored_on), MAX(s.scored_on) "
                                         "FROM rima_scores s JOIN households "
                                         "h ON h.hh = s.hh WHERE ") +
                             kArea +
                             " GROUP BY s.model_version ORDER BY "
                             "MAX(s.scored_on) DESC, s.model_version"));
    s.Bind(1, area.soum_code).Bind(2, area.aimag_code);
    std::vector<RimaModelScores> out;
    while (true) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      RimaModelScores m;
      m.model_version = std::string(s.Text(0));
      m.households = s.Int(1);
      MALCHIN_ASSIGN_OR_RETURN(m.first_scored_on, Date::Parse(s.Text(2)));
      MALCHIN_ASSIGN_OR_RETURN(m.last_scored_on, Date::Parse(s.Text(3)));
      out.push_back(std::move(m));
    }
    return out;
  }

  Result<std::vector<RimaScoreProfile>> ScoresWithProfile(
      const AreaFilter& requested, std::string_view model_version) override {
    const AreaFilter area = session_.Visible(requested);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare(std::string("SELECT ") + kColumns +
                     ", h.soum_code, (SELECT p.sex FROM persons p WHERE "
                     "p.hh = h.hh AND p.relation = 'head' AND "
                     "p.deactivated_on IS NULL ORDER BY p.pid LIMIT 1) "
                     "FROM rima_scores s JOIN households h ON h.hh = s.hh "
                     "WHERE s.model_version = ?3 AND " +
                     kArea + " ORDER BY h.id"));
    s.Bind(1, area.soum_code).Bind(2, area.aimag_code).Bind(3, model_version);
    std::vector<RimaScoreProfile> out;
    while (true) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      RimaScoreProfile p;
      MALCHIN_ASSIGN_OR_RETURN(p.score, ReadRow(s));
      p.soum_code = static_cast<int32_t>(s.Int(12));
      std::string_view sex = s.Text(13);
      p.head_sex = sex.empty() ? '?' : sex[0];
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  SqliteSession& session_;
  Db* db_;
};

}  // namespace

void RegisterRimaRepositories(Factories* f) {
  f->Add<rima::ScoreRepository, SqliteRimaStore>();
}

}  // namespace malchin::backends::sqlite
