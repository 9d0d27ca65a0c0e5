#include "pdm/findings.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include "core/random.h"

namespace malchin::pdm {
namespace {

const Form& PdmForm() {
  static const Form form = StandardPdmForm().value();
  return form;
}

const Estimate* Find(const Findings& f, const std::string& domain,
                     const std::string& indicator) {
  for (const Estimate& e : f.estimates) {
    if (e.domain == domain && e.indicator == indicator) return &e;
  }
  return nullptr;
}

// A sample made by hand: stratum h has population[h] units, of which
// selected[h] are selected (ids S<h>-<k>) and two replacements.
Sample HandSample(const std::vector<int64_t>& population,
                  const std::vector<int64_t>& selected) {
  Sample s;
  for (size_t h = 0; h < population.size(); ++h) {
    Stratum st;
    st.key.soum = 18101 + static_cast<int32_t>(h);
    st.label = st.key.Label();
    st.population = population[h];
    st.size.selected = selected[h];
    for (int64_t k = 0; k < selected[h] + 2; ++k) {
      Unit u{"S" + std::to_string(h) + "-" + std::to_string(k),
             "P" + std::to_string(h) + std::to_string(k),
             "",
             181,
             st.key.soum,
             k % 2 ? Sex::kMale : Sex::kFemale,
             k % 3 ? Sex::kFemale : Sex::kMale,
             k == 1,
             300000};
      (k < selected[h] ? st.selected : st.replacements)
          .push_back(s.units.size());
      s.units.push_back({u, h, k + 1, k >= selected[h]});
    }
    s.strata.push_back(st);
  }
  return s;
}

Submission Interview(const std::string& who, bool received,
                     int64_t amount = 300000) {
  Submission s;
  s.uuid = "uuid-" + who;
  s.respondent = who;
  s.answers = {{"respondent", who},
               {"consent", "yes"},
               {"received", received ? "yes" : "no"}};
  if (received) s.answers["amount_received"] = std::to_string(amount);
  return s;
}

// ---- the independent computation --------------------------------------
// Stratified sample of respondents without replacement: Hajek ratio
// R = sum_D w y / sum_D w, z_i = w_i 1{i in D} (y_i - R) / sum_D w,
// V = sum_h (1 - r_h/N_h) r_h/(r_h - 1) sum_{i in h} (z_i - mean_h z)^2.
struct Row {
  int h;
  double weight, fraction, y;
  bool in_domain;
};

std::pair<double, double> Textbook(const std::vector<Row>& rows) {
  double wy = 0, w = 0;
  for (const Row& r : rows) {
    if (!r.in_domain) continue;
    wy += r.weight * r.y;
    w += r.weight;
  }
  const double ratio = wy / w;
  std::map<int, std::vector<double>> z;
  std::map<int, double> f;
  for (const Row& r : rows) {
    z[r.h].push_back(r.in_domain ? r.weight * (r.y - ratio) / w : 0);
    f[r.h] = r.fraction;
  }
  double v = 0;
  for (auto& [h, zs] : z) {
    const double n = zs.size();
    if (n < 2) continue;
    double mean = 0, ss = 0;
    for (double x : zs) mean += x / n;
    for (double x : zs) ss += (x - mean) * (x - mean);
    v += (1 - f[h]) * n / (n - 1) * ss;
  }
  return {ratio, std::sqrt(v)};
}

TEST(Findings, HandComputedShareAndStandardError) {
  // N = (10, 4); respondents received = (yes, no, yes), (yes, yes).
  Sample s = HandSample({10, 4}, {3, 2});
  std::vector<Submission> subs = {
      Interview("S0-0", true), Interview("S0-1", false),
      Interview("S0-2", true), Interview("S1-0", true),
      Interview("S1-1", true)};
  auto f = ComputeFindings(s, subs, PdmForm());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const Estimate* e = Find(*f, "all", "received=yes");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->respondents, 5);
  EXPECT_NEAR(e->population, 14, 1e-12);
  // (10/3 * 2 + 4/2 * 2) / 14, and the SE worked out by hand (docs/pdm.md).
  EXPECT_NEAR(e->value, 0.761904761904762, 1e-12);
  EXPECT_NEAR(e->se, 0.19920476822239896, 1e-12);
  EXPECT_NEAR(e->ci_low, 0.761904761904762 - 1.959963984540054 * e->se, 1e-12);
  EXPECT_EQ(e->ci_high, 1.0);  // clipped
  EXPECT_EQ(f->response_rate, 1.0);
  EXPECT_EQ(f->strata[0].weight, 10.0 / 3);
  // In words, from the form's labels, in both languages.
  EXPECT_EQ(e->label.at("mn"),
            "Таны өрх энэ мөнгөн тусламжийг авсан уу?: Тийм");
  EXPECT_EQ(e->label.at("en"),
            "Did your household receive this cash transfer?: Yes");
}

TEST(Findings, IntervalsAtTheRequestedConfidence) {
  Sample s = HandSample({10, 4}, {3, 2});
  std::vector<Submission> subs = {
      Interview("S0-0", true), Interview("S0-1", false),
      Interview("S0-2", true), Interview("S1-0", true),
      Interview("S1-1", true)};
  FindingsOptions opt;
  opt.confidence = 0.90;  // z = 1.644854 (qnorm(0.95))
  auto f = ComputeFindings(s, subs, PdmForm(), opt);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const Estimate* e = Find(*f, "all", "received=yes");
  ASSERT_NE(e, nullptr);
  EXPECT_NEAR(e->se, 0.19920476822239896, 1e-12);  // the level changes no SE
  EXPECT_NEAR(e->ci_low, 0.761904761904762 - 1.6448536269514722 * e->se, 1e-12);
  opt.confidence = 0.99;
  f = ComputeFindings(s, subs, PdmForm(), opt);
  ASSERT_TRUE(f.ok());
  e = Find(*f, "all", "received=yes");
  EXPECT_NEAR(e->ci_low, 0.761904761904762 - 2.5758293035489004 * e->se, 1e-12);
  opt.confidence = 1.0;
  f = ComputeFindings(s, subs, PdmForm(), opt);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("итгэх түвшин"), std::string::npos);
}

