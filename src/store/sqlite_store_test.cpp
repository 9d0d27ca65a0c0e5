#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "core/text.h"
#include "store/migrations.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace malchin::store {
namespace {

using registry::Household;
using registry::Person;
using registry::Relation;
using registry::Sex;

Date D(const char* s) { return *Date::Parse(s); }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("malchin_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "r.db").string();
    auto s = Store::OpenSqlite(path_, {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static Household Hh(const char* id, int32_t soum) {
    Household h;
    h.id = id;
    h.soum_code = soum;
    h.current_soum_code = soum;
    h.herder = true;
    h.herd[registry::Species::kSheep] = 120;
    h.lat = 48.5;
    h.lon = 98.1;
    return h;
  }
  static Person P(const char* rn, const char* hh, const char* born, Sex sex,
                  Relation rel) {
    Person p;
    p.register_no = rn;
    p.household_id = hh;
    p.family_name = "Боржигин";
    p.father_name = "Батбаяр";
    p.given_name = "Сүхээ";
    p.sex = sex;
    p.birth_date = D(born);
    p.relation = rel;
    return p;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, UpsertIsIdempotentAndMovesPersons) {
  std::vector<Household> hh = {Hh("H1", 18140), Hh("H2", 18125)};
  std::vector<Person> ps = {
      P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead),
      P("ИЗ15220111", "H1", "2015-02-01", Sex::kMale, Relation::kChild)};
  auto c1 = store_->Upsert(hh, ps, {"test", "t"});
  ASSERT_TRUE(c1.ok()) << c1.status().ToString();
  EXPECT_EQ(c1->households_inserted, 2);
  EXPECT_EQ(c1->persons_inserted, 2);
  auto c2 = store_->Upsert(hh, ps, {"test", "t"});
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(*c2, (WriteCounts{0, 0, 2, 0, 0, 2}));

  ps[1].household_id = "H2";  // The child moves household: an update.
  auto c3 = store_->Upsert({}, ps, {});
  ASSERT_TRUE(c3.ok());
  EXPECT_EQ(c3->persons_updated, 1);
  EXPECT_EQ(c3->persons_inserted, 0);
  auto moved = store_->FindPerson("ИЗ15220111");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->household_id, "H2");
  EXPECT_EQ(**moved, ps[1]);
  EXPECT_EQ(store_->Members("H1")->size(), 1u);
  auto info = store_->Info();
  EXPECT_EQ(info->persons, 2);
  EXPECT_EQ(info->households, 2);
}

TEST_F(StoreTest, FailedUpsertWritesNothing) {
  std::vector<Person> ps = {
      P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead),
      P("ИЗ15220111", "NOPE", "2015-02-01", Sex::kMale, Relation::kChild)};
  auto r = store_->Upsert({Hh("H1", 18140)}, ps, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("NOPE"), std::string::npos);
  EXPECT_EQ(store_->Info()->households, 0);
  EXPECT_EQ(store_->Info()->persons, 0);
}

// malchin_name_key for raw connections in tests: text::NameKey.
void NameKeyForTest(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const unsigned char* t = sqlite3_value_text(argv[0]);
  if (t == nullptr) return sqlite3_result_null(ctx);
  std::string key = text::NameKey(
      std::string_view(reinterpret_cast<const char*>(t),
                       static_cast<size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(ctx, key.data(), static_cast<int>(key.size()),
                      SQLITE_TRANSIENT);
}
void RegisterNameKey(sqlite3* db) {
  ASSERT_EQ(sqlite3_create_function_v2(
                db, "malchin_name_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                nullptr, NameKeyForTest, nullptr, nullptr, nullptr),
            SQLITE_OK);
}

TEST_F(StoreTest, DatabaseEnforcesUniqueRegisterNumbers) {
  ASSERT_TRUE(store_->Upsert({Hh("H1", 18140)}, {}, {}).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  const char* ins =
      "INSERT INTO persons (register_no, hh, father_name, given_name, "
      "sex, born, relation, disability, herder) VALUES "
      "('ИЗ85120320', 1, 'А', 'Б', 'F', 5815, 'head', 0, 0)";
  // A connection without the name-key function cannot write persons (the
  // name index is over it), and says so.
  char* err = nullptr;
  EXPECT_NE(sqlite3_exec(db, ins, nullptr, nullptr, &err), SQLITE_OK);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("malchin_name_key"), std::string::npos)
      << err;
  sqlite3_free(err);
  RegisterNameKey(db);
  EXPECT_EQ(sqlite3_exec(db, ins, nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, ins, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  // The birth date reads back as a date, also as text in SQL.
  auto p = store_->FindPerson("ИЗ85120320");
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->birth_date, D("1985-12-03"));
}

TEST_F(StoreTest, DeactivationNeverDeletes) {
  ASSERT_TRUE(store_
                  ->Upsert({Hh("H1", 18140)},
                           {P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                              Relation::kHead)},
                           {})
                  .ok());
  registry::Deactivation d{D("2020-05-01"), "died"};
  ASSERT_TRUE(store_->DeactivatePerson("ИЗ85120320", d).ok());
  EXPECT_EQ(store_->DeactivatePerson("ИЗ85120320", d).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->DeactivatePerson("ИЗ00000000", d).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      store_->DeactivatePerson("ИЗ85120320", {D("2020-05-01"), ""}).code(),
      StatusCode::kInvalidArgument);
  auto p = store_->FindPerson("ИЗ85120320");
  ASSERT_TRUE(p.ok() && p->has_value());
  ASSERT_TRUE((*p)->deactivated.has_value());
  EXPECT_EQ((*p)->deactivated->reason, "died");
  EXPECT_EQ(store_->Info()->persons, 0);  // Not counted as active...
  int n = 0;
  ASSERT_TRUE(store_
                  ->ForEachPerson({},
                                  [&](const Person&) {
                                    ++n;
                                    return Status::Ok();
                                  })
                  .ok());
  EXPECT_EQ(n, 0);  // ...nor exported, but still stored.
}

TEST_F(StoreTest, AreaFilterAndPopulation) {
  ASSERT_TRUE(
      store_
          ->Upsert({Hh("H1", 18140), Hh("H2", 18125), Hh("H3", 11001 + 50000)},
                   {P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                      Relation::kHead),
                    P("ИЗ15220111", "H2", "2015-02-01", Sex::kMale,
                      Relation::kHead)},
                   {})
          .ok());
  auto pop = store_->LoadPopulation({0, 18140});
  ASSERT_TRUE(pop.ok());
  EXPECT_EQ(pop->households(), 1u);
  EXPECT_EQ(pop->persons(), 1u);
  auto zavkhan = store_->LoadPopulation({181, 0});
  EXPECT_EQ(zavkhan->households(), 2u);
  EXPECT_EQ(zavkhan->persons(), 2u);
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->ForEachHousehold({181, 0},
                                     [&](const Household& h) {
                                       ids.push_back(h.id);
                                       return Status::Ok();
                                     })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"H1", "H2"}));
}

