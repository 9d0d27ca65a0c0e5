#include "coop/fund.h"

#include <map>

#include "coop/books.h"
#include "insurance/repository.h"
#include "registry/register_number.h"
#include "response/repository.h"

namespace malchin::coop {

using internal::AppendToBook;
using internal::CoopActedOn;
using internal::CooperativeOf;
using internal::Owner;
using internal::WriteResult;

namespace {

Owner FundOf(const Cooperative& c) {
  return Owner{Book::kFund, c.id, c.code, c.soum_code};
}

Status CheckMember(store::Session& session, const Cooperative& c,
                   const std::string& rn, Date on) {
  MALCHIN_ASSIGN_OR_RETURN(bool member,
                           internal::IsMemberOn(session, c.code, rn, on));
  if (member) return Status::Ok();
  return Status::FailedPrecondition(rn + " is not an active member of " +
                                    c.code + " on " + on.ToString() + " / " +
                                    rn + " нь " + on.ToString() + "-нд " +
                                    c.code + "-ийн гишүүн биш");
}

// The value of a contribution in kind: stated, or at the price table.
Status ValueInKind(const Context& ctx, const Cooperative& c,
                   const ContributionRequest& r, LedgerEntry* e) {
  if (r.item.empty()) {
    return Status::InvalidArgument(
        "an in-kind contribution needs the item given (e.g. sheep)", "item");
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(r.item, "item", 100));
  if (r.amount) {
    if (*r.amount <= 0 || !(r.quantity >= 0)) {
      return Status::InvalidArgument(
          "a stated value of " + std::to_string(*r.amount) +
              " MNT: expected a positive amount (and quantity not negative)",
          "amount");
    }
    e->amount = *r.amount;
    e->in_kind = InKindValue{r.item, r.quantity, 0, std::nullopt, "stated"};
    return Status::Ok();
  }
  MALCHIN_ASSIGN_OR_RETURN(
      prices::Valuation v,
      ctx.prices->Value(r.item, r.quantity, geo::AimagOfSoum(c.soum_code),
                        r.on));
  e->amount = v.amount;
  e->in_kind = InKindValue{r.item, r.quantity, v.price.unit_price, v.price.from,
                           "prices.csv: " + v.price.source};
  return Status::Ok();
}

}  // namespace

Result<Recorded> Contribute(store::Session& session, const Context& ctx,
                            const Actor& actor, const ContributionRequest& r) {
  if (r.method == Method::kNone) {
    return Status::InvalidArgument(
        "method: expected cash, bank or in_kind for a contribution", "method");
  }
  if (r.method != Method::kInKind) {
    if (!r.amount || *r.amount <= 0) {
      return Status::InvalidArgument(
          "a contribution in cash or by bank needs an amount above 0 MNT",
          "amount");
    }
    if (!r.item.empty()) {
      return Status::InvalidArgument("item '" + r.item + "' given for a " +
                                         std::string(MethodName(r.method)) +
                                         " contribution; use method in_kind",
                                     "item");
    }
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(r.note, "note", 500, true));
  return WriteResult<Recorded>(session, [&]() -> Result<Recorded> {
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, r.coop_code));
    MALCHIN_ASSIGN_OR_RETURN(PersonRef p,
                             internal::ActivePerson(session, r.register_no));
    MALCHIN_RETURN_IF_ERROR(CheckMember(session, c, p.register_no, r.on));
    LedgerEntry e;
    e.on = r.on;
    e.kind = EntryKind::kContribution;
    e.register_no = p.register_no;
    e.method = r.method;
    e.note = r.note;
    e.client_key = r.client_key;
    if (r.method == Method::kInKind) {
      MALCHIN_RETURN_IF_ERROR(ValueInKind(ctx, c, r, &e));
    } else {
      e.amount = *r.amount;
    }
    return AppendToBook(session, actor, FundOf(c), std::move(e), p.pid);
  });
}

