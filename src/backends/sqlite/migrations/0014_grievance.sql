-- Migration 13: grievance redress (docs/grievance.md). A case belongs to a
-- soum (its area); confidential cases are seen only by the focal points of
-- their area (the rule is grievance/visibility.h, applied to every read).
-- Timelines, attachments, consents, referrals and fixes are append-only
-- (triggers refuse UPDATE and DELETE); a case is never deleted. A channel's
-- own id (a KoBo _uuid, an SMS id) is unique per channel, so intake that
-- repeats never records a complaint twice.
CREATE TABLE grievance_cases (
  id                      INTEGER PRIMARY KEY,
  reference               TEXT    UNIQUE,  -- G-<year>-<id>, set after insert
  channel                 TEXT    NOT NULL CHECK (channel IN ('office',
                            'hotline', 'web', 'sms', 'batch')),
  category                TEXT    NOT NULL,
  confidential            INTEGER NOT NULL CHECK (confidential IN (0, 1)),
  state                   TEXT    NOT NULL CHECK (state IN ('received',
                            'acknowledged', 'under_review', 'resolved',
                            'referred', 'rejected', 'closed')),
  level                   TEXT    NOT NULL CHECK (level IN ('soum', 'aimag',
                            'national')),
  soum_code               INTEGER NOT NULL CHECK (soum_code >= 10000),
  aimag_code              INTEGER GENERATED ALWAYS AS (soum_code / 100)
                            VIRTUAL,
  anonymous               INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
  complainant_register_no TEXT    NOT NULL DEFAULT '',
  complainant_name        TEXT    NOT NULL DEFAULT '',
  complainant_phone       TEXT    NOT NULL DEFAULT '',
  complainant_address     TEXT    NOT NULL DEFAULT '',
  complainant_sex         TEXT    CHECK (complainant_sex IN ('F', 'M')),
  complainant_birth_year  INTEGER NOT NULL DEFAULT 0,
  complainant_staff       INTEGER NOT NULL DEFAULT 0
                            CHECK (complainant_staff IN (0, 1)),
  contact                 TEXT    NOT NULL CHECK (contact IN ('none',
                            'letter', 'sms')),
  subject_kind            TEXT    NOT NULL CHECK (subject_kind IN ('none',
                            'person', 'household', 'payment', 'plan',
                            'insurance_entry', 'officer')),
  subject_ref             TEXT    NOT NULL DEFAULT '',
  accused_officer         TEXT    NOT NULL DEFAULT '',
  summary                 TEXT    NOT NULL,
  external_id             TEXT,
  received_at             TEXT    NOT NULL,
  received_on             TEXT    NOT NULL,
  recorded_by             TEXT    NOT NULL,
  assigned_to             TEXT    NOT NULL DEFAULT '',
  acknowledge_by          TEXT    NOT NULL,
  resolve_by              TEXT    NOT NULL,
  acknowledged_on         TEXT,
  decided_on              TEXT,
  closed_on               TEXT,
  escalated_on            TEXT,
  outcome                 TEXT    NOT NULL DEFAULT '',
  tracking_hash           TEXT    NOT NULL DEFAULT '',
  version                 INTEGER NOT NULL DEFAULT 1,
  -- An anonymous complaint keeps nobody's identity.
  CHECK (anonymous = 0 OR (complainant_register_no = '' AND
         complainant_name = '' AND complainant_phone = '' AND
         complainant_address = '' AND contact = 'none')),
  CHECK (state <> 'closed' OR closed_on IS NOT NULL)
);
CREATE UNIQUE INDEX grievance_cases_external
  ON grievance_cases (channel, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX grievance_cases_area ON grievance_cases (soum_code, id);
CREATE INDEX grievance_cases_received ON grievance_cases (received_on);
CREATE INDEX grievance_cases_open ON grievance_cases (id)
  WHERE state IN ('received', 'acknowledged', 'under_review');

CREATE TABLE grievance_events (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES grievance_cases (id),
  at         TEXT    NOT NULL,
  actor      TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('received', 'transition',
               'assigned', 'escalated', 'note', 'attachment', 'consent',
               'referral', 'fix', 'notice', 'confidential', 'category')),
  from_state TEXT,
  to_state   TEXT,
  text       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX grievance_events_case ON grievance_events (case_id, id);

CREATE TABLE grievance_attachments (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES grievance_cases (id),
  file_name    TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  size         INTEGER NOT NULL CHECK (size > 0),
  sha256       TEXT    NOT NULL,
  content      BLOB    NOT NULL,
  added_by     TEXT    NOT NULL,
  added_at     TEXT    NOT NULL
);
CREATE INDEX grievance_attachments_case ON grievance_attachments (case_id);

-- Letters and SMS to the complainant. Only their status changes (a letter
-- printed).
CREATE TABLE grievance_notices (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES grievance_cases (id),
  kind       TEXT    NOT NULL CHECK (kind IN ('acknowledgement', 'outcome')),
  channel    TEXT    NOT NULL CHECK (channel IN ('letter', 'sms')),
  language   TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('to_print', 'printed',
               'awaiting_channel')),
  created_at TEXT    NOT NULL,
  created_by TEXT    NOT NULL
);
CREATE INDEX grievance_notices_case ON grievance_notices (case_id);