TEST_F(StoreTest, NameMatchesFindSameNameAndBirth) {
  Person a = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead);
  ASSERT_TRUE(store_->Upsert({Hh("H1", 18140)}, {a}, {}).ok());
  Person other = a;
  other.register_no = "ИЗ85120420";
  other.father_name = "Дорж";  // Same given name and birth, other father.
  ASSERT_TRUE(store_->Upsert({}, {other}, {}).ok());
  NameProbe probe{"", D("1985-12-03"), "УБ85120320", ""};
  Person latin = a;
  latin.father_name = "Batbayar";
  latin.given_name = "Sukhee";
  probe.name_key = text::NameKey(latin.father_name + " " + latin.given_name);
  EXPECT_EQ(store_->FindNameMatches({probe}).status().code(),
            StatusCode::kInvalidArgument);  // No given-name key.
  probe.given_key = text::NameKey(latin.given_name);
  NameProbe younger = probe;
  younger.birth_date = D("1985-12-04");
  auto m = store_->FindNameMatches({probe, younger});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->size(), 2u);
  ASSERT_EQ((*m)[0].size(), 1u);
  EXPECT_EQ((*m)[0][0].register_no, "ИЗ85120320");
  EXPECT_TRUE((*m)[1].empty());
}

// The query plans of every search the store prepared: no full scan of
// persons or households, the soum search in index order (no sort).
std::vector<std::string> PlansOf(sqlite::Db* db, std::string_view pattern) {
  std::vector<std::string> sqls;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db->raw(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db->raw(), s)) {
    std::string sql = sqlite3_sql(s);
    if (sql.find(pattern) != std::string::npos) sqls.push_back(sql);
  }
  std::vector<std::string> plans;
  for (const std::string& sql : sqls) {
    auto q = db->Prepare("EXPLAIN QUERY PLAN " + sql);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) continue;
    std::string plan = sql + "\n";
    for (;;) {
      auto row = q->Step();
      if (!row.ok() || !*row) break;
      plan += "  " + std::string(q->Text(3)) + "\n";
    }
    plans.push_back(plan);
  }
  return plans;
}

