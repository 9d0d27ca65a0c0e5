// Helpers shared by the rules tests: small handmade registers and compact
// ways to compile and run rules on them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "registry/population.h"
#include "rules/evaluator.h"
#include "rules/frame.h"
#include "rules/rule.h"

namespace malchin::rules::testing {

inline Date D(const char* s) { return *Date::Parse(s); }

inline registry::SheepUnitFactors Factors() {
  registry::SheepUnitFactors f;
  f.factor = {5, 7, 6, 1, 0.9};
  return f;
}

// Builds a Population household by household.
class PopulationBuilder {
 public:
  // Adds a household and returns its index.
  int Household(int32_t soum, bool herder = false, int sheep = 0,
                int32_t current_soum = 0) {
    registry::Household h;
    h.id = "H" + std::to_string(pop_.households());
    h.soum_code = soum;
    h.current_soum_code = current_soum ? current_soum : soum;
    h.herder = herder;
    h.herd[registry::Species::kSheep] = sheep;
    pop_.AddHousehold(h);
    return static_cast<int>(pop_.households()) - 1;
  }
  // Adds a person to household `hh` and returns the person index.
  int Person(int hh, const char* born, registry::Sex sex,
             registry::Relation rel = registry::Relation::kChild,
             bool disability = false, bool herder = false) {
    registry::Person p;
    p.birth_date = D(born);
    p.sex = sex;
    p.relation = rel;
    p.disability = disability;
    p.herder = herder;
    pop_.AddPerson(p, hh);
    return static_cast<int>(pop_.persons()) - 1;
  }
  registry::Population& pop() { return pop_; }

 private:
  registry::Population pop_;
};

inline constexpr auto kF = registry::Sex::kFemale;
inline constexpr auto kM = registry::Sex::kMale;
inline constexpr auto kHead = registry::Relation::kHead;
inline constexpr auto kSpouse = registry::Relation::kSpouse;
inline constexpr auto kChild = registry::Relation::kChild;

inline Rule MustCompile(const RuleSpec& spec, const Schema& schema = {}) {
  std::vector<Diagnostic> diags;
  auto r = Rule::Compile(spec, schema, &diags);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) std::abort();
  return *std::move(r);
}

inline Evaluator MustBind(const Rule& rule, std::shared_ptr<const Frame> frame,
                          const Bindings& b = {}) {
  auto ev = Evaluator::Bind(rule, std::move(frame), b);
  EXPECT_TRUE(ev.ok()) << ev.status().ToString();
  if (!ev.ok()) std::abort();
  return *std::move(ev);
}

}  // namespace malchin::rules::testing
