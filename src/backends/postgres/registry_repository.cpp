// The PostgreSQL engine's registry::Repository: the register of households
// and persons (schema: migration 0001). Reads and writes as SQLite's
// (src/backends/sqlite/registry_repository.cpp), with the same audit
// entries; large reads stream through cursors (ForEachRow), searches are in
// registry_search.cpp, the bulk loader in registry_bulk.cpp.
#include <algorithm>
#include <memory>

#include "backends/postgres/registry_rows.h"
#include "backends/postgres/registry_search.h"
#include "registry/repository.h"

namespace malchin::backends::postgres {
namespace {

using registry::BulkLoader;
using registry::Household;
using registry::HouseholdPage;
using registry::NameProbe;
using registry::Person;
using registry::PersonPage;
using registry::Roster;
using registry::SearchQuery;
using registry::UpsertWriter;
using registry::WriteCounts;
using store::AreaFilter;
using store::AuditEntry;
using store::ChangeContext;

const std::string kHh(kHouseholdColumns);
const std::string kP(kPersonColumns);

// `a` followed by `b`.
std::vector<PgValue> Concat(std::vector<PgValue> a,
                            const std::vector<PgValue>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class PgRegistryRepository final : public registry::Repository {
 public:
  explicit PgRegistryRepository(PgSession& session)
      : registry::Repository(session), s_(session) {}

  Result<Counts> CountActive(const AreaFilter& area) override {
    // Households and persons each counted by their own scan (the area's
    // parameter twice: $1 and $2).
    PgArea a1 = s_.Area(area, "h.soum_code", 1);
    PgArea a2 = s_.Area(area, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("registry.count_active" + a1.key,
                    "SELECT (SELECT count(*) FROM households h WHERE "
                    "h.deactivated_on IS NULL AND " +
                        a1.sql +
                        "), (SELECT count(*) FROM persons p JOIN households h "
                        "ON h.hh = p.hh WHERE p.deactivated_on IS NULL AND "
                        "h.deactivated_on IS NULL AND " +
                        a2.sql + ")",
                    a1.value, a2.value));
    return Counts{PgInt(r[0][0]), PgInt(r[0][1])};
  }

  Result<std::optional<Household>> FindHousehold(std::string_view id) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "registry.find_household" + a.key,
            "SELECT " + kHh + " FROM households h WHERE h.id = $1 AND " + a.sql,
            id, a.value));
    if (r.empty()) return std::optional<Household>();
    return std::optional<Household>(ReadHousehold(r[0]));
  }

