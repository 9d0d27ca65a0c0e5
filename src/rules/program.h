// Program: a checked expression compiled for fast evaluation over the whole
// register (internal to rules/).
//
// The evaluator walks the register in chunks of kChunk persons, in the
// frame's household order. A Program is a flat list of column operations;
// each instruction reads and writes whole registers of kChunk doubles, so
// the work per person is a few tight, branch-free loops and no tree walk.
//
// Value encoding (as the Interpreter's, without its explicit flags):
// numbers, dates and enumeration codes are doubles and NaN is unknown;
// yes/no is 0 or 1 and 0.5 is unknown, so Kleene 'and' is min, 'or' is max
// and 'not' is 1 - x. Every operation propagates unknowns, whatever the
// checker inferred, so the result always equals the Interpreter's.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "rules/binding.h"

namespace malchin::rules {

inline constexpr size_t kChunk = 1024;

enum class Op : uint8_t {
  kLoadAge,
  kLoadAgeMonths,
  kLoadPersonI32,  // ptr: int32 column by person.
  kLoadPersonU8,   // ptr: uint8 column by person.
  kLoadPersonF64,  // ptr: double column by person.
  kLoadHhI32,      // ptr: int32 column by household; stride in elements.
  kLoadHhU8,
  kLoadHhF64,
  kLoadHerd,     // ptr: registry::Herd by household; stride: species.
  kSeverityOf,   // a: soum code; ptr: severity table by code.
  kBoolUnknown,  // a: NaN -> 0.5 (yes/no extension columns).
  kNeg,
  kNot,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMin,
  kMax,
  kRound,
  kFloor,
  kCeil,
  kAbs,
  kEq,
  kNe,
  kLt,
  kLe,
  kEqBool,  // Yes/no operands: 0.5 is unknown.
  kNeBool,
  kAnd,
  kOr,
  kSelect,  // a ? b : c; unknown a gives `imm`.
  kInBitmap,
  kInSorted,
  kHasNumber,
  kHasBool,
};

// A register, or an immediate when reg < 0.
struct Operand {
  int32_t reg = -1;
  double imm = 0;
  bool is_imm() const { return reg < 0; }
};

struct Instr {
  Op op = Op::kNeg;
  int32_t dst = 0;
  Operand a, b, c;
  const void* ptr = nullptr;
  int32_t stride = 1;
  double imm = 0;
};

// An integer set for 'in': a bitmap when the values are whole numbers in a
// small range, else a sorted array.
struct ValueSet {
  double lo = 0;
  uint64_t size = 0;
  std::vector<uint64_t> bits;
  std::vector<double> sorted;
};

// The positions of one chunk.
struct Chunk {
  size_t base = 0;                  // First position.
  size_t n = 0;                     // <= kChunk.
  const int32_t* person = nullptr;  // Person at each position; nullptr when
                                    // the frame is identity (base + i).
  const int32_t* household = nullptr;
};

class Program {
 public:
  // Compiles `roots` into one program: the value of roots[i] ends up in
  // output(i). Constant subtrees are folded with the Interpreter; columns
  // come from `b` (and `household_counts`: a per-household column for each
  // kHouseholdCount node in the trees). `b` and the columns must outlive
  // the program.
  Program(const Binding& b, const std::vector<const Node*>& roots,
          const std::unordered_map<const Node*, std::vector<double>>&
              household_counts);

  int registers() const { return registers_; }
  const Operand& output(size_t i) const { return outputs_[i]; }
  // Runs the program over one chunk. `regs` holds registers() * kChunk
  // doubles. Thread-safe (const); each thread brings its own registers.
  void Run(const Chunk& chunk, double* regs) const;
  // The value of output i at position i of the chunk after Run.
  static double At(const Operand& o, const double* regs, size_t i) {
    return o.is_imm() ? o.imm : regs[o.reg * kChunk + i];
  }

 private:
  Operand Compile(const Node& n);
  Operand Emit(Op op, Operand a, Operand b = {}, Operand c = {},
               const void* ptr = nullptr, int32_t stride = 1, double imm = 0);
  // As Emit, but `a` stays allocated (it is used again).
  Operand EmitKeepingA(Op op, Operand a, Operand b);
  Operand Load(Op op, const void* ptr, int32_t stride = 1);
  Operand Fold(const Node& n);
  Operand CompileIn(const Node& n);
  int32_t Alloc();
  void Free(const Operand& o);

  const Binding& b_;
  const std::unordered_map<const Node*, std::vector<double>>& counts_;
  std::vector<Instr> code_;
  std::vector<Operand> outputs_;
  std::vector<std::unique_ptr<ValueSet>> sets_;
  std::vector<int32_t> free_;
  int32_t registers_ = 0;
};

}  // namespace malchin::rules
