#include "rules/explain.h"

#include <algorithm>
#include <cmath>

#include "rules/catalog.h"
#include "rules/money.h"

namespace malchin::rules {
namespace {

class Tracer {
 public:
  Tracer(const Binding& b, Language lang)
      : b_(b), interp_(b), mn_(lang == Language::kMongolian) {}

  std::string_view L(std::string_view en, std::string_view mn) const {
    return mn_ ? mn : en;
  }

  std::string AsOf() const { return b_.frame->as_of().ToString(); }

  std::string Area(int32_t code, bool aimag) const {
    std::string c = std::to_string(code);
    if (!b_.geography) return c;
    const geo::Unit* u =
        aimag ? b_.geography->FindAimag(code) : b_.geography->FindSoum(code);
    if (!u) return c;
    return (mn_ ? u->name_mn : u->name_en) + " (" + c + ")";
  }

  std::string Verdict(const Value& v) const {
    if (!v.known) return std::string(L("[unknown]", "[тодорхойгүй]"));
    return v.x == 1 ? std::string(L("[yes]", "[тийм]"))
                    : std::string(L("[no]", "[үгүй]"));
  }

  std::string Show(Type t, const Value& v) const {
    if (!v.known) return std::string(L("missing", "мэдээлэлгүй"));
    return ValueName(t, v.x, mn_);
  }

  // One fact about a leaf the rule reads: "age on 2019-12-15 = 4".
  std::string Fact(const Node& n, int32_t p) const {
    const registry::Population& pop = b_.frame->population();
    const int32_t h = pop.household[p];
    switch (n.kind) {
      case NodeKind::kField: {
        const FieldInfo& info = InfoOf(n.field());
        Value v = interp_.FieldValue(n.field(), p);
        switch (n.field()) {
          case Field::kAge:
          case Field::kAgeMonths:
            if (mn_) {
              return AsOf() + " өдрийн байдлаар " + std::string(info.mn) +
                     " = " + Show(info.type, v);
            }
            return std::string(info.en) + " on " + AsOf() + " = " +
                   Show(info.type, v);
          case Field::kSoum:
          case Field::kCurrentSoum:
            return std::string(mn_ ? info.mn : info.en) + " = " +
                   Area(static_cast<int32_t>(v.x), false);
          case Field::kAimag:
          case Field::kCurrentAimag:
            return std::string(mn_ ? info.mn : info.en) + " = " +
                   Area(static_cast<int32_t>(v.x), true);
          case Field::kEventSeverity:
          case Field::kEventCurrentSeverity: {
            int32_t soum = n.field() == Field::kEventSeverity
                               ? pop.soum_code[h]
                               : pop.current_soum_code[h];
            std::string where = Area(soum, false);
            if (mn_) {
              return where + " сумын гамшгийн зэрэг = " + Show(info.type, v);
            }
            return "event severity in " + where +
                   (n.field() == Field::kEventCurrentSeverity
                        ? " (where the household is now)"
                        : "") +
                   " = " + Show(info.type, v);
          }
          case Field::kEventSoums: {
            std::string list;
            for (size_t i = 0; i < b_.event_soums.size() && i < 8; ++i) {
              list += (i ? ", " : "") +
                      Area(static_cast<int32_t>(b_.event_soums[i]), false);
            }
            if (b_.event_soums.size() > 8) {
              list += ", ... (" + std::to_string(b_.event_soums.size()) + ")";
            }
            if (list.empty()) list = std::string(L("none", "байхгүй"));
            return std::string(mn_ ? info.mn : info.en) + ": " + list;
          }
          default:
            return std::string(mn_ ? info.mn : info.en) + " = " +
                   Show(info.type, v);
        }
      }
      case NodeKind::kExtension: {
        auto it = b_.columns.find(&n);
        std::string desc =
            it != b_.columns.end() ? it->second.description : n.text;
        return desc + " = " + Show(n.type, interp_.ColumnValue(n, p));
      }
      case NodeKind::kParam: {
        Value v = interp_.Eval(n, p);
        if (mn_) {
          return "param(\"" + n.text + "\") " + AsOf() +
                 " өдрийн байдлаар = " + Show(n.type, v);
        }
        return "param(\"" + n.text + "\") on " + AsOf() + " = " +
               Show(n.type, v);
      }
      case NodeKind::kHouseholdCount: {
        Value v = interp_.Eval(n, p);
        if (n.op == 1) {
          std::string limit = Show(Type{BaseType::kNumber},
                                   interp_.Eval(*n.kids[0]->kids[1], p));
          if (mn_) return limit + " нас хүрээгүй гишүүд = " + Show(n.type, v);
          return "household members under " + limit + " = " + Show(n.type, v);
        }
        std::string cond(SpanText(*src_, *n.kids[0]));
        if (mn_)
          return "\"" + cond + "\" нөхцөлтэй гишүүд = " + Show(n.type, v);
        return "household members with " + cond + " = " + Show(n.type, v);
      }
      default:
        return "";
    }
  }

