// CLI commands of payments as cases (src/response/cases.cpp,
// docs/response.md "Payments as cases"): hold, cancel, release, re-issue
// and payee changes of one payment (confirmed by a second officer), a
// payment's history, the soum officer's follow-up list; and, about plans,
// who an approval would leave out (plan covered) and why a person is or is
// not paid (plan explain: the frozen list of an approved plan).
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/response_cli.h"
#include "registry/register_number.h"
#include "response/follow_up.h"

namespace malchin::cli {
namespace {

using nlohmann::json;
using response_cli::Area;
using response_cli::DateArg;
using response_cli::Db;
using response_cli::InstallmentOpt;
using response_cli::Json;
using response_cli::Mnt;
using response_cli::Open;
using response_cli::PlanOpt;
using response_cli::ReadArea;
using response_cli::Str;
using response_cli::User;

void Person(po::options_description& d) {
  d.add_options()("person", po::value<std::string>()->required(),
                  "the beneficiary's register number");
}
void Reason(po::options_description& d) {
  d.add_options()("reason", po::value<std::string>()->required(),
                  "why (recorded with the action)")(
      "on", po::value<std::string>(), "effective date (default: today)");
}

std::string Rn(const po::variables_map& vm, const char* name) {
  return registry::NormalizeRegisterNumber(Str(vm, name));
}

void PrintAction(const response::PaymentAction& a, Io& io) {
  io.out << "action " << a.id << ": " << response::Name(a.kind) << " of "
         << a.register_no
         << (a.installment ? " installment " + std::to_string(*a.installment)
                           : std::string(" (every installment)"))
         << " " << response::Name(a.status) << " (" << a.reason << ")";
  if (a.kind == response::CaseAction::kPayee) {
    io.out << "; payee " << a.payee_name << " (" << a.payee_register_no
           << "), account " << a.account;
  }
  if (a.status == response::ActionStatus::kRequested) {
    io.out << "\n  requested by " << a.requested_by
           << "; another officer confirms it: malchin payment confirm --plan "
              "... --action "
           << a.id;
  } else if (!a.decided_by.empty()) {
    io.out << "\n  requested by " << a.requested_by << ", "
           << response::Name(a.status) << " by " << a.decided_by;
  }
  io.out << "\n";
}

Status Ask(const po::variables_map& vm, Io& io, response::CaseAction kind) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  response::Transfers::CaseRequest r;
  r.plan_code = Str(vm, "plan");
  r.installment = vm.count("installment") ? vm["installment"].as<int>() : 0;
  r.register_no = Rn(vm, "person");
  r.kind = kind;
  r.reason = Str(vm, "reason");
  if (vm.count("on")) {
    MALCHIN_ASSIGN_OR_RETURN(r.effective_on, DateArg(vm, "on"));
  }
  if (kind == response::CaseAction::kPayee) {
    r.payee_register_no = Rn(vm, "payee");
    r.account = Str(vm, "account");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto a,
                           s->workflow->RequestAction(r, Str(vm, "user")));
  PrintAction(a, io);
  return Status::Ok();
}

Command AskCommand(const char* name, const char* summary,
                   response::CaseAction kind) {
  return {
      std::string("payment ") + name, summary,
      [](po::options_description& d) {
        Db(d);
        User(d);
        PlanOpt(d);
        InstallmentOpt(d);
        Person(d);
        Reason(d);
      },
      [kind](const po::variables_map& vm, Io& io) { return Ask(vm, io, kind); },
      ""};
}

Status Decide(const po::variables_map& vm, Io& io, bool confirm) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto a,
      s->workflow->DecideAction(Str(vm, "plan"), vm["action"].as<int64_t>(),
                                confirm, Str(vm, "note"), Str(vm, "user")));
  PrintAction(a, io);
  return Status::Ok();
}

json AttemptJson(const response::PaymentAttempt& a) {
  return {{"attempt", a.attempt},
          {"reference", a.reference},
          {"batch", a.batch},
          {"issued_at", a.issued_at},
          {"issued_by", a.issued_by},
          {"bank_code", a.bank_code},
          {"amount", a.amount},
          {"status", response::Name(a.status)},
          {"reason", a.reason},
          {"result_at", a.result_at},
          {"payee_register_no", a.payee_register_no},
          {"payee_name", a.payee_name},
          {"account", a.account}};
}