Result<Recorded> RecordSales(store::Session& session, const Actor& actor,
                             const std::string& coop_code, Date on,
                             int64_t amount, const std::string& note,
                             const std::string& client_key) {
  if (amount <= 0) {
    return Status::InvalidArgument("an allocation from sales of " +
                                       std::to_string(amount) +
                                       " MNT: expected more than 0",
                                   "amount");
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(note, "note", 500, true));
  return WriteResult<Recorded>(session, [&]() -> Result<Recorded> {
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, coop_code));
    LedgerEntry e;
    e.on = on;
    e.kind = EntryKind::kSales;
    e.amount = amount;
    e.note = note;
    e.client_key = client_key;
    return AppendToBook(session, actor, FundOf(c), std::move(e), 0);
  });
}

Result<Recorded> ReverseFundEntry(store::Session& session, const Actor& actor,
                                  const std::string& coop_code,
                                  int64_t entry_id, Date on,
                                  const std::string& reason,
                                  const std::string& client_key) {
  return WriteResult<Recorded>(session, [&]() -> Result<Recorded> {
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, coop_code));
    return internal::ReverseInBook(
        session, actor, FundOf(c), entry_id, on, reason, client_key,
        {EntryKind::kContribution, EntryKind::kSales});
  });
}

namespace internal {

Result<InsurancePaid> ReplayInsurance(store::Session& session,
                                      const Cooperative& c,
                                      int64_t remittance_id) {
  InsurancePaid out;
  out.replayed = true;
  out.remittance.remittance_id = remittance_id;
  MALCHIN_ASSIGN_OR_RETURN(
      auto entries, session.Get<Repository>().Entries(Book::kFund, c.id));
  for (LedgerEntry& e : entries) {
    if (e.remittance_id != remittance_id) continue;
    out.amount -= e.amount;
    out.entries.push_back(std::move(e));
  }
  out.remittance.allocated = out.amount;
  return out;
}

Result<InsuranceDue> DueFromFund(store::Session& session, const Context& ctx,
                                 const Cooperative& c,
                                 const InsuranceFromFund& r) {
  if (r.members.empty() || r.members.size() > 500) {
    return Status::InvalidArgument(
        "members: expected 1 to 500 members whose contributions to pay",
        "members");
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(r.note, "note", 500, true));
  InsuranceDue out;
  insurance::RemittanceRequest& rem = out.request;
  for (insurance::MemberRequest m : r.members) {
    MALCHIN_ASSIGN_OR_RETURN(PersonRef p,
                             internal::ActivePerson(session, m.register_no));
    MALCHIN_RETURN_IF_ERROR(CheckMember(session, c, p.register_no, r.on));
    m.register_no = p.register_no;
    m.amount.reset();
    out.persons[p.register_no] = p;
    rem.members.push_back(std::move(m));
  }
  // What is due, exactly: allocate an amount larger than any due.
  rem.cooperative = c.name;
  rem.paid_on = r.on;
  rem.amount = int64_t{1} << 50;
  MALCHIN_ASSIGN_OR_RETURN(insurance::RemittanceReport due,
                           insurance::AllocateRemittance(*ctx.parameters, rem));
  if (due.allocated <= 0) {
    return Status::FailedPrecondition(
        "nothing is due for those months / тэдгээр сард төлөх шимтгэл алга");
  }
  MALCHIN_ASSIGN_OR_RETURN(int64_t balance, session.Get<Repository>().Balance(
                                                Book::kFund, c.id, r.on));
  if (balance < due.allocated) {
    return Status::FailedPrecondition(
        "the fund of " + c.code + " holds " + std::to_string(balance) +
        " MNT on " + r.on.ToString() + "; the contributions due are " +
        std::to_string(due.allocated) + " MNT / сангийн үлдэгдэл хүрэлцэхгүй");
  }
  rem.amount = due.allocated;
  rem.method = insurance::PaymentMethod::kBank;
  rem.note =
      "contingency fund of " + c.code + (r.note.empty() ? "" : ": " + r.note);
  return out;
}

Result<InsurancePaid> PayFromFund(store::Session& session, const Context& ctx,
                                  const Actor& actor, const Cooperative& c,
                                  const InsuranceFromFund& r,
                                  const std::string& remittance_key) {
  MALCHIN_RETURN_IF_ERROR(
      session.Lock(internal::LockName(BookName(Book::kFund), c.id)));
  MALCHIN_ASSIGN_OR_RETURN(InsuranceDue due, DueFromFund(session, ctx, c, r));
  due.request.client_key = remittance_key;
  InsurancePaid out;
  MALCHIN_ASSIGN_OR_RETURN(
      out.remittance,
      insurance::RecordRemittance(session.Get<insurance::Repository>(),
                                  *ctx.parameters, actor.area, due.request,
                                  {actor.username, "coop " + c.code}));
  for (const insurance::MemberAllocation& a : out.remittance.members) {
    if (a.allocated <= 0) continue;
    LedgerEntry e;
    e.on = r.on;
    e.kind = EntryKind::kInsurance;
    e.amount = -a.allocated;
    e.register_no = a.request.register_no;
    e.remittance_id = out.remittance.remittance_id;
    e.note = r.note;
    MALCHIN_ASSIGN_OR_RETURN(
        Recorded rec, AppendToBook(session, actor, FundOf(c), std::move(e),
                                   due.persons[a.request.register_no].pid));
    out.amount += a.allocated;
    out.entries.push_back(std::move(rec.entry));
  }
  return out;
}

}  // namespace internal

