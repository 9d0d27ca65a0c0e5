// Differential test: random rules, drawn by a seeded generator over the
// whole grammar, evaluated on random registers by the reference Interpreter
// (one person at a time, explicit three-valued logic) and by the columnar
// Program (whole chunks, encoded unknowns). They must agree on every person:
// the eligibility value (yes, no or unknown) and the amount formula's value
// (or that it is unknown). On top of that, Select(), ComputePreview() and
// Explain() must agree with a selection rebuilt from the Interpreter's
// values (payees, caps, zero amounts, counters).
//
// A failure prints the seed, the rule, its canonical form and the first
// persons that differ, so it can be replayed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "params/parameters.h"
#include "rules/binding.h"
#include "rules/evaluator.h"
#include "rules/evaluator_internal.h"
#include "rules/money.h"
#include "rules/rule.h"
#include "rules/test_util.h"

namespace malchin::rules {
namespace {

using testing::D;

// --- Random registers --------------------------------------------------------

constexpr int32_t kSoums[] = {18110, 18125, 18140, 18143,
                              18101, 10101, 61510, 65119};

struct World {
  registry::Population pop;
  Date as_of;
  EventContext event;
  Extensions ext;
  std::shared_ptr<const params::ParameterSet> params;
  std::shared_ptr<const Frame> frame;
};

// A register of about `households` households with awkward cases on
// purpose: persons not yet born, birthdays on the reference date and on
// 29 February, households without a head or with two, empty herds, persons
// stored out of household order (when `shuffle`), missing extension values.
std::unique_ptr<World> MakeWorld(uint64_t seed, int households, bool shuffle) {
  auto w = std::make_unique<World>();
  std::mt19937_64 rng(seed);
  auto uni = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  const Date kDates[] = {D("2019-12-15"), D("2020-02-29"), D("2020-04-01"),
                         D("2021-03-01")};
  w->as_of = kDates[uni(0, 3)];

  std::vector<std::pair<int, registry::Person>> persons;
  for (int h = 0; h < households; ++h) {
    registry::Household hh;
    hh.id = "H" + std::to_string(h);
    hh.soum_code = kSoums[uni(0, std::size(kSoums) - 1)];
    hh.current_soum_code =
        chance(0.8) ? hh.soum_code : kSoums[uni(0, std::size(kSoums) - 1)];
    hh.herder = chance(0.6);
    for (int s = 0; s < registry::kSpeciesCount; ++s) {
      hh.herd.head[s] = chance(0.4) ? 0 : uni(1, 400);
    }
    w->pop.AddHousehold(hh);
    const int size = uni(1, 7);
    const int heads = chance(0.08) ? 0 : chance(0.05) ? 2 : 1;
    for (int m = 0; m < size; ++m) {
      registry::Person p;
      const int kind = uni(0, 19);
      if (kind == 0) {  // Born on the reference day, some years before.
        p.birth_date =
            Date::FromYmd(w->as_of.year() - uni(0, 20), w->as_of.month(),
                          std::min(w->as_of.day(), 28));
      } else if (kind == 1) {  // Born on 29 February.
        p.birth_date = Date::FromYmd(2000 + 4 * uni(0, 5), 2, 29);
      } else if (kind == 2) {  // Not yet born on the reference date.
        p.birth_date = w->as_of.AddDays(uni(1, 300));
      } else if (kind < 10) {  // A child.
        p.birth_date = w->as_of.AddDays(-uni(0, 18 * 366));
      } else {
        p.birth_date = w->as_of.AddDays(-uni(0, 90 * 365));
      }
      p.sex = chance(0.5) ? registry::Sex::kFemale : registry::Sex::kMale;
      p.relation = m < heads ? registry::Relation::kHead
                             : static_cast<registry::Relation>(uni(1, 6));
      p.disability = chance(0.1);
      p.herder = chance(0.4);
      persons.emplace_back(h, p);
    }
  }
  if (shuffle) std::shuffle(persons.begin(), persons.end(), rng);
  for (const auto& [h, p] : persons) w->pop.AddPerson(p, h);

  for (int32_t soum : kSoums) {
    int s = uni(0, 5);
    if (s < 5) w->event.severity_by_soum[soum] = static_cast<Severity>(s);
  }
  w->event.name = "random event";

  w->params = *params::ParameterSet::Embedded();
  w->ext.set_parameters(w->params);
  const size_t np = w->pop.persons(), nh = w->pop.households();
  {
    std::vector<double> v(nh);
    std::vector<uint8_t> present(nh);
    for (size_t i = 0; i < nh; ++i) {
      v[i] = uni(1, 5);
      present[i] = chance(0.8);
    }
    EXPECT_TRUE(w->ext
                    .Add(ColumnSpec::Number("score", "", Scope::kHousehold,
                                            /*nullable=*/true),
                         v, present)
                    .ok());
  }
  {
    std::vector<double> v(np);
    for (size_t i = 0; i < np; ++i) v[i] = uni(0, 3) * 50000.0;
    EXPECT_TRUE(w->ext.Add(ColumnSpec::Number("income"), v).ok());
  }
  for (const char* key : {"child_money", "pension"}) {
    std::vector<double> v(np);
    std::vector<uint8_t> present(np);
    const bool nullable = std::string(key) == "child_money";
    for (size_t i = 0; i < np; ++i) {
      v[i] = chance(0.5);
      present[i] = nullable ? chance(0.85) : 1;
    }
    EXPECT_TRUE(
        w->ext
            .Add(ColumnSpec::YesNo("enrolled", key, Scope::kPerson, nullable),
                 v, present)
            .ok());
  }
  w->frame = *Frame::Build(w->pop, w->as_of, testing::Factors());
  return w;
}

// --- Random rules
// --------------------------------------------------------------

enum class T { kBool, kNum, kDate, kSev, kSex, kRel };

class RuleGen {
 public:
  explicit RuleGen(uint64_t seed) : rng_(seed) {}

