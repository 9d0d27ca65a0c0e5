// indicators::Repository and the freezing rules of indicators::Results on
// every engine: a value is frozen once per (indicator, period, area), is
// never changed, and a recompute after an edit of the register shows the
// frozen value, the live one and the difference.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "indicators/register_test_fixture.h"
#include "indicators/repository.h"
#include "indicators/results.h"
#include "insurance/repository.h"
#include "registry/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using indicators::FrozenValue;
using indicators::Period;

class IndicatorsRepositoryTest : public EngineTest {
 protected:
  indicators::Repository& repo() { return Get<indicators::Repository>(); }
  static FrozenValue Value(const char* period, int32_t area) {
    FrozenValue v;
    v.indicator = "SI_COVERAGE_HERDERS";
    v.period = period;
    v.area = area;
    v.values = "[]";
    v.register_version = "r1";
    v.parameters_version = "p1";
    v.definition = "{}";
    v.frozen_by = "ana";
    v.frozen_at = "2026-01-01T00:00:00Z";
    return v;
  }
};

TEST_P(IndicatorsRepositoryTest, AValueIsFrozenOncePerPeriodAndArea) {
  FrozenValue v = Value("2020Q1", 181);
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    MALCHIN_ASSIGN_OR_RETURN(v.id, repo().InsertFrozen(v));
                    return Status::Ok();
                  })
                  .ok());
  auto found = repo().FindFrozen("SI_COVERAGE_HERDERS", "2020Q1", 181);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, v);
  Status again = session().Write(
      [&] { return repo().InsertFrozen(Value("2020Q1", 181)).status(); });
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists) << again.ToString();
  ASSERT_TRUE(session()
                  .Write([&] {
                    return repo().InsertFrozen(Value("2020Q1", 0)).status();
                  })
                  .ok());
  auto all = repo().ListFrozen("SI_COVERAGE_HERDERS");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].area, 0);
  EXPECT_TRUE(repo().ListFrozen("OTHER")->empty());
  // Append-only in the database itself.
  EXPECT_TRUE(backends::testing::RawSqlRefused(
      database(), "UPDATE indicator_values SET value_json = '[1]'"));
  EXPECT_TRUE(backends::testing::RawSqlRefused(database(),
                                               "DELETE FROM indicator_values"));
}

TEST_P(IndicatorsRepositoryTest, TheLatestDefinitionOfEachCodeCounts) {
  auto add = [&](const char* code, const char* json) {
    return session().Write([&] {
      return repo().InsertDefinition({code, json, "f.json", "ana", "t"});
    });
  };
  ASSERT_TRUE(add("B", "{\"v\":1}").ok());
  ASSERT_TRUE(add("A", "{\"v\":1}").ok());
  ASSERT_TRUE(add("B", "{\"v\":2}").ok());
  auto defs = repo().Definitions();
  ASSERT_TRUE(defs.ok()) << defs.status().ToString();
  ASSERT_EQ(defs->size(), 2u);
  EXPECT_EQ((*defs)[0].code, "A");
  EXPECT_EQ((*defs)[1].definition, "{\"v\":2}");
  EXPECT_TRUE(backends::testing::RawSqlRefused(
      database(), "UPDATE indicator_definitions SET definition = '{}'"));
}