TEST_F(StoreTest, SearchesAreIndexDriven) {
  ASSERT_TRUE(store_
                  ->Upsert({Hh("A1", 18140), Hh("B1", 18125)},
                           {P("ИЗ85120320", "A1", "1985-12-03", Sex::kFemale,
                              Relation::kHead)},
                           {})
                  .ok());
  auto run = [&](SearchQuery q, bool persons) {
    if (persons) {
      ASSERT_TRUE(store_->SearchPersons({}, q).ok());
    } else {
      ASSERT_TRUE(store_->SearchHouseholds({}, q).ok());
    }
  };
  SearchQuery soum;
  soum.soum_code = 18140;
  run(soum, false);
  soum.herder = true;
  run(soum, false);
  soum.after = "A0";
  run(soum, false);
  SearchQuery name;
  name.text = "Сүх";
  run(name, false);
  run(name, true);
  name.soum_code = 18140;
  run(name, false);
  name.text = "Батбаяр Сүх";
  run(name, true);
  SearchQuery rn;
  rn.text = "ИЗ85120320";
  run(rn, false);
  run(rn, true);
  SearchQuery id;
  id.text = "18140-000001";
  run(id, false);
  id.text = "A1";
  run(id, false);
  ASSERT_TRUE(
      store_->FindNameMatches({{"batbaiarsuhe", D("1985-12-03"), "", "suhe"}})
          .ok());
  sqlite::Db* db = store_->SqliteConnection();
  ASSERT_NE(db, nullptr);
  auto plans = PlansOf(db, "FROM households h WHERE");
  auto more = PlansOf(db, "FROM persons p JOIN households h");
  plans.insert(plans.end(), more.begin(), more.end());
  ASSERT_GE(plans.size(), 16u);
  for (const std::string& plan : plans) {
    EXPECT_EQ(plan.find("SCAN h\n"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN p\n"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN persons"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN households"), std::string::npos) << plan;
    if (plan.find("h.soum_code = ?1") != std::string::npos &&
        plan.find("malchin_name_key") == std::string::npos &&
        plan.find("register_no") == std::string::npos) {
      EXPECT_NE(plan.find("INDEX households_soum"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    }
    // A name search uses the name index, or the soum's households when
    // it is restricted to a soum.
    if (plan.find("malchin_name_key(p.given_name) >=") != std::string::npos ||
        plan.find("malchin_name_key(p.given_name) =") != std::string::npos) {
      EXPECT_TRUE(plan.find("persons_given_birth") != std::string::npos ||
                  (plan.find("h.soum_code = ?1") != std::string::npos &&
                   plan.find("INDEX households_soum") != std::string::npos))
          << plan;
    }
  }
}

// A register written by migrations 1-6 (stored name keys, text birth dates)
// is converted by migration 7 in place: rows, references and uniqueness kept.
TEST_F(StoreTest, Migration7ConvertsAnOlderRegister) {
  store_.reset();
  std::filesystem::remove(path_);
  std::filesystem::remove(path_ + "-wal");
  std::filesystem::remove(path_ + "-shm");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  RegisterNameKey(db);
  auto exec = [&](const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << "\n" << sql;
    sqlite3_free(err);
  };
  exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT "
      "NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const Migration& m : Migrations()) {
    if (m.version > 6) continue;
    exec(std::string(m.sql));
    exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
         ", '" + std::string(m.name) + "', '" + m.Checksum() +
         "', '2026-11-29')");
  }
  exec(
      "INSERT INTO households (hh, id, soum_code, current_soum_code, herder) "
      "VALUES (1, 'H1', 18140, 18140, 1), (2, 'H2', 18125, 18125, 0)");
  exec(
      "INSERT INTO persons (pid, register_no, hh, father_name, given_name, "
      "name_key, sex, birth_date, relation, disability, herder, given_key, "
      "deactivated_on, deactivation_reason, version) VALUES "
      "(7, 'ИЗ85120320', 1, 'Батбаяр', 'Сүхээ', 'batbaiarsuhe', 'F', "
      "'1985-12-03', 'head', 0, 1, 'suhe', NULL, NULL, 3), "
      "(9, 'ИЗ52010415', 2, 'Дорж', 'Хонгорзул', 'durjhungurzul', 'M', "
      "'1952-01-04', 'head', 1, 0, 'hungurzul', '2020-01-01', 'died', 2)");
  exec(
      "INSERT INTO insurance_coverage VALUES (7, 'social', 24000, 24011), "
      "(9, 'health', 23000, 23001)");
  // A trigger on persons from a later migration applied before 7 (during
  // development numbers are applied as they come): kept by the rebuild.
  exec(
      "CREATE TRIGGER later_persons_trigger AFTER UPDATE ON persons BEGIN "
      "SELECT 1; END");
  sqlite3_close(db);

  auto s = Store::OpenSqlite(path_, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(*s);
  auto a = store_->FindPerson("ИЗ85120320");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->birth_date, D("1985-12-03"));
  EXPECT_EQ((*a)->household_id, "H1");
  EXPECT_TRUE((*a)->herder);
  auto b = store_->FindPerson("ИЗ52010415");
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->birth_date, D("1952-01-04"));  // Before 1970.
  ASSERT_TRUE((*b)->deactivated.has_value());
  EXPECT_EQ((*b)->deactivated->reason, "died");
  EXPECT_EQ(*store_->HouseholdVersion("H1"), 1);
  SearchQuery q;
  q.text = "hongor";
  q.include_inactive = true;
  EXPECT_EQ(store_->SearchPersons({}, q)->items.size(), 1u);
  auto m = store_->FindNameMatches(
      {{"batbaiarsuhe", D("1985-12-03"), "УБ85120320", "suhe"}});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0].size(), 1u);

  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  RegisterNameKey(db);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out += std::string(t ? reinterpret_cast<const char*>(t) : "NULL") + ";";
    }
    sqlite3_finalize(st);
    return out;
  };
  // Rows that refer to persons still do; the ids did not change.
  EXPECT_EQ(scalar("PRAGMA foreign_key_check"), "");
  EXPECT_EQ(scalar("SELECT p.register_no FROM insurance_coverage c JOIN "
                   "persons p ON p.pid = c.pid ORDER BY c.pid"),
            "ИЗ85120320;ИЗ52010415;");
  EXPECT_EQ(scalar("SELECT birth_date FROM persons ORDER BY pid"),
            "1985-12-03;1952-01-04;");
  EXPECT_EQ(scalar("SELECT name FROM sqlite_schema WHERE tbl_name = "
                   "'persons' AND type = 'index' ORDER BY name"),
            "insurance_herders;persons_given_birth;persons_household;"
            "persons_register_no;");
  EXPECT_EQ(scalar("SELECT count(*) FROM sqlite_schema WHERE type = "
                   "'trigger' AND name = 'later_persons_trigger'"),
            "1;");
  // Uniqueness is still the database's.
  EXPECT_NE(sqlite3_exec(db,
                         "INSERT INTO persons (register_no, hh, father_name, "
                         "given_name, sex, born, relation, disability, "
                         "herder) VALUES ('ИЗ85120320', 1, 'А', 'Б', 'F', 0, "
                         "'head', 0, 0)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

// A streaming upsert writes nothing until Commit(), and nothing at all if a
// row fails.
TEST_F(StoreTest, StreamingUpsertIsOneTransaction) {
  {
    auto w = store_->BeginUpsert({"bold", "stream"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->AddHousehold(Hh("H1", 18140)).ok());
    // Not committed: rolled back when the writer goes.
  }
  EXPECT_EQ(store_->Info()->households, 0);
  {
    auto w = store_->BeginUpsert({"bold", "stream"});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddHousehold(Hh("H1", 18140)).ok());
    EXPECT_FALSE((*w)->AddPerson(P("ИЗ85120320", "NOPE", "1985-12-03",
                                   Sex::kFemale, Relation::kHead))
                     .ok());
    EXPECT_FALSE((*w)->Commit().ok());
  }
  EXPECT_EQ(store_->Info()->households, 0);
  auto w = store_->BeginUpsert({"bold", "stream"});
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddHousehold(Hh("H1", 18140)).ok());
  ASSERT_TRUE((*w)->AddPerson(P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                                Relation::kHead))
                  .ok());
  auto c = (*w)->Commit();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, (WriteCounts{1, 0, 0, 1, 0, 0}));
  w->reset();
  EXPECT_EQ(store_->Info()->persons, 1);
  EXPECT_EQ(store_->ListAudit({})->size(), 2u);
  // Through a scoped view the rows are collected and checked by Upsert.
  auto scoped = ScopeTo(*store_, {0, 18140});
  auto sw = scoped->BeginUpsert({"bold", "stream"});
  ASSERT_TRUE(sw.ok());
  ASSERT_TRUE((*sw)->AddHousehold(Hh("H2", 18125)).ok());
  EXPECT_EQ((*sw)->Commit().status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->Info()->households, 1);
}

