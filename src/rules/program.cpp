#include "rules/program.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace malchin::rules {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Operand Imm(double v) {
  Operand o;
  o.imm = v;
  return o;
}

template <class T>
void LoadPerson(const T* col, const Chunk& ch, double* out) {
  if (ch.person == nullptr) {
    const T* c = col + ch.base;
    for (size_t i = 0; i < ch.n; ++i) out[i] = static_cast<double>(c[i]);
  } else {
    for (size_t i = 0; i < ch.n; ++i) {
      out[i] = static_cast<double>(col[ch.person[i]]);
    }
  }
}

template <class T>
void LoadHousehold(const T* col, const Chunk& ch, double* out) {
  for (size_t i = 0; i < ch.n; ++i) {
    out[i] = static_cast<double>(col[ch.household[i]]);
  }
}

template <class F>
void Map1(const double* a, double* out, size_t n, F f) {
  for (size_t i = 0; i < n; ++i) out[i] = f(a[i]);
}

template <class F>
void Map2(const Operand& a, const Operand& b, const double* regs, double* out,
          size_t n, F f) {
  const double* pa = a.is_imm() ? nullptr : regs + a.reg * kChunk;
  const double* pb = b.is_imm() ? nullptr : regs + b.reg * kChunk;
  if (pa && pb) {
    for (size_t i = 0; i < n; ++i) out[i] = f(pa[i], pb[i]);
  } else if (pa) {
    const double y = b.imm;
    for (size_t i = 0; i < n; ++i) out[i] = f(pa[i], y);
  } else if (pb) {
    const double x = a.imm;
    for (size_t i = 0; i < n; ++i) out[i] = f(x, pb[i]);
  } else {
    const double v = f(a.imm, b.imm);
    for (size_t i = 0; i < n; ++i) out[i] = v;
  }
}

// Three-valued comparison: unknown (NaN) operands give 0.5.
template <class Cmp>
double Compare3(double x, double y, Cmp cmp) {
  if (x != x || y != y) return 0.5;
  return cmp(x, y) ? 1.0 : 0.0;
}

bool Contains(const ValueSet& s, double x) {
  if (!s.bits.empty() || s.size > 0) {
    double d = x - s.lo;
    if (!(d >= 0 && d < static_cast<double>(s.size))) return false;
    uint64_t k = static_cast<uint64_t>(d);
    if (static_cast<double>(k) != d) return false;
    return (s.bits[k >> 6] >> (k & 63)) & 1;
  }
  return std::binary_search(s.sorted.begin(), s.sorted.end(), x);
}

}  // namespace

Program::Program(
    const Binding& b, const std::vector<const Node*>& roots,
    const std::unordered_map<const Node*, std::vector<double>>& counts)
    : b_(b), counts_(counts) {
  for (const Node* r : roots) outputs_.push_back(Compile(*r));
}

int32_t Program::Alloc() {
  if (!free_.empty()) {
    int32_t r = free_.back();
    free_.pop_back();
    return r;
  }
  return registers_++;
}

void Program::Free(const Operand& o) {
  if (!o.is_imm()) free_.push_back(o.reg);
}

Operand Program::Emit(Op op, Operand a, Operand b, Operand c, const void* ptr,
                      int32_t stride, double imm) {
  // Inputs are dead after this instruction; kernels are element-wise, so
  // the destination may reuse an input's register.
  Free(a);
  Free(b);
  Free(c);
  Instr in;
  in.op = op;
  in.dst = Alloc();
  in.a = a;
  in.b = b;
  in.c = c;
  in.ptr = ptr;
  in.stride = stride;
  in.imm = imm;
  code_.push_back(in);
  Operand out;
  out.reg = in.dst;
  return out;
}

Operand Program::EmitKeepingA(Op op, Operand a, Operand b) {
  Free(b);
  Instr in;
  in.op = op;
  in.dst = Alloc();
  in.a = a;
  in.b = b;
  code_.push_back(in);
  Operand out;
  out.reg = in.dst;
  return out;
}

Operand Program::Load(Op op, const void* ptr, int32_t stride) {
  return Emit(op, {}, {}, {}, ptr, stride);
}

