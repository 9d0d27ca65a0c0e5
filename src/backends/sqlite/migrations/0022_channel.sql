-- Migration 21: the herders' SMS channel (issue #20, docs/channel.md).
-- The outbox (one row per message; the idempotency key is UNIQUE so a
-- message is queued once, and it is Kannel's message id in the dlr-url),
-- the delivery reports Kannel sent (append-only), opt-outs per phone with
-- their append-only history, and inbound messages (Kannel's id UNIQUE:
-- Kannel may call twice). Times are Unix seconds (UTC).

CREATE TABLE sms_outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT    NOT NULL UNIQUE CHECK (length(idempotency_key)
                    BETWEEN 1 AND 64),
  kind            TEXT    NOT NULL CHECK (kind IN ('info', 'reply', 'otp')),
  phone           TEXT    NOT NULL,
  household_id    TEXT    NOT NULL,
  register_no     TEXT    NOT NULL,
  template_id     TEXT    NOT NULL,
  parameters      TEXT    NOT NULL,
  language        TEXT    NOT NULL CHECK (language IN ('mn', 'en')),
  text            TEXT    NOT NULL,
  coding          TEXT    NOT NULL CHECK (coding IN ('gsm7', 'ucs2')),
  segments        INTEGER NOT NULL CHECK (segments >= 1),
  cost            INTEGER NOT NULL CHECK (cost >= 0),
  state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending',
                    'sent', 'delivered', 'failed', 'expired')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  lease_owner     TEXT    NOT NULL DEFAULT '',
  lease_until     INTEGER NOT NULL DEFAULT 0,
  last_report     INTEGER NOT NULL DEFAULT 0,
  last_answer     TEXT    NOT NULL DEFAULT '',
  created_by      TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER NOT NULL DEFAULT 0,
  final_at        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_outbox_due ON sms_outbox (state, next_attempt_at, id);

CREATE TABLE sms_delivery_reports (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT    NOT NULL,
  status          INTEGER NOT NULL CHECK (status IN (1, 2, 4, 8, 16)),
  phone           TEXT    NOT NULL,
  reported_at     INTEGER NOT NULL,
  smsc            TEXT    NOT NULL,
  smsc_message_id TEXT    NOT NULL,
  answer          TEXT    NOT NULL,
  received_at     INTEGER NOT NULL
);
CREATE INDEX sms_delivery_reports_key
  ON sms_delivery_reports (idempotency_key, id);

CREATE TABLE sms_opt_outs (
  phone      TEXT    PRIMARY KEY,
  opted_out  INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
  changed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sms_opt_out_history (
  id     INTEGER PRIMARY KEY,
  phone  TEXT    NOT NULL,
  action TEXT    NOT NULL CHECK (action IN ('stop', 'start')),
  source TEXT    NOT NULL,
  at     INTEGER NOT NULL
);
CREATE INDEX sms_opt_out_history_phone ON sms_opt_out_history (phone, id);

CREATE TABLE sms_inbound (
  id          INTEGER PRIMARY KEY,
  kannel_id   TEXT    NOT NULL UNIQUE,
  from_phone  TEXT    NOT NULL,
  to_phone    TEXT    NOT NULL,
  text        TEXT    NOT NULL,
  keyword     TEXT    NOT NULL,
  sent_at     INTEGER NOT NULL,
  smsc        TEXT    NOT NULL,
  register_no TEXT    NOT NULL,
  handling    TEXT    NOT NULL CHECK (handling IN ('answered', 'inbox',
                'ignored')),
  reply_key   TEXT    NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX sms_inbound_handling ON sms_inbound (handling, id);

CREATE TRIGGER sms_delivery_reports_frozen BEFORE UPDATE ON sms_delivery_reports
BEGIN
  SELECT RAISE(ABORT, 'SMS delivery reports are never changed');
END;
CREATE TRIGGER sms_delivery_reports_kept BEFORE DELETE ON sms_delivery_reports
BEGIN
  SELECT RAISE(ABORT, 'SMS delivery reports are never deleted');
END;
CREATE TRIGGER sms_opt_out_history_frozen BEFORE UPDATE ON sms_opt_out_history
BEGIN
  SELECT RAISE(ABORT, 'SMS opt-out history is never changed');
END;
CREATE TRIGGER sms_opt_out_history_kept BEFORE DELETE ON sms_opt_out_history
BEGIN
  SELECT RAISE(ABORT, 'SMS opt-out history is never deleted');
END;