TEST_F(StoreTest, BulkLoadIsAllOrNothingAndOnlyIntoEmptyStore) {
  {
    auto loader = store_->BeginBulkLoad();
    ASSERT_TRUE(loader.ok()) << loader.status().ToString();
    ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
    // Destroyed without Finish(): nothing is written.
  }
  EXPECT_EQ(store_->Info()->households, 0);
  auto loader = store_->BeginBulkLoad();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
  ASSERT_TRUE((*loader)
                  ->AddPerson(P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                                Relation::kHead))
                  .ok());
  ASSERT_TRUE((*loader)->Finish().ok());
  loader->reset();
  EXPECT_EQ(store_->Info()->persons, 1);
  EXPECT_EQ(store_->BeginBulkLoad().status().code(),
            StatusCode::kFailedPrecondition);
}

// The register-number index is built at Finish(): a number twice still
// fails the load, and nothing is written.
TEST_F(StoreTest, BulkLoadKeepsRegisterNumbersUnique) {
  auto loader = store_->BeginBulkLoad();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
  Person p = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead);
  ASSERT_TRUE((*loader)->AddPerson(p).ok());
  ASSERT_TRUE((*loader)->AddPerson(p).ok());
  Status finish = (*loader)->Finish();
  EXPECT_FALSE(finish.ok());
  EXPECT_NE(finish.message().find("UNIQUE"), std::string::npos)
      << finish.ToString();
  loader->reset();
  EXPECT_EQ(store_->Info()->persons, 0);
  EXPECT_EQ(store_->Info()->households, 0);
}

