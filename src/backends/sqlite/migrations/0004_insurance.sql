-- Migration 4: social and health insurance of herders.
-- Months are integers year * 12 + (month - 1), e.g. 2025-03 = 24302.
-- The ledger, remittances, service credits and visits are append-only
-- (triggers refuse UPDATE and DELETE): a correction is a reversing entry.
-- insurance_coverage is derived from the ledger and rewritten with it.

-- Herders, for coverage rates and outreach lists (a partial index: the
-- snapshot reads ~0.4M herders without scanning 3M persons).
CREATE INDEX insurance_herders ON persons (pid)
  WHERE herder = 1 AND deactivated_on IS NULL;

-- One payment from a cooperative (or another collective payer) allocated to
-- many members' months.
CREATE TABLE insurance_remittances (
  id          INTEGER PRIMARY KEY,
  payer       TEXT    NOT NULL,
  paid_on     TEXT    NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  allocated   INTEGER NOT NULL CHECK (allocated >= 0),
  unallocated INTEGER NOT NULL CHECK (unallocated >= 0),
  method      TEXT    NOT NULL,
  note        TEXT    NOT NULL DEFAULT '',
  recorded_at TEXT    NOT NULL,
  actor       TEXT    NOT NULL,
  CHECK (allocated + unallocated = amount)
);

CREATE TABLE insurance_entries (
  id           INTEGER PRIMARY KEY,
  pid          INTEGER NOT NULL REFERENCES persons (pid),
  scheme       TEXT    NOT NULL CHECK (scheme IN ('social', 'health')),
  first_month  INTEGER NOT NULL,
  months       INTEGER NOT NULL CHECK (months BETWEEN 1 AND 120),
  paid_on      TEXT    NOT NULL,
  amount       INTEGER NOT NULL,
  due          INTEGER NOT NULL CHECK (due >= 0),
  income_base  INTEGER NOT NULL DEFAULT 0 CHECK (income_base >= 0),
  method       TEXT    NOT NULL CHECK (method IN ('cash', 'bank',
                 'cooperative', 'in_kind', 'raw_material_subsidy',
                 'government_subsidy')),
  payer        TEXT    NOT NULL DEFAULT '',
  remittance_id INTEGER REFERENCES insurance_remittances (id),
  -- At most one reversal per entry: a database constraint, not only code.
  reverses     INTEGER UNIQUE REFERENCES insurance_entries (id),
  in_kind_item  TEXT,
  in_kind_quantity REAL,
  in_kind_unit_price INTEGER,
  in_kind_price_from TEXT,
  in_kind_price_source TEXT,
  note         TEXT    NOT NULL DEFAULT '',
  recorded_at  TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  CHECK ((reverses IS NULL AND amount >= 0) OR
         (reverses IS NOT NULL AND amount <= 0))
);
CREATE INDEX insurance_entries_person ON insurance_entries (pid, scheme);
CREATE INDEX insurance_entries_remittance ON insurance_entries (remittance_id)
  WHERE remittance_id IS NOT NULL;

-- Covered months per person and scheme, as closed spans [first, last].
CREATE TABLE insurance_coverage (
  pid         INTEGER NOT NULL REFERENCES persons (pid),
  scheme      TEXT    NOT NULL CHECK (scheme IN ('social', 'health')),
  first_month INTEGER NOT NULL,
  last_month  INTEGER NOT NULL,
  PRIMARY KEY (pid, scheme, first_month),
  CHECK (last_month >= first_month)
) WITHOUT ROWID;

-- Contribution months recorded before the ledger (SIGO books), of which
-- months as a herder; used by pension projections.
CREATE TABLE insurance_service_credits (
  id             INTEGER PRIMARY KEY,
  pid            INTEGER NOT NULL REFERENCES persons (pid),
  months         INTEGER NOT NULL CHECK (months >= 0),
  herding_months INTEGER NOT NULL CHECK (herding_months BETWEEN 0 AND months),
  until_month    INTEGER NOT NULL,
  average_income INTEGER NOT NULL DEFAULT 0 CHECK (average_income >= 0),
  source         TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  actor          TEXT    NOT NULL
);
CREATE INDEX insurance_service_credits_person
  ON insurance_service_credits (pid);

-- Outreach visits by soum officers and their outcome.
CREATE TABLE insurance_visits (
  id          INTEGER PRIMARY KEY,
  pid         INTEGER NOT NULL REFERENCES persons (pid),
  visited_on  TEXT    NOT NULL,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('enrolled', 'refused',
                'not_found')),
  officer     TEXT    NOT NULL,
  note        TEXT    NOT NULL DEFAULT '',
  recorded_at TEXT    NOT NULL
);
CREATE INDEX insurance_visits_person ON insurance_visits (pid, visited_on);

CREATE TRIGGER insurance_entries_no_update BEFORE UPDATE ON insurance_entries
BEGIN
  SELECT RAISE(ABORT, 'insurance entries are append-only: add a reversal');
END;
CREATE TRIGGER insurance_entries_no_delete BEFORE DELETE ON insurance_entries
BEGIN
  SELECT RAISE(ABORT, 'insurance entries are append-only: add a reversal');
END;
CREATE TRIGGER insurance_remittances_no_update
  BEFORE UPDATE ON insurance_remittances
BEGIN
  SELECT RAISE(ABORT, 'remittances are append-only');
END;
CREATE TRIGGER insurance_remittances_no_delete
  BEFORE DELETE ON insurance_remittances
BEGIN
  SELECT RAISE(ABORT, 'remittances are append-only');
END;
CREATE TRIGGER insurance_service_credits_no_update
  BEFORE UPDATE ON insurance_service_credits
BEGIN
  SELECT RAISE(ABORT, 'service credits are append-only');
END;
CREATE TRIGGER insurance_service_credits_no_delete
  BEFORE DELETE ON insurance_service_credits
BEGIN
  SELECT RAISE(ABORT, 'service credits are append-only');
END;
CREATE TRIGGER insurance_visits_no_update BEFORE UPDATE ON insurance_visits
BEGIN
  SELECT RAISE(ABORT, 'visits are append-only');
END;
CREATE TRIGGER insurance_visits_no_delete BEFORE DELETE ON insurance_visits
BEGIN
  SELECT RAISE(ABORT, 'visits are append-only');
END;
