// The PostgreSQL engine's registry::CorrectionRepository (schema: migration
// 8). Reads are scoped by the proposal's soum (the household's when it was
// proposed).
#include <nlohmann/json.hpp>

#include "backends/postgres/session.h"
#include "registry/corrections.h"

namespace malchin::backends::postgres {
namespace {

using registry::CorrectionProposal;
using registry::CorrectionState;

constexpr const char* kColumns =
    "r.id, r.household_id, r.register_no, r.soum_code, r.changes_json, "
    "r.reason, r.source, r.proposed_by, r.proposed_at, r.state, "
    "r.decided_by, r.decided_at, r.decision_note, r.barred_checker";

Result<std::vector<CorrectionProposal>> Read(const pqxx::result& r) {
  std::vector<CorrectionProposal> out;
  for (const pqxx::row& row : r) {
    CorrectionProposal p;
    p.id = PgInt(row[0]);
    p.household_id = PgText(row[1]);
    p.register_no = PgText(row[2]);
    p.soum_code = static_cast<int32_t>(PgInt(row[3]));
    auto changes = nlohmann::json::parse(PgText(row[4]), nullptr, false);
    if (!changes.is_array()) {
      return Status::DataLoss("register correction " + std::to_string(p.id) +
                              ": its changes are not a JSON list");
    }
    for (const auto& c : changes) {
      p.changes.push_back(
          {c.value("field", ""), c.value("from", ""), c.value("to", "")});
    }
    p.reason = PgText(row[5]);
    p.source = PgText(row[6]);
    p.proposed_by = PgText(row[7]);
    p.proposed_at = PgText(row[8]);
    MALCHIN_ASSIGN_OR_RETURN(p.state,
                             registry::ParseCorrectionState(PgText(row[9])));
    p.decided_by = PgText(row[10]);
    p.decided_at = PgText(row[11]);
    p.decision_note = PgText(row[12]);
    p.barred_checker = PgText(row[13]);
    out.push_back(std::move(p));
  }
  return out;
}

class PgRegisterCorrections final : public registry::CorrectionRepository {
 public:
  explicit PgRegisterCorrections(PgSession& s) : s_(s) {}

  Result<int64_t> Insert(const CorrectionProposal& p) override {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : p.changes) {
      changes.push_back({{"field", c.field}, {"from", c.from}, {"to", c.to}});
    }
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("regcor.insert",
                    "INSERT INTO register_corrections (household_id, "
                    "register_no, soum_code, changes_json, reason, source, "
                    "proposed_by, proposed_at, state, barred_checker) VALUES "
                    "($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) "
                    "RETURNING id",
                    p.household_id, p.register_no, p.soum_code, changes.dump(),
                    p.reason, p.source, p.proposed_by, p.proposed_at,
                    p.barred_checker));
    if (r.empty()) return Status::Internal("INSERT ... RETURNING gave no row");
    return PgInt(r[0][0]);
  }

  Result<std::optional<CorrectionProposal>> Find(int64_t id) override {
    PgArea area = s_.Area({}, "r.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("regcor.find" + area.key,
                    std::string("SELECT ") + kColumns +
                        " FROM register_corrections r WHERE r.id = $1 AND " +
                        area.sql,
                    id, area.value));
    MALCHIN_ASSIGN_OR_RETURN(auto all, Read(r));
    if (all.empty()) return std::optional<CorrectionProposal>();
    return std::optional<CorrectionProposal>(std::move(all.front()));
  }

  Result<std::vector<CorrectionProposal>> List(
      const store::AreaFilter& requested, std::optional<CorrectionState> state,
      int limit) override {
    PgArea area = s_.Area(requested, "r.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("regcor.list" + area.key,
                    std::string("SELECT ") + kColumns +
                        " FROM register_corrections r WHERE ($1::text = '' "
                        "OR r.state = $1) AND " +
                        area.sql + " ORDER BY r.id DESC LIMIT $2",
                    state ? registry::CorrectionStateName(*state) : "",
                    std::clamp(limit, 1, 500), area.value));
    return Read(r);
  }

  Status Decide(int64_t id, CorrectionState to, std::string_view by,
                std::string_view at, std::string_view note) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("regcor.decide",
                    "UPDATE register_corrections SET state = $2, decided_by = "
                    "$3, decided_at = $4, decision_note = $5 WHERE id = $1 "
                    "AND state = 'pending' RETURNING id",
                    id, registry::CorrectionStateName(to), by, at, note));
    if (r.empty()) {
      return Status::FailedPrecondition("register correction " +
                                        std::to_string(id) + " is not pending");
    }
    return Status::Ok();
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterRegisterCorrectionRepositories(PgFactories* f) {
  f->Add<registry::CorrectionRepository>(
      [](PgSession& s) { return std::make_unique<PgRegisterCorrections>(s); });
}

}  // namespace malchin::backends::postgres