TEST_F(StoreTest, RefusesNewerOrAlteredSchemas) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO schema_migrations VALUES (99, 'future', "
                         "'x', '2030-01-01')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto newer = Store::OpenSqlite(path_, {});
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(newer.status().message().find("newer Malchin"), std::string::npos);
  ASSERT_EQ(sqlite3_exec(db,
                         "DELETE FROM schema_migrations WHERE version = 99; "
                         "UPDATE schema_migrations SET checksum = 'bad'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto altered = Store::OpenSqlite(path_, {});
  ASSERT_FALSE(altered.ok());
  EXPECT_NE(altered.status().message().find("different content"),
            std::string::npos);
}

TEST_F(StoreTest, RefusesAFileThatIsNotADatabase) {
  std::string junk = (dir_ / "junk.db").string();
  FILE* f = fopen(junk.c_str(), "w");
  fputs("this is not sqlite, just text padding padding padding padding", f);
  fclose(f);
  auto r = Store::OpenSqlite(junk, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
}

TEST_F(StoreTest, MetaRoundTrips) {
  ASSERT_TRUE(store_->SetMeta("demo.seed", "42").ok());
  ASSERT_TRUE(store_->SetMeta("demo.seed", "43").ok());
  EXPECT_EQ(**store_->GetMeta("demo.seed"), "43");
  EXPECT_FALSE(store_->GetMeta("nope")->has_value());
}

}  // namespace
}  // namespace malchin::store

namespace malchin::store {
namespace {

TEST_F(StoreTest, UsersAndSessions) {
  UserRecord u{0,     "bold", "$argon2id$x",          "soum_officer",
               18140, false,  "2026-11-22T10:00:00Z", ""};
  auto created = store_->CreateUser(u);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(store_->CreateUser(u).status().code(), StatusCode::kAlreadyExists);
  u.role = "emperor";
  u.username = "x";
  EXPECT_FALSE(store_->CreateUser(u).ok());  // CHECK constraint on roles.
  auto found = store_->FindUser("bold");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->area_code, 18140);
  UserRecord changed = **found;
  changed.disabled = true;
  changed.updated_at = "2026-11-22T11:00:00Z";
  ASSERT_TRUE(store_->UpdateUser(changed).ok());
  EXPECT_TRUE((*store_->FindUser("bold"))->disabled);
  EXPECT_EQ(store_->ListUsers()->size(), 1u);

  ASSERT_TRUE(store_
                  ->CreateSession({"h1", created->id, "2026-11-22T10:00:00Z",
                                   "2026-11-22T18:00:00Z", std::nullopt})
                  .ok());
  auto s = store_->FindSession("h1");
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->second.username, "bold");
  EXPECT_FALSE((*s)->first.revoked_at.has_value());
  ASSERT_TRUE(
      store_->RevokeSessions(created->id, "", "2026-11-22T12:00:00Z").ok());
  EXPECT_EQ(*(*store_->FindSession("h1"))->first.revoked_at,
            "2026-11-22T12:00:00Z");
  EXPECT_FALSE(store_->FindSession("nope")->has_value());
}

TEST_F(StoreTest, EveryChangeIsAuditedInItsTransaction) {
  ASSERT_TRUE(store_
                  ->Upsert({Hh("A1", 18140)},
                           {P("ИЗ85120320", "A1", "1985-12-03", Sex::kFemale,
                              Relation::kHead)},
                           {"bold", "test"})
                  .ok());
  Household changed = Hh("A1", 18140);
  changed.herd[registry::Species::kGoat] = 7;
  ASSERT_TRUE(store_->Upsert({changed}, {}, {"bold", ""}).ok());
  ASSERT_TRUE(store_->Upsert({changed}, {}, {"bold", ""}).ok());  // No-op.
  ASSERT_TRUE(store_
                  ->DeactivatePerson("ИЗ85120320", {D("2026-01-02"), "died"},
                                     {"saraa", ""})
                  .ok());
  // A failed change leaves no entry.
  EXPECT_FALSE(store_
                   ->Upsert({Hh("A2", 18140)},
                            {P("ИЗ85120420", "NOPE", "1985-12-04", Sex::kFemale,
                               Relation::kHead)},
                            {"bold", ""})
                   .ok());
  ASSERT_TRUE(store_
                  ->RecordPersonReads({{"saraa", "ИЗ85120320", "A1",
                                        "GET /api/v1/persons", ""}})
                  .ok());
  auto all = store_->ListAudit({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> actions;
  for (const auto& e : *all) actions.push_back(e.action + ":" + e.actor);
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "household.create:bold", "person.create:bold",
                         "household.update:bold", "person.deactivate:saraa",
                         "person.read:saraa"}));
  EXPECT_NE((*all)[2].before_json->find("\"goat\":0"), std::string::npos);
  EXPECT_NE((*all)[2].after_json->find("\"goat\":7"), std::string::npos);
  AuditQuery by_person;
  by_person.register_no = "ИЗ85120320";
  EXPECT_EQ(store_->ListAudit(by_person)->size(), 3u);
  AuditQuery by_household;
  by_household.household_id = "A1";
  EXPECT_EQ(store_->ListAudit(by_household)->size(), 5u);
  AuditQuery by_actor;
  by_actor.actor = "saraa";
  by_actor.after_seq = 4;
  EXPECT_EQ(store_->ListAudit(by_actor)->size(), 1u);
  auto check = store_->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->entries, 5);
}

