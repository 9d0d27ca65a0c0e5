#include "poverty/measures.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "poverty/internal/engine.h"
#include "poverty/internal/sorted_pass.h"
#include "poverty/internal/totals_measures.h"

namespace malchin::poverty {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<std::string_view, kMeasureCount> kNames = {
    "population",
    "households",
    "mean_pc",
    "median_pc",
    "fgt0",
    "fgt1",
    "fgt2",
    "watts",
    "poor_persons",
    "poverty_gap_total_mnt_month",
    "gini_midpoint",
    "gini_laeken_x100",
    "theil_T_ge1",
    "mld_ge0",
    "ge2",
    "atkinson_e0.5",
    "atkinson_e1",
    "atkinson_e2",
    "weighted_quantile_p10",
    "weighted_quantile_p20",
    "weighted_quantile_p25",
    "weighted_quantile_p30",
    "weighted_quantile_p40",
    "weighted_quantile_p60",
    "weighted_quantile_p70",
    "weighted_quantile_p75",
    "weighted_quantile_p80",
    "weighted_quantile_p90",
    "quintile_share_A_q1",
    "quintile_share_A_q2",
    "quintile_share_A_q3",
    "quintile_share_A_q4",
    "quintile_share_A_q5",
    "quintile_share_B_q1",
    "quintile_share_B_q2",
    "quintile_share_B_q3",
    "quintile_share_B_q4",
    "quintile_share_B_q5",
    "palma_A",
    "palma_B",
    "qsr_laeken",
    "child_poverty_rate_0_17",
    "fgt0_hh_weighted",
};

size_t Idx(Measure m) { return static_cast<size_t>(m); }

std::string Row(size_t h) { return "household row " + std::to_string(h); }

}  // namespace

std::string_view MeasureName(Measure m) {
  return m < Measure::kCount ? kNames[Idx(m)] : std::string_view("unknown");
}

std::optional<Measure> MeasureFromName(std::string_view name) {
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (kNames[i] == name) return static_cast<Measure>(i);
  }
  return std::nullopt;
}

bool IsQuantileBased(Measure m) {
  switch (m) {
    case Measure::kMedian:
    case Measure::kP10:
    case Measure::kP20:
    case Measure::kP25:
    case Measure::kP30:
    case Measure::kP40:
    case Measure::kP60:
    case Measure::kP70:
    case Measure::kP75:
    case Measure::kP80:
    case Measure::kP90:
    case Measure::kShareA1:
    case Measure::kShareA2:
    case Measure::kShareA3:
    case Measure::kShareA4:
    case Measure::kShareA5:
    case Measure::kShareB1:
    case Measure::kShareB2:
    case Measure::kShareB3:
    case Measure::kShareB4:
    case Measure::kShareB5:
    case Measure::kPalmaA:
    case Measure::kPalmaB:
    case Measure::kQsr:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------- domains --

DomainSet DomainSet::National(size_t households) {
  DomainSet d;
  d.names_.push_back("national");
  d.mask_.assign(households, 1);
  return d;
}

Status DomainSet::Add(std::string name, std::span<const uint8_t> member) {
  if (name.empty()) return Status::InvalidArgument("domain name is empty");
  if (Find(name) >= 0) {
    return Status::InvalidArgument("domain '" + name + "' is defined twice");
  }
  if (names_.size() >= kMaxDomains) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxDomains) +
                                   " domains are supported; '" + name +
                                   "' is one too many");
  }
  if (names_.empty()) {
    mask_.assign(member.size(), 0);
  } else if (member.size() != mask_.size()) {
    return Status::InvalidArgument(
        "domain '" + name + "' has " + std::to_string(member.size()) +
        " households, expected " + std::to_string(mask_.size()));
  }
  const uint64_t bit = uint64_t{1} << names_.size();
  for (size_t h = 0; h < member.size(); ++h) {
    if (member[h]) mask_[h] |= bit;
  }
  names_.push_back(std::move(name));
  return Status::Ok();
}

int DomainSet::Find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

const DomainEstimates* Estimates::Find(std::string_view domain) const {
  for (const auto& d : domains) {
    if (d.domain == domain) return &d;
  }
  return nullptr;
}

// ------------------------------------------------------------- population --

