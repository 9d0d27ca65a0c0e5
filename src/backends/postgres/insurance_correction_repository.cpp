// The PostgreSQL engine's insurance::CorrectionRepository (schema:
// migration 8). Reads are scoped by the request's soum (the person's
// household's when it was requested).
#include "backends/postgres/session.h"
#include "insurance/corrections.h"

namespace malchin::backends::postgres {
namespace {

using insurance::CorrectionRequest;
using insurance::CorrectionState;

constexpr const char* kColumns =
    "r.id, r.entry_id, r.register_no, r.soum_code, r.reason, r.source, "
    "r.requested_by, r.requested_at, r.state, r.decided_by, r.decided_at, "
    "r.decision_note, r.reversal_entry_id, r.barred_checker";

Result<std::vector<CorrectionRequest>> Read(const pqxx::result& r) {
  std::vector<CorrectionRequest> out;
  for (const pqxx::row& row : r) {
    CorrectionRequest c;
    c.id = PgInt(row[0]);
    c.entry_id = PgInt(row[1]);
    c.register_no = PgText(row[2]);
    c.soum_code = static_cast<int32_t>(PgInt(row[3]));
    c.reason = PgText(row[4]);
    c.source = PgText(row[5]);
    c.requested_by = PgText(row[6]);
    c.requested_at = PgText(row[7]);
    MALCHIN_ASSIGN_OR_RETURN(c.state,
                             insurance::ParseCorrectionState(PgText(row[8])));
    c.decided_by = PgText(row[9]);
    c.decided_at = PgText(row[10]);
    c.decision_note = PgText(row[11]);
    c.reversal_entry_id = PgOptInt(row[12]).value_or(0);
    c.barred_checker = PgText(row[13]);
    out.push_back(std::move(c));
  }
  return out;
}

class PgInsuranceCorrections final : public insurance::CorrectionRepository {
 public:
  explicit PgInsuranceCorrections(PgSession& s) : s_(s) {}

  Result<int64_t> Insert(const CorrectionRequest& c) override {
    // A second pending request is expected: ON CONFLICT keeps the
    // transaction alive.
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("inscor.insert",
                    "INSERT INTO insurance_corrections (entry_id, "
                    "register_no, soum_code, reason, source, requested_by, "
                    "requested_at, state, barred_checker) VALUES ($1, $2, $3, "
                    "$4, $5, $6, $7, 'pending', $8) ON CONFLICT (entry_id) "
                    "WHERE state = 'pending' DO NOTHING RETURNING id",
                    c.entry_id, c.register_no, c.soum_code, c.reason, c.source,
                    c.requested_by, c.requested_at, c.barred_checker));
    if (r.empty()) {
      return Status::AlreadyExists("entry " + std::to_string(c.entry_id) +
                                   " already has a pending correction");
    }
    return PgInt(r[0][0]);
  }

  Result<std::optional<CorrectionRequest>> Find(int64_t id) override {
    PgArea area = s_.Area({}, "r.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("inscor.find" + area.key,
                    std::string("SELECT ") + kColumns +
                        " FROM insurance_corrections r WHERE r.id = $1 AND " +
                        area.sql,
                    id, area.value));
    MALCHIN_ASSIGN_OR_RETURN(auto all, Read(r));
    if (all.empty()) return std::optional<CorrectionRequest>();
    return std::optional<CorrectionRequest>(std::move(all.front()));
  }

  Result<std::vector<CorrectionRequest>> List(
      const store::AreaFilter& requested, std::optional<CorrectionState> state,
      int limit) override {
    PgArea area = s_.Area(requested, "r.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("inscor.list" + area.key,
                    std::string("SELECT ") + kColumns +
                        " FROM insurance_corrections r WHERE ($1::text = '' "
                        "OR r.state = $1) AND " +
                        area.sql + " ORDER BY r.id DESC LIMIT $2",
                    state ? insurance::CorrectionStateName(*state) : "",
                    std::clamp(limit, 1, 500), area.value));
    return Read(r);
  }

  Status Decide(int64_t id, CorrectionState to, std::string_view by,
                std::string_view at, std::string_view note,
                int64_t reversal_entry_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("inscor.decide",
                    "UPDATE insurance_corrections SET state = $2, decided_by "
                    "= $3, decided_at = $4, decision_note = $5, "
                    "reversal_entry_id = $6 WHERE id = $1 AND state = "
                    "'pending' RETURNING id",
                    id, insurance::CorrectionStateName(to), by, at, note,
                    reversal_entry_id ? ToPg(reversal_entry_id) : PgValue()));
    if (r.empty()) {
      return Status::FailedPrecondition("insurance correction " +
                                        std::to_string(id) + " is not pending");
    }
    return Status::Ok();
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterInsuranceCorrectionRepositories(PgFactories* f) {
  f->Add<insurance::CorrectionRepository>(
      [](PgSession& s) { return std::make_unique<PgInsuranceCorrections>(s); });
}

}  // namespace malchin::backends::postgres