// Simulated PDM: 3 soums x 2 caregiver sexes, ~85% response, answers that
// depend on the stratum. Every estimate the engine makes is compared with
// the textbook computation above.
class SimulatedPdm : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Unit> frame;
    Xoshiro256 rng(7);
    for (int i = 0; i < 700; ++i) {
      const int32_t soum = 18101 + i % 3;
      frame.push_back({"B" + std::to_string(10000 + i), "P" + std::to_string(i),
                       "", 181, soum, i % 5 < 3 ? Sex::kFemale : Sex::kMale,
                       rng.UniformBelow(3) ? Sex::kMale : Sex::kFemale,
                       rng.UniformBelow(6) == 0, 250000 + 50000 * (i % 3)});
    }
    SampleDesign d;
    d.margin_of_error = 0.15;
    d.response_rate = 0.85;
    d.seed = 42;
    sample_ = DrawSample(frame, d).value();
    for (const SampledUnit& u : sample_.units) {
      if (u.replacement ? rng.UniformBelow(10) != 0
                        : rng.UniformBelow(100) < 15) {
        continue;  // non-response; a few replacements are interviewed
      }
      const bool got = rng.UniformBelow(100) < 70 + 8 * u.stratum;
      Submission s =
          Interview(u.unit.beneficiary_id, got,
                    u.unit.amount - (rng.UniformBelow(5) == 0 ? 20000 : 0));
      if (got) {
        s.answers["collect_cost"] = std::to_string(rng.UniformBelow(30000));
        s.answers["uses"] = rng.UniformBelow(2) ? "food fodder" : "fuel";
      }
      if (rng.UniformBelow(40) == 0) s.answers["consent"] = "no";
      subs_.push_back(std::move(s));
    }
  }

  // Checks the engine's estimate against Textbook for `indicator`, where
  // value(i) gives y (or nullopt: not answered).
  void Check(const Findings& f, const std::string& domain,
             const std::function<bool(const Unit&)>& in_domain,
             const std::string& indicator,
             const std::function<std::optional<double>(const Submission&,
                                                       const Unit&)>& value) {
    std::map<std::string, const Unit*> units;
    for (const auto& u : sample_.units) units[u.unit.beneficiary_id] = &u.unit;
    std::map<std::string, size_t> stratum;
    for (const auto& u : sample_.units)
      stratum[u.unit.beneficiary_id] = u.stratum;
    std::vector<Row> rows;
    for (const Submission& s : subs_) {
      if (s.answers.at("consent") != "yes") continue;
      const size_t h = stratum[s.respondent];
      const StratumResponse& sr = f.strata[h];
      const double r = sr.responded + sr.replacements_interviewed;
      const auto y = value(s, *units[s.respondent]);
      rows.push_back({static_cast<int>(h), sr.population / r, r / sr.population,
                      y.value_or(0),
                      y.has_value() && in_domain(*units[s.respondent])});
    }
    const auto [ratio, se] = Textbook(rows);
    const Estimate* e = Find(f, domain, indicator);
    ASSERT_NE(e, nullptr) << domain << " " << indicator;
    EXPECT_NEAR(e->value, ratio, 1e-10 * std::max(1.0, std::fabs(ratio)))
        << domain << " " << indicator;
    EXPECT_NEAR(e->se, se, 1e-9 * se) << domain << " " << indicator;
  }

  Sample sample_;
  std::vector<Submission> subs_;
};

