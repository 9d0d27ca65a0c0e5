// The SQLite engine's registry::CorrectionRepository (schema: migration
// 14). Reads are scoped by the proposal's soum (the household's when it was
// proposed).
#include <nlohmann/json.hpp>

#include "backends/sqlite/session.h"
#include "registry/corrections.h"

namespace malchin::backends::sqlite {
namespace {

using registry::CorrectionProposal;
using registry::CorrectionState;

constexpr const char* kColumns =
    "r.id, r.household_id, r.register_no, r.soum_code, r.changes_json, "
    "r.reason, r.source, r.proposed_by, r.proposed_at, r.state, "
    "r.decided_by, r.decided_at, r.decision_note, r.barred_checker";

Result<CorrectionProposal> Read(const Stmt& s) {
  CorrectionProposal p;
  p.id = s.Int(0);
  p.household_id = s.Text(1);
  p.register_no = s.Text(2);
  p.soum_code = static_cast<int32_t>(s.Int(3));
  auto changes = nlohmann::json::parse(s.Text(4), nullptr, false);
  if (!changes.is_array()) {
    return Status::DataLoss("register correction " + std::to_string(p.id) +
                            ": its changes are not a JSON list");
  }
  for (const auto& c : changes) {
    p.changes.push_back(
        {c.value("field", ""), c.value("from", ""), c.value("to", "")});
  }
  p.reason = s.Text(5);
  p.source = s.Text(6);
  p.proposed_by = s.Text(7);
  p.proposed_at = s.Text(8);
  MALCHIN_ASSIGN_OR_RETURN(p.state, registry::ParseCorrectionState(s.Text(9)));
  p.decided_by = s.IsNull(10) ? "" : std::string(s.Text(10));
  p.decided_at = s.IsNull(11) ? "" : std::string(s.Text(11));
  p.decision_note = s.Text(12);
  p.barred_checker = s.Text(13);
  return p;
}

class SqliteRegisterCorrections final : public registry::CorrectionRepository {
 public:
  explicit SqliteRegisterCorrections(SqliteSession& s) : s_(s) {}

  Result<int64_t> Insert(const CorrectionProposal& p) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("regcor.insert",
                    "INSERT INTO register_corrections (household_id, "
                    "register_no, soum_code, changes_json, reason, source, "
                    "proposed_by, proposed_at, state, barred_checker) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9) "
                    "RETURNING id"));
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : p.changes) {
      changes.push_back({{"field", c.field}, {"from", c.from}, {"to", c.to}});
    }
    s->Bind(1, std::string_view(p.household_id))
        .Bind(2, std::string_view(p.register_no))
        .Bind(3, p.soum_code)
        .Bind(4, std::string_view(changes.dump()))
        .Bind(5, std::string_view(p.reason))
        .Bind(6, std::string_view(p.source))
        .Bind(7, std::string_view(p.proposed_by))
        .Bind(8, std::string_view(p.proposed_at))
        .Bind(9, std::string_view(p.barred_checker));
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Internal("INSERT ... RETURNING gave no row");
    int64_t id = s->Int(0);
    s->Reset();
    return id;
  }

  Result<std::optional<CorrectionProposal>> Find(int64_t id) override {
    AreaClause area = s_.Area({}, "r.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("regcor.find" + area.key,
                    std::string("SELECT ") + kColumns +
                        " FROM register_corrections r WHERE r.id = ?1 AND " +
                        area.sql));
    s->Bind(1, id);
    area.Bind(*s);
    MALCHIN_ASSIGN_OR_RETURN(auto all, Rows(s));
    if (all.empty()) return std::optional<CorrectionProposal>();
    return std::optional<CorrectionProposal>(std::move(all.front()));
  }

  Result<std::vector<CorrectionProposal>> List(
      const store::AreaFilter& requested, std::optional<CorrectionState> state,
      int limit) override {
    AreaClause area = s_.Area(requested, "r.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared(
            "regcor.list" + area.key,
            std::string("SELECT ") + kColumns +
                " FROM register_corrections r WHERE (?1 = '' OR r.state = ?1) "
                "AND " +
                area.sql + " ORDER BY r.id DESC LIMIT :limit"));
    s->Bind(1, state ? registry::CorrectionStateName(*state) : "")
        .BindNamed(":limit", std::clamp(limit, 1, 500));
    area.Bind(*s);
    return Rows(s);
  }

  Status Decide(int64_t id, CorrectionState to, std::string_view by,
                std::string_view at, std::string_view note) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("regcor.decide",
                    "UPDATE register_corrections SET state = ?2, decided_by "
                    "= ?3, decided_at = ?4, decision_note = ?5 WHERE id = ?1 "
                    "AND state = 'pending'"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, id)
                                .Bind(2, registry::CorrectionStateName(to))
                                .Bind(3, by)
                                .Bind(4, at)
                                .Bind(5, note)
                                .Run());
    if (s_.db().Changes() == 0) {
      return Status::FailedPrecondition("register correction " +
                                        std::to_string(id) + " is not pending");
    }
    return Status::Ok();
  }

 private:
  Result<std::vector<CorrectionProposal>> Rows(Stmt* s) {
    std::vector<CorrectionProposal> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return out;
      auto p = Read(*s);
      if (!p.ok()) {
        s->Reset();
        return p.status();
      }
      out.push_back(std::move(*p));
    }
  }

  SqliteSession& s_;
};

}  // namespace

void RegisterRegisterCorrectionRepositories(Factories* f) {
  f->Add<registry::CorrectionRepository, SqliteRegisterCorrections>();
}

}  // namespace malchin::backends::sqlite