  Result<std::optional<Person>> FindPerson(std::string_view rn) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("registry.find_person" + a.key,
                    "SELECT " + kP +
                        " FROM persons p JOIN households h ON h.hh = p.hh "
                        "WHERE p.register_no = $1 AND " +
                        a.sql,
                    rn, a.value));
    if (r.empty()) return std::optional<Person>();
    return std::optional<Person>(ReadPerson(r[0]));
  }

  Result<std::vector<Household>> HouseholdsWithPhone(std::string_view phone8,
                                                     int limit) override {
    PgArea a = s_.Area({}, "h.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("registry.households_with_phone" + a.key,
                    "SELECT " + kHh +
                        " FROM households h WHERE h.deactivated_on IS NULL "
                        "AND (h.phone = $1 OR h.hh IN (SELECT p.hh FROM "
                        "persons p WHERE p.phone = $1 AND p.deactivated_on "
                        "IS NULL)) AND " +
                        a.sql + " ORDER BY h.id LIMIT $2",
                    phone8, limit, a.value));
    std::vector<Household> out;
    for (const auto& row : r) out.push_back(ReadHousehold(row));
    return out;
  }

  Result<std::vector<Person>> Members(std::string_view id) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("registry.members" + a.key,
                    "SELECT " + kP +
                        " FROM households h JOIN persons p ON p.hh = h.hh "
                        "WHERE h.id = $1 AND " +
                        a.sql +
                        " ORDER BY p.relation <> 'head', p.born, "
                        "p.register_no",
                    id, a.value));
    std::vector<Person> out;
    out.reserve(r.size());
    for (const pqxx::row& row : r) out.push_back(ReadPerson(row));
    return out;
  }

  Result<std::vector<std::vector<Person>>> FindNameMatches(
      const std::vector<NameProbe>& probes) override {
    PgArea a = s_.Area({}, "h.soum_code", 5);
    const std::string sql =
        "SELECT " + kP +
        " FROM persons p JOIN households h ON h.hh = p.hh WHERE "
        "malchin_name_key(p.given_name) = $4 AND p.born = $2 AND "
        "malchin_name_key(p.father_name || ' ' || p.given_name) = $1 AND "
        "p.register_no <> $3 AND p.deactivated_on IS NULL AND " +
        a.sql;
    std::vector<std::vector<Person>> out(probes.size());
    for (size_t i = 0; i < probes.size(); ++i) {
      const NameProbe& probe = probes[i];
      if (probe.given_key.empty()) {
        return Status::InvalidArgument(
            "name probe for " + probe.register_no +
            " has no given_key (text::NameKey of the given name)");
      }
      MALCHIN_ASSIGN_OR_RETURN(
          pqxx::result r,
          s_.Prepared("registry.name_matches" + a.key, sql, probe.name_key,
                      probe.birth_date.days(), probe.register_no,
                      probe.given_key, a.value));
      for (const pqxx::row& row : r) out[i].push_back(ReadPerson(row));
    }
    return out;
  }

  Status ForEachHousehold(
      const AreaFilter& area,
      const std::function<Status(const Household&)>& fn) override {
    PgArea a = s_.Area(area, "h.soum_code", 1);
    return ForEachRow(
        s_, "registry.each_household" + a.key,
        "SELECT " + kHh +
            " FROM households h WHERE h.deactivated_on IS NULL AND " + a.sql +
            " ORDER BY h.id",
        {ToPg(a.value)},
        [&](const pqxx::row& row) { return fn(ReadHousehold(row)); });
  }

  // Persons in register-number order without a join: the households' ids
  // are read first (by row id), then persons alone through their
  // register-number index, each given its household's id.
  Status ForEachPerson(
      const AreaFilter& area,
      const std::function<Status(const Person&)>& fn) override {
    PgArea a = s_.Area(area, "h.soum_code", 1);
    return s_.Read([&]() -> Status {
      std::vector<std::pair<int64_t, std::string>> ids;  // By row id.
      MALCHIN_RETURN_IF_ERROR(
          ForEachRow(s_, "registry.each_person_household" + a.key,
                     "SELECT h.hh, h.id FROM households h WHERE " + a.sql +
                         " ORDER BY h.hh",
                     {ToPg(a.value)}, [&](const pqxx::row& row) {
                       ids.emplace_back(PgInt(row[0]), PgText(row[1]));
                       return Status::Ok();
                     }));
      // The whole country's persons need no condition on their households;
      // a part of it is found through its households.
      std::vector<PgValue> params;
      std::string in_area;
      if (a.key != "#n") {
        in_area =
            " AND p.hh IN (SELECT h.hh FROM households h WHERE " + a.sql + ")";
        params.push_back(ToPg(a.value));
      }
      return ForEachRow(
          s_, "registry.each_person" + a.key,
          "SELECT p.register_no, p.hh, p.family_name, p.father_name, "
          "p.given_name, p.sex, p.born, p.relation, p.disability, p.herder, "
          "p.phone, p.bank_account, p.deactivated_on, p.deactivation_reason "
          "FROM persons p WHERE p.deactivated_on IS NULL" +
              in_area + " ORDER BY p.register_no",
          params, [&](const pqxx::row& row) -> Status {
            int64_t hh = PgInt(row[1]);
            auto it = std::lower_bound(
                ids.begin(), ids.end(), hh,
                [](const auto& e, int64_t key) { return e.first < key; });
            if (it == ids.end() || it->first != hh) return Status::Ok();
            Person p = ReadPerson(row);
            p.household_id = it->second;
            return fn(p);
          });
    });
  }

  Result<Roster> LoadRoster(const AreaFilter& area) override {
    return LoadPgRoster(s_, area);
  }

  Result<std::optional<registry::RegisterVersion>> ReadRegisterVersion()
      override {
    // The version row (migrations 1 and 7); whether both of its triggers
    // are there and enabled (without them the row would not move with the
    // register); whether this transaction changed the register (then the
    // row moved at its first change only, and tells nothing since).
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("registry.register_version",
                    "SELECT v.changes, v.token, (SELECT count(*) FROM "
                    "pg_trigger t WHERE t.tgrelid IN ('households'::regclass, "
                    "'persons'::regclass) AND t.tgname IN "
                    "('register_version_households', "
                    "'register_version_persons') AND t.tgenabled <> 'D'), "
                    "current_setting('malchin.register_changed', true) IS "
                    "NOT DISTINCT FROM 'on' FROM register_version v WHERE "
                    "v.id = 1"));
    if (r.empty() || PgInt(r[0][2]) != 2 || PgBool(r[0][3])) {
      return std::optional<registry::RegisterVersion>();
    }
    return std::optional<registry::RegisterVersion>(registry::RegisterVersion{
        s_.database_key(), PgText(r[0][0]) + ":" + PgText(r[0][1])});
  }

  Result<int64_t> HouseholdVersion(std::string_view id) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "registry.household_version" + a.key,
            "SELECT h.version FROM households h WHERE h.id = $1 AND " + a.sql,
            id, a.value));
    if (r.empty()) {
      return Status::NotFound("household " + std::string(id) +
                              " does not exist");
    }
    return PgInt(r[0][0]);
  }

  Result<HouseholdPage> SearchHouseholds(const AreaFilter& area,
                                         const SearchQuery& q) override {
    if (!s_.Scope(area)) return HouseholdPage{};
    MALCHIN_ASSIGN_OR_RETURN(PgSearch w, BuildPgSearch(s_, area, q, false));
    HouseholdPage page;
    MALCHIN_ASSIGN_OR_RETURN(
        page.total,
        Count("registry.search_count." + w.shape,
              "SELECT count(*) FROM households h WHERE " + w.where, w));
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Execute("registry.search." + w.shape,
                   "SELECT " + kHh + " FROM households h WHERE " +
                       w.page_where + " ORDER BY h.id LIMIT " + w.limit +
                       " OFFSET " + w.offset,
                   w.page_params));
    for (const pqxx::row& row : r) page.items.push_back(ReadHousehold(row));
    return page;
  }

  Result<PersonPage> SearchPersons(const AreaFilter& area,
                                   const SearchQuery& q) override {
    if (!s_.Scope(area)) return PersonPage{};
    MALCHIN_ASSIGN_OR_RETURN(PgSearch w, BuildPgSearch(s_, area, q, true));
    PersonPage page;
    const std::string from = " FROM persons p JOIN households h ON h.hh = p.hh";
    MALCHIN_ASSIGN_OR_RETURN(
        page.total, Count("registry.search_count." + w.shape,
                          "SELECT count(*)" + from + " WHERE " + w.where, w));
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Execute("registry.search." + w.shape,
                   "SELECT " + kP + from + " WHERE " + w.page_where +
                       " ORDER BY p.register_no LIMIT " + w.limit + " OFFSET " +
                       w.offset,
                   w.page_params));
    for (const pqxx::row& row : r) page.items.push_back(ReadPerson(row));
    return page;
  }

  // --- Writes (the area checks are registry::Repository's) ---------------
  Result<WriteCounts> DoUpsert(const std::vector<Household>& households,
                               const std::vector<Person>& persons,
                               const ChangeContext& context) override {
    WriteCounts c;
    MALCHIN_RETURN_IF_ERROR(s_.Write([&]() -> Status {
      MALCHIN_ASSIGN_OR_RETURN(
          c, UpsertInTransaction(households, persons, context));
      return Status::Ok();
    }));
    return c;
  }

  Result<std::unique_ptr<UpsertWriter>> DoBeginUpsert(
      const ChangeContext& context) override;

  Status DoDeactivateHousehold(std::string_view id,
                               const registry::Deactivation& d,
                               const ChangeContext& context) override {
    return Deactivate(true, id, d, context);
  }
  Status DoDeactivatePerson(std::string_view rn,
                            const registry::Deactivation& d,
                            const ChangeContext& context) override {
    return Deactivate(false, rn, d, context);
  }

  Result<std::unique_ptr<BulkLoader>> DoBeginBulkLoad() override;

  // Upsert's work, inside the caller's transaction, with an audit entry for
  // every household and person created or changed.
  Result<WriteCounts> UpsertInTransaction(
      const std::vector<Household>& households,
      const std::vector<Person>& persons, const ChangeContext& context) {
    WriteCounts c;
    for (const Household& h : households) {
      MALCHIN_RETURN_IF_ERROR(UpsertHouseholdRow(h, context.actor, &c));
    }
    HouseholdCursor cursor;
    for (const Person& p : persons) {
      MALCHIN_RETURN_IF_ERROR(UpsertPersonRow(p, context.actor, &cursor, &c));
    }
    MALCHIN_RETURN_IF_ERROR(LogImport(context, c));
    return c;
  }

  // One household of an upsert. REQUIRES: a transaction is open.
  Status UpsertHouseholdRow(const Household& h, const std::string& actor,
                            WriteCounts* c);

  // The last household looked up by a run of persons.
  struct HouseholdCursor {
    std::string id;
    int64_t hh = 0;
    int32_t aimag = 0;
  };
  // One person of an upsert. REQUIRES: a transaction is open.
  Status UpsertPersonRow(const Person& p, const std::string& actor,
                         HouseholdCursor* cursor, WriteCounts* c);

  // Records an upsert in `imports`. REQUIRES: a transaction is open.
  Status LogImport(const ChangeContext& context, const WriteCounts& c) {
    return s_
        .Prepared("registry.log_import",
                  "INSERT INTO imports (at, actor, source, "
                  "households_inserted, households_updated, persons_inserted, "
                  "persons_updated) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  s_.clock().NowIso(),
                  context.actor.empty() ? s_.caller().actor : context.actor,
                  context.source, c.households_inserted, c.households_updated,
                  c.persons_inserted, c.persons_updated)
        .status();
  }

 private:
  // Reads of the register whatever the caller's area, for writes (the area
  // checks were made by registry::Repository before).
  Result<std::optional<Household>> FindAnyHousehold(std::string_view id) {
    store::SystemScope all(s_);
    return FindHousehold(id);
  }
  Result<std::optional<Person>> FindAnyPerson(std::string_view rn) {
    store::SystemScope all(s_);
    return FindPerson(rn);
  }

  Result<int64_t> Count(const std::string& name, const std::string& sql,
                        const PgSearch& w) {
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result r, s_.Execute(name, sql, w.params));
    return r.empty() ? 0 : PgInt(r[0][0]);
  }

  Status Deactivate(bool household, std::string_view id,
                    const registry::Deactivation& d,
                    const ChangeContext& context);

  PgSession& s_;
};

