// Ingested submissions merged and turned into a plain table (kobo.h).
#include "csv/csv.h"
#include "pdm/kobo.h"

namespace malchin::pdm {

size_t Ingested::accepted() const {
  size_t n = 0;
  for (const Submission& s : submissions) n += !s.rejected;
  return n;
}

void AppendIngested(Ingested page, Ingested* all,
                    std::string_view respondent_question) {
  std::set<std::string, std::less<>> uuids, respondents;
  for (const Submission& s : all->submissions) {
    if (s.rejected) continue;
    uuids.insert(s.uuid);
    if (!s.respondent.empty()) respondents.insert(s.respondent);
  }
  auto flag = [&](const Submission& s, std::string field, std::string value,
                  std::string expected) {
    page.problems.push_back({Problem::Severity::kError, page.file, s.line,
                             s.uuid, std::move(field), std::move(value),
                             std::move(expected)});
  };
  for (Submission& s : page.submissions) {
    if (s.rejected) continue;
    if (!uuids.insert(s.uuid).second) {
      flag(s, "_uuid", s.uuid,
           "a _uuid not already read from " + all->file +
               " (this one is not used)");
      s.rejected = true;
    } else if (!s.respondent.empty() &&
               !respondents.insert(s.respondent).second) {
      flag(s, std::string(respondent_question), s.respondent,
           "one interview per respondent (already read from " + all->file +
               "; this one is not used)");
      s.rejected = true;
    }
  }
  if (all->file.empty()) all->file = page.file;
  for (Submission& s : page.submissions)
    all->submissions.push_back(std::move(s));
  for (Problem& p : page.problems) all->problems.push_back(std::move(p));
  all->count = page.count;
  all->next = std::move(page.next);
}

Table ToTable(const std::vector<Submission>& submissions, const Form& form) {
  Table t;
  t.columns = {"_id", "_uuid", "_submission_time"};
  std::vector<const Question*> questions;
  std::vector<std::pair<const Question*, std::string>> details;
  for (const Question& q : form.survey) {
    if (q.name.empty() || q.kind == QuestionType::kBeginGroup ||
        q.kind == QuestionType::kBeginRepeat || q.kind == QuestionType::kNote) {
      continue;
    }
    questions.push_back(&q);
    t.columns.push_back(q.name);
  }
  for (const Question* q : questions) {
    const ChoiceList* list = form.FindList(q->list);
    if (q->kind != QuestionType::kSelectMultiple || list == nullptr) continue;
    for (const Choice& c : list->choices) {
      details.emplace_back(q, c.name);
      t.columns.push_back(q->name + "/" + c.name);
    }
  }
  for (const Submission& s : submissions) {
    if (s.rejected) continue;
    std::vector<std::string> row = {s.id ? std::to_string(s.id) : "", s.uuid,
                                    s.submission_time};
    for (const Question* q : questions) {
      auto it = s.answers.find(q->name);
      row.push_back(it == s.answers.end() ? "" : it->second);
    }
    for (const auto& [q, choice] : details) {
      auto it = s.answers.find(q->name);
      if (it == s.answers.end()) {
        row.emplace_back();
        continue;
      }
      bool picked = false;
      for (size_t at = 0; at <= it->second.size();) {
        size_t end = it->second.find(' ', at);
        if (end == std::string::npos) end = it->second.size();
        picked |= it->second.compare(at, end - at, choice) == 0;
        at = end + 1;
      }
      row.push_back(picked ? "1" : "0");
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string TableCsv(const Table& table) {
  std::string out;
  auto row = [&](const std::vector<std::string>& cells) {
    std::vector<std::string_view> views(cells.begin(), cells.end());
    csv::AppendRow(&out, views);
  };
  row(table.columns);
  for (const auto& r : table.rows) row(r);
  return out;
}

}  // namespace malchin::pdm