Operand Program::Fold(const Node& n) {
  Value v = Interpreter(b_).Eval(n, -1);
  if (v.known) return Imm(v.x);
  return Imm(n.type.base == BaseType::kBool ? 0.5 : kNaN);
}

Operand Program::Compile(const Node& n) {
  if (n.constant && n.type.base != BaseType::kList) return Fold(n);
  const Frame& f = *b_.frame;
  const registry::Population& pop = f.population();
  switch (n.kind) {
    case NodeKind::kConst:
      return Imm(n.number);
    case NodeKind::kParam:
      return Fold(n);
    case NodeKind::kField:
      switch (n.field()) {
        case Field::kAge:
          return Load(Op::kLoadAge, f.ages().data());
        case Field::kAgeMonths:
          return Load(Op::kLoadAgeMonths, &f);
        case Field::kBirthDate:
          return Load(Op::kLoadPersonI32, pop.birth_days.data());
        case Field::kSex:
          return Load(Op::kLoadPersonU8, pop.sex.data());
        case Field::kRelation:
          return Load(Op::kLoadPersonU8, pop.relation.data());
        case Field::kDisability:
          return Load(Op::kLoadPersonU8, pop.disability.data());
        case Field::kHerder:
          return Load(Op::kLoadPersonU8, pop.herder.data());
        case Field::kSoum:
          return Load(Op::kLoadHhI32, pop.soum_code.data());
        case Field::kCurrentSoum:
          return Load(Op::kLoadHhI32, pop.current_soum_code.data());
        case Field::kAimag:
          return Load(Op::kLoadHhI32, f.aimags().data());
        case Field::kCurrentAimag:
          return Load(Op::kLoadHhI32, f.current_aimags().data());
        case Field::kHouseholdSize:
          return Load(Op::kLoadHhI32, f.sizes().data());
        case Field::kHouseholdHerder:
          return Load(Op::kLoadHhU8, pop.household_herder.data());
        case Field::kHouseholdFemaleHead:
          return Load(Op::kLoadHhU8, f.female_heads().data());
        case Field::kHouseholdHeadSex:
          return Load(Op::kLoadHhF64, f.head_sexes().data());
        case Field::kHouseholdHeadAge:
          return Load(Op::kLoadHhF64, f.head_ages().data());
        case Field::kHouseholdSheepUnits:
          return Load(Op::kLoadHhF64, f.sheep_units().data());
        case Field::kHouseholdLivestock:
          return Load(Op::kLoadHhF64, f.livestock().data());
        case Field::kHouseholdCamels:
        case Field::kHouseholdHorses:
        case Field::kHouseholdCattle:
        case Field::kHouseholdSheep:
        case Field::kHouseholdGoats: {
          // Heads of one species: `stride` is the species index.
          int32_t species = static_cast<int32_t>(n.field()) -
                            static_cast<int32_t>(Field::kHouseholdCamels);
          return Load(Op::kLoadHerd, pop.herd.data(), species);
        }
        case Field::kEventSeverity:
        case Field::kEventCurrentSeverity: {
          Operand soum =
              Load(Op::kLoadHhI32, n.field() == Field::kEventSeverity
                                       ? pop.soum_code.data()
                                       : pop.current_soum_code.data());
          return Emit(Op::kSeverityOf, soum, {}, {}, b_.severity.data());
        }
        case Field::kEventSoums:
          break;  // Only inside 'in' (CompileIn).
      }
      return Imm(kNaN);
    case NodeKind::kExtension: {
      const BoundColumn& c = b_.columns.at(&n);
      Operand v =
          Load(c.scope == Scope::kPerson ? Op::kLoadPersonF64 : Op::kLoadHhF64,
               c.values->data());
      if (c.kind == ColumnKind::kBool) return Emit(Op::kBoolUnknown, v);
      return v;
    }
    case NodeKind::kHouseholdCount:
      return Load(Op::kLoadHhF64, counts_.at(&n).data());
    case NodeKind::kNeg:
      return Emit(Op::kNeg, Compile(*n.kids[0]));
    case NodeKind::kNot:
      return Emit(Op::kNot, Compile(*n.kids[0]));
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      Op op = n.kind == NodeKind::kAnd ? Op::kAnd : Op::kOr;
      Operand acc = Compile(*n.kids[0]);
      for (size_t i = 1; i < n.kids.size(); ++i) {
        Operand k = Compile(*n.kids[i]);
        acc = Emit(op, acc, k);
      }
      return acc;
    }
    case NodeKind::kArith: {
      Operand a = Compile(*n.kids[0]);
      Operand b = Compile(*n.kids[1]);
      constexpr Op kOps[] = {Op::kAdd, Op::kSub, Op::kMul, Op::kDiv};
      return Emit(kOps[n.op], a, b);
    }
    case NodeKind::kCompare: {
      Operand a = Compile(*n.kids[0]);
      Operand b = Compile(*n.kids[1]);
      bool is_bool = n.kids[0]->type.base == BaseType::kBool;
      switch (static_cast<CompareOp>(n.op)) {
        case CompareOp::kEq:
          return Emit(is_bool ? Op::kEqBool : Op::kEq, a, b);
        case CompareOp::kNe:
          return Emit(is_bool ? Op::kNeBool : Op::kNe, a, b);
        case CompareOp::kLt:
          return Emit(Op::kLt, a, b);
        case CompareOp::kLe:
          return Emit(Op::kLe, a, b);
        case CompareOp::kGt:
          return Emit(Op::kLt, b, a);
        case CompareOp::kGe:
          return Emit(Op::kLe, b, a);
      }
      return Imm(0.5);
    }
    case NodeKind::kIn:
      return CompileIn(n);
    case NodeKind::kIf: {
      if (n.kids[0]->constant) {
        Operand c = Fold(*n.kids[0]);
        if (c.imm == 1) return Compile(*n.kids[1]);
        if (c.imm == 0) return Compile(*n.kids[2]);
        return Imm(n.type.base == BaseType::kBool ? 0.5 : kNaN);
      }
      Operand c = Compile(*n.kids[0]);
      Operand a = Compile(*n.kids[1]);
      Operand b = Compile(*n.kids[2]);
      return Emit(Op::kSelect, c, a, b, nullptr, 1,
                  n.type.base == BaseType::kBool ? 0.5 : kNaN);
    }
    case NodeKind::kFunc: {
      Func fn = n.func();
      if (fn == Func::kHas) {
        bool is_bool = n.kids[0]->type.base == BaseType::kBool;
        return Emit(is_bool ? Op::kHasBool : Op::kHasNumber,
                    Compile(*n.kids[0]));
      }
      if (fn == Func::kMin || fn == Func::kMax) {
        Operand acc = Compile(*n.kids[0]);
        for (size_t i = 1; i < n.kids.size(); ++i) {
          Operand k = Compile(*n.kids[i]);
          acc = Emit(fn == Func::kMin ? Op::kMin : Op::kMax, acc, k);
        }
        return acc;
      }
      Operand a = Compile(*n.kids[0]);
      switch (fn) {
        case Func::kRound:
          return Emit(Op::kRound, a);
        case Func::kFloor:
          return Emit(Op::kFloor, a);
        case Func::kCeil:
          return Emit(Op::kCeil, a);
        default:
          return Emit(Op::kAbs, a);
      }
    }
    default:
      return Imm(kNaN);
  }
}

