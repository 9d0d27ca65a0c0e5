// registry::Repository on every engine: upserts, deactivation, areas, name
// matches, streaming and bulk writes, versions and search.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "core/text.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using backends::testing::RawConnection;
using registry::Household;
using registry::NameProbe;
using registry::Person;
using registry::Relation;
using registry::SearchQuery;
using registry::Sex;
using registry::WriteCounts;
using store::AreaFilter;

Date D(const char* s) { return *Date::Parse(s); }

class RegistryRepositoryTest : public EngineTest {
 protected:
  registry::Repository& reg() { return Get<registry::Repository>(); }
  registry::Repository::Counts Active() {
    auto c = reg().CountActive();
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : registry::Repository::Counts{-1, -1};
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
};

TEST_P(RegistryRepositoryTest, UpsertIsIdempotentAndMovesPersons) {
  std::vector<Household> hh = {Hh("H1", 18140), Hh("H2", 18125)};
  std::vector<Person> ps = {
      P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead),
      P("ИЗ15220111", "H1", "2015-02-01", Sex::kMale, Relation::kChild)};
  auto c1 = reg().Upsert(hh, ps, {"test", "t"});
  ASSERT_TRUE(c1.ok()) << c1.status().ToString();
  EXPECT_EQ(c1->households_inserted, 2);
  EXPECT_EQ(c1->persons_inserted, 2);
  auto c2 = reg().Upsert(hh, ps, {"test", "t"});
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(*c2, (WriteCounts{0, 0, 2, 0, 0, 2}));

  ps[1].household_id = "H2";  // The child moves household: an update.
  auto c3 = reg().Upsert({}, ps, {});
  ASSERT_TRUE(c3.ok());
  EXPECT_EQ(c3->persons_updated, 1);
  EXPECT_EQ(c3->persons_inserted, 0);
  auto moved = reg().FindPerson("ИЗ15220111");
  ASSERT_TRUE(moved.ok() && moved->has_value());
  EXPECT_EQ((*moved)->household_id, "H2");
  EXPECT_EQ(**moved, ps[1]);
  EXPECT_EQ(reg().Members("H1")->size(), 1u);
  EXPECT_EQ(Active().persons, 2);
  EXPECT_EQ(Active().households, 2);
}

TEST_P(RegistryRepositoryTest, FailedUpsertWritesNothing) {
  std::vector<Person> ps = {
      P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead),
      P("ИЗ15220111", "NOPE", "2015-02-01", Sex::kMale, Relation::kChild)};
  auto r = reg().Upsert({Hh("H1", 18140)}, ps, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("NOPE"), std::string::npos);
  EXPECT_EQ(Active().households, 0);
  EXPECT_EQ(Active().persons, 0);
}

TEST_P(RegistryRepositoryTest, DatabaseEnforcesUniqueRegisterNumbers) {
  ASSERT_TRUE(reg().Upsert({Hh("H1", 18140)}, {}, {}).ok());
  const bool sqlite = engine() == store::Engine::kSqlite;
  // The same row in each engine's columns (PostgreSQL's persons carry their
  // household's aimag).
  const std::string ins =
      sqlite ? "INSERT INTO persons (register_no, hh, father_name, "
               "given_name, sex, born, relation, disability, herder) VALUES "
               "('ИЗ85120320', 1, 'А', 'Б', 'F', 5815, 'head', 0, 0)"
             : "INSERT INTO persons (register_no, hh, aimag_code, "
               "father_name, given_name, sex, born, relation, disability, "
               "herder) SELECT 'ИЗ85120320', hh, aimag_code, 'А', 'Б', 'F', "
               "5815, 'head', false, false FROM households WHERE id = 'H1'";
  if (sqlite) {
    // A connection without the name-key function cannot write persons (the
    // name index is over it), and says so. (On PostgreSQL the function is
    // the schema's own: every client has it.)
    auto bare = RawConnection::Open(database(), /*engine_functions=*/false);
    ASSERT_TRUE(bare.ok()) << bare.status().ToString();
    Status refused = (*bare)->Exec(ins);
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.message().find("malchin_name_key"), std::string::npos)
        << refused.ToString();
  }
  auto raw = RawConnection::Open(database());
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  EXPECT_TRUE((*raw)->Exec(ins).ok());
  EXPECT_EQ((*raw)->Exec(ins).code(), StatusCode::kAlreadyExists);
  raw->reset();
  // The birth date reads back as a date, also as text in SQL.
  auto p = reg().FindPerson("ИЗ85120320");
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->birth_date, D("1985-12-03"));
  // The row written around the repository is found by its name key.
  SearchQuery q;
  q.text = "B";
  auto found = reg().SearchPersons({}, q);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].register_no, "ИЗ85120320");
}

