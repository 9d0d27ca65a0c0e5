-- Migration 20: a PDM follow-up case raised as a grievance (issue #18,
-- docs/pdm.md). A respondent the bank reported paid who says they received
-- nothing or less becomes one grievance case: the submission has at most
-- one (PRIMARY KEY), so raising it again returns the same case, and a
-- grievance answers one submission (UNIQUE). Never changed or deleted.
CREATE TABLE pdm_follow_up_grievances (
  sample_id           BIGINT  NOT NULL REFERENCES pdm_samples (id),
  submission_uuid     TEXT    NOT NULL REFERENCES pdm_submissions (uuid),
  beneficiary_id      TEXT    NOT NULL,
  grievance_id        BIGINT  NOT NULL UNIQUE,
  grievance_reference TEXT    NOT NULL,
  raised_by           TEXT    NOT NULL,
  raised_at           TEXT    NOT NULL,
  PRIMARY KEY (sample_id, submission_uuid)
);

CREATE TRIGGER pdm_follow_up_grievances_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON pdm_follow_up_grievances
  FOR EACH STATEMENT EXECUTE FUNCTION
  malchin_refuse('a PDM follow-up grievance link is never changed or deleted');
