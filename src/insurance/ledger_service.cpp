#include "insurance/ledger_service.h"

#include <map>
#include <set>

#include "core/clock.h"
#include "geo/geography.h"
#include "insurance/contribution_checks.h"
#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

using insurance::InsuranceScheme;
using insurance::LedgerEntry;

Status CheckMonths(int32_t months) {
  if (months < 1 || months > 120) {
    return Status::InvalidArgument(
        "months " + std::to_string(months) + ": expected 1 to 120", "months");
  }
  return Status::Ok();
}

Result<insurance::InsuredPerson> Person(insurance::Repository& ins,
                                        const store::AreaFilter& area,
                                        const std::string& rn) {
  MALCHIN_ASSIGN_OR_RETURN(auto p, ins.FindPerson(area, rn));
  if (!p) return Status::NotFound("no active person " + rn + " in the area");
  return *p;
}

// Serializes, across app servers, the decisions about one person's ledger
// (their coverage is recomputed from what is stored).
Status LockPerson(insurance::Repository& ins, const std::string& rn) {
  return ins.session().Lock("insurance.person:" + rn);
}

// The coverage of (person, scheme) after adding `added` to what is stored.
Result<std::pair<insurance::CoverageUpdate, Statement>> Recompute(
    insurance::Repository& ins, const params::ParameterSet& p,
    const store::AreaFilter& area, const std::string& rn,
    InsuranceScheme scheme, const std::vector<LedgerEntry>& added) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<LedgerEntry> all, ins.Entries(area, rn));
  for (const auto& e : added) {
    if (e.register_no == rn) all.push_back(e);
  }
  MALCHIN_ASSIGN_OR_RETURN(Statement st, ComputeStatement(p, scheme, all));
  insurance::CoverageUpdate u{rn, scheme, st.covered};
  return std::make_pair(std::move(u), std::move(st));
}

// Appends one entry with its person's recomputed coverage.
Result<PaymentReceipt> Record(insurance::Repository& ins,
                              const params::ParameterSet& p,
                              const store::AreaFilter& area, LedgerEntry e,
                              const store::ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto rc, Recompute(ins, p, area, e.register_no, e.scheme, {e}));
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<int64_t> ids,
      ins.Append(area, std::nullopt, {e}, {rc.first}, context));
  e.id = ids.at(0);
  return PaymentReceipt{e.id, std::move(e), std::move(rc.second)};
}

Status CheckPayment(const PaymentRequest& r) {
  MALCHIN_RETURN_IF_ERROR(CheckMonths(r.months));
  if (r.method == insurance::PaymentMethod::kCooperative) {
    return Status::InvalidArgument(
        "method cooperative: record a cooperative's payment with "
        "coop-remit, which allocates it to its members",
        "method");
  }
  if (r.amount && *r.amount < 0) {
    return Status::InvalidArgument(
        "amount " + std::to_string(*r.amount) +
            ": expected 0 or more MNT (corrections are reversals)",
        "amount");
  }
  if (r.declared_income < 0) {
    return Status::InvalidArgument("declared income " +
                                       std::to_string(r.declared_income) +
                                       ": expected 0 or more MNT",
                                   "declared_income");
  }
  return Status::Ok();
}

// The remittance row keeping an in-kind payment's surplus over its due as
// the payer's credit (the entry then records the due), or nullopt.
std::optional<insurance::Remittance> InKindSurplus(
    const PaymentRequest& r, const insurance::InsuredPerson& person,
    LedgerEntry& e) {
  if (r.method != insurance::PaymentMethod::kInKind || e.amount <= e.due) {
    return std::nullopt;
  }
  insurance::Remittance rem;
  rem.payer = r.payer.empty() ? person.register_no : r.payer;
  rem.paid_on = r.paid_on;
  rem.amount = e.amount;
  rem.allocated = e.due;
  rem.unallocated = e.amount - e.due;
  rem.method = r.method;
  rem.note = "in-kind surplus kept as credit";
  rem.client_key = e.client_key;  // Replays find the entry by it too.
  e.amount = e.due;
  return rem;
}

// Tells the person's household that a contribution was recorded, in the
// same transaction (store/notices.h; nothing without a messenger).
Status NotifyContribution(store::Session& session,
                          const insurance::InsuredPerson& person,
                          const LedgerEntry& e) {
  store::Notices* notices = session.notices();
  if (!notices || person.household_id.empty()) return Status::Ok();
  store::Notice n;
  n.key = "insurance.entry." + std::to_string(e.id);
  n.household_id = person.household_id;
  n.register_no = person.register_no;
  n.template_id = "insurance.contribution_recorded";
  n.values["person"] = person.register_no;
  n.values["scheme"] = e.scheme == InsuranceScheme::kSocial
                           ? "нийгмийн даатгал"
                           : "эрүүл мэндийн даатгал";
  n.values["months"] =
      FirstDayOf(e.first_month).ToString().substr(0, 7) + ".." +
      FirstDayOf(e.first_month + e.months - 1).ToString().substr(0, 7);
  n.amounts["amount"] = e.amount;
  return notices->Notify(session, n);
}

