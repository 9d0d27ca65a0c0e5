-- Migration 1: the register of households and persons.
-- Households and persons are never deleted: deactivated_on/_reason mark them
-- inactive. Uniqueness of household ids and register numbers is enforced
-- here, in the database, not only in code.
CREATE TABLE households (
  hh                  INTEGER PRIMARY KEY,
  id                  TEXT    NOT NULL UNIQUE,
  soum_code           INTEGER NOT NULL,
  bag                 TEXT    NOT NULL DEFAULT '',
  current_soum_code   INTEGER NOT NULL,
  herder              INTEGER NOT NULL CHECK (herder IN (0, 1)),
  camels              INTEGER NOT NULL DEFAULT 0 CHECK (camels >= 0),
  horses              INTEGER NOT NULL DEFAULT 0 CHECK (horses >= 0),
  cattle              INTEGER NOT NULL DEFAULT 0 CHECK (cattle >= 0),
  sheep               INTEGER NOT NULL DEFAULT 0 CHECK (sheep >= 0),
  goats               INTEGER NOT NULL DEFAULT 0 CHECK (goats >= 0),
  cooperative         TEXT    NOT NULL DEFAULT '',
  phone               TEXT    NOT NULL DEFAULT '',
  lat                 REAL,
  lon                 REAL,
  deactivated_on      TEXT,
  deactivation_reason TEXT,
  version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX households_soum ON households (soum_code);

CREATE TABLE persons (
  pid                 INTEGER PRIMARY KEY,
  register_no         TEXT    NOT NULL UNIQUE,
  hh                  INTEGER NOT NULL REFERENCES households (hh),
  family_name         TEXT    NOT NULL DEFAULT '',
  father_name         TEXT    NOT NULL,
  given_name          TEXT    NOT NULL,
  name_key            TEXT    NOT NULL,
  sex                 TEXT    NOT NULL CHECK (sex IN ('F', 'M')),
  birth_date          TEXT    NOT NULL,
  relation            TEXT    NOT NULL CHECK (relation IN ('head', 'spouse',
                        'child', 'parent', 'sibling', 'grandchild', 'other')),
  disability          INTEGER NOT NULL CHECK (disability IN (0, 1)),
  herder              INTEGER NOT NULL CHECK (herder IN (0, 1)),
  phone               TEXT    NOT NULL DEFAULT '',
  bank_account        TEXT    NOT NULL DEFAULT '',
  deactivated_on      TEXT,
  deactivation_reason TEXT,
  version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX persons_household ON persons (hh);
CREATE INDEX persons_name_birth ON persons (name_key, birth_date);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Every import, with what it did (the hash-chained audit trail builds on it).
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  at          TEXT    NOT NULL,
  actor       TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  households_inserted INTEGER NOT NULL, households_updated INTEGER NOT NULL,
  persons_inserted    INTEGER NOT NULL, persons_updated    INTEGER NOT NULL
);