Operand Program::CompileIn(const Node& n) {
  const Node& left = *n.kids[0];
  const Node& list = *n.kids[1];
  // A list of known constants (or the event's soums) becomes a set lookup.
  std::vector<double> values;
  bool constant = left.type.base != BaseType::kBool;
  if (list.kind == NodeKind::kField) {
    values = b_.event_soums;
  } else {
    Interpreter interp(b_);
    for (const NodePtr& e : list.kids) {
      if (!constant || !e->constant) {
        constant = false;
        break;
      }
      Value v = interp.Eval(*e, -1);
      if (!v.known) {
        constant = false;
        break;
      }
      values.push_back(v.x);
    }
  }
  Operand result;
  if (constant) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    auto set = std::make_unique<ValueSet>();
    bool whole = std::all_of(values.begin(), values.end(), [](double v) {
      return v == std::floor(v) && std::fabs(v) < 1e15;
    });
    if (!values.empty() && whole &&
        values.back() - values.front() < (1 << 22)) {
      set->lo = values.front();
      set->size = static_cast<uint64_t>(values.back() - values.front()) + 1;
      set->bits.assign((set->size + 63) / 64, 0);
      for (double v : values) {
        uint64_t k = static_cast<uint64_t>(v - set->lo);
        set->bits[k >> 6] |= uint64_t{1} << (k & 63);
      }
    } else {
      set->sorted = std::move(values);
    }
    const ValueSet* ptr = set.get();
    sets_.push_back(std::move(set));
    result = Emit(Op::kInSorted, Compile(left), {}, {}, ptr);
    if (!ptr->bits.empty()) code_.back().op = Op::kInBitmap;
  } else {
    // Some element varies by person (or x is yes/no, whose unknown is 0.5):
    // (x == e1) or (x == e2) or ...
    const Op eq = left.type.base == BaseType::kBool ? Op::kEqBool : Op::kEq;
    Operand x = Compile(left);
    if (list.kids.empty()) {
      // Unknown x stays unknown; otherwise false. (2 is no yes/no value.)
      result = Emit(eq, x, Imm(2));
    } else {
      for (size_t i = 0; i < list.kids.size(); ++i) {
        Operand v = Compile(*list.kids[i]);
        Operand hit = EmitKeepingA(eq, x, v);
        result = i == 0 ? hit : Emit(Op::kOr, result, hit);
      }
      Free(x);
    }
  }
  if (n.op == 1) result = Emit(Op::kNot, result);
  return result;
}