Status PgRegistryRepository::UpsertHouseholdRow(const Household& h,
                                                const std::string& actor,
                                                WriteCounts* c) {
  MALCHIN_ASSIGN_OR_RETURN(auto existing, FindAnyHousehold(h.id));
  if (!existing) {
    MALCHIN_RETURN_IF_ERROR(
        s_.Execute("registry.insert_household",
                   "INSERT INTO households (id, soum_code, bag, "
                   "current_soum_code, herder, camels, horses, cattle, sheep, "
                   "goats, cooperative, phone, lat, lon) VALUES ($1, $2, $3, "
                   "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                   Concat({ToPg(h.id)}, HouseholdFields(h)))
            .status()
            .WithContext("household " + h.id));
    c->households_inserted++;
    return s_.Audit(HouseholdAudit(actor, nullptr, h)).status();
  }
  Household incoming = h;
  incoming.deactivated = existing->deactivated;
  if (incoming == *existing) {
    c->households_unchanged++;
    return Status::Ok();
  }
  MALCHIN_RETURN_IF_ERROR(
      s_.Execute("registry.update_household",
                 "UPDATE households SET soum_code = $2, bag = $3, "
                 "current_soum_code = $4, herder = $5, camels = $6, horses = "
                 "$7, cattle = $8, sheep = $9, goats = $10, cooperative = $11, "
                 "phone = $12, lat = $13, lon = $14, version = version + 1 "
                 "WHERE id = $1",
                 Concat({ToPg(h.id)}, HouseholdFields(h)))
          .status()
          .WithContext("household " + h.id));
  c->households_updated++;
  return s_.Audit(HouseholdAudit(actor, &*existing, incoming)).status();
}

Status PgRegistryRepository::UpsertPersonRow(const Person& p,
                                             const std::string& actor,
                                             HouseholdCursor* cursor,
                                             WriteCounts* c) {
  if (p.household_id != cursor->id || cursor->id.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("registry.household_row",
                    "SELECT hh, aimag_code FROM households WHERE id = $1",
                    p.household_id));
    if (r.empty()) {
      return Status::InvalidArgument(
          "person " + p.register_no + " refers to household " + p.household_id +
              ", which does not exist",
          "household_id");
    }
    *cursor = {p.household_id, PgInt(r[0][0]),
               static_cast<int32_t>(PgInt(r[0][1]))};
  }
  MALCHIN_ASSIGN_OR_RETURN(auto existing, FindAnyPerson(p.register_no));
  Person incoming = p;
  if (existing) {
    incoming.deactivated = existing->deactivated;
    if (incoming == *existing) {
      c->persons_unchanged++;
      return Status::Ok();
    }
  }
  std::vector<PgValue> params =
      Concat({ToPg(p.register_no), ToPg(cursor->hh), ToPg(cursor->aimag)},
             PersonFields(p));
  Status written =
      existing ? s_.Execute("registry.update_person",
                            "UPDATE persons SET hh = $2, aimag_code = $3, "
                            "family_name = $4, father_name = $5, given_name = "
                            "$6, sex = $7, born = $8, relation = $9, "
                            "disability = $10, herder = $11, phone = $12, "
                            "bank_account = $13, version = version + 1 WHERE "
                            "register_no = $1",
                            params)
                     .status()
               : s_.Execute("registry.insert_person",
                            "INSERT INTO persons (register_no, hh, aimag_code, "
                            "family_name, father_name, given_name, sex, born, "
                            "relation, disability, herder, phone, "
                            "bank_account) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                            "$8, $9, $10, $11, $12, $13)",
                            params)
                     .status();
  MALCHIN_RETURN_IF_ERROR(written.WithContext("person " + p.register_no));
  (existing ? c->persons_updated : c->persons_inserted)++;
  return s_.Audit(PersonAudit(actor, existing ? &*existing : nullptr, incoming))
      .status();
}