// A batch of reads (the server's group commit) is chained entry by entry,
// and the queries of the trail by person and by household stay on indexes
// (migration 11 keeps person reads out of audit_entity).
TEST_F(StoreTest, BatchedReadsAreChainedAndFoundByIndex) {
  ASSERT_TRUE(store_
                  ->Upsert({Hh("A1", 18140)},
                           {P("ИЗ85120320", "A1", "1985-12-03", Sex::kFemale,
                              Relation::kHead)},
                           {"bold", ""})
                  .ok());
  std::vector<PersonRead> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back({i % 2 ? "saraa" : "bold", "ИЗ85120320", "A1",
                     "GET /api/v1/persons", ""});
  }
  ASSERT_TRUE(store_->RecordPersonReads(batch).ok());
  ASSERT_TRUE(store_->RecordPersonReads(batch).ok());
  auto check = store_->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->ok()) << check->problem;
  EXPECT_EQ(check->entries, 2 + 10);
  AuditQuery by_person;
  by_person.register_no = "ИЗ85120320";
  EXPECT_EQ(store_->ListAudit(by_person)->size(), 11u);  // create + 10 reads
  AuditQuery by_household;
  by_household.household_id = "A1";
  EXPECT_EQ(store_->ListAudit(by_household)->size(), 12u);
  int checked = 0;
  for (const std::string& plan :
       PlansOf(store_->SqliteConnection(), "FROM audit_log WHERE")) {
    if (plan.find("entity_id = ?4") == std::string::npos) continue;
    ++checked;
    EXPECT_NE(plan.find("audit_entity"), std::string::npos) << plan;
    EXPECT_NE(plan.find("audit_person"), std::string::npos) << plan;
  }
  EXPECT_EQ(checked, 1);
}

