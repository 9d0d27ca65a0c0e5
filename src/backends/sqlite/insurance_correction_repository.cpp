// The SQLite engine's insurance::CorrectionRepository (schema: migration
// 14). Reads are scoped by the request's soum (the person's household's
// when it was requested).
#include "backends/sqlite/session.h"
#include "insurance/corrections.h"

namespace malchin::backends::sqlite {
namespace {

using insurance::CorrectionRequest;
using insurance::CorrectionState;

constexpr const char* kColumns =
    "r.id, r.entry_id, r.register_no, r.soum_code, r.reason, r.source, "
    "r.requested_by, r.requested_at, r.state, r.decided_by, r.decided_at, "
    "r.decision_note, r.reversal_entry_id, r.barred_checker";

class SqliteInsuranceCorrections final
    : public insurance::CorrectionRepository {
 public:
  explicit SqliteInsuranceCorrections(SqliteSession& s) : s_(s) {}

  Result<int64_t> Insert(const CorrectionRequest& r) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("inscor.insert",
                    "INSERT INTO insurance_corrections (entry_id, "
                    "register_no, soum_code, reason, source, requested_by, "
                    "requested_at, state, barred_checker) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6, ?7, 'pending', ?8) ON CONFLICT (entry_id) "
                    "WHERE state = "
                    "'pending' DO NOTHING RETURNING id"));
    s->Bind(1, r.entry_id)
        .Bind(2, std::string_view(r.register_no))
        .Bind(3, r.soum_code)
        .Bind(4, std::string_view(r.reason))
        .Bind(5, std::string_view(r.source))
        .Bind(6, std::string_view(r.requested_by))
        .Bind(7, std::string_view(r.requested_at))
        .Bind(8, std::string_view(r.barred_checker));
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      return Status::AlreadyExists("entry " + std::to_string(r.entry_id) +
                                   " already has a pending correction");
    }
    int64_t id = s->Int(0);
    s->Reset();
    return id;
  }

  Result<std::optional<CorrectionRequest>> Find(int64_t id) override {
    AreaClause area = s_.Area({}, "r.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("inscor.find" + area.key,
                    std::string("SELECT ") + kColumns +
                        " FROM insurance_corrections r WHERE r.id = ?1 AND " +
                        area.sql));
    s->Bind(1, id);
    area.Bind(*s);
    MALCHIN_ASSIGN_OR_RETURN(auto all, Rows(s));
    if (all.empty()) return std::optional<CorrectionRequest>();
    return std::optional<CorrectionRequest>(std::move(all.front()));
  }

  Result<std::vector<CorrectionRequest>> List(
      const store::AreaFilter& requested, std::optional<CorrectionState> state,
      int limit) override {
    AreaClause area = s_.Area(requested, "r.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared(
            "inscor.list" + area.key,
            std::string("SELECT ") + kColumns +
                " FROM insurance_corrections r WHERE (?1 = '' OR r.state = ?1) "
                "AND " +
                area.sql + " ORDER BY r.id DESC LIMIT :limit"));
    s->Bind(1, state ? insurance::CorrectionStateName(*state) : "")
        .BindNamed(":limit", std::clamp(limit, 1, 500));
    area.Bind(*s);
    return Rows(s);
  }

  Status Decide(int64_t id, CorrectionState to, std::string_view by,
                std::string_view at, std::string_view note,
                int64_t reversal_entry_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("inscor.decide",
                    "UPDATE insurance_corrections SET state = ?2, decided_by "
                    "= ?3, decided_at = ?4, decision_note = ?5, "
                    "reversal_entry_id = ?6 WHERE id = ?1 AND state = "
                    "'pending'"));
    s->Bind(1, id)
        .Bind(2, insurance::CorrectionStateName(to))
        .Bind(3, by)
        .Bind(4, at)
        .Bind(5, note);
    if (reversal_entry_id) {
      s->Bind(6, reversal_entry_id);
    } else {
      s->BindNull(6);
    }
    MALCHIN_RETURN_IF_ERROR(s->Run());
    if (s_.db().Changes() == 0) {
      return Status::FailedPrecondition("insurance correction " +
                                        std::to_string(id) + " is not pending");
    }
    return Status::Ok();
  }

 private:
  Result<std::vector<CorrectionRequest>> Rows(Stmt* s) {
    std::vector<CorrectionRequest> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return out;
      CorrectionRequest r;
      r.id = s->Int(0);
      r.entry_id = s->Int(1);
      r.register_no = s->Text(2);
      r.soum_code = static_cast<int32_t>(s->Int(3));
      r.reason = s->Text(4);
      r.source = s->Text(5);
      r.requested_by = s->Text(6);
      r.requested_at = s->Text(7);
      auto state = insurance::ParseCorrectionState(s->Text(8));
      if (!state.ok()) {
        s->Reset();
        return Status::DataLoss("insurance correction " + std::to_string(r.id) +
                                ": unknown state");
      }
      r.state = *state;
      r.decided_by = s->IsNull(9) ? "" : std::string(s->Text(9));
      r.decided_at = s->IsNull(10) ? "" : std::string(s->Text(10));
      r.decision_note = s->Text(11);
      r.reversal_entry_id = s->IsNull(12) ? 0 : s->Int(12);
      r.barred_checker = s->Text(13);
      out.push_back(std::move(r));
    }
  }

  SqliteSession& s_;
};

}  // namespace

void RegisterInsuranceCorrectionRepositories(Factories* f) {
  f->Add<insurance::CorrectionRepository, SqliteInsuranceCorrections>();
}

}  // namespace malchin::backends::sqlite