Result<Population> Population::Make(const HouseholdView& hh, DomainSet domains,
                                    const MeasureOptions& options) {
  auto impl = std::make_shared<Impl>();
  const size_t n = hh.weight.size();
  if (n == 0) return Status::InvalidArgument("no households");
  if (n > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("too many households (limit 2^32-1)");
  }
  if (hh.size.size() != n) {
    return Status::InvalidArgument(
        "household sizes: " + std::to_string(hh.size.size()) + " values for " +
        std::to_string(n) + " households");
  }
  if (!hh.children.empty() && hh.children.size() != n) {
    return Status::InvalidArgument(
        "child counts: " + std::to_string(hh.children.size()) + " values for " +
        std::to_string(n) + " households");
  }
  if (!(options.poverty_line > 0) || !std::isfinite(options.poverty_line)) {
    return Status::InvalidArgument(
        "poverty line must be a finite number > 0, got " +
            std::to_string(options.poverty_line),
        "poverty_line");
  }
  if (options.threads < 1) {
    return Status::InvalidArgument("threads must be >= 1", "threads");
  }
  if (domains.size() == 0) domains = DomainSet::National(n);
  if (domains.households() != n) {
    return Status::InvalidArgument(
        "domains cover " + std::to_string(domains.households()) +
        " households, expected " + std::to_string(n));
  }
  impl->n = n;
  impl->weight.resize(n);
  impl->person_w.resize(n);
  for (size_t h = 0; h < n; ++h) {
    const double w = hh.weight[h];
    if (!(w > 0) || !std::isfinite(w)) {
      return Status::InvalidArgument(
          Row(h) + ": weight must be a finite number > 0, got " +
              std::to_string(w),
          "weight");
    }
    if (hh.size[h] < 1) {
      return Status::InvalidArgument(Row(h) +
                                         ": household size must be >= 1, got " +
                                         std::to_string(hh.size[h]),
                                     "size");
    }
    impl->weight[h] = w;
    impl->person_w[h] = w * hh.size[h];
  }
  if (!hh.children.empty()) {
    impl->children_w.resize(n);
    for (size_t h = 0; h < n; ++h) {
      if (hh.children[h] < 0) {
        return Status::InvalidArgument(
            Row(h) + ": number of children must be >= 0, got " +
                std::to_string(hh.children[h]),
            "children");
      }
      impl->children_w[h] = hh.weight[h] * hh.children[h];
    }
  }
  // Every domain must have at least one household.
  {
    uint64_t seen = 0;
    for (uint64_t m : domains.mask()) seen |= m;
    for (size_t d = 0; d < domains.size(); ++d) {
      if (!(seen >> d & 1)) {
        return Status::InvalidArgument("domain '" + domains.names()[d] +
                                       "' has no households");
      }
    }
  }
  impl->domains = std::move(domains);
  impl->options = options;

  const bool want_se = options.standard_errors != StandardErrors::kNone;
  if (hh.stratum.empty() != hh.psu.empty()) {
    return Status::InvalidArgument(
        "sample design: give both stratum and PSU codes, or neither");
  }
  if (want_se && hh.psu.empty()) {
    return Status::InvalidArgument(
        "standard errors need the sample design (stratum and PSU codes); "
        "for a full register use StandardErrors::kNone");
  }
  if (want_se) {
    if (hh.stratum.size() != n || hh.psu.size() != n) {
      return Status::InvalidArgument(
          "sample design: stratum/PSU codes must have one value per "
          "household");
    }
    impl->has_design = true;
    std::unordered_map<int32_t, int32_t> stratum_index;
    std::unordered_map<uint64_t, int32_t> psu_index;
    std::vector<int32_t> stratum_code;
    impl->psu_of.resize(n);
    for (size_t h = 0; h < n; ++h) {
      auto [sit, snew] = stratum_index.try_emplace(
          hh.stratum[h], static_cast<int32_t>(stratum_index.size()));
      if (snew) {
        impl->psus_in_stratum.push_back(0);
        stratum_code.push_back(hh.stratum[h]);
      }
      const uint64_t key =
          (uint64_t{static_cast<uint32_t>(hh.stratum[h])} << 32) |
          static_cast<uint32_t>(hh.psu[h]);
      auto [pit, pnew] =
          psu_index.try_emplace(key, static_cast<int32_t>(psu_index.size()));
      if (pnew) {
        impl->stratum_of_psu.push_back(sit->second);
        ++impl->psus_in_stratum[sit->second];
      }
      impl->psu_of[h] = pit->second;
    }
    impl->num_psu = static_cast<int>(psu_index.size());
    impl->num_strata = static_cast<int>(stratum_index.size());
    MALCHIN_RETURN_IF_ERROR(internal::SetFiniteCorrection(hh, impl.get()));
    for (int s = 0; s < impl->num_strata; ++s) {
      if (impl->psus_in_stratum[s] > 1) continue;
      ++impl->lonely_strata;
      if (options.lonely_psu == LonelyPsu::kFail) {
        return Status::FailedPrecondition(
            "stratum " + std::to_string(stratum_code[s]) +
            " has only one PSU, so its variance cannot be estimated; "
            "collapse it with a neighbouring stratum or choose a lonely-PSU "
            "rule (remove, adjust, average)");
      }
    }
    if (impl->lonely_strata == impl->num_strata) {
      return Status::FailedPrecondition(
          "every stratum has a single PSU: no variance can be estimated");
    }
  }
  return Population(std::move(impl));
}

