#include "registry/corrections.h"

#include <nlohmann/json.hpp>

#include "registry/repository.h"

namespace malchin::registry {
namespace {

using nlohmann::json;

constexpr std::string_view kStates[] = {"pending", "applied", "rejected",
                                        "withdrawn"};
constexpr std::string_view kSpeciesFields[] = {"camels", "horses", "cattle",
                                               "sheep", "goats"};

Status Bad(std::string_view field, const std::string& value,
           const std::string& expected) {
  return Status::InvalidArgument(
      std::string(field) + " '" + value + "': expected " + expected,
      std::string(field));
}

Result<bool> Flag(std::string_view field, const std::string& v) {
  if (v == "1" || v == "true") return true;
  if (v == "0" || v == "false") return false;
  return Bad(field, v, "1 or 0");
}

Result<int32_t> Count(std::string_view field, const std::string& v) {
  bool digits = !v.empty() && v.size() <= 9 &&
                v.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) return Bad(field, v, "a whole number of 0 or more");
  return static_cast<int32_t>(std::stol(v));
}

int SpeciesIndex(std::string_view field) {
  for (int i = 0; i < kSpeciesCount; ++i) {
    if (kSpeciesFields[i] == field) return i;
  }
  return -1;
}

Status Unknown(std::string_view field, bool person) {
  return Status::InvalidArgument(
      "field '" + std::string(field) + "' cannot be corrected on a " +
          (person ? "person: expected family_name, father_name, given_name, "
                    "sex, birth_date, relation, disability, herder, phone or "
                    "bank_account"
                  : "household: expected bag, current_soum_code, herder, "
                    "cooperative, phone, camels, horses, cattle, sheep or "
                    "goats"),
      "field");
}

Status Audit(store::Session& session, const std::string& action,
             const CorrectionProposal& p) {
  store::AuditEntry e;
  e.action = action;
  e.entity_type = "register_correction";
  e.entity_id = std::to_string(p.id);
  if (!p.register_no.empty()) e.register_no = p.register_no;
  e.after_json = CorrectionJson(p);
  return session.Audit(std::move(e)).status();
}

// The proposal `id` of the caller's area, pending.
Result<CorrectionProposal> Pending(CorrectionRepository& repo, int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(auto p, repo.Find(id));
  if (!p) {
    return Status::NotFound("register correction " + std::to_string(id) +
                            " does not exist");
  }
  if (p->state != CorrectionState::kPending) {
    return Status::FailedPrecondition(
        "register correction " + std::to_string(id) + " is already " +
        std::string(CorrectionStateName(p->state)));
  }
  return std::move(*p);
}

// The household of a proposal and the member it corrects (if any), as
// stored now in the caller's area.
struct Target {
  Household household;
  std::vector<Person> member;  // Empty, or the one corrected.
  int64_t version = 0;
};
Result<Target> Load(Repository& reg, const CorrectionProposal& p) {
  Target t;
  MALCHIN_ASSIGN_OR_RETURN(auto h, reg.FindHousehold(p.household_id));
  if (!h) {
    return Status::NotFound("household " + p.household_id + " does not exist");
  }
  if (h->deactivated) {
    return Status::FailedPrecondition("household " + p.household_id +
                                      " is inactive; it is not corrected");
  }
  t.household = std::move(*h);
  MALCHIN_ASSIGN_OR_RETURN(t.version, reg.HouseholdVersion(p.household_id));
  if (!p.register_no.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(auto members, reg.Members(p.household_id));
    for (Person& m : members) {
      if (m.register_no == p.register_no) t.member.push_back(std::move(m));
    }
    if (t.member.empty()) {
      return Status::NotFound("person " + p.register_no +
                              " is not a member of household " +
                              p.household_id);
    }
  }
  return t;
}

// Applies the changes to `t` and checks the result with the register's own
// rules. `check_from`: every `from` must be the stored value (kConflict
// otherwise, when `conflict`; InvalidArgument when proposing).
Status ApplyChanges(const CorrectionProposal& p, Target* t,
                    const geo::Geography& geo, Date today, bool conflict) {
  Person* person = t->member.empty() ? nullptr : &t->member.front();
  for (const FieldChange& c : p.changes) {
    MALCHIN_ASSIGN_OR_RETURN(std::string now,
                             FieldValue(t->household, person, c.field));
    if (now != c.from) {
      std::string what = c.field + " is '" + now + "' now, not '" + c.from +
                         "' as the proposal says";
      return conflict ? Status::Conflict(what + "; propose again")
                      : Status::InvalidArgument(what, "from");
    }
    if (c.to == c.from) {
      return Status::InvalidArgument(c.field + ": the new value is the same",
                                     "to");
    }
    MALCHIN_RETURN_IF_ERROR(SetField(&t->household, person, c));
  }
  std::vector<FieldError> errs = person ? ValidatePerson(*person, today)
                                        : ValidateHousehold(t->household, geo);
  if (!errs.empty()) {
    return Bad(errs[0].field, errs[0].value, errs[0].expected);
  }
  return Status::Ok();
}

// PermissionDenied when `actor` is the proposal's barred checker (the
// officer the complaint behind it is about). The message does not say why:
// it would tell them of the complaint.
Status MayDecide(const CorrectionProposal& p, const std::string& actor) {
  if (p.barred_checker.empty() || p.barred_checker != actor) {
    return Status::Ok();
  }
  return Status::PermissionDenied("register correction " +
                                  std::to_string(p.id) +
                                  " is decided by "
                                  "another officer; " +
                                  actor + " may not");
}

}  // namespace