CREATE TABLE grievance_consents (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES grievance_cases (id),
  given         INTEGER NOT NULL CHECK (given IN (0, 1)),
  share_contact INTEGER NOT NULL CHECK (share_contact IN (0, 1)),
  share_details INTEGER NOT NULL CHECK (share_details IN (0, 1)),
  how           TEXT    NOT NULL CHECK (how IN ('verbal', 'written')),
  note          TEXT    NOT NULL DEFAULT '',
  recorded_by   TEXT    NOT NULL,
  recorded_at   TEXT    NOT NULL,
  CHECK (given = 1 OR (share_contact = 0 AND share_details = 0))
);
CREATE INDEX grievance_consents_case ON grievance_consents (case_id, id);

-- A referral that shares anything rests on a consent of the same case.
CREATE TABLE grievance_referrals (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES grievance_cases (id),
  service_code   TEXT    NOT NULL,
  shares_contact INTEGER NOT NULL CHECK (shares_contact IN (0, 1)),
  shares_details INTEGER NOT NULL CHECK (shares_details IN (0, 1)),
  consent_id     INTEGER REFERENCES grievance_consents (id),
  note           TEXT    NOT NULL DEFAULT '',
  referred_by    TEXT    NOT NULL,
  referred_at    TEXT    NOT NULL,
  CHECK ((shares_contact = 0 AND shares_details = 0) OR
         consent_id IS NOT NULL)
);
CREATE INDEX grievance_referrals_case ON grievance_referrals (case_id);

CREATE TABLE grievance_fixes (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES grievance_cases (id),
  kind         TEXT    NOT NULL CHECK (kind IN ('register_correction',
                 'insurance_correction', 'payment_hold', 'payment_reissue')),
  target       TEXT    NOT NULL,
  external_id  INTEGER NOT NULL DEFAULT 0,
  note         TEXT    NOT NULL,
  requested_by TEXT    NOT NULL,
  requested_at TEXT    NOT NULL
);
CREATE INDEX grievance_fixes_case ON grievance_fixes (case_id);

-- The ministry's additions to the shipped catalogue (never deleted).
CREATE TABLE grievance_categories (
  code           TEXT    PRIMARY KEY,
  name_mn        TEXT    NOT NULL,
  name_en        TEXT    NOT NULL,
  description_mn TEXT    NOT NULL DEFAULT '',
  description_en TEXT    NOT NULL DEFAULT '',
  sensitive      INTEGER NOT NULL CHECK (sensitive IN (0, 1)),
  active         INTEGER NOT NULL CHECK (active IN (0, 1)),
  source         TEXT    NOT NULL,
  updated_by     TEXT    NOT NULL,
  updated_at     TEXT    NOT NULL
);

