#include "rules/evaluator.h"

#include <algorithm>
#include <functional>
#include <thread>

#include "rules/ast.h"
#include "rules/binding.h"
#include "rules/evaluator_internal.h"
#include "rules/explain.h"
#include "rules/money.h"
#include "rules/program.h"

namespace malchin::rules {
namespace {

// Below this many persons one thread is faster than starting more.
constexpr size_t kMinPersonsPerThread = 1 << 16;

void Walk(const Node& n, const std::function<void(const Node&)>& fn) {
  fn(n);
  for (const NodePtr& k : n.kids) Walk(*k, fn);
}

// Runs fn(i, begin, end) for each range, ranges after the first on their
// own threads; returns when all are done.
template <class Fn>
void RunRanges(const std::vector<std::pair<size_t, size_t>>& ranges, Fn fn) {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < ranges.size(); ++i) {
    threads.emplace_back(fn, i, ranges[i].first, ranges[i].second);
  }
  if (!ranges.empty()) fn(0, ranges[0].first, ranges[0].second);
  for (std::thread& t : threads) t.join();
}

// Per-thread scratch of a scan: registers and one chunk's indexes.
struct Scratch {
  explicit Scratch(const Program& prog)
      : regs(std::max(1, prog.registers()) * kChunk),
        person(kChunk),
        household(kChunk) {}
  std::vector<double> regs;
  std::vector<int32_t> person, household;
};

// Fills `ch` for positions [base, base + n).
void PrepareChunk(const Frame& f, size_t base, size_t n, Scratch& s,
                  Chunk& ch) {
  const int32_t* hh = f.population().household.data();
  ch.base = base;
  ch.n = n;
  if (f.identity()) {
    ch.person = nullptr;
    ch.household = hh + base;  // Read in place.
    return;
  }
  const int32_t* order = f.order().data();
  for (size_t i = 0; i < n; ++i) {
    s.person[i] = order[base + i];
    s.household[i] = hh[s.person[i]];
  }
  ch.person = s.person.data();
  ch.household = s.household.data();
}

struct Counters {
  int64_t unknown_eligibility = 0;
  int64_t unknown_amount = 0;
  int64_t zero_amount = 0;
  int64_t capped_households = 0;
  int64_t amount_before_cap = 0;
};

// Aggregates of one thread's share of the register.
struct PreviewSink {
  PreviewSink(const Frame& f)
      : frame(f),
        cells(f.soum_codes().size() * kCellsPerSoum * 2, 0),
        soum_households(f.soum_codes().size(), 0),
        soum_members(f.soum_codes().size(), 0) {}
  static constexpr int kCellsPerSoum = 2 * registry::kAgeBandCount * 2;

  void Household(int32_t h, const std::vector<Claim>& claims) {
    const registry::Population& pop = frame.population();
    const size_t s = frame.soum_index()[h];
    ++soum_households[s];
    soum_members[s] += frame.Size(h);
    for (const Claim& c : claims) {
      const int sex = pop.sex[c.person] ? 1 : 0;
      const int band = registry::AgeBandOf(frame.Age(c.person));
      const int dis = pop.disability[c.person] ? 1 : 0;
      const size_t k = (s * kCellsPerSoum +
                        (sex * registry::kAgeBandCount + band) * 2 + dis) *
                       2;
      ++cells[k];
      cells[k + 1] += c.amount;
    }
  }

  const Frame& frame;
  // [soum][sex][band][disability][beneficiaries, amount].
  std::vector<int64_t> cells;
  std::vector<int64_t> soum_households, soum_members;
  Counters counters;
};

struct SelectSink {
  void Household(int32_t h, const std::vector<Claim>& claims) {
    for (const Claim& c : claims) out.push_back({c.person, h, c.amount});
  }
  std::vector<Beneficiary> out;
  Counters counters;
};

}  // namespace

struct Evaluator::Impl {
  explicit Impl(const Rule& r) : rule(r) {}

