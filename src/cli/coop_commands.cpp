// CLI commands of cooperatives and pasture user groups (docs/
// cooperatives.md): registration, members, the contingency fund, feed
// reserves, an event's position, statistics and the demo seeding.
#include <nlohmann/json.hpp>

#include "cli/coop_cli.h"
#include "coop/cooperatives.h"
#include "coop/demo.h"
#include "coop/feed.h"
#include "coop/fund.h"
#include "coop/json.h"
#include "coop/trainings.h"
#include "insurance/schemes.h"
#include "registry/population.h"

namespace malchin::cli {
namespace {

using namespace coopcli;
using nlohmann::json;

Status Register(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::Cooperative c;
  c.code = Str(vm, "code");
  c.name = Str(vm, "name");
  MALCHIN_ASSIGN_OR_RETURN(
      c.type, coop::ParseGroupType(Str(vm, "type", "cooperative")));
  MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* soum,
                           o.ctx.geography->Resolve(Str(vm, "soum")));
  c.soum_code = soum->code;
  c.bag = Str(vm, "bag");
  c.registration_no = Str(vm, "registration-no");
  if (vm.count("registered-on")) {
    MALCHIN_ASSIGN_OR_RETURN(c.registered_on, DateArg(vm, "registered-on"));
  }
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Cooperative out,
      coop::RegisterCooperative(o.s(), o.ctx, o.who(), std::move(c)));
  io.out << "cooperative " << out.code << " (" << out.name << "), soum "
         << out.soum_code << ", registered by " << out.created_by << "\n";
  return Status::Ok();
}

Status List(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area,
                           AreaOption(vm, *o.ctx.geography));
  MALCHIN_ASSIGN_OR_RETURN(Date on,
                           DateArg(vm, "as-of", o.s().clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(auto narrow, store::NarrowScope::Make(o.s(), area));
  coop::CoopQuery q;
  q.text = Str(vm, "text");
  q.page_size = 500;
  json items = json::array();
  int64_t total = 0;
  for (q.page = 1;; ++q.page) {
    MALCHIN_ASSIGN_OR_RETURN(coop::CoopPage page,
                             coop::ListCooperatives(o.s(), q, on));
    total = page.total;
    for (const auto& s : page.items) {
      if (vm.count("json")) {
        items.push_back(coop::ToJson(s));
      } else {
        io.out << s.coop.code << "  " << s.coop.soum_code << "  "
               << coop::GroupTypeName(s.coop.type) << "  " << s.members
               << " members  " << Mnt(s.fund_balance) << " MNT  " << s.coop.name
               << "\n";
      }
    }
    if (static_cast<int64_t>(q.page) * q.page_size >= total) break;
  }
  if (vm.count("json")) {
    io.out << json{{"as_of", on.ToString()}, {"total", total}, {"items", items}}
                  .dump(2)
           << "\n";
  } else {
    io.out << total << " cooperative(s) and pasture user group(s)\n";
  }
  return Status::Ok();
}

Status Show(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(Date on,
                           DateArg(vm, "as-of", o.s().clock().Today()));
  const std::string code = Str(vm, "coop");
  MALCHIN_ASSIGN_OR_RETURN(coop::Cooperative c,
                           coop::FindCooperative(o.s(), code));
  MALCHIN_ASSIGN_OR_RETURN(auto members, coop::Members(o.s(), code, on));
  MALCHIN_ASSIGN_OR_RETURN(int64_t balance, coop::FundBalance(o.s(), code, on));
  if (vm.count("json")) {
    json j = coop::ToJson(c);
    j["as_of"] = on.ToString();
    j["fund_balance"] = balance;
    j["members"] = json::array();
    for (const auto& m : members) j["members"].push_back(coop::ToJson(m));
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << c.code << ": " << c.name << " (" << coop::GroupTypeName(c.type)
         << ", soum " << c.soum_code << ")\n"
         << "fund on " << on.ToString() << ": " << Mnt(balance) << " MNT\n"
         << members.size() << " member(s) on " << on.ToString() << ":\n";
  for (const auto& m : members) {
    io.out << "  " << m.register_no << "  " << m.household_id << "  "
           << coop::MemberRoleName(m.role) << "  since "
           << m.joined_on.ToString() << "  " << m.name << "\n";
  }
  return Status::Ok();
}

Status JoinCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::JoinRequest r;
  r.coop_code = Str(vm, "coop");
  r.register_no = Str(vm, "person");
  MALCHIN_ASSIGN_OR_RETURN(r.role,
                           coop::ParseMemberRole(Str(vm, "role", "member")));
  MALCHIN_ASSIGN_OR_RETURN(r.joined_on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(coop::Membership m, coop::Join(o.s(), o.who(), r));
  io.out << m.register_no << " (household " << m.household_id << ") joined "
         << m.coop_code << " as " << coop::MemberRoleName(m.role) << " on "
         << m.joined_on.ToString() << "\n";
  return Status::Ok();
}

Status LeaveCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Membership m,
      coop::Leave(o.s(), o.who(), Str(vm, "coop"), Str(vm, "person"), on,
                  Str(vm, "reason")));
  io.out << m.register_no << " left " << m.coop_code << " on "
         << m.left_on->ToString() << "\n";
  return Status::Ok();
}

