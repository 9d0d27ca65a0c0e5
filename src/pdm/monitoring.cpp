// The rules and transactions of post-distribution monitoring
// (pdm/monitoring.h), around the engine's data access (pdm/repository.h).
#include "pdm/monitoring.h"

#include <set>
#include <utility>

#include "store/audit.h"

namespace malchin::pdm {
namespace {

std::string SampleLock(int64_t id) {
  return "pdm.sample:" + std::to_string(id);
}

bool LooksLikeJson(std::string_view data) {
  for (char c : data) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

// The units the bank reported paid: the sampling frame.
std::vector<Unit> PaidUnits(const std::vector<PayrollOutcome>& lines) {
  std::vector<Unit> frame;
  for (const PayrollOutcome& l : lines) {
    if (l.bank.status == BankStatus::kPaid) frame.push_back(l.unit);
  }
  return frame;
}

std::string Messages(const std::vector<Problem>& problems,
                     std::string_view uuid) {
  std::string out;
  for (const Problem& p : problems) {
    if (p.uuid != uuid || p.severity != Problem::Severity::kError) continue;
    if (!out.empty()) out += "\n";
    out += p.Message();
  }
  return out;
}

}  // namespace

Monitoring::Monitoring(store::Session& session)
    : session_(session), rows_(session.Get<Repository>()) {}

Status Monitoring::Audit(std::string_view actor, std::string action, int64_t id,
                         std::string after) {
  store::AuditEntry e;
  e.actor = actor;
  e.action = std::move(action);
  e.entity_type = "pdm_sample";
  e.entity_id = std::to_string(id);
  e.after_json = std::move(after);
  return session_.Audit(e).status();
}

Result<SampleRecord> Monitoring::DrawPayrollSample(
    std::string_view plan_code, int installment, const SampleDesign& design,
    std::string_view actor, const store::AreaFilter& area, bool* created) {
  if (created) *created = false;
  MALCHIN_RETURN_IF_ERROR(ValidateDesign(design));
  const std::string payroll =
      std::string(plan_code) + " installment " + std::to_string(installment);
  SampleRecord out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock("pdm.payroll:" + payroll));
    MALCHIN_ASSIGN_OR_RETURN(
        auto lines, rows_.PayrollOutcomes(plan_code, installment, area));
    if (lines.empty()) {
      return Status::NotFound("no payroll lines for plan " + payroll +
                              " in the area; expected a generated payroll");
    }
    std::vector<Unit> frame = PaidUnits(lines);
    if (frame.empty()) {
      return Status::FailedPrecondition(
          "payroll " + payroll +
          ": no payment reported paid yet; expected "
          "the bank's results before sampling (Төлбөр хийгдээгүй байна)");
    }
    MALCHIN_ASSIGN_OR_RETURN(Sample sample, DrawSample(frame, design));
    SampleRecord r;
    r.plan_code = plan_code;
    r.installment = installment;
    r.design = EncodeDesign(design);
    r.frame_units = sample.frame_units;
    r.frame_fingerprint = sample.frame_fingerprint;
    MALCHIN_ASSIGN_OR_RETURN(
        auto found, rows_.FindSampleByKey(plan_code, installment, r.design,
                                          r.frame_fingerprint));
    if (found) {
      out = *found;
      return Status::Ok();
    }
    r.drawn_by = actor;
    r.drawn_at = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(r.id, rows_.InsertSample(r, sample));
    out = r;
    if (created) *created = true;
    return Audit(actor, "pdm.sample.draw", r.id,
                 "{\"plan\":\"" + r.plan_code +
                     "\",\"installment\":" + std::to_string(installment) +
                     ",\"units\":" + std::to_string(sample.units.size()) + "}");
  }));
  return out;
}

Result<SampleRecord> Monitoring::FindSample(int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(auto r, rows_.FindSample(id));
  if (!r) {
    return Status::NotFound("no PDM sample " + std::to_string(id) +
                            " (ийм түүвэр алга)");
  }
  return *r;
}

Result<Sample> Monitoring::LoadSample(int64_t id) {
  MALCHIN_RETURN_IF_ERROR(FindSample(id).status());
  return rows_.LoadSample(id);
}

Result<SampleRecord> Monitoring::Approve(int64_t id, std::string_view actor) {
  SampleRecord out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock(SampleLock(id)));
    MALCHIN_ASSIGN_OR_RETURN(out, FindSample(id));
    if (out.status == SampleStatus::kApproved) return Status::Ok();
    if (out.drawn_by == actor) {
      return Status::PermissionDenied(
          "PDM sample " + std::to_string(id) + " was drawn by " +
          std::string(actor) +
          "; expected another officer to approve it (түүврийг өөр ажилтан "
          "батална)");
    }
    std::string at = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(bool changed, rows_.MarkApproved(id, actor, at));
    if (!changed) return Status::Internal("PDM sample approval lost a race");
    out.status = SampleStatus::kApproved;
    out.approved_by = actor;
    out.approved_at = at;
    return Audit(actor, "pdm.sample.approve", id, "{\"status\":\"approved\"}");
  }));
  return out;
}

