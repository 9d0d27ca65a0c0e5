// PostgreSQL implementation of coop::InsurancePaymentRepository
// (migration 0017): members' insurance paid from a fund, prepared and
// approved.
#include "backends/postgres/coop_pg.h"

namespace malchin::backends::postgres {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kSelect =
    "SELECT i.id, i.coop_id, c.code, i.soum_code, i.on_date, i.members, "
    "i.note, i.amount, i.prepared_by, i.prepared_at, "
    "coalesce(i.client_key, ''), coalesce(i.approved_by, ''), "
    "coalesce(i.approved_at, ''), coalesce(i.remittance_id, 0) FROM "
    "coop_insurance_payments i JOIN coop_cooperatives c ON c.id = i.coop_id ";

Result<InsurancePayment> Read(const pqxx::row& r) {
  InsurancePayment p;
  p.id = PgInt(r[0]);
  p.coop_id = PgInt(r[1]);
  p.coop_code = PgText(r[2]);
  p.soum_code = static_cast<int32_t>(PgInt(r[3]));
  p.on = PgDate(r[4]);
  p.members = PgText(r[5]);
  p.note = PgText(r[6]);
  p.amount = PgInt(r[7]);
  p.prepared_by = PgText(r[8]);
  p.prepared_at = PgText(r[9]);
  p.client_key = PgText(r[10]);
  p.approved_by = PgText(r[11]);
  p.approved_at = PgText(r[12]);
  p.remittance_id = PgInt(r[13]);
  return p;
}

class PgInsurancePaymentRepository : public InsurancePaymentRepository {
 public:
  explicit PgInsurancePaymentRepository(PgSession& s) : s_(s) {}

  Result<int64_t> InsertInsurancePayment(const InsurancePayment& p) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.insurance_insert",
                    "INSERT INTO coop_insurance_payments (coop_id, "
                    "soum_code, on_date, members, note, amount, prepared_by, "
                    "prepared_at, client_key) VALUES ($1, $2, $3, $4, $5, "
                    "$6, $7, $8, $9) RETURNING id",
                    p.coop_id, p.soum_code, p.on, p.members, p.note, p.amount,
                    p.prepared_by, p.prepared_at, OptText(p.client_key)));
    return ReturnedId(r);
  }

  Result<std::optional<InsurancePayment>> FindInsurancePayment(
      int64_t id) override {
    PgArea a = s_.Area({}, "i.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.insurance" + a.key,
                    std::string(kSelect) + "WHERE i.id = $1 AND " + a.sql, id,
                    a.value));
    return First<InsurancePayment>(r, Read);
  }

  Result<std::optional<InsurancePayment>> FindInsurancePaymentByClientKey(
      std::string_view actor, std::string_view client_key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.insurance_by_key",
                    std::string(kSelect) +
                        "WHERE i.prepared_by = $1 AND i.client_key = $2",
                    actor, client_key));
    return First<InsurancePayment>(r, Read);
  }

  Result<std::vector<InsurancePayment>> InsurancePayments(
      int64_t coop_id) override {
    PgArea a = s_.Area({}, "i.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.insurance_of" + a.key,
                    std::string(kSelect) + "WHERE i.coop_id = $1 AND " + a.sql +
                        " ORDER BY i.id DESC",
                    coop_id, a.value));
    return All<InsurancePayment>(r, Read);
  }

  Status MarkInsurancePaid(int64_t id, std::string_view approver,
                           std::string_view at,
                           int64_t remittance_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.insurance_paid",
                    "UPDATE coop_insurance_payments SET approved_by = $2, "
                    "approved_at = $3, remittance_id = $4 WHERE id = $1 AND "
                    "approved_by IS NULL RETURNING id",
                    id, approver, at, remittance_id));
    if (r.size() != 1) {
      return Status::FailedPrecondition("insurance request " +
                                        std::to_string(id) +
                                        " is paid already / аль хэдийн төлсөн");
    }
    return Status::Ok();
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterCoopInsuranceRepositories(PgFactories* f) {
  f->Add<coop::InsurancePaymentRepository>([](PgSession& s) {
    return std::make_unique<PgInsurancePaymentRepository>(s);
  });
}

}  // namespace malchin::backends::postgres
