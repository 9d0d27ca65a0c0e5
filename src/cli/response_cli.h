// Internal to the CLI: what the shock-response commands share
// (response_commands.cpp, response_cases_commands.cpp): their options, the
// store with the response workflow, the area a read covers and number
// formatting.
#pragma once

#include <memory>
#include <string>

#include "cli/command.h"
#include "response/workflow.h"

namespace malchin::cli {
namespace response_cli {

inline void Db(po::options_description& d) { DbOption(d); }
inline void User(po::options_description& d, bool required = true) {
  auto v = po::value<std::string>();
  if (required) v->required();
  d.add_options()("user", v,
                  "acting user (an account of this register; maker and "
                  "checker must differ)");
}
inline void PlanOpt(po::options_description& d) {
  d.add_options()("plan", po::value<std::string>()->required(), "plan code");
}
inline void InstallmentOpt(po::options_description& d) {
  d.add_options()("installment", po::value<int>()->required(),
                  "installment number (1, 2, ...)");
}
inline void Json(po::options_description& d) {
  d.add_options()("json", "print JSON");
}
inline void Area(po::options_description& d) {
  d.add_options()("soum", po::value<std::string>(),
                  "only this soum (NSO code or name)")(
      "aimag", po::value<std::string>(), "only this aimag (NSO code or name)");
}

inline std::string Str(const po::variables_map& vm, const char* name,
                       std::string fallback = {}) {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

inline Result<Date> DateArg(const po::variables_map& vm, const char* name) {
  auto d = Date::Parse(vm[name].as<std::string>());
  if (!d.ok()) return d.status().WithContext(std::string("--") + name);
  return d;
}

// Everything a command needs: the store, the repository, the workflow.
struct Session {
  std::unique_ptr<CliDb> store;
  response::Transfers* response = nullptr;
  response::Context context;
  std::unique_ptr<response::Workflow> workflow;
};

inline Result<std::unique_ptr<Session>> Open(const po::variables_map& vm) {
  auto s = std::make_unique<Session>();
  MALCHIN_ASSIGN_OR_RETURN(s->store, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(s->context, response::Context::Embedded());
  s->workflow =
      std::make_unique<response::Workflow>(s->store->session(), s->context);
  s->response = &s->workflow->transfers();
  return s;
}

// The area a read covers: --soum/--aimag, narrowed to the user's own area.
inline Result<store::AreaFilter> ReadArea(const po::variables_map& vm,
                                          Session& s) {
  store::AreaFilter area;
  const geo::Geography& geo = *s.context.geography;
  if (vm.count("soum")) {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u, geo.Resolve(Str(vm, "soum")));
    if (u->is_aimag_level()) {
      return Status::InvalidArgument("--soum " + Str(vm, "soum") +
                                     " is an aimag; use --aimag");
    }
    area.soum_code = u->code;
  } else if (vm.count("aimag")) {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u, geo.Resolve(Str(vm, "aimag")));
    if (!u->is_aimag_level()) {
      return Status::InvalidArgument("--aimag " + Str(vm, "aimag") +
                                     " is a soum; use --soum");
    }
    area.aimag_code = u->code;
  }
  if (vm.count("user")) {
    MALCHIN_ASSIGN_OR_RETURN(response::Actor a,
                             s.workflow->ResolveActor(Str(vm, "user")));
    if (a.area.soum_code || a.area.aimag_code) {
      int32_t asked = area.soum_code ? area.soum_code : area.aimag_code;
      bool inside = area.soum_code ? a.area.Matches(area.soum_code)
                                   : (area.aimag_code == a.area.aimag_code &&
                                      a.area.soum_code == 0);
      if (asked && !inside) {
        return Status::PermissionDenied("area " + std::to_string(asked) +
                                        " is outside the area of " +
                                        a.username);
      }
      if (!inside || !asked) area = a.area;
    }
  }
  return area;
}

inline std::string Name(const geo::Geography& geo, int32_t code) {
  if (code == 0) return "Mongolia";
  const geo::Unit* u = geo.Find(code);
  return u ? u->name_en : std::to_string(code);
}

inline std::string Mnt(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
    s.insert(static_cast<size_t>(i), ",");
  }
  return (v < 0 ? "-" : "") + s;
}

}  // namespace response_cli
}  // namespace malchin::cli
