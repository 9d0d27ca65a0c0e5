// The PostgreSQL engine's pdm::Repository: data access only (migrations
// 0015, 0020); the rules are PDM's own (src/pdm/monitoring.cpp).
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "pdm/repository.h"

namespace malchin::backends::postgres {
namespace {

using pdm::PayrollOutcome;
using pdm::SampleRecord;
using pdm::StoredSubmission;

pdm::Sex SexOf(std::string_view s) {
  return s == "M" ? pdm::Sex::kMale : pdm::Sex::kFemale;
}

// The latest payment attempt of payroll line l.id: `what` of it.
std::string Latest(const char* what, const char* otherwise) {
  return std::string("COALESCE((SELECT y.") + what +
         " FROM response_payments y WHERE y.line_id = l.id ORDER BY "
         "y.attempt DESC LIMIT 1), " +
         otherwise + ")";
}

constexpr const char* kSampleColumns =
    "id, plan_code, installment, status, design, frame_units, "
    "frame_fingerprint, drawn_by, drawn_at, COALESCE(approved_by, ''), "
    "COALESCE(approved_at, '')";

Result<SampleRecord> ReadSample(const pqxx::row& r) {
  SampleRecord s;
  s.id = PgInt(r[0]);
  s.plan_code = PgText(r[1]);
  s.installment = static_cast<int>(PgInt(r[2]));
  s.status = PgText(r[3]) == "approved" ? pdm::SampleStatus::kApproved
                                        : pdm::SampleStatus::kDrawn;
  s.design = PgText(r[4]);
  s.frame_units = PgInt(r[5]);
  s.frame_fingerprint = PgText(r[6]);
  s.drawn_by = PgText(r[7]);
  s.drawn_at = PgText(r[8]);
  s.approved_by = PgText(r[9]);
  s.approved_at = PgText(r[10]);
  return s;
}

Result<PayrollOutcome> ReadOutcome(const pqxx::row& r) {
  PayrollOutcome o;
  pdm::Unit& u = o.unit;
  u.beneficiary_id = PgText(r[0]);
  u.payee_id = PgText(r[1]);
  u.label = PgText(r[2]);
  u.soum_code = static_cast<int32_t>(PgInt(r[3]));
  u.aimag_code = u.soum_code / 100;
  u.caregiver_sex = SexOf(PgText(r[4]));
  u.head_sex = SexOf(PgText(r[5]));
  u.disability = PgBool(r[6]);
  u.amount = PgInt(r[7]);
  o.bank.beneficiary_id = u.beneficiary_id;
  o.bank.status = pdm::BankStatusFromName(PgText(r[8]));
  o.bank.amount = PgInt(r[9]);
  return o;
}

Result<StoredSubmission> ReadSubmission(const pqxx::row& q) {
  StoredSubmission r;
  pdm::Submission& x = r.submission;
  x.uuid = PgText(q[0]);
  x.root_uuid = PgText(q[1]);
  x.id = PgInt(q[2]);
  x.submission_time = PgText(q[3]);
  auto date = Date::Parse(x.submission_time.substr(0, 10));
  x.has_date = date.ok();
  if (date.ok()) x.submission_date = *date;
  x.respondent = PgText(q[4]);
  x.rejected = PgText(q[5]) == "rejected";
  MALCHIN_ASSIGN_OR_RETURN(x.answers, pdm::DecodeAnswers(PgText(q[6])));
  r.problems = PgText(q[7]);
  r.file = PgText(q[8]);
  x.line = static_cast<size_t>(PgInt(q[9]));
  return r;
}

Result<pdm::Stratum> ReadStratum(const pqxx::row& q) {
  pdm::Stratum t;
  t.label = PgText(q[0]);
  t.key.aimag = static_cast<int32_t>(PgInt(q[1]));
  t.key.soum = static_cast<int32_t>(PgInt(q[2]));
  t.key.caregiver_sex = static_cast<int8_t>(PgInt(q[3]));
  t.key.head_sex = static_cast<int8_t>(PgInt(q[4]));
  t.key.disability = static_cast<int8_t>(PgInt(q[5]));
  t.population = PgInt(q[6]);
  t.size.n0 = PgReal(q[7]);
  t.size.n_corrected = PgReal(q[8]);
  t.size.completes = PgInt(q[9]);
  t.size.selected = PgInt(q[10]);
  t.inclusion_probability = PgReal(q[11]);
  t.design_weight = PgReal(q[12]);
  return t;
}

Result<pdm::SampledUnit> ReadUnit(const pqxx::row& q) {
  pdm::SampledUnit su;
  pdm::Unit& u = su.unit;
  u.beneficiary_id = PgText(q[0]);
  u.payee_id = PgText(q[1]);
  u.label = PgText(q[2]);
  u.aimag_code = static_cast<int32_t>(PgInt(q[3]));
  u.soum_code = static_cast<int32_t>(PgInt(q[4]));
  u.caregiver_sex = SexOf(PgText(q[5]));
  u.head_sex = SexOf(PgText(q[6]));
  u.disability = PgInt(q[7]) != 0;
  u.amount = PgInt(q[8]);
  su.stratum = static_cast<size_t>(PgInt(q[9]));
  su.rank = PgInt(q[10]);
  su.replacement = PgInt(q[11]) != 0;
  return su;
}

class PgPdmRepository final : public pdm::Repository {
 public:
  explicit PgPdmRepository(PgSession& s) : s_(s) {}