CREATE TABLE grievance_services (
  code       TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL,
  area_code  INTEGER NOT NULL DEFAULT 0,
  name_mn    TEXT    NOT NULL,
  name_en    TEXT    NOT NULL,
  phone      TEXT    NOT NULL DEFAULT '',
  hours      TEXT    NOT NULL DEFAULT '',
  address_mn TEXT    NOT NULL DEFAULT '',
  address_en TEXT    NOT NULL DEFAULT '',
  note_mn    TEXT    NOT NULL DEFAULT '',
  note_en    TEXT    NOT NULL DEFAULT '',
  source     TEXT    NOT NULL DEFAULT '',
  confidence TEXT    NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
  verified   INTEGER NOT NULL CHECK (verified IN (0, 1)),
  active     INTEGER NOT NULL CHECK (active IN (0, 1)),
  updated_by TEXT    NOT NULL,
  updated_at TEXT    NOT NULL
);

CREATE TRIGGER grievance_cases_no_delete BEFORE DELETE ON grievance_cases
BEGIN
  SELECT RAISE(ABORT, 'complaints are never deleted');
END;
CREATE TRIGGER grievance_events_no_update BEFORE UPDATE ON grievance_events
BEGIN
  SELECT RAISE(ABORT, 'a complaint''s timeline is append-only');
END;
CREATE TRIGGER grievance_events_no_delete BEFORE DELETE ON grievance_events
BEGIN
  SELECT RAISE(ABORT, 'a complaint''s timeline is append-only');
END;
CREATE TRIGGER grievance_attachments_no_update
  BEFORE UPDATE ON grievance_attachments
BEGIN
  SELECT RAISE(ABORT, 'attachments are append-only');
END;
CREATE TRIGGER grievance_attachments_no_delete
  BEFORE DELETE ON grievance_attachments
BEGIN
  SELECT RAISE(ABORT, 'attachments are append-only');
END;
CREATE TRIGGER grievance_consents_no_update BEFORE UPDATE ON grievance_consents
BEGIN
  SELECT RAISE(ABORT, 'consents are append-only');
END;
CREATE TRIGGER grievance_consents_no_delete BEFORE DELETE ON grievance_consents
BEGIN
  SELECT RAISE(ABORT, 'consents are append-only');
END;
CREATE TRIGGER grievance_referrals_no_update
  BEFORE UPDATE ON grievance_referrals
BEGIN
  SELECT RAISE(ABORT, 'referrals are append-only');
END;
CREATE TRIGGER grievance_referrals_no_delete
  BEFORE DELETE ON grievance_referrals
BEGIN
  SELECT RAISE(ABORT, 'referrals are append-only');
END;
CREATE TRIGGER grievance_fixes_no_update BEFORE UPDATE ON grievance_fixes
BEGIN
  SELECT RAISE(ABORT, 'fixes are append-only');
END;
CREATE TRIGGER grievance_fixes_no_delete BEFORE DELETE ON grievance_fixes
BEGIN
  SELECT RAISE(ABORT, 'fixes are append-only');
END;
-- What the visibility rule rests on never changes behind it: a confidential
-- case stays confidential, and the officer a complaint is about stays its
-- subject.
CREATE TRIGGER grievance_cases_keep_confidential
  BEFORE UPDATE OF confidential ON grievance_cases
  WHEN OLD.confidential = 1 AND NEW.confidential = 0
BEGIN
  SELECT RAISE(ABORT, 'a confidential complaint stays confidential');
END;
CREATE TRIGGER grievance_cases_keep_subject
  BEFORE UPDATE OF accused_officer, soum_code, channel, subject_kind,
    subject_ref ON grievance_cases
  WHEN NEW.accused_officer IS NOT OLD.accused_officer OR
       NEW.soum_code IS NOT OLD.soum_code OR
       NEW.channel IS NOT OLD.channel OR
       NEW.subject_kind IS NOT OLD.subject_kind OR
       NEW.subject_ref IS NOT OLD.subject_ref
BEGIN
  SELECT RAISE(ABORT, 'a complaint''s channel, soum and subject never change');
END;
