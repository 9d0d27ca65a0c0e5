// Internal to the CLI: what the `malchin coop`, `malchin inkind` and
// `malchin training` commands share (coop_commands.cpp, inkind_commands.cpp,
// training_commands.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "coop/service.h"

namespace malchin::cli::coopcli {

inline void UserOpt(po::options_description& d, bool required) {
  auto v = po::value<std::string>();
  if (required) v->required();
  d.add_options()("user", v,
                  required ? "acting user (an account of this register; who "
                             "prepares a distribution cannot approve it)"
                           : "read as this user (their area only)");
}
inline void JsonOpt(po::options_description& d) {
  d.add_options()("json", "print JSON");
}
// --key: optional for writes the database already keeps from repeating
// (a delivery per household); `required` for money and goods moving in a
// book or store, where only the key tells a retry from a second entry.
inline void KeyOpt(po::options_description& d, bool required = false) {
  auto* v = po::value<std::string>();
  if (required) v->required();
  d.add_options()("key", v,
                  required ? "idempotency key (required): a retry with the "
                             "same key records nothing twice"
                           : "idempotency key: a retry with the same key "
                             "records nothing twice");
}

inline std::string Str(const po::variables_map& vm, const char* name,
                       std::string fallback = {}) {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

// --name as a date; `fallback` when absent (nullopt: required).
inline Result<Date> DateArg(const po::variables_map& vm, const char* name,
                            std::optional<Date> fallback = std::nullopt) {
  if (!vm.count(name)) {
    if (fallback) return *fallback;
    return Status::InvalidArgument(std::string("--") + name +
                                   " is required (YYYY-MM-DD)");
  }
  auto d = Date::Parse(vm[name].as<std::string>());
  if (!d.ok()) return d.status().WithContext(std::string("--") + name);
  return d;
}

// 1,234,567.
inline std::string Mnt(int64_t v) {
  bool neg = v < 0;
  std::string s = std::to_string(neg ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(i, ",");
  return (neg ? "-" : "") + s;
}

// An open database, the coop context and, with --user, the acting user
// (the session's caller is then that user, seeing their area).
struct Opened {
  std::unique_ptr<CliDb> db;
  coop::Context ctx;
  std::optional<coop::Actor> actor;
  store::Session& s() { return db->session(); }
  const coop::Actor& who() const { return *actor; }
};

inline Result<Opened> Open(const po::variables_map& vm, bool need_user) {
  Opened o;
  MALCHIN_ASSIGN_OR_RETURN(o.db, OpenStore(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(o.ctx, coop::Context::Embedded());
  if (vm.count("user")) {
    MALCHIN_ASSIGN_OR_RETURN(o.actor,
                             coop::ResolveActor(o.s(), Str(vm, "user")));
  } else if (need_user) {
    return Status::InvalidArgument("--user is required", "user");
  }
  return o;
}

}  // namespace malchin::cli::coopcli