TEST_F(StoreTest, AuditTamperingIsDetected) {
  ASSERT_TRUE(store_->Upsert({Hh("A1", 18140)}, {}, {"bold", ""}).ok());
  ASSERT_TRUE(store_->Upsert({Hh("A2", 18140)}, {}, {"bold", ""}).ok());
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // The triggers refuse edits; an attacker drops them first.
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update; UPDATE audit_log "
                         "SET actor = 'mallory' WHERE seq = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  store_ = std::move(Store::OpenSqlite(path_, {}).value());
  auto check = store_->VerifyAudit();
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->ok());
  EXPECT_EQ(check->first_bad_seq, 1);
}

TEST_F(StoreTest, HouseholdVersionsRefuseStaleUpdates) {
  auto v = store_->CreateHousehold(Hh("A1", 18140), {}, {"bold", ""});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 1);
  EXPECT_EQ(store_->CreateHousehold(Hh("A1", 18140), {}, {}).status().code(),
            StatusCode::kAlreadyExists);
  Household h = Hh("A1", 18140);
  h.bag = "2";
  auto v2 = store_->UpdateHousehold(h, {}, 1, {"bold", ""});
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(*v2, 2);
  h.bag = "3";
  auto stale = store_->UpdateHousehold(h, {}, 1, {"saraa", ""});
  EXPECT_EQ(stale.status().code(), StatusCode::kConflict);
  EXPECT_NE(stale.status().message().find("version 2"), std::string::npos);
  EXPECT_EQ((*store_->FindHousehold("A1"))->bag, "2");
  EXPECT_EQ(store_->UpdateHousehold(Hh("ZZ", 18140), {}, 1, {}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(StoreTest, SearchByNumberNamePrefixSoumAndHerder) {
  Household other = Hh("B1", 18125);
  other.herder = false;
  Person b = P("ИЗ85120420", "B1", "1985-12-04", Sex::kFemale, Relation::kHead);
  b.father_name = "Дорж";
  b.given_name = "Хонгорзул";
  ASSERT_TRUE(store_
                  ->Upsert({Hh("A1", 18140), other},
                           {P("ИЗ85120320", "A1", "1985-12-03", Sex::kFemale,
                              Relation::kHead),
                            b},
                           {})
                  .ok());
  auto ids = [&](const SearchQuery& q, const AreaFilter& a = {}) {
    std::vector<std::string> out;
    auto page = store_->SearchHouseholds(a, q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok()) {
      for (const auto& h : page->items) out.push_back(h.id);
    }
    return out;
  };
  using V = std::vector<std::string>;
  SearchQuery q;
  EXPECT_EQ(ids(q), (V{"A1", "B1"}));
  q.text = "из85120420";  // Lower case is normalised.
  EXPECT_EQ(ids(q), V{"B1"});
  q.text = "Khongor";  // Latin prefix of a Cyrillic given name.
  EXPECT_EQ(ids(q), V{"B1"});
  q.text = "Хонг";
  EXPECT_EQ(ids(q), V{"B1"});
  q.text = "batb";  // One word is the given name, not the father's name.
  EXPECT_EQ(ids(q), V{});
  q.text = "Батбаяр Сүх";  // Father's name, then the start of the given.
  EXPECT_EQ(ids(q), V{"A1"});
  q.text = "B. Sukh";  // Father's initial, Latin.
  EXPECT_EQ(ids(q), V{"A1"});
  q.text = "Дорж Сүх";
  EXPECT_EQ(ids(q), V{});
  q.text = "A1";  // A household id that also reads as a name.
  EXPECT_EQ(ids(q), V{"A1"});
  q.text = "";
  q.soum_code = 18125;
  EXPECT_EQ(ids(q), V{"B1"});
  EXPECT_EQ(ids(q, {0, 18140}), V{});  // The area wins over the query.
  q.soum_code = 0;
  q.herder = true;
  EXPECT_EQ(ids(q), V{"A1"});
  q.herder.reset();
  q.page_size = 1;
  q.page = 2;
  auto page = store_->SearchHouseholds({}, q);
  EXPECT_EQ(page->total, 2);
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "B1");
  q.after = "A1";  // Keyset paging: the page after A1.
  q.page = 7;      // Ignored with `after`.
  page = store_->SearchHouseholds({}, q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "B1");
  EXPECT_EQ(page->total, 2);  // All matches, as without `after`.
  q.after = "B1";
  EXPECT_TRUE(store_->SearchHouseholds({}, q)->items.empty());
  SearchQuery pq;
  pq.text = "hongorzul";
  auto persons = store_->SearchPersons({}, pq);
  ASSERT_TRUE(persons.ok());
  ASSERT_EQ(persons->items.size(), 1u);
  EXPECT_EQ(persons->items[0].register_no, "ИЗ85120420");
  pq.text = "!!";
  EXPECT_EQ(store_->SearchPersons({}, pq).status().field(), "q");
}

}  // namespace
}  // namespace malchin::store