  Rule rule;
  Binding binding;
  std::unordered_map<const Node*, std::vector<double>> counts;
  std::unique_ptr<Program> program;  // Outputs: eligibility, amount.
  int threads = 1;

  const Frame& frame() const { return *binding.frame; }

  // Position ranges for the threads, cut at household boundaries so that a
  // household is always scanned whole by one thread.
  std::vector<std::pair<size_t, size_t>> Ranges() const {
    const Frame& f = frame();
    const size_t np = f.persons();
    size_t t = std::clamp<size_t>(np / kMinPersonsPerThread, 1, threads);
    const std::vector<int32_t>& first = f.first_positions();
    std::vector<std::pair<size_t, size_t>> out;
    size_t begin = 0;
    for (size_t i = 1; i <= t; ++i) {
      size_t end = np;
      if (i < t) {
        size_t target = np * i / t;
        end = *std::lower_bound(first.begin(), first.end(),
                                static_cast<int32_t>(target));
      }
      end = std::max(end, begin);
      out.emplace_back(begin, end);
      begin = end;
    }
    return out;
  }

  // Evaluates positions [begin, end) and hands each household's capped
  // claims to the sink.
  template <class Sink>
  void Scan(size_t begin, size_t end, Sink& sink) const {
    const Frame& f = frame();
    const registry::Population& pop = f.population();
    const RuleSpec& spec = rule.spec();
    const bool per_household = spec.unit == Unit::kHousehold;
    const int32_t today = f.as_of().days();
    const Operand& elig = program->output(0);
    const Operand& amount = program->output(1);
    Scratch s(*program);
    Chunk ch;
    std::vector<Claim> claims;
    int32_t current = -1;
    auto flush = [&] {
      if (claims.empty()) return;
      int64_t total = 0;
      for (const Claim& c : claims) total += c.amount;
      sink.counters.amount_before_cap += total;
      if (spec.cap_per_household && total > *spec.cap_per_household) {
        ++sink.counters.capped_households;
        ApplyCap(claims, *spec.cap_per_household, spec.cap_order);
      }
      // Nothing to pay is not a benefit (a formula giving 0, or the cap).
      size_t kept = 0;
      for (const Claim& c : claims) {
        if (c.amount > 0) claims[kept++] = c;
      }
      sink.counters.zero_amount += static_cast<int64_t>(claims.size() - kept);
      claims.resize(kept);
      if (!claims.empty()) sink.Household(current, claims);
      claims.clear();
    };
    for (size_t base = begin; base < end; base += kChunk) {
      const size_t n = std::min(kChunk, end - base);
      PrepareChunk(f, base, n, s, ch);
      program->Run(ch, s.regs.data());
      for (size_t i = 0; i < n; ++i) {
        const int32_t h = ch.household[i];
        if (h != current) {
          flush();
          current = h;
        }
        const double e = Program::At(elig, s.regs.data(), i);
        if (e == 0) continue;
        const int32_t p =
            ch.person ? ch.person[i] : static_cast<int32_t>(base + i);
        if (pop.birth_days[p] > today) continue;
        if (per_household && f.Payee(h) != p) continue;
        if (e != 1) {
          ++sink.counters.unknown_eligibility;
          continue;
        }
        std::optional<int64_t> a =
            RoundMoney(Program::At(amount, s.regs.data(), i));
        if (!a) {
          ++sink.counters.unknown_amount;
          continue;
        }
        claims.push_back({p, pop.birth_days[p], *a});
      }
    }
    flush();
  }

