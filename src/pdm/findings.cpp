#include "pdm/findings.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "core/normal.h"
#include "poverty/measures.h"

namespace malchin::pdm {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The respondents joined to the sample: column-wise, as the engine wants.
struct Respondents {
  std::vector<const SampledUnit*> unit;
  std::vector<const Submission*> submission;
  std::vector<int32_t> stratum;
  std::vector<double> weight;    // N_h / r_h
  std::vector<double> fraction;  // r_h / N_h
  size_t size() const { return unit.size(); }
};

struct Domain {
  std::string name;
  std::vector<uint8_t> member;  // per respondent
};

// Indicators sharing one denominator (the respondents who answered).
struct Family {
  std::vector<uint8_t> answered;
  bool mean = false;
  std::vector<std::pair<std::string, std::vector<double>>> members;
  std::vector<Texts> labels;  // Each member's words, by language.
};

// "<question>: <choice>" in every language the question has.
Texts Joined(const Texts& question, const Texts& choice) {
  Texts out;
  for (const auto& [lang, text] : question) {
    auto c = choice.find(lang);
    out[lang] = text + ": " + (c == choice.end() ? std::string() : c->second);
  }
  return out;
}

bool Number(std::string_view s, double* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

Status Join(const Sample& sample, const std::vector<Submission>& subs,
            const FindingsOptions& opt, Respondents* r, Findings* f) {
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < sample.units.size(); ++i) {
    index.emplace(sample.units[i].unit.beneficiary_id, i);
  }
  std::vector<const Submission*> by_unit(sample.units.size(), nullptr);
  for (const Submission& s : subs) {
    if (s.rejected) continue;
    auto it = index.find(s.respondent);
    if (it == index.end()) {
      return Status::InvalidArgument(
          "submission " + s.uuid + ": respondent '" + s.respondent +
              "' is not in the sample; expected ingestion with the sample's "
              "respondents",
          opt.respondent_question);
    }
    if (!opt.consent_question.empty()) {
      auto c = s.answers.find(opt.consent_question);
      if (c == s.answers.end() || c->second != opt.consent_yes) continue;
    }
    if (by_unit[it->second] != nullptr) {
      return Status::InvalidArgument(
          "respondent '" + s.respondent + "' has two accepted submissions (" +
          by_unit[it->second]->uuid + ", " + s.uuid + "); expected one");
    }
    by_unit[it->second] = &s;
  }
  f->strata.resize(sample.strata.size());
  for (size_t h = 0; h < sample.strata.size(); ++h) {
    const Stratum& st = sample.strata[h];
    StratumResponse& sr = f->strata[h];
    sr.stratum = st.label;
    sr.population = st.population;
    sr.selected = static_cast<int64_t>(st.selected.size());
    for (size_t i : st.selected) sr.responded += by_unit[i] != nullptr;
    for (size_t i : st.replacements) {
      sr.replacements_interviewed += by_unit[i] != nullptr;
    }
    sr.response_rate = static_cast<double>(sr.responded) / sr.selected;
    const int64_t rh = sr.responded + sr.replacements_interviewed;
    sr.weight = rh > 0 ? static_cast<double>(st.population) / rh : 0;
    if (rh == 0) f->unrepresented.push_back(st.label);
    f->selected += sr.selected;
    f->responded += sr.responded;
    f->replacements_interviewed += sr.replacements_interviewed;
  }
  for (size_t i = 0; i < sample.units.size(); ++i) {
    if (by_unit[i] == nullptr) continue;
    const size_t h = sample.units[i].stratum;
    const StratumResponse& sr = f->strata[h];
    r->unit.push_back(&sample.units[i]);
    r->submission.push_back(by_unit[i]);
    r->stratum.push_back(static_cast<int32_t>(h));
    r->weight.push_back(sr.weight);
    r->fraction.push_back(
        static_cast<double>(sr.responded + sr.replacements_interviewed) /
        sr.population);
  }
  f->response_rate =
      f->selected > 0 ? static_cast<double>(f->responded) / f->selected : 0;
  return Status::Ok();
}

std::vector<Domain> Domains(const Sample& sample, const Respondents& r) {
  std::vector<Domain> out;
  auto add = [&](std::string name, auto pred) {
    Domain d{std::move(name), std::vector<uint8_t>(r.size())};
    bool any = false;
    for (size_t i = 0; i < r.size(); ++i) {
      d.member[i] = pred(i) ? 1 : 0;
      any |= d.member[i];
    }
    if (any) out.push_back(std::move(d));
  };
  add("all", [](size_t) { return true; });
  for (size_t h = 0; h < sample.strata.size(); ++h) {
    add("stratum " + sample.strata[h].label,
        [&](size_t i) { return r.stratum[i] == static_cast<int32_t>(h); });
  }
  for (Sex sex : {Sex::kFemale, Sex::kMale}) {
    add("caregiver " + std::string(SexCode(sex)),
        [&](size_t i) { return r.unit[i]->unit.caregiver_sex == sex; });
  }
  for (Sex sex : {Sex::kFemale, Sex::kMale}) {
    add("head " + std::string(SexCode(sex)),
        [&](size_t i) { return r.unit[i]->unit.head_sex == sex; });
  }
  for (bool dis : {true, false}) {
    add(std::string("disability ") + (dis ? "yes" : "no"),
        [&](size_t i) { return r.unit[i]->unit.disability == dis; });
  }
  return out;
}

// One family per question (and the amount check), in form order.
std::vector<Family> Families(const Form& form, const Respondents& r,
                             const FindingsOptions& opt) {
  std::vector<Family> out;
  const size_t n = r.size();
  for (const Question& q : form.survey) {
    if (q.name == opt.respondent_question || q.name == opt.consent_question) {
      continue;
    }
    const bool select = q.kind == QuestionType::kSelectOne ||
                        q.kind == QuestionType::kSelectMultiple;
    const bool number =
        q.kind == QuestionType::kInteger || q.kind == QuestionType::kDecimal;
    const ChoiceList* list = form.FindList(q.list);
    if (!(select && list) && !number) continue;
    Family fam{std::vector<uint8_t>(n), number, {}, {}};
    std::vector<const std::string*> answer(n, nullptr);
    for (size_t i = 0; i < n; ++i) {
      auto it = r.submission[i]->answers.find(q.name);
      if (it != r.submission[i]->answers.end()) answer[i] = &it->second;
    }
    if (number) {
      std::vector<double> y(n, 0);
      for (size_t i = 0; i < n; ++i) {
        fam.answered[i] = answer[i] && Number(*answer[i], &y[i]);
      }
      fam.members.emplace_back(q.name + " mean", std::move(y));
      fam.labels.push_back(Joined(q.label, {{"mn", "дундаж"}, {"en", "mean"}}));
    } else {
      for (size_t i = 0; i < n; ++i) fam.answered[i] = answer[i] != nullptr;
      for (const Choice& c : list->choices) {
        std::vector<double> y(n, 0);
        for (size_t i = 0; i < n; ++i) {
          if (!answer[i]) continue;
          std::string_view a = *answer[i];
          for (size_t at = 0; at <= a.size();) {
            size_t end = std::min(a.find(' ', at), a.size());
            y[i] = y[i] || a.substr(at, end - at) == c.name;
            at = end + 1;
          }
        }
        fam.members.emplace_back(q.name + "=" + c.name, std::move(y));
        fam.labels.push_back(Joined(q.label, c.label));
      }
    }
    out.push_back(std::move(fam));
    if (q.name != opt.amount_question) continue;
    Family paid{out.back().answered, false, {}, {}};
    std::vector<double> y(n, 0);
    for (size_t i = 0; i < n; ++i) {
      y[i] = paid.answered[i] &&
             out.back().members[0].second[i] >= r.unit[i]->unit.amount;
    }
    paid.members.emplace_back(q.name + ">=paid", std::move(y));
    paid.labels.push_back(
        Joined(q.label, {{"mn", "төлсөн дүнгээс багагүй"},
                         {"en", "at least the amount paid"}}));
    out.push_back(std::move(paid));
  }
  return out;
}

namespace pv = poverty;

// Estimates of every member of `fam` in every domain (64 at a time, the
// engine's limit), appended to `out`.
Status EstimateFamily(const Respondents& r, const std::vector<Domain>& domains,
                      const Family& fam, const FindingsOptions& opt,
                      std::vector<Estimate>* out) {
  const size_t n = r.size();
  const double z = TwoSidedZ(opt.confidence);
  std::vector<int32_t> one(n, 1), psu(n);
  for (size_t i = 0; i < n; ++i) psu[i] = static_cast<int32_t>(i);
  for (size_t d0 = 0; d0 < domains.size(); d0 += pv::DomainSet::kMaxDomains) {
    pv::DomainSet set;
    std::vector<size_t> used;
    for (size_t d = d0;
         d < std::min(domains.size(), d0 + pv::DomainSet::kMaxDomains); ++d) {
      std::vector<uint8_t> m(n);
      bool any = false;
      for (size_t i = 0; i < n; ++i) {
        m[i] = domains[d].member[i] && fam.answered[i];
        any |= m[i];
      }
      if (!any) continue;
      MALCHIN_RETURN_IF_ERROR(set.Add(domains[d].name, m));
      used.push_back(d);
    }
    if (used.empty()) continue;
    pv::MeasureOptions mo;
    mo.poverty_line = 1.5;
    mo.standard_errors = pv::StandardErrors::kLinearization;
    mo.lonely_psu = opt.lonely_respondent == LonelyRespondent::kNothing
                        ? pv::LonelyPsu::kRemove
                        : pv::LonelyPsu::kAdjust;
    pv::HouseholdView view{r.weight, one, {}, r.stratum, psu, r.fraction};
    auto pop = pv::Population::Make(view, set, mo);
    if (!pop.ok() && pop.status().code() == StatusCode::kFailedPrecondition) {
      mo.standard_errors = pv::StandardErrors::kNone;  // one respondent per
      pop = pv::Population::Make(view, set, mo);       // stratum: no SEs
    }
    if (!pop.ok()) return Status::Internal(pop.status().message());
    for (size_t member = 0; member < fam.members.size(); ++member) {
      const auto& [name, y] = fam.members[member];
      std::vector<double> welfare(n);
      double shift = 0;
      if (fam.mean) {
        double lo = 1;
        for (size_t i = 0; i < n; ++i) {
          if (fam.answered[i]) lo = std::min(lo, y[i]);
        }
        shift = 1 - lo;  // the engine wants welfare > 0; means shift back
        for (size_t i = 0; i < n; ++i) {
          welfare[i] = fam.answered[i] ? y[i] + shift : 1;
        }
      } else {
        // fgt0 with z = 1.5 is the weighted share with y = 1.
        for (size_t i = 0; i < n; ++i) welfare[i] = y[i] ? 1 : 2;
      }
      MALCHIN_ASSIGN_OR_RETURN(pv::Estimates est, pop->Estimate(welfare));
      const pv::Measure m = fam.mean ? pv::Measure::kMean : pv::Measure::kFgt0;
      for (size_t k = 0; k < used.size(); ++k) {
        const pv::DomainEstimates& de = est.domains[k];
        Estimate e;
        e.domain = domains[used[k]].name;
        e.indicator = name;
        e.label = fam.labels[member];
        for (size_t i = 0; i < n; ++i) {
          e.respondents += domains[used[k]].member[i] && fam.answered[i];
        }
        e.population = de[pv::Measure::kHouseholds];
        e.value = de[m] - shift;
        e.se = mo.standard_errors == pv::StandardErrors::kNone ? kNaN
                                                               : de.SeLin(m);
        e.ci_low = e.value - z * e.se;
        e.ci_high = e.value + z * e.se;
        if (!fam.mean) {
          e.ci_low = std::max(0.0, e.ci_low);
          e.ci_high = std::min(1.0, e.ci_high);
        }
        out->push_back(std::move(e));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Findings> ComputeFindings(const Sample& sample,
                                 const std::vector<Submission>& submissions,
                                 const Form& form,
                                 const FindingsOptions& options) {
  for (const std::string* q :
       {&options.respondent_question, &options.consent_question}) {
    if (!q->empty() && form.FindQuestion(*q) == nullptr) {
      return Status::InvalidArgument("the form has no question '" + *q + "'",
                                     *q);
    }
  }
  if (!(options.confidence >= 0.5 && options.confidence <= 0.9999)) {
    return Status::InvalidArgument(
        "confidence is " + std::to_string(options.confidence) +
            "; expected a level in [0.5, 0.9999], e.g. 0.90, 0.95 or 0.99 "
            "(итгэх түвшин 0.5-0.9999 хооронд)",
        "confidence");
  }
  Findings f;
  Respondents r;
  MALCHIN_RETURN_IF_ERROR(Join(sample, submissions, options, &r, &f));
  if (r.size() == 0) return f;
  const std::vector<Domain> domains = Domains(sample, r);
  for (const Family& fam : Families(form, r, options)) {
    MALCHIN_RETURN_IF_ERROR(
        EstimateFamily(r, domains, fam, options, &f.estimates));
  }
  return f;
}

Result<Lang> ParseLang(std::string_view code, std::string_view field) {
  if (code == "mn") return Lang::kMn;
  if (code == "en") return Lang::kEn;
  return Status::InvalidArgument(std::string(field) + " '" + std::string(code) +
                                     "': expected mn or en (хэл: mn эсвэл en)",
                                 std::string(field));
}

std::string_view ReasonText(BankMismatch::Reason reason, Lang lang) {
  const bool mn = lang == Lang::kMn;
  switch (reason) {
    case BankMismatch::Reason::kPaidButNothingReceived:
      return mn ? "банк олгосон, юу ч аваагүй гэж хэлсэн"
                : "bank paid, says received nothing";
    case BankMismatch::Reason::kPaidButLessReceived:
      return mn ? "олгосон дүнгээс бага авсан гэж хэлсэн"
                : "received less than the amount paid";
    case BankMismatch::Reason::kNotPaidButReceived:
      return mn ? "банк олгоогүй, авсан гэж хэлсэн"
                : "bank did not pay, says received";
  }
  return "";
}

namespace {

std::string WhyMn(const BankMismatch& m) {
  const std::string paid = std::to_string(m.bank_amount);
  switch (m.reason) {
    case BankMismatch::Reason::kPaidButNothingReceived:
      return "банк " + paid +
             " төгрөг олгосон гэж мэдээлсэн; хариулагч юу ч аваагүй гэж "
             "хэлсэн";
    case BankMismatch::Reason::kPaidButLessReceived:
      return "банк " + paid + " төгрөг олгосон; хариулагч " +
             std::to_string(m.reported_amount) + " төгрөг авсан гэж хэлсэн";
    case BankMismatch::Reason::kNotPaidButReceived:
      return std::string("банк төлбөрийг ") +
             (m.bank_status == BankStatus::kFailed ? "амжилтгүй болсон"
                                                   : "буцаагдсан") +
             " гэж мэдээлсэн; хариулагч авсан гэж хэлсэн";
  }
  return "";
}

std::string WhyEn(const BankMismatch& m) {
  const std::string paid = std::to_string(m.bank_amount);
  switch (m.reason) {
    case BankMismatch::Reason::kPaidButNothingReceived:
      return "the bank paid " + paid +
             " MNT; the respondent says nothing was received";
    case BankMismatch::Reason::kPaidButLessReceived:
      return "the bank paid " + paid + " MNT; the respondent reports " +
             std::to_string(m.reported_amount);
    case BankMismatch::Reason::kNotPaidButReceived:
      return std::string("the bank reports the payment ") +
             (m.bank_status == BankStatus::kFailed ? "failed" : "returned") +
             "; the respondent says it was received";
  }
  return "";
}

}  // namespace

std::string BankMismatch::Describe(Lang lang) const {
  if (lang == Lang::kMn) {
    return beneficiary_id + " (хүлээн авагч " + payee_id + ", сум " +
           std::to_string(soum_code) + ", судалгаа " + uuid +
           "): " + WhyMn(*this);
  }
  return beneficiary_id + " (payee " + payee_id + ", soum " +
         std::to_string(soum_code) + ", submission " + uuid +
         "): " + WhyEn(*this);
}

std::vector<BankMismatch> CrossCheckBank(
    const Sample& sample, const std::vector<Submission>& submissions,
    std::span<const BankRecord> bank, int64_t tolerance,
    const FindingsOptions& options, std::string_view received_question) {
  std::map<std::string_view, const BankRecord*> by_id;
  for (const BankRecord& b : bank) by_id.emplace(b.beneficiary_id, &b);
  std::map<std::string_view, const Unit*> units;
  for (const SampledUnit& u : sample.units) {
    units.emplace(u.unit.beneficiary_id, &u.unit);
  }
  std::vector<BankMismatch> out;
  for (const Submission& s : submissions) {
    auto b = by_id.find(s.respondent);
    auto u = units.find(s.respondent);
    if (s.rejected || b == by_id.end() || u == units.end()) continue;
    auto answer = [&](std::string_view q) -> std::string {
      auto it = s.answers.find(q);
      return it == s.answers.end() ? "" : it->second;
    };
    if (!options.consent_question.empty() &&
        answer(options.consent_question) != options.consent_yes) {
      continue;
    }
    const std::string received = answer(received_question);
    double reported = -1;
    const bool has_amount = Number(answer(options.amount_question), &reported);
    BankMismatch m{BankMismatch::Reason::kPaidButNothingReceived,
                   s.respondent,
                   u->second->payee_id,
                   u->second->soum_code,
                   s.uuid,
                   b->second->status,
                   b->second->amount,
                   has_amount ? static_cast<int64_t>(reported) : -1};
    const BankStatus st = b->second->status;
    if (st == BankStatus::kPaid && received == "no") {
      out.push_back(m);
    } else if (st == BankStatus::kPaid && has_amount &&
               reported < static_cast<double>(b->second->amount - tolerance)) {
      m.reason = BankMismatch::Reason::kPaidButLessReceived;
      out.push_back(m);
    } else if ((st == BankStatus::kFailed || st == BankStatus::kReturned) &&
               received == "yes") {
      m.reason = BankMismatch::Reason::kNotPaidButReceived;
      out.push_back(m);
    }
  }
  return out;
}

}  // namespace malchin::pdm
