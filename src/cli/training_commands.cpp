// CLI commands of trainings and businesses (docs/cooperatives.md):
// sessions, attendance, businesses started after them and their seed
// funds.
#include <nlohmann/json.hpp>

#include "cli/coop_cli.h"
#include "coop/json.h"
#include "coop/trainings.h"

namespace malchin::cli {
namespace {

using namespace coopcli;
using nlohmann::json;

Status Create(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::Training t;
  t.code = Str(vm, "code");
  MALCHIN_ASSIGN_OR_RETURN(t.topic, coop::ParseTrainingTopic(Str(vm, "topic")));
  t.title = Str(vm, "title");
  MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* soum,
                           o.ctx.geography->Resolve(Str(vm, "soum")));
  t.soum_code = soum->code;
  t.place = Str(vm, "place");
  MALCHIN_ASSIGN_OR_RETURN(t.starts_on, DateArg(vm, "from"));
  MALCHIN_ASSIGN_OR_RETURN(t.ends_on, DateArg(vm, "to", t.starts_on));
  t.trainer = Str(vm, "trainer");
  MALCHIN_ASSIGN_OR_RETURN(coop::Training out,
                           coop::CreateTraining(o.s(), o.ctx, o.who(), t));
  io.out << "training " << out.code << " ("
         << coop::TrainingTopicName(out.topic) << "), soum " << out.soum_code
         << ", " << out.starts_on.ToString() << ".." << out.ends_on.ToString()
         << "\n";
  return Status::Ok();
}

Status Attend(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::AttendanceResult r,
      coop::RecordAttendance(o.s(), o.who(), Str(vm, "code"),
                             vm["person"].as<std::vector<std::string>>(),
                             !vm.count("not-completed")));
  io.out << r.added << " attendee(s) added, " << r.already
         << " already recorded\n";
  return Status::Ok();
}

Status ListCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto all, coop::Trainings(o.s()));
  json list = json::array();
  for (const auto& t : all) {
    if (vm.count("json")) {
      list.push_back(coop::ToJson(t));
    } else {
      io.out << t.code << "  " << coop::TrainingTopicName(t.topic) << "  "
             << t.starts_on.ToString() << "  " << t.soum_code << "  "
             << t.attendees << " attendee(s)  " << t.title << "\n";
    }
  }
  if (vm.count("json")) io.out << list.dump(2) << "\n";
  return Status::Ok();
}

Status Show(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(coop::Training t,
                           coop::FindTraining(o.s(), Str(vm, "code")));
  MALCHIN_ASSIGN_OR_RETURN(auto people, coop::AttendanceOf(o.s(), t.code));
  if (vm.count("json")) {
    json j = coop::ToJson(t);
    j["attendance"] = json::array();
    for (const auto& a : people) j["attendance"].push_back(coop::ToJson(a));
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << t.code << ": " << t.title << ", " << t.place << ", "
         << t.starts_on.ToString() << ".." << t.ends_on.ToString() << " ("
         << t.trainer << ")\n";
  for (const auto& a : people) {
    io.out << "  " << a.register_no << "  "
           << (a.sex == registry::Sex::kMale ? "M" : "F") << "  "
           << a.birth_date.ToString() << "  "
           << (a.completed ? "completed" : "did not complete") << "  " << a.name
           << "\n";
  }
  return Status::Ok();
}

Status BusinessAdd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::Business b;
  b.code = Str(vm, "code");
  b.name = Str(vm, "name");
  b.sector = Str(vm, "sector");
  MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* soum,
                           o.ctx.geography->Resolve(Str(vm, "soum")));
  b.soum_code = soum->code;
  MALCHIN_ASSIGN_OR_RETURN(b.started_on, DateArg(vm, "started"));
  b.owner_register_no = Str(vm, "owner");
  b.training_code = Str(vm, "training");
  MALCHIN_ASSIGN_OR_RETURN(coop::Business out,
                           coop::RegisterBusiness(o.s(), o.ctx, o.who(), b));
  io.out << "business " << out.code << " (" << out.name << "), owner "
         << out.owner_register_no << ", started " << out.started_on.ToString()
         << "\n";
  return Status::Ok();
}