TEST_P(RegistryRepositoryTest, DeactivationNeverDeletes) {
  ASSERT_TRUE(reg()
                  .Upsert({Hh("H1", 18140)},
                          {P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                             Relation::kHead)},
                          {})
                  .ok());
  registry::Deactivation d{D("2020-05-01"), "died"};
  ASSERT_TRUE(reg().DeactivatePerson("ИЗ85120320", d).ok());
  EXPECT_EQ(reg().DeactivatePerson("ИЗ85120320", d).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(reg().DeactivatePerson("ИЗ00000000", d).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(reg().DeactivatePerson("ИЗ85120320", {D("2020-05-01"), ""}).code(),
            StatusCode::kInvalidArgument);
  auto p = reg().FindPerson("ИЗ85120320");
  ASSERT_TRUE(p.ok() && p->has_value());
  ASSERT_TRUE((*p)->deactivated.has_value());
  EXPECT_EQ((*p)->deactivated->reason, "died");
  EXPECT_EQ(Active().persons, 0);  // Not counted as active...
  int n = 0;
  ASSERT_TRUE(reg()
                  .ForEachPerson({},
                                 [&](const Person&) {
                                   ++n;
                                   return Status::Ok();
                                 })
                  .ok());
  EXPECT_EQ(n, 0);  // ...nor exported, but still stored.
}

TEST_P(RegistryRepositoryTest, AreaFilterAndPopulation) {
  ASSERT_TRUE(
      reg()
          .Upsert({Hh("H1", 18140), Hh("H2", 18125), Hh("H3", 11001 + 50000)},
                  {P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                     Relation::kHead),
                   P("ИЗ15220111", "H2", "2015-02-01", Sex::kMale,
                     Relation::kHead)},
                  {})
          .ok());
  auto pop = reg().LoadPopulation({0, 18140});
  ASSERT_TRUE(pop.ok());
  EXPECT_EQ(pop->households(), 1u);
  EXPECT_EQ(pop->persons(), 1u);
  auto zavkhan = reg().LoadPopulation({181, 0});
  EXPECT_EQ(zavkhan->households(), 2u);
  EXPECT_EQ(zavkhan->persons(), 2u);
  std::vector<std::string> ids;
  ASSERT_TRUE(reg()
                  .ForEachHousehold({181, 0},
                                    [&](const Household& h) {
                                      ids.push_back(h.id);
                                      return Status::Ok();
                                    })
                  .ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"H1", "H2"}));
}

TEST_P(RegistryRepositoryTest, NameMatchesFindSameNameAndBirth) {
  Person a = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead);
  ASSERT_TRUE(reg().Upsert({Hh("H1", 18140)}, {a}, {}).ok());
  Person other = a;
  other.register_no = "ИЗ85120420";
  other.father_name = "Дорж";  // Same given name and birth, other father.
  ASSERT_TRUE(reg().Upsert({}, {other}, {}).ok());
  NameProbe probe{"", D("1985-12-03"), "УБ85120320", ""};
  Person latin = a;
  latin.father_name = "Batbayar";
  latin.given_name = "Sukhee";
  probe.name_key = text::NameKey(latin.father_name + " " + latin.given_name);
  EXPECT_EQ(reg().FindNameMatches({probe}).status().code(),
            StatusCode::kInvalidArgument);  // No given-name key.
  probe.given_key = text::NameKey(latin.given_name);
  NameProbe younger = probe;
  younger.birth_date = D("1985-12-04");
  auto m = reg().FindNameMatches({probe, younger});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->size(), 2u);
  ASSERT_EQ((*m)[0].size(), 1u);
  EXPECT_EQ((*m)[0][0].register_no, "ИЗ85120320");
  EXPECT_TRUE((*m)[1].empty());
}

