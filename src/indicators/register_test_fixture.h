// Test helper: a small generated register (demo aimag 181 by default, or
// the aimags given, every one when empty; by default at scale 0.01, as of
// 2020-01-01) with demo insurance histories through 2020, in a fresh
// database of the engine MALCHIN_TEST_ENGINE names (or the one given).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "demo/generator.h"
#include "geo/geography.h"
#include "insurance/demo_histories.h"
#include "insurance/repository.h"
#include "params/parameters.h"
#include "registry/repository.h"

namespace malchin::indicators::testing {

class GeneratedRegister {
 public:
  static std::unique_ptr<GeneratedRegister> Make(
      store::Engine engine = backends::testing::ApiTestEngine(),
      double scale = 0.01, std::vector<int32_t> aimags = {181}) {
    auto r = std::unique_ptr<GeneratedRegister>(new GeneratedRegister);
    auto db = backends::testing::TestDatabase::Make(engine);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return nullptr;
    r->db_ = std::move(*db);
    r->params_ = *params::ParameterSet::Embedded();
    auto session = r->Connect();
    Status s = Load(*session, *r->params_, scale, std::move(aimags));
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok() ? std::move(r) : nullptr;
  }
  std::unique_ptr<store::Session> Connect() { return *db_->Connect(); }
  const params::ParameterSet& params() const { return *params_; }
  backends::testing::TestDatabase& database() { return *db_; }

 private:
  GeneratedRegister() = default;
  static Status Load(store::Session& session, const params::ParameterSet& p,
                     double scale, std::vector<int32_t> aimags) {
    MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
    MALCHIN_ASSIGN_OR_RETURN(
        auto loader, session.Get<registry::Repository>().BeginBulkLoad());
    demo::Options o;
    o.seed = 7;
    o.aimags = std::move(aimags);
    o.scale = scale;
    demo::Sink sink{
        [&](const registry::Household& h) { return loader->AddHousehold(h); },
        [&](const registry::Person& x) { return loader->AddPerson(x); }};
    MALCHIN_RETURN_IF_ERROR(demo::Generate(*geo, o, sink).status());
    MALCHIN_RETURN_IF_ERROR(loader->Finish());
    auto& ins = session.Get<insurance::Repository>();
    MALCHIN_ASSIGN_OR_RETURN(insurance::InsuranceSnapshot snap,
                             ins.LoadSnapshot({}, {}));
    insurance::DemoHistoryOptions opt;
    opt.as_of = Date::FromYmd(2020, 12, 31);
    insurance::Repository::SeedRows rows;
    MALCHIN_RETURN_IF_ERROR(
        insurance::BuildDemoHistories(p, snap, opt, &rows).status());
    return ins.Seed(snap, rows, {"generator", "indicators test"});
  }

  std::unique_ptr<backends::testing::TestDatabase> db_;
  std::shared_ptr<const params::ParameterSet> params_;
};

// The register number of a herder aged 25-49 on `first_day` (the 1st of a
// month) whose `scheme` covers that month, or "" when there is none: the
// person a test removes to change a coverage figure.
inline std::string CoveredHerder(store::Session& session,
                                 insurance::InsuranceScheme scheme,
                                 Date first_day) {
  auto snap = session.Get<insurance::Repository>().LoadSnapshot({}, {});
  if (!snap.ok()) return "";
  int32_t month = first_day.year() * 12 + first_day.month() - 1;
  for (size_t p = 0; p < snap->persons(); ++p) {
    int age = Date::FromDays(snap->birth_days[p]).AgeOn(first_day);
    if (age >= 25 && age < 50 && snap->Covered(p, scheme, month)) {
      return snap->register_no[p];
    }
  }
  return "";
}

}  // namespace malchin::indicators::testing
