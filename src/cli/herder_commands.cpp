// `malchin herder import-risk | import-prices | codes`: what the ministry
// imports for the herders' page (docs/herder.md) and the sign-in codes
// asked for a register number (never the code itself: the SMS is in the
// outbox, `malchin channel status --key KEY`).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "channel/outbox.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "herder/imports.h"
#include "herder/repository.h"
#include "registry/register_number.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

Status Import(const po::variables_map& vm, Io& io, bool risk) {
  std::string path = vm["file"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(auto db, OpenStore(vm, false));
  std::string name = std::filesystem::path(path).filename().string();
  herder::ImportSummary done;
  if (risk) {
    MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
    MALCHIN_ASSIGN_OR_RETURN(
        done, herder::ImportRisk(db->session(), name, text, *geo));
  } else {
    MALCHIN_ASSIGN_OR_RETURN(done,
                             herder::ImportPrices(db->session(), name, text));
  }
  io.out << "imported " << done.rows << " row(s) from " << name << "\n";
  return Status::Ok();
}

Status Codes(const po::variables_map& vm, Io& io) {
  std::string rn =
      registry::NormalizeRegisterNumber(vm["register-no"].as<std::string>());
  MALCHIN_ASSIGN_OR_RETURN(auto db, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto latest,
                           db->Get<herder::Repository>().LatestCode(rn));
  json out = nullptr;
  if (latest) {
    out = {{"register_no", latest->register_no},
           {"sent", !latest->phone.empty()},
           {"phone", latest->phone},
           {"created_at", latest->created_at},
           {"expires_at", latest->expires_at},
           {"attempts", latest->attempts},
           {"used", latest->used_at != 0},
           {"outbox_key", latest->phone.empty()
                              ? ""
                              : "herder.code." + std::to_string(latest->id)}};
  }
  io.out << out.dump(2) << "\n";
  return Status::Ok();
}

void FileOption(po::options_description& d, const char* what) {
  DbOption(d);
  d.add_options()("file", po::value<std::string>()->required(), what);
}

}  // namespace

void AddHerderCommands(std::vector<Command>* c) {
  c->push_back(
      {"herder import-risk", "import the dzud risk map by soum and date (CSV)",
       [](po::options_description& d) {
         FileOption(d, "CSV: soum_code,date,level,source");
       },
       [](const po::variables_map& vm, Io& io) { return Import(vm, io, true); },
       ""});
  c->push_back({"herder import-prices",
                "import livestock and product prices by aimag and date (CSV)",
                [](po::options_description& d) {
                  FileOption(d, "CSV: item,unit,aimag,from,price,source");
                },
                [](const po::variables_map& vm, Io& io) {
                  return Import(vm, io, false);
                },
                ""});
  c->push_back({"herder codes",
                "the latest sign-in code request of a register number (JSON; "
                "never the code)",
                [](po::options_description& d) {
                  DbOption(d);
                  d.add_options()("register-no",
                                  po::value<std::string>()->required(),
                                  "the herder's register number");
                },
                Codes, ""});
}

}  // namespace malchin::cli