  // Counts, per household, the members born on the reference date for
  // whom `cond` is true.
  std::vector<double> CountMembers(const Node& cond) const {
    const Frame& f = frame();
    const registry::Population& pop = f.population();
    std::vector<double> out(f.households(), 0);
    Program prog(binding, {&cond}, counts);
    const int32_t today = f.as_of().days();
    RunRanges(Ranges(), [&](size_t, size_t begin, size_t end) {
      Scratch s(prog);
      Chunk ch;
      for (size_t base = begin; base < end; base += kChunk) {
        const size_t n = std::min(kChunk, end - base);
        PrepareChunk(f, base, n, s, ch);
        prog.Run(ch, s.regs.data());
        for (size_t i = 0; i < n; ++i) {
          const int32_t p =
              ch.person ? ch.person[i] : static_cast<int32_t>(base + i);
          if (Program::At(prog.output(0), s.regs.data(), i) == 1 &&
              pop.birth_days[p] <= today) {
            out[ch.household[i]] += 1;  // Households never span threads.
          }
        }
      }
    });
    return out;
  }
};

Result<Evaluator> Evaluator::Bind(const Rule& rule,
                                  std::shared_ptr<const Frame> frame,
                                  const Bindings& bindings) {
  if (!frame) return Status::InvalidArgument("no frame to evaluate on");
  auto impl = std::make_shared<Impl>(rule);
  Binding& b = impl->binding;
  b.frame = frame;
  b.geography = bindings.geography;
  b.severity.assign(kSoumCodeLimit, 0);
  if (const EventContext* ev = bindings.event) {
    b.event_name = ev->name;
    for (const auto& [code, sev] : ev->severity_by_soum) {
      if (code < 0 || code >= kSoumCodeLimit) {
        return Status::InvalidArgument("event soum code " +
                                           std::to_string(code) +
                                           " is not a 5-digit soum code",
                                       "severity_by_soum");
      }
      b.severity[code] = static_cast<uint8_t>(sev);
      if (sev != Severity::kNone) b.event_soums.push_back(code);
    }
    std::sort(b.event_soums.begin(), b.event_soums.end());
  }
  int hw = static_cast<int>(std::thread::hardware_concurrency());
  impl->threads =
      bindings.threads > 0 ? bindings.threads : std::clamp(hw, 1, 8);

  // Resolve what the trees read.
  std::vector<const Node*> count_nodes;
  Status status;
  auto resolve = [&](const Node& n) {
    if (!status.ok()) return;
    if (n.kind == NodeKind::kParam && !b.params.count(n.text)) {
      if (!bindings.parameters) {
        status =
            Status::FailedPrecondition("the rule uses param(\"" + n.text +
                                       "\") but no parameter set was given");
        return;
      }
      auto v = bindings.parameters->Value(n.text, frame->as_of());
      if (!v.ok()) {
        status = Status::FailedPrecondition("param(\"" + n.text + "\") on " +
                                            frame->as_of().ToString() + ": " +
                                            v.status().message());
        return;
      }
      b.params[n.text] = *v;
    } else if (n.kind == NodeKind::kExtension) {
      std::string what =
          n.key.empty() ? n.text : n.text + "(\"" + n.key + "\")";
      const Extensions* ext = bindings.extensions;
      int i = ext ? ext->schema().Find(n.text, n.key) : -1;
      if (i < 0) {
        status = Status::FailedPrecondition("the rule uses " + what +
                                            " but no values were supplied");
        return;
      }
      const ColumnSpec& spec = ext->schema().columns()[i];
      bool want_bool = n.type.base == BaseType::kBool;
      if ((spec.kind == ColumnKind::kBool) != want_bool) {
        status = Status::FailedPrecondition(
            what + " was checked as " + (want_bool ? "yes/no" : "a number") +
            " but the values supplied are " +
            (want_bool ? "numbers" : "yes/no"));
        return;
      }
      size_t rows =
          spec.scope == Scope::kPerson ? frame->persons() : frame->households();
      if (ext->values(i).size() != rows) {
        status = Status::FailedPrecondition(
            what + " has " + std::to_string(ext->values(i).size()) +
            " values but the register has " + std::to_string(rows) +
            (spec.scope == Scope::kPerson ? " persons" : " households"));
        return;
      }
      b.columns[&n] =
          BoundColumn{&ext->values(i), spec.scope, spec.kind, spec.description};
    } else if (n.kind == NodeKind::kHouseholdCount) {
      count_nodes.push_back(&n);
    }
  };
  Walk(rule.eligibility().root(), resolve);
  Walk(rule.amount().root(), resolve);
  MALCHIN_RETURN_IF_ERROR(status);

  for (const Node* n : count_nodes) {
    impl->counts[n] = impl->CountMembers(*n->kids[0]);
  }
  impl->program = std::make_unique<Program>(
      b,
      std::vector<const Node*>{&rule.eligibility().root(),
                               &rule.amount().root()},
      impl->counts);
  return Evaluator(std::move(impl));
}