// RecordPayment inside its transaction.
Result<PaymentReceipt> Pay(insurance::Repository& ins,
                           const params::ParameterSet& p,
                           const store::AreaFilter& area,
                           const PaymentRequest& r,
                           const store::ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(insurance::InsuredPerson person,
                           Person(ins, area, r.register_no));
  LedgerEntry e;
  e.register_no = person.register_no;
  e.scheme = r.scheme;
  e.first_month = r.first_month;
  e.months = r.months;
  e.paid_on = r.paid_on;
  e.method = r.method;
  e.payer = r.payer;
  e.note = r.note;
  e.client_key = r.client_key;
  e.income_base = r.scheme == InsuranceScheme::kSocial ? r.declared_income : 0;
  MALCHIN_ASSIGN_OR_RETURN(
      e.due, DueForMonths(p, r.scheme, r.first_month, r.months, e.income_base));
  if (r.scheme == InsuranceScheme::kSocial) {
    // Record the base actually used (not below the floor).
    MALCHIN_ASSIGN_OR_RETURN(MonthlyDue d,
                             DueFor(p, r.scheme, r.first_month, e.income_base));
    e.income_base = d.income_base;
  }
  if (r.method == insurance::PaymentMethod::kInKind) {
    if (r.in_kind_item.empty()) {
      return Status::InvalidArgument(
          "an in-kind payment needs the item and quantity", "item");
    }
    if (r.amount) {
      return Status::InvalidArgument(
          "an in-kind payment is valued at the price table; give the item "
          "and quantity, not an amount",
          "amount");
    }
    insurance::InKindValuation v;
    MALCHIN_ASSIGN_OR_RETURN(
        e.amount,
        ValueInKind(p, geo::AimagOfSoum(person.soum_code), r.in_kind_item,
                    r.in_kind_quantity, r.paid_on, &v));
    e.in_kind = std::move(v);
  } else if (!r.in_kind_item.empty()) {
    return Status::InvalidArgument(
        "item " + r.in_kind_item + " given for a " +
            std::string(insurance::PaymentMethodName(r.method)) +
            " payment; use --method in_kind",
        "item");
  } else {
    e.amount = r.amount ? *r.amount : e.due;
  }
  // In kind, worth more than is due: the due on the entry, the surplus
  // kept as the payer's credit (issue #15).
  std::optional<insurance::Remittance> surplus = InKindSurplus(r, person, e);
  MALCHIN_ASSIGN_OR_RETURN(
      auto rc, Recompute(ins, p, area, e.register_no, e.scheme, {e}));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                           ins.Append(area, surplus, {e}, {rc.first}, context));
  e.id = ids.at(0);
  MALCHIN_RETURN_IF_ERROR(NotifyContribution(ins.session(), person, e));
  PaymentReceipt out{e.id, std::move(e), std::move(rc.second)};
  if (surplus) {
    out.credit = surplus->unallocated;
    MALCHIN_ASSIGN_OR_RETURN(auto stored, ins.FindEntry(area, out.entry_id));
    if (stored) out.remittance_id = stored->remittance_id;
  }
  return out;
}