  std::string Condition() { return Gen(T::kBool, Uni(1, 4)); }
  std::string Amount() { return Gen(T::kNum, Uni(0, 3)); }
  int Uni(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

 private:
  template <size_t N>
  const char* Pick(const char* const (&a)[N]) {
    return a[Uni(0, N - 1)];
  }

  std::string Gen(T t, int depth) {
    if (depth <= 0 || Chance(0.25)) return Leaf(t);
    switch (t) {
      case T::kBool:
        return GenBool(depth - 1);
      case T::kNum:
        return GenNum(depth - 1);
      case T::kDate:
        switch (Uni(0, 2)) {
          case 0:
            return "min(" + Gen(T::kDate, depth - 1) + ", " +
                   Gen(T::kDate, depth - 1) + ")";
          case 1:
            return "max(" + Gen(T::kDate, depth - 1) + ", " + Leaf(T::kDate) +
                   ")";
          default:
            return If(T::kDate, depth - 1);
        }
      case T::kSev:
        return Uni(0, 1) ? "max(" + Gen(T::kSev, depth - 1) + ", " +
                               Leaf(T::kSev) + ")"
                         : If(T::kSev, depth - 1);
      case T::kSex:
      case T::kRel:
        return If(t, depth - 1);
    }
    return Leaf(t);
  }

  std::string If(T t, int depth) {
    return "(if " + Gen(T::kBool, depth) + " then " + Gen(t, depth) + " else " +
           Gen(t, depth) + ")";
  }

  std::string Leaf(T t) {
    switch (t) {
      case T::kBool: {
        static const char* const k[] = {"disability",
                                        "herder",
                                        "household.herder",
                                        "household.female_head",
                                        "(household.head.sex == F)",
                                        "true",
                                        "false",
                                        "enrolled(\"child_money\")",
                                        "enrolled(\"pension\")",
                                        "has(score)"};
        return Pick(k);
      }
      case T::kNum: {
        switch (Uni(0, 3)) {
          case 0:
            return std::to_string(Uni(0, 20));
          case 1: {
            static const char* const k[] = {"20000",  "40000", "0.5",
                                            "1.15",   "2.5",   "0",
                                            "100000", "1_000", "0.1"};
            return Pick(k);
          }
          case 2:
            if (!in_count_ && Chance(0.3)) {
              return "household.children(under: " + std::to_string(Uni(0, 18)) +
                     ")";
            }
            [[fallthrough]];
          default: {
            static const char* const k[] = {"age",
                                            "age_months",
                                            "household.size",
                                            "household.sheep_units",
                                            "household.head.age",
                                            "household.livestock",
                                            "household.camels",
                                            "household.horses",
                                            "household.cattle",
                                            "household.sheep",
                                            "household.goats",
                                            "soum",
                                            "current_soum",
                                            "aimag",
                                            "current_aimag",
                                            "score",
                                            "income",
                                            "param(\"child_money.monthly\")",
                                            "param(\"child_money.max_age\")"};
            return Pick(k);
          }
        }
      }
      case T::kDate: {
        static const char* const k[] = {"birth_date", "date(\"2015-06-01\")",
                                        "date(\"2000-02-29\")",
                                        "date(\"2019-12-15\")"};
        return Pick(k);
      }
      case T::kSev: {
        static const char* const k[] = {"event.severity",
                                        "event.severity",
                                        "event.current_severity",
                                        "none",
                                        "low",
                                        "medium",
                                        "high",
                                        "very_high"};
        return Pick(k);
      }
      case T::kSex: {
        static const char* const k[] = {"sex", "sex", "female", "male"};
        return Pick(k);
      }
      case T::kRel: {
        static const char* const k[] = {"relation", "relation", "head",
                                        "child",    "spouse",   "other"};
        return Pick(k);
      }
    }
    return "true";
  }

  // A text literal the checker turns into a value of type t.
  std::string Text(T t) {
    switch (t) {
      case T::kDate: {
        static const char* const k[] = {"\"2014-12-15\"", "\"2020-02-29\"",
                                        "\"1960-01-01\""};
        return Pick(k);
      }
      case T::kSev: {
        static const char* const k[] = {"\"very high\"", "\"high\"",
                                        "\"Medium\"", "\"none\""};
        return Pick(k);
      }
      case T::kSex: {
        static const char* const k[] = {"\"F\"", "\"m\"", "\"female\""};
        return Pick(k);
      }
      case T::kRel: {
        static const char* const k[] = {"\"head\"", "\"child\"",
                                        "\"grandchild\""};
        return Pick(k);
      }
      default:
        return Leaf(t);
    }
  }

  std::string Cmp(bool ordered) {
    static const char* const all[] = {"<", "<=", ">", ">=", "==", "!="};
    static const char* const eq[] = {"==", "!="};
    return ordered ? Pick(all) : Pick(eq);
  }

  std::string List(T t, int depth, bool constant) {
    std::string s = "[";
    const int n = Uni(0, 4);
    for (int i = 0; i < n; ++i) {
      if (i) s += ", ";
      if (t == T::kNum && constant) {
        s += std::to_string(Uni(0, 12));
      } else if (t != T::kNum && t != T::kBool && Chance(0.3)) {
        s += Text(t);
      } else {
        s += constant ? Leaf(t) : Gen(t, depth);
      }
    }
    return s + "]";
  }

  std::string GenBool(int depth) {
    switch (Uni(0, 15)) {
      case 0:
      case 1:
        return "(" + Gen(T::kNum, depth) + " " + Cmp(true) + " " +
               Gen(T::kNum, depth) + ")";
      case 2:
        return "(" + Gen(T::kDate, depth) + " " + Cmp(true) + " " +
               (Chance(0.4) ? Text(T::kDate) : Gen(T::kDate, depth)) + ")";
      case 3:
        return "(" + Gen(T::kSev, depth) + " " + Cmp(true) + " " +
               (Chance(0.3) ? Text(T::kSev) : Gen(T::kSev, depth)) + ")";
      case 4:
        return "(" + Gen(T::kSex, depth) + " " + Cmp(false) + " " +
               (Chance(0.4) ? Text(T::kSex) : Gen(T::kSex, depth)) + ")";
      case 5:
        return "(" + Gen(T::kRel, depth) + (Chance(0.5) ? " in " : " not in ") +
               List(T::kRel, depth, Chance(0.5)) + ")";
      case 6: {
        static const char* const k[] = {"soum", "current_soum"};
        return std::string("(") + Pick(k) +
               (Chance(0.7) ? " in event.soums)" : " not in event.soums)");
      }
      case 7: {
        const bool constant = Chance(0.6);
        return "(" + Gen(T::kNum, depth) + (Chance(0.7) ? " in " : " not in ") +
               List(T::kNum, depth, constant) + ")";
      }
      case 8:
        return "(" + Gen(T::kBool, depth) +
               (Chance(0.5) ? " in " : " not in ") +
               List(T::kBool, depth, Chance(0.5)) + ")";
      case 9:
      case 10: {
        std::string s = "(" + Gen(T::kBool, depth);
        const int n = Uni(1, 3);
        const char* op = Chance(0.5) ? " and " : " or ";
        for (int i = 0; i < n; ++i) s += op + Gen(T::kBool, depth);
        return s + ")";
      }
      case 11:
        return "not " + Gen(T::kBool, depth);
      case 12:
        return If(T::kBool, depth);
      case 13:
        return "(" + Gen(T::kBool, depth) + " " + Cmp(false) + " " +
               Gen(T::kBool, depth) + ")";
      case 14: {
        static const T k[] = {T::kNum, T::kBool, T::kDate, T::kSev};
        return "has(" + Gen(k[Uni(0, 3)], depth) + ")";
      }
      default:
        return "(" + Gen(T::kSev, depth) + " in " +
               List(T::kSev, depth, Chance(0.5)) + ")";
    }
  }

  std::string GenNum(int depth) {
    switch (Uni(0, 9)) {
      case 0:
      case 1:
      case 2: {
        static const char* const k[] = {" + ", " - ", " * ", " / "};
        return "(" + Gen(T::kNum, depth) + Pick(k) + Gen(T::kNum, depth) + ")";
      }
      case 3:
        return "-" + Gen(T::kNum, depth);
      case 4: {
        std::string s = Chance(0.5) ? "min(" : "max(";
        const int n = Uni(2, 3);
        for (int i = 0; i < n; ++i) s += (i ? ", " : "") + Gen(T::kNum, depth);
        return s + ")";
      }
      case 5: {
        static const char* const k[] = {"round(", "floor(", "ceil(", "abs("};
        return Pick(k) + Gen(T::kNum, depth) + ")";
      }
      case 6:
      case 7:
        return If(T::kNum, depth);
      case 8:
        if (!in_count_) {
          in_count_ = true;
          std::string s = "household.count(" + Gen(T::kBool, depth) + ")";
          in_count_ = false;
          return s;
        }
        return Leaf(T::kNum);
      default:
        return "(" + Gen(T::kNum, depth) + " * " + Leaf(T::kNum) + ")";
    }
  }

  std::mt19937_64 rng_;
  bool in_count_ = false;
};

// --- Comparison
// ---------------------------------------------------------------

std::string Describe(const World& w, int32_t p) {
  const registry::Population& pop = w.pop;
  const int32_t h = pop.household[p];
  std::ostringstream s;
  s << "person #" << p << " (born "
    << Date::FromDays(pop.birth_days[p]).ToString() << ", sex "
    << int(pop.sex[p]) << ", relation " << int(pop.relation[p])
    << ", disability " << int(pop.disability[p]) << ") in household #" << h
    << " (soum " << pop.soum_code[h] << ", now " << pop.current_soum_code[h]
    << ", " << w.frame->Members(h).size() << " members)";
  return s.str();
}

std::string Encode(double v) {
  if (std::isnan(v)) return "unknown";
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// Person-by-person agreement of the Program with the Interpreter. Returns
// the number of persons that differ and describes the first few.
int CompareValues(const World& w, const Rule& rule, const Binding& reference,
                  const std::vector<double>& elig,
                  const std::vector<double>& amount, std::string* report) {
  Interpreter interp(reference);
  int mismatches = 0;
  for (int32_t p = 0; p < static_cast<int32_t>(w.pop.persons()); ++p) {
    Value e = interp.Eval(rule.eligibility().root(), p);
    const double want_e = e.known ? e.x : 0.5;
    Value a = interp.Eval(rule.amount().root(), p);
    const bool amount_ok = a.known ? amount[p] == a.x : std::isnan(amount[p]);
    if (elig[p] == want_e && amount_ok) continue;
    if (++mismatches <= 3) {
      *report += "  " + Describe(w, p) + ": eligibility interpreter " +
                 (e.known ? Encode(e.x) : "unknown") + ", program " +
                 Encode(elig[p] == 0.5 ? NAN : elig[p]) +
                 "; amount interpreter " + (a.known ? Encode(a.x) : "unknown") +
                 ", program " + Encode(amount[p]) + "\n";
    }
  }
  return mismatches;
}

// The selection rebuilt from the Interpreter, one household at a time, with
// the payee found afresh from the members.
struct Reference {
  std::vector<Beneficiary> beneficiaries;
  int64_t unknown_eligibility = 0, unknown_amount = 0, zero_amount = 0;
  int64_t capped_households = 0, amount_before_cap = 0;
};

Reference Reselect(const World& w, const Rule& rule, const Binding& b) {
  Interpreter interp(b);
  const registry::Population& pop = w.pop;
  const Frame& f = *w.frame;
  const RuleSpec& spec = rule.spec();
  Reference r;
  for (int32_t h = 0; h < static_cast<int32_t>(pop.households()); ++h) {
    std::vector<int32_t> tested;
    int32_t head = -1, first = -1;
    for (int32_t m : f.Members(h)) {
      if (pop.birth_days[m] > w.as_of.days()) continue;
      if (first < 0) first = m;
      if (head < 0 &&
          pop.relation[m] == static_cast<uint8_t>(registry::Relation::kHead)) {
        head = m;
      }
      if (spec.unit == Unit::kPerson) tested.push_back(m);
    }
    if (spec.unit == Unit::kHousehold && first >= 0) {
      tested.push_back(head >= 0 ? head : first);
    }
    std::vector<Claim> claims;
    for (int32_t p : tested) {
      Value e = interp.Eval(rule.eligibility().root(), p);
      if (e.known && e.x == 0) continue;
      if (!e.known) {
        ++r.unknown_eligibility;
        continue;
      }
      Value a = interp.Eval(rule.amount().root(), p);
      std::optional<int64_t> money =
          a.known ? RoundMoney(a.x) : std::optional<int64_t>();
      if (!money) {
        ++r.unknown_amount;
        continue;
      }
      claims.push_back({p, pop.birth_days[p], *money});
    }
    int64_t total = 0;
    for (const Claim& c : claims) total += c.amount;
    r.amount_before_cap += total;
    if (spec.cap_per_household && total > *spec.cap_per_household) {
      ++r.capped_households;
      ApplyCap(claims, *spec.cap_per_household, spec.cap_order);
    }
    for (const Claim& c : claims) {
      if (c.amount == 0) {
        ++r.zero_amount;
      } else {
        r.beneficiaries.push_back({c.person, h, c.amount});
      }
    }
  }
  return r;
}

RuleSpec RandomSpec(RuleGen& gen) {
  RuleSpec spec;
  spec.eligibility = gen.Condition();
  spec.amount =
      gen.Chance(0.3) ? std::to_string(gen.Uni(1, 8) * 10000) : gen.Amount();
  spec.unit = gen.Chance(0.25) ? Unit::kHousehold : Unit::kPerson;
  if (gen.Chance(0.4)) spec.cap_per_household = gen.Uni(1, 20) * 10000;
  spec.cap_order =
      gen.Chance(0.5) ? CapOrder::kYoungestFirst : CapOrder::kProportional;
  return spec;
}

std::string SpecText(const RuleSpec& spec) {
  return "eligibility: " + spec.eligibility + "\n  amount: " + spec.amount +
         "\n  unit: " + (spec.unit == Unit::kPerson ? "person" : "household") +
         ", cap: " +
         (spec.cap_per_household ? std::to_string(*spec.cap_per_household)
                                 : "none") +
         (spec.cap_order == CapOrder::kYoungestFirst ? " youngest first"
                                                     : " proportional");
}

bool SameBeneficiaries(const std::vector<Beneficiary>& a,
                       const std::vector<Beneficiary>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Beneficiary& x, const Beneficiary& y) {
                      return x.person == y.person &&
                             x.household == y.household && x.amount == y.amount;
                    });
}

struct Tally {
  int compiled = 0, rejected = 0, with_beneficiaries = 0, with_unknowns = 0;
};

// Compiles and checks one random rule on `w`.
void CheckOneRule(const World& w, RuleGen& gen, uint64_t seed, int index,
                  Tally* tally) {
  RuleSpec spec = RandomSpec(gen);
  auto rule = Rule::Compile(spec, w.ext.schema());
  if (!rule.ok()) {
    ++tally->rejected;
    return;
  }
  ++tally->compiled;
  Bindings bindings;
  bindings.event = &w.event;
  bindings.parameters = w.params;
  bindings.extensions = &w.ext;
  bindings.threads = 1;
  auto ev = Evaluator::Bind(*rule, w.frame, bindings);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString() << "\n  " << SpecText(spec);
  const std::string where =
      "seed " + std::to_string(seed) + ", rule " + std::to_string(index) +
      "\n  " + SpecText(spec) +
      "\n  canonical: " + rule->eligibility().Canonical() +
      "\n  amount canonical: " + rule->amount().Canonical() + "\n";

  std::vector<double> elig, amount;
  EvaluatorInternals::Evaluate(*ev, &elig, &amount);
  std::string report;
  int bad = CompareValues(w, *rule, EvaluatorInternals::binding(*ev), elig,
                          amount, &report);
  ASSERT_EQ(bad, 0) << where << report;

  const Reference ref = Reselect(w, *rule, EvaluatorInternals::binding(*ev));
  const std::vector<Beneficiary> got = ev->Select();
  ASSERT_TRUE(SameBeneficiaries(got, ref.beneficiaries))
      << where << "Select() gives " << got.size()
      << " beneficiaries, the interpreter " << ref.beneficiaries.size();

  const Preview pv = ev->ComputePreview();
  int64_t total = 0;
  for (const Beneficiary& b : ref.beneficiaries) total += b.amount;
  EXPECT_EQ(pv.national.beneficiaries,
            static_cast<int64_t>(ref.beneficiaries.size()))
      << where;
  EXPECT_EQ(pv.national.amount, total) << where;
  EXPECT_EQ(pv.unknown_eligibility, ref.unknown_eligibility) << where;
  EXPECT_EQ(pv.unknown_amount, ref.unknown_amount) << where;
  EXPECT_EQ(pv.zero_amount, ref.zero_amount) << where;
  EXPECT_EQ(pv.capped_households, ref.capped_households) << where;
  EXPECT_EQ(pv.amount_before_cap, ref.amount_before_cap) << where;
  int64_t cell_sum = 0, aimag_cell_sum = 0;
  for (const PreviewCell& c : pv.cells) cell_sum += c.amount;
  for (const PreviewCell& c : pv.aimag_cells) aimag_cell_sum += c.amount;
  EXPECT_EQ(cell_sum, total) << where;
  EXPECT_EQ(aimag_cell_sum, total) << where;

  // Explain says the same for a sample of persons.
  std::vector<int64_t> paid(w.pop.persons(), -1);
  for (const Beneficiary& b : ref.beneficiaries) paid[b.person] = b.amount;
  for (int k = 0; k < 12; ++k) {
    const int32_t p =
        k < 6 && !ref.beneficiaries.empty()
            ? ref.beneficiaries[gen.Uni(0, ref.beneficiaries.size() - 1)].person
            : gen.Uni(0, w.pop.persons() - 1);
    auto ex = ev->Explain(p, k % 2 ? Language::kMongolian : Language::kEnglish);
    ASSERT_TRUE(ex.ok());
    EXPECT_EQ(ex->beneficiary, paid[p] >= 0) << where << Describe(w, p) << "\n"
                                             << ex->text;
    if (paid[p] >= 0) {
      EXPECT_EQ(ex->amount.value_or(-1), paid[p]) << where << ex->text;
    }
  }
  if (!ref.beneficiaries.empty()) ++tally->with_beneficiaries;
  if (ref.unknown_eligibility + ref.unknown_amount > 0) {
    ++tally->with_unknowns;
  }
}

class DifferentialTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(DifferentialTest, ProgramAgreesWithInterpreterOnEveryPerson) {
  const uint64_t seed = GetParam();
  auto w = MakeWorld(seed, 400, /*shuffle=*/seed % 2 == 1);
  RuleGen gen(seed * 7919 + 1);
  Tally tally;
  for (int i = 0; i < 250; ++i) {
    CheckOneRule(*w, gen, seed, i, &tally);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // The generator must exercise the evaluator, not the checker's errors,
  // and produce rules that select someone and rules with unknowns.
  EXPECT_GE(tally.compiled, 200) << tally.rejected << " rejected";
  EXPECT_GE(tally.with_beneficiaries, 50);
  EXPECT_GE(tally.with_unknowns, 10);
}

INSTANTIATE_TEST_SUITE_P(Seeds, DifferentialTest,
                         ::testing::Values(1, 2, 3, 4, 5, 6));

// The comparison itself can fail: a Program bound on another reference date
// disagrees with the Interpreter for an age rule.
TEST(DifferentialHarnessTest, DetectsADifferentResult) {
  auto w = MakeWorld(11, 300, false);
  RuleSpec spec;
  spec.eligibility = "age < 6 and event.severity >= medium";
  spec.amount = "if age < 3 then 30000 else household.size * 1000";
  Rule rule = testing::MustCompile(spec, w->ext.schema());
  Bindings b;
  b.event = &w->event;
  Evaluator here = testing::MustBind(rule, w->frame, b);
  auto later =
      *Frame::Build(w->pop, w->as_of.AddMonths(30), testing::Factors());
  Evaluator there = testing::MustBind(rule, later, b);
  std::vector<double> elig, amount;
  EvaluatorInternals::Evaluate(there, &elig, &amount);
  std::string report;
  EXPECT_GT(CompareValues(*w, rule, EvaluatorInternals::binding(here), elig,
                          amount, &report),
            0);
  EXPECT_FALSE(report.empty());
}

// The multi-threaded scan agrees with a single thread on a register large
// enough to be split (households are never split between threads).
TEST(DifferentialThreadsTest, ThreadCountDoesNotChangeResults) {
  auto w = MakeWorld(21, 80000, /*shuffle=*/false);
  ASSERT_GT(w->pop.persons(), 3 * 65536u);
  RuleGen gen(99);
  for (int i = 0; i < 12; ++i) {
    RuleSpec spec = RandomSpec(gen);
    auto rule = Rule::Compile(spec, w->ext.schema());
    if (!rule.ok()) continue;
    Bindings b;
    b.event = &w->event;
    b.parameters = w->params;
    b.extensions = &w->ext;
    b.threads = 1;
    Evaluator one = testing::MustBind(*rule, w->frame, b);
    b.threads = 3;
    Evaluator three = testing::MustBind(*rule, w->frame, b);
    EXPECT_TRUE(SameBeneficiaries(one.Select(), three.Select()))
        << SpecText(spec);
    Preview p1 = one.ComputePreview(), p3 = three.ComputePreview();
    EXPECT_EQ(p1.national.beneficiaries, p3.national.beneficiaries);
    EXPECT_EQ(p1.national.amount, p3.national.amount);
    EXPECT_EQ(p1.national.households, p3.national.households);
    EXPECT_EQ(p1.unknown_eligibility, p3.unknown_eligibility);
    EXPECT_EQ(p1.cells.size(), p3.cells.size());
  }
}

}  // namespace
}  // namespace malchin::rules
