-- Migration 2: accounts, sessions and the append-only, hash-chained audit
-- trail.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('admin', 'national_officer',
                  'aimag_officer', 'soum_officer', 'analyst', 'auditor')),
  area_code     INTEGER NOT NULL DEFAULT 0,  -- 0 national, 3-digit aimag, 5-digit soum
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
);

-- Only a hash of each session token is stored.
CREATE TABLE sessions (
  token_hash TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT    NOT NULL,
  expires_at TEXT    NOT NULL,
  revoked_at TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Each entry's hash covers its content and the previous entry's hash, so an
-- edited, deleted or reordered entry breaks the chain (malchin audit verify).
-- The triggers make the table append-only for every client of this file.
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          TEXT    NOT NULL,
  actor       TEXT    NOT NULL,
  action      TEXT    NOT NULL,
  entity_type TEXT    NOT NULL,
  entity_id   TEXT    NOT NULL,
  register_no TEXT,
  before_json TEXT,
  after_json  TEXT,
  prev_hash   TEXT    NOT NULL,
  hash        TEXT    NOT NULL
);
CREATE INDEX audit_actor ON audit_log (actor, seq);
CREATE INDEX audit_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_person ON audit_log (register_no, seq)
  WHERE register_no IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
