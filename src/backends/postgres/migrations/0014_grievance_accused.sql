-- Migration 14 (PostgreSQL): the officer a complaint is about can be named
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
