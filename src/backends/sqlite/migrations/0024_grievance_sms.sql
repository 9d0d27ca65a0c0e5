-- Migration 24: the herders' SMS channel exists (migration 22), so a
-- complainant's SMS notice is queued in its outbox ("queued"; the delivery
-- is tracked there under the key grievance.notice.<id>), and an SMS
-- complaint finds its soum from the sender's phone in the register
-- (issue #17). SQLite cannot change a CHECK constraint, so the notices
-- table is rebuilt with the same rows; nothing refers to it.
CREATE TABLE grievance_notices_v2 (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES grievance_cases (id),
  kind       TEXT    NOT NULL CHECK (kind IN ('acknowledgement', 'outcome')),
  channel    TEXT    NOT NULL CHECK (channel IN ('letter', 'sms')),
  language   TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('to_print', 'printed',
               'awaiting_channel', 'queued')),
  created_at TEXT    NOT NULL,
  created_by TEXT    NOT NULL
);
INSERT INTO grievance_notices_v2 (id, case_id, kind, channel, language, text,
                                  status, created_at, created_by)
  SELECT id, case_id, kind, channel, language, text, status, created_at,
         created_by FROM grievance_notices;
DROP TABLE grievance_notices;
ALTER TABLE grievance_notices_v2 RENAME TO grievance_notices;
CREATE INDEX grievance_notices_case ON grievance_notices (case_id);

-- The register's phones, for an SMS's sender (registry::Repository::
-- HouseholdsWithPhone). Most persons have none: partial indexes.
CREATE INDEX households_phone ON households (phone) WHERE phone <> '';
CREATE INDEX persons_phone ON persons (phone) WHERE phone <> '';
