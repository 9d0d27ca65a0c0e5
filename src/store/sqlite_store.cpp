// SQLite implementation of store::Store.
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/text.h"
#include "registry/register_number.h"
#include "store/audit_log.h"
#include "store/migrations.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace malchin::store {

bool AreaFilter::Matches(int32_t soum) const {
  if (soum_code && soum != soum_code) return false;
  if (aimag_code && geo::AimagOfSoum(soum) != aimag_code) return false;
  return true;
}

namespace {

using registry::Household;
using registry::Person;
using sqlite::Db;
using sqlite::Stmt;
using sqlite::Transaction;

// The SQL function malchin_name_key(text): text::NameKey. Migration 7's
// expression index persons_given_birth is built on it, so it is registered
// (deterministic, innocuous) on every connection before anything is read.
void NameKeyFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const unsigned char* t = sqlite3_value_text(argv[0]);
  if (t == nullptr) {
    sqlite3_result_null(ctx);
    return;
  }
  std::string key = text::NameKey(
      std::string_view(reinterpret_cast<const char*>(t),
                       static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, key.data(), static_cast<int>(key.size()),
                      SQLITE_TRANSIENT);
}

// Snapshots recorded as before/after in the audit trail.
std::string HouseholdJson(const Household& h) {
  nlohmann::ordered_json j = {{"id", h.id},
                              {"soum_code", h.soum_code},
                              {"bag", h.bag},
                              {"current_soum_code", h.current_soum_code},
                              {"herder", h.herder}};
  for (int i = 0; i < registry::kSpeciesCount; ++i) {
    j[std::string(registry::SpeciesName(static_cast<registry::Species>(i)))] =
        h.herd.head[i];
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
                              {"sex", registry::SexCode(p.sex)},
                              {"birth_date", p.birth_date.ToString()},
                              {"relation", registry::RelationName(p.relation)},
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

// Never the password hash.
std::string UserJson(const UserRecord& u, bool password_changed) {
  nlohmann::ordered_json j = {{"id", u.id},
                              {"username", u.username},
                              {"role", u.role},
                              {"area_code", u.area_code},
                              {"disabled", u.disabled}};
  if (password_changed) j["password_changed"] = true;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ActorOf(const ChangeContext& c) {
  return c.actor.empty() ? "system" : c.actor;
}

constexpr const char* kHouseholdColumns =
    "h.id, h.soum_code, h.bag, h.current_soum_code, h.herder, h.camels, "
    "h.horses, h.cattle, h.sheep, h.goats, h.cooperative, h.phone, h.lat, "
    "h.lon, h.deactivated_on, h.deactivation_reason";

constexpr const char* kPersonColumns =
    "p.register_no, h.id, p.family_name, p.father_name, p.given_name, p.sex, "
    "p.born, p.relation, p.disability, p.herder, p.phone, "
    "p.bank_account, p.deactivated_on, p.deactivation_reason";

constexpr const char* kUserColumns =
    "u.id, u.username, u.password_hash, u.role, u.area_code, u.disabled, "
    "u.created_at, u.updated_at";

UserRecord ReadUser(const Stmt& s, int c) {
  UserRecord u;
  u.id = s.Int(c);
  u.username = s.Text(c + 1);
  u.password_hash = s.Text(c + 2);
  u.role = s.Text(c + 3);
  u.area_code = static_cast<int32_t>(s.Int(c + 4));
  u.disabled = s.Int(c + 5) != 0;
  u.created_at = s.Text(c + 6);
  u.updated_at = s.Text(c + 7);
  return u;
}

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
// migration 7), so they are built sorted, with full pages. The unique index
// on register numbers is among them: a duplicate makes Finish() fail and
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
};

class SqliteStore;

class SqliteBulkLoader : public BulkLoader {
 public:
  SqliteBulkLoader(Db* db, std::unique_ptr<Transaction> tx, Stmt hh, Stmt p)
      : db_(db),
        tx_(std::move(tx)),
        insert_hh_(std::move(hh)),
        insert_p_(std::move(p)) {}

  Status AddHousehold(const Household& h) override {
    insert_hh_.Bind(1, std::string_view(h.id));
    BindHouseholdFields(insert_hh_, 2, h);
    MALCHIN_RETURN_IF_ERROR(insert_hh_.Run().WithContext("household " + h.id));
    int64_t rowid = sqlite3_last_insert_rowid(db_->raw());
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
    for (const auto& idx : kBulkIndexes) {
      MALCHIN_RETURN_IF_ERROR(db_->Exec(idx[1]));
    }
    MALCHIN_RETURN_IF_ERROR(db_->Exec("ANALYZE"));
    MALCHIN_RETURN_IF_ERROR(tx_->Commit());
    // Back to WAL for normal operation (the load used a rollback journal:
    // pages of an empty file need no journal, so it writes once).
    MALCHIN_RETURN_IF_ERROR(db_->Exec("PRAGMA journal_mode=WAL"));
    return Status::Ok();
  }

 private:
  Db* db_;
  std::unique_ptr<Transaction> tx_;
  Stmt insert_hh_, insert_p_;
  std::string last_hh_id_;
  int64_t last_hh_rowid_ = 0;
  std::unordered_map<std::string, int64_t> hh_rowid_;
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Status Migrate(bool read_only) {
    MALCHIN_RETURN_IF_ERROR(db_->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
        "PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at "
        "TEXT NOT NULL)"));
    const auto& all = Migrations();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt q, db_->Prepare("SELECT version, checksum FROM schema_migrations "
                             "ORDER BY version"));
    // Versions are looked up by number: during development a checkout may
    // lack a number in the middle (the build warns); a release has none.
    auto find = [&all](int v) -> const Migration* {
      for (const Migration& m : all) {
        if (m.version == v) return &m;
      }
      return nullptr;
    };
    int newest = all.empty() ? 0 : all.back().version;
    std::vector<int> applied;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      int v = static_cast<int>(q.Int(0));
      const Migration* m = find(v);
      if (m == nullptr) {
        return Status::DataLoss(
            db_->path() + " was written by a newer Malchin (schema version " +
            std::to_string(v) + "; this program knows versions up to " +
            std::to_string(newest) + "); upgrade Malchin to open it");
      }
      if (std::string(q.Text(1)) != m->Checksum()) {
        return Status::DataLoss(
            db_->path() + ": migration " + std::to_string(v) + " (" +
            std::string(m->name) +
            ") was applied with different content than this program's; the "
            "database was made by an incompatible build");
      }
      applied.push_back(v);
    }
    std::vector<const Migration*> pending;
    for (const Migration& m : all) {
      if (std::find(applied.begin(), applied.end(), m.version) ==
          applied.end()) {
        pending.push_back(&m);
      }
    }
    if (!pending.empty() && read_only) {
      return Status::FailedPrecondition(db_->path() +
                                        " needs a schema upgrade; open it "
                                        "once without read-only");
    }
    for (const Migration* pm : pending) {
      const Migration& m = *pm;
      MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
      // A migration that rebuilds a table (DROP + RENAME) drops its
      // triggers; those of migrations applied before it (numbers are applied
      // as they come during development) are put back unless it drops them
      // by name.
      std::vector<std::pair<std::string, std::string>> triggers;
      {
        MALCHIN_ASSIGN_OR_RETURN(
            Stmt t, db_->Prepare("SELECT name, sql FROM sqlite_schema WHERE "
                                 "type = 'trigger'"));
        for (;;) {
          MALCHIN_ASSIGN_OR_RETURN(bool row, t.Step());
          if (!row) break;
          triggers.emplace_back(t.Text(0), t.Text(1));
        }
      }
      MALCHIN_RETURN_IF_ERROR(db_->Exec(m.sql).WithContext(
          "migration " + std::to_string(m.version)));
      for (const auto& [name, sql] : triggers) {
        if (m.sql.find("DROP TRIGGER " + name) != std::string_view::npos) {
          continue;
        }
        MALCHIN_ASSIGN_OR_RETURN(
            Stmt t, db_->Prepare("SELECT 1 FROM sqlite_schema WHERE type = "
                                 "'trigger' AND name = ?1"));
        t.Bind(1, std::string_view(name));
        MALCHIN_ASSIGN_OR_RETURN(bool still, t.Step());
        t.Reset();
        if (!still) {
          MALCHIN_RETURN_IF_ERROR(db_->Exec(sql).WithContext(
              "migration " + std::to_string(m.version) +
              ": restoring trigger " + name));
        }
      }
      // Migrations run with foreign keys off (a table rebuild drops the old
      // table); one that drops a table must leave every reference intact
      // (the check reads every referring row, so only then).
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt fk, db_->Prepare(m.sql.find("DROP TABLE") != std::string::npos
                                    ? "PRAGMA foreign_key_check"
                                    : "SELECT 1 WHERE 0"));
      MALCHIN_ASSIGN_OR_RETURN(bool broken, fk.Step());
      if (broken) {
        std::string where = std::string(fk.Text(0)) + " row " +
                            std::to_string(fk.Int(1)) +
                            " refers to a missing " + std::string(fk.Text(2));
        fk.Reset();
        return Status::DataLoss(
            db_->path() + ": migration " + std::to_string(m.version) + " (" +
            std::string(m.name) + ") would break a reference: " + where +
            "; nothing was changed");
      }
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt ins, db_->Prepare("INSERT INTO schema_migrations VALUES (?1, "
                                 "?2, ?3, datetime('now'))"));
      MALCHIN_RETURN_IF_ERROR(ins.Bind(1, m.version)
                                  .Bind(2, m.name)
                                  .Bind(3, std::string_view(m.Checksum()))
                                  .Run());
      MALCHIN_RETURN_IF_ERROR(tx->Commit());
    }
    schema_version_ = newest;
    return Status::Ok();
  }

  Result<StoreInfo> Info() override {
    StoreInfo info;
    info.schema_version = schema_version_;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s,
        db_->Prepare("SELECT (SELECT count(*) FROM households WHERE "
                     "deactivated_on IS NULL), (SELECT count(*) FROM persons "
                     "WHERE deactivated_on IS NULL)"));
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) {
      info.households = s.Int(0);
      info.persons = s.Int(1);
    }
    s.Reset();
    for (const char* suffix : {"", "-wal"}) {
      struct stat st;
      if (::stat((db_->path() + suffix).c_str(), &st) == 0) {
        info.bytes += st.st_size;
      }
    }
    return info;
  }

  Result<Counts> CountActive(const AreaFilter& area) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(
                    "SELECT count(DISTINCT h.hh), count(p.pid) FROM households "
                    "h LEFT JOIN persons p ON p.hh = h.hh AND p.deactivated_on "
                    "IS NULL WHERE h.deactivated_on IS NULL AND " +
                    AreaSql()));
    BindArea(s, area);
    Counts c;
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) {
      c.households = s.Int(0);
      c.persons = s.Int(1);
      s.Reset();
    }
    return c;
  }

  Result<std::optional<Household>> FindHousehold(std::string_view id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("find_hh", std::string("SELECT ") + kHouseholdColumns +
                                        " FROM households h WHERE h.id = ?1"));
    s.Bind(1, id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<Household>();
    Household h = ReadHousehold(s);
    s.Reset();
    return std::optional<Household>(std::move(h));
  }

  Result<std::optional<Person>> FindPerson(std::string_view rn) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("find_p", std::string("SELECT ") + kPersonColumns +
                                       " FROM persons p JOIN households h ON "
                                       "h.hh = p.hh WHERE p.register_no = ?1"));
    s.Bind(1, rn);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<Person>();
    Person p = ReadPerson(s);
    s.Reset();
    return std::optional<Person>(std::move(p));
  }

  Result<std::vector<Person>> Members(std::string_view id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s,
        Cached("members",
               std::string("SELECT ") + kPersonColumns +
                   " FROM households h JOIN persons p ON p.hh = h.hh WHERE "
                   "h.id = ?1 ORDER BY p.relation != 'head', p.born, "
                   "p.register_no"));
    s.Bind(1, id);
    std::vector<Person> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadPerson(s));
    }
    return out;
  }

  Result<std::vector<std::vector<Person>>> FindNameMatches(
      const std::vector<NameProbe>& probes) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s,
        Cached("name_match",
               std::string("SELECT ") + kPersonColumns +
                   " FROM persons p JOIN households h ON h.hh = p.hh "
                   "WHERE malchin_name_key(p.given_name) = ?4 AND p.born = "
                   "?2 AND malchin_name_key(p.father_name || ' ' || "
                   "p.given_name) = ?1 AND p.register_no != ?3 AND "
                   "p.deactivated_on IS NULL"));
    std::vector<std::vector<Person>> out(probes.size());
    for (size_t i = 0; i < probes.size(); ++i) {
      if (probes[i].given_key.empty()) {
        return Status::InvalidArgument(
            "name probe for " + probes[i].register_no +
            " has no given_key (text::NameKey of the given name)");
      }
      s.Bind(1, std::string_view(probes[i].name_key))
          .Bind(2, static_cast<int64_t>(probes[i].birth_date.days()))
          .Bind(3, std::string_view(probes[i].register_no))
          .Bind(4, std::string_view(probes[i].given_key));
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out[i].push_back(ReadPerson(s));
      }
    }
    return out;
  }

  Status ForEachHousehold(
      const AreaFilter& area,
      const std::function<Status(const Household&)>& fn) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT ") + kHouseholdColumns +
                             " FROM households h WHERE h.deactivated_on IS "
                             "NULL AND " +
                             AreaSql() + " ORDER BY h.id"));
    BindArea(s, area);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return Status::Ok();
      Status st = fn(ReadHousehold(s));
      if (!st.ok()) {
        s.Reset();
        return st;
      }
    }
  }

  Status ForEachPerson(
      const AreaFilter& area,
      const std::function<Status(const Person&)>& fn) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT ") + kPersonColumns +
                             " FROM persons p JOIN households h ON h.hh = "
                             "p.hh WHERE p.deactivated_on IS NULL AND " +
                             AreaSql() + " ORDER BY p.register_no"));
    BindArea(s, area);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return Status::Ok();
      Status st = fn(ReadPerson(s));
      if (!st.ok()) {
        s.Reset();
        return st;
      }
    }
  }

  Result<registry::Population> LoadPopulation(const AreaFilter& area) override {
    registry::Population pop;
    // Households by rowid; persons refer to them by rowid.
    std::vector<int32_t> index_of_rowid;
    {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt s,
          db_->Prepare("SELECT h.hh, h.id, h.soum_code, h.current_soum_code, "
                       "h.herder, h.camels, h.horses, h.cattle, h.sheep, "
                       "h.goats FROM households h WHERE h.deactivated_on IS "
                       "NULL AND " +
                       AreaSql() + " ORDER BY h.hh"));
      BindArea(s, area);
      registry::Household h;
      for (;;) {
        MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        int64_t rowid = s.Int(0);
        if (rowid >= static_cast<int64_t>(index_of_rowid.size())) {
          index_of_rowid.resize(rowid + 1, -1);
        }
        index_of_rowid[rowid] = static_cast<int32_t>(pop.households());
        h.id = s.Text(1);
        h.soum_code = static_cast<int32_t>(s.Int(2));
        h.current_soum_code = static_cast<int32_t>(s.Int(3));
        h.herder = s.Int(4) != 0;
        for (int i = 0; i < registry::kSpeciesCount; ++i) {
          h.herd.head[i] = static_cast<int32_t>(s.Int(5 + i));
        }
        pop.AddHousehold(h);
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare("SELECT p.hh, p.sex, p.born, p.relation, "
                             "p.disability, p.herder FROM persons p WHERE "
                             "p.deactivated_on IS NULL"));
    registry::Person p;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      int64_t rowid = s.Int(0);
      if (rowid >= static_cast<int64_t>(index_of_rowid.size()) ||
          index_of_rowid[rowid] < 0) {
        continue;  // Outside the area or in an inactive household.
      }
      p.sex = s.Text(1) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
      p.birth_date = Date::FromDays(static_cast<int32_t>(s.Int(2)));
      auto rel = registry::ParseRelation(s.Text(3));
      p.relation = rel.ok() ? *rel : registry::Relation::kOther;
      p.disability = s.Int(4) != 0;
      p.herder = s.Int(5) != 0;
      pop.AddPerson(p, index_of_rowid[rowid]);
    }
    return pop;
  }

  Result<WriteCounts> Upsert(const std::vector<Household>& households,
                             const std::vector<Person>& persons,
                             const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(WriteCounts c,
                             UpsertInTransaction(households, persons, context));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return c;
  }

  Status DeactivateHousehold(std::string_view id,
                             const registry::Deactivation& d,
                             const ChangeContext& context) override {
    return Deactivate("households", "id", "household", id, d, context);
  }
  Status DeactivatePerson(std::string_view rn, const registry::Deactivation& d,
                          const ChangeContext& context) override {
    return Deactivate("persons", "register_no", "person", rn, d, context);
  }

  Result<int64_t> HouseholdVersion(std::string_view id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s,
        Cached("hh_version", "SELECT version FROM households WHERE id = ?1"));
    s.Bind(1, id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      return Status::NotFound("household " + std::string(id) +
                              " does not exist");
    }
    int64_t v = s.Int(0);
    s.Reset();
    return v;
  }

  Result<int64_t> CreateHousehold(const Household& household,
                                  const std::vector<Person>& members,
                                  const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindHousehold(household.id));
    if (existing) {
      return Status::AlreadyExists("household " + household.id +
                                   " already exists");
    }
    MALCHIN_RETURN_IF_ERROR(
        UpsertInTransaction({household}, members, context).status());
    MALCHIN_ASSIGN_OR_RETURN(int64_t v, HouseholdVersion(household.id));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return v;
  }

  Result<int64_t> UpdateHousehold(const Household& household,
                                  const std::vector<Person>& members,
                                  int64_t expected_version,
                                  const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(int64_t current, HouseholdVersion(household.id));
    if (current != expected_version) {
      return Status::Conflict("household " + household.id +
                              " was changed by someone else: it is "
                              "at version " +
                              std::to_string(current) +
                              ", your change was made "
                              "to version " +
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
    MALCHIN_RETURN_IF_ERROR(
        UpsertInTransaction({household}, members, context).status());
    MALCHIN_ASSIGN_OR_RETURN(int64_t v, HouseholdVersion(household.id));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return v;
  }

  Result<HouseholdPage> SearchHouseholds(const AreaFilter& area,
                                         const SearchQuery& q) override {
    MALCHIN_ASSIGN_OR_RETURN(SearchSql w, BuildSearch(area, q, false));
    HouseholdPage page;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & count,
        Cached("sh_count:" + w.where,
               "SELECT count(*) FROM households h WHERE " + w.where));
    w.Bind(count);
    MALCHIN_ASSIGN_OR_RETURN(bool row, count.Step());
    if (row) page.total = count.Int(0);
    count.Reset();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("sh:" + w.page_where,
                         std::string("SELECT ") + kHouseholdColumns +
                             " FROM households h WHERE " + w.page_where +
                             " ORDER BY h.id LIMIT ?20 OFFSET ?21"));
    w.Bind(s);
    s.Bind(20, w.limit).Bind(21, w.offset);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, s.Step());
      if (!more) break;
      page.items.push_back(ReadHousehold(s));
    }
    return page;
  }

  Result<PersonPage> SearchPersons(const AreaFilter& area,
                                   const SearchQuery& q) override {
    MALCHIN_ASSIGN_OR_RETURN(SearchSql w, BuildSearch(area, q, true));
    PersonPage page;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & count,
        Cached("sp_count:" + w.where,
               "SELECT count(*) FROM persons p JOIN households h ON h.hh = "
               "p.hh WHERE " +
                   w.where));
    w.Bind(count);
    MALCHIN_ASSIGN_OR_RETURN(bool row, count.Step());
    if (row) page.total = count.Int(0);
    count.Reset();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("sp:" + w.page_where,
                         std::string("SELECT ") + kPersonColumns +
                             " FROM persons p JOIN households h ON h.hh = "
                             "p.hh WHERE " +
                             w.page_where +
                             " ORDER BY p.register_no LIMIT ?20 OFFSET ?21"));
    w.Bind(s);
    s.Bind(20, w.limit).Bind(21, w.offset);
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, s.Step());
      if (!more) break;
      page.items.push_back(ReadPerson(s));
    }
    return page;
  }

  Result<std::unique_ptr<UpsertWriter>> BeginUpsert(
      const ChangeContext& context) override;

  Result<std::unique_ptr<BulkLoader>> BeginBulkLoad() override {
    MALCHIN_ASSIGN_OR_RETURN(StoreInfo info, Info());
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt any, db_->Prepare("SELECT EXISTS (SELECT 1 FROM households)"));
    MALCHIN_ASSIGN_OR_RETURN(bool row, any.Step());
    if (row && any.Int(0) != 0) {
      any.Reset();
      return Status::FailedPrecondition(
          db_->path() + " already holds a register (" +
          std::to_string(info.households) + " households, " +
          std::to_string(info.persons) +
          " persons); generate into a new database file");
    }
    any.Reset();
    // An empty file needs no write-ahead log: a rollback journal writes new
    // pages once. Switch back to WAL in Finish().
    MALCHIN_RETURN_IF_ERROR(db_->Exec("PRAGMA journal_mode=DELETE"));
    MALCHIN_RETURN_IF_ERROR(db_->Exec("PRAGMA cache_size=-262144"));
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    for (const auto& idx : kBulkIndexes) {
      MALCHIN_RETURN_IF_ERROR(
          db_->Exec(std::string("DROP INDEX IF EXISTS ") + idx[0]));
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt hh, db_->Prepare(kInsertHousehold));
    MALCHIN_ASSIGN_OR_RETURN(Stmt p, db_->Prepare(kInsertPerson));
    return std::unique_ptr<BulkLoader>(new SqliteBulkLoader(
        db_.get(), std::move(tx), std::move(hh), std::move(p)));
  }

  Result<UserRecord> CreateUser(const UserRecord& u,
                                const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("ins_user",
                         "INSERT INTO users (username, password_hash, role, "
                         "area_code, disabled, created_at, updated_at) VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?6)"));
    Status st = s.Bind(1, std::string_view(u.username))
                    .Bind(2, std::string_view(u.password_hash))
                    .Bind(3, std::string_view(u.role))
                    .Bind(4, u.area_code)
                    .Bind(5, static_cast<int64_t>(u.disabled))
                    .Bind(6, std::string_view(u.created_at))
                    .Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("user '" + u.username + "' already exists");
    }
    MALCHIN_RETURN_IF_ERROR(st);
    UserRecord out = u;
    out.id = sqlite3_last_insert_rowid(db_->raw());
    out.updated_at = u.created_at;
    AuditEntry e;
    e.actor = ActorOf(context);
    e.action = "user.create";
    e.entity_type = "user";
    e.entity_id = out.username;
    e.after_json = UserJson(out, false);
    MALCHIN_RETURN_IF_ERROR(Audit(e));
    MALCHIN_RETURN_IF_ERROR(tx->Commit());
    return out;
  }

  Result<std::optional<UserRecord>> FindUser(std::string_view name) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("find_user", std::string("SELECT ") + kUserColumns +
                                          " FROM users u WHERE u.username = "
                                          "?1"));
    s.Bind(1, name);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<UserRecord>();
    UserRecord u = ReadUser(s, 0);
    s.Reset();
    return std::optional<UserRecord>(std::move(u));
  }

  Result<std::optional<UserRecord>> FindUserById(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("find_user_id", std::string("SELECT ") + kUserColumns +
                                             " FROM users u WHERE u.id = ?1"));
    s.Bind(1, id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<UserRecord>();
    UserRecord u = ReadUser(s, 0);
    s.Reset();
    return std::optional<UserRecord>(std::move(u));
  }

  Result<std::vector<UserRecord>> ListUsers() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT ") + kUserColumns +
                             " FROM users u ORDER BY u.username"));
    std::vector<UserRecord> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return out;
      out.push_back(ReadUser(s, 0));
    }
  }

  Status UpdateUser(const UserRecord& u,
                    const ChangeContext& context) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(auto before, FindUserById(u.id));
    if (!before) {
      return Status::NotFound("no user with id " + std::to_string(u.id));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("upd_user",
                         "UPDATE users SET password_hash = ?2, role = ?3, "
                         "area_code = ?4, disabled = ?5, updated_at = ?6 "
                         "WHERE id = ?1"));
    MALCHIN_RETURN_IF_ERROR(s.Bind(1, u.id)
                                .Bind(2, std::string_view(u.password_hash))
                                .Bind(3, std::string_view(u.role))
                                .Bind(4, u.area_code)
                                .Bind(5, static_cast<int64_t>(u.disabled))
                                .Bind(6, std::string_view(u.updated_at))
                                .Run());
    UserRecord after = u;
    after.username = before->username;
    AuditEntry e;
    e.actor = ActorOf(context);
    e.action = "user.update";
    e.entity_type = "user";
    e.entity_id = before->username;
    e.before_json = UserJson(*before, false);
    e.after_json =
        UserJson(after, before->password_hash != after.password_hash);
    MALCHIN_RETURN_IF_ERROR(Audit(e));
    return tx->Commit();
  }

  Status CreateSession(const SessionRecord& r) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(auto user, FindUserById(r.user_id));
    if (!user) {
      return Status::NotFound("no user with id " + std::to_string(r.user_id));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("ins_session",
                         "INSERT INTO sessions (token_hash, user_id, "
                         "created_at, expires_at) VALUES (?1, ?2, ?3, ?4)"));
    MALCHIN_RETURN_IF_ERROR(s.Bind(1, std::string_view(r.token_hash))
                                .Bind(2, r.user_id)
                                .Bind(3, std::string_view(r.created_at))
                                .Bind(4, std::string_view(r.expires_at))
                                .Run());
    AuditEntry e;
    e.actor = user->username;
    e.action = "login";
    e.entity_type = "session";
    // A prefix of the token's hash names the session without revealing it.
    e.entity_id = r.token_hash.substr(0, 16);
    e.after_json = nlohmann::json({{"expires_at", r.expires_at}}).dump();
    e.at = r.created_at;
    MALCHIN_RETURN_IF_ERROR(Audit(e));
    return tx->Commit();
  }

  Result<std::optional<std::pair<SessionRecord, UserRecord>>> FindSession(
      std::string_view token_hash) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s,
        Cached("find_session",
               std::string("SELECT s.token_hash, s.user_id, s.created_at, "
                           "s.expires_at, s.revoked_at, ") +
                   kUserColumns +
                   " FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
                   "s.token_hash = ?1"));
    s.Bind(1, token_hash);
    using Pair = std::pair<SessionRecord, UserRecord>;
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<Pair>();
    SessionRecord r;
    r.token_hash = s.Text(0);
    r.user_id = s.Int(1);
    r.created_at = s.Text(2);
    r.expires_at = s.Text(3);
    if (!s.IsNull(4)) r.revoked_at = std::string(s.Text(4));
    Pair out{std::move(r), ReadUser(s, 5)};
    s.Reset();
    return std::optional<Pair>(std::move(out));
  }

  Status RevokeSessions(int64_t user_id, std::string_view token_hash,
                        std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    MALCHIN_ASSIGN_OR_RETURN(auto user, FindUserById(user_id));
    if (!user) {
      return Status::NotFound("no user with id " + std::to_string(user_id));
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("revoke",
                         "UPDATE sessions SET revoked_at = ?3 WHERE user_id = "
                         "?1 AND (?2 = '' OR token_hash = ?2) AND revoked_at "
                         "IS NULL"));
    MALCHIN_RETURN_IF_ERROR(
        s.Bind(1, user_id).Bind(2, token_hash).Bind(3, at).Run());
    int64_t revoked = db_->Changes();
    if (revoked > 0) {
      AuditEntry e;
      e.actor = user->username;
      e.action = "logout";
      e.entity_type = "session";
      e.entity_id = token_hash.empty() ? std::string("all")
                                       : std::string(token_hash.substr(0, 16));
      e.after_json = nlohmann::json({{"revoked", revoked}}).dump();
      e.at = std::string(at);
      MALCHIN_RETURN_IF_ERROR(Audit(e));
    }
    return tx->Commit();
  }

  Status RecordPersonReads(const std::vector<PersonRead>& reads) override {
    if (reads.empty()) return Status::Ok();
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    // One batch: the chain's end is read once, the time taken once.
    AuditChainEnd end;
    const std::string now = UtcNowIso();
    for (const PersonRead& r : reads) {
      AuditEntry e;
      e.actor = r.actor;
      e.action = "person.read";
      e.entity_type = "person";
      e.entity_id = r.register_no;
      e.register_no = r.register_no;
      e.after_json =
          nlohmann::json(
              {{"household_id", r.household_id}, {"purpose", r.purpose}})
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      e.at = r.at.empty() ? now : r.at;
      MALCHIN_RETURN_IF_ERROR(Audit(std::move(e), &end));
    }
    return tx->Commit();
  }

  Result<std::vector<AuditRecord>> ListAudit(const AuditQuery& q) override {
    std::string where = "seq > ?1";
    if (!q.actor.empty()) where += " AND actor = ?2";
    if (!q.register_no.empty()) where += " AND register_no = ?3";
    if (!q.household_id.empty()) {
      // "entity_type <> 'person'" repeats the partial index's condition
      // (migration 11) so that SQLite uses audit_entity for this term.
      where +=
          " AND ((entity_type = 'household' AND entity_type <> 'person' AND "
          "entity_id = ?4) OR "
          "register_no IN (SELECT p.register_no FROM persons p JOIN "
          "households h ON h.hh = p.hh WHERE h.id = ?4))";
    }
    if (!q.from.empty()) where += " AND at >= ?5";
    if (!q.to.empty()) where += " AND at <= ?6";
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s,
        Cached("audit:" + where,
               "SELECT seq, at, actor, action, entity_type, entity_id, "
               "register_no, before_json, after_json, prev_hash, hash FROM "
               "audit_log WHERE " +
                   where + " ORDER BY seq LIMIT ?7"));
    s.Bind(1, q.after_seq);
    if (!q.actor.empty()) s.Bind(2, std::string_view(q.actor));
    if (!q.register_no.empty()) s.Bind(3, std::string_view(q.register_no));
    if (!q.household_id.empty()) s.Bind(4, std::string_view(q.household_id));
    if (!q.from.empty()) s.Bind(5, std::string_view(q.from));
    if (!q.to.empty()) s.Bind(6, std::string_view(q.to));
    s.Bind(7, static_cast<int64_t>(std::clamp(q.limit, 1, 1000)));
    std::vector<AuditRecord> out;
    auto opt = [&s](int col) -> std::optional<std::string> {
      if (s.IsNull(col)) return std::nullopt;
      return std::string(s.Text(col));
    };
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      AuditRecord r;
      r.seq = s.Int(0);
      r.at = s.Text(1);
      r.actor = s.Text(2);
      r.action = s.Text(3);
      r.entity_type = s.Text(4);
      r.entity_id = s.Text(5);
      r.register_no = opt(6);
      r.before_json = opt(7);
      r.after_json = opt(8);
      r.prev_hash = s.Text(9);
      r.hash = s.Text(10);
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<AuditCheck> VerifyAudit() override {
    MALCHIN_ASSIGN_OR_RETURN(AuditVerification v, VerifyAuditChain(db_.get()));
    AuditCheck c;
    c.entries = v.entries;
    c.first_bad_seq = v.first_bad_seq;
    c.problem = v.problem;
    return c;
  }

  Db* SqliteConnection() override { return db_.get(); }

  Result<std::optional<std::string>> GetMeta(std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s, Cached("get_meta", "SELECT value FROM meta WHERE key = ?1"));
    s.Bind(1, key);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<std::string>();
    std::string v(s.Text(0));
    s.Reset();
    return std::optional<std::string>(std::move(v));
  }

  Status SetMeta(std::string_view key, std::string_view value) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & s,
        Cached("set_meta",
               "INSERT INTO meta (key, value) VALUES (?1, ?2) ON "
               "CONFLICT (key) DO UPDATE SET value = excluded.value"));
    return s.Bind(1, key).Bind(2, value).Run();
  }

 private:
  static std::string AreaSql() {
    return "(?1 = 0 OR h.soum_code = ?1) AND (?2 = 0 OR h.soum_code / 100 = "
           "?2)";
  }
  static void BindArea(Stmt& s, const AreaFilter& a) {
    s.Bind(1, a.soum_code).Bind(2, a.aimag_code);
  }

  // A statement prepared once per connection and reused.
  Result<Stmt*> CachedPtr(const std::string& name, std::string_view sql) {
    auto it = cache_.find(name);
    if (it != cache_.end()) return &it->second;
    MALCHIN_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
    return &cache_.emplace(name, std::move(s)).first->second;
  }
  Result<std::reference_wrapper<Stmt>> Cached(const std::string& name,
                                              std::string_view sql) {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s, CachedPtr(name, sql));
    return std::ref(*s);
  }

  // The last entry of the chain, remembered across the entries of one
  // transaction so that a batch reads it from the table only once.
  struct AuditChainEnd {
    bool known = false;
    int64_t seq = 0;
    std::string hash;
  };

  // Appends an audit entry. REQUIRES: a transaction is open. The same chain
  // as AppendAudit (audit_log.h), with statements prepared once. `end`, if
  // given, must be used only within this transaction.
  Status Audit(AuditEntry e, AuditChainEnd* end = nullptr) {
    if (e.at.empty()) e.at = UtcNowIso();
    int64_t seq = 1;
    std::string prev(64, '0');
    if (end && end->known) {
      seq = end->seq + 1;
      prev = std::move(end->hash);
    } else {
      MALCHIN_ASSIGN_OR_RETURN(
          Stmt & last,
          Cached("audit_last",
                 "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
      MALCHIN_ASSIGN_OR_RETURN(bool row, last.Step());
      if (row) {
        seq = last.Int(0) + 1;
        prev = std::string(last.Text(1));
        last.Reset();
      }
    }
    std::string hash = Sha256Hex(CanonicalAuditText(seq, e, prev));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & ins,
        Cached("audit_ins",
               "INSERT INTO audit_log (seq, at, actor, action, entity_type, "
               "entity_id, register_no, before_json, after_json, prev_hash, "
               "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    ins.Bind(1, seq)
        .Bind(2, std::string_view(e.at))
        .Bind(3, std::string_view(e.actor))
        .Bind(4, std::string_view(e.action))
        .Bind(5, std::string_view(e.entity_type))
        .Bind(6, std::string_view(e.entity_id))
        .Bind(7, e.register_no)
        .Bind(8, e.before_json)
        .Bind(9, e.after_json)
        .Bind(10, std::string_view(prev))
        .Bind(11, std::string_view(hash));
    MALCHIN_RETURN_IF_ERROR(ins.Run());
    if (end) {
      end->known = true;
      end->seq = seq;
      end->hash = std::move(hash);
    }
    return Status::Ok();
  }

  // The WHERE clause of a search (over households h, and persons p when
  // `persons`) and its parameters (?1..?9; ?20/?21 are LIMIT/OFFSET). Every
  // form is index-driven (store_test checks the plans):
  //   - soum: households_soum (soum_code, id, herder, deactivated_on) gives
  //     the soum's households in id order, filters and count from the index;
  //   - register number: persons_register_no; household id: its unique index;
  //   - name: persons_given_birth over malchin_name_key(given_name), a range
  //     for the prefix; earlier words must start the father's name (checked
  //     on the row, keys ?7..?8).
  //   - after (keyset paging): continues from a key in the sort order.
  struct SearchSql {
    std::string where;       // All matches (for the total).
    std::string page_where;  // The page's: `where` and the keyset bound.
    int32_t soum = 0, aimag = 0, herder = 0;
    std::string text, key_lo, key_hi, full_lo, full_hi, after;
    int64_t limit = 50, offset = 0;
    void Bind(Stmt& s) const {
      if (soum) s.Bind(1, soum);
      if (aimag) s.Bind(2, aimag);
      s.Bind(3, herder);
      if (!text.empty()) s.Bind(4, std::string_view(text));
      if (!key_lo.empty()) {
        s.Bind(5, std::string_view(key_lo)).Bind(6, std::string_view(key_hi));
      }
      if (!full_lo.empty()) {
        s.Bind(7, std::string_view(full_lo)).Bind(8, std::string_view(full_hi));
      }
      if (!after.empty()) s.Bind(9, std::string_view(after));
    }
  };
  // Splits a name query into the given-name key (its last word with
  // letters) and the father's-name key (the words before it, if any).
  static void SplitName(std::string_view text, std::string* father,
                        std::string* given) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < text.size()) {
      size_t b = text.find_first_not_of(" \t.,", i);
      if (b == std::string_view::npos) break;
      size_t e = text.find_first_of(" \t.,", b);
      if (e == std::string_view::npos) e = text.size();
      if (!text::NameKey(text.substr(b, e - b)).empty()) {
        words.push_back(text.substr(b, e - b));
      }
      i = e;
    }
    father->clear();
    given->clear();
    if (words.empty()) return;
    *given = text::NameKey(words.back());
    if (words.size() > 1) {
      *father = text::NameKey(text.substr(words.front().data() - text.data(),
                                          words[words.size() - 2].data() +
                                              words[words.size() - 2].size() -
                                              words.front().data()));
    }
  }
  static Result<SearchSql> BuildSearch(const AreaFilter& area,
                                       const SearchQuery& q, bool persons) {
    SearchSql w;
    std::vector<std::string> conds;
    if (!q.include_inactive) {
      conds.push_back("h.deactivated_on IS NULL");
      if (persons) conds.push_back("p.deactivated_on IS NULL");
    }
    // The query's soum and the area must agree; otherwise nothing matches.
    AreaFilter a = area;
    if (q.soum_code) {
      if (!area.Matches(q.soum_code)) {
        conds.push_back("0");
      } else {
        a.soum_code = q.soum_code;
      }
    }
    if (a.soum_code) {
      w.soum = a.soum_code;
      conds.push_back("h.soum_code = ?1");
    } else if (a.aimag_code) {
      w.aimag = a.aimag_code;
      conds.push_back("h.soum_code BETWEEN ?2 * 100 AND ?2 * 100 + 99");
    }
    if (q.herder) {
      w.herder = *q.herder ? 1 : 0;
      conds.push_back(persons ? "p.herder = ?3" : "h.herder = ?3");
    }
    if (!q.text.empty()) {
      std::string rn = registry::NormalizeRegisterNumber(q.text);
      bool is_rn = registry::ParseRegisterNumber(rn).ok();
      std::string father, given;
      SplitName(q.text, &father, &given);
      bool is_id = !persons && registry::IsValidHouseholdId(q.text);
      if (is_rn) {
        w.text = rn;
        conds.push_back(persons ? "p.register_no = ?4"
                                : "h.hh IN (SELECT hh FROM persons WHERE "
                                  "register_no = ?4)");
      } else if (!given.empty()) {
        w.key_lo = given;
        w.key_hi = given + "{";  // Keys are a-z only; '{' follows 'z'.
        std::string match =
            "malchin_name_key(p.given_name) >= ?5 AND "
            "malchin_name_key(p.given_name) < ?6";
        if (!father.empty()) {
          w.full_lo = father;
          w.full_hi = father + "{";
          match += " AND malchin_name_key(p.father_name) BETWEEN ?7 AND ?8";
        }
        if (persons) {
          conds.push_back(match);
        } else if (is_id) {
          // A household id that is also a name ("A1"): both, each through
          // its own index (a UNION, not an OR that scans).
          w.text = q.text;
          conds.push_back("h.hh IN (SELECT p.hh FROM persons p WHERE " + match +
                          " UNION SELECT hh FROM households WHERE id = "
                          "?4)");
        } else {
          conds.push_back("h.hh IN (SELECT p.hh FROM persons p WHERE " + match +
                          ")");
        }
      } else if (is_id) {
        w.text = q.text;
        conds.push_back("h.id = ?4");
      } else {
        return Status::InvalidArgument(
            "q '" + q.text +
                "': expected a register number (2 Cyrillic letters and 8 "
                "digits), a household id or a name (the start of the given "
                "name, after the father's name if you give both)",
            "q");
      }
    }
    if (conds.empty()) conds.push_back("1");
    for (size_t i = 0; i < conds.size(); ++i) {
      if (i) w.where += " AND ";
      w.where += conds[i];
    }
    w.page_where = w.where;
    if (!q.after.empty()) {
      w.after = q.after;
      w.page_where += persons ? " AND p.register_no > ?9" : " AND h.id > ?9";
    }
    int size = std::clamp(q.page_size, 1, 500);
    w.limit = size;
    w.offset = q.after.empty()
                   ? static_cast<int64_t>(std::max(q.page, 1) - 1) * size
                   : 0;
    return w;
  }

  // Upsert's work, inside the caller's transaction, with an audit entry for
  // every household and person created or changed.
  Result<WriteCounts> UpsertInTransaction(
      const std::vector<Household>& households,
      const std::vector<Person>& persons, const ChangeContext& context) {
    WriteCounts c;
    const std::string actor = ActorOf(context);
    for (const Household& h : households) {
      MALCHIN_RETURN_IF_ERROR(UpsertHouseholdRow(h, actor, &c));
    }
    HouseholdCursor cursor;
    for (const Person& p : persons) {
      MALCHIN_RETURN_IF_ERROR(UpsertPersonRow(p, actor, &cursor, &c));
    }
    MALCHIN_RETURN_IF_ERROR(LogImport(context, c));
    return c;
  }

 public:
  // One household of an upsert. REQUIRES: a transaction is open.
  Status UpsertHouseholdRow(const Household& h, const std::string& actor,
                            WriteCounts* c) {
    MALCHIN_ASSIGN_OR_RETURN(Stmt & ins_h, Cached("ins_h", kInsertHousehold));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & upd_h,
        Cached("upd_h",
               "UPDATE households SET soum_code = ?2, bag = ?3, "
               "current_soum_code = ?4, herder = ?5, camels = ?6, horses = ?7, "
               "cattle = ?8, sheep = ?9, goats = ?10, cooperative = ?11, "
               "phone = ?12, lat = ?13, lon = ?14, version = version + 1 "
               "WHERE id = ?1"));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindHousehold(h.id));
    AuditEntry e;
    e.actor = actor;
    e.entity_type = "household";
    e.entity_id = h.id;
    if (!existing) {
      ins_h.Bind(1, std::string_view(h.id));
      BindHouseholdFields(ins_h, 2, h);
      MALCHIN_RETURN_IF_ERROR(ins_h.Run().WithContext("household " + h.id));
      c->households_inserted++;
      e.action = "household.create";
      e.after_json = HouseholdJson(h);
      return Audit(std::move(e));
    }
    Household incoming = h;
    incoming.deactivated = existing->deactivated;
    if (incoming == *existing) {
      c->households_unchanged++;
      return Status::Ok();
    }
    upd_h.Bind(1, std::string_view(h.id));
    BindHouseholdFields(upd_h, 2, h);
    MALCHIN_RETURN_IF_ERROR(upd_h.Run().WithContext("household " + h.id));
    c->households_updated++;
    e.action = "household.update";
    e.before_json = HouseholdJson(*existing);
    e.after_json = HouseholdJson(incoming);
    return Audit(std::move(e));
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
          Stmt & hh_rowid,
          Cached("hh_rowid", "SELECT hh FROM households WHERE id = ?1"));
      hh_rowid.Bind(1, std::string_view(p.household_id));
      MALCHIN_ASSIGN_OR_RETURN(bool row, hh_rowid.Step());
      if (!row) {
        return Status::InvalidArgument(
            "person " + p.register_no + " refers to household " +
                p.household_id + ", which does not exist",
            "household_id");
      }
      cursor->rowid = hh_rowid.Int(0);
      cursor->id = p.household_id;
      hh_rowid.Reset();
    }
    MALCHIN_ASSIGN_OR_RETURN(Stmt & ins_p, Cached("ins_p", kInsertPerson));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & upd_p,
        Cached("upd_p",
               "UPDATE persons SET hh = ?2, family_name = ?3, father_name = "
               "?4, given_name = ?5, sex = ?6, born = ?7, relation = ?8, "
               "disability = ?9, herder = ?10, phone = ?11, bank_account = "
               "?12, version = version + 1 WHERE register_no = ?1"));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, FindPerson(p.register_no));
    Stmt& s = existing ? upd_p : ins_p;
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
    AuditEntry e;
    e.actor = actor;
    e.action = existing ? "person.update" : "person.create";
    e.entity_type = "person";
    e.entity_id = p.register_no;
    e.register_no = p.register_no;
    if (existing) e.before_json = PersonJson(*existing);
    e.after_json = PersonJson(incoming);
    return Audit(std::move(e));
  }

  // Records an upsert in `imports`. REQUIRES: a transaction is open.
  Status LogImport(const ChangeContext& context, const WriteCounts& c) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt & log,
        Cached("log_import",
               "INSERT INTO imports (at, actor, source, households_inserted, "
               "households_updated, persons_inserted, persons_updated) VALUES "
               "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, "
               "?6)"));
    return log.Bind(1, std::string_view(context.actor))
        .Bind(2, std::string_view(context.source))
        .Bind(3, c.households_inserted)
        .Bind(4, c.households_updated)
        .Bind(5, c.persons_inserted)
        .Bind(6, c.persons_updated)
        .Run();
  }

 private:
  Status Deactivate(const char* table, const char* key, const char* noun,
                    std::string_view id, const registry::Deactivation& d,
                    const ChangeContext& context) {
    if (d.reason.empty()) {
      return Status::InvalidArgument("a deactivation needs a reason", "reason");
    }
    MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
    bool household = std::string_view(noun) == "household";
    std::string before, after;
    std::optional<std::string> register_no;
    if (household) {
      MALCHIN_ASSIGN_OR_RETURN(auto h, FindHousehold(id));
      if (h) {
        before = HouseholdJson(*h);
        if (!h->deactivated) h->deactivated = d;
        after = HouseholdJson(*h);
      }
    } else {
      MALCHIN_ASSIGN_OR_RETURN(auto p, FindPerson(id));
      if (p) {
        register_no = p->register_no;
        before = PersonJson(*p);
        if (!p->deactivated) p->deactivated = d;
        after = PersonJson(*p);
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt s, db_->Prepare(std::string("SELECT deactivated_on FROM ") +
                             table + " WHERE " + key + " = ?1"));
    s.Bind(1, id);
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
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
        Stmt u, db_->Prepare(std::string("UPDATE ") + table +
                             " SET deactivated_on = ?2, deactivation_reason = "
                             "?3, version = version + 1 WHERE " +
                             key + " = ?1"));
    MALCHIN_RETURN_IF_ERROR(u.Bind(1, id)
                                .Bind(2, std::string_view(d.on.ToString()))
                                .Bind(3, std::string_view(d.reason))
                                .Run());
    AuditEntry e;
    e.actor = ActorOf(context);
    e.action = std::string(noun) + ".deactivate";
    e.entity_type = noun;
    e.entity_id = std::string(id);
    e.register_no = register_no;
    e.before_json = before;
    e.after_json = after;
    MALCHIN_RETURN_IF_ERROR(Audit(std::move(e)));
    return tx->Commit();
  }

  std::unique_ptr<Db> db_;
  std::unordered_map<std::string, Stmt> cache_;
  int schema_version_ = 0;
};

