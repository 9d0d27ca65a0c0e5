-- Migration 7: a compact register (issue #2: the scale-3 register in under
-- 2.05 GB). The persons table is rebuilt without stored name keys and with
-- birth dates as integers; one name index replaces two.
--   - born: days since 1970-01-01 (2 bytes a row instead of 10). The text
--     column birth_date ('YYYY-MM-DD') stays readable as a VIRTUAL generated
--     column, so queries that read it are unchanged; it takes no space.
--   - Name keys are no longer stored: the index persons_given_birth is an
--     expression index over malchin_name_key(given_name) and born. It serves
--     duplicate review (given-name key and birth date, then the father's name
--     checked on the row) and name search (a prefix of the given-name key).
--     malchin_name_key() is text::NameKey, registered (deterministic) on
--     every connection the store opens; a connection without it cannot write
--     persons ("no such function: malchin_name_key"), never silently.
--   - Register numbers are unique through a named UNIQUE index (the bulk
--     loader drops and rebuilds it, so it is built sorted and full), still a
--     constraint of the database.
-- The store runs migrations with foreign keys off and checks them
-- (PRAGMA foreign_key_check) before it commits, so the rebuild keeps every
-- row that refers to a person.
CREATE TABLE persons_compact (
  pid                 INTEGER PRIMARY KEY,
  register_no         TEXT    NOT NULL,
  hh                  INTEGER NOT NULL REFERENCES households (hh),
  family_name         TEXT    NOT NULL DEFAULT '',
  father_name         TEXT    NOT NULL,
  given_name          TEXT    NOT NULL,
  sex                 TEXT    NOT NULL CHECK (sex IN ('F', 'M')),
  born                INTEGER NOT NULL CHECK (born BETWEEN -25567 AND 84005),
  relation            TEXT    NOT NULL CHECK (relation IN ('head', 'spouse',
                        'child', 'parent', 'sibling', 'grandchild', 'other')),
  disability          INTEGER NOT NULL CHECK (disability IN (0, 1)),
  herder              INTEGER NOT NULL CHECK (herder IN (0, 1)),
  phone               TEXT    NOT NULL DEFAULT '',
  bank_account        TEXT    NOT NULL DEFAULT '',
  deactivated_on      TEXT,
  deactivation_reason TEXT,
  version             INTEGER NOT NULL DEFAULT 1,
  birth_date          TEXT    GENERATED ALWAYS AS
                        (date(born * 86400, 'unixepoch')) VIRTUAL
);
INSERT INTO persons_compact (pid, register_no, hh, family_name, father_name,
  given_name, sex, born, relation, disability, herder, phone, bank_account,
  deactivated_on, deactivation_reason, version)
SELECT pid, register_no, hh, family_name, father_name, given_name, sex,
  CAST(round(julianday(birth_date) - 2440587.5) AS INTEGER), relation,
  disability, herder, phone, bank_account, deactivated_on,
  deactivation_reason, version
FROM persons ORDER BY pid;
DROP TABLE persons;
ALTER TABLE persons_compact RENAME TO persons;
CREATE UNIQUE INDEX persons_register_no ON persons (register_no);
CREATE INDEX persons_household ON persons (hh);
CREATE INDEX persons_given_birth ON persons (malchin_name_key(given_name), born);
-- As in migration 4 (dropped with the old table).
CREATE INDEX insurance_herders ON persons (pid)
  WHERE herder = 1 AND deactivated_on IS NULL;

-- The soum search (issue #3): households of a soum in id order, with the
-- herder flag and deactivation on the index, so a page and its count are
-- read from the index alone.
DROP INDEX households_soum;
CREATE INDEX households_soum ON households (soum_code, id, herder,
  deactivated_on);