  Result<std::vector<PayrollOutcome>> PayrollOutcomes(
      std::string_view plan_code, int installment,
      const store::AreaFilter& area) override {
    PgArea a = s_.Area(area, "e.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "pdm.outcomes" + a.key,
            "SELECT e.register_no, e.payee_register_no, e.payee_name, "
            "e.soum_code, COALESCE(pp.sex, e.sex), COALESCE((SELECT hp.sex "
            "FROM persons hp JOIN households hh ON hh.hh = hp.hh WHERE "
            "hh.id = e.household_id AND hp.relation = 'head' AND "
            "hp.deactivated_on IS NULL ORDER BY hp.pid LIMIT 1), pp.sex, "
            "e.sex), (e.disability OR EXISTS (SELECT 1 FROM persons dp JOIN "
            "households dh ON dh.hh = dp.hh WHERE dh.id = e.household_id AND "
            "dp.disability AND dp.deactivated_on IS NULL)), l.amount, " +
                Latest("status", "'pending'") + ", " +
                Latest("amount", "l.amount") +
                " FROM response_payroll_lines l JOIN response_plans p ON p.id "
                "= l.plan_id JOIN response_entitlements e ON e.id = "
                "l.entitlement_id LEFT JOIN persons pp ON pp.register_no = "
                "e.payee_register_no WHERE p.code = $1 AND l.installment = "
                "$2 AND " +
                a.sql + " ORDER BY e.register_no COLLATE \"C\"",
            plan_code, installment, a.value));
    return ReadAll<PayrollOutcome>(r, ReadOutcome);
  }

