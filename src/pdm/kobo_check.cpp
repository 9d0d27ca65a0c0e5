// Checking KoBo submissions against the form and the sample (kobo.h).
#include <algorithm>
#include <charconv>
#include <cmath>

#include "pdm/kobo_internal.h"

namespace malchin::pdm {
namespace internal {
namespace {

using Kind = ColumnRole::Kind;

bool IsMetadata(std::string_view h) {
  return h.starts_with("_") || h.starts_with("meta/") ||
         h.starts_with("formhub/");
}

std::string_view LastSegment(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsInteger(std::string_view v) {
  if (v.starts_with("-")) v.remove_prefix(1);
  return !v.empty() && v.size() <= 18 &&
         std::all_of(v.begin(), v.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool IsDecimal(std::string_view v) {
  double d;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  return ec == std::errc() && p == v.data() + v.size() && std::isfinite(d);
}

}  // namespace

ColumnRole Classify(std::string_view h, const Form& form) {
  if (h == "_id") return {Kind::kId, {}, {}};
  if (h == "_uuid") return {Kind::kUuid, {}, {}};
  if (h == "_submission_time") return {Kind::kSubmissionTime, {}, {}};
  if (h == "meta/rootUuid") return {Kind::kRootUuid, {}, {}};
  if (IsMetadata(h) || h == "__version__") return {Kind::kIgnored, {}, {}};
  const std::string_view last = LastSegment(h);
  if (const Question* q = form.FindQuestion(last)) {
    return {Kind::kQuestion, q->name, {}};
  }
  if (last.size() < h.size()) {
    const std::string_view parent =
        LastSegment(h.substr(0, h.size() - last.size() - 1));
    const Question* q = form.FindQuestion(parent);
    if (q && (q->kind == QuestionType::kSelectMultiple ||
              q->kind == QuestionType::kSelectMultipleFromFile)) {
      return {Kind::kDetail, q->name, std::string(last)};
    }
  }
  return {Kind::kUnknown, {}, {}};
}

void RawSubmission::Set(const ColumnRole& role, std::string value) {
  switch (role.kind) {
    case Kind::kId:
      id = std::move(value);
      break;
    case Kind::kUuid:
      uuid = std::move(value);
      break;
    case Kind::kSubmissionTime:
      time = std::move(value);
      break;
    case Kind::kRootUuid:
      root_uuid = std::move(value);
      break;
    case Kind::kQuestion:
      values[role.question] = std::move(value);
      break;
    case Kind::kDetail:
      details[role.question][role.option] = std::move(value);
      break;
    case Kind::kIgnored:
    case Kind::kUnknown:
      break;
  }
}

Result<Ingestor> Ingestor::Make(std::string_view file, const Form& form,
                                const IngestOptions& options) {
  if (!options.respondent_question.empty() &&
      form.FindQuestion(options.respondent_question) == nullptr) {
    return Status::InvalidArgument(
        "the form has no question '" + options.respondent_question +
            "'; expected the question that names the respondent",
        "respondent_question");
  }
  Ingestor in(form, options);
  in.out_.file = std::string(file);
  std::vector<bool> known_stack = {true};
  for (const Question& q : form.survey) {
    auto parse = [&](const std::string& text) -> std::optional<Expression> {
      if (text.empty()) return std::nullopt;
      auto e = Expression::Parse(text);
      if (e.ok()) return std::move(*e);
      in.Report({Problem::Severity::kWarning,
                 std::string(file),
                 0,
                 {},
                 q.name,
                 text,
                 "an expression in the subset Malchin evaluates (it is not "
                 "checked: " +
                     e.status().message() + ")"});
      return std::nullopt;
    };
    in.relevant_.push_back(parse(q.relevant));
    in.constraint_.push_back(parse(q.constraint));
    const bool known =
        known_stack.back() && (q.relevant.empty() || in.relevant_.back());
    in.relevance_known_.push_back(known);
    if (q.kind == QuestionType::kBeginGroup ||
        q.kind == QuestionType::kBeginRepeat) {
      known_stack.push_back(known);
    } else if ((q.kind == QuestionType::kEndGroup ||
                q.kind == QuestionType::kEndRepeat) &&
               known_stack.size() > 1) {
      known_stack.pop_back();
    }
  }
  return in;
}

void Ingestor::Report(pdm::Problem problem) {
  if (out_.problems.size() >= options_->max_problems) {
    ++dropped_;
    return;
  }
  out_.problems.push_back(std::move(problem));
}

void Ingestor::Flag(const RawSubmission& raw, std::string field,
                    std::string value, std::string expected,
                    Problem::Severity severity) {
  Report({severity, out_.file, raw.line, raw.uuid, std::move(field),
          std::move(value), std::move(expected)});
}

void Ingestor::MergeDetails(RawSubmission* raw) {
  for (auto& [name, options] : raw->details) {
    const Question* q = form_->FindQuestion(name);
    const ChoiceList* list = q ? form_->FindList(q->list) : nullptr;
    std::set<std::string> chosen;
    bool answered = false, bad = false;
    for (auto& [option, text] : options) {
      if (text.empty()) continue;
      answered = true;
      if (text == "1" || text == "True" || text == "true") {
        chosen.insert(option);
      } else if (text != "0" && text != "False" && text != "false") {
        Flag(*raw, name + "/" + option, text, "1 or 0 (True or False)");
        bad = true;
      }
      if (list && !list->Find(option)) {
        Flag(*raw, name + "/" + option, text,
             "a column for a choice of list '" + q->list + "'");
        bad = true;
      }
    }
    if (!answered) continue;
    auto summary = raw->values.find(name);
    if (summary != raw->values.end() && !summary->second.empty()) {
      std::set<std::string> listed;
      for (std::string_view t : Tokens(summary->second)) listed.emplace(t);
      if (listed != chosen) {
        Flag(*raw, name, summary->second,
             "the same choices as the detail columns " + name + "/...");
        raw->values.erase(summary);
        raw->failed.insert(name);
      }
      continue;
    }
    std::string joined;
    for (const std::string& c : chosen)
      joined += (joined.empty() ? "" : " ") + c;
    raw->values[name] = bad ? "" : joined;
    if (bad) raw->failed.insert(name);
  }
}

std::optional<std::string> Ingestor::CheckValue(const RawSubmission& raw,
                                                const Question& q,
                                                const std::string& v) {
  auto fail = [&](std::string expected) -> std::optional<std::string> {
    Flag(raw, q.name, v, std::move(expected));
    return std::nullopt;
  };
  switch (q.kind) {
    case QuestionType::kInteger:
      if (!IsInteger(v)) return fail("a whole number");
      return v;
    case QuestionType::kDecimal:
      if (!IsDecimal(v)) return fail("a number");
      return v;
    case QuestionType::kDate:
      if (!Date::Parse(v).ok()) return fail("a date YYYY-MM-DD");
      return v;
    case QuestionType::kSelectOne: {
      const ChoiceList* list = form_->FindList(q.list);
      if (list && !list->Find(v)) {
        return fail("a choice of list '" + q.list + "'");
      }
      return v;
    }
    case QuestionType::kSelectMultiple: {
      const ChoiceList* list = form_->FindList(q.list);
      std::set<std::string_view> picked;
      for (std::string_view t : Tokens(v)) {
        if (list && !list->Find(t)) {
          return fail("choices of list '" + q.list +
                      "' separated by spaces "
                      "('" +
                      std::string(t) + "' is not one)");
        }
        picked.insert(t);
      }
      if (!list) return v;
      std::string out;  // in the list's order
      for (const Choice& c : list->choices) {
        if (picked.count(c.name)) out += (out.empty() ? "" : " ") + c.name;
      }
      return out;
    }
    default:
      return v;
  }
}

bool Ingestor::Holds(const Expression* e, const Submission& s,
                     std::string_view self) const {
  if (e == nullptr) return true;
  if (!s.has_date && e->text().find("today(") != std::string::npos) {
    return true;  // no submission date: today() cannot be checked
  }
  const std::string today = s.has_date ? s.submission_date.ToString() : "";
  Scope scope{self,
              [&](std::string_view name) -> std::string_view {
                auto it = s.answers.find(name);
                return it == s.answers.end() ? std::string_view()
                                             : std::string_view(it->second);
              },
              today};
  return e->Evaluate(scope);
}

void Ingestor::CheckAnswers(const RawSubmission& raw, Submission* s) {
  std::vector<bool> relevant_stack = {true};
  for (size_t i = 0; i < form_->survey.size(); ++i) {
    const Question& q = form_->survey[i];
    const Expression* rel = relevant_[i] ? &*relevant_[i] : nullptr;
    if (q.kind == QuestionType::kEndGroup ||
        q.kind == QuestionType::kEndRepeat) {
      if (relevant_stack.size() > 1) relevant_stack.pop_back();
      continue;
    }
    const bool relevant = relevant_stack.back() && Holds(rel, *s, "");
    if (q.kind == QuestionType::kBeginGroup ||
        q.kind == QuestionType::kBeginRepeat) {
      relevant_stack.push_back(relevant);
      continue;
    }
    if (q.kind == QuestionType::kNote || q.name.empty()) continue;
    auto it = raw.values.find(q.name);
    const std::string value = it == raw.values.end() ? "" : it->second;
    if (!relevant) {
      if (!value.empty() && relevance_known_[i]) {
        Flag(raw, q.name, value,
             "no answer: the question is not relevant here (" +
                 (q.relevant.empty() ? "its group" : q.relevant) +
                 "); the value is not used",
             Problem::Severity::kWarning);
      }
      continue;
    }
    if (value.empty()) {
      if (q.required && relevance_known_[i] && !raw.failed.count(q.name)) {
        Flag(raw, q.name, "", "an answer (the question is required)");
      }
      continue;
    }
    std::optional<std::string> valid = CheckValue(raw, q, value);
    if (!valid) continue;
    const Expression* c = constraint_[i] ? &*constraint_[i] : nullptr;
    if (!Holds(c, *s, *valid)) {
      auto en = q.constraint_message.find("en");
      Flag(raw, q.name, value,
           "a value satisfying " + q.constraint +
               (en == q.constraint_message.end() ? ""
                                                 : " (" + en->second + ")"));
      continue;
    }
    s->answers[q.name] = std::move(*valid);
  }
}

void Ingestor::CheckRespondent(const RawSubmission& raw, Submission* s) {
  const std::string& question = options_->respondent_question;
  if (question.empty()) return;
  auto it = s->answers.find(question);
  s->respondent = it == s->answers.end() ? "" : it->second;
  if (s->respondent.empty()) {
    Flag(raw, question, "", "the respondent (the submission is not used)");
    s->rejected = true;
    return;
  }
  if (!options_->respondents.empty() &&
      !options_->respondents.count(s->respondent)) {
    Flag(raw, question, s->respondent,
         "a respondent of the sample (unknown respondent; the submission is "
         "not used)");
    s->rejected = true;
    return;
  }
  if (s->rejected) return;
  auto [seen, fresh] =
      respondents_.emplace(s->respondent, out_.submissions.size());
  if (!fresh) {
    const Submission& first = out_.submissions[seen->second];
    Flag(raw, question, s->respondent,
         "one interview per respondent (already in _uuid " + first.uuid +
             "; this one is not used)");
    s->rejected = true;
  }
}

void Ingestor::Accept(RawSubmission raw) {
  Submission s;
  s.line = raw.line;
  s.uuid = raw.uuid;
  s.root_uuid = raw.root_uuid;
  if (!raw.id.empty()) {
    auto [p, ec] =
        std::from_chars(raw.id.data(), raw.id.data() + raw.id.size(), s.id);
    if (ec != std::errc() || p != raw.id.data() + raw.id.size()) {
      Flag(raw, "_id", raw.id, "a whole number", Problem::Severity::kWarning);
    }
  }
  s.submission_time = raw.time;
  if (auto d = Date::Parse(std::string_view(raw.time).substr(0, 10));
      d.ok() && (raw.time.size() == 10 || raw.time[10] == 'T')) {
    s.submission_date = *d;
    s.has_date = true;
  } else {
    Flag(raw, "_submission_time", raw.time,
         "a UTC time YYYY-MM-DDTHH:MM:SS (today() is not checked)");
  }
  if (raw.uuid.empty()) {
    Flag(raw, "_uuid", "", "the submission's _uuid (it is not used)");
    s.rejected = true;
  } else if (auto [it, fresh] =
                 uuids_.emplace(raw.uuid, out_.submissions.size());
             !fresh) {
    const size_t first = out_.submissions[it->second].line;
    Flag(raw, "_uuid", raw.uuid,
         "a _uuid not seen before in the file (" +
             (first > 0 ? "line " + std::to_string(first)
                        : "an earlier record") +
             " has it; this one is not used)");
    s.rejected = true;
  }
  MergeDetails(&raw);
  CheckAnswers(raw, &s);
  CheckRespondent(raw, &s);
  out_.submissions.push_back(std::move(s));
}

Ingested Ingestor::Finish() {
  if (dropped_ > 0) {
    out_.problems.push_back({Problem::Severity::kError,
                             out_.file,
                             0,
                             {},
                             {},
                             {},
                             "fewer problems: " + std::to_string(dropped_) +
                                 " more were not listed"});
  }
  return std::move(out_);
}

}  // namespace internal
}  // namespace malchin::pdm
