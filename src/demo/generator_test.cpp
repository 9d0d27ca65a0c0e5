#include "demo/generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

#include "registry/register_number.h"

namespace malchin::demo {
namespace {

using registry::Household;
using registry::Person;
using registry::Relation;
using registry::Sex;

struct Collected {
  std::vector<Household> households;
  std::vector<Person> persons;
};

Collected Generated(const Options& options) {
  auto geo = geo::Geography::Load();
  EXPECT_TRUE(geo.ok());
  Collected c;
  Sink sink{[&](const Household& h) {
              c.households.push_back(h);
              return Status::Ok();
            },
            [&](const Person& p) {
              c.persons.push_back(p);
              return Status::Ok();
            }};
  auto summary = Generate(**geo, options, sink);
  EXPECT_TRUE(summary.ok()) << summary.status().message();
  if (summary.ok()) {
    EXPECT_EQ(summary->households, static_cast<int64_t>(c.households.size()));
    EXPECT_EQ(summary->persons, static_cast<int64_t>(c.persons.size()));
  }
  return c;
}

int32_t SoumOf(const std::string& household_id) {
  return std::stoi(household_id.substr(0, household_id.find('-')));
}

class ZavkhanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Options o;
    o.aimags = {181};
    zavkhan_ = new Collected(Generated(o));
  }
  static void TearDownTestSuite() { delete zavkhan_; }
  static Collected* zavkhan_;
};
Collected* ZavkhanTest::zavkhan_ = nullptr;

TEST_F(ZavkhanTest, PerSoumTotalsMatchTheSourceData) {
  auto geo = *geo::Geography::Load();
  const Date as_of = Date::FromYmd(2020, 1, 1);
  std::map<int32_t, int64_t> persons, herders, livestock, young;
  std::map<std::string, int32_t> soum_of_household;
  for (const Household& h : zavkhan_->households) {
    soum_of_household[h.id] = h.soum_code;
    if (h.herder) ++herders[h.soum_code];
    livestock[h.soum_code] += h.herd.total();
  }
  for (const Person& p : zavkhan_->persons) {
    int32_t soum = soum_of_household.at(p.household_id);
    ++persons[soum];
    if (p.birth_date.AgeOn(as_of) <= 4) ++young[soum];
  }
  auto soums = geo->SoumsOf(181);
  ASSERT_EQ(soums.size(), 24u);
  for (const geo::Unit* u : soums) {
    SCOPED_TRACE(u->name_en);
    EXPECT_EQ(persons[u->code], u->population_2020);
    EXPECT_EQ(herders[u->code], u->herder_households_2020);
    EXPECT_EQ(livestock[u->code], u->livestock_heads_2020);
    EXPECT_EQ(young[u->code], u->children_0_4_2019);
  }
}

TEST_F(ZavkhanTest, RecordsAreValidAndConsistent) {
  auto geo = *geo::Geography::Load();
  const Date today = Date::FromYmd(2020, 1, 1);
  std::unordered_set<std::string> numbers, ids;
  std::map<std::string, int> heads;
  for (const Household& h : zavkhan_->households) {
    EXPECT_TRUE(ids.insert(h.id).second) << h.id;
    auto errs = registry::ValidateHousehold(h, *geo);
    EXPECT_TRUE(errs.empty())
        << h.id << ": " << errs[0].field << " " << errs[0].value;
    EXPECT_EQ(geo::AimagOfSoum(h.current_soum_code), 181);
  }
  for (const Person& p : zavkhan_->persons) {
    EXPECT_TRUE(numbers.insert(p.register_no).second) << p.register_no;
    auto errs = registry::ValidatePerson(p, today);
    EXPECT_TRUE(errs.empty())
        << p.register_no << ": " << errs[0].field << " " << errs[0].value
        << " (" << errs[0].expected << ")";
    EXPECT_TRUE(
        registry::CheckRegisterNumber(p.register_no, p.birth_date, p.sex).ok());
    if (p.relation == Relation::kHead) ++heads[p.household_id];
  }
  EXPECT_EQ(heads.size(), zavkhan_->households.size());
  // The same names and birth date under two numbers is a possible duplicate
  // for review; in a synthetic register it must be rare, as in a real one.
  std::set<std::string> seen;
  int64_t same = 0;
  for (const Person& p : zavkhan_->persons) {
    same += !seen.insert(p.father_name + "|" + p.given_name + "|" +
                         p.birth_date.ToString())
                 .second;
  }
  EXPECT_LT(same, static_cast<int64_t>(zavkhan_->persons.size()) / 1000);
  for (const auto& [id, n] : heads) EXPECT_EQ(n, 1) << id;
}

