// The area-scoped view of a Store (see ScopeTo in store.h).
#include <algorithm>

#include "store/store.h"

namespace malchin::store {
namespace {

using registry::Household;
using registry::Person;

class ScopedStore : public Store {
 public:
  ScopedStore(Store& inner, AreaFilter scope) : inner_(inner), scope_(scope) {}

  Result<StoreInfo> Info() override {
    MALCHIN_ASSIGN_OR_RETURN(StoreInfo info, inner_.Info());
    MALCHIN_ASSIGN_OR_RETURN(Counts c, inner_.CountActive(scope_));
    info.households = c.households;
    info.persons = c.persons;
    return info;
  }

  Result<Counts> CountActive(const AreaFilter& area) override {
    auto both = Intersect(area);
    if (!both) return Counts{};
    return inner_.CountActive(*both);
  }

  Result<std::optional<Household>> FindHousehold(std::string_view id) override {
    MALCHIN_ASSIGN_OR_RETURN(auto h, inner_.FindHousehold(id));
    if (h && !scope_.Matches(h->soum_code)) return std::optional<Household>();
    return h;
  }

  Result<std::optional<Person>> FindPerson(std::string_view rn) override {
    MALCHIN_ASSIGN_OR_RETURN(auto p, inner_.FindPerson(rn));
    if (!p || Everywhere()) return p;  // A found person's household exists.
    MALCHIN_ASSIGN_OR_RETURN(bool visible, Visible(p->household_id));
    if (!visible) return std::optional<Person>();
    return p;
  }

  Result<std::vector<Person>> Members(std::string_view id) override {
    MALCHIN_ASSIGN_OR_RETURN(bool visible, Visible(id));
    if (!visible) return std::vector<Person>();
    return inner_.Members(id);
  }

  Result<std::vector<std::vector<Person>>> FindNameMatches(
      const std::vector<NameProbe>& probes) override {
    MALCHIN_ASSIGN_OR_RETURN(auto all, inner_.FindNameMatches(probes));
    if (Everywhere()) return all;
    for (auto& matches : all) {
      std::vector<Person> kept;
      for (Person& p : matches) {
        MALCHIN_ASSIGN_OR_RETURN(bool visible, Visible(p.household_id));
        if (visible) kept.push_back(std::move(p));
      }
      matches = std::move(kept);
    }
    return all;
  }

  Status ForEachHousehold(
      const AreaFilter& area,
      const std::function<Status(const Household&)>& fn) override {
    auto both = Intersect(area);
    if (!both) return Status::Ok();
    return inner_.ForEachHousehold(*both, fn);
  }

  Status ForEachPerson(
      const AreaFilter& area,
      const std::function<Status(const Person&)>& fn) override {
    auto both = Intersect(area);
    if (!both) return Status::Ok();
    return inner_.ForEachPerson(*both, fn);
  }

  Result<registry::Population> LoadPopulation(const AreaFilter& area) override {
    auto both = Intersect(area);
    if (!both) return registry::Population();
    return inner_.LoadPopulation(*both);
  }

  Result<WriteCounts> Upsert(const std::vector<Household>& households,
                             const std::vector<Person>& persons,
                             const ChangeContext& context) override {
    MALCHIN_RETURN_IF_ERROR(CheckWrite(households, persons));
    return inner_.Upsert(households, persons, context);
  }

  Result<int64_t> HouseholdVersion(std::string_view id) override {
    MALCHIN_ASSIGN_OR_RETURN(bool visible, Visible(id));
    if (!visible) {
      return Status::NotFound("household " + std::string(id) +
                              " does not exist");
    }
    return inner_.HouseholdVersion(id);
  }

  Result<int64_t> CreateHousehold(const Household& household,
                                  const std::vector<Person>& members,
                                  const ChangeContext& context) override {
    MALCHIN_RETURN_IF_ERROR(CheckWrite({household}, members));
    return inner_.CreateHousehold(household, members, context);
  }

  Result<int64_t> UpdateHousehold(const Household& household,
                                  const std::vector<Person>& members,
                                  int64_t expected_version,
                                  const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(bool visible, Visible(household.id));
    if (!visible) {
      return Status::NotFound("household " + household.id + " does not exist");
    }
    MALCHIN_RETURN_IF_ERROR(CheckWrite({household}, members));
    return inner_.UpdateHousehold(household, members, expected_version,
                                  context);
  }

  Result<HouseholdPage> SearchHouseholds(const AreaFilter& area,
                                         const SearchQuery& query) override {
    auto both = Intersect(area);
    if (!both) return HouseholdPage{};
    return inner_.SearchHouseholds(*both, query);
  }

  Result<PersonPage> SearchPersons(const AreaFilter& area,
                                   const SearchQuery& query) override {
    auto both = Intersect(area);
    if (!both) return PersonPage{};
    return inner_.SearchPersons(*both, query);
  }

  // The audit trail is not area data: the API lets only auditors and admins
  // read it.
  Status RecordPersonReads(const std::vector<PersonRead>& reads) override {
    return inner_.RecordPersonReads(reads);
  }
  Result<std::vector<AuditRecord>> ListAudit(const AuditQuery& q) override {
    return inner_.ListAudit(q);
  }
  Result<AuditCheck> VerifyAudit() override { return inner_.VerifyAudit(); }