Result<std::vector<StoredSubmission>> Monitoring::Submissions(int64_t id) {
  MALCHIN_RETURN_IF_ERROR(FindSample(id).status());
  return rows_.Submissions(id);
}

Result<IngestResult> Monitoring::Ingest(int64_t id, std::string_view file_name,
                                        std::string_view data, const Form& form,
                                        std::string_view actor) {
  MALCHIN_ASSIGN_OR_RETURN(SampleRecord rec, FindSample(id));
  if (rec.status != SampleStatus::kApproved) {
    return Status::FailedPrecondition(
        "PDM sample " + std::to_string(id) +
        " is not approved; expected an approved (frozen) sample before "
        "ingesting submissions (түүвэр батлагдаагүй)");
  }
  MALCHIN_ASSIGN_OR_RETURN(Sample sample, rows_.LoadSample(id));
  IngestOptions options;
  options.respondents = RespondentIds(sample);
  MALCHIN_ASSIGN_OR_RETURN(Ingested page,
                           LooksLikeJson(data)
                               ? ReadKoboJson(file_name, data, form, options)
                               : ReadKoboCsv(file_name, data, form, options));
  IngestResult out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    out = IngestResult();
    out.problems = page.problems;
    MALCHIN_RETURN_IF_ERROR(session_.Lock(SampleLock(id)));
    MALCHIN_RETURN_IF_ERROR(StoreIngested(id, page, &out));
    return Audit(actor, "pdm.ingest", id,
                 "{\"file\":\"" + std::string(file_name) +
                     "\",\"accepted\":" + std::to_string(out.accepted) +
                     ",\"rejected\":" + std::to_string(out.rejected) + "}");
  }));
  return out;
}

Status Monitoring::StoreIngested(int64_t id, const Ingested& page,
                                 IngestResult* out) {
  MALCHIN_ASSIGN_OR_RETURN(auto stored, rows_.Submissions(id));
  std::set<std::string, std::less<>> interviewed;
  for (const StoredSubmission& s : stored) {
    if (!s.submission.rejected) interviewed.insert(s.submission.respondent);
  }
  std::set<std::string, std::less<>> seen;
  const std::string now = session_.clock().NowIso();
  for (const Submission& s : page.submissions) {
    if (s.uuid.empty() || !seen.insert(s.uuid).second) {
      ++out->skipped;
      continue;
    }
    MALCHIN_ASSIGN_OR_RETURN(bool known, rows_.HasSubmission(s.uuid));
    if (known) {
      ++out->unchanged;
      continue;
    }
    StoredSubmission row{s, page.file, Messages(page.problems, s.uuid)};
    if (!row.submission.rejected &&
        interviewed.count(row.submission.respondent)) {
      Problem p{Problem::Severity::kError,
                page.file,
                s.line,
                s.uuid,
                "respondent",
                s.respondent,
                "a respondent not interviewed before (already in a stored "
                "submission; өмнө нь ярилцлага өгсөн)"};
      row.submission.rejected = true;
      row.problems = p.Message();
      out->problems.push_back(std::move(p));
    }
    if (!row.submission.rejected) interviewed.insert(s.respondent);
    ++(row.submission.rejected ? out->rejected : out->accepted);
    MALCHIN_RETURN_IF_ERROR(rows_.InsertSubmission(id, row, now));
  }
  return Status::Ok();
}

Result<std::vector<SampleRecord>> Monitoring::ListSamples() {
  return rows_.ListSamples({});
}

Result<Report> Monitoring::MakeReport(int64_t id, const Form& form,
                                      int64_t tolerance,
                                      const FindingsOptions& options) {
  Report out;
  out.confidence = options.confidence;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(out.sample, FindSample(id));
    MALCHIN_ASSIGN_OR_RETURN(Sample sample, rows_.LoadSample(id));
    MALCHIN_ASSIGN_OR_RETURN(auto stored, rows_.Submissions(id));
    std::vector<Submission> accepted;
    for (StoredSubmission& s : stored) {
      if (!s.submission.rejected) accepted.push_back(std::move(s.submission));
    }
    out.submissions = static_cast<int64_t>(accepted.size());
    MALCHIN_ASSIGN_OR_RETURN(out.findings,
                             ComputeFindings(sample, accepted, form, options));
    MALCHIN_ASSIGN_OR_RETURN(auto lines,
                             rows_.PayrollOutcomes(out.sample.plan_code,
                                                   out.sample.installment, {}));
    std::vector<BankRecord> bank;
    for (const PayrollOutcome& l : lines) bank.push_back(l.bank);
    out.follow_up = CrossCheckBank(sample, accepted, bank, tolerance, options);
    return Status::Ok();
  }));
  return out;
}

}  // namespace malchin::pdm
