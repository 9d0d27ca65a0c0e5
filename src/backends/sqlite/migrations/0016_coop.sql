-- Migration 12: herder cooperatives and pasture user groups (issue #21):
-- members, the ledgers (each cooperative's shock contingency fund, each
-- business's seed fund), emergency feed reserves, in-kind support and the
-- other distributions to households (payouts from a fund, feed), trainings
-- and businesses. docs/cooperatives.md tells the rules; the database keeps
-- the ones that protect money and goods:
--   - ledger entries, feed movements, distribution lines and deliveries are
--     never changed or deleted (triggers): a correction is a reversal, and
--     an entry or movement is reversed at most once (UNIQUE reverses);
--   - a distribution line is paid from a fund or issued from a warehouse at
--     most once (UNIQUE line_id) and delivered at most once (UNIQUE
--     line_id); a household gets one line and one delivery per
--     distribution; an insurance remittance is paid from a fund once per
--     member (UNIQUE remittance_id, pid);
--   - an approved distribution is frozen, and whoever prepared it cannot be
--     its approver (CHECK);
--   - idempotency keys are unique per actor; one open membership per
--     person and cooperative.
-- Dates are 'YYYY-MM-DD' text; instants ISO 8601 UTC text; money integer
-- MNT; feed integer kilograms.

CREATE TABLE coop_cooperatives (
  id              INTEGER PRIMARY KEY,
  code            TEXT    NOT NULL UNIQUE,
  name            TEXT    NOT NULL,
  type            TEXT    NOT NULL CHECK (type IN ('cooperative',
                    'pasture_user_group')),
  soum_code       INTEGER NOT NULL,
  bag             TEXT    NOT NULL DEFAULT '',
  registration_no TEXT    NOT NULL DEFAULT '',
  registered_on   TEXT,
  created_by      TEXT    NOT NULL,
  created_at      TEXT    NOT NULL
);
CREATE UNIQUE INDEX coop_cooperatives_registration
  ON coop_cooperatives (registration_no) WHERE registration_no <> '';
CREATE INDEX coop_cooperatives_soum ON coop_cooperatives (soum_code, code);

CREATE TABLE coop_members (
  id           INTEGER PRIMARY KEY,
  coop_id      INTEGER NOT NULL REFERENCES coop_cooperatives (id),
  pid          INTEGER NOT NULL REFERENCES persons (pid),
  role         TEXT    NOT NULL CHECK (role IN ('member', 'chair', 'board',
                 'treasurer', 'auditor')),
  joined_on    TEXT    NOT NULL,
  left_on      TEXT,
  leave_reason TEXT    NOT NULL DEFAULT '',
  recorded_by  TEXT    NOT NULL,
  CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE UNIQUE INDEX coop_members_open ON coop_members (coop_id, pid)
  WHERE left_on IS NULL;
CREATE INDEX coop_members_coop ON coop_members (coop_id, joined_on);
CREATE INDEX coop_members_person ON coop_members (pid);

CREATE TABLE coop_warehouses (
  id          INTEGER PRIMARY KEY,
  code        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  coop_id     INTEGER REFERENCES coop_cooperatives (id),
  soum_code   INTEGER NOT NULL,
  bag         TEXT    NOT NULL DEFAULT '',
  capacity_kg INTEGER NOT NULL DEFAULT 0 CHECK (capacity_kg >= 0),
  created_by  TEXT    NOT NULL,
  created_at  TEXT    NOT NULL
);
CREATE INDEX coop_warehouses_soum ON coop_warehouses (soum_code, code);

CREATE TABLE coop_items (
  id         INTEGER PRIMARY KEY,
  code       TEXT    NOT NULL UNIQUE,
  name_en    TEXT    NOT NULL,
  name_mn    TEXT    NOT NULL,
  unit       TEXT    NOT NULL CHECK (unit IN ('head', 'kg', 'piece')),
  unit_value INTEGER NOT NULL CHECK (unit_value >= 0),
  created_by TEXT    NOT NULL,
  created_at TEXT    NOT NULL
);

CREATE TABLE coop_distributions (
  id             INTEGER PRIMARY KEY,
  code           TEXT    NOT NULL UNIQUE,
  kind           TEXT    NOT NULL CHECK (kind IN ('payout', 'feed',
                   'in_kind')),
  name           TEXT    NOT NULL,
  coop_id        INTEGER REFERENCES coop_cooperatives (id),
  warehouse_id   INTEGER REFERENCES coop_warehouses (id),
  item_id        INTEGER REFERENCES coop_items (id),
  feed           TEXT    CHECK (feed IS NULL OR feed IN ('hay', 'fodder')),
  event_code     TEXT    NOT NULL DEFAULT '',
  area_code      INTEGER NOT NULL,
  eligibility    TEXT    NOT NULL,
  quantity       TEXT    NOT NULL,
  cutoff_on      TEXT    NOT NULL,
  decision       TEXT    NOT NULL DEFAULT '',
  status         TEXT    NOT NULL CHECK (status IN ('prepared', 'approved')),
  prepared_by    TEXT    NOT NULL,
  prepared_at    TEXT    NOT NULL,
  approved_by    TEXT,
  approved_at    TEXT,
  households     INTEGER NOT NULL DEFAULT 0,
  total_quantity INTEGER NOT NULL DEFAULT 0,
  total_value    INTEGER NOT NULL DEFAULT 0,
  CHECK (approved_by IS NULL OR approved_by <> prepared_by),
  CHECK ((status = 'approved') = (approved_by IS NOT NULL)),
  CHECK (kind <> 'payout' OR coop_id IS NOT NULL),
  CHECK (kind <> 'feed' OR (warehouse_id IS NOT NULL AND feed IS NOT NULL)),
  CHECK (kind <> 'in_kind' OR item_id IS NOT NULL)
);

-- The households of an approved distribution, frozen with what each gets.
CREATE TABLE coop_lines (
  id              INTEGER PRIMARY KEY,
  distribution_id INTEGER NOT NULL REFERENCES coop_distributions (id),
  hh              INTEGER NOT NULL REFERENCES households (hh),
  payee_pid       INTEGER NOT NULL REFERENCES persons (pid),
  soum_code       INTEGER NOT NULL,
  sex             TEXT    NOT NULL CHECK (sex IN ('F', 'M')),
  born            INTEGER NOT NULL,
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  value           INTEGER NOT NULL CHECK (value >= 0),
  UNIQUE (distribution_id, hh)
);

CREATE TABLE coop_deliveries (
  id              INTEGER PRIMARY KEY,
  line_id         INTEGER NOT NULL UNIQUE REFERENCES coop_lines (id),
  distribution_id INTEGER NOT NULL REFERENCES coop_distributions (id),
  hh              INTEGER NOT NULL REFERENCES households (hh),
  delivered_on    TEXT    NOT NULL,
  received_pid    INTEGER NOT NULL REFERENCES persons (pid),
  confirmed_by    TEXT    NOT NULL,
  confirmed_at    TEXT    NOT NULL,
  note            TEXT    NOT NULL DEFAULT '',
  client_key      TEXT,
  UNIQUE (distribution_id, hh)
);
CREATE UNIQUE INDEX coop_deliveries_client_key
  ON coop_deliveries (confirmed_by, client_key) WHERE client_key IS NOT NULL;

-- The ledgers. owner_id is a cooperative's id (book 'fund') or a
-- business's (book 'seed'); soum_code is the owner's, for area scoping.
CREATE TABLE coop_ledger (
  id                   INTEGER PRIMARY KEY,
  book                 TEXT    NOT NULL CHECK (book IN ('fund', 'seed')),
  owner_id             INTEGER NOT NULL,
  soum_code            INTEGER NOT NULL,
  on_date              TEXT    NOT NULL,
  kind                 TEXT    NOT NULL CHECK (kind IN ('contribution',
                         'sales', 'payout', 'insurance', 'grant', 'repayment',
                         'reversal')),
  amount               INTEGER NOT NULL CHECK (amount <> 0),
  pid                  INTEGER REFERENCES persons (pid),
  method               TEXT    NOT NULL DEFAULT '' CHECK (method IN ('',
                         'cash', 'bank', 'in_kind')),
  in_kind_item         TEXT,
  in_kind_quantity     REAL,
  in_kind_unit_price   INTEGER,
  in_kind_price_from   TEXT,
  in_kind_price_source TEXT,
  line_id              INTEGER UNIQUE REFERENCES coop_lines (id),
  remittance_id        INTEGER REFERENCES insurance_remittances (id),
  reverses             INTEGER UNIQUE REFERENCES coop_ledger (id),
  note                 TEXT    NOT NULL DEFAULT '',
  actor                TEXT    NOT NULL,
  recorded_at          TEXT    NOT NULL,
  client_key           TEXT,
  CHECK ((kind IN ('contribution', 'sales', 'grant') AND amount > 0) OR
         (kind IN ('payout', 'insurance', 'repayment') AND amount < 0) OR
         kind = 'reversal'),
  CHECK ((kind = 'reversal') = (reverses IS NOT NULL)),
  CHECK ((book = 'fund' AND kind IN ('contribution', 'sales', 'payout',
           'insurance', 'reversal')) OR
         (book = 'seed' AND kind IN ('grant', 'repayment', 'reversal'))),
  CHECK ((kind = 'payout') = (line_id IS NOT NULL)),
  CHECK ((kind = 'insurance') = (remittance_id IS NOT NULL)),
  CHECK (kind NOT IN ('payout', 'insurance') OR pid IS NOT NULL),
  -- One entry per member of an insurance remittance paid from a fund.
  UNIQUE (remittance_id, pid)
);
CREATE INDEX coop_ledger_owner ON coop_ledger (book, owner_id, on_date);
CREATE INDEX coop_ledger_person ON coop_ledger (pid) WHERE pid IS NOT NULL;
CREATE UNIQUE INDEX coop_ledger_client_key ON coop_ledger (actor, client_key)
  WHERE client_key IS NOT NULL;

CREATE TABLE coop_feed_movements (
  id           INTEGER PRIMARY KEY,
  warehouse_id INTEGER NOT NULL REFERENCES coop_warehouses (id),
  on_date      TEXT    NOT NULL,
  feed         TEXT    NOT NULL CHECK (feed IN ('hay', 'fodder')),
  kind         TEXT    NOT NULL CHECK (kind IN ('received', 'distributed',
                 'loss', 'reversal')),
  kg           INTEGER NOT NULL CHECK (kg <> 0),
  hh           INTEGER REFERENCES households (hh),
  line_id      INTEGER UNIQUE REFERENCES coop_lines (id),
  reverses     INTEGER UNIQUE REFERENCES coop_feed_movements (id),
  note         TEXT    NOT NULL DEFAULT '',
  actor        TEXT    NOT NULL,
  recorded_at  TEXT    NOT NULL,
  client_key   TEXT,
  CHECK ((kind = 'received' AND kg > 0) OR
         (kind IN ('distributed', 'loss') AND kg < 0) OR kind = 'reversal'),
  CHECK ((kind = 'reversal') = (reverses IS NOT NULL)),
  CHECK ((kind = 'distributed') = (line_id IS NOT NULL))
);
CREATE INDEX coop_feed_movements_warehouse
  ON coop_feed_movements (warehouse_id, on_date);
CREATE UNIQUE INDEX coop_feed_movements_client_key
  ON coop_feed_movements (actor, client_key) WHERE client_key IS NOT NULL;

CREATE TABLE coop_trainings (
  id         INTEGER PRIMARY KEY,
  code       TEXT    NOT NULL UNIQUE,
  topic      TEXT    NOT NULL CHECK (topic IN ('life_skills',
               'entrepreneurship', 'other')),
  title      TEXT    NOT NULL,
  soum_code  INTEGER NOT NULL,
  place      TEXT    NOT NULL DEFAULT '',
  starts_on  TEXT    NOT NULL,
  ends_on    TEXT    NOT NULL CHECK (ends_on >= starts_on),
  trainer    TEXT    NOT NULL DEFAULT '',
  created_by TEXT    NOT NULL,
  created_at TEXT    NOT NULL
);

CREATE TABLE coop_attendance (
  training_id INTEGER NOT NULL REFERENCES coop_trainings (id),
  pid         INTEGER NOT NULL REFERENCES persons (pid),
  completed   INTEGER NOT NULL CHECK (completed IN (0, 1)),
  recorded_by TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  PRIMARY KEY (training_id, pid)
);
CREATE INDEX coop_attendance_person ON coop_attendance (pid);

CREATE TABLE coop_businesses (
  id          INTEGER PRIMARY KEY,
  code        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  sector      TEXT    NOT NULL DEFAULT '',
  soum_code   INTEGER NOT NULL,
  started_on  TEXT    NOT NULL,
  owner_pid   INTEGER NOT NULL REFERENCES persons (pid),
  training_id INTEGER REFERENCES coop_trainings (id),
  created_by  TEXT    NOT NULL,
  created_at  TEXT    NOT NULL
);

CREATE TRIGGER coop_ledger_frozen BEFORE UPDATE ON coop_ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger entries are never changed: add a reversal');
END;
CREATE TRIGGER coop_ledger_kept BEFORE DELETE ON coop_ledger
BEGIN
  SELECT RAISE(ABORT, 'ledger entries are never deleted: add a reversal');
END;
CREATE TRIGGER coop_feed_movements_frozen BEFORE UPDATE ON coop_feed_movements
BEGIN
  SELECT RAISE(ABORT, 'feed movements are never changed: add a reversal');
END;
CREATE TRIGGER coop_feed_movements_kept BEFORE DELETE ON coop_feed_movements
BEGIN
  SELECT RAISE(ABORT, 'feed movements are never deleted: add a reversal');
END;
CREATE TRIGGER coop_lines_frozen BEFORE UPDATE ON coop_lines
BEGIN
  SELECT RAISE(ABORT, 'distribution lines are never changed');
END;
CREATE TRIGGER coop_lines_kept BEFORE DELETE ON coop_lines
BEGIN
  SELECT RAISE(ABORT, 'distribution lines are never deleted');
END;
CREATE TRIGGER coop_deliveries_frozen BEFORE UPDATE ON coop_deliveries
BEGIN
  SELECT RAISE(ABORT, 'deliveries are never changed');
END;
CREATE TRIGGER coop_deliveries_kept BEFORE DELETE ON coop_deliveries
BEGIN
  SELECT RAISE(ABORT, 'deliveries are never deleted');
END;
CREATE TRIGGER coop_distributions_approved BEFORE UPDATE ON coop_distributions
  WHEN OLD.status = 'approved'
BEGIN
  SELECT RAISE(ABORT, 'an approved distribution is frozen');
END;
CREATE TRIGGER coop_distributions_kept BEFORE DELETE ON coop_distributions
BEGIN
  SELECT RAISE(ABORT, 'distributions are never deleted');
END;
