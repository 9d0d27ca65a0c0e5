// SQLite implementation of coop::InsurancePaymentRepository (migration
// 0020): members' insurance paid from a fund, prepared and approved.
#include "backends/sqlite/coop_sql.h"

namespace malchin::backends::sqlite {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kSelect =
    "SELECT i.id, i.coop_id, c.code, i.soum_code, i.on_date, i.members, "
    "i.note, i.amount, i.prepared_by, i.prepared_at, "
    "coalesce(i.client_key, ''), coalesce(i.approved_by, ''), "
    "coalesce(i.approved_at, ''), coalesce(i.remittance_id, 0) FROM "
    "coop_insurance_payments i JOIN coop_cooperatives c ON c.id = i.coop_id ";

Result<InsurancePayment> Read(Stmt& s) {
  InsurancePayment p;
  p.id = s.Int(0);
  p.coop_id = s.Int(1);
  p.coop_code = Text(s, 2);
  p.soum_code = static_cast<int32_t>(s.Int(3));
  p.on = DateOf(s, 4);
  p.members = Text(s, 5);
  p.note = Text(s, 6);
  p.amount = s.Int(7);
  p.prepared_by = Text(s, 8);
  p.prepared_at = Text(s, 9);
  p.client_key = Text(s, 10);
  p.approved_by = Text(s, 11);
  p.approved_at = Text(s, 12);
  p.remittance_id = s.Int(13);
  return p;
}

class SqliteInsurancePaymentRepository : public InsurancePaymentRepository {
 public:
  explicit SqliteInsurancePaymentRepository(SqliteSession& s) : s_(s) {}

  Result<int64_t> InsertInsurancePayment(const InsurancePayment& p) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.insurance_insert",
             "INSERT INTO coop_insurance_payments (coop_id, soum_code, "
             "on_date, members, note, amount, prepared_by, prepared_at, "
             "client_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
             "nullif(?9, ''))"));
    st->Bind(1, p.coop_id).Bind(2, p.soum_code).Bind(3, p.on.ToString());
    st->Bind(4, p.members).Bind(5, p.note).Bind(6, p.amount);
    st->Bind(7, p.prepared_by).Bind(8, p.prepared_at).Bind(9, p.client_key);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<InsurancePayment>> FindInsurancePayment(
      int64_t id) override {
    AreaClause area = s_.Area({}, "i.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.insurance",
             std::string(kSelect) + "WHERE i.id = ?1 AND " + area.sql, &area));
    st->Bind(1, id);
    return FirstRow<InsurancePayment>(*st, Read);
  }

  Result<std::optional<InsurancePayment>> FindInsurancePaymentByClientKey(
      std::string_view actor, std::string_view client_key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.insurance_by_key",
                        std::string(kSelect) +
                            "WHERE i.prepared_by = ?1 AND i.client_key = ?2"));
    st->Bind(1, actor).Bind(2, client_key);
    return FirstRow<InsurancePayment>(*st, Read);
  }

  Result<std::vector<InsurancePayment>> InsurancePayments(
      int64_t coop_id) override {
    AreaClause area = s_.Area({}, "i.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.insurance_of",
                        std::string(kSelect) + "WHERE i.coop_id = ?1 AND " +
                            area.sql + " ORDER BY i.id DESC",
                        &area));
    st->Bind(1, coop_id);
    return All<InsurancePayment>(*st, Read);
  }

  Status MarkInsurancePaid(int64_t id, std::string_view approver,
                           std::string_view at,
                           int64_t remittance_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.insurance_paid",
             "UPDATE coop_insurance_payments SET approved_by = ?2, "
             "approved_at = ?3, remittance_id = ?4 WHERE id = ?1 AND "
             "approved_by IS NULL"));
    st->Bind(1, id).Bind(2, approver).Bind(3, at).Bind(4, remittance_id);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    if (s_.db().Changes() != 1) {
      return Status::FailedPrecondition("insurance request " +
                                        std::to_string(id) +
                                        " is paid already / аль хэдийн төлсөн");
    }
    return Status::Ok();
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterCoopInsuranceRepositories(Factories* f) {
  f->Add<coop::InsurancePaymentRepository, SqliteInsurancePaymentRepository>();
}

}  // namespace malchin::backends::sqlite
