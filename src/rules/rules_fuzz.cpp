// libFuzzer target for the rule language (built with -DMALCHIN_FUZZ=ON and
// clang): any input is compiled as a condition and as an amount; whatever
// compiles is bound to a small register and evaluated, previewed and
// explained. Crashes, sanitizer reports and a Program that disagrees with
// the reference Interpreter are bugs.
//
//   cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++
//         -DMALCHIN_FUZZ=ON -DMALCHIN_BENCHMARKS=OFF
//   ninja -C build/fuzz rules_fuzz
//   build/fuzz/src/rules/rules_fuzz -max_total_time=60
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rules/binding.h"
#include "rules/evaluator.h"
#include "rules/evaluator_internal.h"
#include "rules/rule.h"

namespace {

using namespace malchin;         // NOLINT
using namespace malchin::rules;  // NOLINT

struct Fixture {
  registry::Population pop;
  Extensions ext;
  EventContext event;
  std::shared_ptr<const Frame> frame;

  Fixture() {
    const int32_t soums[] = {18110, 18125, 10101};
    for (int h = 0; h < 6; ++h) {
      registry::Household hh;
      hh.id = "H" + std::to_string(h);
      hh.soum_code = soums[h % 3];
      hh.current_soum_code = soums[(h + 1) % 3];
      hh.herder = h % 2;
      hh.herd[registry::Species::kSheep] = 40 * h;
      pop.AddHousehold(hh);
      for (int m = 0; m < 1 + h % 4; ++m) {
        registry::Person p;
        p.birth_date = Date::FromYmd(1950 + 13 * m + h, 1 + h, 1 + 4 * m);
        p.sex = (h + m) % 2 ? registry::Sex::kMale : registry::Sex::kFemale;
        p.relation =
            m == 0 ? registry::Relation::kHead : registry::Relation::kChild;
        p.disability = (h * m) % 5 == 1;
        pop.AddPerson(p, h);
      }
    }
    std::vector<double> score(pop.households());
    std::vector<uint8_t> present(pop.households());
    for (size_t i = 0; i < score.size(); ++i) {
      score[i] = static_cast<double>(i % 5);
      present[i] = i % 3 != 0;
    }
    if (!ext.Add(ColumnSpec::Number("score", "", Scope::kHousehold, true),
                 score, present)
             .ok()) {
      std::abort();
    }
    event.severity_by_soum = {{18110, Severity::kHigh},
                              {18125, Severity::kLow}};
    registry::SheepUnitFactors factors;
    factors.factor = {5, 7, 6, 1, 0.9};
    frame = *Frame::Build(pop, Date::FromYmd(2020, 1, 1), factors);
  }
};

void Run(const Fixture& fx, const Rule& rule) {
  Bindings b;
  b.event = &fx.event;
  b.extensions = &fx.ext;
  b.threads = 1;
  auto ev = Evaluator::Bind(rule, fx.frame, b);
  if (!ev.ok()) return;  // E.g. param(...) without a parameter set.
  std::vector<double> elig, amount;
  EvaluatorInternals::Evaluate(*ev, &elig, &amount);
  Interpreter interp(EvaluatorInternals::binding(*ev));
  for (int32_t p = 0; p < static_cast<int32_t>(fx.pop.persons()); ++p) {
    Value e = interp.Eval(rule.eligibility().root(), p);
    if (elig[p] != (e.known ? e.x : 0.5)) std::abort();
    Value a = interp.Eval(rule.amount().root(), p);
    if (a.known ? amount[p] != a.x : !std::isnan(amount[p])) std::abort();
  }
  (void)ev->ComputePreview();
  (void)ev->Select();
  (void)ev->Explain(0, Language::kMongolian);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture* fx = new Fixture();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<Diagnostic> diags;
  RuleSpec cond;
  cond.eligibility = std::string(text);
  cond.amount = "1";
  if (auto r = Rule::Compile(cond, fx->ext.schema(), &diags); r.ok()) {
    Run(*fx, *r);
  }
  for (const Diagnostic& d : diags) (void)d.ToString();
  RuleSpec amount;
  amount.eligibility = "true";
  amount.amount = std::string(text);
  amount.cap_per_household = 5;
  if (auto r = Rule::Compile(amount, fx->ext.schema()); r.ok()) {
    Run(*fx, *r);
  }
  return 0;
}