// RecordRemittance inside its transaction, once allocated: the members'
// ledgers are locked (in register-number order, so two remittances never
// wait for each other in a circle) before their coverage is recomputed.
Result<RemittanceReport> Remit(insurance::Repository& ins,
                               const params::ParameterSet& p,
                               const store::AreaFilter& area,
                               const RemittanceRequest& r,
                               const store::ChangeContext& context,
                               RemittanceReport rep) {
  std::set<std::string> members;
  for (const MemberAllocation& a : rep.members) {
    members.insert(a.request.register_no);
  }
  for (const std::string& rn : members) {
    MALCHIN_RETURN_IF_ERROR(LockPerson(ins, rn));
  }
  std::vector<LedgerEntry> entries;
  std::vector<size_t> member_of_entry;
  for (size_t i = 0; i < rep.members.size(); ++i) {
    const MemberAllocation& a = rep.members[i];
    MALCHIN_ASSIGN_OR_RETURN(insurance::InsuredPerson person,
                             Person(ins, area, a.request.register_no));
    if (a.allocated == 0) continue;
    LedgerEntry e;
    e.register_no = person.register_no;
    e.scheme = a.request.scheme;
    e.first_month = a.request.first_month;
    e.months = a.request.months;
    e.paid_on = r.paid_on;
    e.amount = a.allocated;
    e.due = a.due;
    if (e.scheme == InsuranceScheme::kSocial) {
      MALCHIN_ASSIGN_OR_RETURN(MonthlyDue d, DueFor(p, e.scheme, e.first_month,
                                                    a.request.declared_income));
      e.income_base = d.income_base;
    }
    e.method = insurance::PaymentMethod::kCooperative;
    e.payer = r.cooperative;
    e.note = r.note;
    entries.push_back(std::move(e));
    member_of_entry.push_back(i);
  }
  std::set<std::pair<std::string, int>> keys;
  for (const auto& e : entries) {
    keys.insert({e.register_no, static_cast<int>(e.scheme)});
  }
  std::vector<insurance::CoverageUpdate> updates;
  for (const auto& [rn, scheme] : keys) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto rc, Recompute(ins, p, area, rn,
                           static_cast<InsuranceScheme>(scheme), entries));
    updates.push_back(std::move(rc.first));
  }
  insurance::Remittance rem;
  rem.payer = r.cooperative;
  rem.paid_on = r.paid_on;
  rem.amount = r.amount;
  rem.allocated = rep.allocated;
  rem.unallocated = rep.unallocated;
  rem.method = r.method;
  rem.note = r.note;
  rem.client_key = r.client_key;
  std::vector<int64_t> ids;
  // A remittance row is written even if every share is zero, so the
  // payment is never lost.
  MALCHIN_ASSIGN_OR_RETURN(ids,
                           ins.Append(area, rem, entries, updates, context));
  for (size_t k = 0; k < ids.size(); ++k) {
    rep.members[member_of_entry[k]].entry_id = ids[k];
  }
  if (!ids.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(auto first, ins.FindEntry(area, ids.front()));
    if (first) rep.remittance_id = first->remittance_id;
  } else if (!r.client_key.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto rem_row,
        ins.FindRemittanceByClientKey(
            context.actor.empty() ? "system" : context.actor, r.client_key));
    if (rem_row) rep.remittance_id = rem_row->id;
  }
  return rep;
}

}  // namespace

Result<PaymentReceipt> RecordPayment(insurance::Repository& ins,
                                     const params::ParameterSet& p,
                                     const store::AreaFilter& area,
                                     const PaymentRequest& r,
                                     const store::ChangeContext& context) {
  MALCHIN_RETURN_IF_ERROR(CheckPayment(r));
  MALCHIN_RETURN_IF_ERROR(CheckContribution(
      p, r, r.today.value_or(SystemClock::Instance().Today())));
  PaymentReceipt out;
  MALCHIN_RETURN_IF_ERROR(ins.session().Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(LockPerson(ins, r.register_no));
    MALCHIN_ASSIGN_OR_RETURN(out, Pay(ins, p, area, r, context));
    return Status::Ok();
  }));
  return out;
}

Result<PaymentReceipt> ReverseEntry(insurance::Repository& ins,
                                    const params::ParameterSet& p,
                                    const store::AreaFilter& area,
                                    int64_t entry_id, Date on,
                                    const std::string& reason,
                                    const store::ChangeContext& context) {
  PaymentReceipt out;
  MALCHIN_RETURN_IF_ERROR(ins.session().Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto found, ins.FindEntry(area, entry_id));
    if (!found) {
      return Status::NotFound("no insurance entry " + std::to_string(entry_id) +
                              " in the area");
    }
    MALCHIN_RETURN_IF_ERROR(CheckReversible(*found));
    if (reason.empty()) {
      return Status::InvalidArgument("a correction needs a reason", "reason");
    }
    MALCHIN_RETURN_IF_ERROR(LockPerson(ins, found->register_no));
    LedgerEntry e = *found;
    e.id = 0;
    e.reverses = entry_id;
    e.amount = -found->amount;
    e.paid_on = on;
    e.remittance_id = 0;
    e.client_key.clear();
    e.note = reason;
    MALCHIN_ASSIGN_OR_RETURN(out, Record(ins, p, area, std::move(e), context));
    return Status::Ok();
  }));
  return out;
}