  // The leaves under `n` that read data, in order, without repeats.
  void CollectLeaves(const Node& n, std::vector<const Node*>& out) const {
    switch (n.kind) {
      case NodeKind::kField:
      case NodeKind::kExtension:
      case NodeKind::kParam:
      case NodeKind::kHouseholdCount: {
        // One fact per distinct text ("age" twice is said once).
        std::string text = Render(n);
        for (const Node* o : out) {
          if (Render(*o) == text) return;
        }
        out.push_back(&n);
        return;
      }
      default:
        for (const NodePtr& k : n.kids) CollectLeaves(*k, out);
    }
  }

  std::string Facts(const Node& n, int32_t p) const {
    std::vector<const Node*> leaves;
    CollectLeaves(n, leaves);
    std::string out;
    for (const Node* l : leaves) {
      std::string f = Fact(*l, p);
      if (f.empty()) continue;
      out += (out.empty() ? "" : "; ") + f;
    }
    return out;
  }

  void Line(int indent, const std::string& s) {
    out_ += std::string(indent, ' ') + s + "\n";
  }

  std::string Text(const Node& n) const {
    return std::string(SpanText(*src_, n));
  }

  void Condition(const Node& n, int32_t p, int indent) {
    Value v = interp_.Eval(n, p);
    switch (n.kind) {
      case NodeKind::kAnd:
      case NodeKind::kOr:
      case NodeKind::kNot:
        Line(indent, Verdict(v) + " " + Text(n));
        for (const NodePtr& k : n.kids) Condition(*k, p, indent + 2);
        return;
      case NodeKind::kIf: {
        Line(indent, Verdict(v) + " " + Text(n));
        Condition(*n.kids[0], p, indent + 2);
        Value c = interp_.Eval(*n.kids[0], p);
        if (c.known) Condition(*n.kids[c.x == 1 ? 1 : 2], p, indent + 2);
        return;
      }
      default: {
        std::string facts = Facts(n, p);
        Line(indent,
             Verdict(v) + " " + Text(n) + (facts.empty() ? "" : " — " + facts));
        return;
      }
    }
  }

  void Amount(const Node& n, int32_t p, int indent) {
    if (n.kind == NodeKind::kIf) {
      Condition(*n.kids[0], p, indent);
      Value c = interp_.Eval(*n.kids[0], p);
      if (!c.known) return;
      Line(indent, std::string(c.x == 1 ? L("→ then", "→ тийм бол")
                                        : L("→ else", "→ үгүй бол")) +
                       ":");
      Amount(*n.kids[c.x == 1 ? 1 : 2], p, indent + 2);
      return;
    }
    Value v = interp_.Eval(n, p);
    std::string facts = Facts(n, p);
    std::string value = Show(n.type, v);
    std::string text = Text(n);
    Line(indent, (text == value ? text : text + " = " + value) +
                     (facts.empty() ? "" : " — " + facts));
  }

  // The person's claim under the rule, as the evaluator computes it: their
  // rounded amount if they are tested and eligible, nullopt otherwise.
  std::optional<int64_t> Claim(const Rule& rule, int32_t p) const {
    const Frame& f = *b_.frame;
    if (!f.Born(p)) return std::nullopt;
    if (!interp_.Eval(rule.eligibility().root(), p).is_true()) {
      return std::nullopt;
    }
    Value a = interp_.Eval(rule.amount().root(), p);
    if (!a.known) return std::nullopt;
    return RoundMoney(a.x);
  }

