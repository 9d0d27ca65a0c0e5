-- Migration 14: corrections behind a second officer (maker-checker), for
-- fixes that come from a complaint's resolution (docs/grievance.md,
-- "Fixes"): register correction proposals (registry/corrections.h) and
-- insurance correction requests (insurance/corrections.h). The proposer
-- never decides their own (a constraint here, not only code); at most one
-- insurance request per entry is pending.
CREATE TABLE register_corrections (
  id            INTEGER PRIMARY KEY,
  household_id  TEXT    NOT NULL REFERENCES households (id),
  register_no   TEXT    NOT NULL DEFAULT '',
  soum_code     INTEGER NOT NULL,
  changes_json  TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  source        TEXT    NOT NULL DEFAULT '',
  proposed_by   TEXT    NOT NULL,
  proposed_at   TEXT    NOT NULL,
  state         TEXT    NOT NULL CHECK (state IN ('pending', 'applied',
                  'rejected', 'withdrawn')),
  decided_by    TEXT,
  decided_at    TEXT,
  decision_note TEXT    NOT NULL DEFAULT '',
  CHECK ((state = 'pending') = (decided_by IS NULL)),
  CHECK (state IN ('pending', 'withdrawn') OR decided_by <> proposed_by),
  CHECK (state <> 'withdrawn' OR decided_by = proposed_by)
);
CREATE INDEX register_corrections_area ON register_corrections (soum_code, id);

CREATE TABLE insurance_corrections (
  id                INTEGER PRIMARY KEY,
  entry_id          INTEGER NOT NULL REFERENCES insurance_entries (id),
  register_no       TEXT    NOT NULL,
  soum_code         INTEGER NOT NULL,
  reason            TEXT    NOT NULL,
  source            TEXT    NOT NULL DEFAULT '',
  requested_by      TEXT    NOT NULL,
  requested_at      TEXT    NOT NULL,
  state             TEXT    NOT NULL CHECK (state IN ('pending', 'applied',
                      'rejected', 'withdrawn')),
  decided_by        TEXT,
  decided_at        TEXT,
  decision_note     TEXT    NOT NULL DEFAULT '',
  reversal_entry_id INTEGER REFERENCES insurance_entries (id),
  CHECK ((state = 'pending') = (decided_by IS NULL)),
  CHECK (state IN ('pending', 'withdrawn') OR decided_by <> requested_by),
  CHECK (state <> 'withdrawn' OR decided_by = requested_by),
  CHECK ((state = 'applied') = (reversal_entry_id IS NOT NULL))
);
CREATE UNIQUE INDEX insurance_corrections_pending
  ON insurance_corrections (entry_id) WHERE state = 'pending';
CREATE INDEX insurance_corrections_area
  ON insurance_corrections (soum_code, id);