Result<RemittanceReport> AllocateRemittance(const params::ParameterSet& p,
                                            const RemittanceRequest& r) {
  if (r.cooperative.empty()) {
    return Status::InvalidArgument("a remittance needs the cooperative's name",
                                   "cooperative");
  }
  if (r.amount <= 0) {
    return Status::InvalidArgument(
        "amount " + std::to_string(r.amount) + ": expected a positive MNT sum",
        "amount");
  }
  if (r.members.empty()) {
    return Status::InvalidArgument("a remittance needs at least one member",
                                   "members");
  }
  RemittanceReport rep;
  int64_t explicit_sum = 0;
  for (size_t i = 0; i < r.members.size(); ++i) {
    const MemberRequest& m = r.members[i];
    std::string where =
        "member " + std::to_string(i + 1) + " (" + m.register_no + ")";
    Status st = CheckMonths(m.months);
    if (!st.ok()) return st.WithContext(where);
    if (m.amount && *m.amount < 0) {
      return Status::InvalidArgument(where + ": amount " +
                                         std::to_string(*m.amount) +
                                         ": expected 0 or more",
                                     "amount");
    }
    MemberAllocation a;
    a.request = m;
    int64_t base = m.scheme == InsuranceScheme::kSocial ? m.declared_income : 0;
    auto due = DueForMonths(p, m.scheme, m.first_month, m.months, base);
    if (!due.ok()) return due.status().WithContext(where);
    a.due = *due;
    if (m.amount) explicit_sum += *m.amount;
    rep.members.push_back(std::move(a));
  }
  if (explicit_sum > r.amount) {
    return Status::InvalidArgument(
        "explicit member amounts total " + std::to_string(explicit_sum) +
            " MNT, more than the remittance of " + std::to_string(r.amount),
        "amount");
  }
  int64_t left = r.amount - explicit_sum;
  for (auto& a : rep.members) {
    if (a.request.amount) {
      a.allocated = *a.request.amount;
    } else {
      a.allocated = std::min(left, a.due);
      left -= a.allocated;
    }
    a.shortfall = std::max<int64_t>(0, a.due - a.allocated);
    a.excess = std::max<int64_t>(0, a.allocated - a.due);
    rep.allocated += a.allocated;
  }
  rep.unallocated = r.amount - rep.allocated;
  return rep;
}

Result<RemittanceReport> RecordRemittance(insurance::Repository& ins,
                                          const params::ParameterSet& p,
                                          const store::AreaFilter& area,
                                          const RemittanceRequest& r,
                                          const store::ChangeContext& context) {
  MALCHIN_RETURN_IF_ERROR(CheckRemittanceContributions(
      p, r, r.today.value_or(SystemClock::Instance().Today())));
  MALCHIN_ASSIGN_OR_RETURN(const RemittanceReport allocated,
                           AllocateRemittance(p, r));
  RemittanceReport rep;
  MALCHIN_RETURN_IF_ERROR(ins.session().Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(rep, Remit(ins, p, area, r, context, allocated));
    return Status::Ok();
  }));
  return rep;
}

Result<PersonPension> PensionInputFor(insurance::Repository& ins,
                                      const params::ParameterSet& p,
                                      const store::AreaFilter& area,
                                      const std::string& register_no,
                                      Date as_of) {
  PersonPension out;
  MALCHIN_ASSIGN_OR_RETURN(out.person, Person(ins, area, register_no));
  PensionInput& in = out.input;
  in.as_of = as_of;
  in.birth_date = out.person.birth_date;
  in.sex = out.person.sex;
  MALCHIN_ASSIGN_OR_RETURN(
      Statement st,
      StatementFor(ins, p, area, register_no, InsuranceScheme::kSocial));
  MALCHIN_ASSIGN_OR_RETURN(auto credits, ins.ServiceCredits(area, register_no));
  int32_t months = st.covered_months, herding = 0;
  for (const auto& c : credits) {
    months += c.months;
    herding += c.herding_months;
  }
  if (out.person.herder) herding += st.covered_months;
  in.past_years = months / 12.0;
  in.past_herding_years = herding / 12.0;
  in.insured_income = st.insured_income;
  // Credits carry an average income; their months fill the window.
  for (const auto& c : credits) {
    if (!c.average_income) continue;
    for (int32_t m = c.until_month - c.months + 1; m <= c.until_month; ++m) {
      in.insured_income.push_back({m, c.average_income});
    }
  }
  if (!st.insured_income.empty()) {
    in.declared_income = st.insured_income.back().second;
  }
  return out;
}

Result<Statement> StatementFor(insurance::Repository& ins,
                               const params::ParameterSet& p,
                               const store::AreaFilter& area,
                               const std::string& register_no,
                               insurance::InsuranceScheme scheme) {
  MALCHIN_RETURN_IF_ERROR(Person(ins, area, register_no).status());
  MALCHIN_ASSIGN_OR_RETURN(auto entries, ins.Entries(area, register_no));
  return ComputeStatement(p, scheme, entries);
}

}  // namespace malchin::insurance
