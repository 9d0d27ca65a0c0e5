// CLI commands of the checkers of corrections that come from outside an
// officer's own editing (docs/grievance.md, "Fixes"): register correction
// proposals and insurance correction requests, listed, approved or rejected
// by a second officer (--user; the proposer cannot approve).
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "insurance/corrections.h"
#include "params/parameters.h"
#include "registry/corrections.h"

namespace malchin::cli {
namespace {

std::string Str(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : "";
}

Result<std::unique_ptr<CliDb>> AsUser(const po::variables_map& vm) {
  MALCHIN_ASSIGN_OR_RETURN(auto db, OpenStore(vm, false));
  MALCHIN_RETURN_IF_ERROR(ActAs(*db, Str(vm, "user")));
  return db;
}

// `decide` a correction of `what` ("register" or "insurance").
Status Decide(const po::variables_map& vm, Io& io, const std::string& what,
              bool approve) {
  MALCHIN_ASSIGN_OR_RETURN(auto db, AsUser(vm));
  int64_t id = vm["id"].as<int64_t>();
  std::string note = Str(vm, "note");
  Date today = db->session().clock().Today();
  std::string out;
  if (what == "register") {
    MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
    Result<registry::CorrectionProposal> p =
        approve
            ? registry::ApproveCorrection(db->session(), id, note, *geo, today)
            : registry::RejectCorrection(db->session(), id, note);
    MALCHIN_RETURN_IF_ERROR(p.status());
    out = registry::CorrectionJson(*p);
  } else {
    MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
    Result<insurance::CorrectionRequest> r =
        approve ? insurance::ApproveCorrection(db->session(), *params, id, note,
                                               today)
                : insurance::RejectCorrection(db->session(), id, note);
    MALCHIN_RETURN_IF_ERROR(r.status());
    out = insurance::CorrectionJson(*r);
  }
  io.out << out << "\n";
  return Status::Ok();
}

Status List(const po::variables_map& vm, Io& io, const std::string& what) {
  MALCHIN_ASSIGN_OR_RETURN(auto db, AsUser(vm));
  if (what == "register") {
    std::optional<registry::CorrectionState> state;
    if (vm.count("state")) {
      MALCHIN_ASSIGN_OR_RETURN(
          state, registry::ParseCorrectionState(Str(vm, "state")));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        auto all,
        db->Get<registry::CorrectionRepository>().List({}, state, 500));
    for (const auto& p : all) io.out << registry::CorrectionJson(p) << "\n";
    return Status::Ok();
  }
  std::optional<insurance::CorrectionState> state;
  if (vm.count("state")) {
    MALCHIN_ASSIGN_OR_RETURN(state,
                             insurance::ParseCorrectionState(Str(vm, "state")));
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto all,
      db->Get<insurance::CorrectionRepository>().List({}, state, 500));
  for (const auto& r : all) io.out << insurance::CorrectionJson(r) << "\n";
  return Status::Ok();
}

}  // namespace

void AddCorrectionCommands(std::vector<Command>* c) {
  for (std::string what : {"register", "insurance"}) {
    auto user = [](po::options_description& d) {
      DbOption(d);
      d.add_options()("user", po::value<std::string>()->required(),
                      "acting account (not the proposer, to approve)");
    };
    c->push_back({what + " correction list",
                  "list the " + what + " corrections waiting or decided",
                  [user](po::options_description& d) {
                    user(d);
                    d.add_options()("state", po::value<std::string>(),
                                    "pending, applied, rejected or withdrawn");
                  },
                  [what](const po::variables_map& vm, Io& io) {
                    return List(vm, io, what);
                  },
                  ""});
    for (bool approve : {true, false}) {
      c->push_back(
          {what + " correction " + (approve ? "approve" : "reject"),
           (approve ? "approve " : "reject ") +
               std::string(what == "register" ? "a register" : "an insurance") +
               (approve ? " correction (not its proposer)"
                        : " correction (or withdraw your own)"),
           [user](po::options_description& d) {
             user(d);
             d.add_options()("id", po::value<int64_t>()->required(),
                             "the correction's id")(
                 "note", po::value<std::string>(), "why");
           },
           [what, approve](const po::variables_map& vm, Io& io) {
             return Decide(vm, io, what, approve);
           },
           ""});
    }
  }
}

}  // namespace malchin::cli
