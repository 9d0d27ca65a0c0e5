// CLI commands of grievance redress (docs/grievance.md, "Command line"):
// intake, import, list, show, move, assign, accused, note, letter, stats,
// export, escalate, and the catalogue (categories, directory). Every command
// that reads or works on complaints acts as an account of the register
// (--user): the same visibility rule as on the web applies, so a confidential
// complaint is seen only by a focal point's account. `grievance escalate`
// runs as the system (the server also runs it periodically).
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/grievance_json.h"
#include "auth/roles.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "grievance/service.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

std::string Str(const po::variables_map& vm, const char* name,
                std::string fallback = {}) {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

void UserOpt(po::options_description& d) {
  d.add_options()("user", po::value<std::string>()->required(),
                  "acting account of this register (its role and area "
                  "decide what it sees)");
}
void IdOpt(po::options_description& d) {
  d.add_options()("id", po::value<int64_t>(), "complaint id")(
      "reference", po::value<std::string>(), "complaint reference (G-...)");
}
void JsonOpt(po::options_description& d) {
  d.add_options()("json", "print JSON");
}

// The database, the service and the acting account.
struct Desk {
  std::unique_ptr<CliDb> db;
  const grievance::Context* ctx = nullptr;
  std::unique_ptr<grievance::Service> service;
};

Result<Desk> Open(const po::variables_map& vm, bool as_user = true) {
  Desk d;
  MALCHIN_ASSIGN_OR_RETURN(d.db, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(d.ctx, api::GrievanceContext());
  if (as_user) MALCHIN_RETURN_IF_ERROR(ActAs(*d.db, Str(vm, "user")));
  d.service = std::make_unique<grievance::Service>(d.db->session(), *d.ctx);
  return d;
}

// The complaint named by --id or --reference.
Result<grievance::CaseView> Named(const po::variables_map& vm, Desk& d) {
  if (vm.count("id")) return d.service->Get(vm["id"].as<int64_t>());
  if (vm.count("reference")) {
    return d.service->GetByReference(Str(vm, "reference"));
  }
  return Status::InvalidArgument("give --id or --reference", "id");
}

Result<int64_t> NamedId(const po::variables_map& vm, Desk& d) {
  if (vm.count("id")) return vm["id"].as<int64_t>();
  MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, Named(vm, d));
  return v.c.id;
}

void PrintCase(const grievance::Case& c, std::ostream& out) {
  out << c.reference << "  " << grievance::CaseStateName(c.state) << "  "
      << c.category << (c.confidential ? " (confidential)" : "") << "  soum "
      << c.soum_code << "  " << grievance::LevelName(c.level)
      << " level  received " << c.received_on.ToString() << ", answer by "
      << c.resolve_by.ToString()
      << (c.assigned_to.empty() ? "" : ", assigned to " + c.assigned_to)
      << "\n";
}

// --- intake -----------------------------------------------------------------

Status Intake(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  grievance::IntakeRequest r;
  MALCHIN_ASSIGN_OR_RETURN(r.channel,
                           grievance::ParseChannel(Str(vm, "channel")));
  r.category = Str(vm, "category");
  r.soum_code = vm["soum"].as<int32_t>();
  r.summary = Str(vm, "summary");
  r.confidential = vm.count("confidential") > 0;
  grievance::Complainant& p = r.complainant;
  p.anonymous = vm.count("anonymous") > 0;
  p.register_no = Str(vm, "register-no");
  p.name = Str(vm, "name");
  p.phone = Str(vm, "phone");
  p.address = Str(vm, "address");
  if (vm.count("sex")) {
    MALCHIN_ASSIGN_OR_RETURN(p.sex, registry::ParseSex(Str(vm, "sex")));
  }
  p.birth_year = vm.count("birth-year") ? vm["birth-year"].as<int32_t>() : 0;
  p.staff = vm.count("staff") > 0;
  MALCHIN_ASSIGN_OR_RETURN(
      p.contact,
      grievance::ParseContact(
          Str(vm, "contact",
              p.anonymous ? "none" : (p.phone.empty() ? "letter" : "sms"))));
  if (vm.count("subject-kind")) {
    MALCHIN_ASSIGN_OR_RETURN(
        r.subject_kind, grievance::ParseSubjectKind(Str(vm, "subject-kind")));
    r.subject_ref = Str(vm, "subject-ref");
  }
  if (vm.count("received-on")) {
    MALCHIN_ASSIGN_OR_RETURN(r.received_on,
                             Date::Parse(Str(vm, "received-on")));
  }
  MALCHIN_ASSIGN_OR_RETURN(grievance::IntakeReceipt got, d.service->Intake(r));
  io.out << got.reference << (got.confidential ? " (confidential)" : "")
         << ": acknowledge by " << got.acknowledge_by.ToString()
         << ", answer by " << got.resolve_by.ToString() << "\n";
  if (!got.visible_to_recorder) {
    io.out << "It goes to the officers who handle it; you will not see it "
              "again.\n";
  }
  return Status::Ok();
}

Status Import(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  std::string path = Str(vm, "file");
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(grievance::BatchReport b,
                           d.service->ImportBatch(path, data));
  for (const auto& p : b.problems) {
    io.err << path << " line " << p.line << ": " << p.field
           << (p.value.empty() ? "" : " '" + p.value + "'") << ": expected "
           << p.expected << "\n";
  }
  if (!b.problems.empty()) {
    return Status::InvalidArgument(std::to_string(b.problems.size()) +
                                   " problem(s); nothing was imported");
  }
  io.out << b.imported << " complaint(s) imported, " << b.already_imported
         << " already imported before\n";
  return Status::Ok();
}

// --- reads ------------------------------------------------------------------

Status List(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  grievance::CaseQuery q;
  if (vm.count("state")) {
    MALCHIN_ASSIGN_OR_RETURN(q.state,
                             grievance::ParseCaseState(Str(vm, "state")));
  }
  q.open_only = vm.count("open") > 0;
  q.category = Str(vm, "category");
  q.page_size = 500;
  MALCHIN_ASSIGN_OR_RETURN(q.area, AreaOption(vm, *d.ctx->geo));
  MALCHIN_ASSIGN_OR_RETURN(grievance::CasePage page, d.service->List(q));
  if (vm.count("json")) {
    json items = json::array();
    for (const auto& c : page.items) items.push_back(api::CaseSummary(c));
    io.out << json({{"total", page.total}, {"items", items}}).dump(2) << "\n";
    return Status::Ok();
  }
  for (const auto& c : page.items) PrintCase(c, io.out);
  io.out << page.total << " complaint(s)\n";
  return Status::Ok();
}

Status Show(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, Named(vm, d));
  if (vm.count("json")) {
    io.out << api::CaseViewJson(v).dump(2) << "\n";
    return Status::Ok();
  }
  PrintCase(v.c, io.out);
  io.out << v.c.summary << "\n";
  for (const auto& e : v.events) {
    io.out << "  " << e.at << " " << e.actor << " "
           << grievance::EventKindName(e.kind)
           << (e.to ? " -> " + std::string(grievance::CaseStateName(*e.to))
                    : "")
           << (e.text.empty() ? "" : ": " + e.text) << "\n";
  }
  for (const auto& n : v.notices) {
    io.out << "  notice " << n.id << " " << grievance::NoticeKindName(n.kind)
           << " " << grievance::NoticeChannelName(n.channel) << " "
           << grievance::NoticeStatusName(n.status) << "\n";
  }
  for (const auto& f : v.fixes) {
    io.out << "  fix " << grievance::FixKindName(f.fix.kind) << " "
           << f.fix.target << " (" << grievance::FixCapability(f.fix.kind)
           << " " << f.fix.external_id << "): " << f.state << "\n";
  }
  return Status::Ok();
}

