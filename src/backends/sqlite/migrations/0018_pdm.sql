-- Migration 18: post-distribution monitoring (issue #18, docs/pdm.md).
-- A sample of a payroll's paid beneficiaries with its strata and units
-- (inclusion probabilities, replacement ranks), frozen once approved by an
-- officer other than the one who drew it (CHECK and triggers); KoBoToolbox
-- submissions ingested against it, each _uuid stored once (UNIQUE), so
-- re-ingesting an export changes nothing. Nothing here is deleted.

CREATE TABLE pdm_samples (
  id                INTEGER PRIMARY KEY,
  plan_code         TEXT    NOT NULL,
  installment       INTEGER NOT NULL CHECK (installment >= 1),
  status            TEXT    NOT NULL CHECK (status IN ('drawn', 'approved')),
  design            TEXT    NOT NULL,
  frame_units       INTEGER NOT NULL CHECK (frame_units >= 0),
  frame_fingerprint TEXT    NOT NULL,
  drawn_by          TEXT    NOT NULL,
  drawn_at          TEXT    NOT NULL,
  approved_by       TEXT,
  approved_at       TEXT,
  UNIQUE (plan_code, installment, design, frame_fingerprint),
  CHECK (approved_by IS NULL OR approved_by <> drawn_by)
);

CREATE TABLE pdm_strata (
  sample_id             INTEGER NOT NULL REFERENCES pdm_samples (id),
  seq              INTEGER NOT NULL,
  label                 TEXT    NOT NULL,
  aimag                 INTEGER NOT NULL,
  soum                  INTEGER NOT NULL,
  caregiver_sex         INTEGER NOT NULL,
  head_sex              INTEGER NOT NULL,
  disability            INTEGER NOT NULL,
  population            INTEGER NOT NULL CHECK (population > 0),
  n0                    REAL    NOT NULL,
  n_corrected           REAL    NOT NULL,
  completes             INTEGER NOT NULL,
  selected              INTEGER NOT NULL,
  inclusion_probability REAL    NOT NULL,
  design_weight         REAL    NOT NULL,
  PRIMARY KEY (sample_id, seq)
) WITHOUT ROWID;

CREATE TABLE pdm_units (
  sample_id      INTEGER NOT NULL REFERENCES pdm_samples (id),
  seq       INTEGER NOT NULL,
  stratum        INTEGER NOT NULL,
  beneficiary_id TEXT    NOT NULL,
  payee_id       TEXT    NOT NULL,
  label          TEXT    NOT NULL,
  aimag_code     INTEGER NOT NULL,
  soum_code      INTEGER NOT NULL,
  caregiver_sex  TEXT    NOT NULL CHECK (caregiver_sex IN ('F', 'M')),
  head_sex       TEXT    NOT NULL CHECK (head_sex IN ('F', 'M')),
  disability     INTEGER NOT NULL CHECK (disability IN (0, 1)),
  amount         INTEGER NOT NULL CHECK (amount >= 0),
  draw_rank      INTEGER NOT NULL CHECK (draw_rank >= 1),
  replacement    INTEGER NOT NULL CHECK (replacement IN (0, 1)),
  PRIMARY KEY (sample_id, seq),
  UNIQUE (sample_id, beneficiary_id)
) WITHOUT ROWID;

CREATE TABLE pdm_submissions (
  id              INTEGER PRIMARY KEY,
  sample_id       INTEGER NOT NULL REFERENCES pdm_samples (id),
  uuid            TEXT    NOT NULL UNIQUE CHECK (length(uuid) > 0),
  root_uuid       TEXT    NOT NULL,
  kobo_id         INTEGER NOT NULL,
  submission_time TEXT    NOT NULL,
  respondent      TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('accepted',
                    'rejected')),
  answers         TEXT    NOT NULL,
  problems        TEXT    NOT NULL,
  file            TEXT    NOT NULL,
  line            INTEGER NOT NULL,
  ingested_at     TEXT    NOT NULL
);
CREATE INDEX pdm_submissions_sample ON pdm_submissions (sample_id, id);

CREATE TRIGGER pdm_samples_approved BEFORE UPDATE ON pdm_samples
  WHEN OLD.status = 'approved'
BEGIN
  SELECT RAISE(ABORT, 'an approved PDM sample is frozen');
END;
CREATE TRIGGER pdm_samples_kept BEFORE DELETE ON pdm_samples
BEGIN
  SELECT RAISE(ABORT, 'PDM samples are never deleted');
END;
CREATE TRIGGER pdm_units_frozen BEFORE UPDATE ON pdm_units
BEGIN
  SELECT RAISE(ABORT, 'PDM sample units are never changed');
END;
CREATE TRIGGER pdm_units_kept BEFORE DELETE ON pdm_units
BEGIN
  SELECT RAISE(ABORT, 'PDM sample units are never deleted');
END;
CREATE TRIGGER pdm_submissions_frozen BEFORE UPDATE ON pdm_submissions
BEGIN
  SELECT RAISE(ABORT, 'PDM submissions are never changed');
END;
CREATE TRIGGER pdm_submissions_kept BEFORE DELETE ON pdm_submissions
BEGIN
  SELECT RAISE(ABORT, 'PDM submissions are never deleted');
END;
CREATE TRIGGER pdm_strata_frozen BEFORE UPDATE ON pdm_strata
BEGIN
  SELECT RAISE(ABORT, 'PDM strata are never changed');
END;
CREATE TRIGGER pdm_strata_kept BEFORE DELETE ON pdm_strata
BEGIN
  SELECT RAISE(ABORT, 'PDM strata are never deleted');
END;