size_t Population::households() const { return impl_->n; }
const DomainSet& Population::domains() const { return impl_->domains; }
const MeasureOptions& Population::options() const { return impl_->options; }

Result<Estimates> Population::Estimate(std::span<const double> welfare) const {
  MALCHIN_ASSIGN_OR_RETURN(internal::ScenarioState state,
                           internal::Evaluate(*impl_, welfare));
  return std::move(state.estimates);
}

Result<Comparison> Population::Compare(std::span<const double> baseline,
                                       std::span<const double> reform) const {
  Result<internal::ScenarioState> b = Status::Internal("not run");
  Result<internal::ScenarioState> r = Status::Internal("not run");
  if (impl_->options.threads >= 2) {
    std::thread t([&] { r = internal::Evaluate(*impl_, reform); });
    b = internal::Evaluate(*impl_, baseline);
    t.join();
  } else {
    b = internal::Evaluate(*impl_, baseline);
    r = internal::Evaluate(*impl_, reform);
  }
  if (!b.ok()) return b.status().WithContext("baseline");
  if (!r.ok()) return r.status().WithContext("reform");
  Comparison c;
  c.change = internal::Change(*impl_, *b, *r);
  c.baseline = std::move(b->estimates);
  c.reform = std::move(r->estimates);
  return c;
}

// --------------------------------------------------------------- internal --
namespace internal {

void ParallelFor(size_t n, int threads,
                 const std::function<void(size_t, size_t)>& fn) {
  const size_t t = std::max<size_t>(
      1, std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), n));
  if (t <= 1) {
    if (n > 0) fn(0, n);
    return;
  }
  std::vector<std::thread> pool;
  const size_t chunk = (n + t - 1) / t;
  for (size_t i = 1; i < t; ++i) {
    const size_t b = i * chunk, e = std::min(n, b + chunk);
    if (b < e) pool.emplace_back(fn, b, e);
  }
  fn(0, std::min(n, chunk));
  for (auto& th : pool) th.join();
}

