// The SQLite engine's pdm::Repository: data access only (migrations 0018
// and 0023); the rules are PDM's own (src/pdm/monitoring.cpp).
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "pdm/repository.h"

namespace malchin::backends::sqlite {
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

SampleRecord ReadSample(const Stmt& s) {
  SampleRecord r;
  r.id = s.Int(0);
  r.plan_code = s.Text(1);
  r.installment = static_cast<int>(s.Int(2));
  r.status = s.Text(3) == "approved" ? pdm::SampleStatus::kApproved
                                     : pdm::SampleStatus::kDrawn;
  r.design = s.Text(4);
  r.frame_units = s.Int(5);
  r.frame_fingerprint = s.Text(6);
  r.drawn_by = s.Text(7);
  r.drawn_at = s.Text(8);
  r.approved_by = s.Text(9);
  r.approved_at = s.Text(10);
  return r;
}

PayrollOutcome ReadOutcome(const Stmt& s) {
  PayrollOutcome o;
  pdm::Unit& u = o.unit;
  u.beneficiary_id = s.Text(0);
  u.payee_id = s.Text(1);
  u.label = s.Text(2);
  u.soum_code = static_cast<int32_t>(s.Int(3));
  u.aimag_code = u.soum_code / 100;
  u.caregiver_sex = SexOf(s.Text(4));
  u.head_sex = SexOf(s.Text(5));
  u.disability = s.Int(6) != 0;
  u.amount = s.Int(7);
  o.bank.beneficiary_id = u.beneficiary_id;
  o.bank.status = pdm::BankStatusFromName(s.Text(8));
  o.bank.amount = s.Int(9);
  return o;
}

class SqlitePdmRepository final : public pdm::Repository {
 public:
  explicit SqlitePdmRepository(SqliteSession& s) : s_(s) {}

  Result<std::vector<PayrollOutcome>> PayrollOutcomes(
      std::string_view plan_code, int installment,
      const store::AreaFilter& area) override {
    AreaClause a = s_.Area(area, "e.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared(
            "pdm.outcomes" + a.key,
            "SELECT e.register_no, e.payee_register_no, e.payee_name, "
            "e.soum_code, COALESCE(pp.sex, e.sex), COALESCE((SELECT hp.sex "
            "FROM persons hp JOIN households hh ON hh.hh = hp.hh WHERE "
            "hh.id = e.household_id AND hp.relation = 'head' AND "
            "hp.deactivated_on IS NULL ORDER BY hp.pid LIMIT 1), pp.sex, "
            "e.sex), (e.disability = 1 OR EXISTS (SELECT 1 FROM persons dp "
            "JOIN households dh ON dh.hh = dp.hh WHERE dh.id = "
            "e.household_id AND dp.disability = 1 AND dp.deactivated_on IS "
            "NULL)), l.amount, " +
                Latest("status", "'pending'") + ", " +
                Latest("amount", "l.amount") +
                " FROM response_payroll_lines l JOIN response_plans p ON p.id "
                "= l.plan_id JOIN response_entitlements e ON e.id = "
                "l.entitlement_id LEFT JOIN persons pp ON pp.register_no = "
                "e.payee_register_no WHERE p.code = ?1 AND l.installment = "
                "?2 AND " +
                a.sql + " ORDER BY e.register_no"));
    s->Bind(1, plan_code).Bind(2, installment);
    a.Bind(*s);
    return ReadAll<PayrollOutcome>(
        *s,
        [](const Stmt& q) -> Result<PayrollOutcome> { return ReadOutcome(q); });
  }