Result<Statement> FundStatement(store::Session& session,
                                const std::string& coop_code, Date from,
                                Date to, const std::string& register_no) {
  if (to < from) {
    return Status::InvalidArgument("a statement from " + from.ToString() +
                                       " to " + to.ToString() +
                                       ": expected from <= to",
                                   "to");
  }
  MALCHIN_ASSIGN_OR_RETURN(Cooperative c, CooperativeOf(session, coop_code));
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<LedgerEntry> entries,
      session.Get<Repository>().Entries(Book::kFund, c.id));
  return internal::StatementOf(
      c.code, entries, from, to,
      register_no.empty() ? ""
                          : registry::NormalizeRegisterNumber(register_no));
}

Result<int64_t> FundBalance(store::Session& session,
                            const std::string& coop_code, Date on) {
  MALCHIN_ASSIGN_OR_RETURN(Cooperative c, CooperativeOf(session, coop_code));
  return session.Get<Repository>().Balance(Book::kFund, c.id, on);
}

Result<EventPosition> EventPositionOf(store::Session& session,
                                      const std::string& event_code,
                                      Date as_of) {
  MALCHIN_ASSIGN_OR_RETURN(auto event,
                           session.Get<response::Repository>().FindEvent(
                               event_code, session.caller().area));
  if (!event) {
    return Status::NotFound("no shock event '" + event_code + "' / '" +
                            event_code + "' гамшгийн үйл явдал алга");
  }
  EventPosition out;
  out.event_code = event->code;
  out.event_name = event->name;
  out.as_of = as_of;
  std::map<int32_t, std::string> severity;
  std::vector<int32_t> soums;
  for (const auto& s : event->soums) {
    severity[s.soum_code] = std::string(response::Name(s.severity));
    soums.push_back(s.soum_code);
  }
  if (soums.empty()) return out;
  auto& repo = session.Get<Repository>();
  MALCHIN_ASSIGN_OR_RETURN(std::vector<CoopSummary> coops,
                           repo.CooperativesIn(soums, as_of));
  for (CoopSummary& c : coops) {
    out.fund_total += c.fund_balance;
    out.members += c.members;
    std::string sev = severity[c.coop.soum_code];
    out.cooperatives.push_back({std::move(c), std::move(sev)});
  }
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Warehouse> warehouses,
                           repo.Warehouses(soums));
  for (Warehouse& w : warehouses) {
    MALCHIN_ASSIGN_OR_RETURN(FeedStock stock, repo.Stock(w.id, as_of));
    out.hay_kg += stock.hay_kg;
    out.fodder_kg += stock.fodder_kg;
    std::string sev = severity[w.soum_code];
    out.warehouses.push_back({std::move(w), stock, std::move(sev)});
  }
  return out;
}

}  // namespace malchin::coop