  Explanation Run(const Rule& rule, int32_t p) {
    const Frame& f = *b_.frame;
    const registry::Population& pop = f.population();
    const int32_t h = pop.household[p];
    const RuleSpec& spec = rule.spec();
    Explanation ex;

    std::string head =
        std::string(L("Person #", "Иргэн #")) + std::to_string(p) + ", " +
        std::string(L("household ", "өрх ")) + pop.household_id[h] + " (" +
        Area(pop.soum_code[h], false) + "), " +
        std::string(L("reference date ", "тооцох огноо ")) + AsOf();
    if (!b_.event_name.empty()) {
      head += ", " + std::string(L("event: ", "гамшиг: ")) + b_.event_name;
    }
    Line(0, head);

    if (!f.Born(p)) {
      Line(0, std::string(L("Not yet born on ", "Төрөөгүй байна: ")) + AsOf() +
                  std::string(L(" → not a beneficiary.", " → хамрагдахгүй.")));
      return Finish(ex);
    }

    int32_t subject = p;
    if (spec.unit == Unit::kHousehold) {
      subject = f.Payee(h);
      Line(0,
           std::string(L("Household rule, tested on the payee #",
                         "Өрхийн нөхцөл, хүлээн авагч #")) +
               std::to_string(subject) + std::string(L("", " дээр шалгав")) +
               (subject == p ? std::string(L(" (this person)", " (энэ иргэн)"))
                             : ""));
    }

    src_ = &rule.eligibility().source();
    Line(0, std::string(L("Eligibility:", "Хамрагдах нөхцөл:")));
    const Node& cond = rule.eligibility().root();
    Condition(cond, subject, 2);
    Value e = interp_.Eval(cond, subject);
    if (!e.is_true()) {
      Line(0, e.known ? std::string(L("→ not eligible", "→ хамрагдахгүй"))
                      : std::string(L("→ unknown (a value is missing) → not "
                                      "eligible",
                                      "→ тодорхойгүй (мэдээлэл дутуу) → "
                                      "хамрагдахгүй")));
      return Finish(ex);
    }
    Line(0, std::string(L("→ eligible", "→ хамрагдана")));

    src_ = &rule.amount().source();
    Line(0, std::string(L("Amount:", "Дүн:")));
    Amount(rule.amount().root(), subject, 2);
    std::optional<int64_t> amount = Claim(rule, subject);
    if (!amount) {
      Line(0, std::string(L("→ amount unknown (a value is missing, a "
                            "division by zero or too large) → not paid",
                            "→ дүн тодорхойгүй → олгохгүй")));
      return Finish(ex);
    }
    Line(0, "→ " + std::to_string(*amount) + " " + std::string(L("MNT", "₮")));

    if (spec.cap_per_household) {
      // The same claims and sharing as the evaluator.
      std::vector<rules::Claim> claims;
      if (spec.unit == Unit::kHousehold) {
        claims.push_back({subject, pop.birth_days[subject], *amount});
      } else {
        for (int32_t m : f.Members(h)) {
          if (auto c = Claim(rule, m)) {
            claims.push_back({m, pop.birth_days[m], *c});
          }
        }
      }
      int64_t total = 0;
      for (const rules::Claim& c : claims) total += c.amount;
      const int64_t cap = *spec.cap_per_household;
      std::string capline =
          std::string(L("Household cap ", "Өрхийн дээд хэмжээ ")) +
          std::to_string(cap) + " " + std::string(L("MNT", "₮")) + " (" +
          std::string(spec.cap_order == CapOrder::kYoungestFirst
                          ? L("youngest first", "багаас нь эхлэн")
                          : L("proportional", "хувь тэнцүүлэн")) +
          "): " + std::to_string(claims.size()) +
          std::string(L(" eligible member(s) claim ",
                        " хамрагдсан гишүүний нийт дүн ")) +
          std::to_string(total);
      ApplyCap(claims, cap, spec.cap_order);
      for (const rules::Claim& c : claims) {
        if (c.person == subject) amount = c.amount;
      }
      if (total <= cap) {
        capline += std::string(L(", within the cap", ", хэтрээгүй"));
      } else {
        capline +=
            std::string(L(" → this person receives ", " → энэ иргэнд ")) +
            std::to_string(*amount);
      }
      Line(0, capline);
    }
    if (*amount == 0) {
      Line(0, std::string(L("Nothing to pay (0 MNT) → not a beneficiary.",
                            "Олгох дүн 0 → хамрагдахгүй.")));
      return Finish(ex);
    }
    if (subject != p) {
      Line(0, std::string(L("The household is eligible; the payment goes "
                            "to the payee #",
                            "Өрх хамрагдана; мөнгийг хүлээн авагч #")) +
                  std::to_string(subject) +
                  std::string(L(", not this person.", " авна.")));
      return Finish(ex);
    }
    ex.beneficiary = true;
    ex.amount = amount;
    return Finish(ex);
  }

  Explanation Finish(Explanation ex) {
    if (ex.beneficiary) {
      Line(0, std::string(L("Result: beneficiary, ", "Дүгнэлт: хамрагдана, ")) +
                  std::to_string(*ex.amount) + " " +
                  std::string(L("MNT", "₮")));
    } else {
      Line(0, std::string(
                  L("Result: not a beneficiary", "Дүгнэлт: хамрагдахгүй")));
    }
    ex.text = std::move(out_);
    return ex;
  }

 private:
  const Binding& b_;
  Interpreter interp_;
  bool mn_;
  const std::string* src_ = nullptr;
  std::string out_;
};

}  // namespace

Explanation ExplainPerson(const Rule& rule, const Binding& b, int32_t p,
                          Language language) {
  return Tracer(b, language).Run(rule, p);
}

}  // namespace malchin::rules