TEST_F(SimulatedPdm, EstimatesMatchTheTextbookComputation) {
  auto f = ComputeFindings(sample_, subs_, PdmForm());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto received = [](const Submission& s,
                     const Unit&) -> std::optional<double> {
    return s.answers.at("received") == "yes";
  };
  auto cost = [](const Submission& s, const Unit&) -> std::optional<double> {
    auto it = s.answers.find("collect_cost");
    if (it == s.answers.end()) return std::nullopt;
    return std::stod(it->second);
  };
  auto food = [](const Submission& s, const Unit&) -> std::optional<double> {
    auto it = s.answers.find("uses");
    if (it == s.answers.end()) return std::nullopt;
    return it->second.find("food") != std::string::npos;
  };
  auto full = [](const Submission& s, const Unit& u) -> std::optional<double> {
    auto it = s.answers.find("amount_received");
    if (it == s.answers.end()) return std::nullopt;
    return std::stoll(it->second) >= u.amount;
  };
  auto all = [](const Unit&) { return true; };
  Check(*f, "all", all, "received=yes", received);
  Check(*f, "all", all, "collect_cost mean", cost);
  Check(*f, "all", all, "uses=food", food);
  Check(*f, "all", all, "amount_received>=paid", full);
  Check(
      *f, "caregiver F",
      [](const Unit& u) { return u.caregiver_sex == Sex::kFemale; },
      "received=yes", received);
  Check(
      *f, "head M", [](const Unit& u) { return u.head_sex == Sex::kMale; },
      "uses=food", food);
  Check(
      *f, "disability yes", [](const Unit& u) { return u.disability; },
      "collect_cost mean", cost);
  const std::string label = sample_.strata[2].label;
  Check(
      *f, "stratum " + label,
      [&](const Unit& u) {
        return KeyOf(u, sample_.design.strata) == sample_.strata[2].key;
      },
      "received=yes", received);
}

TEST_F(SimulatedPdm, ResponseRatesCountTheSelectedOnly) {
  auto f = ComputeFindings(sample_, subs_, PdmForm());
  ASSERT_TRUE(f.ok());
  int64_t selected = 0, responded = 0, replacements = 0;
  std::map<std::string, bool> consented;
  for (const Submission& s : subs_) {
    consented[s.respondent] = s.answers.at("consent") == "yes";
  }
  for (const SampledUnit& u : sample_.units) {
    selected += !u.replacement;
    const bool r = consented.count(u.unit.beneficiary_id) &&
                   consented[u.unit.beneficiary_id];
    (u.replacement ? replacements : responded) += r;
  }
  EXPECT_EQ(f->selected, selected);
  EXPECT_EQ(f->responded, responded);
  EXPECT_EQ(f->replacements_interviewed, replacements);
  EXPECT_DOUBLE_EQ(f->response_rate, double(responded) / selected);
  EXPECT_GT(f->response_rate, 0.7);
  EXPECT_LT(f->response_rate, 0.95);
  double total = 0;
  for (const StratumResponse& s : f->strata) {
    total += s.weight * (s.responded + s.replacements_interviewed);
  }
  EXPECT_NEAR(total, 700, 1e-9);  // weights add up to the payroll
  EXPECT_NEAR(Find(*f, "all", "received=yes")->population, 700, 1e-9);
}

TEST(Findings, LonelyRespondentAndUnrepresentedStratum) {
  Sample s = HandSample({10, 4, 6}, {3, 2, 2});
  std::vector<Submission> subs = {
      Interview("S0-0", true), Interview("S0-1", false),
      Interview("S0-2", true), Interview("S1-0", false)};
  FindingsOptions drop;
  drop.lonely_respondent = LonelyRespondent::kNothing;
  auto a = ComputeFindings(s, subs, PdmForm(), drop);
  auto b = ComputeFindings(s, subs, PdmForm());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->unrepresented, (std::vector<std::string>{"soum=18103"}));
  EXPECT_NEAR(Find(*a, "all", "received=yes")->population, 14, 1e-12);
  // Stratum 1 has one respondent: nothing, or centred on the overall mean.
  const double se_drop = Find(*a, "all", "received=yes")->se;
  const double se_adjust = Find(*b, "all", "received=yes")->se;
  const auto [ratio, textbook] = Textbook({{0, 10.0 / 3, 0.3, 1, true},
                                           {0, 10.0 / 3, 0.3, 0, true},
                                           {0, 10.0 / 3, 0.3, 1, true},
                                           {1, 4, 0.25, 0, true}});
  EXPECT_NEAR(Find(*a, "all", "received=yes")->value, ratio, 1e-12);
  EXPECT_NEAR(se_drop, textbook, 1e-12);
  // adjust adds (1 - 1/4) z^2 for the lonely respondent.
  const double z = 4 * (0 - ratio) / 14;
  EXPECT_NEAR(se_adjust * se_adjust, textbook * textbook + 0.75 * z * z, 1e-12);
}

