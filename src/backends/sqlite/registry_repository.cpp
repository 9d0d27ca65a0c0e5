// The SQLite engine's registry::Repository: the register of households
// and persons (schema: migrations 0001, 0007, 0009).
#include <algorithm>
#include <limits>
#include <memory>
#include <unordered_map>

#include "backends/sqlite/registry_search.h"
#include "backends/sqlite/session.h"
#include "registry/repository.h"

namespace malchin::backends::sqlite {
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

constexpr const char* kHouseholdColumns =
    "h.id, h.soum_code, h.bag, h.current_soum_code, h.herder, h.camels, "
    "h.horses, h.cattle, h.sheep, h.goats, h.cooperative, h.phone, h.lat, "
    "h.lon, h.deactivated_on, h.deactivation_reason";

constexpr const char* kPersonColumns =
    "p.register_no, h.id, p.family_name, p.father_name, p.given_name, p.sex, "
    "p.born, p.relation, p.disability, p.herder, p.phone, "
    "p.bank_account, p.deactivated_on, p.deactivation_reason";

std::optional<registry::Deactivation> ReadDeactivation(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  registry::Deactivation d;
  auto date = Date::Parse(s.Text(col));
  if (date.ok()) d.on = *date;
  d.reason = std::string(s.Text(col + 1));
  return d;
}

Household ReadHousehold(const Stmt& s) {
  Household h;
  h.id = s.Text(0);
  h.soum_code = static_cast<int32_t>(s.Int(1));
  h.bag = s.Text(2);
  h.current_soum_code = static_cast<int32_t>(s.Int(3));
  h.herder = s.Int(4) != 0;
  for (int i = 0; i < registry::kSpeciesCount; ++i) {
    h.herd.head[i] = static_cast<int32_t>(s.Int(5 + i));
  }
  h.cooperative = s.Text(10);
  h.phone = s.Text(11);
  if (!s.IsNull(12)) h.lat = s.Real(12);
  if (!s.IsNull(13)) h.lon = s.Real(13);
  h.deactivated = ReadDeactivation(s, 14);
  return h;
}

Person ReadPerson(const Stmt& s) {
  Person p;
  p.register_no = s.Text(0);
  p.household_id = s.Text(1);
  p.family_name = s.Text(2);
  p.father_name = s.Text(3);
  p.given_name = s.Text(4);
  p.sex = s.Text(5) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
  p.birth_date = Date::FromDays(static_cast<int32_t>(s.Int(6)));
  auto rel = registry::ParseRelation(s.Text(7));
  if (rel.ok()) p.relation = *rel;
  p.disability = s.Int(8) != 0;
  p.herder = s.Int(9) != 0;
  p.phone = s.Text(10);
  p.bank_account = s.Text(11);
  p.deactivated = ReadDeactivation(s, 12);
  return p;
}

// Binds a household's columns from index `first` in kHouseholdColumns order
// (without id): soum_code .. lon = 13 values.
void BindHouseholdFields(Stmt& s, int first, const Household& h) {
  s.Bind(first, h.soum_code)
      .Bind(first + 1, std::string_view(h.bag))
      .Bind(first + 2, h.current_soum_code)
      .Bind(first + 3, static_cast<int64_t>(h.herder));
  for (int i = 0; i < registry::kSpeciesCount; ++i) {
    s.Bind(first + 4 + i, static_cast<int64_t>(h.herd.head[i]));
  }
  s.Bind(first + 9, std::string_view(h.cooperative))
      .Bind(first + 10, std::string_view(h.phone))
      .Bind(first + 11, h.lat)
      .Bind(first + 12, h.lon);
}

// Person columns after register_no and hh: 10 values. The birth date is
// stored as days since 1970-01-01 (column born, migration 7).
void BindPersonFields(Stmt& s, int first, const Person& p) {
  s.Bind(first, std::string_view(p.family_name))
      .Bind(first + 1, std::string_view(p.father_name))
      .Bind(first + 2, std::string_view(p.given_name))
      .Bind(first + 3, registry::SexCode(p.sex))
      .Bind(first + 4, static_cast<int64_t>(p.birth_date.days()))
      .Bind(first + 5, registry::RelationName(p.relation))
      .Bind(first + 6, static_cast<int64_t>(p.disability))
      .Bind(first + 7, static_cast<int64_t>(p.herder))
      .Bind(first + 8, std::string_view(p.phone))
      .Bind(first + 9, std::string_view(p.bank_account));
}

constexpr const char* kInsertHousehold =
    "INSERT INTO households (id, soum_code, bag, current_soum_code, herder, "
    "camels, horses, cattle, sheep, goats, cooperative, phone, lat, lon) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr const char* kInsertPerson =
    "INSERT INTO persons (register_no, hh, family_name, father_name, "
    "given_name, sex, born, relation, disability, herder, phone, "
    "bank_account) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12)";

// Index definitions dropped during a bulk load and rebuilt at the end (as in
// migrations 7 and 24), so they are built sorted, with full pages. The unique
// index on register numbers is among them: a duplicate makes Finish() fail and
// nothing is written.
constexpr const char* kBulkIndexes[][2] = {
    {"households_soum",
     "CREATE INDEX households_soum ON households (soum_code, id, herder, "
     "deactivated_on)"},
    {"persons_register_no",
     "CREATE UNIQUE INDEX persons_register_no ON persons (register_no)"},
    {"persons_household", "CREATE INDEX persons_household ON persons (hh)"},
    {"persons_given_birth",
     "CREATE INDEX persons_given_birth ON persons "
     "(malchin_name_key(given_name), born)"},
    {"households_phone",
     "CREATE INDEX households_phone ON households (phone) WHERE phone <> ''"},
    {"persons_phone",
     "CREATE INDEX persons_phone ON persons (phone) WHERE phone <> ''"},
};

class SqliteBulkLoader : public BulkLoader {
 public:
  SqliteBulkLoader(SqliteSession& session,
                   std::unique_ptr<store::Session::HeldWrite> tx, Stmt hh,
                   Stmt p)
      : session_(session),
        tx_(std::move(tx)),
        insert_hh_(std::move(hh)),
        insert_p_(std::move(p)) {}

