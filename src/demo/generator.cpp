#include "demo/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "registry/register_number.h"

namespace malchin::embedded {
extern const std::string_view kDemoNames;
}  // namespace malchin::embedded

namespace malchin::demo {
namespace {

using registry::Household;
using registry::Person;
using registry::Relation;
using registry::Sex;

// ---------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded through splitmix64, so streams are the
// same on every platform (no std:: distributions, whose output the standard
// leaves to the implementation).

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed * 0x2545f4914f6cdd1dULL ^ stream;
    for (auto& s : s_) s = SplitMix(x);
  }
  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>(Uniform() * static_cast<double>(n));
  }
  int Between(int lo, int hi) {  // Inclusive.
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, one value per call).
  double Normal() {
    double u1 = 1.0 - Uniform();
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_;
};

template <typename T>
void Shuffle(std::vector<T>& v, Rng& rng) {
  for (size_t i = v.size(); i > 1; --i) {
    std::swap(v[i - 1], v[rng.Below(i)]);
  }
}

// Picks an index with probability proportional to its weight.
class WeightedPicker {
 public:
  explicit WeightedPicker(const std::vector<double>& weights)
      : cumulative_(weights.size()) {
    std::partial_sum(weights.begin(), weights.end(), cumulative_.begin());
  }
  size_t Pick(Rng& rng) const {
    double x = rng.Uniform() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return std::min<size_t>(it - cumulative_.begin(), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

// ---------------------------------------------------------------------------
// Shape constants of the synthetic population (demographic plausibility, not
// law; the law's figures live in data/parameters.json).

// Children aged 5-17 per child aged 0-4: about 1.2 million aged 0-17 for the
// 383,557 aged 0-4 nationally. Older cohorts were smaller (births rose from
// about 50,000 a year in the early 2000s to 80,000 in the 2010s), so the
// weight per year of age falls from 1.0 at 5 to 0.64 at 17.
constexpr double kOlderChildrenPerYoung = 2.13;
constexpr double kMaxChildShare = 0.55;
// Adults per household (about 2.05 million adults in 0.9 million households).
constexpr double kAdultsPerHousehold = 2.28;
constexpr double kSpouseShare = 0.72;

// Relative number of adults by age, 18..95.
double AdultAgeWeight(int age) {
  if (age < 30) return 1.0;
  if (age < 45) return 0.95;
  if (age < 60) return 0.7;
  if (age < 70) return 0.4;
  if (age < 80) return 0.18;
  return 0.05 * (96 - age) / 16.0;
}

double DisabilityRate(int age) {
  if (age < 18) return 0.012;
  if (age < 40) return 0.02;
  if (age < 60) return 0.045;
  return 0.09;
}

// Livestock shares by species (camel, horse, cattle, sheep, goat), by NSO
// region: Western, Khangai, Central (incl. the Gobi aimags), Eastern,
// Ulaanbaatar. Typical of NSO livestock census proportions.
constexpr std::array<std::array<double, 5>, 6> kSpeciesShares = {{
    {0.004, 0.07, 0.08, 0.45, 0.396},  // Unknown region: national.
    {0.012, 0.075, 0.075, 0.42, 0.418},
    {0.002, 0.08, 0.11, 0.45, 0.358},
    {0.02, 0.06, 0.05, 0.44, 0.43},
    {0.003, 0.10, 0.10, 0.55, 0.247},
    {0.0, 0.10, 0.15, 0.45, 0.30},
}};

const std::array<const char*, 9> kPhonePrefixes = {"88", "99", "95", "94", "89",
                                                   "80", "85", "86", "91"};

// 32 Cyrillic capitals usable in register numbers (not Ъ, Ь, Ы).
const std::array<const char*, 32> kLetters = {
    "А", "Б", "В", "Г", "Д", "Е", "Ё", "Ж", "З", "И", "Й",
    "К", "Л", "М", "Н", "О", "Ө", "П", "Р", "С", "Т", "У",
    "Ү", "Ф", "Х", "Ц", "Ч", "Ш", "Щ", "Э", "Ю", "Я"};
constexpr int kPairs = 32 * 32;
constexpr int kNumbersPerPair = 50;  // 5 serial digits x 10 check digits.
constexpr int kPairsPerSoum = 2;

// Given names: a list of common names, and stems and endings that make the
// compound names most Mongolians carry (Бат + эрдэнэ = Батэрдэнэ), so that
// the same name and birth date rarely meet by chance, as in the real
// register.
struct Names {
  std::vector<std::string> family, male, female;
  std::vector<std::string> male_stem, male_suffix, female_stem, female_suffix;
};

Result<Names> LoadNames() {
  Names n;
  std::string_view text = embedded::kDemoNames;
  size_t pos = text.find('\n') + 1;  // Header.
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t comma = line.find(',');
    if (comma == std::string_view::npos) continue;
    std::string_view kind = line.substr(0, comma);
    std::string name(line.substr(comma + 1));
    if (kind == "family") n.family.push_back(name);
    if (kind == "male") n.male.push_back(name);
    if (kind == "female") n.female.push_back(name);
    if (kind == "male_stem") n.male_stem.push_back(name);
    if (kind == "male_suffix") n.male_suffix.push_back(name);
    if (kind == "female_stem") n.female_stem.push_back(name);
    if (kind == "female_suffix") n.female_suffix.push_back(name);
  }
  if (n.family.empty() || n.male.empty() || n.female.empty() ||
      n.male_stem.empty() || n.male_suffix.empty() || n.female_stem.empty() ||
      n.female_suffix.empty()) {
    return Status::Internal("embedded demo name list is damaged");
  }
  return n;
}

// The birth date of someone aged exactly `age` on `as_of`, uniform over the
// year of dates that give that age.
Date BirthDateForAge(Date as_of, int age, Rng& rng) {
  Date latest = as_of.AddMonths(-12 * age);  // Age just reached.
  Date earliest = as_of.AddMonths(-12 * (age + 1)).AddDays(1);
  int span = latest.days() - earliest.days() + 1;
  return earliest.AddDays(static_cast<int>(rng.Below(span)));
}

// Register numbers: each soum owns two letter pairs (50 numbers per pair,
// birth date and sex); beyond that, numbers come from a shared pool.
class RegisterNumbers {
 public:
  explicit RegisterNumbers(int soum_slots) : soum_slots_(soum_slots) {}

  void StartSoum(int slot) {
    slot_ = slot;
    per_soum_.clear();
  }

  Result<std::string> Next(Date birth, Sex sex) {
    int64_t key =
        static_cast<int64_t>(birth.days()) * 2 + (sex == Sex::kMale ? 1 : 0);
    int c = per_soum_[key]++;
    int pair;
    int r;
    if (c < kPairsPerSoum * kNumbersPerPair) {
      pair = slot_ + soum_slots_ * (c / kNumbersPerPair);
      r = c % kNumbersPerPair;
    } else {
      int g = shared_[key]++;
      pair = kPairsPerSoum * soum_slots_ + g / kNumbersPerPair;
      r = g % kNumbersPerPair;
      if (pair >= kPairs) {
        return Status::ResourceExhausted(
            "the demo register ran out of register numbers for births on " +
            birth.ToString() + "; use a smaller --scale");
      }
    }
    int scrambled = (pair * 389 + 17) % kPairs;  // 389 odd: a bijection.
    std::string letters =
        std::string(kLetters[scrambled / 32]) + kLetters[scrambled % 32];
    return registry::MakeRegisterNumber(letters, birth, sex, r % 5, r / 5);
  }

 private:
  int soum_slots_;
  int slot_ = 0;
  std::unordered_map<int64_t, int> per_soum_;
  std::unordered_map<int64_t, int> shared_;
};

// Splits `total` into integer parts proportional to `weights` (largest
// remainder, ties by index), so the parts sum exactly to `total`.
std::vector<int64_t> Apportion(int64_t total, const std::vector<double>& w) {
  std::vector<int64_t> out(w.size(), 0);
  double sum = std::accumulate(w.begin(), w.end(), 0.0);
  if (w.empty() || total <= 0 || sum <= 0) return out;
  std::vector<std::pair<double, size_t>> rem(w.size());
  int64_t given = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    double exact = static_cast<double>(total) * w[i] / sum;
    out[i] = static_cast<int64_t>(std::floor(exact));
    given += out[i];
    rem[i] = {exact - static_cast<double>(out[i]), i};
  }
  std::sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (int64_t k = 0; k < total - given; ++k) {
    ++out[rem[static_cast<size_t>(k) % rem.size()].second];
  }
  return out;
}

struct Member {
  Relation relation;
  Sex sex;
  int age;
};

struct HouseholdPlan {
  bool herder = false;
  bool spouse = false;
  std::vector<Relation> extras;  // Adults other than head and spouse.
  std::vector<int> child_ages;   // Aged 0-17.
};

class SoumGenerator {
 public:
  SoumGenerator(const geo::Geography& geo, const geo::Unit& soum, int slot,
                const Options& options, const Names& names,
                RegisterNumbers& numbers, const Sink& sink, Summary& summary)
      : geo_(geo),
        soum_(soum),
        slot_(slot),
        options_(options),
        names_(names),
        numbers_(numbers),
        sink_(sink),
        summary_(summary),
        rng_(options.seed, static_cast<uint64_t>(soum.code)) {}