Status RoleCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(Date from, DateArg(vm, "from"));
  MALCHIN_ASSIGN_OR_RETURN(coop::MemberRole role,
                           coop::ParseMemberRole(Str(vm, "role")));
  MALCHIN_ASSIGN_OR_RETURN(coop::Membership m,
                           coop::ChangeRole(o.s(), o.who(), Str(vm, "coop"),
                                            Str(vm, "person"), role, from));
  io.out << m.register_no << " is " << coop::MemberRoleName(m.role) << " of "
         << m.coop_code << " from " << m.joined_on.ToString() << "\n";
  return Status::Ok();
}

Status MembershipsCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto ms,
                           coop::MembershipsOf(o.s(), Str(vm, "person")));
  json list = json::array();
  for (const auto& m : ms) {
    if (vm.count("json")) {
      list.push_back(coop::ToJson(m));
      continue;
    }
    io.out << m.coop_code << "  " << coop::MemberRoleName(m.role) << "  "
           << m.joined_on.ToString() << ".."
           << (m.left_on ? m.left_on->ToString() : "") << "  " << m.coop_name
           << "\n";
  }
  if (vm.count("json")) io.out << list.dump(2) << "\n";
  if (!vm.count("json") && ms.empty()) io.out << "no memberships\n";
  return Status::Ok();
}

void PrintEntry(const coop::Recorded& r, Io& io) {
  const coop::LedgerEntry& e = r.entry;
  io.out << "entry " << e.id << ": " << coop::EntryKindName(e.kind) << " "
         << Mnt(e.amount) << " MNT on " << e.on.ToString();
  if (!e.register_no.empty()) io.out << " (" << e.register_no << ")";
  if (e.in_kind) {
    io.out << ", " << e.in_kind->quantity << " x " << e.in_kind->item;
    if (e.in_kind->unit_price) {
      io.out << " at " << Mnt(e.in_kind->unit_price) << " MNT ("
             << e.in_kind->price_source << ")";
    } else {
      io.out << " (stated value)";
    }
  }
  io.out << (r.replayed ? " [already recorded]" : "") << "\n";
}

Status Contribute(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::ContributionRequest r;
  r.coop_code = Str(vm, "coop");
  r.register_no = Str(vm, "person");
  MALCHIN_ASSIGN_OR_RETURN(r.on, DateArg(vm, "date"));
  r.item = Str(vm, "item");
  MALCHIN_ASSIGN_OR_RETURN(
      r.method, coop::ParseMethod(
                    Str(vm, "method", r.item.empty() ? "cash" : "in_kind")));
  if (vm.count("amount")) r.amount = vm["amount"].as<int64_t>();
  if (vm.count("quantity")) r.quantity = vm["quantity"].as<double>();
  r.note = Str(vm, "note");
  r.client_key = Str(vm, "key");
  MALCHIN_ASSIGN_OR_RETURN(coop::Recorded rec,
                           coop::Contribute(o.s(), o.ctx, o.who(), r));
  PrintEntry(rec, io);
  return Status::Ok();
}

Status Sales(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Recorded rec, coop::RecordSales(o.s(), o.who(), Str(vm, "coop"), on,
                                            vm["amount"].as<int64_t>(),
                                            Str(vm, "note"), Str(vm, "key")));
  PrintEntry(rec, io);
  return Status::Ok();
}

Status Reverse(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Recorded rec,
      coop::ReverseFundEntry(o.s(), o.who(), Str(vm, "coop"),
                             vm["entry"].as<int64_t>(), on, Str(vm, "reason"),
                             Str(vm, "key")));
  PrintEntry(rec, io);
  return Status::Ok();
}

