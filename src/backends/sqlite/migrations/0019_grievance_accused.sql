-- Migration 19: the officer a complaint is about can be named after intake
-- (grievance::Service::NameAccused, docs/grievance.md "The accused
-- officer"): the web form and SMS cannot name them. It is set once, from
-- empty to a user name, and never changes or goes away afterwards; the
-- channel, soum and subject still never change.
DROP TRIGGER grievance_cases_keep_subject;
CREATE TRIGGER grievance_cases_keep_subject
  BEFORE UPDATE OF accused_officer, soum_code, channel, subject_kind,
    subject_ref ON grievance_cases
  WHEN (NEW.accused_officer IS NOT OLD.accused_officer AND
        OLD.accused_officer <> '') OR
       NEW.soum_code IS NOT OLD.soum_code OR
       NEW.channel IS NOT OLD.channel OR
       NEW.subject_kind IS NOT OLD.subject_kind OR
       NEW.subject_ref IS NOT OLD.subject_ref
BEGIN
  SELECT RAISE(ABORT, 'a complaint''s channel, soum and subject never change');
END;

-- The officer a complaint is about never decides a correction its
-- resolution asked for (grievance fixes, docs/grievance.md "Fixes"): the
-- correction names them as its barred checker, never shown.
ALTER TABLE register_corrections ADD COLUMN barred_checker TEXT NOT NULL
  DEFAULT '' CHECK (barred_checker = '' OR decided_by IS NOT barred_checker);
ALTER TABLE insurance_corrections ADD COLUMN barred_checker TEXT NOT NULL
  DEFAULT '' CHECK (barred_checker = '' OR decided_by IS NOT barred_checker);