  Status Run() {
    const double s = options_.scale;
    int64_t persons = std::llround(soum_.population_2020 * s);
    if (persons <= 0) return Status::Ok();
    int64_t young = std::min<int64_t>(std::llround(soum_.children_0_4_2019 * s),
                                      persons * 3 / 10);
    int64_t older = std::llround(young * kOlderChildrenPerYoung);
    int64_t max_children =
        static_cast<int64_t>(kMaxChildShare * static_cast<double>(persons));
    if (young + older > max_children) {
      older = std::max<int64_t>(0, max_children - young);
    }
    int64_t adults = persons - young - older;
    if (adults < 1) {
      adults = 1;
      older = persons - young - 1;
    }
    int64_t herders = std::min<int64_t>(
        std::llround(soum_.herder_households_2020 * s), adults);
    int64_t households = std::llround(adults / kAdultsPerHousehold);
    households =
        std::clamp<int64_t>(households, std::max<int64_t>(herders, 1), adults);

    std::vector<HouseholdPlan> plans(households);
    std::vector<size_t> order(households);
    std::iota(order.begin(), order.end(), 0);

    // Herder households.
    Shuffle(order, rng_);
    for (int64_t i = 0; i < herders; ++i) plans[order[i]].herder = true;
    // Spouses.
    int64_t spouses = std::min<int64_t>(
        adults - households, std::llround(kSpouseShare * households));
    Shuffle(order, rng_);
    for (int64_t i = 0; i < spouses; ++i) plans[order[i]].spouse = true;
    // Other adults.
    for (int64_t i = adults - households - spouses; i > 0; --i) {
      double u = rng_.Uniform();
      Relation r = u < 0.55   ? Relation::kChild
                   : u < 0.80 ? Relation::kParent
                   : u < 0.90 ? Relation::kSibling
                              : Relation::kOther;
      plans[rng_.Below(households)].extras.push_back(r);
    }
    // Children, to households in proportion to a weight: couples and herder
    // households have more.
    std::vector<double> weights(households);
    for (int64_t h = 0; h < households; ++h) {
      weights[h] = (plans[h].spouse ? 3.0 : 1.0) * (plans[h].herder ? 1.3 : 1);
    }
    WeightedPicker pick_household(weights);
    std::vector<double> older_weights;
    for (int a = 5; a <= 17; ++a) {
      older_weights.push_back(1.0 - (a - 5) * (0.364 / 12));
    }
    WeightedPicker pick_older_age(older_weights);
    for (int64_t i = 0; i < young + older; ++i) {
      int age = i < young ? rng_.Between(0, 4)
                          : 5 + static_cast<int>(pick_older_age.Pick(rng_));
      plans[pick_household.Pick(rng_)].child_ages.push_back(age);
    }

    // Livestock over herder households: skewed sizes, exact soum total.
    int64_t livestock = std::llround(soum_.livestock_heads_2020 * s);
    std::vector<double> herd_weights;
    std::vector<size_t> herder_index;
    for (int64_t h = 0; h < households; ++h) {
      if (!plans[h].herder) continue;
      herder_index.push_back(h);
      herd_weights.push_back(std::exp(0.9 * rng_.Normal()));
    }
    std::vector<int64_t> heads = Apportion(livestock, herd_weights);
    std::vector<int64_t> herd_of(households, 0);
    for (size_t i = 0; i < herder_index.size(); ++i) {
      herd_of[herder_index[i]] = heads[i];
    }

    bags_ = soum_.level == geo::Level::kDistrict
                ? std::clamp<int>(static_cast<int>(households / 800), 8, 40)
                : std::clamp<int>(static_cast<int>(households / 150) + 2, 3, 9);
    neighbours_.clear();
    for (const geo::Unit* u : geo_.SoumsOf(soum_.aimag_code)) {
      if (u->code != soum_.code) neighbours_.push_back(u->code);
    }
    numbers_.StartSoum(slot_);

    for (int64_t h = 0; h < households; ++h) {
      MALCHIN_RETURN_IF_ERROR(Emit(h, plans[h], herd_of[h]));
    }
    summary_.livestock += livestock;
    return Status::Ok();
  }