// A register large enough for the planner to tell an index from a scan:
// `n` households over 50 soums of 10 aimags, three persons each with distinct
// names (letters from the number), loaded in bulk (which also gathers the
// planner's statistics).
void LoadRegister(registry::Repository& reg, int n) {
  auto loader = reg.BeginBulkLoad();
  ASSERT_TRUE(loader.ok()) << loader.status().ToString();
  auto letters = [](int i) {
    std::string s;
    for (int k = 0; k < 4; ++k, i /= 26) s += static_cast<char>('a' + i % 26);
    return s;
  };
  for (int i = 0; i < n; ++i) {
    Household h;
    h.id = "L" + std::to_string(i);
    h.soum_code = h.current_soum_code = 11001 + (i % 10) * 100 + (i / 10) % 5;
    h.herder = i % 3 != 0;
    ASSERT_TRUE((*loader)->AddHousehold(h).ok());
    for (int j = 0; j < 3; ++j) {
      Person p;
      p.register_no = "ЖЖ" + std::to_string(10000000 + 3 * i + j);
      p.household_id = h.id;
      p.father_name = "F" + letters(3 * i + j + 7);
      p.given_name = "G" + letters(3 * i + j);
      p.birth_date = Date::FromDays(3000 + (3 * i + j) % 15000);
      p.relation = j == 0 ? Relation::kHead : Relation::kChild;
      ASSERT_TRUE((*loader)->AddPerson(p).ok());
    }
  }
  ASSERT_TRUE((*loader)->Finish().ok());
}

// The query plans of every search the repository prepared: no full scan of
// persons or households, the soum search in index order (no sort).
// PostgreSQL's are its generic plans, made without the parameters' values.
TEST_P(RegistryRepositoryTest, SearchesAreIndexDriven) {
  ASSERT_NO_FATAL_FAILURE(LoadRegister(reg(), 20000));
  ASSERT_TRUE(reg()
                  .Upsert({Hh("A1", 18140), Hh("B1", 18125)},
                          {P("ИЗ85120320", "A1", "1985-12-03", Sex::kFemale,
                             Relation::kHead)},
                          {})
                  .ok());
  auto run = [&](SearchQuery q, bool persons) {
    if (persons) {
      ASSERT_TRUE(reg().SearchPersons({}, q).ok());
    } else {
      ASSERT_TRUE(reg().SearchHouseholds({}, q).ok());
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
      reg()
          .FindNameMatches({{"batbaiarsuhe", D("1985-12-03"), "", "suhe"}})
          .ok());
  auto plans = backends::testing::PreparedQueryPlans(session(),
                                                     "FROM households h WHERE");
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  auto more = backends::testing::PreparedQueryPlans(
      session(), "FROM persons p JOIN households h");
  ASSERT_TRUE(more.ok()) << more.status().ToString();
  plans->insert(plans->end(), more->begin(), more->end());
  ASSERT_GE(plans->size(), 16u);
  const bool sqlite = engine() == store::Engine::kSqlite;
  // The words of each engine's plans.
  const std::vector<std::string> scans =
      sqlite ? std::vector<std::string>{"SCAN h\n", "SCAN p\n", "SCAN persons",
                                        "SCAN households"}
             : std::vector<std::string>{"Seq Scan on persons",
                                        "Seq Scan on households"};
  const std::string soum_condition =
      sqlite ? "h.soum_code = ?1" : "h.soum_code = $1";
  const std::string soum_index =
      sqlite ? "INDEX households_soum" : " households_soum ";
  const std::string sort = sqlite ? "TEMP B-TREE" : "Sort";
  for (const std::string& plan : *plans) {
    const bool name_search =
        plan.find("malchin_name_key(p.given_name) >=") != std::string::npos ||
        plan.find("malchin_name_key(p.given_name) =") != std::string::npos;
    for (const std::string& scan : scans) {
      // PostgreSQL's generic plan of a name search expects 0.5% of the
      // persons to match (it does not know the name): joining that many
      // to their households, a hash over households costs less than as
      // many index lookups. Persons are still found by the name index.
      if (!sqlite && name_search && scan == "Seq Scan on households") continue;
      EXPECT_EQ(plan.find(scan), std::string::npos) << plan;
    }
    if (plan.find(soum_condition) != std::string::npos &&
        plan.find("malchin_name_key") == std::string::npos &&
        plan.find("register_no") == std::string::npos) {
      EXPECT_NE(plan.find(soum_index), std::string::npos) << plan;
      EXPECT_EQ(plan.find(sort), std::string::npos) << plan;
    }
    // A name search uses the name index, or the soum's households when
    // it is restricted to a soum.
    if (name_search) {
      EXPECT_TRUE(plan.find("persons_given_birth") != std::string::npos ||
                  (plan.find(soum_condition) != std::string::npos &&
                   plan.find(soum_index) != std::string::npos))
          << plan;
    }
  }
}

// A streaming upsert writes nothing until Commit(), and nothing at all if a
// row fails.
TEST_P(RegistryRepositoryTest, StreamingUpsertIsOneTransaction) {
  {
    auto w = reg().BeginUpsert({"bold", "stream"});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE((*w)->AddHousehold(Hh("H1", 18140)).ok());
    // Not committed: rolled back when the writer goes.
  }
  EXPECT_EQ(Active().households, 0);
  {
    auto w = reg().BeginUpsert({"bold", "stream"});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddHousehold(Hh("H1", 18140)).ok());
    EXPECT_FALSE((*w)->AddPerson(P("ИЗ85120320", "NOPE", "1985-12-03",
                                   Sex::kFemale, Relation::kHead))
                     .ok());
    EXPECT_FALSE((*w)->Commit().ok());
  }
  EXPECT_EQ(Active().households, 0);
  auto w = reg().BeginUpsert({"bold", "stream"});
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddHousehold(Hh("H1", 18140)).ok());
  ASSERT_TRUE((*w)->AddPerson(P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                                Relation::kHead))
                  .ok());
  auto c = (*w)->Commit();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, (WriteCounts{1, 0, 0, 1, 0, 0}));
  w->reset();
  EXPECT_EQ(Active().persons, 1);
  EXPECT_EQ(session().ListAudit({})->size(), 2u);
  // For a caller with an area the rows are collected and checked by Upsert.
  auto soum = Connect({0, 18140});
  ASSERT_NE(soum, nullptr);
  auto sw = soum->Get<registry::Repository>().BeginUpsert({"bold", "stream"});
  ASSERT_TRUE(sw.ok());
  ASSERT_TRUE((*sw)->AddHousehold(Hh("H2", 18125)).ok());
  EXPECT_EQ((*sw)->Commit().status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Active().households, 1);
}

