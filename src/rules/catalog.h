// The built-in vocabulary of the rule language (internal to rules/): fields,
// named constants and functions, with the descriptions explanations use.
// docs/rules.md is the user-facing version of these tables; keep them in
// step.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ast.h"

namespace malchin::rules {

struct FieldInfo {
  Field field;
  std::string_view name;  // As written in rules: "household.size".
  Type type;
  std::string_view en;  // "household size"
  std::string_view mn;  // "өрхийн гишүүдийн тоо"
};
std::span<const FieldInfo> Fields();
const FieldInfo& InfoOf(Field f);
const FieldInfo* FindField(std::string_view name);

struct ConstantInfo {
  std::string_view name;  // "high", "female", "head", "true"
  Type type;
  double value;
};
std::span<const ConstantInfo> Constants();
const ConstantInfo* FindConstant(std::string_view name);

struct FuncInfo {
  Func func;
  std::string_view name;
  int min_args, max_args;  // max_args < 0: unbounded.
};
std::span<const FuncInfo> Funcs();
const FuncInfo* FindFunc(std::string_view name);

// Names spelled as calls that the checker handles itself.
inline constexpr std::string_view kParamFunc = "param";
inline constexpr std::string_view kDateFunc = "date";
inline constexpr std::string_view kChildrenFunc = "household.children";
inline constexpr std::string_view kCountFunc = "household.count";

// Value names for explanations: "high", "F", "head", "yes".
std::string ValueName(Type t, double v, bool mongolian = false);
// Parses an enumeration value written as text ("F", "female", "high",
// "very high", "head"); nullopt if `text` names no value of `t`.
std::optional<double> ParseEnumText(BaseType t, std::string_view text);
// The accepted spellings of an enumeration, for messages.
std::string EnumChoices(BaseType t);

// Closest of `candidates` to `name` by edit distance, if close enough to be
// a plausible typo; "" otherwise.
std::string Suggest(std::string_view name,
                    const std::vector<std::string>& candidates);

}  // namespace malchin::rules