Preview Evaluator::ComputePreview() const {
  const Impl& im = *impl_;
  const Frame& f = im.frame();
  auto ranges = im.Ranges();
  std::vector<std::unique_ptr<PreviewSink>> sinks;
  for (size_t i = 0; i < ranges.size(); ++i) {
    sinks.push_back(std::make_unique<PreviewSink>(f));
  }
  RunRanges(ranges, [&](size_t i, size_t begin, size_t end) {
    im.Scan(begin, end, *sinks[i]);
  });
  // Deterministic merge: integer sums.
  PreviewSink& all = *sinks[0];
  for (size_t i = 1; i < sinks.size(); ++i) {
    const PreviewSink& o = *sinks[i];
    for (size_t k = 0; k < all.cells.size(); ++k) all.cells[k] += o.cells[k];
    for (size_t s = 0; s < all.soum_households.size(); ++s) {
      all.soum_households[s] += o.soum_households[s];
      all.soum_members[s] += o.soum_members[s];
    }
    all.counters.unknown_eligibility += o.counters.unknown_eligibility;
    all.counters.unknown_amount += o.counters.unknown_amount;
    all.counters.zero_amount += o.counters.zero_amount;
    all.counters.capped_households += o.counters.capped_households;
    all.counters.amount_before_cap += o.counters.amount_before_cap;
  }

  Preview out;
  out.unknown_eligibility = all.counters.unknown_eligibility;
  out.unknown_amount = all.counters.unknown_amount;
  out.zero_amount = all.counters.zero_amount;
  out.capped_households = all.counters.capped_households;
  out.amount_before_cap = all.counters.amount_before_cap;
  const std::vector<int32_t>& codes = f.soum_codes();
  for (size_t s = 0; s < codes.size(); ++s) {
    if (all.soum_households[s] == 0) continue;
    AreaTotal t;
    t.code = codes[s];
    t.households = all.soum_households[s];
    t.members = all.soum_members[s];
    for (int sex = 0; sex < 2; ++sex) {
      for (int band = 0; band < registry::kAgeBandCount; ++band) {
        for (int dis = 0; dis < 2; ++dis) {
          size_t k = (s * PreviewSink::kCellsPerSoum +
                      (sex * registry::kAgeBandCount + band) * 2 + dis) *
                     2;
          int64_t n = all.cells[k], amount = all.cells[k + 1];
          if (n == 0) continue;
          PreviewCell c;
          c.soum_code = codes[s];
          c.aimag_code = geo::AimagOfSoum(codes[s]);
          c.sex = static_cast<registry::Sex>(sex);
          c.age_band = band;
          c.disability = dis != 0;
          c.beneficiaries = n;
          c.amount = amount;
          out.cells.push_back(c);
          t.beneficiaries += n;
          t.amount += amount;
          out.beneficiaries_by_sex_band_disability[sex][band][dis] += n;
          out.amount_by_sex_band_disability[sex][band][dis] += amount;
        }
      }
    }
    out.by_soum.push_back(t);
    auto add = [](AreaTotal& to, const AreaTotal& from) {
      to.beneficiaries += from.beneficiaries;
      to.households += from.households;
      to.members += from.members;
      to.amount += from.amount;
    };
    int32_t aimag = geo::AimagOfSoum(t.code);
    if (out.by_aimag.empty() || out.by_aimag.back().code != aimag) {
      AreaTotal a;
      a.code = aimag;
      out.by_aimag.push_back(a);
    }
    add(out.by_aimag.back(), t);
    add(out.national, t);
  }
  // Soums are ascending, so each aimag's cells are contiguous.
  for (size_t i = 0; i < out.cells.size();) {
    const int32_t aimag = out.cells[i].aimag_code;
    PreviewCell sum[2][registry::kAgeBandCount][2] = {};
    for (; i < out.cells.size() && out.cells[i].aimag_code == aimag; ++i) {
      const PreviewCell& c = out.cells[i];
      PreviewCell& to =
          sum[c.sex == registry::Sex::kMale ? 1 : 0][c.age_band][c.disability];
      to.beneficiaries += c.beneficiaries;
      to.amount += c.amount;
    }
    for (int sex = 0; sex < 2; ++sex) {
      for (int band = 0; band < registry::kAgeBandCount; ++band) {
        for (int dis = 0; dis < 2; ++dis) {
          PreviewCell c = sum[sex][band][dis];
          if (c.beneficiaries == 0) continue;
          c.aimag_code = aimag;
          c.sex = static_cast<registry::Sex>(sex);
          c.age_band = band;
          c.disability = dis != 0;
          out.aimag_cells.push_back(c);
        }
      }
    }
  }
  return out;
}

