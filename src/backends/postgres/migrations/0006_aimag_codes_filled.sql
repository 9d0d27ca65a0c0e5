-- Migration 6: the aimag_code columns that repeat a parent's aimag (the
-- distribution column if the large tables are sharded) are filled by the
-- database when a writer leaves them out, from the row they refer to: a
-- person's from their household, a payroll line's from its entitlement, a
-- ledger entry's from the person's household. So rows that come without
-- one (a copy from the embedded engine, which has no such columns) arrive
-- complete, and the references still prove them.
CREATE FUNCTION malchin_person_aimag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.aimag_code IS NULL THEN
    SELECT h.aimag_code INTO NEW.aimag_code FROM households h
      WHERE h.hh = NEW.hh;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER persons_aimag_code BEFORE INSERT ON persons
  FOR EACH ROW EXECUTE FUNCTION malchin_person_aimag();

CREATE FUNCTION malchin_line_aimag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.aimag_code IS NULL THEN
    SELECT e.aimag_code INTO NEW.aimag_code FROM response_entitlements e
      WHERE e.id = NEW.entitlement_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER response_payroll_lines_aimag_code
  BEFORE INSERT ON response_payroll_lines
  FOR EACH ROW EXECUTE FUNCTION malchin_line_aimag();

CREATE FUNCTION malchin_entry_aimag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.aimag_code IS NULL THEN
    SELECT h.aimag_code INTO NEW.aimag_code FROM persons p
      JOIN households h ON h.hh = p.hh WHERE p.pid = NEW.pid;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER insurance_entries_aimag_code BEFORE INSERT ON insurance_entries
  FOR EACH ROW EXECUTE FUNCTION malchin_entry_aimag();
