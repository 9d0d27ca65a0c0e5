// The register's own rules around the engine's repository: area checks on
// every write, and the audit snapshots of households and persons.
#include "registry/repository.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace malchin::registry {
namespace {

// Collects the rows of a streaming upsert and writes them at Commit() with
// Upsert, so every check applies (used when the engine streams nothing
// itself, and for callers with an area).
class CollectingUpsertWriter : public UpsertWriter {
 public:
  CollectingUpsertWriter(Repository* repo, ChangeContext context)
      : repo_(repo), context_(std::move(context)) {}
  Status AddHousehold(const Household& h) override {
    households_.push_back(h);
    return Status::Ok();
  }
  Status AddPerson(const Person& p) override {
    persons_.push_back(p);
    return Status::Ok();
  }
  Result<WriteCounts> Commit() override {
    return repo_->Upsert(households_, persons_, context_);
  }

 private:
  Repository* repo_;
  ChangeContext context_;
  std::vector<Household> households_;
  std::vector<Person> persons_;
};

// Rows written as they come, on one held transaction (see
// Repository::HeldUpsertWriter).
class RowUpsertWriter : public UpsertWriter {
 public:
  RowUpsertWriter(std::unique_ptr<store::Session::HeldWrite> tx,
                  UpsertRows rows)
      : tx_(std::move(tx)), rows_(std::move(rows)) {}
  Status AddHousehold(const Household& h) override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    return Track(rows_.household(h, &counts_));
  }
  Status AddPerson(const Person& p) override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    return Track(rows_.person(p, &counts_));
  }
  Result<WriteCounts> Commit() override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    MALCHIN_RETURN_IF_ERROR(Track(rows_.finish(counts_)));
    MALCHIN_RETURN_IF_ERROR(Track(tx_->Commit()));
    done_ = true;
    return counts_;
  }

 private:
  // After a failed call the transaction is only good for rolling back.
  Status Usable() const {
    if (failed_) {
      return Status::FailedPrecondition(
          "an earlier row of this upsert failed; nothing will be written");
    }
    if (done_) return Status::FailedPrecondition("the upsert is committed");
    return Status::Ok();
  }
  Status Track(Status s) {
    if (!s.ok()) failed_ = true;
    return s;
  }

  std::unique_ptr<store::Session::HeldWrite> tx_;
  UpsertRows rows_;
  WriteCounts counts_;
  bool failed_ = false, done_ = false;
};

// A refusal that never says where the record is registered (the caller may
// not know that it exists).
Status Outside(const std::string& what) {
  return Status::PermissionDenied(what +
                                  " cannot be used here: it is outside your "
                                  "area");
}

}  // namespace

Result<Population> Repository::LoadPopulation(const AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(Roster r, LoadRoster(area));
  return std::move(r.population);
}

Status Repository::CheckWritable(const std::vector<Household>& households,
                                 const std::vector<Person>& persons) {
  const AreaFilter scope = session_.caller().area;
  if (scope.national()) return Status::Ok();
  // Where records are registered now, whatever the caller may see: only to
  // refuse, never to show.
  store::SystemScope all(session_);
  for (const Household& h : households) {
    if (!scope.Matches(h.soum_code)) return Outside("household " + h.id);
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindHousehold(h.id));
    if (existing && !scope.Matches(existing->soum_code)) {
      return Outside("household " + h.id);
    }
  }
  for (const Person& p : persons) {
    // The target household: in this batch, or stored and visible.
    auto in_batch = std::find_if(
        households.begin(), households.end(),
        [&](const Household& h) { return h.id == p.household_id; });
    if (in_batch == households.end()) {
      MALCHIN_ASSIGN_OR_RETURN(auto target, FindHousehold(p.household_id));
      if (target && !scope.Matches(target->soum_code)) {
        return Outside("household " + p.household_id + " of person " +
                       p.register_no);
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindPerson(p.register_no));
    if (existing) {
      MALCHIN_ASSIGN_OR_RETURN(auto from,
                               FindHousehold(existing->household_id));
      if (from && !scope.Matches(from->soum_code)) {
        return Outside("register number " + p.register_no);
      }
    }
  }
  return Status::Ok();
}

Result<WriteCounts> Repository::Upsert(const std::vector<Household>& households,
                                       const std::vector<Person>& persons,
                                       const ChangeContext& context) {
  MALCHIN_RETURN_IF_ERROR(CheckWritable(households, persons));
  return DoUpsert(households, persons, context);
}

Result<std::unique_ptr<UpsertWriter>> Repository::BeginUpsert(
    const ChangeContext& context) {
  if (!session_.caller().area.national()) {
    return std::unique_ptr<UpsertWriter>(
        new CollectingUpsertWriter(this, context));
  }
  return DoBeginUpsert(context);
}

Result<std::unique_ptr<UpsertWriter>> Repository::DoBeginUpsert(
    const ChangeContext& context) {
  return std::unique_ptr<UpsertWriter>(
      new CollectingUpsertWriter(this, context));
}

std::unique_ptr<UpsertWriter> Repository::HeldUpsertWriter(
    std::unique_ptr<store::Session::HeldWrite> tx, UpsertRows rows) {
  return std::make_unique<RowUpsertWriter>(std::move(tx), std::move(rows));
}

Status Repository::DeactivateHousehold(std::string_view id,
                                       const Deactivation& d,
                                       const ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(auto h, FindHousehold(id));
  if (!h) {
    return Status::NotFound("household " + std::string(id) + " does not exist");
  }
  return DoDeactivateHousehold(id, d, context);
}