Status Show(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(vm, *s));
  MALCHIN_ASSIGN_OR_RETURN(
      auto c, s->response->Case(Str(vm, "plan"), vm["installment"].as<int>(),
                                Rn(vm, "person"), area));
  if (vm.count("json")) {
    json j = {{"plan", c.plan_code},
              {"installment", c.installment},
              {"register_no", c.entitlement.register_no},
              {"amount", c.amount},
              {"state", response::Name(c.view.state)},
              {"awaiting", c.view.awaiting},
              {"payee_register_no", c.payee_register_no},
              {"payee_name", c.payee_name},
              {"account", c.account},
              {"attempts", json::array()},
              {"actions", json::array()}};
    for (const auto& a : c.attempts) j["attempts"].push_back(AttemptJson(a));
    for (const auto& a : c.actions) {
      j["actions"].push_back({{"id", a.id},
                              {"kind", response::Name(a.kind)},
                              {"status", response::Name(a.status)},
                              {"reason", a.reason},
                              {"requested_by", a.requested_by},
                              {"decided_by", a.decided_by}});
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << c.plan_code << " #" << c.installment << " "
         << c.entitlement.register_no << ": MNT " << Mnt(c.amount) << ", "
         << response::Name(c.view.state)
         << (c.view.awaiting ? " (a request awaits a second officer)" : "")
         << "\n  paid to " << c.payee_name << " (" << c.payee_register_no
         << "), account " << c.account << "\n";
  if (c.line_id == 0) io.out << "  no payroll for this installment yet\n";
  for (const auto& a : c.attempts) {
    io.out << "  attempt " << a.attempt << " " << a.reference << " (batch "
           << a.batch << ", " << a.issued_at.substr(0, 10) << ", account "
           << a.account << "): " << response::Name(a.status)
           << (a.reason.empty() ? "" : " - " + a.reason) << "\n";
  }
  for (const auto& a : c.actions) {
    io.out << "  action " << a.id << " " << response::Name(a.kind) << " "
           << response::Name(a.status) << " by " << a.requested_by
           << (a.decided_by.empty() ? "" : "/" + a.decided_by) << ": "
           << a.reason << "\n";
  }
  return Status::Ok();
}

Status FollowUp(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area, ReadArea(vm, *s));
  const std::string plan = Str(vm, "plan");
  const int n = vm["installment"].as<int>();
  MALCHIN_ASSIGN_OR_RETURN(auto items, s->workflow->FollowUp(plan, n, area));
  const geo::Geography& geo = *s->context.geography;
  auto write = [&](const char* opt, const std::string& body) -> Status {
    std::ofstream f(Str(vm, opt), std::ios::binary);
    if (!(f << body)) return Status::Internal("cannot write " + Str(vm, opt));
    io.out << items.size() << " payment(s) to follow up written to "
           << Str(vm, opt) << "\n";
    return Status::Ok();
  };
  if (vm.count("csv")) {
    MALCHIN_RETURN_IF_ERROR(write("csv", response::FollowUpCsv(items, geo)));
  }
  if (vm.count("html")) {
    MALCHIN_RETURN_IF_ERROR(write(
        "html",
        response::FollowUpHtml(items, plan + " #" + std::to_string(n), geo)));
  }
  if (vm.count("csv") || vm.count("html")) return Status::Ok();
  for (const auto& i : items) {
    io.out << i.soum_code << " " << i.register_no << " " << i.name << " -> "
           << i.payee_name << " " << i.phone << ": "
           << response::SituationEn(i.reason)
           << (i.detail.empty() ? "" : " (" + i.detail + ")") << "\n";
  }
  io.out << items.size() << " payment(s) to follow up\n";
  return Status::Ok();
}

Status Covered(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto covered, s->workflow->AlreadyCovered(
                                             Str(vm, "plan"), Str(vm, "user")));
  int64_t total = 0;
  for (const auto& [code, n] : covered) {
    io.out << n << " person(s) already in approved plan " << code << "\n";
    total += n;
  }
  io.out << total
         << " person(s) the approval leaves out unless you accept paying "
            "them again (malchin plan approve --overlap accept "
            "--overlap-reason TEXT)\n";
  return Status::Ok();
}