  Result<int64_t> InsertSample(const SampleRecord& r,
                               const pdm::Sample& sample) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.insert_sample",
                    "INSERT INTO pdm_samples (plan_code, installment, status, "
                    "design, frame_units, frame_fingerprint, drawn_by, "
                    "drawn_at) VALUES (?1, ?2, 'drawn', ?3, ?4, ?5, ?6, ?7)"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, r.plan_code)
                                .Bind(2, r.installment)
                                .Bind(3, r.design)
                                .Bind(4, r.frame_units)
                                .Bind(5, r.frame_fingerprint)
                                .Bind(6, r.drawn_by)
                                .Bind(7, r.drawn_at)
                                .Run());
    int64_t id = sqlite3_last_insert_rowid(s_.db().raw());
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
        Stmt * s,
        s_.Prepared("pdm.find_sample", std::string("SELECT ") + kSampleColumns +
                                           " FROM pdm_samples WHERE id = ?1"));
    s->Bind(1, id);
    return ReadFirst<SampleRecord>(
        *s,
        [](const Stmt& q) -> Result<SampleRecord> { return ReadSample(q); });
  }

  Result<std::optional<SampleRecord>> FindSampleByKey(
      std::string_view plan_code, int installment, std::string_view design,
      std::string_view fingerprint) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("pdm.find_sample_key",
                              std::string("SELECT ") + kSampleColumns +
                                  " FROM pdm_samples WHERE plan_code = ?1 AND "
                                  "installment = ?2 AND design = ?3 AND "
                                  "frame_fingerprint = ?4"));
    s->Bind(1, plan_code)
        .Bind(2, installment)
        .Bind(3, design)
        .Bind(4, fingerprint);
    return ReadFirst<SampleRecord>(
        *s,
        [](const Stmt& q) -> Result<SampleRecord> { return ReadSample(q); });
  }

  Result<pdm::Sample> LoadSample(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(auto rec, FindSample(id));
    if (!rec) return Status::NotFound("no PDM sample " + std::to_string(id));
    MALCHIN_ASSIGN_OR_RETURN(auto strata, Strata(id));
    MALCHIN_ASSIGN_OR_RETURN(auto units, Units(id));
    return pdm::AssembleSample(*rec, std::move(strata), std::move(units));
  }

  Result<bool> MarkApproved(int64_t id, std::string_view by,
                            std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.approve",
                    "UPDATE pdm_samples SET status = 'approved', approved_by "
                    "= ?2, approved_at = ?3 WHERE id = ?1 AND status = "
                    "'drawn'"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, by).Bind(3, at).Run());
    return s_.db().Changes() == 1;
  }

  Result<std::vector<StoredSubmission>> Submissions(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.submissions",
                    "SELECT uuid, root_uuid, kobo_id, submission_time, "
                    "respondent, status, answers, problems, file, line FROM "
                    "pdm_submissions WHERE sample_id = ?1 ORDER BY id"));
    s->Bind(1, id);
    return ReadAll<StoredSubmission>(*s, ReadSubmission);
  }

  Result<bool> HasSubmission(std::string_view uuid) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("pdm.has_submission",
                              "SELECT 1 FROM pdm_submissions WHERE uuid = ?1"));
    s->Bind(1, uuid);
    MALCHIN_ASSIGN_OR_RETURN(auto row,
                             ReadFirst<int64_t>(*s, [](const Stmt& q) {
                               return Result<int64_t>(q.Int(0));
                             }));
    return row.has_value();
  }

  Status InsertSubmission(int64_t id, const StoredSubmission& row,
                          std::string_view at) override {
    const pdm::Submission& x = row.submission;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.insert_submission",
                    "INSERT INTO pdm_submissions (sample_id, uuid, root_uuid, "
                    "kobo_id, submission_time, respondent, status, answers, "
                    "problems, file, line, ingested_at) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    return s->Bind(1, id)
        .Bind(2, x.uuid)
        .Bind(3, x.root_uuid)
        .Bind(4, x.id)
        .Bind(5, x.submission_time)
        .Bind(6, x.respondent)
        .Bind(7, x.rejected ? "rejected" : "accepted")
        .Bind(8, pdm::EncodeAnswers(x.answers))
        .Bind(9, row.problems)
        .Bind(10, row.file)
        .Bind(11, static_cast<int64_t>(x.line))
        .Bind(12, at)
        .Run();
  }

  Result<std::vector<SampleRecord>> ListSamples(
      const store::AreaFilter& area) override {
    AreaClause a = s_.Area(area, "u.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.list_samples" + a.key,
                    std::string("SELECT ") + kSampleColumns +
                        " FROM pdm_samples s WHERE EXISTS (SELECT 1 FROM "
                        "pdm_units u WHERE u.sample_id = s.id AND " +
                        a.sql + ") ORDER BY id DESC"));
    a.Bind(*s);
    return ReadAll<SampleRecord>(*s, [](const Stmt& q) -> Result<SampleRecord> {
      return ReadSample(q);
    });
  }

  Result<std::vector<pdm::FollowUpGrievance>> FollowUpGrievances(
      int64_t sample_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.follow_up_grievances",
                    "SELECT sample_id, submission_uuid, beneficiary_id, "
                    "grievance_id, grievance_reference, raised_by, raised_at "
                    "FROM pdm_follow_up_grievances WHERE sample_id = ?1 "
                    "ORDER BY raised_at, grievance_id"));
    s->Bind(1, sample_id);
    return ReadAll<pdm::FollowUpGrievance>(
        *s, [](const Stmt& q) -> Result<pdm::FollowUpGrievance> {
          pdm::FollowUpGrievance g;
          g.sample_id = q.Int(0);
          g.submission_uuid = q.Text(1);
          g.beneficiary_id = q.Text(2);
          g.grievance_id = q.Int(3);
          g.grievance_reference = q.Text(4);
          g.raised_by = q.Text(5);
          g.raised_at = q.Text(6);
          return g;
        });
  }

  Status InsertFollowUpGrievance(const pdm::FollowUpGrievance& g) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.insert_follow_up_grievance",
                    "INSERT INTO pdm_follow_up_grievances (sample_id, "
                    "submission_uuid, beneficiary_id, grievance_id, "
                    "grievance_reference, raised_by, raised_at) VALUES (?1, "
                    "?2, ?3, ?4, ?5, ?6, ?7)"));
    return s->Bind(1, g.sample_id)
        .Bind(2, g.submission_uuid)
        .Bind(3, g.beneficiary_id)
        .Bind(4, g.grievance_id)
        .Bind(5, g.grievance_reference)
        .Bind(6, g.raised_by)
        .Bind(7, g.raised_at)
        .Run();
  }

 private:
  static Result<StoredSubmission> ReadSubmission(const Stmt& q) {
    StoredSubmission r;
    pdm::Submission& x = r.submission;
    x.uuid = q.Text(0);
    x.root_uuid = q.Text(1);
    x.id = q.Int(2);
    x.submission_time = q.Text(3);
    auto date = Date::Parse(x.submission_time.substr(0, 10));
    x.has_date = date.ok();
    if (date.ok()) x.submission_date = *date;
    x.respondent = q.Text(4);
    x.rejected = q.Text(5) == "rejected";
    MALCHIN_ASSIGN_OR_RETURN(x.answers, pdm::DecodeAnswers(q.Text(6)));
    r.problems = q.Text(7);
    r.file = q.Text(8);
    x.line = static_cast<size_t>(q.Int(9));
    return r;
  }

  Status InsertStratum(int64_t id, size_t seq, const pdm::Stratum& t) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.insert_stratum",
                    "INSERT INTO pdm_strata (sample_id, seq, label, aimag, "
                    "soum, caregiver_sex, head_sex, disability, population, "
                    "n0, n_corrected, completes, selected, "
                    "inclusion_probability, design_weight) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                    "?15)"));
    return s->Bind(1, id)
        .Bind(2, static_cast<int64_t>(seq))
        .Bind(3, t.label)
        .Bind(4, t.key.aimag)
        .Bind(5, t.key.soum)
        .Bind(6, t.key.caregiver_sex)
        .Bind(7, t.key.head_sex)
        .Bind(8, t.key.disability)
        .Bind(9, t.population)
        .Bind(10, t.size.n0)
        .Bind(11, t.size.n_corrected)
        .Bind(12, t.size.completes)
        .Bind(13, t.size.selected)
        .Bind(14, t.inclusion_probability)
        .Bind(15, t.design_weight)
        .Run();
  }

  Status InsertUnit(int64_t id, size_t seq, const pdm::SampledUnit& su) {
    const pdm::Unit& u = su.unit;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.insert_unit",
                    "INSERT INTO pdm_units (sample_id, seq, stratum, "
                    "beneficiary_id, payee_id, label, aimag_code, soum_code, "
                    "caregiver_sex, head_sex, disability, amount, draw_rank, "
                    "replacement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                    "?10, ?11, ?12, ?13, ?14)"));
    return s->Bind(1, id)
        .Bind(2, static_cast<int64_t>(seq))
        .Bind(3, static_cast<int64_t>(su.stratum))
        .Bind(4, u.beneficiary_id)
        .Bind(5, u.payee_id)
        .Bind(6, u.label)
        .Bind(7, u.aimag_code)
        .Bind(8, u.soum_code)
        .Bind(9, pdm::SexCode(u.caregiver_sex))
        .Bind(10, pdm::SexCode(u.head_sex))
        .Bind(11, u.disability ? 1 : 0)
        .Bind(12, u.amount)
        .Bind(13, su.rank)
        .Bind(14, su.replacement ? 1 : 0)
        .Run();
  }

  Result<std::vector<pdm::Stratum>> Strata(int64_t id) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.strata",
                    "SELECT label, aimag, soum, caregiver_sex, head_sex, "
                    "disability, population, n0, n_corrected, completes, "
                    "selected, inclusion_probability, design_weight FROM "
                    "pdm_strata WHERE sample_id = ?1 ORDER BY seq"));
    s->Bind(1, id);
    return ReadAll<pdm::Stratum>(*s, [](const Stmt& q) -> Result<pdm::Stratum> {
      pdm::Stratum t;
      t.label = q.Text(0);
      t.key.aimag = static_cast<int32_t>(q.Int(1));
      t.key.soum = static_cast<int32_t>(q.Int(2));
      t.key.caregiver_sex = static_cast<int8_t>(q.Int(3));
      t.key.head_sex = static_cast<int8_t>(q.Int(4));
      t.key.disability = static_cast<int8_t>(q.Int(5));
      t.population = q.Int(6);
      t.size.n0 = q.Real(7);
      t.size.n_corrected = q.Real(8);
      t.size.completes = q.Int(9);
      t.size.selected = q.Int(10);
      t.inclusion_probability = q.Real(11);
      t.design_weight = q.Real(12);
      return t;
    });
  }

  Result<std::vector<pdm::SampledUnit>> Units(int64_t id) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("pdm.units",
                    "SELECT beneficiary_id, payee_id, label, aimag_code, "
                    "soum_code, caregiver_sex, head_sex, disability, amount, "
                    "stratum, draw_rank, replacement FROM pdm_units WHERE "
                    "sample_id = ?1 ORDER BY seq"));
    s->Bind(1, id);
    return ReadAll<pdm::SampledUnit>(
        *s, [](const Stmt& q) -> Result<pdm::SampledUnit> {
          pdm::SampledUnit su;
          pdm::Unit& u = su.unit;
          u.beneficiary_id = q.Text(0);
          u.payee_id = q.Text(1);
          u.label = q.Text(2);
          u.aimag_code = static_cast<int32_t>(q.Int(3));
          u.soum_code = static_cast<int32_t>(q.Int(4));
          u.caregiver_sex = SexOf(q.Text(5));
          u.head_sex = SexOf(q.Text(6));
          u.disability = q.Int(7) != 0;
          u.amount = q.Int(8);
          su.stratum = static_cast<size_t>(q.Int(9));
          su.rank = q.Int(10);
          su.replacement = q.Int(11) != 0;
          return su;
        });
  }

  SqliteSession& s_;
};

}  // namespace

void RegisterPdmRepositories(Factories* f) {
  f->Add<pdm::Repository, SqlitePdmRepository>();
}

}  // namespace malchin::backends::sqlite