Status Repository::DeactivatePerson(std::string_view register_no,
                                    const Deactivation& d,
                                    const ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(auto p, FindPerson(register_no));
  if (!p) {
    return Status::NotFound("person " + std::string(register_no) +
                            " does not exist");
  }
  return DoDeactivatePerson(register_no, d, context);
}

Result<int64_t> Repository::CreateHousehold(const Household& household,
                                            const std::vector<Person>& members,
                                            const ChangeContext& context) {
  MALCHIN_RETURN_IF_ERROR(CheckWritable({household}, members));
  int64_t version = 0;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    // The household may exist outside the caller's area (CheckWritable
    // refused that already): the check sees everything.
    store::SystemScope all(session_);
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindHousehold(household.id));
    if (existing) {
      return Status::AlreadyExists("household " + household.id +
                                   " already exists");
    }
    MALCHIN_RETURN_IF_ERROR(DoUpsert({household}, members, context).status());
    MALCHIN_ASSIGN_OR_RETURN(version, HouseholdVersion(household.id));
    return Status::Ok();
  }));
  return version;
}

Result<int64_t> Repository::UpdateHousehold(const Household& household,
                                            const std::vector<Person>& members,
                                            int64_t expected_version,
                                            const ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(auto visible, FindHousehold(household.id));
  if (!visible) {
    return Status::NotFound("household " + household.id + " does not exist");
  }
  MALCHIN_RETURN_IF_ERROR(CheckWritable({household}, members));
  int64_t version = 0;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    store::SystemScope all(session_);
    MALCHIN_ASSIGN_OR_RETURN(int64_t current, HouseholdVersion(household.id));
    if (current != expected_version) {
      return Status::Conflict(
          "household " + household.id +
          " was changed by someone else: it is at version " +
          std::to_string(current) + ", your change was made to version " +
          std::to_string(expected_version) +
          "; reload it and apply your change again");
    }
    for (const Person& p : members) {
      if (p.household_id != household.id) {
        return Status::InvalidArgument(
            "member " + p.register_no + " names household " + p.household_id +
                ", not " + household.id,
            "household_id");
      }
    }
    MALCHIN_RETURN_IF_ERROR(DoUpsert({household}, members, context).status());
    MALCHIN_ASSIGN_OR_RETURN(version, HouseholdVersion(household.id));
    return Status::Ok();
  }));
  return version;
}

Result<std::unique_ptr<BulkLoader>> Repository::BeginBulkLoad() {
  if (!session_.caller().area.national()) {
    return Status::PermissionDenied(
        "loading a whole register needs national access");
  }
  return DoBeginBulkLoad();
}

store::AuditEntry Repository::HouseholdAudit(const std::string& actor,
                                             const Household* before,
                                             const Household& after) {
  store::AuditEntry e;
  e.actor = actor;
  e.action = before ? "household.update" : "household.create";
  e.entity_type = "household";
  e.entity_id = after.id;
  if (before) e.before_json = HouseholdJson(*before);
  e.after_json = HouseholdJson(after);
  return e;
}

store::AuditEntry Repository::PersonAudit(const std::string& actor,
                                          const Person* before,
                                          const Person& after) {
  store::AuditEntry e;
  e.actor = actor;
  e.action = before ? "person.update" : "person.create";
  e.entity_type = "person";
  e.entity_id = after.register_no;
  e.register_no = after.register_no;
  if (before) e.before_json = PersonJson(*before);
  e.after_json = PersonJson(after);
  return e;
}

store::AuditEntry Repository::DeactivationAudit(const std::string& actor,
                                                const Household& before,
                                                const Deactivation& d) {
  Household after = before;
  after.deactivated = d;
  store::AuditEntry e = HouseholdAudit(actor, &before, after);
  e.action = "household.deactivate";
  return e;
}

store::AuditEntry Repository::DeactivationAudit(const std::string& actor,
                                                const Person& before,
                                                const Deactivation& d) {
  Person after = before;
  after.deactivated = d;
  store::AuditEntry e = PersonAudit(actor, &before, after);
  e.action = "person.deactivate";
  return e;
}

std::string HouseholdJson(const Household& h) {
  nlohmann::ordered_json j = {{"id", h.id},
                              {"soum_code", h.soum_code},
                              {"bag", h.bag},
                              {"current_soum_code", h.current_soum_code},
                              {"herder", h.herder}};
  for (int i = 0; i < kSpeciesCount; ++i) {
    j[std::string(SpeciesName(static_cast<Species>(i)))] = h.herd.head[i];
  }
  j["cooperative"] = h.cooperative;
  j["phone"] = h.phone;
  j["lat"] = h.lat ? nlohmann::ordered_json(*h.lat) : nullptr;
  j["lon"] = h.lon ? nlohmann::ordered_json(*h.lon) : nullptr;
  if (h.deactivated) {
    j["deactivated_on"] = h.deactivated->on.ToString();
    j["deactivation_reason"] = h.deactivated->reason;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string PersonJson(const Person& p) {
  nlohmann::ordered_json j = {{"register_no", p.register_no},
                              {"household_id", p.household_id},
                              {"family_name", p.family_name},
                              {"father_name", p.father_name},
                              {"given_name", p.given_name},
                              {"sex", SexCode(p.sex)},
                              {"birth_date", p.birth_date.ToString()},
                              {"relation", RelationName(p.relation)},
                              {"disability", p.disability},
                              {"herder", p.herder},
                              {"phone", p.phone},
                              {"bank_account", p.bank_account}};
  if (p.deactivated) {
    j["deactivated_on"] = p.deactivated->on.ToString();
    j["deactivation_reason"] = p.deactivated->reason;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace malchin::registry