const Binding& EvaluatorInternals::binding(const Evaluator& e) {
  return e.impl_->binding;
}

void EvaluatorInternals::Evaluate(const Evaluator& e,
                                  std::vector<double>* eligibility,
                                  std::vector<double>* amount) {
  const Evaluator::Impl& im = *e.impl_;
  const Frame& f = im.frame();
  const Program& prog = *im.program;
  eligibility->assign(f.persons(), 0);
  amount->assign(f.persons(), 0);
  Scratch s(prog);
  Chunk ch;
  for (size_t base = 0; base < f.persons(); base += kChunk) {
    const size_t n = std::min(kChunk, f.persons() - base);
    PrepareChunk(f, base, n, s, ch);
    prog.Run(ch, s.regs.data());
    for (size_t i = 0; i < n; ++i) {
      const size_t p = ch.person ? ch.person[i] : base + i;
      (*eligibility)[p] = Program::At(prog.output(0), s.regs.data(), i);
      (*amount)[p] = Program::At(prog.output(1), s.regs.data(), i);
    }
  }
}

std::vector<Beneficiary> Evaluator::Select() const {
  const Impl& im = *impl_;
  auto ranges = im.Ranges();
  std::vector<SelectSink> sinks(ranges.size());
  RunRanges(ranges, [&](size_t i, size_t begin, size_t end) {
    im.Scan(begin, end, sinks[i]);
  });
  size_t total = 0;
  for (const SelectSink& s : sinks) total += s.out.size();
  std::vector<Beneficiary> out;
  out.reserve(total);
  for (const SelectSink& s : sinks) {
    out.insert(out.end(), s.out.begin(), s.out.end());
  }
  return out;
}

Result<Explanation> Evaluator::Explain(int32_t person,
                                       Language language) const {
  const Impl& im = *impl_;
  if (person < 0 || static_cast<size_t>(person) >= im.frame().persons()) {
    return Status::InvalidArgument(
        "person index " + std::to_string(person) + " is out of range (" +
            std::to_string(im.frame().persons()) + " persons)",
        "person");
  }
  return ExplainPerson(im.rule, im.binding, person, language);
}

const Frame& Evaluator::frame() const { return impl_->frame(); }
const Rule& Evaluator::rule() const { return impl_->rule; }

}  // namespace malchin::rules