std::string_view CorrectionStateName(CorrectionState s) {
  return kStates[static_cast<int>(s)];
}

Result<CorrectionState> ParseCorrectionState(std::string_view s) {
  for (int i = 0; i < 4; ++i) {
    if (kStates[i] == s) return static_cast<CorrectionState>(i);
  }
  return Bad("state", std::string(s),
             "pending, applied, rejected or withdrawn");
}

Result<std::string> FieldValue(const Household& h, const Person* p,
                               std::string_view f) {
  if (p != nullptr) {
    if (f == "family_name") return p->family_name;
    if (f == "father_name") return p->father_name;
    if (f == "given_name") return p->given_name;
    if (f == "sex") return std::string(SexCode(p->sex));
    if (f == "birth_date") return p->birth_date.ToString();
    if (f == "relation") return std::string(RelationName(p->relation));
    if (f == "disability") return std::string(p->disability ? "1" : "0");
    if (f == "herder") return std::string(p->herder ? "1" : "0");
    if (f == "phone") return p->phone;
    if (f == "bank_account") return p->bank_account;
    return Unknown(f, true);
  }
  if (f == "bag") return h.bag;
  if (f == "current_soum_code") return std::to_string(h.current_soum_code);
  if (f == "herder") return std::string(h.herder ? "1" : "0");
  if (f == "cooperative") return h.cooperative;
  if (f == "phone") return h.phone;
  if (int i = SpeciesIndex(f); i >= 0) return std::to_string(h.herd.head[i]);
  return Unknown(f, false);
}

Status SetField(Household* h, Person* p, const FieldChange& c) {
  const std::string& v = c.to;
  std::string_view f = c.field;
  if (p != nullptr) {
    if (f == "family_name")
      p->family_name = v;
    else if (f == "father_name")
      p->father_name = v;
    else if (f == "given_name")
      p->given_name = v;
    else if (f == "phone")
      p->phone = v;
    else if (f == "bank_account")
      p->bank_account = v;
    else if (f == "sex") {
      MALCHIN_ASSIGN_OR_RETURN(p->sex, ParseSex(v));
    } else if (f == "birth_date") {
      auto d = Date::Parse(v);
      if (!d.ok()) return Bad(f, v, "a date YYYY-MM-DD");
      p->birth_date = *d;
    } else if (f == "relation") {
      MALCHIN_ASSIGN_OR_RETURN(p->relation, ParseRelation(v));
    } else if (f == "disability") {
      MALCHIN_ASSIGN_OR_RETURN(p->disability, Flag(f, v));
    } else if (f == "herder") {
      MALCHIN_ASSIGN_OR_RETURN(p->herder, Flag(f, v));
    } else {
      return Unknown(f, true);
    }
    return Status::Ok();
  }
  if (f == "bag")
    h->bag = v;
  else if (f == "cooperative")
    h->cooperative = v;
  else if (f == "phone")
    h->phone = v;
  else if (f == "herder") {
    MALCHIN_ASSIGN_OR_RETURN(h->herder, Flag(f, v));
  } else if (f == "current_soum_code") {
    MALCHIN_ASSIGN_OR_RETURN(h->current_soum_code, Count(f, v));
  } else if (int i = SpeciesIndex(f); i >= 0) {
    MALCHIN_ASSIGN_OR_RETURN(h->herd.head[i], Count(f, v));
  } else {
    return Unknown(f, false);
  }
  return Status::Ok();
}

