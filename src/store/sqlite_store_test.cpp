#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "core/text.h"
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

TEST_F(StoreTest, DatabaseEnforcesUniqueRegisterNumbers) {
  ASSERT_TRUE(store_->Upsert({Hh("H1", 18140)}, {}, {}).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  const char* ins =
      "INSERT INTO persons (register_no, hh, father_name, given_name, "
      "name_key, sex, birth_date, relation, disability, herder) VALUES "
      "('ИЗ85120320', 1, 'А', 'Б', 'ab', 'F', '1985-12-03', 'head', 0, 0)";
  EXPECT_EQ(sqlite3_exec(db, ins, nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, ins, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
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
  NameProbe probe{"", D("1985-12-03"), "УБ85120320"};
  Person latin = a;
  latin.father_name = "Batbayar";
  latin.given_name = "Sukhee";
  probe.name_key = text::NameKey(latin.father_name + " " + latin.given_name);
  auto m = store_->FindNameMatches({probe});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->size(), 1u);
  ASSERT_EQ((*m)[0].size(), 1u);
  EXPECT_EQ((*m)[0][0].register_no, "ИЗ85120320");
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
  q.text = "batb";  // Father's name prefix.
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
