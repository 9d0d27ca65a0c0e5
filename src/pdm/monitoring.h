// pdm::Monitoring: the steps of post-distribution monitoring on one
// store::Session, with ALL their rules; the repository (pdm/repository.h)
// only reads and writes rows. Each step that writes is one Session::Write
// with a lock on the sample (or payroll) and its audit-trail entry, so it
// happens whole or not at all, and two app servers doing the same step
// serialize.
//
//  * DrawSample: the frame is the payroll's beneficiaries whose latest
//    payment the bank reported paid; drawing again with the same design
//    from the same frame returns the stored sample (created = false).
//  * Approve: maker-checker (the approver is not who drew it); an approved
//    sample is frozen; approving again returns it unchanged.
//  * Ingest: a KoBoToolbox CSV or JSON (kobo.h) against an approved
//    sample, in one transaction. A submission whose _uuid is already
//    stored is unchanged (re-ingesting an export changes nothing); one
//    that kobo.h rejects (unknown respondent, repeated _uuid in the file)
//    or whose respondent was already interviewed in a stored submission is
//    stored as rejected with its reasons (a repeated _uuid is not stored
//    twice); the others are accepted.
//  * Report: weighted findings (findings.h) over the accepted submissions
//    and the cross-check with the bank's latest results.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pdm/repository.h"
#include "store/session.h"

namespace malchin::pdm {

struct IngestResult {
  int64_t accepted = 0;   // stored as accepted by this call
  int64_t rejected = 0;   // stored as rejected by this call
  int64_t unchanged = 0;  // _uuid already stored
  int64_t skipped = 0;    // repeated _uuid within the file: not stored
  std::vector<Problem> problems;
};

struct Report {
  SampleRecord sample;
  Findings findings;
  std::vector<BankMismatch> follow_up;
  int64_t submissions = 0;   // accepted
  double confidence = 0.95;  // the level of the findings' intervals
};

class Monitoring {
 public:
  // REQUIRES: `session` outlives this object.
  explicit Monitoring(store::Session& session);

  // NotFound if the payroll has no lines in `area`; FailedPrecondition if
  // none was paid; errors of DrawSample (sample.h). Nothing is written on
  // error.
  Result<SampleRecord> DrawPayrollSample(std::string_view plan_code,
                                         int installment,
                                         const SampleDesign& design,
                                         std::string_view actor,
                                         const store::AreaFilter& area = {},
                                         bool* created = nullptr);
  // NotFound for an unknown sample; PermissionDenied if `actor` drew it.
  Result<SampleRecord> Approve(int64_t sample_id, std::string_view actor);

  Result<SampleRecord> FindSample(int64_t sample_id);  // NotFound if none
  // The samples with a sampled unit in the caller's area, newest first.
  Result<std::vector<SampleRecord>> ListSamples();
  Result<Sample> LoadSample(int64_t sample_id);

  // `data` is the whole file; JSON when its first non-blank byte is '{'.
  // NotFound for an unknown sample; FailedPrecondition unless approved;
  // InvalidArgument for an unreadable file (nothing written).
  Result<IngestResult> Ingest(int64_t sample_id, std::string_view file_name,
                              std::string_view data, const Form& form,
                              std::string_view actor);

  Result<std::vector<StoredSubmission>> Submissions(int64_t sample_id);

  // `tolerance`: MNT a reported amount may fall short of the bank's
  // (pdm.crosscheck.shortfall_tolerance).
  Result<Report> MakeReport(int64_t sample_id, const Form& form,
                            int64_t tolerance,
                            const FindingsOptions& options = {});

 private:
  Status Audit(std::string_view actor, std::string action, int64_t id,
               std::string after);
  // Ingest's writes, inside its transaction.
  Status StoreIngested(int64_t sample_id, const Ingested& page,
                       IngestResult* out);
  store::Session& session_;
  Repository& rows_;
};

}  // namespace malchin::pdm