void SortIndicesByKey(std::span<const double> key, BigVector<uint32_t>* order) {
  const size_t n = key.size();
  order->resize(n);
  if (n < 2048) {
    std::iota(order->begin(), order->end(), 0u);
    std::stable_sort(order->begin(), order->end(),
                     [&](uint32_t a, uint32_t b) { return key[a] < key[b]; });
    return;
  }
  // LSD radix sort of 64-bit items: the top bits of the order-preserving
  // bit pattern of the double, and the index in the low idx_bits bits
  // (11-bit digits; digits equal for all keys are skipped). Runs whose kept
  // key bits are equal are then finished by a stable comparison sort on the
  // full value, so the result is exactly a stable sort by value.
  const int idx_bits = std::max(1, static_cast<int>(std::bit_width(n - 1)));
  const uint64_t idx_mask = (uint64_t{1} << idx_bits) - 1;
  BigVector<uint64_t> a(n), b(n);
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  const int digits = (64 - idx_bits + kBits - 1) / kBits;
  std::vector<size_t> count(static_cast<size_t>(digits) * kBuckets, 0);
  for (size_t j = 0; j < n; ++j) {
    uint64_t u;
    std::memcpy(&u, &key[j], sizeof u);
    u = (u >> 63) ? ~u : (u | (uint64_t{1} << 63));
    const uint64_t item = (u & ~idx_mask) | j;
    a[j] = item;
    for (int d = 0; d < digits; ++d) {
      ++count[d * kBuckets +
              ((item >> (idx_bits + d * kBits)) & (kBuckets - 1))];
    }
  }
  for (int d = 0; d < digits; ++d) {
    size_t* c = &count[d * kBuckets];
    size_t nonzero = 0;
    for (size_t i = 0; i < kBuckets; ++i) nonzero += c[i] != 0;
    if (nonzero == 1) continue;  // this digit is equal for all keys
    size_t sum = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
      const size_t t = c[i];
      c[i] = sum;
      sum += t;
    }
    const int shift = idx_bits + d * kBits;
    for (uint64_t item : a) b[c[(item >> shift) & (kBuckets - 1)]++] = item;
    a.swap(b);
  }
  auto index = [&](uint64_t item) {
    return static_cast<uint32_t>(item & idx_mask);
  };
  for (size_t k = 0; k < n;) {
    const uint64_t top = a[k] >> idx_bits;
    size_t e = k + 1;
    while (e < n && (a[e] >> idx_bits) == top) ++e;
    if (e - k <= 32) {  // insertion sort (stable) for short runs
      for (size_t i = k + 1; i < e; ++i) {
        const uint64_t item = a[i];
        const double v = key[index(item)];
        size_t j = i;
        while (j > k && key[index(a[j - 1])] > v) {
          a[j] = a[j - 1];
          --j;
        }
        a[j] = item;
      }
    } else {
      std::stable_sort(a.begin() + k, a.begin() + e,
                       [&](uint64_t x, uint64_t y) {
                         return key[index(x)] < key[index(y)];
                       });
    }
    k = e;
  }
  for (size_t j = 0; j < n; ++j) (*order)[j] = index(a[j]);
}

namespace {

// Totals per domain, summed in blocks for accuracy on millions of rows.
struct DomainTotals {
  std::vector<std::array<double, kNumTotals>> total;
};

Status CheckWelfare(const Population::Impl& pop,
                    std::span<const double> welfare) {
  if (welfare.size() != pop.n) {
    return Status::InvalidArgument(
        "welfare has " + std::to_string(welfare.size()) +
        " values, expected one per household (" + std::to_string(pop.n) + ")");
  }
  for (size_t h = 0; h < pop.n; ++h) {
    const double y = welfare[h];
    if (!(y > 0) || !std::isfinite(y)) {
      return Status::InvalidArgument(
          Row(h) + ": welfare must be a finite number > 0, got " +
              std::to_string(y) +
              " (Watts, Theil, MLD and Atkinson need logarithms)",
          "welfare");
    }
  }
  return Status::Ok();
}

}  // namespace

// Household contributions to the totals (weighted).
void Contributions(double y, double v, double w, double c_w, double z,
                   double log_z, double* x) {
  const double log_y = std::log(y);
  const bool poor = y < z;
  const double g = poor ? (z - y) / z : 0.0;
  x[kTN] = v;
  x[kTW] = w;
  x[kTT] = v * y;
  x[kTPoor] = poor ? v : 0.0;
  x[kTGap] = v * g;
  x[kTGap2] = v * g * g;
  x[kTWatts] = poor ? v * (log_z - log_y) : 0.0;
  x[kTYLogY] = v * y * log_y;
  x[kTLogY] = v * log_y;
  x[kTY2] = v * y * y;
  x[kTSqrtY] = v * std::sqrt(y);
  x[kTInvY] = v / y;
  x[kTChild] = c_w;
  x[kTChildPoor] = poor ? c_w : 0.0;
  x[kTHhPoor] = poor ? w : 0.0;
}