 private:
  int AdultAge() {
    static const WeightedPicker kPicker = [] {
      std::vector<double> w;
      for (int a = 18; a <= 95; ++a) w.push_back(AdultAgeWeight(a));
      return WeightedPicker(w);
    }();
    return 18 + static_cast<int>(kPicker.Pick(rng_));
  }

  const std::string& Pick(const std::vector<std::string>& v) {
    return v[rng_.Below(v.size())];
  }

  std::string GivenName(Sex sex) {
    bool male = sex == Sex::kMale;
    if (rng_.Chance(0.3)) return Pick(male ? names_.male : names_.female);
    return Pick(male ? names_.male_stem : names_.female_stem) +
           Pick(male ? names_.male_suffix : names_.female_suffix);
  }

  std::string Phone() {
    std::string p = kPhonePrefixes[rng_.Below(kPhonePrefixes.size())];
    for (int i = 0; i < 6; ++i)
      p.push_back(static_cast<char>('0' + rng_.Below(10)));
    return p;
  }

  std::string BankAccount() {
    static const WeightedPicker kBankPicker(
        std::vector<double>{0.55, 0.12, 0.10, 0.10, 0.13});
    const Bank& bank = BankCodes()[kBankPicker.Pick(rng_)];
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d%07d", slot_ % 1000,
                  static_cast<int>(account_seq_++ % 10000000));
    return bank.code + buf;
  }

