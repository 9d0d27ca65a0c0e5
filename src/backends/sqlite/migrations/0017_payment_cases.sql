-- Migration 12: payments as cases, plans that cannot pay twice by mistake
-- (issue #15). Nothing here is deleted; decided actions never change.

-- Payment batches are numbered within their payroll (1, 2, ...): the first
-- file of a payroll is b1 whatever other payrolls did.
ALTER TABLE response_payment_batches ADD COLUMN number INTEGER NOT NULL
  DEFAULT 0;
UPDATE response_payment_batches SET number = (SELECT count(*) FROM
  response_payment_batches b WHERE b.payroll_id =
  response_payment_batches.payroll_id AND b.id <= response_payment_batches.id);
CREATE UNIQUE INDEX response_batches_number ON response_payment_batches
  (payroll_id, number);

-- Who each attempt was sent to, and where (a payee change applies to the
-- attempts after it; NULL on attempts made before this migration: the
-- snapshot's), and the reissue/payee action that allowed it.
ALTER TABLE response_payments ADD COLUMN payee_register_no TEXT;
ALTER TABLE response_payments ADD COLUMN payee_name TEXT;
ALTER TABLE response_payments ADD COLUMN account TEXT;
ALTER TABLE response_payments ADD COLUMN action_id INTEGER;

-- Frozen with the snapshot for the payment report: the age band on the
-- cut-off date and the sexes of who is paid and of the household's head
-- (NULL for snapshots approved before this migration).
ALTER TABLE response_entitlements ADD COLUMN age_band TEXT;
ALTER TABLE response_entitlements ADD COLUMN payee_sex TEXT
  CHECK (payee_sex IN ('F', 'M'));
ALTER TABLE response_entitlements ADD COLUMN head_sex TEXT
  CHECK (head_sex IN ('F', 'M'));

-- A plan's installments outside its event's dates need a stated reason;
-- an approval records what was done with beneficiaries already in an
-- approved plan of the same event and programme.
ALTER TABLE response_plans ADD COLUMN schedule_reason TEXT NOT NULL
  DEFAULT '';
ALTER TABLE response_plans ADD COLUMN overlap_choice TEXT
  CHECK (overlap_choice IN ('exclude', 'accept'));
ALTER TABLE response_plans ADD COLUMN overlap_count INTEGER NOT NULL
  DEFAULT 0;
ALTER TABLE response_plans ADD COLUMN overlap_reason TEXT NOT NULL
  DEFAULT '' CHECK (overlap_choice IS NOT 'accept' OR overlap_reason <> '');

-- Actions on payments: hold, cancel, release and payee changes requested by
-- one officer and confirmed or rejected by another (the CHECK is
-- maker-checker in the database itself); re-issues and the register's flags
-- recorded confirmed. installment NULL: a payee change (every installment
-- of the beneficiary). At most one request awaits a decision per payment.
CREATE TABLE response_payment_actions (
  id                INTEGER PRIMARY KEY,
  plan_id           INTEGER NOT NULL REFERENCES response_plans (id),
  entitlement_id    INTEGER NOT NULL REFERENCES response_entitlements (id),
  installment       INTEGER,
  kind              TEXT    NOT NULL CHECK (kind IN ('hold', 'cancel',
                      'release', 'reissue', 'payee', 'flag')),
  reason            TEXT    NOT NULL CHECK (reason <> ''),
  effective_on      TEXT    NOT NULL,
  payee_register_no TEXT,
  payee_name        TEXT,
  account           TEXT,
  status            TEXT    NOT NULL CHECK (status IN ('requested',
                      'confirmed', 'rejected')),
  requested_by      TEXT    NOT NULL,
  requested_at      TEXT    NOT NULL,
  decided_by        TEXT,
  decided_at        TEXT,
  decision_note     TEXT    NOT NULL DEFAULT '',
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK ((kind = 'payee') = (installment IS NULL)),
  CHECK (kind <> 'payee' OR (payee_register_no IS NOT NULL AND account IS
    NOT NULL)),
  CHECK (status = 'requested' OR decided_by IS NOT NULL OR kind IN
    ('reissue', 'flag'))
);
CREATE UNIQUE INDEX response_actions_open ON response_payment_actions
  (entitlement_id, coalesce(installment, 0)) WHERE status = 'requested';
CREATE INDEX response_actions_plan ON response_payment_actions (plan_id,
  installment);
CREATE INDEX response_actions_entitlement ON response_payment_actions
  (entitlement_id);
CREATE TRIGGER response_actions_kept BEFORE DELETE ON response_payment_actions
BEGIN
  SELECT RAISE(ABORT, 'payment actions are never deleted');
END;
CREATE TRIGGER response_actions_decided BEFORE UPDATE ON
  response_payment_actions WHEN OLD.status <> 'requested' OR NEW.kind <>
  OLD.kind OR NEW.entitlement_id <> OLD.entitlement_id OR NEW.requested_by <>
  OLD.requested_by OR NEW.reason <> OLD.reason
BEGIN
  SELECT RAISE(ABORT, 'a decided payment action is never changed');
END;

-- The register check after the snapshot reads deactivated persons and
-- households only.
CREATE INDEX persons_deactivated ON persons (register_no)
  WHERE deactivated_on IS NOT NULL;
CREATE INDEX households_deactivated ON households (hh)
  WHERE deactivated_on IS NOT NULL;
