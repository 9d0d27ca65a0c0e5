// Members' insurance paid from a cooperative's fund, prepared by one person
// and paid when a second one approves (maker-checker). See fund.h.
#include <nlohmann/json.hpp>

#include "coop/books.h"
#include "coop/fund.h"
#include "insurance/repository.h"

namespace malchin::coop {

using internal::AuditChange;
using internal::CoopActedOn;
using internal::WriteResult;

namespace {

std::string MembersJson(const std::vector<insurance::MemberRequest>& members) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const insurance::MemberRequest& m : members) {
    out.push_back({{"register_no", m.register_no},
                   {"scheme", insurance::InsuranceSchemeName(m.scheme)},
                   {"first_month", m.first_month},
                   {"months", m.months},
                   {"declared_income", m.declared_income}});
  }
  return out.dump();
}

// The request as it was prepared. Written by MembersJson only.
Result<InsuranceFromFund> RequestOf(const InsurancePayment& p) {
  InsuranceFromFund r;
  r.coop_code = p.coop_code;
  r.on = p.on;
  r.note = p.note;
  nlohmann::json j = nlohmann::json::parse(p.members, nullptr, false);
  if (!j.is_array()) {
    return Status::Internal("insurance request " + std::to_string(p.id) +
                            ": unreadable members");
  }
  for (const auto& x : j) {
    insurance::MemberRequest m;
    m.register_no = x.value("register_no", "");
    MALCHIN_ASSIGN_OR_RETURN(
        m.scheme, insurance::ParseInsuranceScheme(x.value("scheme", "health")));
    m.first_month = x.value("first_month", 0);
    m.months = x.value("months", 1);
    m.declared_income = x.value("declared_income", int64_t{0});
    r.members.push_back(std::move(m));
  }
  return r;
}

std::string AuditOf(const InsurancePayment& p) {
  nlohmann::ordered_json j = {{"id", p.id},
                              {"coop", p.coop_code},
                              {"date", p.on.ToString()},
                              {"amount", p.amount},
                              {"members", nlohmann::json::parse(p.members)},
                              {"note", p.note},
                              {"prepared_by", p.prepared_by},
                              {"approved_by", p.approved_by},
                              {"remittance_id", p.remittance_id}};
  return j.dump();
}

}  // namespace

Result<InsurancePrepared> PrepareInsurance(store::Session& session,
                                           const Context& ctx,
                                           const Actor& actor,
                                           const InsuranceFromFund& r) {
  return WriteResult<InsurancePrepared>(
      session, [&]() -> Result<InsurancePrepared> {
        auto& repo = session.Get<InsurancePaymentRepository>();
        MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                                 CoopActedOn(session, actor, r.coop_code));
        if (!r.client_key.empty()) {
          MALCHIN_ASSIGN_OR_RETURN(
              auto found, repo.FindInsurancePaymentByClientKey(actor.username,
                                                               r.client_key));
          if (found && found->coop_id == c.id) {
            return InsurancePrepared{std::move(*found), true};
          }
          if (found) {
            return Status::AlreadyExists(
                "the idempotency key " + r.client_key +
                " was used for an insurance payment of " + found->coop_code +
                " / энэ түлхүүрийг өөр төлбөрт ашигласан");
          }
        }
        MALCHIN_ASSIGN_OR_RETURN(internal::InsuranceDue due,
                                 internal::DueFromFund(session, ctx, c, r));
        InsurancePayment p;
        p.coop_id = c.id;
        p.coop_code = c.code;
        p.soum_code = c.soum_code;
        p.on = r.on;
        p.members = MembersJson(due.request.members);
        p.note = r.note;
        p.amount = due.request.amount;
        p.prepared_by = actor.username;
        p.prepared_at = session.clock().NowIso();
        p.client_key = r.client_key;
        MALCHIN_ASSIGN_OR_RETURN(p.id, repo.InsertInsurancePayment(p));
        MALCHIN_RETURN_IF_ERROR(AuditChange(
            session, actor, "coop.insurance.prepare", "coop_insurance_payment",
            std::to_string(p.id), AuditOf(p)));
        return InsurancePrepared{std::move(p), false};
      });
}

Result<InsurancePaid> ApproveInsurance(store::Session& session,
                                       const Context& ctx, const Actor& actor,
                                       const std::string& coop_code,
                                       int64_t id) {
  return WriteResult<InsurancePaid>(session, [&]() -> Result<InsurancePaid> {
    auto& repo = session.Get<InsurancePaymentRepository>();
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, coop_code));
    MALCHIN_RETURN_IF_ERROR(session.Lock(internal::LockName("insurance", id)));
    MALCHIN_ASSIGN_OR_RETURN(auto p, repo.FindInsurancePayment(id));
    if (!p || p->coop_id != c.id) {
      return Status::NotFound("no insurance request " + std::to_string(id) +
                              " of " + c.code + " / " + c.code +
                              "-ийн даатгалын хүсэлт " + std::to_string(id) +
                              " олдсонгүй");
    }
    if (p->paid()) {
      return internal::ReplayInsurance(session, c, p->remittance_id);
    }
    if (p->prepared_by == actor.username) {
      return Status::PermissionDenied(
          "insurance request " + std::to_string(id) + " was prepared by " +
          actor.username +
          ", who cannot also approve it (maker-checker) / бэлтгэсэн хүн " +
          "өөрөө батлах боломжгүй");
    }
    MALCHIN_ASSIGN_OR_RETURN(InsuranceFromFund r, RequestOf(*p));
    MALCHIN_ASSIGN_OR_RETURN(
        InsurancePaid paid,
        internal::PayFromFund(session, ctx, actor, c, r,
                              "coop-insurance:" + std::to_string(id)));
    if (paid.amount != p->amount) {
      return Status::FailedPrecondition(
          "insurance request " + std::to_string(id) + " was prepared for " +
          std::to_string(p->amount) + " MNT; " + std::to_string(paid.amount) +
          " MNT is due now: prepare it again / дүн өөрчлөгдсөн, дахин " +
          "бэлтгэнэ үү");
    }
    MALCHIN_RETURN_IF_ERROR(
        repo.MarkInsurancePaid(id, actor.username, session.clock().NowIso(),
                               paid.remittance.remittance_id));
    p->approved_by = actor.username;
    p->remittance_id = paid.remittance.remittance_id;
    MALCHIN_RETURN_IF_ERROR(
        AuditChange(session, actor, "coop.insurance.approve",
                    "coop_insurance_payment", std::to_string(id), AuditOf(*p)));
    return paid;
  });
}

Result<std::vector<InsurancePayment>> InsurancePayments(
    store::Session& session, const std::string& coop_code) {
  MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                           internal::CooperativeOf(session, coop_code));
  return session.Get<InsurancePaymentRepository>().InsurancePayments(c.id);
}

}  // namespace malchin::coop