  Status Emit(int64_t index, const HouseholdPlan& plan, int64_t livestock) {
    Household hh;
    char id[32];
    std::snprintf(id, sizeof id, "%d-%06lld", soum_.code,
                  static_cast<long long>(index + 1));
    hh.id = id;
    hh.soum_code = soum_.code;
    hh.current_soum_code = soum_.code;
    hh.bag = std::to_string(1 + rng_.Below(static_cast<uint64_t>(bags_)));
    hh.herder = plan.herder;

    // Ages first: parents' ages follow the oldest child's.
    std::vector<int> kids = plan.child_ages;
    std::sort(kids.begin(), kids.end(), std::greater<int>());
    bool grandchildren = !kids.empty() && rng_.Chance(0.06);
    int head_age;
    if (kids.empty()) {
      head_age = AdultAge();
    } else if (grandchildren) {
      head_age = std::min(90, kids.front() + rng_.Between(40, 55));
    } else {
      head_age = std::min(80, kids.front() + rng_.Between(20, 36));
    }
    head_age = std::max(head_age, 18);
    Sex head_sex = plan.spouse
                       ? (rng_.Chance(0.05) ? Sex::kFemale : Sex::kMale)
                       : (rng_.Chance(0.55) ? Sex::kFemale : Sex::kMale);

    std::vector<Member> members;
    members.push_back({Relation::kHead, head_sex, head_age});
    if (plan.spouse) {
      int gap = rng_.Between(0, 6);
      int age = head_sex == Sex::kMale ? head_age - gap : head_age + gap;
      members.push_back({Relation::kSpouse,
                         head_sex == Sex::kMale ? Sex::kFemale : Sex::kMale,
                         std::max(age, 18)});
    }
    for (int age : kids) {
      members.push_back(
          {grandchildren ? Relation::kGrandchild : Relation::kChild,
           rng_.Chance(0.51) ? Sex::kMale : Sex::kFemale, age});
    }
    for (Relation r : plan.extras) {
      Sex sex = rng_.Chance(r == Relation::kParent ? 0.4 : 0.5) ? Sex::kMale
                                                                : Sex::kFemale;
      int age;
      if (r == Relation::kChild && head_age >= 38) {
        age = rng_.Between(18, std::min(head_age - 20, 45));
      } else if (r == Relation::kParent && head_age <= 72) {
        age = std::min(95, head_age + rng_.Between(20, 32));
      } else if (r == Relation::kChild || r == Relation::kSibling) {
        r = Relation::kSibling;
        age = std::max(18, head_age + rng_.Between(-8, 8));
      } else {
        r = Relation::kOther;
        age = AdultAge();
      }
      members.push_back({r, sex, age});
    }

    // Herd and place.
    if (plan.herder) {
      const auto& base = kSpeciesShares[std::clamp(soum_.region_code, 0, 5)];
      std::vector<double> w(5);
      for (int k = 0; k < 5; ++k)
        w[k] = base[k] * std::exp(0.3 * rng_.Normal());
      std::vector<int64_t> split = Apportion(livestock, w);
      for (int k = 0; k < 5; ++k)
        hh.herd.head[k] = static_cast<int32_t>(split[k]);
      if (!neighbours_.empty() && rng_.Chance(0.03)) {
        hh.current_soum_code = neighbours_[rng_.Below(neighbours_.size())];
      }
      if (rng_.Chance(0.25)) {
        hh.cooperative = soum_.name_mn + " малчдын хоршоо " +
                         std::to_string(1 + rng_.Below(3));
      }
      hh.lat =
          std::round((soum_.lat + (rng_.Uniform() - 0.5) * 0.6) * 1e5) / 1e5;
      hh.lon =
          std::round((soum_.lon + (rng_.Uniform() - 0.5) * 0.8) * 1e5) / 1e5;
      ++summary_.herder_households;
    }

    // Persons.
    const std::string& clan = Pick(names_.family);
    std::string father_of_children;
    for (const Member& m : members) {
      if ((m.relation == Relation::kHead || m.relation == Relation::kSpouse) &&
          m.sex == Sex::kMale) {
        father_of_children = GivenName(Sex::kMale);  // His name, below.
        break;
      }
    }
    std::vector<Person> people;
    people.reserve(members.size());
    for (const Member& m : members) {
      Person p;
      p.household_id = hh.id;
      p.sex = m.sex;
      p.relation = m.relation;
      p.birth_date = BirthDateForAge(options_.as_of, m.age, rng_);
      MALCHIN_ASSIGN_OR_RETURN(p.register_no,
                               numbers_.Next(p.birth_date, p.sex));
      bool is_father =
          !father_of_children.empty() && m.sex == Sex::kMale &&
          (m.relation == Relation::kHead || m.relation == Relation::kSpouse);
      p.given_name =
          is_father ? father_of_children
                    : Pick(m.sex == Sex::kMale ? names_.male : names_.female);
      bool descendant =
          m.relation == Relation::kChild || m.relation == Relation::kGrandchild;
      p.family_name = descendant || m.relation == Relation::kHead ||
                              m.relation == Relation::kSibling
                          ? clan
                          : Pick(names_.family);
      p.father_name = descendant && m.relation == Relation::kChild &&
                              !father_of_children.empty()
                          ? father_of_children
                          : GivenName(Sex::kMale);
      p.disability = rng_.Chance(DisabilityRate(m.age));
      p.herder = plan.herder && m.age >= 16;
      if (m.age >= 18) {
        if (rng_.Chance(0.9)) p.phone = Phone();
        if (rng_.Chance(0.85)) p.bank_account = BankAccount();
      }
      if (m.age < 18) ++summary_.children_0_17;
      people.push_back(std::move(p));
    }
    hh.phone = people.front().phone;

    MALCHIN_RETURN_IF_ERROR(sink_.household(hh));
    for (const Person& p : people) MALCHIN_RETURN_IF_ERROR(sink_.person(p));
    ++summary_.households;
    summary_.persons += static_cast<int64_t>(people.size());
    return Status::Ok();
  }

