-- Migration 20: members' insurance contributions paid from a cooperative's
-- contingency fund are prepared by one person and paid only when a second
-- one approves (maker-checker, as payouts and distributions;
-- docs/cooperatives.md). The database keeps: the approver is not the
-- preparer; a request is paid once (approved rows are frozen, UNIQUE
-- remittance_id); requests are never deleted; a client key is used once
-- per preparer. (Migration 16 holds the rest of the coop schema; its fund
-- entries of one remittance are already UNIQUE (remittance_id, pid).)
CREATE TABLE coop_insurance_payments (
  id            INTEGER PRIMARY KEY,
  coop_id       INTEGER NOT NULL REFERENCES coop_cooperatives (id),
  soum_code     INTEGER NOT NULL,
  on_date       TEXT    NOT NULL,
  members       TEXT    NOT NULL,
  note          TEXT    NOT NULL DEFAULT '',
  amount        INTEGER NOT NULL CHECK (amount > 0),
  prepared_by   TEXT    NOT NULL,
  prepared_at   TEXT    NOT NULL,
  client_key    TEXT,
  approved_by   TEXT,
  approved_at   TEXT,
  remittance_id INTEGER UNIQUE REFERENCES insurance_remittances (id),
  CHECK (approved_by IS NULL OR approved_by <> prepared_by),
  CHECK ((approved_by IS NULL) = (remittance_id IS NULL))
);
CREATE UNIQUE INDEX coop_insurance_payments_client_key
  ON coop_insurance_payments (prepared_by, client_key)
  WHERE client_key IS NOT NULL;
CREATE INDEX coop_insurance_payments_coop
  ON coop_insurance_payments (coop_id, id);
CREATE TRIGGER coop_insurance_payments_paid
  BEFORE UPDATE ON coop_insurance_payments
  WHEN OLD.approved_by IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a paid insurance request is frozen');
END;
CREATE TRIGGER coop_insurance_payments_kept
  BEFORE DELETE ON coop_insurance_payments
BEGIN
  SELECT RAISE(ABORT, 'insurance requests are never deleted');
END;
