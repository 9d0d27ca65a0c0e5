// Follow-up cases of a PDM report raised as grievances (pdm/follow_up.h).
#include "pdm/follow_up.h"

#include <nlohmann/json.hpp>

#include "store/audit.h"

namespace malchin::pdm {
namespace {

constexpr std::string_view kCategory = "payment_problem";

std::string ExternalId(int64_t sample_id, std::string_view uuid) {
  return "pdm:" + std::to_string(sample_id) + ":" + std::string(uuid);
}

}  // namespace

std::string GrievanceSummary(const SampleRecord& s, const BankMismatch& m) {
  const std::string inst = std::to_string(s.installment);
  const std::string id = std::to_string(s.id);
  return "Хяналтын судалгаа (PDM) дээж " + id + ", " + s.plan_code + " " +
         inst + "-р олголт: " + m.Describe(Lang::kMn) +
         ".\nPost-distribution monitoring sample " + id + ", plan " +
         s.plan_code + " installment " + inst + ": " + m.Describe(Lang::kEn) +
         ".";
}

FollowUpGrievances::FollowUpGrievances(store::Session& session,
                                       grievance::Service& grievances)
    : session_(session),
      grievances_(grievances),
      rows_(session.Get<Repository>()) {}

Result<std::vector<FollowUpGrievance>> FollowUpGrievances::Raised(
    int64_t sample_id) {
  return rows_.FollowUpGrievances(sample_id);
}

Result<BankMismatch> FollowUpGrievances::FindCase(int64_t sample_id,
                                                  std::string_view uuid,
                                                  const Form& form,
                                                  int64_t tolerance,
                                                  SampleRecord* sample) {
  Monitoring monitoring(session_);
  MALCHIN_ASSIGN_OR_RETURN(Report report,
                           monitoring.MakeReport(sample_id, form, tolerance));
  *sample = report.sample;
  for (const BankMismatch& m : report.follow_up) {
    if (m.uuid != uuid) continue;
    if (m.reason == BankMismatch::Reason::kNotPaidButReceived) {
      return Status::FailedPrecondition(
          "submission " + std::string(uuid) +
          ": the bank did not pay this beneficiary, so there is no payment "
          "to complain about; follow it up with the bank (банк олгоогүй)");
    }
    if (!session_.caller().area.Matches(m.soum_code)) {
      return Status::PermissionDenied(
          "soum " + std::to_string(m.soum_code) + " is outside the area of " +
          session_.caller().actor +
          "; the office of that soum raises it (өөр сумын хэрэг)");
    }
    return m;
  }
  return Status::NotFound("submission '" + std::string(uuid) +
                          "' of PDM sample " + std::to_string(sample_id) +
                          " is not a case to follow up (дахин шалгах "
                          "жагсаалтад байхгүй)");
}

Result<RaisedGrievance> FollowUpGrievances::Record(const SampleRecord& sample,
                                                   const BankMismatch& m) {
  Monitoring monitoring(session_);
  MALCHIN_ASSIGN_OR_RETURN(Sample s, monitoring.LoadSample(sample.id));
  grievance::IntakeRequest r;
  r.channel = grievance::Channel::kOffice;
  r.category = std::string(kCategory);
  r.soum_code = m.soum_code;
  r.complainant.register_no = m.payee_id;
  for (const SampledUnit& u : s.units) {
    if (u.unit.beneficiary_id == m.beneficiary_id) {
      r.complainant.name = u.unit.label;
    }
  }
  r.subject_kind = grievance::SubjectKind::kPerson;
  r.subject_ref = m.beneficiary_id;
  r.summary = GrievanceSummary(sample, m);
  r.external_id = ExternalId(sample.id, m.uuid);
  MALCHIN_ASSIGN_OR_RETURN(grievance::IntakeReceipt receipt,
                           grievances_.Intake(r));
  if (receipt.already_received) {
    return Status::FailedPrecondition(
        "a grievance " + r.external_id +
        " exists without its PDM link; ask an administrator");
  }
  RaisedGrievance out;
  out.created = true;
  out.link = {sample.id,
              m.uuid,
              m.beneficiary_id,
              receipt.id,
              receipt.reference,
              session_.caller().actor,
              session_.clock().NowIso()};
  MALCHIN_RETURN_IF_ERROR(rows_.InsertFollowUpGrievance(out.link));
  store::AuditEntry e;
  e.action = "pdm.follow_up.grievance";
  e.entity_type = "pdm_sample";
  e.entity_id = std::to_string(sample.id);
  e.after_json = nlohmann::json{{"submission", m.uuid},
                                {"beneficiary", m.beneficiary_id},
                                {"grievance", receipt.reference}}
                     .dump();
  MALCHIN_RETURN_IF_ERROR(session_.Audit(e).status());
  return out;
}

Result<RaisedGrievance> FollowUpGrievances::Raise(int64_t sample_id,
                                                  std::string_view uuid,
                                                  const Form& form,
                                                  int64_t tolerance) {
  RaisedGrievance out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(
        session_.Lock("pdm.sample:" + std::to_string(sample_id)));
    SampleRecord sample;
    MALCHIN_ASSIGN_OR_RETURN(
        BankMismatch m, FindCase(sample_id, uuid, form, tolerance, &sample));
    MALCHIN_ASSIGN_OR_RETURN(auto raised, rows_.FollowUpGrievances(sample_id));
    for (const FollowUpGrievance& g : raised) {
      if (g.submission_uuid == uuid) {
        out = {g, false};
        return Status::Ok();
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(out, Record(sample, m));
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::pdm
