// CLI commands of the grievance catalogue the ministry extends
// (docs/grievance.md, "Categories and the referral directory"): list the
// categories and the referral directory, and load a file of either into
// the database (national officers and national focal points; every entry
// audited).
#include "api/grievance_json.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "grievance/service.h"

namespace malchin::cli {
namespace {

std::string Str(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : "";
}

// The service, acting as --user when given (loading needs it).
Result<std::pair<std::unique_ptr<CliDb>, const grievance::Context*>> Open(
    const po::variables_map& vm) {
  MALCHIN_ASSIGN_OR_RETURN(auto db, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx,
                           api::GrievanceContext());
  if (vm.count("user")) MALCHIN_RETURN_IF_ERROR(ActAs(*db, Str(vm, "user")));
  return std::make_pair(std::move(db), ctx);
}

Status Categories(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto opened, Open(vm));
  grievance::Service g(opened.first->session(), *opened.second);
  if (vm.count("load")) {
    std::string path = Str(vm, "load");
    MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
    MALCHIN_ASSIGN_OR_RETURN(auto cats, grievance::ParseCategories(text, path));
    MALCHIN_ASSIGN_OR_RETURN(int n, g.PutCategories(cats));
    io.out << n << " categor" << (n == 1 ? "y" : "ies") << " stored\n";
    return Status::Ok();
  }
  MALCHIN_ASSIGN_OR_RETURN(auto all, g.Categories());
  for (const auto& c : all) {
    io.out << c.code << (c.sensitive ? "  [sensitive]" : "")
           << (c.active ? "" : "  [inactive]") << "  " << c.name_mn << " / "
           << c.name_en << "  (" << c.source << ")\n";
  }
  return Status::Ok();
}

Status Directory(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto opened, Open(vm));
  grievance::Service g(opened.first->session(), *opened.second);
  if (vm.count("load")) {
    std::string path = Str(vm, "load");
    MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
    MALCHIN_ASSIGN_OR_RETURN(
        auto services,
        grievance::ParseDirectory(text, path, *opened.second->geo));
    MALCHIN_ASSIGN_OR_RETURN(int n, g.PutServices(services));
    io.out << n << " service(s) stored\n";
    return Status::Ok();
  }
  MALCHIN_ASSIGN_OR_RETURN(auto all, g.Directory());
  if (vm.count("soum"))
    all = grievance::ServicesFor(all, vm["soum"].as<int32_t>());
  for (const auto& s : all) {
    io.out << s.code << "  " << s.kind << "  area " << s.area_code << "  "
           << s.name_mn << "  " << (s.phone.empty() ? "(no phone)" : s.phone)
           << (s.verified ? "" : "  [not verified]") << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddGrievanceCatalogueCommands(std::vector<Command>* c) {
  c->push_back({"grievance categories",
                "list the complaint categories, or --load a file of them",
                [](po::options_description& d) {
                  DbOption(d);
                  d.add_options()("load", po::value<std::string>(),
                                  "a file in the format of categories.json")(
                      "user", po::value<std::string>(),
                      "acting account (needed to --load)");
                },
                Categories, ""});
  c->push_back({"grievance directory",
                "list the referral directory, or --load a file of services",
                [](po::options_description& d) {
                  DbOption(d);
                  d.add_options()("load", po::value<std::string>(),
                                  "a file in the format of "
                                  "referral_directory.json")(
                      "soum", po::value<int32_t>(),
                      "only the services for this soum")(
                      "user", po::value<std::string>(),
                      "acting account (needed to --load)");
                },
                Directory, ""});
}

}  // namespace malchin::cli
