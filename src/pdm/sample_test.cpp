#include "pdm/sample.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "pdm/repository.h"

namespace malchin::pdm {
namespace {

// ---- sizes ---------------------------------------------------------------

SampleDesign Design(double e, double rr = 1, double deff = 1, bool fpc = true) {
  SampleDesign d;
  d.margin_of_error = e;
  d.response_rate = rr;
  d.design_effect = deff;
  d.finite_population_correction = fpc;
  return d;
}

TEST(Size, HandComputedCase) {
  // N = 200, e = 0.10, p = 0.5: n0 = 1.959964^2 * 0.25 / 0.01 = 96.0365;
  // n' = 96.0365 / (1 + 95.0365 / 200) = 65.1014 -> 66 interviews;
  // with a response rate of 0.8: 66 / 0.8 = 82.5 -> 83 selected.
  StratumSize s = ComputeStratumSize(200, Design(0.10, 0.8));
  EXPECT_NEAR(s.n0, 96.0365, 1e-4);
  EXPECT_NEAR(s.n_corrected, 65.1014, 1e-4);
  EXPECT_EQ(s.completes, 66);
  EXPECT_EQ(s.selected, 83);
  // Without the correction: ceil(96.04) = 97, / 0.8 = 121.25 -> 122.
  s = ComputeStratumSize(200, Design(0.10, 0.8, 1, false));
  EXPECT_EQ(s.completes, 97);
  EXPECT_EQ(s.selected, 122);
  // The classic 385 for e = 5% in a large population without correction.
  EXPECT_EQ(ComputeStratumSize(1000000, Design(0.05, 1, 1, false)).selected,
            385);
}

TEST(Size, HandComputedAt90And99PerCent) {
  // 90%: z = 1.644854, n0 = 1.644854^2 * 0.25 / 0.01 = 67.6386;
  // n' = 67.6386 / (1 + 66.6386 / 200) = 50.7343 -> 51; / 0.8 -> 64.
  SampleDesign d = Design(0.10, 0.8);
  d.confidence = 0.90;
  StratumSize s = ComputeStratumSize(200, d);
  EXPECT_NEAR(s.n0, 67.6386, 1e-4);
  EXPECT_NEAR(s.n_corrected, 50.7343, 1e-4);
  EXPECT_EQ(s.completes, 51);
  EXPECT_EQ(s.selected, 64);
  // 99%: z = 2.575829, n0 = 165.8724; n' = 165.8724 / (1 + 164.8724 / 200)
  // = 90.9208 -> 91; / 0.8 = 113.75 -> 114.
  d.confidence = 0.99;
  s = ComputeStratumSize(200, d);
  EXPECT_NEAR(s.n0, 165.8724, 1e-4);
  EXPECT_NEAR(s.n_corrected, 90.9208, 1e-4);
  EXPECT_EQ(s.completes, 91);
  EXPECT_EQ(s.selected, 114);
  // e = 5%, no correction: 271 at 90%, 664 at 99% (385 at 95%).
  d = Design(0.05, 1, 1, false);
  d.confidence = 0.90;
  EXPECT_EQ(ComputeStratumSize(1000000, d).selected, 271);
  d.confidence = 0.99;
  EXPECT_EQ(ComputeStratumSize(1000000, d).selected, 664);
}

TEST(Design, ConfidenceIsValidatedAndStoredOnlyWhenNot95) {
  SampleDesign d = Design(0.1);
  d.confidence = 1.0;
  Status st = ValidateDesign(d);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("confidence"), std::string::npos);
  EXPECT_NE(st.message().find("итгэх түвшин"), std::string::npos);
  d.confidence = 0.95;
  EXPECT_EQ(EncodeDesign(d).find("confidence"), std::string::npos);
  d.confidence = 0.9;
  ASSERT_TRUE(ValidateDesign(d).ok());
  auto back = DecodeDesign(EncodeDesign(d));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->confidence, 0.9);
  back = DecodeDesign(EncodeDesign(Design(0.1)));
  EXPECT_EQ(back->confidence, 0.95);
}