  const geo::Geography& geo_;
  const geo::Unit& soum_;
  int slot_;
  const Options& options_;
  const Names& names_;
  RegisterNumbers& numbers_;
  const Sink& sink_;
  Summary& summary_;
  Rng rng_;
  int bags_ = 1;
  std::vector<int32_t> neighbours_;
  int64_t account_seq_ = 0;
};

}  // namespace

const std::vector<Bank>& BankCodes() {
  static const std::vector<Bank> kBanks = {
      {"0005", "Khan Bank", "Хаан банк"},
      {"0015", "Golomt Bank", "Голомт банк"},
      {"0004", "Trade and Development Bank", "Худалдаа хөгжлийн банк"},
      {"0032", "XacBank", "Хас банк"},
      {"0034", "State Bank", "Төрийн банк"},
  };
  return kBanks;
}

Result<Summary> Generate(const geo::Geography& geo, const Options& options,
                         const Sink& sink) {
  if (!(options.scale > 0) || options.scale > 20) {
    return Status::InvalidArgument(
        "--scale: expected a number above 0 and at "
        "most 20, got " +
        std::to_string(options.scale));
  }
  for (int32_t a : options.aimags) {
    if (geo.FindAimag(a) == nullptr) {
      return Status::InvalidArgument("aimag code " + std::to_string(a) +
                                     " is not in the geography");
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(Names names, LoadNames());
  const auto& soums = geo.soums();
  if (static_cast<int>(soums.size()) * kPairsPerSoum > kPairs) {
    return Status::Internal("too many soums for the register-number letters");
  }
  RegisterNumbers numbers(static_cast<int>(soums.size()));
  Summary summary;
  for (size_t slot = 0; slot < soums.size(); ++slot) {
    const geo::Unit& soum = *soums[slot];
    if (!options.aimags.empty() &&
        std::find(options.aimags.begin(), options.aimags.end(),
                  soum.aimag_code) == options.aimags.end()) {
      continue;
    }
    SoumGenerator g(geo, soum, static_cast<int>(slot), options, names, numbers,
                    sink, summary);
    MALCHIN_RETURN_IF_ERROR(g.Run());
  }
  return summary;
}

}  // namespace malchin::demo