// Store::BeginUpsert of the SQLite store: one open transaction, rows
// written as they come.
class SqliteUpsertWriter : public UpsertWriter {
 public:
  SqliteUpsertWriter(SqliteStore* store, std::unique_ptr<Transaction> tx,
                     ChangeContext context)
      : store_(store),
        tx_(std::move(tx)),
        context_(std::move(context)),
        actor_(ActorOf(context_)) {}

  Status AddHousehold(const Household& h) override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    return Track(store_->UpsertHouseholdRow(h, actor_, &counts_));
  }
  Status AddPerson(const Person& p) override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    return Track(store_->UpsertPersonRow(p, actor_, &cursor_, &counts_));
  }
  Result<WriteCounts> Commit() override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    MALCHIN_RETURN_IF_ERROR(Track(store_->LogImport(context_, counts_)));
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

  SqliteStore* store_;
  std::unique_ptr<Transaction> tx_;
  ChangeContext context_;
  std::string actor_;
  WriteCounts counts_;
  SqliteStore::HouseholdCursor cursor_;
  bool failed_ = false, done_ = false;
};

Result<std::unique_ptr<UpsertWriter>> SqliteStore::BeginUpsert(
    const ChangeContext& context) {
  MALCHIN_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(db_.get()));
  return std::unique_ptr<UpsertWriter>(
      new SqliteUpsertWriter(this, std::move(tx), context));
}