  Status AddHousehold(const Household& h) override {
    insert_hh_.Bind(1, std::string_view(h.id));
    BindHouseholdFields(insert_hh_, 2, h);
    MALCHIN_RETURN_IF_ERROR(insert_hh_.Run().WithContext("household " + h.id));
    int64_t rowid = sqlite3_last_insert_rowid(session_.db().raw());
    last_hh_id_ = h.id;
    last_hh_rowid_ = rowid;
    hh_rowid_.emplace(h.id, rowid);
    return Status::Ok();
  }

  Status AddPerson(const Person& p) override {
    int64_t rowid = last_hh_rowid_;
    if (p.household_id != last_hh_id_) {
      auto it = hh_rowid_.find(p.household_id);
      if (it == hh_rowid_.end()) {
        return Status::InvalidArgument("person " + p.register_no +
                                       " refers to household " +
                                       p.household_id + " not added before");
      }
      rowid = it->second;
    }
    insert_p_.Bind(1, std::string_view(p.register_no)).Bind(2, rowid);
    BindPersonFields(insert_p_, 3, p);
    return insert_p_.Run().WithContext("person " + p.register_no);
  }

  Status Finish() override {
    Db& db = session_.db();
    for (const auto& idx : kBulkIndexes) {
      MALCHIN_RETURN_IF_ERROR(db.Exec(idx[1]));
    }
    MALCHIN_RETURN_IF_ERROR(db.Exec("ANALYZE"));
    MALCHIN_RETURN_IF_ERROR(tx_->Commit());
    // Back to WAL for normal operation (the load used a rollback journal:
    // pages of an empty file need no journal, so it writes once).
    return db.Exec("PRAGMA journal_mode=WAL");
  }

 private:
  SqliteSession& session_;
  std::unique_ptr<store::Session::HeldWrite> tx_;
  Stmt insert_hh_, insert_p_;
  std::string last_hh_id_;
  int64_t last_hh_rowid_ = 0;
  std::unordered_map<std::string, int64_t> hh_rowid_;
};

class SqliteRegistryRepository final : public registry::Repository {
 public:
  explicit SqliteRegistryRepository(SqliteSession& session)
      : registry::Repository(session), session_(session) {}