TEST(Findings, RespondentOutsideTheSampleIsAnError) {
  Sample s = HandSample({10}, {3});
  auto f = ComputeFindings(s, {Interview("X-9", true)}, PdmForm());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("X-9"), std::string::npos);
}

TEST(CrossCheck, ListsRespondentsWhoContradictTheBank) {
  Sample s = HandSample({20}, {6});
  std::vector<Submission> subs = {
      Interview("S0-0", false),         // paid, says nothing
      Interview("S0-1", true, 250000),  // paid, says less
      Interview("S0-2", true, 299500),  // within the tolerance
      Interview("S0-3", true),          // failed, says received
      Interview("S0-4", false),         // pending: nothing to compare
      Interview("S0-5", false)};        // refused the interview
  subs[5].answers["consent"] = "no";
  std::vector<BankRecord> bank = {{"S0-0", BankStatus::kPaid, 300000},
                                  {"S0-1", BankStatus::kPaid, 300000},
                                  {"S0-2", BankStatus::kPaid, 300000},
                                  {"S0-3", BankStatus::kFailed, 300000},
                                  {"S0-4", BankStatus::kPending, 300000},
                                  {"S0-5", BankStatus::kPaid, 300000}};
  auto m = CrossCheckBank(s, subs, bank, 1000);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].beneficiary_id, "S0-0");
  EXPECT_EQ(m[0].reason, BankMismatch::Reason::kPaidButNothingReceived);
  EXPECT_EQ(m[1].beneficiary_id, "S0-1");
  EXPECT_EQ(m[1].reason, BankMismatch::Reason::kPaidButLessReceived);
  EXPECT_EQ(m[1].reported_amount, 250000);
  EXPECT_EQ(m[2].reason, BankMismatch::Reason::kNotPaidButReceived);
  EXPECT_NE(m[1].Describe().find("reports 250000"), std::string::npos)
      << m[1].Describe();
  EXPECT_EQ(CrossCheckBank(s, subs, bank, 0).size(), 4u);  // S0-2 too
}

TEST(CrossCheck, DescribesInMongolianAndEnglish) {
  BankMismatch m{BankMismatch::Reason::kPaidButLessReceived,
                 "ИЗ17220122",
                 "ИЗ17220123",
                 18140,
                 "u1",
                 BankStatus::kPaid,
                 300000,
                 250000};
  EXPECT_EQ(m.Describe(Lang::kEn),
            "ИЗ17220122 (payee ИЗ17220123, soum 18140, submission u1): the "
            "bank paid 300000 MNT; the respondent reports 250000");
  EXPECT_EQ(m.Describe(Lang::kMn),
            "ИЗ17220122 (хүлээн авагч ИЗ17220123, сум 18140, судалгаа u1): "
            "банк 300000 төгрөг олгосон; хариулагч 250000 төгрөг авсан гэж "
            "хэлсэн");
  m.reason = BankMismatch::Reason::kPaidButNothingReceived;
  EXPECT_NE(m.Describe(Lang::kMn).find("юу ч аваагүй"), std::string::npos);
  m.reason = BankMismatch::Reason::kNotPaidButReceived;
  m.bank_status = BankStatus::kReturned;
  EXPECT_NE(m.Describe(Lang::kMn).find("буцаагдсан"), std::string::npos);
  EXPECT_NE(m.Describe(Lang::kEn).find("returned"), std::string::npos);
  using R = BankMismatch::Reason;
  for (R r : {R::kPaidButNothingReceived, R::kPaidButLessReceived,
              R::kNotPaidButReceived}) {
    EXPECT_NE(ReasonText(r, Lang::kMn), ReasonText(r, Lang::kEn));
    EXPECT_FALSE(ReasonText(r, Lang::kMn).empty());
  }
  EXPECT_EQ(ReasonText(R::kPaidButNothingReceived, Lang::kEn),
            "bank paid, says received nothing");
  EXPECT_EQ(*ParseLang("mn"), Lang::kMn);
  EXPECT_FALSE(ParseLang("fr").ok());
}

}  // namespace
}  // namespace malchin::pdm