TEST_P(RegistryRepositoryTest, BulkLoadIsAllOrNothingAndOnlyIntoEmptyStore) {
  {
    auto loader = reg().BeginBulkLoad();
    ASSERT_TRUE(loader.ok()) << loader.status().ToString();
    ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
    // Destroyed without Finish(): nothing is written.
  }
  EXPECT_EQ(Active().households, 0);
  auto loader = reg().BeginBulkLoad();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
  ASSERT_TRUE((*loader)
                  ->AddPerson(P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale,
                                Relation::kHead))
                  .ok());
  ASSERT_TRUE((*loader)->Finish().ok());
  loader->reset();
  EXPECT_EQ(Active().persons, 1);
  EXPECT_EQ(reg().BeginBulkLoad().status().code(),
            StatusCode::kFailedPrecondition);
}

// The register-number index is built at Finish(): a number twice still
// fails the load, and nothing is written.
TEST_P(RegistryRepositoryTest, BulkLoadKeepsRegisterNumbersUnique) {
  auto loader = reg().BeginBulkLoad();
  ASSERT_TRUE(loader.ok());
  ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
  Person p = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead);
  ASSERT_TRUE((*loader)->AddPerson(p).ok());
  ASSERT_TRUE((*loader)->AddPerson(p).ok());
  Status finish = (*loader)->Finish();
  EXPECT_FALSE(finish.ok());
  EXPECT_NE(text::ToLower(finish.message()).find("unique"), std::string::npos)
      << finish.ToString();
  loader->reset();
  EXPECT_EQ(Active().persons, 0);
  EXPECT_EQ(Active().households, 0);
}

TEST_P(RegistryRepositoryTest, HouseholdVersionsRefuseStaleUpdates) {
  auto v = reg().CreateHousehold(Hh("A1", 18140), {}, {"bold", ""});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 1);
  EXPECT_EQ(reg().CreateHousehold(Hh("A1", 18140), {}, {}).status().code(),
            StatusCode::kAlreadyExists);
  Household h = Hh("A1", 18140);
  h.bag = "2";
  auto v2 = reg().UpdateHousehold(h, {}, 1, {"bold", ""});
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(*v2, 2);
  h.bag = "3";
  auto stale = reg().UpdateHousehold(h, {}, 1, {"saraa", ""});
  EXPECT_EQ(stale.status().code(), StatusCode::kConflict);
  EXPECT_NE(stale.status().message().find("version 2"), std::string::npos);
  EXPECT_EQ((*reg().FindHousehold("A1"))->bag, "2");
  EXPECT_EQ(reg().UpdateHousehold(Hh("ZZ", 18140), {}, 1, {}).status().code(),
            StatusCode::kNotFound);
}