TEST_P(IndicatorsRepositoryTest,
       FrozenValueSurvivesAnEditAndShowsTheDifference) {
  auto reg = indicators::testing::GeneratedRegister::Make(engine());
  ASSERT_NE(reg, nullptr);
  auto session = reg->Connect();
  session->SetCaller({"ana", "", {}});
  auto params = *params::ParameterSet::Embedded();
  indicators::Results results(*session, params);
  Period q2 = *Period::Parse("2020Q2");
  auto frozen = results.Freeze("SI_COVERAGE_HERDERS", q2, {});
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  EXPECT_EQ(frozen->period, "2020Q2");
  EXPECT_EQ(frozen->frozen_by, "ana");
  EXPECT_FALSE(frozen->register_version.empty());
  EXPECT_EQ(frozen->parameters_version, params->version());
  EXPECT_NE(frozen->definition.find("insurance_coverage_social"),
            std::string::npos);
  auto twice = results.Freeze("SI_COVERAGE_HERDERS", q2, {});
  EXPECT_EQ(twice.status().code(), StatusCode::kAlreadyExists);

  // Deactivate one insured working-age herder.
  auto snap = session->Get<insurance::Repository>().LoadSnapshot({}, {});
  ASSERT_TRUE(snap.ok());
  int32_t june = 2020 * 12 + 5;
  std::string who;
  for (size_t p = 0; p < snap->persons() && who.empty(); ++p) {
    int age =
        Date::FromDays(snap->birth_days[p]).AgeOn(Date::FromYmd(2020, 6, 1));
    if (age >= 25 && age < 50 &&
        snap->Covered(p, insurance::InsuranceScheme::kSocial, june)) {
      who = snap->register_no[p];
    }
  }
  ASSERT_FALSE(who.empty());
  ASSERT_TRUE(session->Get<registry::Repository>()
                  .DeactivatePerson(who, {Date::FromYmd(2020, 7, 1), "died"})
                  .ok());

  auto c = results.Recompute("SI_COVERAGE_HERDERS", q2, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_TRUE(c->frozen.has_value());
  EXPECT_EQ(*c->frozen, *frozen);
  auto before = indicators::ParseCellsJson(frozen->values);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(c->frozen_cells, *before);
  EXPECT_EQ(c->live.cells[0].numerator, (*before)[0].numerator - 1);
  EXPECT_EQ(c->live.cells[0].denominator, (*before)[0].denominator - 1);
  ASSERT_FALSE(c->differences.empty());
  EXPECT_TRUE(c->differences[0].by.empty());
  EXPECT_EQ(c->differences[0].frozen, (*before)[0].value);
  EXPECT_EQ(c->differences[0].live, c->live.cells[0].value);
  auto stored = results.Frozen("");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0], *frozen);
}

TEST_P(IndicatorsRepositoryTest, PushesAreKeptAppendOnly) {
  auto push = [](bool dry, const char* sha, int http, const char* status) {
    indicators::PushRecord p;
    p.pushed_by = "ana";
    p.pushed_at = "2026-01-01T00:00:00Z";
    p.server = "http://127.0.0.1:8080/dhis";
    p.period = "2020Q1";
    p.dry_run = dry;
    p.http_status = http;
    p.import_status = status;
    p.payload_sha256 = sha;
    p.summary_json = "{\"status\":\"OK\"}";
    return p;
  };
  std::vector<indicators::PushRecord> in = {
      push(true, "aa", 401, "HTTP 401"), push(true, "aa", 200, "SUCCESS"),
      push(false, "aa", 200, "SUCCESS"), push(true, "bb", 409, "ERROR")};
  ASSERT_TRUE(session()
                  .Write([&]() -> Status {
                    for (auto& p : in) {
                      MALCHIN_ASSIGN_OR_RETURN(p.id, repo().InsertPush(p));
                    }
                    return Status::Ok();
                  })
                  .ok());
  auto all = repo().ListPushes();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0], in[3]);  // Newest first.
  EXPECT_EQ((*all)[3], in[0]);
  auto dry = repo().LastDryRun("http://127.0.0.1:8080/dhis", "aa");
  ASSERT_TRUE(dry.ok());
  ASSERT_TRUE(dry->has_value());
  EXPECT_EQ(**dry, in[1]);
  EXPECT_FALSE(repo().LastDryRun("http://127.0.0.1:9/", "aa")->has_value());
  EXPECT_FALSE(
      repo().LastDryRun("http://127.0.0.1:8080/dhis", "cc")->has_value());
  EXPECT_TRUE(backends::testing::RawSqlRefused(
      database(), "UPDATE indicator_pushes SET import_status = 'SUCCESS'"));
  EXPECT_TRUE(backends::testing::RawSqlRefused(database(),
                                               "DELETE FROM indicator_pushes"));
}

INSTANTIATE_TEST_SUITE_P(Engines, IndicatorsRepositoryTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
