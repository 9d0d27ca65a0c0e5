// pdm::FollowUpGrievances: a follow-up case of a PDM report (a respondent
// the bank reported paid who says they received nothing, or less than the
// amount paid; findings.h CrossCheckBank) turned into a grievance case
// through the grievance capability's own intake (grievance/service.h), so
// the case gets its deadlines, letters and escalation like any complaint.
//
// The grievance is recorded by the calling officer (channel "office"),
// category "payment_problem" ("payment not received or wrong amount"), in
// the respondent's soum; the complainant is the payee (register number and
// name), the subject the beneficiary (a person); the summary names the
// sample, plan, installment, the bank's amount and what the respondent
// said, in Mongolian and English. Idempotent: the submission has at most
// one grievance (a constraint in every schema, pdm/repository.h), so
// raising it again returns the same case (created = false). One
// Session::Write under a lock on the sample, with an audit-trail entry
// "pdm.follow_up.grievance"; nothing is written on error.
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "grievance/service.h"
#include "pdm/monitoring.h"

namespace malchin::pdm {

struct RaisedGrievance {
  FollowUpGrievance link;
  bool created = false;  // false: the case was raised before
};

class FollowUpGrievances {
 public:
  // REQUIRES: `session` and `grievances` (on the same session) outlive
  // this object.
  FollowUpGrievances(store::Session& session, grievance::Service& grievances);

  // Raises the follow-up case of submission `uuid` of the sample. NotFound
  // for an unknown sample, or a submission that is not a follow-up case
  // visible in the caller's area (the report's cross-check, `form` and
  // `tolerance` as for Monitoring::MakeReport); FailedPrecondition for a
  // case the bank did not pay (that is the bank's to follow up);
  // PermissionDenied for a caller without record_grievance or outside the
  // respondent's soum; the intake's errors otherwise.
  Result<RaisedGrievance> Raise(int64_t sample_id, std::string_view uuid,
                                const Form& form, int64_t tolerance);

  // The cases of the sample already raised, in the order raised.
  Result<std::vector<FollowUpGrievance>> Raised(int64_t sample_id);

 private:
  Result<BankMismatch> FindCase(int64_t sample_id, std::string_view uuid,
                                const Form& form, int64_t tolerance,
                                SampleRecord* sample);
  Result<RaisedGrievance> Record(const SampleRecord& sample,
                                 const BankMismatch& m);
  store::Session& session_;
  grievance::Service& grievances_;
  Repository& rows_;
};

// The grievance's summary for case `m` of `sample`: Mongolian, then
// English.
std::string GrievanceSummary(const SampleRecord& sample, const BankMismatch& m);

}  // namespace malchin::pdm