Status Explain(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto s, Open(vm));
  MALCHIN_RETURN_IF_ERROR(ReadArea(vm, *s).status());
  std::string lang = Str(vm, "lang", "en");
  if (lang != "en" && lang != "mn") {
    return Status::InvalidArgument("--lang " + lang + ": expected en or mn");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto why, s->workflow->Explain(Str(vm, "plan"), Rn(vm, "person"),
                                     lang == "mn" ? rules::Language::kMongolian
                                                  : rules::Language::kEnglish));
  io.out << why.text << "\n";
  return Status::Ok();
}

}  // namespace

void AddResponseCasesCommands(std::vector<Command>* c) {
  c->push_back(AskCommand("hold",
                          "hold one payment out of the bank files (a second "
                          "officer confirms)",
                          response::CaseAction::kHold));
  c->push_back(AskCommand("cancel",
                          "cancel one payment for good (a second officer "
                          "confirms)",
                          response::CaseAction::kCancel));
  c->push_back(AskCommand("release",
                          "pay a held or flagged payment in the next file (a "
                          "second officer confirms)",
                          response::CaseAction::kRelease));
  c->push_back(AskCommand("reissue",
                          "send a failed or returned payment again, as a new "
                          "attempt of the same payment",
                          response::CaseAction::kReissue));
  c->push_back(
      {"payment payee",
       "pay a beneficiary's payments to another person or account (a second "
       "officer confirms)",
       [](po::options_description& d) {
         Db(d);
         User(d);
         PlanOpt(d);
         Person(d);
         d.add_options()("payee", po::value<std::string>()->required(),
                         "register number of who is paid from now on")(
             "account", po::value<std::string>(),
             "the account (default: the payee's in the register)");
         Reason(d);
       },
       [](const po::variables_map& vm, Io& io) {
         return Ask(vm, io, response::CaseAction::kPayee);
       },
       "\nA failed payment is sent again to the new payee and account, as a "
       "new attempt\nof the same payment, in the next payroll export.\n"});
  for (bool confirm : {true, false}) {
    c->push_back({confirm ? "payment confirm" : "payment reject",
                  confirm ? "confirm another officer's request on a payment"
                          : "reject another officer's request on a payment",
                  [](po::options_description& d) {
                    Db(d);
                    User(d);
                    PlanOpt(d);
                    d.add_options()("action", po::value<int64_t>()->required(),
                                    "the request's number")(
                        "note", po::value<std::string>(), "a note");
                  },
                  [confirm](const po::variables_map& vm, Io& io) {
                    return Decide(vm, io, confirm);
                  },
                  ""});
  }
  c->push_back({"payment show",
                "one payment: its attempts, actions and who is paid",
                [](po::options_description& d) {
                  Db(d);
                  User(d, false);
                  PlanOpt(d);
                  InstallmentOpt(d);
                  Person(d);
                  Json(d);
                },
                Show, ""});
  c->push_back(
      {"payment follow-up",
       "payments a soum officer must follow up: not sent (no account), "
       "failed, returned, held, flagged, awaiting a decision",
       [](po::options_description& d) {
         Db(d);
         User(d, false);
         PlanOpt(d);
         InstallmentOpt(d);
         Area(d);
         d.add_options()("csv", po::value<std::string>(), "write a CSV file")(
             "html", po::value<std::string>(), "write a printable page");
       },
       FollowUp,
       "\nWith the caregiver's phone and the last action taken. --user "
       "narrows it to the\nuser's area.\n"});
  c->push_back({"plan covered",
                "before approving: persons the plan would pay who are "
                "already in an approved plan of the same event and programme",
                [](po::options_description& d) {
                  Db(d);
                  User(d);
                  PlanOpt(d);
                },
                Covered, ""});
  c->push_back({"plan explain",
                "why a person is or is not paid by a plan (an approved plan: "
                "its frozen list)",
                [](po::options_description& d) {
                  Db(d);
                  User(d, false);
                  PlanOpt(d);
                  Person(d);
                  d.add_options()("lang", po::value<std::string>(),
                                  "en (default) or mn");
                },
                Explain, ""});
}

}  // namespace malchin::cli