TEST_P(RegistryRepositoryTest, SearchByNumberNamePrefixSoumAndHerder) {
  Household other = Hh("B1", 18125);
  other.herder = false;
  Person b = P("ИЗ85120420", "B1", "1985-12-04", Sex::kFemale, Relation::kHead);
  b.father_name = "Дорж";
  b.given_name = "Хонгорзул";
  ASSERT_TRUE(reg()
                  .Upsert({Hh("A1", 18140), other},
                          {P("ИЗ85120320", "A1", "1985-12-03", Sex::kFemale,
                             Relation::kHead),
                           b},
                          {})
                  .ok());
  auto ids = [&](const SearchQuery& q, const AreaFilter& a = {}) {
    std::vector<std::string> out;
    auto page = reg().SearchHouseholds(a, q);
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
  auto page = reg().SearchHouseholds({}, q);
  EXPECT_EQ(page->total, 2);
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "B1");
  q.after = "A1";  // Keyset paging: the page after A1.
  q.page = 7;      // Ignored with `after`.
  page = reg().SearchHouseholds({}, q);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "B1");
  EXPECT_EQ(page->total, 2);  // All matches, as without `after`.
  q.after = "B1";
  EXPECT_TRUE(reg().SearchHouseholds({}, q)->items.empty());
  SearchQuery pq;
  pq.text = "hongorzul";
  auto persons = reg().SearchPersons({}, pq);
  ASSERT_TRUE(persons.ok());
  ASSERT_EQ(persons->items.size(), 1u);
  EXPECT_EQ(persons->items[0].register_no, "ИЗ85120420");
  pq.text = "!!";
  EXPECT_EQ(reg().SearchPersons({}, pq).status().field(), "q");
}

// The register's version: the same while the register is, new after each
// committed change (an upsert, a bulk load); inside the transaction that
// changes it, either new or unknown, never the old one.
TEST_P(RegistryRepositoryTest, RegisterVersionFollowsCommittedChanges) {
  auto read = [&]() -> std::optional<registry::RegisterVersion> {
    auto v = reg().ReadRegisterVersion();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : std::nullopt;
  };
  auto v0 = read();
  ASSERT_TRUE(v0.has_value());
  EXPECT_EQ(v0->database, session().database_key());
  {
    auto loader = reg().BeginBulkLoad();
    ASSERT_TRUE(loader.ok());
    ASSERT_TRUE((*loader)->AddHousehold(Hh("H1", 18140)).ok());
    ASSERT_TRUE((*loader)->Finish().ok());
  }
  auto v1 = read();
  ASSERT_TRUE(v1.has_value());
  EXPECT_NE(*v1, *v0);
  Person p = P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead);
  ASSERT_TRUE(reg().Upsert({}, {p}, {"t", ""}).ok());
  auto v2 = read();
  ASSERT_TRUE(v2.has_value());
  EXPECT_NE(*v2, *v1);
  ASSERT_TRUE(reg().Upsert({Hh("H1", 18140)}, {p}, {"t", ""}).ok());  // Same.
  EXPECT_EQ(read(), v2);
  // Many changes in one transaction; the version inside it after the first.
  Status s = session().Write([&]() -> Status {
    for (const char* rn : {"ИЗ85120420", "ИЗ85120520", "ИЗ85120620"}) {
      Person q = p;
      q.register_no = rn;
      MALCHIN_RETURN_IF_ERROR(reg().Upsert({}, {q}, {"t", ""}).status());
      auto inside = read();
      EXPECT_TRUE(!inside || *inside != *v2);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto v3 = read();
  ASSERT_TRUE(v3.has_value());
  EXPECT_NE(*v3, *v2);
  // Another session sees the same version.
  auto other = Connect();
  ASSERT_NE(other, nullptr);
  auto seen = other->Get<registry::Repository>().ReadRegisterVersion();
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ(**seen, *v3);
}

INSTANTIATE_TEST_SUITE_P(Engines, RegistryRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