Status PgRegistryRepository::Deactivate(bool household, std::string_view id,
                                        const registry::Deactivation& d,
                                        const ChangeContext& context) {
  if (d.reason.empty()) {
    return Status::InvalidArgument("a deactivation needs a reason", "reason");
  }
  return s_.Write([&]() -> Status {
    std::optional<AuditEntry> entry;
    bool inactive = false;
    if (household) {
      MALCHIN_ASSIGN_OR_RETURN(auto h, FindAnyHousehold(id));
      if (h) {
        inactive = h->deactivated.has_value();
        entry = DeactivationAudit(context.actor, *h, d);
      }
    } else {
      MALCHIN_ASSIGN_OR_RETURN(auto p, FindAnyPerson(id));
      if (p) {
        inactive = p->deactivated.has_value();
        entry = DeactivationAudit(context.actor, *p, d);
      }
    }
    const std::string what =
        std::string(household ? "household " : "person ") + std::string(id);
    if (!entry) return Status::NotFound(what + " does not exist");
    if (inactive) {
      return Status::FailedPrecondition(what + " is already deactivated");
    }
    const std::string set =
        " SET deactivated_on = $2, deactivation_reason = $3, version = "
        "version + 1 WHERE ";
    MALCHIN_RETURN_IF_ERROR(
        (household ? s_.Prepared("registry.deactivate_household",
                                 "UPDATE households" + set + "id = $1", id,
                                 d.on, d.reason)
                   : s_.Prepared("registry.deactivate_person",
                                 "UPDATE persons" + set + "register_no = $1",
                                 id, d.on, d.reason))
            .status());
    return s_.Audit(std::move(*entry)).status();
  });
}

