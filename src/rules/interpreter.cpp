#include <algorithm>
#include <cmath>

#include "rules/binding.h"

namespace malchin::rules {
namespace {

Value Bool(bool v) { return Value::Of(v ? 1 : 0); }

// Arithmetic can make NaN from infinities (inf - inf): that is unknown.
Value Num(double v) { return std::isnan(v) ? Value::Unknown() : Value::Of(v); }

// Completed months, written out from the calendar (not the frame's table).
int MonthsBetween(Date born, Date on) {
  return (on.year() - born.year()) * 12 + (on.month() - born.month()) -
         (on.day() < born.day() ? 1 : 0);
}

}  // namespace

Value Interpreter::FieldValue(Field f, int32_t p) const {
  const Frame& fr = *b_.frame;
  const registry::Population& pop = fr.population();
  if (f == Field::kEventSoums) {
    Value list = Value::Of(0);
    for (double s : b_.event_soums) list.items.push_back(Value::Of(s));
    return list;
  }
  if (p < 0) return Value::Unknown();
  const int32_t h = pop.household[p];
  const registry::Herd& herd = pop.herd[h];
  auto heads = [&](registry::Species s) {
    return Value::Of(static_cast<double>(herd[s]));
  };
  switch (f) {
    case Field::kAge:
      return Value::Of(Date::FromDays(pop.birth_days[p]).AgeOn(fr.as_of()));
    case Field::kAgeMonths:
      return Value::Of(
          MonthsBetween(Date::FromDays(pop.birth_days[p]), fr.as_of()));
    case Field::kBirthDate:
      return Value::Of(pop.birth_days[p]);
    case Field::kSex:
      return Value::Of(pop.sex[p]);
    case Field::kRelation:
      return Value::Of(pop.relation[p]);
    case Field::kDisability:
      return Bool(pop.disability[p] != 0);
    case Field::kHerder:
      return Bool(pop.herder[p] != 0);
    case Field::kSoum:
      return Value::Of(pop.soum_code[h]);
    case Field::kCurrentSoum:
      return Value::Of(pop.current_soum_code[h]);
    case Field::kAimag:
      return Value::Of(pop.soum_code[h] / 100);
    case Field::kCurrentAimag:
      return Value::Of(pop.current_soum_code[h] / 100);
    case Field::kHouseholdSize:
    case Field::kHouseholdFemaleHead:
    case Field::kHouseholdHeadSex:
    case Field::kHouseholdHeadAge: {
      // From the members themselves, not the frame's columns.
      int size = 0;
      int32_t head = -1;
      for (int32_t m : fr.Members(h)) {
        if (pop.birth_days[m] > fr.as_of().days()) continue;
        ++size;
        if (head < 0 && pop.relation[m] ==
                            static_cast<uint8_t>(registry::Relation::kHead)) {
          head = m;
        }
      }
      if (f == Field::kHouseholdSize) return Value::Of(size);
      if (f == Field::kHouseholdHeadSex) {
        return head < 0 ? Value::Unknown() : Value::Of(pop.sex[head]);
      }
      if (f == Field::kHouseholdHeadAge) {
        return head < 0 ? Value::Unknown()
                        : Value::Of(Date::FromDays(pop.birth_days[head])
                                        .AgeOn(fr.as_of()));
      }
      return Bool(head >= 0 && pop.sex[head] == static_cast<uint8_t>(
                                                    registry::Sex::kFemale));
    }
    case Field::kHouseholdHerder:
      return Bool(pop.household_herder[h] != 0);
    case Field::kHouseholdSheepUnits:
      return Value::Of(fr.sheep_unit_factors().Of(herd));
    case Field::kHouseholdLivestock:
      return Value::Of(static_cast<double>(herd.total()));
    case Field::kHouseholdCamels:
      return heads(registry::Species::kCamel);
    case Field::kHouseholdHorses:
      return heads(registry::Species::kHorse);
    case Field::kHouseholdCattle:
      return heads(registry::Species::kCattle);
    case Field::kHouseholdSheep:
      return heads(registry::Species::kSheep);
    case Field::kHouseholdGoats:
      return heads(registry::Species::kGoat);
    case Field::kEventSeverity:
      return Value::Of(static_cast<double>(b_.SeverityOf(pop.soum_code[h])));
    case Field::kEventCurrentSeverity:
      return Value::Of(
          static_cast<double>(b_.SeverityOf(pop.current_soum_code[h])));
    case Field::kEventSoums:
      break;  // Handled above.
  }
  return Value::Unknown();
}

Value Interpreter::ColumnValue(const Node& n, int32_t p) const {
  auto it = b_.columns.find(&n);
  if (it == b_.columns.end() || p < 0) return Value::Unknown();
  const BoundColumn& c = it->second;
  size_t row = c.scope == Scope::kPerson
                   ? static_cast<size_t>(p)
                   : static_cast<size_t>(b_.frame->population().household[p]);
  double v = (*c.values)[row];
  if (std::isnan(v)) return Value::Unknown();
  return Value::Of(v);
}

int64_t Interpreter::CountMembers(const Node& cond, int32_t p) const {
  const Frame& fr = *b_.frame;
  const registry::Population& pop = fr.population();
  int64_t count = 0;
  for (int32_t m : fr.Members(pop.household[p])) {
    if (pop.birth_days[m] > fr.as_of().days()) continue;
    if (Eval(cond, m).is_true()) ++count;
  }
  return count;
}

Value Interpreter::Eval(const Node& n, int32_t p) const {
  switch (n.kind) {
    case NodeKind::kConst:
      return Value::Of(n.number);
    case NodeKind::kField:
      return FieldValue(n.field(), p);
    case NodeKind::kExtension:
      return ColumnValue(n, p);
    case NodeKind::kParam: {
      auto it = b_.params.find(n.text);
      return it == b_.params.end() ? Value::Unknown() : Value::Of(it->second);
    }
    case NodeKind::kList: {
      Value list = Value::Of(0);
      for (const NodePtr& k : n.kids) list.items.push_back(Eval(*k, p));
      return list;
    }
    case NodeKind::kNeg: {
      Value a = Eval(*n.kids[0], p);
      return a.known ? Value::Of(-a.x) : a;
    }
    case NodeKind::kNot: {
      Value a = Eval(*n.kids[0], p);
      return a.known ? Bool(a.x == 0) : a;
    }
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      // Kleene: a decisive value (false for 'and', true for 'or') wins over
      // unknown; otherwise unknown wins over the other value.
      const bool is_and = n.kind == NodeKind::kAnd;
      bool unknown = false;
      for (const NodePtr& k : n.kids) {
        Value v = Eval(*k, p);
        if (!v.known) {
          unknown = true;
        } else if ((v.x == 1) != is_and) {
          return Bool(!is_and);
        }
      }
      return unknown ? Value::Unknown() : Bool(is_and);
    }
    case NodeKind::kArith: {
      Value a = Eval(*n.kids[0], p), b = Eval(*n.kids[1], p);
      if (!a.known || !b.known) return Value::Unknown();
      switch (static_cast<ArithOp>(n.op)) {
        case ArithOp::kAdd:
          return Num(a.x + b.x);
        case ArithOp::kSub:
          return Num(a.x - b.x);
        case ArithOp::kMul:
          return Num(a.x * b.x);
        case ArithOp::kDiv:
          if (b.x == 0) return Value::Unknown();
          return Num(a.x / b.x);
      }
      return Value::Unknown();
    }
    case NodeKind::kCompare: {
      Value a = Eval(*n.kids[0], p), b = Eval(*n.kids[1], p);
      if (!a.known || !b.known) return Value::Unknown();
      switch (static_cast<CompareOp>(n.op)) {
        case CompareOp::kEq:
          return Bool(a.x == b.x);
        case CompareOp::kNe:
          return Bool(a.x != b.x);
        case CompareOp::kLt:
          return Bool(a.x < b.x);
        case CompareOp::kLe:
          return Bool(a.x <= b.x);
        case CompareOp::kGt:
          return Bool(a.x > b.x);
        case CompareOp::kGe:
          return Bool(a.x >= b.x);
      }
      return Value::Unknown();
    }
    case NodeKind::kIn: {
      Value a = Eval(*n.kids[0], p);
      Value list = Eval(*n.kids[1], p);
      Value r;
      if (!a.known) {
        r = Value::Unknown();
      } else {
        bool unknown = false, found = false;
        for (const Value& item : list.items) {
          if (!item.known) {
            unknown = true;
          } else if (item.x == a.x) {
            found = true;
            break;
          }
        }
        r = found ? Bool(true) : unknown ? Value::Unknown() : Bool(false);
      }
      if (n.op == 1 && r.known) r = Bool(r.x == 0);
      return r;
    }
    case NodeKind::kIf: {
      Value c = Eval(*n.kids[0], p);
      if (!c.known) return Value::Unknown();
      return Eval(*n.kids[c.x == 1 ? 1 : 2], p);
    }
    case NodeKind::kFunc: {
      if (n.func() == Func::kHas) return Bool(Eval(*n.kids[0], p).known);
      std::vector<Value> args;
      for (const NodePtr& k : n.kids) {
        args.push_back(Eval(*k, p));
        if (!args.back().known) return Value::Unknown();
      }
      double x = args[0].x;
      switch (n.func()) {
        case Func::kMin:
          for (const Value& v : args) x = std::min(x, v.x);
          return Value::Of(x);
        case Func::kMax:
          for (const Value& v : args) x = std::max(x, v.x);
          return Value::Of(x);
        case Func::kRound:
          return Value::Of(std::round(x));
        case Func::kFloor:
          return Value::Of(std::floor(x));
        case Func::kCeil:
          return Value::Of(std::ceil(x));
        case Func::kAbs:
          return Value::Of(std::fabs(x));
        case Func::kHas:
          break;
      }
      return Value::Unknown();
    }
    case NodeKind::kHouseholdCount:
      if (p < 0) return Value::Unknown();
      return Value::Of(static_cast<double>(CountMembers(*n.kids[0], p)));
    default:
      // Unchecked kinds never reach here (Expression holds checked trees).
      return Value::Unknown();
  }
}

}  // namespace malchin::rules