  Result<int64_t> InsertSample(const SampleRecord& rec,
                               const pdm::Sample& sample) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.insert_sample",
                    "INSERT INTO pdm_samples (plan_code, installment, status, "
                    "design, frame_units, frame_fingerprint, drawn_by, "
                    "drawn_at) VALUES ($1, $2, 'drawn', $3, $4, $5, $6, $7) "
                    "RETURNING id",
                    rec.plan_code, rec.installment, rec.design, rec.frame_units,
                    rec.frame_fingerprint, rec.drawn_by, rec.drawn_at));
    if (r.empty()) return Status::Internal("INSERT returned no id");
    int64_t id = PgInt(r[0][0]);
    for (size_t i = 0; i < sample.strata.size(); ++i) {
      MALCHIN_RETURN_IF_ERROR(InsertStratum(id, i, sample.strata[i]));
    }
    for (size_t i = 0; i < sample.units.size(); ++i) {
      MALCHIN_RETURN_IF_ERROR(InsertUnit(id, i, sample.units[i]));
    }
    return id;
  }

  Result<std::optional<SampleRecord>> FindSample(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("pdm.find_sample",
                                    std::string("SELECT ") + kSampleColumns +
                                        " FROM pdm_samples WHERE id = $1",
                                    id));
    return ReadFirst<SampleRecord>(r, ReadSample);
  }

  Result<std::optional<SampleRecord>> FindSampleByKey(
      std::string_view plan_code, int installment, std::string_view design,
      std::string_view fingerprint) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.find_sample_key",
                    std::string("SELECT ") + kSampleColumns +
                        " FROM pdm_samples WHERE plan_code = $1 AND "
                        "installment = $2 AND design = $3 AND "
                        "frame_fingerprint = $4",
                    plan_code, installment, design, fingerprint));
    return ReadFirst<SampleRecord>(r, ReadSample);
  }

  Result<pdm::Sample> LoadSample(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(auto rec, FindSample(id));
    if (!rec) return Status::NotFound("no PDM sample " + std::to_string(id));
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result sr,
        s_.Prepared("pdm.strata",
                    "SELECT label, aimag, soum, caregiver_sex, head_sex, "
                    "disability, population, n0, n_corrected, completes, "
                    "selected, inclusion_probability, design_weight FROM "
                    "pdm_strata WHERE sample_id = $1 ORDER BY seq",
                    id));
    MALCHIN_ASSIGN_OR_RETURN(auto strata,
                             ReadAll<pdm::Stratum>(sr, ReadStratum));
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result ur,
        s_.Prepared("pdm.units",
                    "SELECT beneficiary_id, payee_id, label, aimag_code, "
                    "soum_code, caregiver_sex, head_sex, disability, amount, "
                    "stratum, draw_rank, replacement FROM pdm_units WHERE "
                    "sample_id = $1 ORDER BY seq",
                    id));
    MALCHIN_ASSIGN_OR_RETURN(auto units,
                             ReadAll<pdm::SampledUnit>(ur, ReadUnit));
    return pdm::AssembleSample(*rec, std::move(strata), std::move(units));
  }

  Result<bool> MarkApproved(int64_t id, std::string_view by,
                            std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.approve",
                    "UPDATE pdm_samples SET status = 'approved', approved_by "
                    "= $2, approved_at = $3 WHERE id = $1 AND status = "
                    "'drawn'",
                    id, by, at));
    return r.affected_rows() == 1;
  }

  Result<std::vector<StoredSubmission>> Submissions(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.submissions",
                    "SELECT uuid, root_uuid, kobo_id, submission_time, "
                    "respondent, status, answers, problems, file, line FROM "
                    "pdm_submissions WHERE sample_id = $1 ORDER BY id",
                    id));
    return ReadAll<StoredSubmission>(r, ReadSubmission);
  }

  Result<bool> HasSubmission(std::string_view uuid) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.has_submission",
                    "SELECT 1 FROM pdm_submissions WHERE uuid = $1", uuid));
    return !r.empty();
  }

  Status InsertSubmission(int64_t id, const StoredSubmission& row,
                          std::string_view at) override {
    const pdm::Submission& x = row.submission;
    return s_
        .Prepared("pdm.insert_submission",
                  "INSERT INTO pdm_submissions (sample_id, uuid, root_uuid, "
                  "kobo_id, submission_time, respondent, status, answers, "
                  "problems, file, line, ingested_at) VALUES ($1, $2, $3, $4, "
                  "$5, $6, $7, $8, $9, $10, $11, $12)",
                  id, x.uuid, x.root_uuid, x.id, x.submission_time,
                  x.respondent, x.rejected ? "rejected" : "accepted",
                  pdm::EncodeAnswers(x.answers), row.problems, row.file,
                  static_cast<int64_t>(x.line), at)
        .status();
  }

  Result<std::vector<SampleRecord>> ListSamples(
      const store::AreaFilter& area) override {
    PgArea a = s_.Area(area, "u.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.list_samples" + a.key,
                    std::string("SELECT ") + kSampleColumns +
                        " FROM pdm_samples s WHERE EXISTS (SELECT 1 FROM "
                        "pdm_units u WHERE u.sample_id = s.id AND " +
                        a.sql + ") ORDER BY id DESC",
                    a.value));
    return ReadAll<SampleRecord>(r, ReadSample);
  }

  Result<std::vector<pdm::FollowUpGrievance>> FollowUpGrievances(
      int64_t sample_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("pdm.follow_up_grievances",
                    "SELECT sample_id, submission_uuid, beneficiary_id, "
                    "grievance_id, grievance_reference, raised_by, raised_at "
                    "FROM pdm_follow_up_grievances WHERE sample_id = $1 "
                    "ORDER BY raised_at, grievance_id",
                    sample_id));
    return ReadAll<pdm::FollowUpGrievance>(
        r, [](const pqxx::row& q) -> Result<pdm::FollowUpGrievance> {
          return pdm::FollowUpGrievance{PgInt(q[0]), PgText(q[1]), PgText(q[2]),
                                        PgInt(q[3]), PgText(q[4]), PgText(q[5]),
                                        PgText(q[6])};
        });
  }

  Status InsertFollowUpGrievance(const pdm::FollowUpGrievance& g) override {
    return s_
        .Prepared("pdm.insert_follow_up_grievance",
                  "INSERT INTO pdm_follow_up_grievances (sample_id, "
                  "submission_uuid, beneficiary_id, grievance_id, "
                  "grievance_reference, raised_by, raised_at) VALUES ($1, "
                  "$2, $3, $4, $5, $6, $7)",
                  g.sample_id, g.submission_uuid, g.beneficiary_id,
                  g.grievance_id, g.grievance_reference, g.raised_by,
                  g.raised_at)
        .status();
  }

 private:
  Status InsertStratum(int64_t id, size_t seq, const pdm::Stratum& t) {
    return s_
        .Prepared("pdm.insert_stratum",
                  "INSERT INTO pdm_strata (sample_id, seq, label, aimag, "
                  "soum, caregiver_sex, head_sex, disability, population, "
                  "n0, n_corrected, completes, selected, "
                  "inclusion_probability, design_weight) VALUES ($1, $2, $3, "
                  "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                  id, static_cast<int64_t>(seq), t.label, t.key.aimag,
                  t.key.soum, static_cast<int>(t.key.caregiver_sex),
                  static_cast<int>(t.key.head_sex),
                  static_cast<int>(t.key.disability), t.population, t.size.n0,
                  t.size.n_corrected, t.size.completes, t.size.selected,
                  t.inclusion_probability, t.design_weight)
        .status();
  }

  Status InsertUnit(int64_t id, size_t seq, const pdm::SampledUnit& su) {
    const pdm::Unit& u = su.unit;
    return s_
        .Prepared(
            "pdm.insert_unit",
            "INSERT INTO pdm_units (sample_id, seq, stratum, "
            "beneficiary_id, payee_id, label, aimag_code, soum_code, "
            "caregiver_sex, head_sex, disability, amount, draw_rank, "
            "replacement) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
            "$10, $11, $12, $13, $14)",
            id, static_cast<int64_t>(seq), static_cast<int64_t>(su.stratum),
            u.beneficiary_id, u.payee_id, u.label, u.aimag_code, u.soum_code,
            pdm::SexCode(u.caregiver_sex), pdm::SexCode(u.head_sex),
            u.disability ? 1 : 0, u.amount, su.rank, su.replacement ? 1 : 0)
        .status();
  }

  PgSession& s_;
};

}  // namespace

void RegisterPdmRepositories(PgFactories* f) {
  f->Add<pdm::Repository>(
      [](PgSession& s) { return std::make_unique<PgPdmRepository>(s); });
}

}  // namespace malchin::backends::postgres
