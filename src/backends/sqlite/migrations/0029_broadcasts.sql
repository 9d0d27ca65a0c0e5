-- Migration 29: SMS broadcasts (issue #20, docs/channel.md): a templated
-- message to the households a rule selects, maker-checker, recipients
-- frozen when sending starts; and the 'unknown' delivery mark.

CREATE TABLE sms_broadcasts (
  id          INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL CHECK (title <> ''),
  target      TEXT    NOT NULL,
  event_code  TEXT    NOT NULL,
  template_id TEXT    NOT NULL,
  parameters  TEXT    NOT NULL,
  area_code   INTEGER NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('draft', 'approved',
                'sending', 'queued', 'cancelled')),
  recipients  INTEGER   NOT NULL DEFAULT 0 CHECK (recipients >= 0),
  segments    INTEGER NOT NULL DEFAULT 0 CHECK (segments >= 0),
  cost        INTEGER   NOT NULL DEFAULT 0 CHECK (cost >= 0),
  created_by  TEXT    NOT NULL,
  created_at  INTEGER   NOT NULL,
  approved_by TEXT    NOT NULL DEFAULT '',
  approved_at INTEGER   NOT NULL DEFAULT 0,
  -- Maker-checker, also in the schema: the maker never approves.
  CHECK (approved_by = '' OR approved_by <> created_by)
);

-- The frozen recipients, once per household and broadcast; message_key is
-- the outbox's idempotency key ('broadcast.<id>.<household>').
CREATE TABLE sms_broadcast_recipients (
  broadcast_id INTEGER   NOT NULL REFERENCES sms_broadcasts (id),
  household_id TEXT    NOT NULL,
  phone        TEXT    NOT NULL,
  soum_code    INTEGER NOT NULL,
  head_sex     TEXT    NOT NULL CHECK (head_sex IN ('F', 'M')),
  language     TEXT    NOT NULL CHECK (language IN ('mn', 'en')),
  message_key  TEXT    NOT NULL UNIQUE,
  queued       INTEGER NOT NULL DEFAULT 0 CHECK (queued IN (0, 1)),
  PRIMARY KEY (broadcast_id, household_id)
);
CREATE INDEX sms_broadcast_recipients_todo
  ON sms_broadcast_recipients (broadcast_id, queued, household_id);

-- A message Kannel took whose final report never came within
-- sms.unknown_after_hours: marked unknown (its state stays 'sent', so a
-- late report still counts), never retried.
ALTER TABLE sms_outbox ADD COLUMN unknown_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sms_outbox_sent ON sms_outbox (state, unknown_at, sent_at);