Result<ScenarioState> Evaluate(const Population::Impl& pop,
                               std::span<const double> welfare) {
  MALCHIN_RETURN_IF_ERROR(CheckWelfare(pop, welfare));
  const size_t n = pop.n;
  const size_t nd = pop.domains.size();
  const double z = pop.options.poverty_line;
  const double log_z = std::log(z);
  const bool has_children = !pop.children_w.empty();
  const uint64_t* mask = pop.domains.mask().data();

  // 1. Totals pass (unsorted) and the sort, concurrently if allowed.
  std::vector<std::array<double, kNumTotals>> total(nd);
  auto totals_pass = [&] {
    std::vector<std::array<double, kNumTotals>> block(nd);
    for (auto& t : total) t.fill(0);
    for (auto& t : block) t.fill(0);
    constexpr size_t kBlock = 1024;
    double x[kNumTotals];
    for (size_t h0 = 0; h0 < n; h0 += kBlock) {
      const size_t h1 = std::min(n, h0 + kBlock);
      for (size_t h = h0; h < h1; ++h) {
        Contributions(welfare[h], pop.person_w[h], pop.weight[h],
                      has_children ? pop.children_w[h] : 0.0, z, log_z, x);
        for (uint64_t m = mask[h]; m; m &= m - 1) {
          double* acc = block[std::countr_zero(m)].data();
          for (int j = 0; j < kNumTotals; ++j) acc[j] += x[j];
        }
      }
      for (size_t d = 0; d < nd; ++d) {
        for (int j = 0; j < kNumTotals; ++j) {
          total[d][j] += block[d][j];
          block[d][j] = 0;
        }
      }
    }
  };
  ScenarioState state;
  if (pop.options.threads >= 2 && n >= 100000) {
    std::thread t(totals_pass);
    SortIndicesByKey(welfare, &state.order);
    t.join();
  } else {
    totals_pass();
    SortIndicesByKey(welfare, &state.order);
  }

  // 2. One sorted pass for all domains.
  std::vector<SortedAccumulator> acc;
  acc.reserve(nd);
  double all_n = 0, all_t = 0;
  for (size_t d = 0; d < nd; ++d) {
    acc.emplace_back(total[d][kTN], total[d][kTT], pop.options.quantile_rule);
  }
  // All households (for the microsimulation's decile incidence), whether
  // or not a domain covers everybody.
  for (size_t h = 0; h < n; ++h) {
    all_n += pop.person_w[h];
    all_t += pop.person_w[h] * welfare[h];
  }
  SortedAccumulator all(all_n, all_t, pop.options.quantile_rule);
  // Gather blocks of rows in sorted order first (independent loads, so the
  // memory system overlaps the cache misses), then accumulate.
  constexpr size_t kGather = 1024;
  double ys[kGather], vs[kGather];
  uint64_t ms[kGather];
  const uint32_t* order = state.order.data();
  for (size_t k0 = 0; k0 < n; k0 += kGather) {
    const size_t len = std::min(kGather, n - k0);
    for (size_t i = 0; i < len; ++i) {
      const uint32_t h = order[k0 + i];
      ys[i] = welfare[h];
      vs[i] = pop.person_w[h];
      ms[i] = mask[h];
    }
    for (size_t i = 0; i < len; ++i) {
      all.Add(ys[i], vs[i]);
      for (uint64_t m = ms[i]; m; m &= m - 1) {
        acc[std::countr_zero(m)].Add(ys[i], vs[i]);
      }
    }
  }
  all.Finish();
  state.all_cuts = all.quantiles();

  // 3. Assemble.
  state.estimates.domains.resize(nd);
  state.cuts.resize(nd);
  if (pop.has_design) {
    state.estimates.design_df = pop.num_psu - pop.num_strata;
  }
  for (size_t d = 0; d < nd; ++d) {
    DomainEstimates& e = state.estimates.domains[d];
    e.domain = pop.domains.names()[d];
    e.value.fill(kNaN);
    e.se_lin.fill(kNaN);
    e.se_jkn.fill(kNaN);
    MeasuresFromTotals<double>(
        total[d], z, has_children,
        [&](Measure m, double v) { e.value[Idx(m)] = v; });
    SortedAccumulator& a = acc[d];
    a.Finish();
    state.cuts[d] = a.quantiles();
    FillSortedMeasures(a.quantiles(), a.cut(), a.lorenz(), total[d][kTT],
                       a.gini(), e.value.data());
  }

  if (pop.has_design) ComputeStandardErrors(pop, welfare, &state);
  return state;
}