// --- work -------------------------------------------------------------------

Status Move(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, NamedId(vm, d));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Action a,
                           grievance::ParseAction(Str(vm, "action")));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Case c,
                           d.service->Move(id, a, Str(vm, "text")));
  PrintCase(c, io.out);
  return Status::Ok();
}

Status Assign(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, NamedId(vm, d));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Case c,
                           d.service->Assign(id, Str(vm, "to")));
  PrintCase(c, io.out);
  return Status::Ok();
}

Status Accused(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, NamedId(vm, d));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Case c,
                           d.service->NameAccused(id, Str(vm, "officer")));
  PrintCase(c, io.out);
  io.out << Str(vm, "officer") << " can no longer see this complaint.\n";
  return Status::Ok();
}

Status Note(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, NamedId(vm, d));
  MALCHIN_RETURN_IF_ERROR(d.service->AddNote(id, Str(vm, "text")));
  io.out << "noted\n";
  return Status::Ok();
}

Status Letter(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(grievance::CaseView v, Named(vm, d));
  int64_t want = vm["notice"].as<int64_t>();
  for (const auto& n : v.notices) {
    if (n.id != want || n.channel != grievance::NoticeChannel::kLetter) {
      continue;
    }
    io.out << n.text << "\n";
    if (vm.count("printed")) {
      MALCHIN_RETURN_IF_ERROR(d.service->MarkPrinted(v.c.id, n.id));
      io.err << "letter " << n.id << " marked printed\n";
    }
    return Status::Ok();
  }
  return Status::NotFound("complaint " + v.c.reference + " has no letter " +
                          std::to_string(want));
}

