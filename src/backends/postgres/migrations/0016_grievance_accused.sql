-- Migration 16 (PostgreSQL): the officer a complaint is about can be named
-- after intake (grievance::Service::NameAccused, docs/grievance.md "The
-- accused officer"): the web form and SMS cannot name them. It is set once,
-- from empty to a user name, and never changes or goes away afterwards; the
-- channel, soum and subject still never change.
CREATE OR REPLACE FUNCTION grievance_keep_rule_inputs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.confidential AND NOT NEW.confidential THEN
    RAISE EXCEPTION 'a confidential complaint stays confidential'
      USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.accused_officer IS DISTINCT FROM OLD.accused_officer AND
      OLD.accused_officer <> '') OR
     NEW.soum_code IS DISTINCT FROM OLD.soum_code OR
     NEW.channel IS DISTINCT FROM OLD.channel OR
     NEW.subject_kind IS DISTINCT FROM OLD.subject_kind OR
     NEW.subject_ref IS DISTINCT FROM OLD.subject_ref THEN
    RAISE EXCEPTION 'a complaint''s channel, soum and subject never change'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;

-- The officer a complaint is about never decides a correction its
-- resolution asked for (grievance fixes, docs/grievance.md "Fixes"): the
-- correction names them as its barred checker, never shown.
ALTER TABLE register_corrections
  ADD COLUMN barred_checker TEXT NOT NULL DEFAULT '',
  ADD CONSTRAINT register_corrections_barred_checker
    CHECK (barred_checker = '' OR decided_by IS DISTINCT FROM barred_checker);
ALTER TABLE insurance_corrections
  ADD COLUMN barred_checker TEXT NOT NULL DEFAULT '',
  ADD CONSTRAINT insurance_corrections_barred_checker
    CHECK (barred_checker = '' OR decided_by IS DISTINCT FROM barred_checker);
