#include "rules/catalog.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/date.h"
#include "core/text.h"
#include "rules/event.h"

namespace malchin::rules {
namespace {

constexpr Type kBoolT{BaseType::kBool};
constexpr Type kNumberT{BaseType::kNumber};
constexpr Type kDateT{BaseType::kDate};
constexpr Type kSeverityT{BaseType::kSeverity};
constexpr Type kSexT{BaseType::kSex};
constexpr Type kRelationT{BaseType::kRelation};
constexpr Type kSoumListT{BaseType::kList, BaseType::kNumber};

// Indexed by Field.
constexpr FieldInfo kFields[] = {
    {Field::kAge, "age", kNumberT, "age", "нас"},
    {Field::kAgeMonths, "age_months", kNumberT, "age in months",
     "нас (сараар)"},
    {Field::kBirthDate, "birth_date", kDateT, "birth date", "төрсөн огноо"},
    {Field::kSex, "sex", kSexT, "sex", "хүйс"},
    {Field::kRelation, "relation", kRelationT, "relation to the head",
     "өрхийн тэргүүнтэй хамаарал"},
    {Field::kDisability, "disability", kBoolT, "disability",
     "хөгжлийн бэрхшээл"},
    {Field::kHerder, "herder", kBoolT, "herder", "малчин"},
    {Field::kSoum, "soum", kNumberT, "soum of registration", "бүртгэлтэй сум"},
    {Field::kCurrentSoum, "current_soum", kNumberT, "current soum",
     "одоо байгаа сум"},
    {Field::kAimag, "aimag", kNumberT, "aimag of registration",
     "бүртгэлтэй аймаг"},
    {Field::kCurrentAimag, "current_aimag", kNumberT, "current aimag",
     "одоо байгаа аймаг"},
    {Field::kHouseholdSize, "household.size", kNumberT, "household size",
     "өрхийн гишүүдийн тоо"},
    {Field::kHouseholdHerder, "household.herder", kBoolT, "herder household",
     "малчин өрх"},
    {Field::kHouseholdFemaleHead, "household.female_head", kBoolT,
     "female-headed household", "эмэгтэй тэргүүнтэй өрх"},
    {Field::kHouseholdHeadSex, "household.head.sex", kSexT,
     "sex of the household head", "өрхийн тэргүүний хүйс"},
    {Field::kHouseholdHeadAge, "household.head.age", kNumberT,
     "age of the household head", "өрхийн тэргүүний нас"},
    {Field::kHouseholdSheepUnits, "household.sheep_units", kNumberT,
     "household herd in sheep units", "өрхийн мал (хонин толгойгоор)"},
    {Field::kHouseholdLivestock, "household.livestock", kNumberT,
     "household livestock (head)", "өрхийн малын тоо (толгой)"},
    {Field::kHouseholdCamels, "household.camels", kNumberT, "camels", "тэмээ"},
    {Field::kHouseholdHorses, "household.horses", kNumberT, "horses", "адуу"},
    {Field::kHouseholdCattle, "household.cattle", kNumberT, "cattle", "үхэр"},
    {Field::kHouseholdSheep, "household.sheep", kNumberT, "sheep", "хонь"},
    {Field::kHouseholdGoats, "household.goats", kNumberT, "goats", "ямаа"},
    {Field::kEventSeverity, "event.severity", kSeverityT, "event severity",
     "гамшгийн зэрэг"},
    {Field::kEventCurrentSeverity, "event.current_severity", kSeverityT,
     "event severity where the household is now",
     "одоо байгаа суманд гамшгийн зэрэг"},
    {Field::kEventSoums, "event.soums", kSoumListT, "soums of the event",
     "гамшигт өртсөн сумд"},
};
static_assert(std::size(kFields) == kFieldCount);

constexpr ConstantInfo kConstants[] = {
    {"true", kBoolT, 1},
    {"false", kBoolT, 0},
    {"none", kSeverityT, 0},
    {"low", kSeverityT, 1},
    {"medium", kSeverityT, 2},
    {"high", kSeverityT, 3},
    {"very_high", kSeverityT, 4},
    {"female", kSexT, 0},
    {"male", kSexT, 1},
    {"F", kSexT, 0},
    {"M", kSexT, 1},
    {"head", kRelationT, 0},
    {"spouse", kRelationT, 1},
    {"child", kRelationT, 2},
    {"parent", kRelationT, 3},
    {"sibling", kRelationT, 4},
    {"grandchild", kRelationT, 5},
    {"other", kRelationT, 6},
};

constexpr FuncInfo kFuncs[] = {
    {Func::kHas, "has", 1, 1},     {Func::kMin, "min", 2, -1},
    {Func::kMax, "max", 2, -1},    {Func::kRound, "round", 1, 1},
    {Func::kFloor, "floor", 1, 1}, {Func::kCeil, "ceil", 1, 1},
    {Func::kAbs, "abs", 1, 1},
};

constexpr std::string_view kSeverityMn[] = {"байхгүй", "бага", "дунд", "өндөр",
                                            "маш өндөр"};
constexpr std::string_view kRelationNames[] = {
    "head", "spouse", "child", "parent", "sibling", "grandchild", "other"};
constexpr std::string_view kRelationMn[] = {"тэргүүн", "эхнэр/нөхөр", "хүүхэд",
                                            "эцэг/эх", "ах/эгч/дүү",  "ач/зээ",
                                            "бусад"};

// Optimal string alignment distance: insertions, deletions, substitutions
// and adjacent transpositions ("aeg" -> "age") each cost one.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> pp(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], pp[j - 2] + 1);
      }
    }
    std::swap(pp, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "?";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::string TypeName(Type t) {
  switch (t.base) {
    case BaseType::kError:
      return "an invalid value";
    case BaseType::kBool:
      return "yes/no";
    case BaseType::kNumber:
      return "number";
    case BaseType::kText:
      return "text";
    case BaseType::kDate:
      return "date";
    case BaseType::kSeverity:
      return "severity";
    case BaseType::kSex:
      return "sex";
    case BaseType::kRelation:
      return "relation";
    case BaseType::kAny:
      return "anything";
    case BaseType::kList:
      if (t.elem == BaseType::kAny) return "empty list";
      if (t.elem == BaseType::kSex) return "list of sexes";
      if (t.elem == BaseType::kSeverity) return "list of severities";
      if (t.elem == BaseType::kBool) return "list of yes/no values";
      return "list of " + TypeName(Type{t.elem}) + "s";
  }
  return "?";
}

std::string_view ArithOpText(ArithOp op) {
  constexpr std::string_view k[] = {"+", "-", "*", "/"};
  return k[static_cast<int>(op)];
}

std::string_view CompareOpText(CompareOp op) {
  constexpr std::string_view k[] = {"==", "!=", "<", "<=", ">", ">="};
  return k[static_cast<int>(op)];
}

std::span<const FieldInfo> Fields() { return kFields; }
const FieldInfo& InfoOf(Field f) { return kFields[static_cast<int>(f)]; }
const FieldInfo* FindField(std::string_view name) {
  for (const FieldInfo& f : kFields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::span<const ConstantInfo> Constants() { return kConstants; }
const ConstantInfo* FindConstant(std::string_view name) {
  for (const ConstantInfo& c : kConstants) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::span<const FuncInfo> Funcs() { return kFuncs; }
const FuncInfo* FindFunc(std::string_view name) {
  for (const FuncInfo& f : kFuncs) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string ValueName(Type t, double v, bool mongolian) {
  if (std::isnan(v)) return mongolian ? "тодорхойгүй" : "unknown";
  switch (t.base) {
    case BaseType::kBool:
      if (v == 0.5) return mongolian ? "тодорхойгүй" : "unknown";
      if (mongolian) return v != 0 ? "тийм" : "үгүй";
      return v != 0 ? "yes" : "no";
    case BaseType::kDate:
      if (v >= -25567 && v <= 84005) {  // 1900-01-01 .. 2199-12-31.
        return Date::FromDays(static_cast<int32_t>(v)).ToString();
      }
      return FormatNumber(v);
    case BaseType::kSeverity:
      if (v >= 0 && v <= 4) {
        int i = static_cast<int>(v);
        return std::string(mongolian ? kSeverityMn[i]
                                     : SeverityName(static_cast<Severity>(i)));
      }
      return FormatNumber(v);
    case BaseType::kSex:
      if (mongolian) return v == 0 ? "эмэгтэй" : "эрэгтэй";
      return v == 0 ? "F" : "M";
    case BaseType::kRelation:
      if (v >= 0 && v <= 6) {
        int i = static_cast<int>(v);
        return std::string(mongolian ? kRelationMn[i] : kRelationNames[i]);
      }
      return FormatNumber(v);
    default:
      return FormatNumber(v);
  }
}

std::optional<double> ParseEnumText(BaseType t, std::string_view text) {
  std::string s = text::ToLower(text);
  switch (t) {
    case BaseType::kSex:
      if (s == "f" || s == "female") return 0;
      if (s == "m" || s == "male") return 1;
      return std::nullopt;
    case BaseType::kSeverity: {
      auto sev = ParseSeverity(s);
      if (!sev.ok()) return std::nullopt;
      return static_cast<double>(*sev);
    }
    case BaseType::kRelation:
      for (size_t i = 0; i < std::size(kRelationNames); ++i) {
        if (kRelationNames[i] == s) return static_cast<double>(i);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string EnumChoices(BaseType t) {
  switch (t) {
    case BaseType::kSex:
      return "\"F\" or \"M\" (or female, male)";
    case BaseType::kSeverity:
      return "none, low, medium, high or very_high";
    case BaseType::kRelation:
      return "head, spouse, child, parent, sibling, grandchild or other";
    default:
      return "";
  }
}

std::string Suggest(std::string_view name,
                    const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = 0;
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, name.size() / 3));
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d <= limit && (best.empty() || d < best_d)) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::string_view SeverityName(Severity s) {
  constexpr std::string_view k[] = {"none", "low", "medium", "high",
                                    "very_high"};
  return k[static_cast<int>(s)];
}

Result<Severity> ParseSeverity(std::string_view text) {
  std::string s = text::ToLower(text);
  for (char& c : s) {
    if (c == ' ' || c == '-') c = '_';
  }
  for (int i = 0; i <= static_cast<int>(Severity::kVeryHigh); ++i) {
    if (SeverityName(static_cast<Severity>(i)) == s) {
      return static_cast<Severity>(i);
    }
  }
  return Status::InvalidArgument("'" + std::string(text) +
                                     "' is not a severity; expected none, "
                                     "low, medium, high or very_high",
                                 "severity");
}

}  // namespace malchin::rules