// --- desk
// ---------------------------------------------------------------------

Status Escalate(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm, /*as_user=*/false));
  d.db->session().SetCaller({"system", "", {}});
  MALCHIN_ASSIGN_OR_RETURN(grievance::EscalationReport r,
                           d.service->Escalate());
  io.out << r.on.ToString() << ": " << r.checked << " open complaint(s), "
         << r.escalated << " escalated (" << r.to_aimag << " to the aimag, "
         << r.to_national << " to the national level)\n";
  return Status::Ok();
}

Status Stats(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  grievance::StatsQuery q;
  MALCHIN_ASSIGN_OR_RETURN(q.facts.area, AreaOption(vm, *d.ctx->geo));
  MALCHIN_ASSIGN_OR_RETURN(q.by, grievance::ParseStatsDims(Str(vm, "by")));
  MALCHIN_ASSIGN_OR_RETURN(grievance::Stats s, d.service->Measure(q));
  auto line = [&](const grievance::StatsRow& r, const std::string& name) {
    char shares[96];
    std::snprintf(shares, sizeof shares,
                  "acknowledged in time %.0f%%, decided in time %.0f%%",
                  100 * r.ShareAcknowledgedInTime(),
                  100 * r.ShareDecidedInTime());
    io.out << name << ": " << r.cases << " case(s), " << r.open << " open, "
           << r.overdue << " overdue, " << shares
           << (r.masked ? ", " + std::to_string(r.masked) + " confidential"
                        : "")
           << "\n";
  };
  for (const auto& r : s.rows) {
    std::string name;
    for (const std::string& part :
         {r.category, r.channel,
          r.area_code ? std::to_string(r.area_code) : std::string(), r.sex,
          r.age_band}) {
      if (!part.empty()) name += (name.empty() ? "" : " / ") + part;
    }
    line(r, name.empty() ? "all" : name);
  }
  line(s.total, "total");
  return Status::Ok();
}

Status Export(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Desk d, Open(vm));
  grievance::FactQuery q;
  MALCHIN_ASSIGN_OR_RETURN(q.area, AreaOption(vm, *d.ctx->geo));
  MALCHIN_ASSIGN_OR_RETURN(std::string csv, d.service->ExportCsv(q));
  io.out << csv;
  return Status::Ok();
}

}  // namespace