Result<std::unique_ptr<BulkLoader>> PgRegistryRepository::DoBeginBulkLoad() {
  MALCHIN_ASSIGN_OR_RETURN(auto tx, s_.HoldWrite());
  // Nobody else writes the register (or starts another load) until this
  // one ends: the emptiness checked here holds.
  MALCHIN_RETURN_IF_ERROR(
      s_.ExecuteOnce("LOCK TABLE households, persons IN ACCESS EXCLUSIVE MODE")
          .status());
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result any,
      s_.Prepared("registry.any_household",
                  "SELECT EXISTS (SELECT 1 FROM households)"));
  if (PgBool(any[0][0])) {
    MALCHIN_ASSIGN_OR_RETURN(Counts c, CountActive({}));
    return Status::FailedPrecondition(
        s_.target().redacted + " already holds a register (" +
        std::to_string(c.households) + " households, " +
        std::to_string(c.persons) + " persons); generate into a new database");
  }
  return BeginPgBulkLoad(s_, std::move(tx));
}

Result<std::unique_ptr<UpsertWriter>> PgRegistryRepository::DoBeginUpsert(
    const ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(auto tx, s_.HoldWrite());
  auto cursor = std::make_shared<HouseholdCursor>();
  return HeldUpsertWriter(
      std::move(tx), {[this, context](const Household& h, WriteCounts* c) {
                        return UpsertHouseholdRow(h, context.actor, c);
                      },
                      [this, context, cursor](const Person& p, WriteCounts* c) {
                        return UpsertPersonRow(p, context.actor, cursor.get(),
                                               c);
                      },
                      [this, context](const WriteCounts& c) {
                        return LogImport(context, c);
                      }});
}

}  // namespace

void RegisterRegistryRepositories(PgFactories* f) {
  f->Add<registry::Repository>(
      [](PgSession& s) { return std::make_unique<PgRegistryRepository>(s); });
}

}  // namespace malchin::backends::postgres