Status Seed(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(coop::EntryKind kind,
                           coop::ParseEntryKind(Str(vm, "kind", "grant")));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Recorded r, coop::RecordSeed(o.s(), o.who(), Str(vm, "business"),
                                         kind, on, vm["amount"].as<int64_t>(),
                                         Str(vm, "note"), Str(vm, "key")));
  io.out << "entry " << r.entry.id << ": " << coop::EntryKindName(r.entry.kind)
         << " " << Mnt(r.entry.amount) << " MNT on " << r.entry.on.ToString()
         << (r.replayed ? " [already recorded]" : "") << "\n";
  return Status::Ok();
}

Status Businesses(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto all, coop::Businesses(o.s()));
  json list = json::array();
  for (const auto& b : all) {
    if (vm.count("json")) {
      list.push_back(coop::ToJson(b));
    } else {
      io.out << b.code << "  " << b.sector << "  " << b.soum_code << "  "
             << b.owner_register_no << "  seed " << Mnt(b.seed_balance)
             << " MNT  " << b.name << "\n";
    }
  }
  if (vm.count("json")) io.out << list.dump(2) << "\n";
  return Status::Ok();
}

}  // namespace

void AddTrainingCommands(std::vector<Command>* c) {
  auto code = [](po::options_description& d) {
    d.add_options()("code", po::value<std::string>()->required(), "code");
  };
  c->push_back({"training create", "a training session",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  code(d);
                  d.add_options()("topic", po::value<std::string>()->required(),
                                  "life_skills, entrepreneurship or other")(
                      "title", po::value<std::string>()->required(), "title")(
                      "soum", po::value<std::string>()->required(), "soum")(
                      "place", po::value<std::string>(), "place")(
                      "from", po::value<std::string>()->required(),
                      "first day")("to", po::value<std::string>(),
                                   "last day (the first)")(
                      "trainer", po::value<std::string>(), "trainer");
                },
                Create, ""});
  c->push_back(
      {"training attend", "record who attended (each person once)",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         code(d);
         d.add_options()(
             "person",
             po::value<std::vector<std::string>>()->required()->multitoken(),
             "register numbers")("not-completed",
                                 "they did not complete the training");
       },
       Attend, ""});
  c->push_back({"training list", "trainings of your area",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  JsonOpt(d);
                },
                ListCmd, ""});
  c->push_back({"training show", "a training and who attended",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  code(d);
                  JsonOpt(d);
                },
                Show, ""});
  c->push_back(
      {"training business", "register a business started after a training",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         code(d);
         d.add_options()("name", po::value<std::string>()->required(), "name")(
             "sector", po::value<std::string>(), "sector, e.g. dairy")(
             "soum", po::value<std::string>()->required(), "soum")(
             "started", po::value<std::string>()->required(), "start date")(
             "owner", po::value<std::string>()->required(),
             "owner's register number")("training", po::value<std::string>(),
                                        "the training the owner attended");
       },
       BusinessAdd, ""});
  c->push_back({"training seed", "a seed grant to a business, or a repayment",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  d.add_options()(
                      "business", po::value<std::string>()->required(),
                      "business code")("kind", po::value<std::string>(),
                                       "grant (default) or repayment")(
                      "date", po::value<std::string>()->required(), "date")(
                      "amount", po::value<int64_t>()->required(), "MNT")(
                      "note", po::value<std::string>(), "note");
                  KeyOpt(d, true);
                },
                Seed, ""});
  c->push_back({"training businesses", "businesses of your area",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  JsonOpt(d);
                },
                Businesses, ""});
}

}  // namespace malchin::cli