Result<CorrectionProposal> ProposeCorrection(store::Session& session,
                                             CorrectionProposal p,
                                             const geo::Geography& geo,
                                             Date today) {
  if (p.changes.empty()) {
    return Status::InvalidArgument("a correction needs at least one change",
                                   "changes");
  }
  if (p.reason.empty() || p.reason.size() > 2000) {
    return Status::InvalidArgument("reason: expected why (1-2000 bytes)",
                                   "reason");
  }
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(Target t, Load(session.Get<Repository>(), p));
    MALCHIN_RETURN_IF_ERROR(ApplyChanges(p, &t, geo, today, false));
    p.soum_code = t.household.soum_code;
    p.proposed_by = session.caller().actor;
    p.proposed_at = session.clock().NowIso();
    p.state = CorrectionState::kPending;
    MALCHIN_ASSIGN_OR_RETURN(p.id,
                             session.Get<CorrectionRepository>().Insert(p));
    return Audit(session, "register.correction.propose", p);
  }));
  return p;
}

Result<CorrectionProposal> ApproveCorrection(store::Session& session,
                                             int64_t id,
                                             const std::string& note,
                                             const geo::Geography& geo,
                                             Date today) {
  CorrectionProposal out;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(
        session.Lock("register.correction:" + std::to_string(id)));
    auto& proposals = session.Get<CorrectionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(CorrectionProposal p, Pending(proposals, id));
    const std::string& actor = session.caller().actor;
    if (p.proposed_by == actor) {
      return Status::PermissionDenied(
          "register correction " + std::to_string(id) + " was proposed by " +
          actor + "; another officer approves it (maker-checker)");
    }
    MALCHIN_RETURN_IF_ERROR(MayDecide(p, actor));
    auto& reg = session.Get<Repository>();
    MALCHIN_ASSIGN_OR_RETURN(Target t, Load(reg, p));
    MALCHIN_RETURN_IF_ERROR(ApplyChanges(p, &t, geo, today, true));
    MALCHIN_RETURN_IF_ERROR(
        reg.UpdateHousehold(t.household, t.member, t.version,
                            {actor, "register correction " +
                                        std::to_string(id) + ": " + p.reason})
            .status());
    p.state = CorrectionState::kApplied;
    p.decided_by = actor;
    p.decided_at = session.clock().NowIso();
    p.decision_note = note;
    MALCHIN_RETURN_IF_ERROR(
        proposals.Decide(id, p.state, actor, p.decided_at, note));
    MALCHIN_RETURN_IF_ERROR(Audit(session, "register.correction.approve", p));
    out = std::move(p);
    return Status::Ok();
  }));
  return out;
}

Result<CorrectionProposal> RejectCorrection(store::Session& session, int64_t id,
                                            const std::string& note) {
  CorrectionProposal out;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(
        session.Lock("register.correction:" + std::to_string(id)));
    auto& proposals = session.Get<CorrectionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(CorrectionProposal p, Pending(proposals, id));
    const std::string& actor = session.caller().actor;
    bool own = p.proposed_by == actor;
    if (!own) MALCHIN_RETURN_IF_ERROR(MayDecide(p, actor));
    if (!own && note.empty()) {
      return Status::InvalidArgument("a rejection needs a note saying why",
                                     "note");
    }
    p.state = own ? CorrectionState::kWithdrawn : CorrectionState::kRejected;
    p.decided_by = actor;
    p.decided_at = session.clock().NowIso();
    p.decision_note = note;
    MALCHIN_RETURN_IF_ERROR(
        proposals.Decide(id, p.state, actor, p.decided_at, note));
    MALCHIN_RETURN_IF_ERROR(Audit(
        session,
        own ? "register.correction.withdraw" : "register.correction.reject",
        p));
    out = std::move(p);
    return Status::Ok();
  }));
  return out;
}

std::string CorrectionJson(const CorrectionProposal& p) {
  json changes = json::array();
  for (const FieldChange& c : p.changes) {
    changes.push_back({{"field", c.field}, {"from", c.from}, {"to", c.to}});
  }
  json j = {{"id", p.id},
            {"household_id", p.household_id},
            {"register_no", p.register_no},
            {"soum_code", p.soum_code},
            {"changes", changes},
            {"reason", p.reason},
            {"source", p.source},
            {"proposed_by", p.proposed_by},
            {"proposed_at", p.proposed_at},
            {"state", CorrectionStateName(p.state)},
            {"decided_by", p.decided_by},
            {"decided_at", p.decided_at},
            {"decision_note", p.decision_note}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace malchin::registry