  Result<Counts> CountActive(const AreaFilter& area) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "count_active" + a.key,
            "SELECT count(DISTINCT h.hh), count(p.pid) FROM households h "
            "LEFT JOIN persons p ON p.hh = h.hh AND p.deactivated_on IS NULL "
            "WHERE h.deactivated_on IS NULL AND " +
                a.sql));
    a.Bind(*s);
    Counts c;
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) {
      c.households = s->Int(0);
      c.persons = s->Int(1);
      s->Reset();
    }
    return c;
  }

  Result<std::optional<Household>> FindHousehold(std::string_view id) override {
    return FindHouseholdIn(session_.Area(), id);
  }

  Result<std::optional<Person>> FindPerson(std::string_view rn) override {
    return FindPersonIn(session_.Area(), rn);
  }

  Result<std::vector<Person>> Members(std::string_view id) override {
    AreaClause a = session_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "members" + a.key,
            std::string("SELECT ") + kPersonColumns +
                " FROM households h JOIN persons p ON p.hh = h.hh WHERE "
                "h.id = ?1 AND " +
                a.sql +
                " ORDER BY p.relation != 'head', p.born, p.register_no"));
    s->Bind(1, id);
    a.Bind(*s);
    std::vector<Person> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadPerson(*s));
    }
    return out;
  }

  Result<std::vector<Household>> HouseholdsWithPhone(std::string_view phone8,
                                                     int limit) override {
    AreaClause a = session_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "households_with_phone" + a.key,
            std::string("SELECT ") + kHouseholdColumns +
                " FROM households h WHERE h.deactivated_on IS NULL AND "
                "(h.phone = ?1 OR h.hh IN (SELECT p.hh FROM persons p WHERE "
                "p.phone = ?1 AND p.deactivated_on IS NULL)) AND " +
                a.sql + " ORDER BY h.id LIMIT ?2"));
    s->Bind(1, phone8).Bind(2, static_cast<int64_t>(limit));
    a.Bind(*s);
    std::vector<Household> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadHousehold(*s));
    }
    return out;
  }

  Result<std::vector<std::vector<Person>>> FindNameMatches(
      const std::vector<NameProbe>& probes) override {
    AreaClause a = session_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "name_match" + a.key,
            std::string("SELECT ") + kPersonColumns +
                " FROM persons p JOIN households h ON h.hh = p.hh "
                "WHERE malchin_name_key(p.given_name) = ?4 AND p.born = "
                "?2 AND malchin_name_key(p.father_name || ' ' || "
                "p.given_name) = ?1 AND p.register_no != ?3 AND "
                "p.deactivated_on IS NULL AND " +
                a.sql));
    std::vector<std::vector<Person>> out(probes.size());
    for (size_t i = 0; i < probes.size(); ++i) {
      if (probes[i].given_key.empty()) {
        return Status::InvalidArgument(
            "name probe for " + probes[i].register_no +
            " has no given_key (text::NameKey of the given name)");
      }
      s->Bind(1, std::string_view(probes[i].name_key))
          .Bind(2, static_cast<int64_t>(probes[i].birth_date.days()))
          .Bind(3, std::string_view(probes[i].register_no))
          .Bind(4, std::string_view(probes[i].given_key));
      a.Bind(*s);
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) break;
        out[i].push_back(ReadPerson(*s));
      }
    }
    return out;
  }

  Status ForEachHousehold(
      const AreaFilter& area,
      const std::function<Status(const Household&)>& fn) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, session_.db().Prepare(
                    std::string("SELECT ") + kHouseholdColumns +
                    " FROM households h WHERE h.deactivated_on IS NULL AND " +
                    a.sql + " ORDER BY h.id"));
    a.Bind(s);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return Status::Ok();
      MALCHIN_RETURN_IF_ERROR(fn(ReadHousehold(s)));
    }
  }

  Status ForEachPerson(
      const AreaFilter& area,
      const std::function<Status(const Person&)>& fn) override {
    AreaClause a = session_.Area(area);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, session_.db().Prepare(
                    std::string("SELECT ") + kPersonColumns +
                    " FROM persons p JOIN households h ON h.hh = p.hh WHERE "
                    "p.deactivated_on IS NULL AND " +
                    a.sql + " ORDER BY p.register_no"));
    a.Bind(s);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return Status::Ok();
      MALCHIN_RETURN_IF_ERROR(fn(ReadPerson(s)));
    }
  }

  Result<Roster> LoadRoster(const AreaFilter& area) override;

  Result<std::optional<registry::RegisterVersion>> ReadRegisterVersion()
      override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "register_version",
            "SELECT (SELECT count(*) FROM sqlite_master WHERE type = "
            "'trigger' AND name IN ('register_version_households_update', "
            "'register_version_households_delete', "
            "'register_version_persons_update', "
            "'register_version_persons_delete')), v.changes, v.token, "
            "(SELECT max(pid) FROM persons), (SELECT max(hh) FROM "
            "households) FROM register_version v WHERE v.id = 1"));
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row || s->Int(0) != 4) {
      if (row) s->Reset();
      return std::optional<registry::RegisterVersion>();
    }
    registry::RegisterVersion v;
    v.database = session_.database_key();
    v.token = std::to_string(s->Int(1)) + ":" + std::to_string(s->Int(2)) +
              ":" + std::to_string(s->Int(3)) + ":" + std::to_string(s->Int(4));
    s->Reset();
    return std::optional<registry::RegisterVersion>(std::move(v));
  }

  Result<int64_t> HouseholdVersion(std::string_view id) override {
    AreaClause a = session_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("hh_version" + a.key,
                          "SELECT h.version FROM households h WHERE h.id = ?1 "
                          "AND " +
                              a.sql));
    s->Bind(1, id);
    a.Bind(*s);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) {
      return Status::NotFound("household " + std::string(id) +
                              " does not exist");
    }
    int64_t v = s->Int(0);
    s->Reset();
    return v;
  }

  Result<HouseholdPage> SearchHouseholds(const AreaFilter& area,
                                         const SearchQuery& q) override {
    auto scope = session_.Scope(area);
    if (!scope) return HouseholdPage{};
    MALCHIN_ASSIGN_OR_RETURN(SearchSql w, BuildSearch(*scope, q, false));
    HouseholdPage page;
    MALCHIN_ASSIGN_OR_RETURN(
        page.total,
        Count("sh_count:" + w.where,
              "SELECT count(*) FROM households h WHERE " + w.where, w));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("sh:" + w.page_where,
                          std::string("SELECT ") + kHouseholdColumns +
                              " FROM households h WHERE " + w.page_where +
                              " ORDER BY h.id LIMIT ?20 OFFSET ?21"));
    w.Bind(*s);
    s->Bind(20, w.limit).Bind(21, w.offset);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, s->Step());
      if (!more) break;
      page.items.push_back(ReadHousehold(*s));
    }
    return page;
  }

  Result<PersonPage> SearchPersons(const AreaFilter& area,
                                   const SearchQuery& q) override {
    auto scope = session_.Scope(area);
    if (!scope) return PersonPage{};
    MALCHIN_ASSIGN_OR_RETURN(SearchSql w, BuildSearch(*scope, q, true));
    PersonPage page;
    MALCHIN_ASSIGN_OR_RETURN(
        page.total,
        Count("sp_count:" + w.where,
              "SELECT count(*) FROM persons p JOIN households h ON h.hh = "
              "p.hh WHERE " +
                  w.where,
              w));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("sp:" + w.page_where,
                          std::string("SELECT ") + kPersonColumns +
                              " FROM persons p JOIN households h ON h.hh = "
                              "p.hh WHERE " +
                              w.page_where +
                              " ORDER BY p.register_no LIMIT ?20 OFFSET ?21"));
    w.Bind(*s);
    s->Bind(20, w.limit).Bind(21, w.offset);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, s->Step());
      if (!more) break;
      page.items.push_back(ReadPerson(*s));
    }
    return page;
  }

  // --- Writes (the area checks are registry::Repository's) ---------------
  Result<WriteCounts> DoUpsert(const std::vector<Household>& households,
                               const std::vector<Person>& persons,
                               const ChangeContext& context) override {
    WriteCounts c;
    MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
      c = WriteCounts{};
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
    return Deactivate("households", "id", "household", id, d, context);
  }
  Status DoDeactivatePerson(std::string_view rn,
                            const registry::Deactivation& d,
                            const ChangeContext& context) override {
    return Deactivate("persons", "register_no", "person", rn, d, context);
  }

  Result<std::unique_ptr<BulkLoader>> DoBeginBulkLoad() override {
    Db& db = session_.db();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt any, db.Prepare("SELECT EXISTS (SELECT 1 FROM households)"));
    MALCHIN_ASSIGN_OR_RETURN(bool row, any.Step());
    if (row && any.Int(0) != 0) {
      any.Reset();
      MALCHIN_ASSIGN_OR_RETURN(Counts c, CountActive({}));
      return Status::FailedPrecondition(
          db.path() + " already holds a register (" +
          std::to_string(c.households) + " households, " +
          std::to_string(c.persons) +
          " persons); generate into a new database");
    }
    any.Reset();
    // An empty file needs no write-ahead log: a rollback journal writes new
    // pages once. Switch back to WAL in Finish().
    MALCHIN_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=DELETE"));
    MALCHIN_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size=-262144"));
    MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
    for (const auto& idx : kBulkIndexes) {
      MALCHIN_RETURN_IF_ERROR(
          db.Exec(std::string("DROP INDEX IF EXISTS ") + idx[0]));
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt hh, db.Prepare(kInsertHousehold));
    MALCHIN_ASSIGN_OR_RETURN(Stmt p, db.Prepare(kInsertPerson));
    return std::unique_ptr<BulkLoader>(new SqliteBulkLoader(
        session_, std::move(tx), std::move(hh), std::move(p)));
  }

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
                            WriteCounts* c) {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * ins_h,
                             session_.Prepared("ins_h", kInsertHousehold));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * upd_h,
        session_.Prepared(
            "upd_h",
            "UPDATE households SET soum_code = ?2, bag = ?3, "
            "current_soum_code = ?4, herder = ?5, camels = ?6, horses = ?7, "
            "cattle = ?8, sheep = ?9, goats = ?10, cooperative = ?11, "
            "phone = ?12, lat = ?13, lon = ?14, version = version + 1 "
            "WHERE id = ?1"));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindAnyHousehold(h.id));
    if (!existing) {
      ins_h->Bind(1, std::string_view(h.id));
      BindHouseholdFields(*ins_h, 2, h);
      MALCHIN_RETURN_IF_ERROR(ins_h->Run().WithContext("household " + h.id));
      c->households_inserted++;
      return session_.Audit(HouseholdAudit(actor, nullptr, h)).status();
    }
    Household incoming = h;
    incoming.deactivated = existing->deactivated;
    if (incoming == *existing) {
      c->households_unchanged++;
      return Status::Ok();
    }
    upd_h->Bind(1, std::string_view(h.id));
    BindHouseholdFields(*upd_h, 2, h);
    MALCHIN_RETURN_IF_ERROR(upd_h->Run().WithContext("household " + h.id));
    c->households_updated++;
    return session_.Audit(HouseholdAudit(actor, &*existing, incoming)).status();
  }

  // The last household looked up by a run of persons.
  struct HouseholdCursor {
    std::string id;
    int64_t rowid = 0;
  };
  // One person of an upsert. REQUIRES: a transaction is open.
  Status UpsertPersonRow(const Person& p, const std::string& actor,
                         HouseholdCursor* cursor, WriteCounts* c) {
    if (p.household_id != cursor->id || cursor->id.empty()) {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt * hh_rowid,
          session_.Prepared("hh_rowid",
                            "SELECT hh FROM households WHERE id = ?1"));
      hh_rowid->Bind(1, std::string_view(p.household_id));
      MALCHIN_ASSIGN_OR_RETURN(bool row, hh_rowid->Step());
      if (!row) {
        return Status::InvalidArgument(
            "person " + p.register_no + " refers to household " +
                p.household_id + ", which does not exist",
            "household_id");
      }
      cursor->rowid = hh_rowid->Int(0);
      cursor->id = p.household_id;
      hh_rowid->Reset();
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt * ins_p,
                             session_.Prepared("ins_p", kInsertPerson));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * upd_p,
        session_.Prepared(
            "upd_p",
            "UPDATE persons SET hh = ?2, family_name = ?3, father_name = "
            "?4, given_name = ?5, sex = ?6, born = ?7, relation = ?8, "
            "disability = ?9, herder = ?10, phone = ?11, bank_account = "
            "?12, version = version + 1 WHERE register_no = ?1"));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindAnyPerson(p.register_no));
    Stmt& s = existing ? *upd_p : *ins_p;
    Person incoming = p;
    if (existing) {
      incoming.deactivated = existing->deactivated;
      if (incoming == *existing) {
        c->persons_unchanged++;
        return Status::Ok();
      }
    }
    s.Bind(1, std::string_view(p.register_no)).Bind(2, cursor->rowid);
    BindPersonFields(s, 3, p);
    MALCHIN_RETURN_IF_ERROR(s.Run().WithContext("person " + p.register_no));
    (existing ? c->persons_updated : c->persons_inserted)++;
    return session_
        .Audit(PersonAudit(actor, existing ? &*existing : nullptr, incoming))
        .status();
  }

  // Records an upsert in `imports`. REQUIRES: a transaction is open.
  Status LogImport(const ChangeContext& context, const WriteCounts& c) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * log,
        session_.Prepared(
            "log_import",
            "INSERT INTO imports (at, actor, source, households_inserted, "
            "households_updated, persons_inserted, persons_updated) VALUES "
            "(?7, ?1, ?2, ?3, ?4, ?5, ?6)"));
    return log
        ->Bind(1,
               std::string_view(context.actor.empty() ? session_.caller().actor
                                                      : context.actor))
        .Bind(2, std::string_view(context.source))
        .Bind(3, c.households_inserted)
        .Bind(4, c.households_updated)
        .Bind(5, c.persons_inserted)
        .Bind(6, c.persons_updated)
        .Bind(7, std::string_view(session_.clock().NowIso()))
        .Run();
  }

 private:
  // Reads of the register whatever the caller's area, for writes (the area
  // checks were made by registry::Repository before).
  Result<std::optional<Household>> FindAnyHousehold(std::string_view id) {
    return FindHouseholdIn(AreaSql(AreaFilter{}), id);
  }
  Result<std::optional<Person>> FindAnyPerson(std::string_view rn) {
    return FindPersonIn(AreaSql(AreaFilter{}), rn);
  }

  Result<std::optional<Household>> FindHouseholdIn(const AreaClause& a,
                                                   std::string_view id) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, session_.Prepared("find_hh" + a.key,
                                    std::string("SELECT ") + kHouseholdColumns +
                                        " FROM households h WHERE h.id = ?1 "
                                        "AND " +
                                        a.sql));
    s->Bind(1, id);
    a.Bind(*s);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<Household>();
    Household h = ReadHousehold(*s);
    s->Reset();
    return std::optional<Household>(std::move(h));
  }

  Result<std::optional<Person>> FindPersonIn(const AreaClause& a,
                                             std::string_view rn) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared("find_p" + a.key,
                          std::string("SELECT ") + kPersonColumns +
                              " FROM persons p JOIN households h ON h.hh = "
                              "p.hh WHERE p.register_no = ?1 AND " +
                              a.sql));
    s->Bind(1, rn);
    a.Bind(*s);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<Person>();
    Person p = ReadPerson(*s);
    s->Reset();
    return std::optional<Person>(std::move(p));
  }

  Result<int64_t> Count(const std::string& name, const std::string& sql,
                        const SearchSql& w) {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * count, session_.Prepared(name, sql));
    w.Bind(*count);
    MALCHIN_ASSIGN_OR_RETURN(bool row, count->Step());
    int64_t n = row ? count->Int(0) : 0;
    count->Reset();
    return n;
  }

  Status Deactivate(const char* table, const char* key, const char* noun,
                    std::string_view id, const registry::Deactivation& d,
                    const ChangeContext& context) {
    if (d.reason.empty()) {
      return Status::InvalidArgument("a deactivation needs a reason", "reason");
    }
    return session_.Write([&]() -> Status {
      bool household = std::string_view(noun) == "household";
      std::optional<AuditEntry> entry;
      if (household) {
        MALCHIN_ASSIGN_OR_RETURN(auto h, FindAnyHousehold(id));
        if (h) entry = DeactivationAudit(context.actor, *h, d);
      } else {
        MALCHIN_ASSIGN_OR_RETURN(auto p, FindAnyPerson(id));
        if (p) entry = DeactivationAudit(context.actor, *p, d);
      }
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s,
          session_.db().Prepare(std::string("SELECT deactivated_on FROM ") +
                                table + " WHERE " + key + " = ?1"));
      s.Bind(1, id);
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row || !entry) {
        return Status::NotFound(std::string(noun) + " " + std::string(id) +
                                " does not exist");
      }
      bool inactive = !s.IsNull(0);
      s.Reset();
      if (inactive) {
        return Status::FailedPrecondition(std::string(noun) + " " +
                                          std::string(id) +
                                          " is already deactivated");
      }
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt u, session_.db().Prepare(
                      std::string("UPDATE ") + table +
                      " SET deactivated_on = ?2, deactivation_reason = "
                      "?3, version = version + 1 WHERE " +
                      key + " = ?1"));
      MALCHIN_RETURN_IF_ERROR(u.Bind(1, id)
                                  .Bind(2, std::string_view(d.on.ToString()))
                                  .Bind(3, std::string_view(d.reason))
                                  .Run());
      return session_.Audit(std::move(*entry)).status();
    });
  }

  SqliteSession& session_;
};