// The default: collect, then one Upsert (so a scoped view checks it all).
class CollectingUpsertWriter : public UpsertWriter {
 public:
  CollectingUpsertWriter(Store* store, ChangeContext context)
      : store_(store), context_(std::move(context)) {}
  Status AddHousehold(const Household& h) override {
    households_.push_back(h);
    return Status::Ok();
  }
  Status AddPerson(const Person& p) override {
    persons_.push_back(p);
    return Status::Ok();
  }
  Result<WriteCounts> Commit() override {
    return store_->Upsert(households_, persons_, context_);
  }

 private:
  Store* store_;
  ChangeContext context_;
  std::vector<Household> households_;
  std::vector<Person> persons_;
};

}  // namespace

Result<std::unique_ptr<UpsertWriter>> Store::BeginUpsert(
    const ChangeContext& context) {
  return std::unique_ptr<UpsertWriter>(
      new CollectingUpsertWriter(this, context));
}

Result<std::unique_ptr<Store>> Store::OpenSqlite(const std::string& path,
                                                 const OpenOptions& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE |
                                      (options.create ? SQLITE_OPEN_CREATE : 0);
  MALCHIN_ASSIGN_OR_RETURN(auto db, Db::Open(path, flags));
  // A file that is not a database fails on the first read.
  Status probe = db->Exec("SELECT count(*) FROM sqlite_master");
  if (!probe.ok()) {
    return Status::DataLoss(path + " is not a Malchin database (" +
                            probe.message() + ")");
  }
  if (!options.read_only) {
    MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  }
  MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  // Reads map the file instead of copying each page in with pread(): the
  // server's lookups spend far less time in the kernel (docs/server.md).
  // SQLite caps this at its compile-time limit (2 GiB on Debian).
  MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA mmap_size=2147418112"));
  // A mapped file that grows page by page (the audit trail of reads grows
  // it at every checkpoint) is remapped by every connection each time; a
  // large register grows in 32 MiB steps instead. Small files (tests, a
  // soum's register) keep growing exactly.
  if (struct stat st{};
      ::stat(path.c_str(), &st) == 0 && st.st_size >= (int64_t{256} << 20)) {
    int chunk = 32 << 20;
    sqlite3_file_control(db->raw(), "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
  }
  if (sqlite3_create_function_v2(
          db->raw(), "malchin_name_key", 1,
          SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
          NameKeyFunction, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return db->Error("registering malchin_name_key");
  }
  // Migrations run with foreign keys off (SQLite's way to rebuild a table
  // that others refer to) and check them before they commit; then on.
  MALCHIN_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=OFF"));
  Db* raw = db.get();
  auto store = std::make_unique<SqliteStore>(std::move(db));
  MALCHIN_RETURN_IF_ERROR(store->Migrate(options.read_only));
  MALCHIN_RETURN_IF_ERROR(raw->Exec("PRAGMA foreign_keys=ON"));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace malchin::store