TEST(Size, FollowsTheTextbookFormulaOverAGrid) {
  const double z = 1.959963984540054;
  for (int64_t n_pop : {1, 2, 5, 17, 60, 200, 1000, 25000}) {
    for (double e : {0.03, 0.05, 0.1, 0.2}) {
      for (double p : {0.1, 0.3, 0.5}) {
        for (double deff : {1.0, 1.5, 2.0}) {
          for (double rr : {0.6, 0.85, 1.0}) {
            SampleDesign d = Design(e, rr, deff);
            d.proportion = p;
            const double n0 = z * z * p * (1 - p) / (e * e) * deff;
            const double n1 = n0 / (1 + (n0 - 1) / n_pop);
            const int64_t m = std::min<int64_t>(n_pop, std::ceil(n1 - 1e-9));
            const int64_t n =
                std::min<int64_t>(n_pop, std::ceil(m / rr - 1e-9));
            const StratumSize s = ComputeStratumSize(n_pop, d);
            ASSERT_EQ(s.completes, m) << n_pop << " " << e << " " << p;
            ASSERT_EQ(s.selected, n) << n_pop << " " << e << " " << rr;
            ASSERT_LE(s.selected, n_pop);
          }
        }
      }
    }
  }
}

TEST(Size, MinimumPerStratumAndEmptyStratum) {
  SampleDesign d = Design(0.2);  // n0 = 24.01
  d.min_per_stratum = 30;
  EXPECT_EQ(ComputeStratumSize(1000, d).completes, 30);
  EXPECT_EQ(ComputeStratumSize(12, d).completes, 12);  // capped at N_h
  EXPECT_EQ(ComputeStratumSize(0, d).selected, 0);
  EXPECT_EQ(ComputeStratumSize(1, d).selected, 1);
}

TEST(Design, RejectsValuesOutOfRange) {
  SampleDesign d;
  d.margin_of_error = 0;
  EXPECT_EQ(ValidateDesign(d).field(), "margin_of_error");
  d = SampleDesign();
  d.response_rate = 1.2;
  EXPECT_EQ(ValidateDesign(d).field(), "response_rate");
  d = SampleDesign();
  d.design_effect = 0;
  EXPECT_EQ(ValidateDesign(d).field(), "design_effect");
  d = SampleDesign();
  d.proportion = 1;
  EXPECT_EQ(ValidateDesign(d).field(), "proportion");
  d = SampleDesign();
  d.strata = {StratumBy::kSoum, StratumBy::kSoum};
  EXPECT_EQ(ValidateDesign(d).field(), "strata");
  EXPECT_TRUE(ValidateDesign(SampleDesign()).ok());
}

TEST(Design, DefaultsComeFromTheShippedParameters) {
  auto params = params::ParameterSet::Embedded();
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  auto d = DefaultDesign(**params, Date::FromYmd(2025, 3, 1));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_GT(d->margin_of_error, 0);
  EXPECT_LE(d->response_rate, 1);
  EXPECT_EQ(d->strata.size(), 2u);
  EXPECT_EQ(d->confidence, 0.95);  // pdm.sample.confidence_level
}

// ---- drawing -------------------------------------------------------------

// Soums 18101 (sizes 40 F / 25 M), 18102 (3 F / 1 M), 18103 (120 F / 0 M).
std::vector<Unit> Frame() {
  std::vector<Unit> f;
  auto add = [&](int32_t soum, Sex sex, int count) {
    for (int i = 0; i < count; ++i) {
      Unit u;
      u.beneficiary_id = "HH" + std::to_string(soum) + SexCode(sex).data() +
                         std::to_string(1000 + i);
      u.payee_id = "P" + u.beneficiary_id;
      u.aimag_code = soum / 100;
      u.soum_code = soum;
      u.caregiver_sex = sex;
      u.head_sex = i % 3 ? sex : Sex::kMale;
      u.disability = i % 7 == 0;
      u.amount = 300000;
      f.push_back(u);
    }
  };
  add(18101, Sex::kFemale, 40);
  add(18101, Sex::kMale, 25);
  add(18102, Sex::kFemale, 3);
  add(18102, Sex::kMale, 1);
  add(18103, Sex::kFemale, 120);
  return f;
}

std::vector<std::string> Ids(const Sample& s) {
  std::vector<std::string> ids;
  for (const SampledUnit& u : s.units) {
    ids.push_back(u.unit.beneficiary_id + (u.replacement ? "r" : ""));
  }
  return ids;
}