 private:
  // Refuses (PermissionDenied) a write that would create, move or change
  // anything outside the scope.
  Status CheckWrite(const std::vector<Household>& households,
                    const std::vector<Person>& persons) {
    for (const Household& h : households) {
      MALCHIN_RETURN_IF_ERROR(InScope(h.soum_code, "household " + h.id));
      MALCHIN_ASSIGN_OR_RETURN(auto existing, inner_.FindHousehold(h.id));
      if (existing) {
        MALCHIN_RETURN_IF_ERROR(
            InScope(existing->soum_code, "household " + h.id));
      }
    }
    for (const Person& p : persons) {
      // The target household: in this batch, or stored and visible.
      auto in_batch = std::find_if(
          households.begin(), households.end(),
          [&](const Household& h) { return h.id == p.household_id; });
      if (in_batch == households.end()) {
        MALCHIN_ASSIGN_OR_RETURN(auto target,
                                 inner_.FindHousehold(p.household_id));
        if (target) {
          MALCHIN_RETURN_IF_ERROR(InScope(
              target->soum_code,
              "household " + p.household_id + " of person " + p.register_no));
        }
      }
      MALCHIN_ASSIGN_OR_RETURN(auto existing, inner_.FindPerson(p.register_no));
      if (existing) {
        MALCHIN_ASSIGN_OR_RETURN(auto from,
                                 inner_.FindHousehold(existing->household_id));
        if (from) {
          MALCHIN_RETURN_IF_ERROR(
              InScope(from->soum_code, "person " + p.register_no));
        }
      }
    }
    return Status::Ok();
  }

 public:
  Status DeactivateHousehold(std::string_view id,
                             const registry::Deactivation& d,
                             const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(bool visible, Visible(id));
    if (!visible) {
      return Status::NotFound("household " + std::string(id) +
                              " does not exist");
    }
    return inner_.DeactivateHousehold(id, d, context);
  }

  Status DeactivatePerson(std::string_view rn, const registry::Deactivation& d,
                          const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(auto p, FindPerson(rn));
    if (!p)
      return Status::NotFound("person " + std::string(rn) + " does not exist");
    return inner_.DeactivatePerson(rn, d, context);
  }

  Result<std::unique_ptr<BulkLoader>> BeginBulkLoad() override {
    if (scope_.soum_code || scope_.aimag_code) {
      return Status::PermissionDenied(
          "loading a whole register needs national access");
    }
    return inner_.BeginBulkLoad();
  }

  // Accounts are not area data; the API layer decides who may manage them.
  Result<UserRecord> CreateUser(const UserRecord& u,
                                const ChangeContext& context) override {
    return inner_.CreateUser(u, context);
  }
  Result<std::optional<UserRecord>> FindUserById(int64_t id) override {
    return inner_.FindUserById(id);
  }
  Result<std::optional<UserRecord>> FindUser(std::string_view name) override {
    return inner_.FindUser(name);
  }
  Result<std::vector<UserRecord>> ListUsers() override {
    return inner_.ListUsers();
  }
  Status UpdateUser(const UserRecord& u,
                    const ChangeContext& context) override {
    return inner_.UpdateUser(u, context);
  }
  Status CreateSession(const SessionRecord& r) override {
    return inner_.CreateSession(r);
  }
  Result<std::optional<std::pair<SessionRecord, UserRecord>>> FindSession(
      std::string_view token_hash) override {
    return inner_.FindSession(token_hash);
  }
  Status RevokeSessions(int64_t user_id, std::string_view token_hash,
                        std::string_view at) override {
    return inner_.RevokeSessions(user_id, token_hash, at);
  }

  Result<std::optional<std::string>> GetMeta(std::string_view key) override {
    return inner_.GetMeta(key);
  }
  sqlite::Db* SqliteConnection() override { return inner_.SqliteConnection(); }

  Status SetMeta(std::string_view key, std::string_view value) override {
    return inner_.SetMeta(key, value);
  }

 private:
  // The part of `area` inside the scope, or nullopt if they do not meet.
  std::optional<AreaFilter> Intersect(const AreaFilter& area) const {
    AreaFilter out = area;
    if (scope_.aimag_code) {
      if (out.aimag_code && out.aimag_code != scope_.aimag_code) return {};
      if (out.soum_code &&
          geo::AimagOfSoum(out.soum_code) != scope_.aimag_code) {
        return {};
      }
      out.aimag_code = scope_.aimag_code;
    }
    if (scope_.soum_code) {
      if (out.soum_code && out.soum_code != scope_.soum_code) return {};
      if (out.aimag_code &&
          out.aimag_code != geo::AimagOfSoum(scope_.soum_code)) {
        return {};
      }
      out.soum_code = scope_.soum_code;
    }
    return out;
  }

  // The whole country: nothing to filter.
  bool Everywhere() const {
    return scope_.aimag_code == 0 && scope_.soum_code == 0;
  }

  Result<bool> Visible(std::string_view household_id) {
    MALCHIN_ASSIGN_OR_RETURN(auto h, inner_.FindHousehold(household_id));
    return h && scope_.Matches(h->soum_code);
  }

  Status InScope(int32_t soum, const std::string& what) const {
    if (scope_.Matches(soum)) return Status::Ok();
    return Status::PermissionDenied(
        what + " is registered in soum " + std::to_string(soum) +
        ", outside your area (" +
        std::to_string(scope_.soum_code ? scope_.soum_code
                                        : scope_.aimag_code) +
        ")");
  }

  Store& inner_;
  AreaFilter scope_;
};

}  // namespace

std::unique_ptr<Store> ScopeTo(Store& inner, const AreaFilter& scope) {
  return std::make_unique<ScopedStore>(inner, scope);
}

}  // namespace malchin::store
