// Internal to pdm: what the CSV and JSON readers of kobo.h share. A reader
// turns each record into a RawSubmission; the Ingestor checks it against
// the form and the sample.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pdm/expression.h"
#include "pdm/kobo.h"

namespace malchin::pdm::internal {

// What a CSV column or JSON key holds.
struct ColumnRole {
  enum class Kind : uint8_t {
    kId,
    kUuid,
    kSubmissionTime,
    kRootUuid,
    kIgnored,   // other metadata
    kQuestion,  // an answer to `question`
    kDetail,    // select_multiple `question`, option `option`: 1/0
    kUnknown,   // not in the form
  };
  Kind kind = Kind::kUnknown;
  std::string question;
  std::string option;
};
ColumnRole Classify(std::string_view header, const Form& form);

struct RawSubmission {
  size_t line = 0;  // CSV line, 0 for JSON
  std::string uuid, root_uuid, id, time;
  Answers values;  // question name -> text as exported
  // select_multiple detail columns: question -> option -> text.
  std::map<std::string, std::map<std::string, std::string>, std::less<>>
      details;
  // Questions whose value already failed (no second problem for them).
  std::set<std::string, std::less<>> failed;

  // Stores `value` where `role` says (ignored and unknown columns: nowhere).
  void Set(const ColumnRole& role, std::string value);
};

class Ingestor {
 public:
  // InvalidArgument if options.respondent_question is set but the form has
  // no such question.
  static Result<Ingestor> Make(std::string_view file, const Form& form,
                               const IngestOptions& options);

  // A problem that is not about one submission's answer (e.g. a column).
  void Report(Problem problem);
  // Checks `raw` and appends the submission.
  void Accept(RawSubmission raw);
  Ingested Finish();

  const std::string& file() const { return out_.file; }

 private:
  Ingestor(const Form& form, const IngestOptions& options)
      : form_(&form), options_(&options) {}
  void Flag(const RawSubmission& raw, std::string field, std::string value,
            std::string expected,
            Problem::Severity severity = Problem::Severity::kError);
  void MergeDetails(RawSubmission* raw);
  void CheckAnswers(const RawSubmission& raw, Submission* s);
  // The valid form of `value` for question q, or nullopt (problem added).
  std::optional<std::string> CheckValue(const RawSubmission& raw,
                                        const Question& q,
                                        const std::string& value);
  bool Holds(const Expression* e, const Submission& s,
             std::string_view self) const;
  void CheckRespondent(const RawSubmission& raw, Submission* s);

  const Form* form_;
  const IngestOptions* options_;
  Ingested out_;
  size_t dropped_ = 0;
  std::map<std::string, size_t> uuids_;        // uuid -> index
  std::map<std::string, size_t> respondents_;  // respondent -> index
  // Parsed relevance / constraint per survey row (nullopt: blank or
  // outside the evaluated subset).
  std::vector<std::optional<Expression>> relevant_, constraint_;
  std::vector<bool> relevance_known_;  // own and enclosing groups' parsed
};

}  // namespace malchin::pdm::internal