TEST(Draw, StrataGetTheirComputedSizesAndWeights) {
  SampleDesign d = Design(0.15, 0.8);
  d.seed = 11;
  auto s = DrawSample(Frame(), d);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->strata.size(), 5u);
  EXPECT_EQ(s->frame_units, 189);
  const std::map<std::string, int64_t> want_n = {
      {"soum=18101 caregiver=F", 40},
      {"soum=18101 caregiver=M", 25},
      {"soum=18102 caregiver=F", 3},
      {"soum=18102 caregiver=M", 1},
      {"soum=18103 caregiver=F", 120}};
  std::set<std::string> all;
  EXPECT_EQ(RespondentIds(*s).size(), s->units.size());
  for (size_t h = 0; h < s->strata.size(); ++h) {
    const Stratum& st = s->strata[h];
    ASSERT_EQ(want_n.at(st.label), st.population) << st.label;
    const StratumSize size = ComputeStratumSize(st.population, d);
    EXPECT_EQ(st.size.selected, size.selected) << st.label;
    EXPECT_EQ(static_cast<int64_t>(st.selected.size()), size.selected);
    EXPECT_DOUBLE_EQ(st.inclusion_probability,
                     double(size.selected) / st.population);
    EXPECT_DOUBLE_EQ(st.design_weight * st.selected.size(), st.population);
    for (size_t i : st.selected) {
      const SampledUnit& u = s->units[i];
      EXPECT_EQ(u.stratum, h);
      EXPECT_FALSE(u.replacement);
      EXPECT_EQ(KeyOf(u.unit, d.strata), st.key);
      EXPECT_TRUE(all.insert(u.unit.beneficiary_id).second);
    }
    for (size_t i : st.replacements) {
      EXPECT_TRUE(s->units[i].replacement);
      EXPECT_EQ(KeyOf(s->units[i].unit, d.strata), st.key);
      EXPECT_TRUE(all.insert(s->units[i].unit.beneficiary_id).second);
    }
    // As many replacements as selected, when there are enough units left.
    EXPECT_EQ(st.replacements.size(),
              std::min<size_t>(st.selected.size(),
                               st.population - st.selected.size()));
  }
  // A stratum of one: certain selection, no replacement.
  const Stratum& one = s->strata[3];
  EXPECT_EQ(one.label, "soum=18102 caregiver=M");
  EXPECT_EQ(one.selected.size(), 1u);
  EXPECT_EQ(one.inclusion_probability, 1);
  EXPECT_TRUE(one.replacements.empty());
}

TEST(Draw, SameSeedSameSampleWhateverTheFrameOrder) {
  SampleDesign d = Design(0.15, 0.8);
  d.seed = 20250314;
  auto a = DrawSample(Frame(), d);
  std::vector<Unit> reversed = Frame();
  std::reverse(reversed.begin(), reversed.end());
  auto b = DrawSample(reversed, d);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Ids(*a), Ids(*b));
  EXPECT_EQ(a->frame_fingerprint, b->frame_fingerprint);
  d.seed = 20250315;
  auto c = DrawSample(Frame(), d);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(Ids(*a), Ids(*c));
  // Pinned to an independent big-integer implementation of the procedure
  // (sort, SplitMix64(seed ^ FNV-1a(label)), xoshiro256**, Fisher-Yates by
  // rejection): any drift of the generator or the shuffle shows here.
  auto first = [&](const Stratum& st, size_t k) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < k; ++i) {
      ids.push_back(a->units[st.selected[i]].unit.beneficiary_id);
    }
    return ids;
  };
  EXPECT_EQ(a->strata[0].size.selected, 27);
  EXPECT_EQ(first(a->strata[0], 3),
            (std::vector<std::string>{"HH18101F1035", "HH18101F1024",
                                      "HH18101F1028"}));
  EXPECT_EQ(first(a->strata[2], 3),
            (std::vector<std::string>{"HH18102F1001", "HH18102F1000",
                                      "HH18102F1002"}));
}

