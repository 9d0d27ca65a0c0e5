// `malchin copy`: a whole register from one database to another (SQLite to
// PostgreSQL and back), audit trail included (backends/copy.h).
#include <iomanip>
#include <nlohmann/json.hpp>

#include "backends/copy.h"
#include "cli/command.h"

namespace malchin::cli {
namespace {

Status Copy(const po::variables_map& vm, Io& io) {
  const std::string from = vm["from"].as<std::string>();
  const std::string to = vm["to"].as<std::string>();
  const bool json = vm.count("json") > 0;
  MALCHIN_ASSIGN_OR_RETURN(
      backends::CopyReport r,
      backends::CopyDatabase(
          from, to, CliActor(), [&](double f, const std::string& step) {
            if (!json) {
              io.err << "  " << std::setw(3) << static_cast<int>(f * 100)
                     << "% " << step << "\n";
            }
          }));
  if (json) {
    nlohmann::json j = {{"from", r.from}, {"to", r.to}, {"rows", r.rows()}};
    for (const auto& t : r.tables) {
      j["tables"].push_back(
          {{"name", t.name}, {"rows", t.rows}, {"checksum", t.checksum}});
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "copied " << r.from << " -> " << r.to << ": " << r.rows()
         << " rows in " << r.tables.size()
         << " tables, each counted and checksummed on both sides\n";
  for (const auto& t : r.tables) {
    io.out << "  " << std::left << std::setw(32) << t.name << std::right
           << std::setw(10) << t.rows << "  " << t.checksum.substr(0, 16)
           << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddCopyCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"copy",
       "copy a whole register to a new database (SQLite <-> PostgreSQL)",
       [](po::options_description& d) {
         d.add_options()("from", po::value<std::string>()->required(),
                         "source database (path, sqlite:PATH or "
                         "postgresql://...)")(
             "to", po::value<std::string>()->required(),
             "target database, new and empty (created for SQLite; an "
             "empty PostgreSQL database made by the administrator)")(
             "json", "print the report as JSON");
       },
       Copy,
       "\nEvery table is copied in one transaction of the target, then "
       "counted and\nchecksummed on both sides; any difference keeps "
       "nothing. Passwords in URLs\nare never printed.\n"});
}

}  // namespace malchin::cli