Result<Roster> SqliteRegistryRepository::LoadRoster(const AreaFilter& area) {
  Roster r;
  registry::Population& pop = r.population;
  // Households by row id; persons refer to them by row id.
  std::vector<int32_t> index_of_row;
  AreaClause a = session_.Area(area);
  {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        session_.Prepared(
            "roster_households" + a.key,
            "SELECT h.hh, h.id, h.soum_code, h.current_soum_code, h.herder, "
            "h.camels, h.horses, h.cattle, h.sheep, h.goats FROM households "
            "h WHERE h.deactivated_on IS NULL AND " +
                a.sql + " ORDER BY h.hh"));
    a.Bind(*s);
    Household h;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      int64_t id = s->Int(0);
      if (id < 0 || id > std::numeric_limits<int32_t>::max()) {
        s->Reset();
        return Status::DataLoss("household row id " + std::to_string(id) +
                                " is out of range");
      }
      if (id >= static_cast<int64_t>(index_of_row.size())) {
        index_of_row.resize(id + 1, -1);
      }
      index_of_row[id] = static_cast<int32_t>(pop.households());
      h.id = s->Text(1);
      h.soum_code = static_cast<int32_t>(s->Int(2));
      h.current_soum_code = static_cast<int32_t>(s->Int(3));
      h.herder = s->Int(4) != 0;
      for (int i = 0; i < registry::kSpeciesCount; ++i) {
        h.herd.head[i] = static_cast<int32_t>(s->Int(5 + i));
      }
      pop.AddHousehold(h);
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, session_.Prepared(
                    "roster_persons",
                    "SELECT p.pid, p.hh, p.sex, p.born, p.relation, "
                    "p.disability, p.herder, p.bank_account <> '' FROM "
                    "persons p WHERE p.deactivated_on IS NULL ORDER BY p.pid"));
  Person p;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    int64_t hh = s->Int(1);
    if (hh < 0 || hh >= static_cast<int64_t>(index_of_row.size()) ||
        index_of_row[hh] < 0) {
      continue;  // Outside the area or in an inactive household.
    }
    p.sex = s->Text(2) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
    p.birth_date = Date::FromDays(static_cast<int32_t>(s->Int(3)));
    auto rel = registry::ParseRelation(s->Text(4));
    p.relation = rel.ok() ? *rel : registry::Relation::kOther;
    p.disability = s->Int(5) != 0;
    p.herder = s->Int(6) != 0;
    pop.AddPerson(p, index_of_row[hh]);
    r.person_row.push_back(s->Int(0));
    r.has_account.push_back(s->Int(7) != 0);
  }
  return r;
}

Result<std::unique_ptr<UpsertWriter>> SqliteRegistryRepository::DoBeginUpsert(
    const ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(auto tx, session_.HoldWrite());
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

void RegisterRegistryRepositories(Factories* f) {
  f->Add<registry::Repository, SqliteRegistryRepository>();
}

}  // namespace malchin::backends::sqlite