Status PayInsurance(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::InsuranceFromFund r;
  r.coop_code = Str(vm, "coop");
  MALCHIN_ASSIGN_OR_RETURN(r.on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(auto scheme, insurance::ParseInsuranceScheme(
                                            Str(vm, "scheme", "health")));
  MALCHIN_ASSIGN_OR_RETURN(int32_t from,
                           insurance::ParseMonth(Str(vm, "from")));
  for (const std::string& rn : vm["person"].as<std::vector<std::string>>()) {
    insurance::MemberRequest m;
    m.register_no = rn;
    m.scheme = scheme;
    m.first_month = from;
    m.months = vm["months"].as<int>();
    if (vm.count("income")) m.declared_income = vm["income"].as<int64_t>();
    r.members.push_back(m);
  }
  r.note = Str(vm, "note");
  r.client_key = Str(vm, "key");
  MALCHIN_ASSIGN_OR_RETURN(coop::InsurancePrepared p,
                           coop::PrepareInsurance(o.s(), o.ctx, o.who(), r));
  io.out << "prepared insurance request " << p.payment.id << ": "
         << Mnt(p.payment.amount) << " MNT from the fund of " << r.coop_code
         << (p.replayed ? " [already recorded]" : "")
         << "; a second person approves it (coop approve-insurance)\n";
  return Status::Ok();
}

Status ApproveInsuranceCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  const std::string code = Str(vm, "coop");
  MALCHIN_ASSIGN_OR_RETURN(coop::InsurancePaid paid,
                           coop::ApproveInsurance(o.s(), o.ctx, o.who(), code,
                                                  vm["request"].as<int64_t>()));
  io.out << "paid " << Mnt(paid.amount) << " MNT from the fund of " << code
         << " (insurance remittance " << paid.remittance.remittance_id << ")"
         << (paid.replayed ? " [already recorded]" : "") << "\n";
  for (const auto& e : paid.entries) {
    io.out << "  " << e.register_no << "  " << Mnt(-e.amount) << " MNT\n";
  }
  return Status::Ok();
}

Status StatementCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(Date from,
                           DateArg(vm, "from", Date::FromYmd(1990, 1, 1)));
  MALCHIN_ASSIGN_OR_RETURN(Date to, DateArg(vm, "to", o.s().clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Statement st,
      coop::FundStatement(o.s(), Str(vm, "coop"), from, to, Str(vm, "person")));
  if (vm.count("json")) {
    io.out << coop::ToJson(st).dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "fund of " << st.owner
         << (st.register_no.empty() ? "" : ", member " + st.register_no) << ", "
         << from.ToString() << ".." << to.ToString() << "\n"
         << "opening  " << Mnt(st.opening) << "\n";
  for (size_t i = 0; i < st.entries.size(); ++i) {
    const auto& e = st.entries[i];
    io.out << e.on.ToString() << "  #" << e.id << "  "
           << coop::EntryKindName(e.kind) << "  " << Mnt(e.amount) << "  = "
           << Mnt(st.running[i]) << "  " << e.register_no << "\n";
  }
  io.out << "in " << Mnt(st.inflows) << ", out " << Mnt(st.outflows)
         << ", closing " << Mnt(st.closing) << "\n";
  return Status::Ok();
}

}  // namespace