void Program::Run(const Chunk& ch, double* regs) const {
  const size_t n = ch.n;
  for (const Instr& in : code_) {
    double* out = regs + in.dst * kChunk;
    // The first operand of a unary operation; an immediate (constants are
    // folded, so only in degenerate programs) is materialised in `out`.
    auto first = [&]() -> const double* {
      if (!in.a.is_imm()) return regs + in.a.reg * kChunk;
      std::fill(out, out + n, in.a.imm);
      return out;
    };
    switch (in.op) {
      case Op::kLoadAge:
        LoadPerson(static_cast<const int16_t*>(in.ptr), ch, out);
        break;
      case Op::kLoadAgeMonths: {
        const Frame& f = *static_cast<const Frame*>(in.ptr);
        const int32_t* birth = f.population().birth_days.data();
        const int32_t* table = f.months_table().data();
        const int32_t lo = f.min_birth();
        for (size_t i = 0; i < n; ++i) {
          size_t p = ch.person ? ch.person[i] : ch.base + i;
          out[i] = table[birth[p] - lo];
        }
        break;
      }
      case Op::kLoadPersonI32:
        LoadPerson(static_cast<const int32_t*>(in.ptr), ch, out);
        break;
      case Op::kLoadPersonU8:
        LoadPerson(static_cast<const uint8_t*>(in.ptr), ch, out);
        break;
      case Op::kLoadPersonF64:
        LoadPerson(static_cast<const double*>(in.ptr), ch, out);
        break;
      case Op::kLoadHhI32:
        LoadHousehold(static_cast<const int32_t*>(in.ptr), ch, out);
        break;
      case Op::kLoadHhU8:
        LoadHousehold(static_cast<const uint8_t*>(in.ptr), ch, out);
        break;
      case Op::kLoadHhF64:
        LoadHousehold(static_cast<const double*>(in.ptr), ch, out);
        break;
      case Op::kLoadHerd: {
        const auto* herd = static_cast<const registry::Herd*>(in.ptr);
        const int species = in.stride;
        for (size_t i = 0; i < n; ++i) {
          out[i] = herd[ch.household[i]].head[species];
        }
        break;
      }
      case Op::kSeverityOf: {
        const double* a = first();
        const uint8_t* table = static_cast<const uint8_t*>(in.ptr);
        for (size_t i = 0; i < n; ++i) {
          double x = a[i];
          out[i] =
              x >= 0 && x < kSoumCodeLimit ? table[static_cast<int>(x)] : 0.0;
        }
        break;
      }
      case Op::kBoolUnknown: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) {
          double x = a[i];
          out[i] = x != x ? 0.5 : x;
        }
        break;
      }
      case Op::kNeg: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = -a[i];
        break;
      }
      case Op::kNot: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = 1.0 - a[i];
        break;
      }
      case Op::kAdd:
        Map2(in.a, in.b, regs, out, n,
             [](double x, double y) { return x + y; });
        break;
      case Op::kSub:
        Map2(in.a, in.b, regs, out, n,
             [](double x, double y) { return x - y; });
        break;
      case Op::kMul:
        Map2(in.a, in.b, regs, out, n,
             [](double x, double y) { return x * y; });
        break;
      case Op::kDiv:
        Map2(in.a, in.b, regs, out, n,
             [](double x, double y) { return y == 0 ? kNaN : x / y; });
        break;
      case Op::kMin:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return (x != x || y != y) ? kNaN : (y < x ? y : x);
        });
        break;
      case Op::kMax:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return (x != x || y != y) ? kNaN : (y > x ? y : x);
        });
        break;
      case Op::kRound: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = std::round(a[i]);
        break;
      }
      case Op::kFloor: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = std::floor(a[i]);
        break;
      }
      case Op::kCeil: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = std::ceil(a[i]);
        break;
      }
      case Op::kAbs: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = std::fabs(a[i]);
        break;
      }
      case Op::kEq:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return Compare3(x, y, [](double u, double v) { return u == v; });
        });
        break;
      case Op::kNe:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return Compare3(x, y, [](double u, double v) { return u != v; });
        });
        break;
      case Op::kLt:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return Compare3(x, y, [](double u, double v) { return u < v; });
        });
        break;
      case Op::kLe:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return Compare3(x, y, [](double u, double v) { return u <= v; });
        });
        break;
      case Op::kEqBool:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return (x == 0.5 || y == 0.5) ? 0.5 : (x == y ? 1.0 : 0.0);
        });
        break;
      case Op::kNeBool:
        Map2(in.a, in.b, regs, out, n, [](double x, double y) {
          return (x == 0.5 || y == 0.5) ? 0.5 : (x != y ? 1.0 : 0.0);
        });
        break;
      case Op::kAnd:
        Map2(in.a, in.b, regs, out, n,
             [](double x, double y) { return y < x ? y : x; });
        break;
      case Op::kOr:
        Map2(in.a, in.b, regs, out, n,
             [](double x, double y) { return y > x ? y : x; });
        break;
      case Op::kSelect: {
        // Not first(): the destination may share a register with b or c.
        const double* a = in.a.is_imm() ? nullptr : regs + in.a.reg * kChunk;
        const double* b = in.b.is_imm() ? nullptr : regs + in.b.reg * kChunk;
        const double* c = in.c.is_imm() ? nullptr : regs + in.c.reg * kChunk;
        for (size_t i = 0; i < n; ++i) {
          double x = a ? a[i] : in.a.imm;
          double yes = b ? b[i] : in.b.imm;
          double no = c ? c[i] : in.c.imm;
          out[i] = x == 1 ? yes : x == 0 ? no : in.imm;
        }
        break;
      }
      case Op::kInBitmap:
      case Op::kInSorted: {
        const double* a = first();
        const ValueSet& s = *static_cast<const ValueSet*>(in.ptr);
        for (size_t i = 0; i < n; ++i) {
          double x = a[i];
          out[i] = x != x ? 0.5 : Contains(s, x) ? 1.0 : 0.0;
        }
        break;
      }
      case Op::kHasNumber: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = a[i] == a[i] ? 1.0 : 0.0;
        break;
      }
      case Op::kHasBool: {
        const double* a = first();
        for (size_t i = 0; i < n; ++i) out[i] = a[i] != 0.5 ? 1.0 : 0.0;
        break;
      }
    }
  }
}

}  // namespace malchin::rules
