// The coop services' test fixture (test_fixture.h): the parts that open a
// test database, kept in a test source so that the capability's headers
// never reach the backends.
#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "coop/test_fixture.h"

namespace malchin::coop::testing {

CoopTest::CoopTest() = default;
CoopTest::~CoopTest() = default;

store::Session& CoopTest::session() { return *store_->session; }

Result<std::unique_ptr<store::Session>> CoopTest::NewSession() {
  return store_->database->Connect();
}

void CoopTest::SetUp() {
  auto t = backends::testing::OpenTestStore(backends::testing::ApiTestEngine());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  store_ = std::make_unique<backends::testing::TestStore>(std::move(*t));
  session().SetClock(&clock_);
  auto c = Context::Embedded();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ctx_ = std::move(*c);
  ctx_.frames = nullptr;  // Each test's register is its own.
  ctx_.threads = 1;
  struct H {
    const char* id;
    int32_t soum;
    bool herder;
    int sheep, goats;
  };
  const H households[] = {
      {"H1", 18140, true, 150, 0}, {"H2", 18140, true, 100, 20},
      {"H3", 18140, true, 500, 0}, {"H4", 18140, true, 120, 0},
      {"H5", 18125, true, 80, 0},  {"H6", 18140, false, 0, 0}};
  std::vector<registry::Household> hh;
  for (const H& x : households) {
    registry::Household h;
    h.id = x.id;
    h.soum_code = h.current_soum_code = x.soum;
    h.herder = x.herder;
    h.herd[registry::Species::kSheep] = x.sheep;
    h.herd[registry::Species::kGoat] = x.goats;
    hh.push_back(h);
  }
  std::vector<registry::Person> persons;
  for (size_t i = 0; i < std::size(kPersons); ++i) {
    registry::Person p;
    p.register_no = Rn(kPersons[i], static_cast<int>(i));
    p.household_id = kPersons[i].household;
    p.father_name = "Бат";
    p.given_name = "Сүх";
    p.sex = kPersons[i].sex;
    p.birth_date = D(kPersons[i].birth);
    p.relation = kPersons[i].relation;
    p.herder = true;
    p.disability = i == 4;  // H4's head.
    persons.push_back(p);
    rn_.push_back(p.register_no);
  }
  auto w =
      session().Get<registry::Repository>().Upsert(hh, persons, {"test", ""});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
}

}  // namespace malchin::coop::testing
