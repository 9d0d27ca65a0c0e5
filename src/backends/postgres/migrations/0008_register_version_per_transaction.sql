-- Migration 7 (PostgreSQL): the register's version moves once per
-- transaction that changes the register, not once per statement.
-- Migration 1 updated the one row of register_version after every
-- statement on households or persons. An import writes a statement per
-- row in one transaction, and PostgreSQL keeps every version of a row that
-- one transaction updated again and again, each update walking past all
-- the earlier ones: importing 20,000 rows took minutes. Now the first
-- statement of a transaction that changes the register draws the new
-- version and marks the transaction (the transaction-local setting
-- malchin.register_changed); later statements of it find the mark and
-- leave the row. Other transactions see the new version when the change
-- commits, as before. Inside the changing transaction the version no longer
-- follows each statement, so the register repository reports no version
-- there (ReadRegisterVersion: nullopt, nothing may be reused).
-- A savepoint rolled back undoes the update and the mark together.
CREATE OR REPLACE FUNCTION register_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('malchin.register_changed', true) IS DISTINCT FROM 'on'
  THEN
    UPDATE register_version
      SET changes = changes + 1,
          token = floor(random() * 9007199254740991)::bigint
      WHERE id = 1;
    PERFORM set_config('malchin.register_changed', 'on', true);
  END IF;
  RETURN NULL;
END
$$;