// The 2019-20 pilot: children aged 0-5 in four soums (2,729 paid) and in the
// 23 soums other than Uliastai (6,747 paid). The register must be within 15%.
TEST_F(ZavkhanTest, ReproducesThePilotCaseloads) {
  const Date cutoff = Date::FromYmd(2019, 12, 1);
  const std::set<int32_t> phase1 = {18110, 18125, 18140, 18149};
  std::map<std::string, int32_t> soum_of_household;
  for (const Household& h : zavkhan_->households) {
    soum_of_household[h.id] = h.soum_code;
  }
  int64_t n1 = 0, n2 = 0;
  for (const Person& p : zavkhan_->persons) {
    if (p.birth_date > cutoff || p.birth_date.AgeOn(cutoff) > 5) continue;
    int32_t soum = soum_of_household.at(p.household_id);
    if (phase1.count(soum)) ++n1;
    if (soum != 18101) ++n2;
  }
  EXPECT_NEAR(n1, 2729, 0.15 * 2729);
  EXPECT_NEAR(n2, 6747, 0.15 * 6747);
}

TEST(GeneratorTest, SameSeedSameRegisterAndSubsetsAgree) {
  Options a;
  a.aimags = {181, 182};
  a.scale = 0.2;
  Options only = a;
  only.aimags = {182};
  Collected full = Generated(a), again = Generated(a), part = Generated(only);
  ASSERT_EQ(full.persons.size(), again.persons.size());
  EXPECT_TRUE(full.persons == again.persons);
  EXPECT_TRUE(full.households == again.households);
  // Restricting to an aimag gives exactly that aimag's rows of the full run.
  std::vector<Person> of182;
  for (const Person& p : full.persons) {
    if (SoumOf(p.household_id) / 100 == 182) of182.push_back(p);
  }
  EXPECT_TRUE(of182 == part.persons);

  Options other = a;
  other.seed = 2;
  Collected different = Generated(other);
  EXPECT_FALSE(different.persons == full.persons);
}

TEST(GeneratorTest, NationalShapeIsPlausible) {
  Options o;
  o.scale = 0.1;
  Collected c = Generated(o);
  auto geo = *geo::Geography::Load();
  int64_t expected_persons = 0, expected_herders = 0;
  for (const geo::Unit* u : geo->soums()) {
    expected_persons += std::llround(u->population_2020 * 0.1);
    expected_herders += std::llround(u->herder_households_2020 * 0.1);
  }
  EXPECT_EQ(static_cast<int64_t>(c.persons.size()), expected_persons);
  int64_t herders = 0, female_heads = 0, children = 0, disabled = 0, adults = 0,
          accounts = 0, heads = 0;
  const Date as_of = Date::FromYmd(2020, 1, 1);
  for (const Household& h : c.households) herders += h.herder;
  for (const Person& p : c.persons) {
    int age = p.birth_date.AgeOn(as_of);
    if (p.relation == Relation::kHead) {
      ++heads;
      female_heads += p.sex == Sex::kFemale;
    }
    if (age < 18) {
      ++children;
    } else {
      ++adults;
      accounts += !p.bank_account.empty();
    }
    disabled += p.disability;
  }
  EXPECT_EQ(herders, expected_herders);
  double n = static_cast<double>(c.persons.size());
  // About 1.2 million children aged 0-17 at scale 1.
  EXPECT_NEAR(children, 120000, 6000);
  EXPECT_NEAR(n / c.households.size(), 3.6, 0.25);
  double female_share = static_cast<double>(female_heads) / heads;
  EXPECT_GT(female_share, 0.10);
  EXPECT_LT(female_share, 0.30);
  EXPECT_NEAR(disabled / n, 0.03, 0.01);
  EXPECT_NEAR(static_cast<double>(accounts) / adults, 0.85, 0.02);
}

TEST(GeneratorTest, RejectsBadOptions) {
  auto geo = *geo::Geography::Load();
  Sink sink{[](const Household&) { return Status::Ok(); },
            [](const Person&) { return Status::Ok(); }};
  Options o;
  o.scale = 0;
  EXPECT_EQ(Generate(*geo, o, sink).status().code(),
            StatusCode::kInvalidArgument);
  o.scale = 1;
  o.aimags = {999};
  EXPECT_EQ(Generate(*geo, o, sink).status().code(),
            StatusCode::kInvalidArgument);
  // A sink's error stops generation and is returned.
  o.aimags = {181};
  Sink failing{[](const Household&) { return Status::Unavailable("disk"); },
               [](const Person&) { return Status::Ok(); }};
  EXPECT_EQ(Generate(*geo, o, failing).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace malchin::demo