void AddGrievanceCommands(std::vector<Command>* c) {
  auto area = [](po::options_description& d) {
    d.add_options()("soum", po::value<std::string>(), "only this soum")(
        "aimag", po::value<std::string>(), "only this aimag");
  };
  c->push_back(
      {"grievance intake", "record a complaint taken at the office or by phone",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d);
         d.add_options()("channel",
                         po::value<std::string>()->default_value("office"),
                         "office or hotline")(
             "category", po::value<std::string>()->required(),
             "category code (grievance categories)")(
             "soum", po::value<int32_t>()->required(), "soum code")(
             "summary", po::value<std::string>()->required(), "the complaint")(
             "anonymous", "keep no identity")(
             "register-no", po::value<std::string>(), "complainant's")(
             "name", po::value<std::string>(), "complainant's")(
             "phone", po::value<std::string>(), "8 digits")(
             "address", po::value<std::string>(), "for letters")(
             "sex", po::value<std::string>(), "F or M")(
             "birth-year", po::value<int32_t>(), "complainant's")(
             "staff", "the complainant is one of the sector's staff")(
             "contact", po::value<std::string>(), "none, letter or sms")(
             "subject-kind", po::value<std::string>(),
             "person, household, payment, plan, insurance_entry, officer")(
             "subject-ref", po::value<std::string>(), "what it is about")(
             "confidential", "confidential whatever the category")(
             "received-on", po::value<std::string>(), "date, YYYY-MM-DD");
       },
       Intake, ""});
  c->push_back({"grievance import",
                "import paper forms or KoBo submissions (CSV; all or nothing)",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  d.add_options()("file", po::value<std::string>()->required(),
                                  "the CSV file (docs/grievance.md)");
                },
                Import, ""});
  c->push_back({"grievance list", "complaints the account may see",
                [area](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  d.add_options()("state", po::value<std::string>(),
                                  "only this state")("open", "only open ones")(
                      "category", po::value<std::string>(), "only this one");
                  area(d);
                  JsonOpt(d);
                },
                List, ""});
  c->push_back({"grievance show", "a complaint with its timeline",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  IdOpt(d);
                  JsonOpt(d);
                },
                Show, ""});
  c->push_back({"grievance move",
                "acknowledge, start_review, resolve, refer, reject, close or "
                "reopen a complaint",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  IdOpt(d);
                  d.add_options()("action",
                                  po::value<std::string>()->required(),
                                  "the move")("text", po::value<std::string>(),
                                              "resolution or reason");
                },
                Move, ""});
  c->push_back({"grievance assign", "assign a complaint to an officer",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  IdOpt(d);
                  d.add_options()("to", po::value<std::string>()->required(),
                                  "user name ('' unassigns)");
                },
                Assign, ""});
  c->push_back({"grievance accused",
                "name the officer a complaint is about (focal points, aimag "
                "and national officers; once): they never see it again",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  IdOpt(d);
                  d.add_options()("officer",
                                  po::value<std::string>()->required(),
                                  "the officer's user name");
                },
                Accused, ""});
  c->push_back({"grievance note", "add a note to a complaint's timeline",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  IdOpt(d);
                  d.add_options()("text", po::value<std::string>()->required(),
                                  "the note");
                },
                Note, ""});
  c->push_back({"grievance letter",
                "print a letter to the complainant (Mongolian)",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  IdOpt(d);
                  d.add_options()("notice", po::value<int64_t>()->required(),
                                  "the letter's id (grievance show)")(
                      "printed", "mark it printed");
                },
                Letter, ""});
  c->push_back({"grievance escalate",
                "escalate every overdue complaint (as the system; the server "
                "runs it periodically)",
                [](po::options_description& d) { DbOption(d); }, Escalate, ""});
  c->push_back({"grievance stats",
                "counts, times and shares within deadlines (confidential "
                "complaints counted without detail)",
                [area](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  d.add_options()("by", po::value<std::string>(),
                                  "category,channel,soum|aimag,sex,age_band");
                  area(d);
                },
                Stats, ""});
  c->push_back({"grievance export", "the complaints of the area as CSV",
                [area](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d);
                  area(d);
                },
                Export, ""});
}

}  // namespace malchin::cli
