// Test support for the coop services (implemented in
// coop_fixture_test.cpp): a fresh SQLite store with a small
// register in Zavkhan (soums 18140 Tosontsengel and 18125 Ikh-Uul), a fake
// clock, the embedded context and actors.
//
//   H1 18140 herder, 150 sheep: F head 1985 (rams: female head).
//   H2 18140 herder, 100 sheep + 20 goats: M head 1995 (young), F spouse.
//   H3 18140 herder, 500 sheep: F head 1980 (too many sheep).
//   H4 18140 herder, 120 sheep: M head 1970 (neither), with a disability.
//   H5 18125 herder, 80 sheep: F head 1990 (another soum).
//   H6 18140 not herding: M head 2000, no herd.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "coop/cooperatives.h"
#include "coop/service.h"
#include "core/clock.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace malchin::backends::testing {
struct TestStore;  // backends/testing/test_database.h
}

namespace malchin::coop::testing {

inline Date D(const char* s) { return *Date::Parse(s); }

struct FixturePerson {
  const char* household;
  registry::Sex sex;
  const char* birth;
  registry::Relation relation;
};

inline std::string Rn(const FixturePerson& p, int serial) {
  return registry::MakeRegisterNumber("ИЗ", D(p.birth), p.sex, serial % 10, 0);
}

class CoopTest : public ::testing::Test {
 protected:
  static constexpr FixturePerson kPersons[] = {
      {"H1", registry::Sex::kFemale, "1985-12-03", registry::Relation::kHead},
      {"H2", registry::Sex::kMale, "1995-02-10", registry::Relation::kHead},
      {"H2", registry::Sex::kFemale, "1996-07-01", registry::Relation::kSpouse},
      {"H3", registry::Sex::kFemale, "1980-05-05", registry::Relation::kHead},
      {"H4", registry::Sex::kMale, "1970-01-01", registry::Relation::kHead},
      {"H5", registry::Sex::kFemale, "1990-03-15", registry::Relation::kHead},
      {"H6", registry::Sex::kMale, "2000-08-08", registry::Relation::kHead},
  };

  CoopTest();
  ~CoopTest() override;
  void SetUp() override;

  store::Session& session();
  // Another session on the same database (as `system`, national).
  Result<std::unique_ptr<store::Session>> NewSession();
  // The register number of fixture person i.
  const std::string& rn(size_t i) const { return rn_.at(i); }

  // Registers cooperative `code` in 18140 (registered 2015) with persons
  // `members` joining on 2016-01-01 (the first as chair).
  void MakeCoop(const std::string& code, const std::vector<size_t>& members) {
    Cooperative c;
    c.code = code;
    c.name = "Coop " + code;
    c.soum_code = 18140;
    c.registered_on = D("2015-01-01");
    auto r = RegisterCooperative(session(), ctx_, national_, c);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (size_t i = 0; i < members.size(); ++i) {
      auto j = Join(
          session(), national_,
          {code, rn(members[i]),
           i == 0 ? MemberRole::kChair : MemberRole::kMember, D("2016-01-01")});
      ASSERT_TRUE(j.ok()) << j.status().ToString();
    }
  }

  std::unique_ptr<backends::testing::TestStore> store_;
  FakeClock clock_{Date::FromYmd(2025, 6, 1)};
  Context ctx_;
  std::vector<std::string> rn_;
  const Actor national_{"national", auth::Role::kNationalOfficer, {}};
  const Actor checker_{"checker", auth::Role::kNationalOfficer, {}};
  const Actor zavkhan_{"zavkhan", auth::Role::kAimagOfficer, {181, 0}};
  const Actor ikh_uul_{"ikhuul", auth::Role::kSoumOfficer, {0, 18125}};
};

}  // namespace malchin::coop::testing