TEST(Draw, OtherStrataDoNotChangeAStratumsDraw) {
  SampleDesign d = Design(0.15, 0.8);
  d.seed = 5;
  std::vector<Unit> frame = Frame();
  auto full = DrawSample(frame, d);
  frame.erase(
      std::remove_if(frame.begin(), frame.end(),
                     [](const Unit& u) { return u.soum_code != 18103; }),
      frame.end());
  auto only = DrawSample(frame, d);
  ASSERT_TRUE(full.ok() && only.ok());
  ASSERT_EQ(only->strata.size(), 1u);
  std::vector<std::string> a, b;
  for (size_t i : full->strata[4].selected) {
    a.push_back(full->units[i].unit.beneficiary_id);
  }
  for (size_t i : only->strata[0].selected) {
    b.push_back(only->units[i].unit.beneficiary_id);
  }
  EXPECT_EQ(a, b);
}

TEST(Draw, EveryUnitIsEquallyLikely) {
  // N = 10, n = 3: over 20000 seeds each unit is drawn ~6000 times
  // (binomial sd 65); a biased shuffle would miss by far more.
  std::vector<Unit> frame;
  for (int i = 0; i < 10; ++i) {
    frame.push_back({"B" + std::to_string(i), "P", "", 181, 18101, Sex::kFemale,
                     Sex::kFemale, false, 1});
  }
  SampleDesign d = Design(0.55, 1, 1, false);  // n0 = 3.17 -> 4 of 10
  d.strata = {};
  std::map<std::string, int> count;
  const int kRuns = 20000;
  int64_t n = 0;
  for (int seed = 0; seed < kRuns; ++seed) {
    d.seed = seed;
    auto s = DrawSample(frame, d);
    ASSERT_TRUE(s.ok());
    n = s->strata[0].size.selected;
    for (size_t i : s->strata[0].selected)
      ++count[s->units[i].unit.beneficiary_id];
  }
  ASSERT_EQ(count.size(), 10u);
  const double expected = kRuns * n / 10.0;
  const double sd = std::sqrt(kRuns * (n / 10.0) * (1 - n / 10.0));
  for (auto& [id, c] : count) EXPECT_NEAR(c, expected, 5 * sd) << id;
}

TEST(Draw, WholeStratumWhenTheSampleWouldExceedIt) {
  // n0 ~ 9604 without the correction: more than any stratum has.
  SampleDesign d = Design(0.01, 1, 1, false);
  d.replacements_per_stratum = 3;
  auto s = DrawSample(Frame(), d);
  ASSERT_TRUE(s.ok());
  for (const Stratum& st : s->strata) {
    EXPECT_EQ(static_cast<int64_t>(st.selected.size()), st.population);
    EXPECT_EQ(st.inclusion_probability, 1);
    EXPECT_EQ(st.design_weight, 1);
    EXPECT_TRUE(st.replacements.empty());
  }
}

TEST(Draw, ReplacementListLengthIsConfigurable) {
  SampleDesign d = Design(0.2);
  d.replacements_per_stratum = 2;
  d.strata = {StratumBy::kAimag};
  auto s = DrawSample(Frame(), d);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->strata.size(), 1u);
  EXPECT_EQ(s->strata[0].label, "aimag=181");
  EXPECT_EQ(s->strata[0].replacements.size(), 2u);
  EXPECT_EQ(s->units[s->strata[0].replacements[1]].rank,
            s->strata[0].size.selected + 2);
}

TEST(Draw, StrataByHeadSexAndDisability) {
  SampleDesign d = Design(0.2);
  d.strata = {StratumBy::kHeadSex, StratumBy::kDisability};
  auto s = DrawSample(Frame(), d);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->strata.size(), 4u);
  EXPECT_EQ(s->strata[0].label, "head=F disability=no");
}

TEST(Draw, BadFramesNameTheRow) {
  std::vector<Unit> empty;
  EXPECT_EQ(DrawSample(empty, SampleDesign()).status().code(),
            StatusCode::kInvalidArgument);
  std::vector<Unit> f = Frame();
  f[5].beneficiary_id = f[2].beneficiary_id;
  auto dup = DrawSample(f, SampleDesign());
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("frame row 6"), std::string::npos)
      << dup.status().message();
  EXPECT_NE(dup.status().message().find(f[2].beneficiary_id),
            std::string::npos);
  f = Frame();
  f[0].amount = -1;
  EXPECT_EQ(DrawSample(f, SampleDesign()).status().field(), "amount");
  f = Frame();
  f[0].payee_id.clear();
  EXPECT_EQ(DrawSample(f, SampleDesign()).status().field(), "payee_id");
}

}  // namespace
}  // namespace malchin::pdm
