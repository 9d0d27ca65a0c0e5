// Weighted PDM findings, and the cross-check with the bank's reconciliation.
//
// Who responded: a sampled unit (selected or replacement) with an accepted
// submission (kobo.h) whose consent answer is "yes". Weights: the design
// weight N_h / n_h adjusted for non-response within the stratum, i.e.
// w = N_h / r_h for the r_h respondents of stratum h (respondents are taken
// as a simple random sample of their stratum). A stratum with no respondent
// cannot be represented: it is listed in Findings::unrepresented and the
// estimates cover the other strata's population.
//
// Estimates (docs/pdm.md §4): for every select_one / select_multiple
// question the share choosing each choice, and for every integer / decimal
// question the mean, among the respondents who answered it; plus
// "amount_received>=paid", the share whose reported amount is at least what
// the payroll paid. Each by domain: all, each stratum, sex of the
// caregiver, sex of the household head, disability in the household. The
// point estimates are ratio (Hajek) estimators; standard errors are Taylor
// linearised for a stratified sample of respondents without replacement,
// with the finite population correction 1 - r_h / N_h, computed by the
// poverty engine (poverty/measures.h; as R survey's svydesign(ids = ~1,
// strata, fpc = N_h) then svymean/svyby). Intervals are value +- z SE with
// z = TwoSidedZ(options.confidence) (1.959964 at 95%), shares clipped to
// [0, 1]. A stratum with a single respondent
// contributes as options.lonely_respondent says.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "pdm/form.h"
#include "pdm/kobo.h"
#include "pdm/sample.h"

namespace malchin::pdm {

// What a stratum with one respondent contributes to a variance.
enum class LonelyRespondent : uint8_t {
  kCentreOnOverallMean,  // conservative: R survey's lonely.psu "adjust"
  kNothing,              // as R survey's "remove" / "certainty"
};

struct FindingsOptions {
  std::string respondent_question = "respondent";
  // "" : every accepted submission is a response.
  std::string consent_question = "consent";
  std::string consent_yes = "yes";
  // The amount respondents report, compared with the unit's amount paid.
  std::string amount_question = "amount_received";
  LonelyRespondent lonely_respondent = LonelyRespondent::kCentreOnOverallMean;
  // Level of the intervals, in [0.5, 0.9999] (pdm.sample.confidence_level).
  double confidence = 0.95;
};

struct StratumResponse {
  std::string stratum;     // Stratum::label
  int64_t population = 0;  // N_h
  int64_t selected = 0;    // n_h (replacements not counted)
  int64_t responded = 0;   // of the selected
  int64_t replacements_interviewed = 0;
  double response_rate = 0;  // responded / selected
  double weight = 0;         // N_h / r_h (0 when r_h = 0)
};

struct Estimate {
  std::string domain;       // "all", "stratum soum=18101 caregiver=F",
                            // "caregiver F", "head M", "disability yes"
  std::string indicator;    // "received=yes", "uses=food", "collect_cost mean"
  int64_t respondents = 0;  // unweighted, answering, in the domain
  double population = 0;    // their weighted count (estimated units)
  double value = 0;         // share in [0, 1], or mean
  double se = 0;            // NaN when it cannot be estimated
  double ci_low = 0, ci_high = 0;
  Texts label;  // In words, by language: "Мөнгө авсан уу: Тийм" (the form's).
};

struct Findings {
  int64_t selected = 0;
  int64_t responded = 0;  // of the selected
  int64_t replacements_interviewed = 0;
  double response_rate = 0;                // responded / selected
  std::vector<StratumResponse> strata;     // in Sample::strata order
  std::vector<std::string> unrepresented;  // strata without respondents
  std::vector<Estimate> estimates;  // indicators in form order, domains in
                                    // the order above
};

// InvalidArgument if the form lacks options' questions, if
// options.confidence is outside [0.5, 0.9999], or a submission's
// respondent is not in the sample (ingest with IngestOptions::respondents
// set to the sample's ids). Rejected submissions are ignored. Internal if
// the survey engine refuses the design.
Result<Findings> ComputeFindings(const Sample& sample,
                                 const std::vector<Submission>& submissions,
                                 const Form& form,
                                 const FindingsOptions& options = {});

// ---- cross-check with the bank ---------------------------------------------

// The language of a text a person reads (Mongolian is the programme's).
enum class Lang : uint8_t { kMn, kEn };
// "mn" -> kMn, "en" -> kEn; InvalidArgument naming `field` otherwise.
Result<Lang> ParseLang(std::string_view code, std::string_view field = "lang");

enum class BankStatus : uint8_t { kPaid, kFailed, kReturned, kPending };

struct BankRecord {
  std::string beneficiary_id;
  BankStatus status = BankStatus::kPending;
  int64_t amount = 0;  // MNT the bank reports paid (or attempted)
};

struct BankMismatch {
  enum class Reason : uint8_t {
    kPaidButNothingReceived,  // bank: paid; respondent: not received
    kPaidButLessReceived,     // bank: paid; respondent: less than paid
    kNotPaidButReceived,      // bank: failed/returned; respondent: received
  };
  Reason reason;
  std::string beneficiary_id;
  std::string payee_id;
  int32_t soum_code = 0;
  std::string uuid;  // the submission
  BankStatus bank_status = BankStatus::kPaid;
  int64_t bank_amount = 0;
  int64_t reported_amount = -1;  // -1: not reported
  // One line for a report: who, and why, in `lang`.
  std::string Describe(Lang lang = Lang::kEn) const;
};

// The reason as a short phrase in `lang` (a table's column), e.g. "bank
// paid, says received nothing" / "банк олгосон, юу ч аваагүй гэж хэлсэн".
std::string_view ReasonText(BankMismatch::Reason reason, Lang lang);

// The respondents whose answers contradict the bank: for each accepted,
// consenting submission, the bank record of its respondent; listed when
// the bank says paid and the answer to `received` is "no", or the reported
// amount is below the bank's amount by more than `tolerance` MNT (the
// dated parameter pdm.crosscheck.shortfall_tolerance), or when the bank
// says failed/returned and the respondent says received. Respondents
// without a bank record are skipped. In submission order.
std::vector<BankMismatch> CrossCheckBank(
    const Sample& sample, const std::vector<Submission>& submissions,
    std::span<const BankRecord> bank, int64_t tolerance,
    const FindingsOptions& options = {},
    std::string_view received_question = "received");

}  // namespace malchin::pdm