void AddCoopCommands(std::vector<Command>* c) {
  auto coop_opt = [](po::options_description& d) {
    d.add_options()("coop", po::value<std::string>()->required(),
                    "cooperative code");
  };
  auto person = [](po::options_description& d) {
    d.add_options()("person", po::value<std::string>()->required(),
                    "register number");
  };
  c->push_back(
      {"coop register", "register a cooperative or pasture user group",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         d.add_options()("code", po::value<std::string>()->required(),
                         "code, e.g. 18140-01 (a-z, 0-9, -)")(
             "name", po::value<std::string>()->required(), "registered name")(
             "type", po::value<std::string>(),
             "cooperative (default) or pasture_user_group")(
             "soum", po::value<std::string>()->required(),
             "soum (NSO code or name)")("bag", po::value<std::string>(), "bag")(
             "registration-no", po::value<std::string>(),
             "state registration number")("registered-on",
                                          po::value<std::string>(),
                                          "registration date YYYY-MM-DD");
       },
       Register, ""});
  c->push_back({"coop list",
                "cooperatives of an area with members and fund balances",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  d.add_options()("soum", po::value<std::string>(), "soum")(
                      "aimag", po::value<std::string>(), "aimag")(
                      "text", po::value<std::string>(),
                      "part of the name (either script) or code")(
                      "as-of", po::value<std::string>(), "date (today)");
                  JsonOpt(d);
                },
                List, ""});
  c->push_back({"coop show", "a cooperative, its members and fund on a date",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  coop_opt(d);
                  d.add_options()("as-of", po::value<std::string>(),
                                  "date (today)");
                  JsonOpt(d);
                },
                Show, ""});
  c->push_back({"coop join", "a person joins a cooperative",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  coop_opt(d);
                  person(d);
                  d.add_options()("role", po::value<std::string>(),
                                  "member (default), chair, board, "
                                  "treasurer or auditor")(
                      "date", po::value<std::string>()->required(),
                      "joining date");
                },
                JoinCmd, ""});
  c->push_back({"coop leave", "a member leaves (their last day)",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  coop_opt(d);
                  person(d);
                  d.add_options()("date", po::value<std::string>()->required(),
                                  "last day")(
                      "reason", po::value<std::string>()->required(), "why");
                },
                LeaveCmd, ""});
  c->push_back({"coop role", "a member takes another role from a date",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  coop_opt(d);
                  person(d);
                  d.add_options()("role", po::value<std::string>()->required(),
                                  "member, chair, board, treasurer, auditor")(
                      "from", po::value<std::string>()->required(),
                      "first day in the role");
                },
                RoleCmd, ""});
  c->push_back({"coop memberships", "a person's memberships",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  person(d);
                  JsonOpt(d);
                },
                MembershipsCmd, ""});
  c->push_back(
      {"coop contribute",
       "a member's contribution to the contingency fund (cash, bank or in "
       "kind)",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         coop_opt(d);
         person(d);
         d.add_options()("date", po::value<std::string>()->required(),
                         "date paid")("method", po::value<std::string>(),
                                      "cash (default), bank or in_kind")(
             "amount", po::value<int64_t>(),
             "MNT (cash, bank), or the stated value of an in-kind item")(
             "item", po::value<std::string>(),
             "in kind: sheep, goat, cattle, horse, camel, sheep_wool, "
             "camel_wool, cashmere (priced), or anything with --amount")(
             "quantity", po::value<double>(), "head or kg")(
             "note", po::value<std::string>(), "note");
         KeyOpt(d, true);
       },
       Contribute, ""});
  c->push_back(
      {"coop sales", "an allocation from the cooperative's sales to its fund",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         coop_opt(d);
         d.add_options()("date", po::value<std::string>()->required(), "date")(
             "amount", po::value<int64_t>()->required(), "MNT")(
             "note", po::value<std::string>(), "note");
         KeyOpt(d, true);
       },
       Sales, ""});
  c->push_back(
      {"coop reverse", "reverse a contribution or sales entry (never edited)",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         coop_opt(d);
         d.add_options()("entry", po::value<int64_t>()->required(), "entry id")(
             "date", po::value<std::string>()->required(), "date")(
             "reason", po::value<std::string>()->required(), "why");
         KeyOpt(d, true);
       },
       Reverse, ""});
  c->push_back(
      {"coop pay-insurance",
       "prepare paying members' insurance contributions from the fund (a "
       "cooperative remittance, paid when a second person approves)",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         coop_opt(d);
         d.add_options()("date", po::value<std::string>()->required(), "date")(
             "scheme", po::value<std::string>(), "health (default) or social")(
             "from", po::value<std::string>()->required(),
             "first month YYYY-MM")(
             "months", po::value<int>()->default_value(1), "months")(
             "income", po::value<int64_t>(),
             "declared monthly income (social)")(
             "person",
             po::value<std::vector<std::string>>()->required()->multitoken(),
             "members' register numbers")("note", po::value<std::string>(),
                                          "note");
         KeyOpt(d, true);
       },
       PayInsurance, ""});
  c->push_back(
      {"coop approve-insurance",
       "approve a prepared insurance payment and pay it from the fund (not "
       "by who prepared it)",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         coop_opt(d);
         d.add_options()("request", po::value<int64_t>()->required(),
                         "the request's id (coop pay-insurance printed it)");
       },
       ApproveInsuranceCmd, ""});
  c->push_back(
      {"coop statement", "the fund's statement (or a member's) over a period",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, false);
         coop_opt(d);
         d.add_options()("from", po::value<std::string>(), "first day (all)")(
             "to", po::value<std::string>(), "last day (today)")(
             "person", po::value<std::string>(), "only this member's entries");
         JsonOpt(d);
       },
       StatementCmd, ""});
}

}  // namespace malchin::cli
