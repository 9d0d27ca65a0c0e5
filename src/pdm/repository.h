// pdm::Repository: where post-distribution monitoring is stored (samples of
// a payroll with their strata and units, and the KoBoToolbox submissions
// ingested against them). DATA ACCESS ONLY: the rules (who may approve,
// what a re-ingest does, which submissions are refused) and the
// transactions are the capability's own (pdm/monitoring.h). Each engine
// implements it (src/backends/<engine>/pdm_repository.cpp).
//
// Every write method REQUIRES an open Session::Write of its session and
// leaves the transaction to the caller. The database guarantees in every
// engine's schema: a submission's _uuid is stored once (UNIQUE), a sampled
// beneficiary once per sample, the approver of a sample is not the one who
// drew it, and sample rows are never changed once approved.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "pdm/findings.h"
#include "pdm/kobo.h"
#include "pdm/sample.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::pdm {

enum class SampleStatus : uint8_t { kDrawn, kApproved };
std::string_view Name(SampleStatus s);  // "drawn" | "approved"

// What a sample is of and where it stands; the strata and units are in
// the Sample (LoadSample).
struct SampleRecord {
  int64_t id = 0;
  std::string plan_code;
  int installment = 0;
  SampleStatus status = SampleStatus::kDrawn;
  std::string design;  // EncodeDesign(...)
  int64_t frame_units = 0;
  std::string frame_fingerprint;
  std::string drawn_by, drawn_at;
  std::string approved_by, approved_at;  // empty until approved
};

// One line of a payroll with what the bank said of its latest payment
// attempt (pending when none), for the sampling frame and the cross-check.
struct PayrollOutcome {
  Unit unit;  // beneficiary_id = the beneficiary's register number
  BankRecord bank;
};

// A submission as stored: `submission` (answers included) and the file it
// came from.
struct StoredSubmission {
  Submission submission;
  std::string file;
  std::string problems;  // why it was rejected (one message per line)
};

// A follow-up case (findings.h BankMismatch) raised as a grievance case:
// which submission of which sample, the grievance's id and reference.
struct FollowUpGrievance {
  int64_t sample_id = 0;
  std::string submission_uuid;
  std::string beneficiary_id;
  int64_t grievance_id = 0;
  std::string grievance_reference;  // "G-2026-00042"
  std::string raised_by, raised_at;
};

// The design as canonical JSON text, and back (InvalidArgument naming the
// field for a malformed text).
std::string EncodeDesign(const SampleDesign& design);
Result<SampleDesign> DecodeDesign(std::string_view text);
// Answers as a JSON object of strings, and back.
std::string EncodeAnswers(const Answers& answers);
Result<Answers> DecodeAnswers(std::string_view text);

// A payment status as the response tables spell it ("paid", "failed",
// "returned"; anything else is pending).
BankStatus BankStatusFromName(std::string_view name);

// The Sample of stored rows: the record's design and frame fields, the
// strata in order (selected/replacements left empty) and the units in
// order (each naming its stratum); fills each stratum's selected and
// replacement lists. Internal if a unit names a missing stratum.
Result<Sample> AssembleSample(const SampleRecord& record,
                              std::vector<Stratum> strata,
                              std::vector<SampledUnit> units);

class Repository : public store::Repository {
 public:
  // Every line of the payroll (plan code, installment) of beneficiaries in
  // `area` (with the caller's), by register number: the entitlement's
  // soum, disability and amount, the caregiver's sex (the payee's as the
  // register says, else the beneficiary's), the household head's sex
  // (else the caregiver's) and the latest payment's status and amount.
  // Empty if there is no such payroll.
  virtual Result<std::vector<PayrollOutcome>> PayrollOutcomes(
      std::string_view plan_code, int installment,
      const store::AreaFilter& area) = 0;

  // Writes the sample (record's id, status, approved_* ignored); its id.
  virtual Result<int64_t> InsertSample(const SampleRecord& record,
                                       const Sample& sample) = 0;
  virtual Result<std::optional<SampleRecord>> FindSample(int64_t id) = 0;
  // The sample drawn for this payroll with this design from a frame with
  // this fingerprint, if any.
  virtual Result<std::optional<SampleRecord>> FindSampleByKey(
      std::string_view plan_code, int installment, std::string_view design,
      std::string_view frame_fingerprint) = 0;
  // The strata and units of a stored sample (design and frame fields
  // included). NotFound if there is none.
  virtual Result<Sample> LoadSample(int64_t id) = 0;
  // Marks a drawn sample approved; false if it was not in status drawn.
  virtual Result<bool> MarkApproved(int64_t id, std::string_view by,
                                    std::string_view at) = 0;

  // Every submission stored for the sample, accepted and rejected, in the
  // order they were stored.
  virtual Result<std::vector<StoredSubmission>> Submissions(
      int64_t sample_id) = 0;
  // True if a submission with this _uuid is stored (for any sample).
  virtual Result<bool> HasSubmission(std::string_view uuid) = 0;
  virtual Status InsertSubmission(int64_t sample_id, const StoredSubmission& s,
                                  std::string_view ingested_at) = 0;

  // The samples with at least one sampled unit in `area` (with the
  // caller's), newest first.
  virtual Result<std::vector<SampleRecord>> ListSamples(
      const store::AreaFilter& area) = 0;

  // The follow-up cases of the sample raised as grievances, in the order
  // they were raised.
  virtual Result<std::vector<FollowUpGrievance>> FollowUpGrievances(
      int64_t sample_id) = 0;
  // AlreadyExists when the submission already has a grievance, or the
  // grievance already answers another case (both UNIQUE in every schema).
  virtual Status InsertFollowUpGrievance(const FollowUpGrievance& row) = 0;
};

}  // namespace malchin::pdm