Estimates Change(const Population::Impl& pop, const ScenarioState& base,
                 const ScenarioState& reform) {
  Estimates out;
  out.design_df = base.estimates.design_df;
  const size_t nd = base.estimates.domains.size();
  out.domains.resize(nd);
  std::vector<double> diff(pop.num_psu);
  for (size_t d = 0; d < nd; ++d) {
    const DomainEstimates& b = base.estimates.domains[d];
    const DomainEstimates& r = reform.estimates.domains[d];
    DomainEstimates& c = out.domains[d];
    c.domain = b.domain;
    c.se_lin.fill(kNaN);
    c.se_jkn.fill(kNaN);
    for (size_t m = 0; m < kMeasureCount; ++m) {
      c.value[m] = r.value[m] - b.value[m];
      if (!base.lin.empty() && !base.lin[d][m].empty() &&
          !reform.lin[d][m].empty()) {
        for (int p = 0; p < pop.num_psu; ++p) {
          diff[p] = reform.lin[d][m][p] - base.lin[d][m][p];
        }
        c.se_lin[m] = std::sqrt(LinearizedVariance(pop, diff));
      }
      if (!base.rep.empty() && !base.rep[d][m].empty() &&
          !reform.rep[d][m].empty()) {
        for (int p = 0; p < pop.num_psu; ++p) {
          diff[p] = reform.rep[d][m][p] - base.rep[d][m][p];
        }
        c.se_jkn[m] = std::sqrt(JackknifeVariance(pop, diff, c.value[m]));
      }
    }
  }
  return out;
}

}  // namespace internal

// ------------------------------------------------------ single-vector API --
namespace {

Status CheckPair(std::span<const double> y, std::span<const double> w) {
  if (y.empty()) return Status::InvalidArgument("no observations");
  if (y.size() != w.size()) {
    return Status::InvalidArgument("values and weights differ in length (" +
                                   std::to_string(y.size()) + " vs " +
                                   std::to_string(w.size()) + ")");
  }
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      return Status::InvalidArgument("row " + std::to_string(i) +
                                     ": value is not finite");
    }
    if (!(w[i] > 0) || !std::isfinite(w[i])) {
      return Status::InvalidArgument("row " + std::to_string(i) +
                                     ": weight must be a finite number > 0");
    }
  }
  return Status::Ok();
}

internal::BigVector<uint32_t> Order(std::span<const double> y) {
  internal::BigVector<uint32_t> o;
  internal::SortIndicesByKey(y, &o);
  return o;
}

}  // namespace

Result<double> WeightedQuantile(std::span<const double> y,
                                std::span<const double> weight, double p,
                                QuantileRule rule) {
  MALCHIN_RETURN_IF_ERROR(CheckPair(y, weight));
  if (!(p >= 0 && p <= 1)) {
    return Status::InvalidArgument("probability must be in [0,1]");
  }
  const auto o = Order(y);
  if (p == 0) return y[o.front()];
  if (p == 1) return y[o.back()];
  double n = 0;
  for (double w : weight) n += w;
  double c = 0;
  for (size_t i = 0; i < o.size(); ++i) {
    c += weight[o[i]];
    const double share = c / n;
    if (rule == QuantileRule::kLaeken ? share > p : share >= p) {
      if (rule == QuantileRule::kEurostat && share == p && i + 1 < o.size()) {
        return 0.5 * (y[o[i]] + y[o[i + 1]]);
      }
      return y[o[i]];
    }
  }
  return y[o.back()];
}

Result<double> Gini(std::span<const double> y, std::span<const double> weight) {
  MALCHIN_RETURN_IF_ERROR(CheckPair(y, weight));
  const auto o = Order(y);
  double n = 0, t = 0, c = 0, s = 0;
  for (uint32_t i : o) {
    if (y[i] < 0) {
      return Status::InvalidArgument("Gini needs non-negative values; row " +
                                     std::to_string(i) + " is negative");
    }
    n += weight[i];
    t += weight[i] * y[i];
  }
  if (!(t > 0)) return Status::InvalidArgument("Gini needs a positive total");
  for (uint32_t i : o) {
    c += weight[i];
    s += weight[i] * y[i] * (2 * c - weight[i]);
  }
  return s / (n * t) - 1;
}

Result<double> GiniConveyFormula(std::span<const double> y,
                                 std::span<const double> weight) {
  MALCHIN_RETURN_IF_ERROR(CheckPair(y, weight));
  const auto o = Order(y);
  double n = 0, t = 0, c = 0, s = 0;
  for (uint32_t i : o) {
    n += weight[i];
    t += weight[i] * y[i];
  }
  if (!(t > 0)) return Status::InvalidArgument("Gini needs a positive total");
  for (uint32_t i : o) {
    c += weight[i];
    s += (2 * c - 1) * y[i] * weight[i];
  }
  return s / (n * t) - 1;
}

}  // namespace malchin::poverty
